"""`calcinosis group`: crude outcome tallies per group of studies."""

from __future__ import annotations

import click

from ..options import Choice, filter_options, filters_from, global_options, later_option, level_option, output_options
from ..output import RowOutput, emit_rows, print_columns
from ..session import current_session
from ..synthesis import GROUP_BY


@click.command("group")
@click.option(
    "--by",
    "by",
    required=True,
    metavar="FIELD",
    type=Choice(GROUP_BY),
    help=f"{', '.join(GROUP_BY[:-1])} or {GROUP_BY[-1]}.",
)
@filter_options
@output_options
@later_option
@level_option
@global_options
@click.pass_context
def group_command(ctx: click.Context, by: str, output: RowOutput, no_later: bool, level: int, **kwargs) -> None:
    """Crude tally per group: studies, patients, and patients improved, unchanged, worsened or
    not stated, with the share improved among those whose outcome is stated.

    This is a crude count of what the sources print, not a meta-analysis. Rows with two
    diagnoses whose split is not stated form their own diagnosis group. Table and Markdown
    output end with a total row; json gives one object per group.
    """
    from ..query import machine_columns, shape_rows
    from ..render import MACHINE_FORMATS
    from ..synthesis import GROUP_COLUMNS, HUMAN_GROUP_COLUMNS, group_order, group_studies, total_row

    if output.list_columns:
        print_columns(GROUP_COLUMNS, HUMAN_GROUP_COLUMNS)
        return
    filters = filters_from(kwargs)
    session = current_session(ctx)
    ds = session.dataset()
    studies = session.studies(filters)
    order = group_order(by)
    rows = sorted(group_studies(ds, studies, by, level), key=lambda r: order(r["group"]))
    rows, names = shape_rows(
        rows,
        GROUP_COLUMNS,
        machine_columns(GROUP_COLUMNS) if output.fmt in MACHINE_FORMATS else HUMAN_GROUP_COLUMNS,
        columns=output.columns,
        sort_key=output.sort_key or ("group" if output.reverse else None),
        reverse=output.reverse,
        limit=output.limit,
        hide=("later",) if no_later else (),
        orders={"group": order},
    )
    if (output.fmt or "") not in MACHINE_FORMATS and rows:
        rows = rows + [total_row(rows, level)]
    caption = f"{len(studies)} of {len(ds.studies)} rows in {sum(1 for r in rows if r['group'] != 'Total')} groups"
    emit_rows(rows, names, output, title=f"Crude tally by {by} (not a meta-analysis)", caption=caption)
