"""Rich tables and panels for a terminal. Data goes in as Text, never as markup."""

from __future__ import annotations

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


def rows_table(
    rows: Sequence[dict[str, object]],
    columns: Sequence[str],
    title: str | None = None,
    widths: Sequence[int] | None = None,
):
    """A rich Table of rows whose cells fold long text instead of cutting it."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, show_lines=True, expand=False)
    numeric = numeric_columns(rows, columns)
    for index, column in enumerate(columns):
        table.add_column(
            Text(column),
            overflow="fold",
            justify="right" if column in numeric else "left",
            width=widths[index] if widths else None,
        )
    for row in rows:
        table.add_row(*(Text(_cell(row, c)) for c in columns))
    return table


def _cell(row: dict[str, object], column: str) -> str:
    return visible(cell_text(row.get(column))).replace("\t", " ")


def rows_records(rows: Sequence[dict[str, object]], columns: Sequence[str], title: str | None = None):
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
    return Group(*parts)


# Long free-text columns: they get the width left over once every column shows its words whole.
WIDE_COLUMNS = frozenset(
    (
        "outcome",
        "footnote",
        "citation",
        "notes",
        "later_evidence",
        "level_reason",
        "treatment_printed",
        "caveat",
        "lesion_sites_text",
        "response_text",
        "follow_up_text",
        "lesion_duration_before_treatment_text",
    )
)
# A word longer than this may be folded; otherwise a table never splits a word.
LONGEST_WORD = 20
# The width a long-text column is guaranteed before the leftover is shared out.
WIDE_START = 10


def column_widths(rows: Sequence[dict[str, object]], columns: Sequence[str], width: int) -> list[int] | None:
    """Content widths that fit ``width`` with borders, or None if the words cannot fit.

    Every column first gets its longest word (so no word is split; a long-text column at
    least WIDE_START); what is left goes to whole words in long-text columns, then to whole
    headers, then to the long-text columns up to their natural width, then to the others.
    """
    from rich.cells import cell_len

    available = width - (3 * len(columns) + 1)
    natural, words, longest = [], [], []
    for column in columns:
        cells = [_cell(r, column) for r in rows]
        natural.append(max(cell_len(line) for t in [column, *cells] for line in t.split("\n")))
        # Headers may fold; cell words may not, except in long-text columns, which start
        # narrow because they are first to get the width left over.
        longest.append(min(LONGEST_WORD, max((cell_len(w) for t in cells for w in t.split()), default=1)))
        words.append(min(WIDE_START, longest[-1]) if column in WIDE_COLUMNS else longest[-1])
    if sum(natural) <= available:
        return natural
    widths = list(words)
    if sum(widths) > available:
        return None
    # Share out the rest: whole words in long text, whole headers, then long text, then others.
    headers = [max(w, cell_len(c)) for w, c in zip(words, columns, strict=True)]
    for target, chosen in ((longest, True), (headers, None), (natural, True), (natural, False)):
        for i, column in enumerate(columns):
            if chosen is None or (column in WIDE_COLUMNS) == chosen:
                widths[i] += max(min(target[i] - widths[i], available - sum(widths)), 0)
    return widths


def rows_renderable(width: int, rows: Sequence[dict[str, object]], columns: Sequence[str], title: str | None = None):
    """A table that shows every cell whole within the console's width, else one record per block.

    A table wider than the terminal would be cropped, and one squeezed below its words would
    split them into unreadable ribbons; records show everything at any width.
    """
    widths = column_widths(rows, columns, width)
    if widths is None:
        return rows_records(rows, columns, title)
    return rows_table(rows, columns, title, widths)
