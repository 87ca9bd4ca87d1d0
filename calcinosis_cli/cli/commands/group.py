"""`calcinosis group`: crude outcome tallies per group of studies."""

from __future__ import annotations

import click

from ...analysis.tally import GROUP_BY
from ..options import Choice, filter_options, filters_from, global_options, later_option, level_option, output_options
from ..output import RowOutput, TableSpec, emit_table
from ..session import current_session

# Brief headers for the counts, for a terminal too narrow for their names (a legend says which).
BRIEF_HEADERS = {
    "patients": "n",
    "improved": "impr",
    "unchanged": "unch",
    "worsened": "worse",
    "not_improved": "n/i",
    "not_stated": "n/s",
    "unassigned": "no arm",
}
# The columns in the order they stay on a narrow terminal: the group, its patients, how many
# improved and the share, and the notes first; the printed-rows count last.
KEEP = (
    "patients",
    "improved",
    "improved_ci",
    "caveat",
    "later",
    "studies",
    "not_stated",
    "worsened",
    "unchanged",
    "not_improved",
    "unassigned",
    "rows",
)


def group_narrowing(names: tuple[str, ...]):
    """How a terminal narrows the tally to one line per group: later-evidence marks into the
    notes, brief count headers, then columns left out from the end of KEEP."""
    from ...render.one_line import Narrowing

    def later(row: dict[str, object]) -> list[str]:
        marks = str(row.get("later") or "")
        return [f"later evidence: {mark}" for mark in marks.split("; ") if mark]

    return Narrowing(notes={"later": later}, brief=BRIEF_HEADERS, keep=(*names, *KEEP), nest=len(names) == 2)


@click.command("group")
@click.option(
    "--by",
    "by",
    required=True,
    multiple=True,
    metavar="FIELD",
    type=Choice(GROUP_BY),
    help=f"{', '.join(GROUP_BY[:-1])} or {GROUP_BY[-1]}; give it twice to cross two fields "
    "(--by treatment --by diagnosis).",
)
@filter_options
@output_options
@later_option
@level_option
@global_options
@click.pass_context
def group_command(ctx: click.Context, by: tuple[str, ...], output: RowOutput, no_later: bool, level: int, **kwargs):
    """Crude tally per group: studies, rows, patients who received the treatment, and how
    many improved, were unchanged, worsened or had no stated outcome, with the share improved
    among those whose outcome is stated and its exact interval.

    This is a crude count of what the sources print, not a meta-analysis. Rows with two
    diagnoses whose split is not stated form their own diagnosis group. Two --by fields give
    one row per pair (the evidence map as a table). Table, plain and Markdown output end with
    a total row; json gives one object per group.
    """
    from ...analysis.tally import (
        GROUP_COLUMNS,
        HUMAN_GROUP_COLUMNS,
        group_columns,
        group_order,
        group_studies,
        row_caveats,
        row_order,
        total_row,
    )
    from ...errors import UsageError

    columns = group_columns(by)
    human = [c for c in columns if c in HUMAN_GROUP_COLUMNS or c not in GROUP_COLUMNS]
    if not output.list_columns:
        if len(by) > 2 or len(set(by)) != len(by):
            raise UsageError("--by takes one field, or two different fields")
        if len(by) == 2 and "outcome" in by:
            raise UsageError(
                "--by outcome cannot be crossed with another field: a row's patients are in several outcomes"
            )
    filters = filters_from(kwargs)
    session = current_session(ctx)
    fields = by[0] if len(by) == 1 else by
    first = "group" if len(by) == 1 else by[0]
    names = ("group",) if len(by) == 1 else by
    selected: list = []

    def rows() -> list[dict[str, object]]:
        selected.extend(session.studies(filters))
        return sorted(group_studies(session.dataset(), selected, fields, level), key=row_order(fields))

    def caption(rows: list, shown: list) -> str:
        return f"{len(selected)} of {len(session.dataset().studies)} rows in {len(shown)} groups"

    spec = TableSpec(
        rows,
        columns,
        human,
        caption,
        title=f"Crude tally by {' and '.join(by)} (not a meta-analysis)",
        hide=("later",) if no_later else (),
        orders={first: group_order(by[0])},
        default_sort=first,
        total=lambda shown: total_row(shown, level, fields, session.dataset()),
        notes={"caveat": row_caveats},
        narrowing=group_narrowing(names),
    )
    emit_table(spec, output)
