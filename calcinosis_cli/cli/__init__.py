"""The command line: the command group, and main(), the one map from failures to exit codes.

Each command is imported only when it runs (click's lazy-loading pattern), so that a run of
`calcinosis list` does not pay for building every other command's options.
"""

from __future__ import annotations

import importlib
import os
import re
import sys

import click

from .. import __version__
from ..errors import EXIT_DATA, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CalcinosisError, UsageError
from .options import global_options

DISCLAIMER = "calcinosis tabulates published literature. It gives no medical advice."

# Command names, in the order of `calcinosis --help`. The command `NAME` is the object
# `NAME_command` in calcinosis_cli/commands/NAME.py (`import` is `import_.py`).
COMMANDS = (
    "list",
    "group",
    "pool",
    "show",
    "cite",
    "report",
    "sof",
    "plot",
    "prisma",
    "cases",
    "appraise",
    "appraisal",
    "export",
    "import",
    "new",
    "validate",
    "schema",
    "terms",
    "formats",
)


def command_module(name: str) -> str:
    return f"calcinosis_cli.cli.commands.{name}_" if name == "import" else f"calcinosis_cli.cli.commands.{name}"


class _ReaderWentAway(Exception):
    """stdout's reader (head, less) closed the pipe; not an OSError, so click lets it through
    (click's main turns EPIPE into exit status 1 even outside standalone mode)."""


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is needed."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise _ReaderWentAway from exc

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            from ..words import did_you_mean

            raise click.UsageError(f"no such command {name!r}{did_you_mean(name, COMMANDS)}", ctx)
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        return getattr(importlib.import_module(command_module(cmd_name)), f"{cmd_name}_command")

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Run the CLI; every failure becomes one line on stderr and an exit code (then exit).

        click's own main() is called without its standalone handling, so that this is the one
        map from exceptions to exit codes, for the console script and for CliRunner alike.
        """
        args = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in args
        code = EXIT_OK
        from .session import Session

        extra.setdefault("obj", Session(args))  # the run's one Session, which knows the command line
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            # With standalone_mode=False click returns the exit code of --help/--version.
            if isinstance(result, int):
                code = result
            # Flush here, inside the try: with a buffered stdout a closed pipe shows only now.
            sys.stdout.flush()
        except (BrokenPipeError, _ReaderWentAway):
            _quiet_broken_pipe()
            code = EXIT_OK
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        except click.exceptions.Abort:
            click.echo("Aborted.", err=True)
            code = EXIT_INTERRUPTED
        except KeyboardInterrupt:
            code = EXIT_INTERRUPTED
        except click.UsageError as exc:
            # click prints a usage block over several lines; one line says the same. A usage
            # error is never a traceback, --debug or not.
            where = exc.ctx.command_path if exc.ctx is not None else "calcinosis"
            click.echo(f"calcinosis: error: {_one_line(exc.format_message())} (see '{where} --help')", err=True)
            code = EXIT_USAGE
        except (CalcinosisError, click.ClickException) as exc:
            if debug and not isinstance(exc, UsageError):
                raise
            message = exc.format_message() if isinstance(exc, click.ClickException) else str(exc)
            click.echo(f"calcinosis: error: {_one_line(message)}", err=True)
            code = exc.exit_code
        except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
            if debug:
                raise
            message = f"{type(exc).__name__}: {_one_line(exc)}"
            click.echo(f"calcinosis: internal error: {message} (run with --debug for details)", err=True)
            code = EXIT_DATA
        sys.exit(code)


@click.group(
    cls=LazyGroup,
    help=f"""Tabulate the published evidence on treatments for calcinosis cutis in systemic
sclerosis and dermatomyositis (Cukierman et al, Ann Rheum Dis 2004, Table 1 and case reports).

{DISCLAIMER}

The options below may also stand after the command (calcinosis list --data FILE).
Exit codes: 0 success, 1 data or validation error, 2 usage error.""",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", "-V", prog_name="calcinosis")
@global_options(root=True)
def cli() -> None:
    pass


def _quiet_broken_pipe() -> None:
    """The reader (head, less) went away: not an error. Point stdout at /dev/null so that no
    later flush, ours or the interpreter's at exit, complains."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _one_line(text: object) -> str:
    return re.sub(r"\s*[\r\n]+\s*", " ", str(text)).strip()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    cli.main(args=sys.argv[1:] if argv is None else argv, prog_name="calcinosis")
