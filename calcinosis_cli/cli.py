"""The command line: the command group and the entry point. Commands live in commands/.

Each command is imported only when it runs (click's lazy-loading pattern), so that a run of
`calcinosis list` does not pay for building every other command's options.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from . import __version__
from .errors import EXIT_DATA

DISCLAIMER = "calcinosis tabulates published literature. It gives no medical advice."

# command name -> module in calcinosis_cli.commands that defines it, and the object's name.
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("listing", "list_command"),
    "group": ("grouping", "group_command"),
    "show": ("show", "show_command"),
    "cite": ("cite", "cite_command"),
    "report": ("report", "report_command"),
    "cases": ("cases", "cases_command"),
    "validate": ("validate", "validate_command"),
    "schema": ("validate", "schema_command"),
    "terms": ("terms", "terms_command"),
    "formats": ("terms", "formats_command"),
}


class DataPath(click.Path):
    """A dataset path; in CALCINOSIS_DATA, empty entries (``a.yaml:`` or ``a::b``) are ignored."""

    def split_envvar_value(self, rv: str) -> list[str]:
        return [part for part in rv.split(os.pathsep) if part]


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise click.UsageError(f"no such command {name!r}{hint}", ctx)
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        return getattr(importlib.import_module(f"calcinosis_cli.commands.{module}"), attribute)


@click.group(
    cls=LazyGroup,
    help=f"""Tabulate the published evidence on treatments for calcinosis cutis in systemic
sclerosis and dermatomyositis (Cukierman et al, Ann Rheum Dis 2004, Table 1 and case reports).

{DISCLAIMER}

Exit codes: 0 success, 1 data or validation error, 2 usage error.""",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", "-V", prog_name="calcinosis")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=DataPath(dir_okay=False),
    metavar="PATH",
    envvar="CALCINOSIS_DATA",
    show_envvar=True,
    help="Also load this dataset file (repeatable; in CALCINOSIS_DATA, separate paths with ':').",
)
@click.option("--no-bundled", is_flag=True, help="Use only the --data files, not the bundled dataset.")
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, data: tuple[str, ...], no_bundled: bool, debug: bool) -> None:
    ctx.obj = {"data": data, "no_bundled": no_bundled, "debug": debug}


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI with our exit codes and without tracebacks unless --debug."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        code = cli.main(args=args, prog_name="calcinosis", standalone_mode=False)
        # With standalone_mode=False click returns the exit code of --help/--version.
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        if debug:
            raise
        # click prints a usage block over several lines; one line says the same.
        where = exc.ctx.command_path if exc.ctx is not None else "calcinosis"
        message = " ".join(exc.format_message().split())
        click.echo(f"calcinosis: error: {message} (see '{where} --help')", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        if debug:
            raise
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # The reader (head, less) went away: not an error. Point stdout at devnull so the
        # interpreter's final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
        if debug:
            raise
        click.echo(f"calcinosis: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
        sys.exit(EXIT_DATA)
    sys.exit(0)
