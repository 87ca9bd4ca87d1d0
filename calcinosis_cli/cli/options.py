"""Options shared by several commands, written once (sqlite-utils' ``output_options`` pattern)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence

import click

from .completion import complete_diagnosis, complete_format, complete_treatment
from .session import current_session


def _apply(func: Callable, options: Sequence[Callable]) -> Callable:
    for option in reversed(options):
        func = option(func)
    return func


# --- fixed choices with "did you mean" ---------------------------------------------------------


class Choice(click.Choice):
    """click.Choice whose error is our one-line style, with the close match offered."""

    def convert(self, value, param, ctx):
        if value in self.choices:
            return value
        from ..words import did_you_mean

        hint = did_you_mean(str(value), self.choices)
        self.fail(f"unknown value {value!r}{hint} (choose from: {', '.join(self.choices)})", param, ctx)


# --- global options: before or after the subcommand ------------------------------------------


class DataPath(click.Path):
    """A dataset path that must exist and be a readable file or folder (else a usage error, exit
    2); a folder stands for every ``*.yaml`` file under it (see dataset.files.folder_files).

    In CALCINOSIS_DATA, paths are separated by ':' and empty entries are ignored.
    """

    def __init__(self) -> None:
        super().__init__(exists=True, dir_okay=True, readable=True)

    def split_envvar_value(self, rv: str) -> list[str]:
        return [part for part in rv.split(os.pathsep) if part]


def _add_data(ctx: click.Context, param: click.Parameter, value) -> None:
    if value:
        current_session(ctx).add_data(value)


def _set_flag(ctx: click.Context, param: click.Parameter, value) -> None:
    if value:
        setattr(current_session(ctx), param.name, True)


def global_options(func: Callable | None = None, *, root: bool = False) -> Callable:
    """--data, --no-bundled, --debug and --quiet, on the group (root=True) and on every command."""

    def decorate(f: Callable) -> Callable:
        extra = {"envvar": "CALCINOSIS_DATA", "show_envvar": True} if root else {}
        return _apply(
            f,
            [
                click.option(
                    "--data",
                    multiple=True,
                    type=DataPath(),
                    metavar="PATH",
                    expose_value=False,
                    callback=_add_data,
                    help="Also load this dataset file, or every *.yaml file under this folder (repeatable; in "
                    "CALCINOSIS_DATA, separate paths with ':').",
                    **extra,
                ),
                click.option(
                    "--no-bundled",
                    "no_bundled",
                    is_flag=True,
                    expose_value=False,
                    callback=_set_flag,
                    help="Use only the --data files, not the bundled dataset.",
                ),
                click.option(
                    "--quiet",
                    "-q",
                    "quiet",
                    is_flag=True,
                    expose_value=False,
                    callback=_set_flag,
                    help="No progress display or notes on stderr.",
                ),
                click.option(
                    "--debug",
                    "debug",
                    is_flag=True,
                    expose_value=False,
                    callback=_set_flag,
                    help="Show Python tracebacks of internal errors (for bug reports).",
                ),
            ],
        )

    return decorate(func) if func is not None else decorate


# --- selecting studies -------------------------------------------------------------------------


def filter_options(func: Callable, rob: bool = True) -> Callable:
    """The filters shared by every command that selects studies (``rob``: with --rob, which
    `plot` leaves out, as its own --rob shows the judgements on a forest plot)."""
    return _apply(
        func,
        [
            click.option(
                "--treatment",
                "-t",
                "treatments",
                multiple=True,
                metavar="NAME",
                shell_complete=complete_treatment,
                help="Treatment name, class or alias, any case (repeat to OR): warfarin, bisphosphonate, coumadin.",
            ),
            click.option(
                "--diagnosis",
                "-d",
                "diagnoses",
                multiple=True,
                metavar="TERM",
                shell_complete=complete_diagnosis,
                help="Normalised or printed diagnosis; a term also finds narrower ones (repeat to OR).",
            ),
            click.option(
                "--outcome",
                "outcomes",
                multiple=True,
                metavar="OUTCOME",
                help="Rows with at least one treated patient improved, unchanged, worsened, not_improved or "
                "not_stated (repeat to OR).",
            ),
            click.option(
                "--design",
                "designs",
                multiple=True,
                metavar="DESIGN",
                help="A study design (see 'calcinosis terms design'; repeat to OR).",
            ),
            click.option("--min-n", type=click.IntRange(min=0), help="At least this many patients (N as printed)."),
            click.option("--max-n", type=click.IntRange(min=0), help="At most this many patients (N as printed)."),
            click.option("--year-from", type=int, help="Published in or after this year."),
            click.option("--year-to", type=int, help="Published in or before this year."),
            click.option(
                "--author", "authors", multiple=True, metavar="TEXT", help="Author name contains TEXT (repeat to OR)."
            ),
            click.option(
                "--search",
                "search",
                multiple=True,
                metavar="TEXT",
                help="Any text field contains TEXT, any case (repeat to OR).",
            ),
            *([ROB_FILTER] if rob else []),
        ],
    )


ROB_FILTER = click.option(
    "--rob",
    "rob",
    multiple=True,
    metavar="JUDGEMENT",
    help="The reviewer's overall risk-of-bias judgement (consensus preferred): low, moderate, high, unclear, or "
    "unappraised (repeat to OR).",
)


def filters_from(kwargs: dict):
    """Pop the filter options out of a command's keyword arguments."""
    from ..analysis.select import Filters

    return Filters(**{name: kwargs.pop(name) for name in Filters._fields if name in kwargs})


# --- printing rows ------------------------------------------------------------------------------


def output_options(func: Callable) -> Callable:
    """The output options shared by every command that prints rows, passed as ``output``."""
    from .output import RowOutput

    @functools.wraps(func)
    def with_output(*args, **kwargs):
        kwargs["output"] = RowOutput(**{name: kwargs.pop(name) for name in RowOutput._fields})
        return func(*args, **kwargs)

    return _apply(
        with_output,
        [
            click.option(
                "--format",
                "-f",
                "fmt",
                metavar="FORMAT",
                shell_complete=complete_format,
                help="table (default on a terminal), plain (default in a pipe), markdown, csv, tsv, json, "
                "jsonl, or any tabulate format (see 'calcinosis formats').",
            ),
            click.option("--columns", "-c", metavar="A,B,C", help="Columns to show, comma-separated, or 'all'."),
            click.option("--list-columns", is_flag=True, help="List the column names with their meaning, and exit."),
            click.option("--sort", "sort_key", metavar="COLUMN", help="Sort by this column (empty values last)."),
            click.option("--reverse", is_flag=True, help="Reverse the order."),
            click.option("--limit", type=click.IntRange(min=0), help="Show at most this many rows."),
            click.option(
                "--guard-formulas",
                is_flag=True,
                help="In csv/tsv, prefix cells starting with = + - @ with ' so spreadsheets do not run them.",
            ),
        ],
    )


def _level(ctx: click.Context, param: click.Parameter, value: str | None) -> int:
    from ..stats.binomial import DEFAULT_LEVEL

    return DEFAULT_LEVEL if value is None else int(value)


def level_option(func: Callable) -> Callable:
    """--level: the confidence level of the exact intervals, passed as ``level`` (an int)."""
    return click.option(
        "--level",
        "level",
        type=Choice(["90", "95", "99"]),
        callback=_level,
        help="Confidence level of the exact (Clopper-Pearson) intervals, in percent: 90, 95 (default) or 99.",
    )(func)


def later_option(func: Callable) -> Callable:
    return click.option(
        "--no-later-evidence", "no_later", is_flag=True, help="Hide the marks and statements of later reviews."
    )(func)


def figure_file_options(func: Callable) -> Callable:
    """--output FILE (SVG, PNG or PDF by its suffix), --force, --width, --height, --dpi and
    --title: how a figure is written to a file (plot, prisma)."""
    return _apply(
        func,
        (
            click.option(
                "--output",
                "-o",
                metavar="FILE",
                help="Write the figure to FILE: SVG, PNG or PDF by its suffix (needs calcinosis[plot]).",
            ),
            click.option("--force", is_flag=True, help="Replace --output FILE if it exists."),
            click.option("--width", type=click.FloatRange(min=1, max=40), help="Figure width in inches (--output)."),
            click.option("--height", type=click.FloatRange(min=1, max=40), help="Figure height in inches (--output)."),
            click.option(
                "--dpi", type=click.IntRange(min=50, max=1200), default=200, show_default=True, help="PNG resolution."
            ),
            click.option("--title", metavar="TEXT", help="A title of your own (--output)."),
        ),
    )


# --- dates for the provenance line ---------------------------------------------------------------


def check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--date: a date of the form YYYY-MM-DD, else a usage error."""
    import datetime

    from ..errors import UsageError

    if value is not None:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise UsageError(f"--date {value!r} is not a date of the form YYYY-MM-DD") from None
    return value


def today() -> str:
    """Today's date, or SOURCE_DATE_EPOCH's where it is set (reproducible builds)."""
    import datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.date.today().isoformat()
