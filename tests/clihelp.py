"""Running the CLI in-process for tests, with the machine's terminal settings kept out."""

from __future__ import annotations

from click.testing import CliRunner, Result

from calcinosis_cli.cli import cli

# Colour and terminal settings of the machine running the tests must not leak in.
CLEAN_ENV: dict[str, str | None] = {"FORCE_COLOR": None, "NO_COLOR": None, "TERM": None, "COLUMNS": None}


def run(*args: str, env: dict | None = None) -> Result:
    """Invoke ``calcinosis ARGS`` through click's CliRunner."""
    return CliRunner(env={**CLEAN_ENV, **(env or {})}).invoke(cli, list(args))


def ok(*args: str, env: dict | None = None) -> str:
    """Invoke, assert success with nothing on stderr, and return stdout."""
    result = run(*args, env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    assert result.stderr == ""
    return result.stdout
