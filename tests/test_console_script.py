"""Every command, and every value of every fixed-choice option, through the installed console script.

Commands are imported lazily, so an import error in one command's module shows only when that
command runs. The cases below are derived from the click definitions themselves: a new command
or a new choice is run here without anyone remembering to add it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
import pytest

from calcinosis_cli.cli import COMMANDS, cli
from calcinosis_cli.render import all_formats

ROOT = Path(__file__).resolve().parent.parent
CONSOLE_SCRIPT = Path(sys.executable).parent / "calcinosis"
LEAKY = ("FORCE_COLOR", "NO_COLOR", "TERM", "COLUMNS", "CALCINOSIS_DATA", "CALCINOSIS_NO_CACHE", "PYTHONIOENCODING")

# The arguments each command needs to run at all; every command must be listed here.
BASE_ARGS: dict[str, list[str]] = {
    "list": ["list"],
    "group": ["group", "--by", "treatment"],
    "pool": ["pool"],
    "show": ["show", "berger1987-warfarin-phase-2"],
    "cite": ["cite"],
    "report": ["report", "--date", "2024-01-01"],
    "prisma": ["prisma", "-q", str(ROOT / "tests" / "fixtures" / "prisma" / "filled.csv")],
    "plot": ["plot", "--data", str(ROOT / "examples" / "appraisal.yaml"), "forest"],
    "appraise": ["appraise", "--help"],  # interactive: driven through a pty in tests/test_appraisal.py
    "appraisal": ["appraisal", "--data", str(ROOT / "examples" / "appraisal.yaml")],
    "sof": ["sof", "--data", "examples/certainty.yaml", "--date", "2024-01-01"],
    "export": ["export", "--format", "sqlite", "--output", "{out}"],
    "import": [
        "import",
        str(ROOT / "tests" / "fixtures" / "imports" / "pubmed.nbib"),
        "-o",
        "{out}",
        "--no-bundled",
        "-q",
    ],
    "new": ["new", "{out}"],
    "cases": ["cases"],
    "validate": ["validate", str(ROOT / "examples" / "my-studies.yaml")],
    "schema": ["schema"],
    "terms": ["terms", "treatment"],
    "formats": ["formats"],
}


def command_object(name: str) -> click.Command:
    return cli.get_command(click.Context(cli), name)


def choice_cases() -> list[tuple[str, list[str]]]:
    """(id, argv) for every command, and for every value of each of its choice options."""
    cases = []
    for name in COMMANDS:
        base = BASE_ARGS.get(name, [name])
        cases.append((name, base))
        for param in command_object(name).params:
            if isinstance(param.type, click.Choice):
                values = list(param.type.choices)
            elif param.name == "fmt":  # --format takes our formats and every tabulate format
                values = all_formats()
            else:
                continue
            for value in values:
                if isinstance(param, click.Argument):
                    argv = [name, *base[1:-1], value] if len(base) > 1 else [name, value]
                else:
                    flag = max(param.opts, key=len)
                    argv = [*[a for a in _without(base, param)], flag, value]
                cases.append((f"{name} {param.name}={value}", argv))
    return cases


def _without(base: list[str], param: click.Parameter) -> list[str]:
    """``base`` without an occurrence of the option ``param`` (and its value)."""
    out, skip = [], False
    for arg in base:
        if skip:
            skip = False
            continue
        if arg in param.opts:
            skip = True
            continue
        out.append(arg)
    return out


CASES = choice_cases()


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    assert CONSOLE_SCRIPT.exists(), f"no console script at {CONSOLE_SCRIPT}: install the package (pip install .)"
    env = {k: v for k, v in os.environ.items() if k not in LEAKY}
    env["CALCINOSIS_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    # Warm the cache once, so the parallel runs below do not all parse YAML.
    subprocess.run([str(CONSOLE_SCRIPT), "list"], env=env, capture_output=True, check=True, timeout=120)

    folder = tmp_path_factory.mktemp("outputs")

    def run(case: tuple[str, list[str]]) -> tuple[str, subprocess.CompletedProcess]:
        name, argv = case
        # A command that writes a file gets a file of its own ({out}), named after the case.
        out = folder / "".join(c if c.isalnum() else "-" for c in name)
        argv = [a.replace("{out}", str(out)) for a in argv]
        proc = subprocess.run(
            # errors="replace": a Word document (docx) written to a pipe is bytes, not text
            [str(CONSOLE_SCRIPT), *argv],
            capture_output=True,
            text=True,
            errors="replace",
            env=env,
            cwd=ROOT,
            timeout=120,
        )
        proc.written = out.exists() and out.stat().st_size > 0  # type: ignore[attr-defined]
        return name, proc

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(pool.map(run, CASES))


def test_every_command_has_its_arguments_here():
    assert set(BASE_ARGS) == set(COMMANDS)


@pytest.mark.parametrize("case", [name for name, _ in CASES])
def test_runs_through_the_console_script(results, case):
    proc = results[case]
    assert proc.returncode == 0, (case, proc.stderr)
    assert proc.stderr == "", (case, proc.stderr)
    assert proc.stdout.strip() or proc.written, case
