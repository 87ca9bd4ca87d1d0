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

    for notes, brief, shown in _steps(columns, note_columns, narrowing):
        noted = notes_under_table(rows, shown, notes)
        labels = [brief.get(c, c) for c in shown]
        display = [{label: row.get(c) for label, c in zip(labels, shown, strict=True)} for row in noted.rows]
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
    yield note_columns, {}, list(columns)
    brief = dict(narrowing.brief)
    if any(c in brief for c in columns):
        yield note_columns, brief, list(columns)
    notes = {**note_columns, **{c: f for c, f in narrowing.notes.items() if c in columns}}
    if len(notes) > len(note_columns):
        yield notes, brief, list(columns)
    shown = list(columns)
    for column in reversed(narrowing.keep):
        if column in shown and len(shown) > 1:
            shown.remove(column)
            yield notes, brief, list(shown)
