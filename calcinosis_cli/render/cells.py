"""Turning row values into cell text, and making text safe to show literally."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators (line breaks to
# many readers), except tab and newline which each renderer handles itself.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_ALL_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(char, f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def visible(text: str) -> str:
    """Replace control characters (ESC, BEL, CR, ...) with visible escapes like ``\\x1b``.

    A terminal would otherwise act on them; tab and newline are left to the caller.
    """
    return _CONTROL.sub(_escape, text)


def one_line(text: str) -> str:
    """Escape every control character, newline and tab included, so a record stays on one line."""
    return _ALL_CONTROL.sub(_escape, text)


def cell_text(value: object) -> str:
    """A row value as text: lists joined with '; ', None as empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def numeric_columns(rows, columns) -> set[str]:
    """Columns whose non-empty values are all numbers (right-aligned by table renderers)."""
    out = set()
    for column in columns:
        values = [r.get(column) for r in rows if r.get(column) is not None]
        if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            out.add(column)
    return out
