"""The command line: parse options, call load -> query -> render, print. Nothing else."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import click

from . import __version__

DISCLAIMER = "calcinosis tabulates published literature. It gives no medical advice."

EXIT_DATA = 1
EXIT_USAGE = 2


class CalcinosisError(click.ClickException):
    """An error the user can fix, printed as one line with our exit codes."""

    def __init__(self, message: str, exit_code: int = EXIT_DATA):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(f"calcinosis: error: {self.format_message()}", err=True)


# --- shared options -------------------------------------------------------------------------


def filter_options(func: Callable) -> Callable:
    """The filters shared by every command that selects studies."""
    options = [
        click.option("--treatment", "-t", "treatments", multiple=True, metavar="NAME",
                     help="Treatment name, class or alias, any case (repeat to OR): warfarin, bisphosphonate, coumadin."),
        click.option("--diagnosis", "-d", "diagnoses", multiple=True, metavar="TERM",
                     help="Normalised or printed diagnosis; a term also finds narrower ones (repeat to OR)."),
        click.option("--outcome", "outcomes", multiple=True, metavar="OUTCOME",
                     help="Rows with at least one patient improved, unchanged, worsened or not_stated (repeat to OR)."),
        click.option("--design", "designs", multiple=True, metavar="DESIGN",
                     help="case report, case series, open trial phase or placebo-controlled trial (repeat to OR)."),
        click.option("--min-n", type=click.IntRange(min=0), help="At least this many patients."),
        click.option("--max-n", type=click.IntRange(min=0), help="At most this many patients."),
        click.option("--year-from", type=int, help="Published in or after this year."),
        click.option("--year-to", type=int, help="Published in or before this year."),
        click.option("--author", "authors", multiple=True, metavar="TEXT", help="Author name contains TEXT (repeat to OR)."),
        click.option("--search", "search", multiple=True, metavar="TEXT",
                     help="Any text field contains TEXT, any case (repeat to OR)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def output_options(func: Callable) -> Callable:
    """The output options shared by every command that prints rows."""
    options = [
        click.option("--format", "-f", "fmt", metavar="FORMAT",
                     help="table (default on a terminal), plain (default in a pipe), markdown, csv, tsv, json, "
                          "jsonl, or any tabulate format (see 'calcinosis formats')."),
        click.option("--columns", "-c", metavar="A,B,C", help="Columns to show, comma-separated, or 'all'."),
        click.option("--list-columns", is_flag=True, help="List the column names with their meaning, and exit."),
        click.option("--sort", "sort_key", metavar="COLUMN", help="Sort by this column (empty values last)."),
        click.option("--reverse", is_flag=True, help="Reverse the order."),
        click.option("--limit", type=click.IntRange(min=0), help="Show at most this many rows."),
        click.option("--guard-formulas", is_flag=True,
                     help="In csv/tsv, prefix cells starting with = + - @ with ' so spreadsheets do not run them."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(kwargs: dict):
    from .query import Filters

    return Filters(
        treatments=kwargs.pop("treatments"), diagnoses=kwargs.pop("diagnoses"), outcomes=kwargs.pop("outcomes"),
        designs=kwargs.pop("designs"), min_n=kwargs.pop("min_n"), max_n=kwargs.pop("max_n"),
        year_from=kwargs.pop("year_from"), year_to=kwargs.pop("year_to"), authors=kwargs.pop("authors"),
        search=kwargs.pop("search"),
    )


def _load(ctx: click.Context):
    from .load import DataError, bundled_paths, load_dataset

    state = ctx.find_root().obj or {}
    paths = [] if state.get("no_bundled") else bundled_paths()
    paths += list(state.get("data", ()))
    if not paths:
        raise CalcinosisError("no data: --no-bundled needs at least one --data file", EXIT_USAGE)
    try:
        return load_dataset(paths)
    except DataError as err:
        raise CalcinosisError(str(err), EXIT_DATA) from err


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _wants_color() -> bool | None:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return None


def emit_rows(rows, columns, fmt: str | None, guard_formulas: bool = False, title: str | None = None) -> None:
    """Print rows: a rich table on a terminal, text in every other case."""
    from .render import FormatError, render_rows

    terminal = _stdout_is_terminal()
    color = _wants_color()
    fmt = fmt or ("table" if terminal and os.environ.get("TERM") != "dumb" else "plain")
    if fmt == "table" and (terminal or color):
        from .render.terminal import make_console, rows_table

        make_console(color=color).print(rows_table(rows, columns, title))
        return
    try:
        text = render_rows(rows, columns, fmt, guard_formulas=guard_formulas)
    except FormatError as err:
        raise CalcinosisError(str(err), EXIT_USAGE) from err
    click.echo(text, nl=False)


def _print_columns() -> None:
    from .query import COLUMNS, DEFAULT_COLUMNS

    width = max(map(len, COLUMNS))
    for name, meaning in COLUMNS.items():
        mark = "*" if name in DEFAULT_COLUMNS else " "
        click.echo(f"{mark} {name:<{width}}  {meaning}")
    click.echo("(* shown by default in table, plain and markdown; csv, tsv, json and jsonl show all)")


# --- commands -------------------------------------------------------------------------------


@click.group(
    help=f"""Tabulate the published evidence on treatments for calcinosis cutis in systemic
sclerosis and dermatomyositis (Cukierman et al, Ann Rheum Dis 2004, Table 1 and case reports).

{DISCLAIMER}

Exit codes: 0 success, 1 data or validation error, 2 usage error.""",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", "-V", prog_name="calcinosis")
@click.option("--data", "data", multiple=True, type=click.Path(dir_okay=False), metavar="PATH",
              help="Also load this dataset file (repeatable).")
@click.option("--no-bundled", is_flag=True, help="Use only the --data files, not the bundled dataset.")
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, data: tuple[str, ...], no_bundled: bool, debug: bool) -> None:
    ctx.obj = {"data": data, "no_bundled": no_bundled, "debug": debug}


@cli.command("list")
@filter_options
@output_options
@click.pass_context
def list_command(ctx: click.Context, fmt, columns, list_columns, sort_key, reverse, limit, guard_formulas, **kwargs) -> None:
    """List the studies (Table 1 rows and the paper's own series) that match every filter.

    Filters on different fields must all match; a filter given twice matches either value.
    Valid filters that match nothing print an empty table and exit 0.
    """
    from .query import DEFAULT_COLUMNS, COLUMNS, QueryError, parse_columns, sort_rows, studies_matching, study_row
    from .render import MACHINE_FORMATS

    if list_columns:
        _print_columns()
        return
    filters = _filters(kwargs)
    ds = _load(ctx)
    try:
        default = tuple(COLUMNS) if fmt in MACHINE_FORMATS else DEFAULT_COLUMNS
        names = parse_columns(columns, default)
        rows = [study_row(ds, s) for s in studies_matching(ds, filters)]
        rows = sort_rows(rows, sort_key, reverse)
    except QueryError as err:
        raise CalcinosisError(str(err), EXIT_USAGE) from err
    if limit is not None:
        rows = rows[:limit]
    emit_rows(rows, names, fmt, guard_formulas)


@cli.command("terms")
@click.argument("kind", type=click.Choice(["treatment", "diagnosis", "outcome", "design", "class"]))
@click.pass_context
def terms_command(ctx: click.Context, kind: str) -> None:
    """List the terms a filter accepts, with aliases (treatment, diagnosis, outcome, design, class)."""
    from . import model

    if kind in ("outcome", "design", "class"):
        values = {"outcome": model.OUTCOMES, "design": model.DESIGNS, "class": model.TREATMENT_CLASSES}[kind]
        for value in values:
            click.echo(value)
        return
    ds = _load(ctx)
    if kind == "treatment":
        for t in ds.treatments.values():
            aliases = f"  (also: {', '.join(t.aliases)})" if t.aliases else ""
            click.echo(f"{t.id}  [{t.treatment_class}]{aliases}")
    else:
        for d in ds.diagnoses.values():
            extra = []
            if d.aliases:
                extra.append(f"also: {', '.join(d.aliases)}")
            if d.broader:
                extra.append(f"found by: {d.broader}")
            click.echo(d.id + (f"  ({'; '.join(extra)})" if extra else ""))


@cli.command("formats")
def formats_command() -> None:
    """List the output formats --format accepts."""
    from .render import all_formats

    for name in all_formats():
        click.echo(name)


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
