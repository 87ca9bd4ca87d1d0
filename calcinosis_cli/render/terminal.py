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
    return Console(
        file=file, force_terminal=True if color else None, width=width, emoji=False, markup=False, highlight=False
    )


def rows_table(rows: Sequence[dict[str, object]], columns: Sequence[str], title: str | None = None):
    """A rich Table of rows whose cells fold long text instead of cutting it."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, show_lines=True, expand=False)
    numeric = numeric_columns(rows, columns)
    for column in columns:
        table.add_column(Text(column), overflow="fold", justify="right" if column in numeric else "left")
    for row in rows:
        table.add_row(*(Text(visible(cell_text(row.get(c))).replace("\t", " ")) for c in columns))
    return table


# Below this many characters per column, a table hides its data; show records instead.
MIN_COLUMN_WIDTH = 4


def fits_as_table(n_columns: int, width: int) -> bool:
    """Whether ``n_columns`` bordered columns leave each at least MIN_COLUMN_WIDTH characters."""
    return width - (3 * n_columns + 1) >= MIN_COLUMN_WIDTH * n_columns


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
            grid.add_row(Text(column), Text(visible(cell_text(row.get(column))).replace("\t", " ")))
        parts.append(grid)
    return Group(*parts)


def rows_renderable(rows: Sequence[dict[str, object]], columns: Sequence[str], width: int, title: str | None = None):
    """A table when the columns fit the terminal, else records, so no cell is squeezed to nothing."""
    if fits_as_table(len(columns), width):
        return rows_table(rows, columns, title)
    return rows_records(rows, columns, title)
