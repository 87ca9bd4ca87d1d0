"""`calcinosis cases`: the patient-level records of the source paper's case reports."""

from __future__ import annotations

import click

from ..errors import usage_errors
from ..options import dataset_from_context, output_options
from ..output import emit_rows, print_columns


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
@click.pass_context
def cases_command(
    ctx: click.Context,
    responses,
    subtypes,
    max_lesion_cm,
    min_lesion_cm,
    min_age,
    max_age,
    fmt,
    columns,
    list_columns,
    sort_key,
    reverse,
    limit,
    guard_formulas,
) -> None:
    """The patient-level records of the source paper's three case reports."""
    from ..detail import CASE_COLUMNS, DEFAULT_CASE_COLUMNS, case_row, cases_matching
    from ..query import parse_columns, sort_rows
    from ..render import MACHINE_FORMATS

    if list_columns:
        print_columns(CASE_COLUMNS, DEFAULT_CASE_COLUMNS)
        return
    ds = dataset_from_context(ctx)
    cases = usage_errors(cases_matching, ds, responses, max_lesion_cm, min_lesion_cm, subtypes, min_age, max_age)
    default = CASE_COLUMNS if fmt in MACHINE_FORMATS else DEFAULT_CASE_COLUMNS
    names = usage_errors(parse_columns, columns, default, CASE_COLUMNS)
    rows = usage_errors(sort_rows, [case_row(c) for c in cases], sort_key, reverse, CASE_COLUMNS)
    if limit is not None:
        rows = rows[:limit]
    emit_rows(rows, names, fmt, guard_formulas)
