"""Reading back the tables calcinosis draws (light dividers, no outer edge) for assertions."""

from __future__ import annotations

BAR = "│"


def is_rule(line: str) -> bool:
    """A horizontal rule: under the header, or between rows next to a tall row."""
    return bool(line.strip()) and set(line.strip()) <= set("─┼")


def table_lines(text: str) -> list[list[str]]:
    """The cells of every line that has dividers (header lines included), each stripped."""
    return [[part.strip() for part in line.split(BAR)] for line in text.split("\n") if BAR in line]


def column_text(text: str, count: int) -> list[str]:
    """All text of each column, top to bottom, with whitespace removed (folds rejoin)."""
    out = [""] * count
    for cells in table_lines(text):
        assert len(cells) == count, cells
        out = [o + "".join(c.split()) for o, c in zip(out, cells, strict=True)]
    return out


def header(text: str) -> list[str]:
    """The column names of a table, a header broken over lines joined again."""
    lines = text.split("\n")
    rule = next(i for i, line in enumerate(lines) if is_rule(line))
    parts = [[p.strip() for p in line.split(BAR)] for line in lines[:rule] if BAR in line]
    return ["".join(piece for piece in column) for column in zip(*parts, strict=True)]


def blocks(text: str) -> list[list[list[str]]]:
    """The table's lines between rules: the header, then each tall row or run of short rows."""
    out: list[list[list[str]]] = [[]]
    for line in text.split("\n"):
        if is_rule(line):
            out.append([])
        elif BAR in line:
            out[-1].append([part.strip() for part in line.split(BAR)])
    return [block for block in out if block]
