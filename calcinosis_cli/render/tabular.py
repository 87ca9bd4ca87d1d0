"""Any of tabulate's table formats, by name."""

from __future__ import annotations

from collections.abc import Sequence

from .cells import cell_text, visible


def tabulate_formats() -> list[str]:
    """The format names tabulate knows (imports tabulate: call only when needed)."""
    from tabulate import tabulate_formats as names

    return list(names)


def render_tabulate(rows: Sequence[dict[str, object]], columns: Sequence[str], fmt: str) -> str:
    """Rows in tabulate format ``fmt``; numbers are not reformatted and text is not parsed."""
    from tabulate import tabulate

    body = [[visible(cell_text(r.get(c))) for c in columns] for r in rows]
    # disable_numparse keeps "010" or "1.10" exactly as the data holds them.
    return tabulate(body, headers=list(columns), tablefmt=fmt, disable_numparse=True) + "\n"
