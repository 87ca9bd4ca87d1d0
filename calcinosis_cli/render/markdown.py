"""GitHub-flavoured Markdown pipe tables whose cells read back exactly as the data."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .cells import cell_text, numeric_columns, one_line

# Inline Markdown syntax that would change how a cell renders; each is backslash-escaped.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!#$])")


def escape_inline(text: str) -> str:
    """Escape text so GFM renders it literally inside a table cell or a paragraph line."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # A newline would end the table row; <br> keeps the line break visible inside the cell.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return one_line(text)


def render_markdown_table(rows: Sequence[dict[str, object]], columns: Sequence[str], notes: Sequence[str] = ()) -> str:
    """A pipe table: header, delimiter row, one line per row; then ``notes``, each its own
    paragraph (``(a) the sentence``), as the rows' marks point to them."""
    right = numeric_columns(rows, columns)
    out = ["| " + " | ".join(escape_inline(c) for c in columns) + " |"]
    out.append("| " + " | ".join("---:" if c in right else "---" for c in columns) + " |")
    for row in rows:
        out.append("| " + " | ".join(escape_inline(cell_text(row.get(c))) for c in columns) + " |")
    if notes:
        from ..documents.table_notes import note_line

        for index, note in enumerate(notes):
            out += ["", escape_inline(note_line(index, note))]
    return "\n".join(out) + "\n"
