"""`calcinosis report`: a Markdown evidence summary of the selected studies."""

from __future__ import annotations

import os

import click

from ..errors import UsageError
from ..options import Choice, filter_options, filters_from, global_options, later_option, level_option
from ..output import echo_text, print_renderable, rich_terminal, terminal_width
from ..session import current_session

REPORT_FORMATS = ("markdown", "preview")


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    import datetime

    if value is not None:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise UsageError(f"--date {value!r} is not a date of the form YYYY-MM-DD") from None
    return value


@click.command("report")
@filter_options
@later_option
@click.option(
    "--date",
    "date",
    metavar="YYYY-MM-DD",
    callback=_check_date,
    help="Date for the provenance line (default: today, or SOURCE_DATE_EPOCH if set).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=Choice(REPORT_FORMATS),
    help="markdown (the default in a pipe), or preview (the default on a terminal: drawn for the terminal).",
)
@level_option
@global_options
@click.pass_context
def report_command(ctx: click.Context, no_later: bool, date: str | None, fmt: str | None, level: int, **kwargs) -> None:
    """An evidence summary to paste into a review: provenance, a section per treatment with
    rows, tallies, footnotes and numbered references, the paper's own observation on who
    responded, and a scope statement. Takes the same filters as 'list'.

    The same report is Markdown (GitHub and pandoc) or a preview drawn for the terminal."""
    from .. import __version__ as tool_version
    from ..render.report_markdown import render_report_markdown
    from ..report import Provenance, build_report

    filters = filters_from(kwargs)
    session = current_session(ctx)
    ds = session.dataset()
    studies = session.studies(filters)
    command = " ".join(
        part for part in ("calcinosis report", filters.describe(), "--no-later-evidence" if no_later else "") if part
    )
    provenance = Provenance(tool_version, ds.version, command, date or _today())
    report = build_report(ds, studies, provenance, later=not no_later, level=level)
    fmt = fmt or ("preview" if rich_terminal() else "markdown")
    if fmt == "preview":
        from ..render.report_terminal import report_renderable

        print_renderable(report_renderable(report, terminal_width()))
    else:
        echo_text(render_report_markdown(report), "markdown")


def _today() -> str:
    import datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.date.today().isoformat()
