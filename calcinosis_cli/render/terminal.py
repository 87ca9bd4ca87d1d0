"""Rich tables and panels for a terminal. Data goes in as Text, never as markup."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from .cells import cell_text, numeric_columns, visible


def make_console(file=None, *, color: bool | None = None, width: int | None = None):
    """A rich Console; ``color=False`` means no ANSI at all."""
    from rich.console import Console

    if color is False:
        return Console(
            file=file, color_system=None, no_color=True, width=width, emoji=False, markup=False, highlight=False
        )
    # A file that is not a terminal (our render buffer) gets colour only when asked for.
    return Console(
        file=file, force_terminal=True if color else None, width=width, emoji=False, markup=False, highlight=False
    )


# Column dividers (" │ ") between columns and no outer edge: the table's cost in width.
DIVIDER = 3


def rows_table(
    rows: Sequence[dict[str, object]],
    columns: Sequence[str],
    title: str | None = None,
    widths: Sequence[int] | None = None,
    caption: str | None = None,
):
    """A rich Table of rows: light dividers, a rule under the header, and a light rule between
    rows only next to a row that takes more than one line (single-line rows stay dense).

    With ``widths``, headers are broken only after an underscore, never inside a word, and
    long cells wrap at spaces (a word longer than its column folds)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(title) if title else None,
        caption=Text(caption) if caption else None,
        box=box.MINIMAL,
        show_edge=False,
        pad_edge=False,
        expand=False,
    )
    numeric = numeric_columns(rows, columns)
    for index, column in enumerate(columns):
        width = widths[index] if widths else None
        table.add_column(
            Text(column if width is None else header_lines(column, width), style="bold"),
            overflow="fold",
            justify="right" if column in numeric else "left",
            width=width,
        )
    cells = [[_cell(row, c) for c in columns] for row in rows]
    tall = [_is_tall(line, widths) for line in cells]
    for index, line in enumerate(cells):
        after = index + 1 < len(cells) and (tall[index] or tall[index + 1])
        table.add_row(*(Text(cell) for cell in line), end_section=after)
    return table


def _is_tall(cells: Sequence[str], widths: Sequence[int] | None) -> bool:
    """Whether a row takes more than one line at these widths."""
    from rich.cells import cell_len

    if widths is None:
        return any("\n" in cell for cell in cells)
    return any("\n" in cell or cell_len(cell) > width for cell, width in zip(cells, widths, strict=True))


def header_lines(header: str, width: int) -> str:
    """``header`` broken into lines of at most ``width`` after underscores or spaces only."""
    import re

    from rich.cells import cell_len

    lines: list[str] = []
    space = ""  # a space between two words stays a space where they share a line
    for part in re.findall(r"[^_ ]+_*|\s+", header):
        if part.isspace():
            space = " "
            continue
        if lines and cell_len(lines[-1]) + len(space) + cell_len(part) <= width:
            lines[-1] += space + part
        else:
            lines.append(part)
        space = ""
    return "\n".join(lines)


def _header_word(header: str) -> int:
    """The widest piece a header can be broken into (after underscores or spaces)."""
    import re

    from rich.cells import cell_len

    return max((cell_len(p) for p in re.findall(r"[^_ ]+_*", header)), default=1)


def _cell(row: dict[str, object], column: str) -> str:
    return visible(cell_text(row.get(column))).replace("\t", " ")


def rows_records(rows: Sequence[dict[str, object]], columns: Sequence[str], title: str | None = None, caption=None):
    """One block per row, a field per line (like psql's expanded display), for wide selections."""
    from rich.console import Group
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    parts: list[object] = [Text(title, style="bold")] if title else []
    for index, row in enumerate(rows, 1):
        parts.append(Rule(Text(f"record {index}"), align="left"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for column in columns:
            grid.add_row(Text(column), Text(_cell(row, column)))
        parts.append(grid)
    if caption:
        parts.append(Text(caption, style="dim"))
    return Group(*parts)


# Long free-text columns: they wrap by words in the width the short columns leave them.
# Any column whose longest cell is wider than LONG_TEXT is long text too.
LONG_TEXT_COLUMNS = frozenset(
    (
        "outcome",
        "diagnosis",
        "diagnoses",
        "notes",
        "footnote",
        "citation",
        "title",
        "authors",
        "arms",
        "later_evidence",
        "level_reason",
        "treatment_printed",
        "caveat",
        "statement",
        "lesion_sites",
        "lesion_sites_text",
        "response_text",
        "follow_up_text",
        "coagulation_text",
        "bleeding_text",
        "lesion_duration_before_treatment_text",
    )
)
LONG_TEXT = 40
# In long text a word longer than this may be folded; otherwise a table never splits a word.
LONGEST_WORD = 20


def column_widths(rows: Sequence[dict[str, object]], columns: Sequence[str], width: int) -> list[int] | None:
    """Content widths that fit ``width`` with dividers, or None if even whole words cannot fit.

    Every column first gets its widest word and header piece, so nothing is split inside a
    word. Then short columns (identifiers, doses, counts, references, marks) get their longest
    cell on one line, the first column first and then the narrowest, as many as fit whole;
    long-text columns share what is left in equal steps up to their longest line, and wrap by
    words; anything still left widens the short columns that could not be made whole.
    """
    from rich.cells import cell_len

    available = width - DIVIDER * (len(columns) - 1)
    if sum(max(cell_len(column), *(cell_len(_cell(r, column)) for r in rows)) for column in columns) <= available:
        # Everything fits on one line, headers whole too.
        return [max(cell_len(column), *(cell_len(_cell(r, column)) for r in rows)) for column in columns]
    natural, minimum, long_text = [], [], []
    for column in columns:
        cells = [_cell(r, column) for r in rows]
        longest_line = max((cell_len(line) for t in cells for line in t.split("\n")), default=0)
        # A header may break after an underscore, so a column is whole when its cells are.
        natural.append(max(_header_word(column), longest_line))
        is_long = column in LONG_TEXT_COLUMNS or longest_line > LONG_TEXT
        long_text.append(is_long)
        word = max((cell_len(w) for t in cells for w in t.split()), default=1)
        minimum.append(max(_header_word(column), min(word, LONGEST_WORD) if is_long else word))
    if sum(natural) <= available:
        return natural
    if sum(minimum) > available:
        return None
    widths = list(minimum)
    short = [i for i in range(len(columns)) if not long_text[i]]
    # The first column names the row, so it comes first; then the narrowest.
    for i in sorted(short, key=lambda i: (i != 0, natural[i])):
        if sum(widths) + natural[i] - widths[i] <= available:
            widths[i] = natural[i]
    _fill(widths, [i for i in range(len(columns)) if long_text[i]], natural, available)
    _fill(widths, short, natural, available)
    return widths


def fits_one_line(rows: Sequence[dict[str, object]], columns: Sequence[str], width: int) -> bool:
    """Whether every row, and the header, fits on one line within ``width``: no cell wraps."""
    from rich.cells import cell_len

    need = sum(max(cell_len(column), *(cell_len(_cell(r, column)) for r in rows)) for column in columns)
    return need + DIVIDER * (len(columns) - 1) <= width - edge_slack()


def _fill(widths: list[int], indices: Sequence[int], natural: Sequence[int], available: int) -> None:
    """Widen the columns ``indices`` one step each in turn, up to their natural widths."""
    needy = [i for i in indices if widths[i] < natural[i]]
    while needy and sum(widths) < available:
        for i in needy:
            if sum(widths) >= available:
                break
            widths[i] += 1
        needy = [i for i in needy if widths[i] < natural[i]]


def rows_renderable(
    width: int,
    rows: Sequence[dict[str, object]],
    columns: Sequence[str],
    title: str | None = None,
    caption: str | None = None,
    notes: Sequence[str] = (),
    footer: Sequence[str] = (),
):
    """A table that shows every cell whole within ``width``, else one record per block; then
    ``footer`` lines (what the headers stand for, what is left out) and ``notes``, each once,
    lettered as the rows' marks point to them (both wrap at spaces).

    A table wider than the terminal would be cropped, and one squeezed below its words would
    split them into unreadable ribbons; records show everything at any width.
    """
    widths = column_widths(rows, columns, width - edge_slack())
    if widths is None:
        body = rows_records(rows, columns, title, caption)
    else:
        body = rows_table(rows, columns, title, widths, caption)
    if not notes and not footer:
        return body
    return with_notes(body, notes, footer)


def with_notes(body, notes: Sequence[str], footer: Sequence[str] = ()):
    """``body`` and, under it, ``footer`` lines and its notes: ``(a) the sentence``, a wrapped
    line indented under the text so the letters stand out."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from ..documents.table_notes import marks

    parts: list[object] = [body, *(Text(visible(line), style="dim") for line in footer)]
    if not notes:
        return Group(*parts)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for index, note in enumerate(notes):
        grid.add_row(Text(marks([index])), Text(visible(note).replace("\t", " ")))
    return Group(*parts, Text(""), grid)


def strip_line_ends(text: str) -> str:
    """Drop the spaces rich pads lines with (before any closing colour codes), so that no line of
    a table in a pipe or a file ends in spaces."""
    import re

    return re.sub(r" +((?:\x1b\[[0-9;]*m)*)$", r"\1", text, flags=re.M)


@functools.cache
def edge_slack() -> int:
    """Columns a rows_table takes beyond its widths and dividers: 0 with rich 15, whose tables
    leave out the outer padding as asked (pad_edge=False); 2 with earlier rich, which counts it.
    Measured once on a small table rather than read from a version number."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=80, color_system=None).print(
        rows_table([{"a": "x", "b": "y"}], ["a", "b"], widths=[3, 3])
    )
    drawn = max(len(line) for line in buffer.getvalue().splitlines())
    return max(0, drawn - (3 + DIVIDER + 3))
