"""CSV and TSV output (RFC 4180 quoting), with an opt-in guard against formula injection."""

from __future__ import annotations

from collections.abc import Sequence

from .cells import cell_text

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _quote(text: str, delimiter: str) -> str:
    # Written by hand: the csv module on some Python versions leaves a bare "\r" unquoted
    # when the line terminator is "\n", which splits the record for every reader.
    if text and (delimiter in text or '"' in text or "\n" in text or "\r" in text or text != text.strip(" ")):
        return '"' + text.replace('"', '""') + '"'
    return text


def guard_formula(text: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with a single quote."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_delimited(
    rows: Sequence[dict[str, object]],
    columns: Sequence[str],
    delimiter: str = ",",
    guard_formulas: bool = False,
) -> str:
    """Rows as CSV (or TSV with ``delimiter='\\t'``): a header line, then one record per row."""
    lines = [delimiter.join(_quote(c, delimiter) for c in columns)]
    for row in rows:
        cells = (cell_text(row.get(c)) for c in columns)
        if guard_formulas:
            cells = (guard_formula(c) for c in cells)
        line = delimiter.join(_quote(c, delimiter) for c in cells)
        # A record of one empty cell would be a blank line, which readers skip: quote it.
        lines.append(line or '""')
    return "\n".join(lines) + "\n"
