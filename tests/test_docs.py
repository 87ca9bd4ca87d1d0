"""The README cannot go stale: its examples are run, its commands exist and are documented."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from calcinosis_cli.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def console_examples() -> list[tuple[str, str]]:
    """(command line, expected output) for every ```console block of the README."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        lines = block.splitlines()
        assert lines[0].startswith("$ calcinosis "), lines[0]
        examples.append((lines[0][2:], "\n".join(lines[1:]) + "\n"))
    return examples


CONSOLE_SCRIPT = Path(sys.executable).parent / "calcinosis"


@pytest.mark.parametrize(("command", "expected"), console_examples(), ids=lambda v: v[:60])
def test_readme_example_output_is_real(command, expected, tmp_path):
    # Through the installed console script, as a reader would run it.
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "COLUMNS", "CALCINOSIS_DATA")}
    env["CALCINOSIS_CACHE_DIR"] = str(tmp_path)
    args = shlex.split(command)[1:]
    result = subprocess.run([str(CONSOLE_SCRIPT), *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert result.stdout + result.stderr == expected


def test_readme_has_examples():
    assert len(console_examples()) >= 6


def all_commands():
    ctx = click.Context(cli)
    return {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}


def test_every_command_has_help_and_is_in_the_readme():
    for name, command in all_commands().items():
        assert command.help and command.help.strip(), f"{name} has no help text"
        assert f"| `{name}" in README, f"{name} is missing from the README's command table"


def test_every_option_has_help():
    for name, command in all_commands().items():
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.opts} has no help text"


def test_help_and_readme_say_no_medical_advice():
    assert "no medical advice" in (cli.help or "")
    assert "It gives no medical advice." in README


README_INSTALL = "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/calcinosis list --treatment warfarin"
README_TEST = "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest"


def test_readme_opens_with_the_two_commands():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert blocks[:2] == [README_INSTALL, README_TEST]


def test_ci_runs_the_readme_test_command_first():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f'README_TEST_COMMAND="{README_TEST}"' in ci
    lines = [line.strip() for line in ci.splitlines()]
    assert 'scrubbed bash -c "$README_TEST_COMMAND"' in lines  # as the README states it, in the tree itself
    # The two version cells run beside it, in copies of the tree, and are waited for.
    cells = [line for line in lines if line.startswith('( cell "')]
    assert [c.split('"')[1] for c in cells] == ["2/3 oldest-lowest", "3/3 newest-latest"]
    assert "wait" in lines


# --- the README's longer examples: the import workflow, its errors, the figures ----------------


def block_after(marker: str, fence: str) -> str:
    """The fenced block that follows the HTML comment ``marker`` in the README."""
    found = re.search(re.escape(marker) + r".*?-->\n```" + fence + r"\n(.*?)```", README, flags=re.S)
    assert found, marker
    return found.group(1)


def run_console(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "COLUMNS", "CALCINOSIS_DATA")}
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *args], capture_output=True, text=True, env={**base, **(env or {})}, cwd=cwd, timeout=120
    )


FICTIONAL_RIS = "".join(
    line + "\n"
    for line in (
        "TY  - JOUR",
        "TI  - A fictional series of warfarin for calcinosis",
        "AU  - Smith, Anna B.",
        "T2  - Journal of Fictional Examples",
        "PY  - 2024",
        "DO  - 10.5555/fictional.0001",
        "ER  - ",
    )
)


def test_the_import_workflow_runs_as_written(tmp_path):
    lines = [line for line in block_after("<!-- tests/test_docs.py runs this block", "sh").splitlines() if line]
    assert len(lines) == 4
    env = {"CALCINOSIS_CACHE_DIR": str(tmp_path / "cache")}
    for line in lines:
        argv = shlex.split(line)
        assert argv[0] == "calcinosis"
        if "import" in argv:
            # What the reader does between the lines: fill in a row, export the work it cites.
            sheet = (tmp_path / "sheet.csv").read_bytes()
            assert sheet.startswith(b"\xef\xbb\xbfid,") and sheet.count(b"\r\n") == 1  # the header only
            header = sheet[3:].decode().strip().split(",")
            row = dict.fromkeys(header, "")
            row.update(
                id="smith2024-warfarin",
                treatment_printed="Warfarin 1 mg/day",
                treatment="coumadin",
                n="3",
                reference="10.5555/fictional.0001",
                design="case series",
                tally_improved="1",
                tally_unchanged="2",
            )
            (tmp_path / "sheet.csv").write_bytes(sheet + (",".join(row[h] for h in header) + "\r\n").encode())
            (tmp_path / "zotero.ris").write_text(FICTIONAL_RIS, encoding="utf-8")
        result = run_console(argv[1:], tmp_path, env)
        assert result.returncode == 0, (line, result.stderr)
        if "list" in argv:
            rows = result.stdout.splitlines()
            assert len(rows) == 1 + 6  # the header, the five bundled warfarin rows and ours (coumadin)
            assert "Smith (2024)" in rows[-1]
    assert "A fictional series of warfarin" in (tmp_path / "warfarin.html").read_text(encoding="utf-8")


def test_the_import_problems_shown_are_real():
    block = block_after("<!-- tests/test_docs.py runs this in tests/fixtures/imports/problems", "text")
    first, expected = block.split("\n", 1)
    assert first.startswith("$ calcinosis ")
    result = run_console(shlex.split(first[2:])[1:], ROOT / "tests" / "fixtures" / "imports" / "problems")
    assert result.returncode == 1
    assert result.stdout + result.stderr == expected
    assert not (ROOT / "tests" / "fixtures" / "imports" / "problems" / "mine.yaml").exists()


def svg_text(data: bytes) -> list[str]:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(data)
    return ["".join(e.itertext()) for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("title", "text", "desc")]


@pytest.mark.parametrize("kind", ["forest", "map", "outcomes"])
def test_the_readme_figures_are_made_by_the_commands_it_shows(kind, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    command = f"calcinosis plot {kind} --output docs/figures/{kind}.svg"
    assert command in README and f"](docs/figures/{kind}.svg)" in README
    result = run_console(["plot", kind, "--output", str(tmp_path / f"{kind}.svg")], ROOT)
    assert result.returncode == 0, result.stderr
    made, shown = (tmp_path / f"{kind}.svg").read_bytes(), (ROOT / "docs" / "figures" / f"{kind}.svg").read_bytes()
    assert svg_text(made) == svg_text(shown)
    recorded = re.search(r"matplotlib (\S+) and", (ROOT / "docs" / "figures" / "README.md").read_text()).group(1)
    if matplotlib.__version__ == recorded:
        assert made == shown
