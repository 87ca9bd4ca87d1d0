"""One line per row: narrowing a table, step by step, until every row fits the terminal whole.

A tally reads at a glance when each group is one line. Where the default columns are too wide
for the terminal, a table that declares how (``Narrowing``) is narrowed in steps, each only if
the one before did not fit: count headers take their brief form (a legend under the table
names them in full); marks that are long for a cell move into the notes under the table; then
columns are left out, the least needed first, and a line under the table says which. Where even
the narrowest does not fit, the caller lays the table out as before (wrapped, or records).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ..documents.table_notes import Items, notes_under_table


class Narrowing(NamedTuple):
    """How a table may be narrowed: ``notes``, columns whose marks move under the table;
    ``brief``, shorter headers; ``keep``, the columns in the order they stay (the first stays
    longest; a column not named is never left out)."""

    notes: Mapping[str, Items | None] = {}
    brief: Mapping[str, str] = {}
    keep: Sequence[str] = ()
    nest: bool = False  # a cross-tabulation: the second field's values indented under the first's


class Fitted(NamedTuple):
    """A table that fits: its rows and headers, its notes, and lines to print under it."""

    rows: list[dict[str, object]]
    columns: list[str]
    notes: list[str]
    footer: list[str]


def fit_one_line(
    rows: Sequence[dict[str, object]],
    columns: Sequence[str],
    note_columns: Mapping[str, Items | None],
    narrowing: Narrowing,
    width: int,
) -> Fitted | None:
    """The widest form of the table whose rows each fit one line within ``width``, or None."""
    from .terminal import fits_one_line

    for notes, brief, shown, nested in _steps(columns, note_columns, narrowing):
        noted = notes_under_table(rows, shown, notes)
        labels = [brief.get(c, c) for c in shown]
        display = [{label: row.get(c) for label, c in zip(labels, shown, strict=True)} for row in noted.rows]
        if nested:
            display, labels = nest_rows(display, labels)
        if fits_one_line(display, labels, width):
            footer = []
            used = [(brief[c], c) for c in shown if c in brief]
            if used:
                footer.append("Short headers: " + ", ".join(f"{b} = {c}" for b, c in used))
            left_out = [c for c in columns if c not in shown]
            if left_out:
                footer.append(f"Not shown at this width: {', '.join(left_out)} (choose columns with --columns)")
            return Fitted(display, labels, noted.notes, footer)
    return None


def _steps(columns: Sequence[str], note_columns: Mapping[str, Items | None], narrowing: Narrowing):
    """(note columns, header labels, columns shown) from the widest form to the narrowest."""
    yield note_columns, {}, list(columns), False
    brief = dict(narrowing.brief)
    if any(c in brief for c in columns):
        yield note_columns, brief, list(columns), False
    notes = {**note_columns, **{c: f for c, f in narrowing.notes.items() if c in columns}}
    if len(notes) > len(note_columns):
        yield notes, brief, list(columns), False
    nest = narrowing.nest and len(columns) > 2
    if nest:
        yield notes, brief, list(columns), True
    shown = list(columns)
    for column in reversed(narrowing.keep):
        if column in shown and len(shown) > 1 + nest and column not in columns[: 1 + nest]:
            shown.remove(column)
            yield notes, brief, list(shown), nest


def nest_rows(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> tuple[list[dict[str, object]], list[str]]:
    """Rows of a cross-tabulation with the first two columns made one: a line naming each value of
    the first, then its rows, the second column's value indented under it. A row without a
    second value (the Total) stays as it is."""
    first, second, rest = columns[0], columns[1], list(columns[2:])
    label = f"{first} / {second}"
    out: list[dict[str, object]] = []
    current = object()
    for row in rows:
        if row.get(second) in (None, ""):
            out.append({label: row.get(first), **{c: row.get(c) for c in rest}})
            continue
        if row.get(first) != current:
            current = row.get(first)
            out.append({label: current})
        out.append({label: f"  {row.get(second)}", **{c: row.get(c) for c in rest}})
    return out, [label, *rest]


def column_parts(columns: Sequence[str], fits) -> list[list[str]] | None:
    """``columns`` split into consecutive parts that each ``fits`` (a test of a list of columns),
    every part led by the first column (the row's name): a wide table as several narrow ones.
    None when even the first column with one other does not fit."""
    first, parts = columns[0], []
    current = [first]
    for column in columns[1:]:
        if fits([*current, column]):
            current.append(column)
            continue
        if len(current) == 1 or not fits([first, column]):
            return None
        parts.append(current)
        current = [first, column]
    parts.append(current)
    return parts
