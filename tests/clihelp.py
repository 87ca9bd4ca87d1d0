"""Running the CLI in-process for tests, with the machine's terminal settings kept out."""

from __future__ import annotations

import inspect

from click.testing import CliRunner, Result

from calcinosis_cli.cli import cli

# Colour and terminal settings of the machine running the tests must not leak in.
CLEAN_ENV: dict[str, str | None] = {"FORCE_COLOR": None, "NO_COLOR": None, "TERM": None, "COLUMNS": None}


def runner(env: dict | None = None) -> CliRunner:
    """A CliRunner that captures stderr apart from stdout on every supported click.

    click 8.1 mixes them unless told ``mix_stderr=False``; click 8.2 removed the parameter and
    always keeps them apart.
    """
    options = {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}
    return CliRunner(env=env, **options)


def run(*args: str, env: dict | None = None) -> Result:
    """Invoke ``calcinosis ARGS`` through click's CliRunner."""
    return runner({**CLEAN_ENV, **(env or {})}).invoke(cli, list(args))


def ok(*args: str, env: dict | None = None) -> str:
    """Invoke, assert success with nothing on stderr, and return stdout."""
    result = run(*args, env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    assert result.stderr == ""
    return result.stdout
