"""`calcinosis prisma FILE`: the PRISMA 2020 flow diagram of a reviewer's numbers, checked."""

from __future__ import annotations

import click

from ..figure_blocks import emit_figure, figure_file_format
from ..options import figure_file_options, global_options
from ..session import current_session


@click.command("prisma")
@click.argument("file", metavar="FILE", type=click.Path(dir_okay=False))
@click.option(
    "--no-check",
    "no_check",
    is_flag=True,
    help="Draw the diagram even where its numbers do not add up (each failure is then a note on stderr).",
)
@figure_file_options
@global_options
@click.pass_context
def prisma_command(
    ctx: click.Context,
    file: str,
    no_check: bool,
    output: str | None,
    force: bool,
    width: float | None,
    height: float | None,
    dpi: int,
    title: str | None,
) -> None:
    """Draw the PRISMA 2020 flow diagram of FILE, once its numbers add up.

    FILE is the PRISMA2020 package's CSV template as reviewers fill it (keys in 'data',
    numbers in 'n', reasons as 'Reason1, 12; Reason2, 3'; write one with 'calcinosis new
    flow.csv'), a YAML file with the same keys (database_results: 312, dbr_excluded: {"wrong
    population": 12}), or a data file with a flow: section. Every sum is checked: identified
    minus removed is screened, screened minus excluded is sought, sought minus not retrieved
    is assessed, assessed minus the reasons is included (both columns), totals add the
    previous studies. A box that disagrees is one line naming the boxes and numbers (exit 1);
    --no-check draws anyway.

    In a terminal the diagram is drawn with text; in a pipe it is plain text with every
    number. --output FILE writes SVG, PNG or PDF (pip install 'calcinosis[plot]'). The
    numbers are the reviewer's: the tool only adds them up."""

    file_format = figure_file_format(output)
    figure = checked_flow_figure(ctx, file, no_check)
    size = {"width": width, "height": height, "dpi": dpi, "title": title, "force": force}
    emit_figure(figure, output, file_format, size, pipe_width=80)


def checked_flow_figure(ctx: click.Context, path: str, no_check: bool = False):
    """The diagram of the flow in ``path``, its sums checked: a failure is an error (exit 1)
    unless ``no_check``, then a note; what the sums cannot settle, and how the included
    studies compare with the loaded data, are notes on stderr."""
    import hashlib
    import os

    from ... import __version__, prisma
    from ...dataset.files import read_file_bytes
    from ...errors import DataError
    from ...figures.prisma import FlowProvenance, build

    session = current_session(ctx)
    data = read_file_bytes(path)
    try:
        flow = prisma.read_flow_bytes(path, data)
    except DataError as err:
        _all_but_last(err.problems)
        raise DataError(str(err.problems[-1]) if len(err.problems) > 1 else str(err), err.problems) from None
    failures = prisma.check_flow(flow)
    if failures and not no_check:
        _all_but_last([failure.message for failure in failures])
        more = f" ({len(failures)} sums do not add up; --no-check draws it anyway)" if len(failures) > 1 else ""
        raise DataError(failures[-1].message + more)
    notes = [failure.message + " (drawn with --no-check)" for failure in failures] + prisma.flow_notes(flow)
    notes += _studies_note(session, flow)
    if not session.quiet:
        for note in notes:
            click.echo(f"calcinosis: note: {note}", err=True)
    provenance = FlowProvenance(__version__, os.path.basename(path), hashlib.sha256(data).hexdigest(), len(failures))
    return build(flow, provenance)


def _all_but_last(lines) -> None:
    """Every problem but the last on stderr; the last is the error the command ends with."""
    for line in list(lines)[:-1]:
        click.echo(f"calcinosis: error: {line}", err=True)


def _studies_note(session, flow) -> list[str]:
    """The flow's included studies beside the loaded data's (a note: the data may hold more or
    less than the review)."""
    from ...prisma.read import shows_previous

    key = "total_studies" if shows_previous(flow) and flow.number("total_studies") is not None else "new_studies"
    included = flow.number(key)
    if included is None or (session.no_bundled and not session.data):
        return []
    studies = session.dataset().studies
    references = len({study.reference for study in studies})
    if included == references:
        return []
    return [
        f"the flow includes {included} studies ({key}); the loaded data holds {len(studies)} study rows from "
        f"{references} references (not an error: the data may hold more or less than the review)"
    ]


def prisma_report_section(
    ctx: click.Context, path: str, fmt: str, folder: str | None, force: bool, output, images: dict | None = None
):
    """The report's section for the flow in ``path`` (report --prisma): its diagram checked, as
    an inline SVG (html), a PNG (docx), else as text, and with --figures also written as
    prisma.svg."""
    import os

    from ... import figures
    from ...documents.prisma import flow_section
    from ..figure_blocks import place_figure

    figure = checked_flow_figure(ctx, path)
    block = place_figure(figure, "prisma", folder, force, fmt == "html", output, images if fmt == "docx" else None)
    if fmt != "html":
        block = block._replace(text=figures.figure_text(figure, 80))
    return flow_section(block, os.path.basename(path))
