"""`calcinosis list`: the studies that match the filters, in any output format."""

from __future__ import annotations

import click

from ..options import filter_options, filters_from, global_options, later_option, level_option, output_options
from ..output import RowOutput, TableSpec, emit_table
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
    from ...analysis.rows import COLUMNS, DEFAULT_COLUMNS, LATER_COLUMNS, NOTE_COLUMNS, study_rows

    filters = filters_from(kwargs)
    session = current_session(ctx)

    def rows() -> list[dict[str, object]]:
        ds = session.dataset()
        return study_rows(ds, session.studies(filters), level)

    def caption(rows: list, shown: list) -> str:
        total = len(session.dataset().studies)
        return f"{len(rows)} of {total} rows match" if filters.any() else f"{len(rows)} rows"

    spec = TableSpec(
        rows,
        COLUMNS,
        DEFAULT_COLUMNS,
        caption,
        hide=LATER_COLUMNS if no_later else (),
        notes=dict.fromkeys(NOTE_COLUMNS),
    )
    emit_table(spec, output)
