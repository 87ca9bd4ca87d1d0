"""Notes under a table, as journals set them: a cell that would hold a sentence (a caveat, a
later review's statement, a reading) holds a short mark instead, and the sentence is printed
once under the table. One note serves every row it applies to; notes are lettered a, b, ...
(``blocks.note_letter``) in the order the table first points to them, row by row, left to right.

Built once here and used by every table that has such cells: the rows of ``list`` and
``group`` (table, plain and Markdown formats) and the report's tables (as TableNoteRef spans).
Machine formats (csv, tsv, json, jsonl) never go through it: they keep the full text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

# What a cell holds: the sentences it would show, one per note.
Items = Callable[[dict[str, object]], Sequence[str]]


def cell_items(column: str) -> Items:
    """The sentences of ``column``'s cell: each item of a list, or the text as one."""

    def items(row: dict[str, object]) -> Sequence[str]:
        value = row.get(column)
        if value is None or value == "":
            return ()
        if isinstance(value, list | tuple):
            return [str(v) for v in value if v not in (None, "")]
        return (str(value),)

    return items


class TableNotes(NamedTuple):
    """Rows whose note cells hold marks, and the notes in the order of their letters."""

    rows: list[dict[str, object]]
    notes: list[str]


class Numbering:
    """Hands out one index per distinct note text, in the order first asked for."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def number(self, note: str) -> int:
        return self.index.setdefault(note, len(self.index))

    @property
    def notes(self) -> list[str]:
        return list(self.index)


def marks(indices: Sequence[int]) -> str:
    """The mark a cell holds for its notes: ``(a)``, ``(a,c)`` for several, ``(a–c)`` for a run
    of three or more; one word, so that a table never breaks it."""
    return f"({letters(indices)})" if indices else ""


def letters(indices: Sequence[int]) -> str:
    """``a``, ``a,c``, ``a–c``: the letters of ``indices``, runs of three or more as ranges."""
    from .blocks import note_letter  # not at import: list starts without the document model

    if not indices:
        return ""
    runs: list[list[int]] = []
    for index in sorted(set(indices)):
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = [
        f"{note_letter(run[0])}–{note_letter(run[-1])}" if len(run) > 2 else ",".join(map(note_letter, run))
        for run in runs
    ]
    return ",".join(parts)


def note_line(index: int, note: str) -> str:
    """A note as printed under a table: ``(a) the sentence``."""
    return f"{marks([index])} {note}"


def notes_under_table(
    rows: Sequence[dict[str, object]],
    columns: Sequence[str],
    note_columns: Mapping[str, Items | None],
) -> TableNotes:
    """Replace the sentences of ``note_columns`` (those among ``columns``) with marks.

    ``note_columns`` maps a column to how its sentences are read from a row (None: the cell's
    own text, see cell_items). Rows are copied; the caller's are left whole.
    """
    numbering = Numbering()
    active = [(c, note_columns[c] or cell_items(c)) for c in columns if c in note_columns]
    out = []
    for row in rows:
        row = dict(row)
        for column, items in active:
            indices = list(dict.fromkeys(numbering.number(text) for text in items(row)))
            row[column] = marks(indices) or None
        out.append(row)
    return TableNotes(out, numbering.notes)
