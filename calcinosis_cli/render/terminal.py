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
