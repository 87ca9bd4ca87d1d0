"""`calcinosis list`: the studies that match the filters, in any output format."""

from __future__ import annotations

import click

from ..options import filter_options, filters_from, global_options, later_option, level_option, output_options
from ..output import RowOutput, emit_rows, print_columns
from ..session import current_session


@click.command("list")
@filter_options
@output_options
@later_option
@level_option
@global_options
@click.pass_context
def list_command(ctx: click.Context, output: RowOutput, no_later: bool, level: int, **kwargs) -> None:
    """List the studies (Table 1 rows and the paper's own series) that match every filter.

    Filters on different fields must all match; a filter given twice matches either value.
    Valid filters that match nothing print an empty table and exit 0.
    """
    from ...analysis.query import COLUMNS, DEFAULT_COLUMNS, LATER_COLUMNS, machine_columns, shape_rows, study_row
    from ...render import MACHINE_FORMATS

    if output.list_columns:
        print_columns(COLUMNS, DEFAULT_COLUMNS)
        return
    filters = filters_from(kwargs)
    session = current_session(ctx)
    ds = session.dataset()
    rows = [study_row(ds, s, level) for s in session.studies(filters)]
    caption = f"{len(rows)} of {len(ds.studies)} rows match" if filters.any() else f"{len(rows)} rows"
    rows, names = shape_rows(
        rows,
        COLUMNS,
        machine_columns(COLUMNS) if output.fmt in MACHINE_FORMATS else DEFAULT_COLUMNS,
        columns=output.columns,
        sort_key=output.sort_key,
        reverse=output.reverse,
        limit=output.limit,
        hide=LATER_COLUMNS if no_later else (),
    )
    emit_rows(rows, names, output, caption=caption)
