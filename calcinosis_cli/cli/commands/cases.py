"""`calcinosis cases`: the patient-level records of the source paper's case reports."""

from __future__ import annotations

import click

from ..options import global_options, output_options
from ..output import RowOutput, TableSpec, emit_table
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

    session = current_session(ctx)

    def rows() -> list[dict[str, object]]:
        return [case_row(c) for c in cases_matching(session.dataset(), **filters)]

    def caption(rows: list, shown: list) -> str:
        return f"{len(rows)} of {len(session.dataset().cases)} cases"

    emit_table(TableSpec(rows, CASE_COLUMNS, DEFAULT_CASE_COLUMNS, caption), output)
