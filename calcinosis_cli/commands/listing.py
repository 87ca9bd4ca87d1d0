"""`calcinosis list`: the studies that match the filters, in any output format."""

from __future__ import annotations

import click

from ..errors import EXIT_USAGE, CalcinosisError
from ..options import dataset_from_context, filter_options, filters_from, later_option, output_options
from ..output import emit_rows, print_columns


@click.command("list")
@filter_options
@output_options
@later_option
@click.pass_context
def list_command(
    ctx: click.Context, fmt, columns, list_columns, sort_key, reverse, limit, guard_formulas, no_later, **kwargs
) -> None:
    """List the studies (Table 1 rows and the paper's own series) that match every filter.

    Filters on different fields must all match; a filter given twice matches either value.
    Valid filters that match nothing print an empty table and exit 0.
    """
    from ..query import (
        COLUMNS,
        DEFAULT_COLUMNS,
        LATER_COLUMNS,
        QueryError,
        parse_columns,
        sort_rows,
        studies_matching,
        study_row,
    )
    from ..render import MACHINE_FORMATS

    if list_columns:
        print_columns(COLUMNS, DEFAULT_COLUMNS)
        return
    filters = filters_from(kwargs)
    ds = dataset_from_context(ctx)
    try:
        default = tuple(COLUMNS) if fmt in MACHINE_FORMATS else DEFAULT_COLUMNS
        names = parse_columns(columns, default)
        if no_later:
            names = [n for n in names if n not in LATER_COLUMNS]
        rows = [study_row(ds, s) for s in studies_matching(ds, filters)]
        rows = sort_rows(rows, sort_key, reverse)
    except QueryError as err:
        raise CalcinosisError(str(err), EXIT_USAGE) from err
    if limit is not None:
        rows = rows[:limit]
    emit_rows(rows, names, fmt, guard_formulas)
