"""`calcinosis cases`: the patient-level records of the source paper's case reports."""

from __future__ import annotations

import click

from ..options import global_options, output_options
from ..output import RowOutput, emit_rows, print_columns
from ..session import current_session


@click.command("cases")
@click.option(
    "--response",
    "responses",
    multiple=True,
    metavar="RESPONSE",
    help="complete resolution or no change (repeat to OR).",
)
@click.option("--subtype", "subtypes", multiple=True, metavar="SUBTYPE", help="limited cutaneous or diffuse cutaneous.")
@click.option("--max-lesion-cm", type=click.FloatRange(min=0), help="Largest lesion at most this many cm.")
@click.option("--min-lesion-cm", type=click.FloatRange(min=0), help="Largest lesion at least this many cm.")
@click.option("--min-age", type=click.IntRange(min=0), help="At least this age in years.")
@click.option("--max-age", type=click.IntRange(min=0), help="At most this age in years.")
@output_options
@global_options
@click.pass_context
def cases_command(ctx: click.Context, output: RowOutput, **filters) -> None:
    """The patient-level records of the source paper's three case reports."""
    from ...analysis.cases import CASE_COLUMNS, DEFAULT_CASE_COLUMNS, case_row, cases_matching
    from ...analysis.query import shape_rows
    from ...render import MACHINE_FORMATS

    if output.list_columns:
        print_columns(CASE_COLUMNS, DEFAULT_CASE_COLUMNS)
        return
    ds = current_session(ctx).dataset()
    cases = cases_matching(ds, **filters)
    caption = f"{len(cases)} of {len(ds.cases)} cases"
    rows, names = shape_rows(
        [case_row(c) for c in cases],
        CASE_COLUMNS,
        CASE_COLUMNS if output.fmt in MACHINE_FORMATS else DEFAULT_CASE_COLUMNS,
        columns=output.columns,
        sort_key=output.sort_key,
        reverse=output.reverse,
        limit=output.limit,
    )
    emit_rows(rows, names, output, caption=caption)
