"""`calcinosis group`: crude outcome tallies per group of studies."""

from __future__ import annotations

import click

from ..errors import usage_errors
from ..group import GROUP_BY
from ..options import dataset_from_context, filter_options, filters_from, later_option, output_options
from ..output import emit_rows, print_columns


@click.command("group")
@click.option(
    "--by",
    "by",
    required=True,
    metavar="FIELD",
    type=click.Choice(GROUP_BY),
    help="treatment, class, diagnosis, design, level, outcome, decade or reference.",
)
@filter_options
@output_options
@later_option
@click.pass_context
def group_command(
    ctx: click.Context, by, fmt, columns, list_columns, sort_key, reverse, limit, guard_formulas, no_later, **kwargs
) -> None:
    """Crude tally per group: studies, patients, and patients improved, unchanged, worsened or
    not stated, with the share improved among those whose outcome is stated.

    This is a crude count of what the sources print, not a meta-analysis. Rows with two
    diagnoses whose split is not stated form their own diagnosis group. Table and Markdown
    output end with a total row; json gives one object per group.
    """
    from ..group import GROUP_COLUMNS, group_sort_key, group_studies, total_row
    from ..query import parse_columns, sort_rows, studies_matching
    from ..render import MACHINE_FORMATS

    if list_columns:
        print_columns(GROUP_COLUMNS, GROUP_COLUMNS)
        return
    filters = filters_from(kwargs)
    ds = dataset_from_context(ctx)
    studies = usage_errors(studies_matching, ds, filters)
    default = [c for c in GROUP_COLUMNS if not (no_later and c == "later")]
    names = usage_errors(parse_columns, columns, default, GROUP_COLUMNS)
    rows = sorted(group_studies(ds, studies, by), key=group_sort_key(by))
    if sort_key is not None or reverse:
        rows = usage_errors(sort_rows, rows, sort_key or "group", reverse, GROUP_COLUMNS)
        if sort_key in (None, "group"):
            rows = sorted(rows, key=group_sort_key(by), reverse=reverse)
    if limit is not None:
        rows = rows[:limit]
    if (fmt or "") not in MACHINE_FORMATS and rows:
        rows = rows + [total_row(rows, by)]
    emit_rows(rows, names, fmt, guard_formulas, title=f"Crude tally by {by} (not a meta-analysis)")
