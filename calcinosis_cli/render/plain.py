"""Plain aligned text for pipes and dumb terminals: no ANSI, no wrapping, one line per row."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from .cells import cell_text, one_line


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in text)


# Columns are aligned to their widest cell up to this width; a longer cell (a paragraph)
# pushes the rest of its own line along instead of padding every line to its length.
ALIGN_LIMIT = 40


def render_plain(rows: Sequence[dict[str, object]], columns: Sequence[str], notes: Sequence[str] = ()) -> str:
    """Columns separated by two spaces; no cell is cut or wrapped, no line ends in spaces.
    ``notes`` follow after a blank line, one a line: ``(a) the sentence``."""
    table = [list(columns)] + [[one_line(cell_text(r.get(c))) for c in columns] for r in rows]
    widths = [
        max([_width(line[i]) for line in table if _width(line[i]) <= ALIGN_LIMIT] or [0]) for i in range(len(columns))
    ]
    out = []
    for line in table:
        cells = [cell + " " * max(0, widths[i] - _width(cell)) for i, cell in enumerate(line)]
        out.append("  ".join(cells).rstrip())
    if notes:
        from ..documents.table_notes import note_line

        out += ["", *(one_line(note_line(i, note)).rstrip() for i, note in enumerate(notes))]
    return "\n".join(out) + "\n"


def plain_width(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> int:
    """The width of the widest line render_plain draws for ``rows`` (notes aside)."""
    return max(_width(line) for line in render_plain(rows, columns).splitlines())
