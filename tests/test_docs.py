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
    readme_run = lines.index('scrubbed bash -c "$README_TEST_COMMAND"')
    cells = [i for i, line in enumerate(lines) if line.startswith("cell ")]
    assert cells and readme_run < min(cells)
