"""`calcinosis report`: an evidence summary of the selected studies (Markdown, HTML or a preview)."""

from __future__ import annotations

import os

import click

from ...errors import UsageError
from ..options import Choice, filter_options, filters_from, global_options, later_option, level_option
from ..output import echo_text, print_renderable, rich_terminal, stdout_is_terminal, terminal_width, write_file
from ..session import current_session

# Figures in a Word report: PNG at print resolution.
PRINT_DPI = 300

REPORT_FORMATS = ("markdown", "html", "docx", "preview")


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
    help="markdown (the default in a pipe), html (one self-contained page), docx (a Word document, with "
    "--output; needs calcinosis[docx]), or preview (the default on a terminal: drawn for the terminal).",
)
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE (atomically) instead of stdout.")
@click.option(
    "--figures",
    "figures_dir",
    metavar="DIR",
    help="Markdown: also write forest.svg and map.svg into DIR (created if missing) and link them. HTML always "
    "holds its figures inline. Needs calcinosis[plot].",
)
@click.option("--force", is_flag=True, help="Replace --output FILE, or figure files in DIR, if they exist.")
@level_option
@global_options
@click.pass_context
def report_command(
    ctx: click.Context,
    no_later: bool,
    date: str | None,
    fmt: str | None,
    output: str | None,
    figures_dir: str | None,
    force: bool,
    level: int,
    **kwargs,
) -> None:
    """An evidence summary to paste into a review: provenance, a section per treatment with
    rows, tallies and their exact intervals, footnotes and numbered references, the paper's
    own observation on who responded, and a scope statement. Takes the same filters as 'list'.

    One report, written as Markdown (GitHub and pandoc), as a self-contained HTML page, or
    drawn as a preview for the terminal."""
    from ...documents.evidence_report import build_report
    from ..output import refuse_existing

    fmt = fmt or ("markdown" if output or not rich_terminal() else "preview")
    if fmt == "preview" and output:
        raise UsageError("--format preview is for a terminal; write markdown or html to --output")
    if figures_dir and fmt != "markdown":
        raise UsageError("--figures goes with --format markdown (HTML and Word reports hold their figures inline)")
    if fmt == "docx" and output is None and stdout_is_terminal():
        raise UsageError("--format docx writes a Word file: give --output FILE (or redirect stdout to a file)")
    if output is not None:
        refuse_existing(output, force)
    filters = filters_from(kwargs)
    session = current_session(ctx)
    ds = session.dataset()
    studies = session.studies(filters)
    provenance = session.provenance(date or _today())
    if fmt == "docx":
        from ...render.document.docx import _docx

        _docx()  # the one-line message before any work, when python-docx is missing
    figures, images = [], {}
    if studies and (figures_dir or fmt in ("html", "docx")):
        figures = _figures(ds, studies, figures_dir, force, level, inline=fmt == "html", output=output, images=images)
    sections = _certainty_sections(ds, studies, level)
    report = build_report(ds, studies, provenance, later=not no_later, figures=figures, level=level, sections=sections)
    if fmt == "preview":
        from ...render.document.terminal import report_renderable

        print_renderable(report_renderable(report, terminal_width()))
        return
    if fmt == "docx":
        from ...render.document.docx import render_report_docx

        write_file(output or "-", render_report_docx(report, images), force)
        return
    if fmt == "html":
        from ...render.document.html import render_report_html

        text = render_report_html(report)
    else:
        from ...render.document.markdown import render_report_markdown

        text = render_report_markdown(report)
    if output is not None:
        write_file(output, text.encode("utf-8"), force)
    else:
        echo_text(text, fmt)


def _certainty_sections(ds, studies, level: int) -> list:
    """The Summary of Findings and the certainty section, when the data hold entries for these rows."""
    if not ds.certainty:
        return []
    from ...certainty.findings import entries_for, findings
    from ...documents.summary_of_findings import certainty_section

    found = findings(ds, entries_for(ds, studies), level)
    return [certainty_section(found)] if found else []


def _figures(
    ds, studies, folder: str | None, force: bool, level: int, inline: bool, output: str | None, images: dict
) -> list:
    """The forest plot and the evidence map: written into ``folder`` (Markdown), inlined (HTML),
    or drawn as PNG at print resolution into ``images`` by kind (Word). A written figure is
    linked by its path from the report's own folder (``output``'s, else here)."""
    from ... import figures
    from ...documents.evidence_report import Figure

    if folder is not None:
        parent = os.path.dirname(os.path.abspath(folder))
        if not os.path.isdir(parent):
            raise UsageError(f"--figures {folder}: the folder {parent} does not exist")
        os.makedirs(folder, exist_ok=True)
    blocks = []
    for kind, figure in (
        ("forest", figures.build("forest", ds, studies, by="treatment", level=level)),
        ("map", figures.build("map", ds, studies)),
    ):
        caption = f"{figure.title}. {figure.provenance.caption()}"
        alt = figures.alt_text(figure)
        if folder is None and not inline:
            images[kind] = figures.render(figure, "png", dpi=PRINT_DPI)
            blocks.append(Figure(kind, alt, caption))
            continue
        svg = figures.render(figure, "svg")
        if inline:
            blocks.append(Figure(kind, alt, caption, svg=svg.decode("utf-8")))
        else:
            path = os.path.join(folder, f"{kind}.svg")  # type: ignore[arg-type]
            write_file(path, svg, force)
            base = os.path.dirname(os.path.abspath(output)) if output and output != "-" else os.getcwd()
            link = os.path.relpath(os.path.abspath(path), base)
            blocks.append(Figure(kind, alt, caption, path=link.replace(os.sep, "/")))
    return blocks


def _today() -> str:
    import datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.date.today().isoformat()
