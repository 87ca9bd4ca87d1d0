"""Output formats. Each renderer is a function from rows and column names to text."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import UsageError

# Formats written by this package; any other name is passed to tabulate if it knows it.
OWN_FORMATS = ("table", "plain", "markdown", "csv", "tsv", "json", "jsonl")
MACHINE_FORMATS = ("csv", "tsv", "json", "jsonl")


class FormatError(UsageError):
    """An output format name that neither this package nor tabulate knows."""


def all_formats() -> list[str]:
    """Every accepted --format name (imports tabulate)."""
    from .tabular import tabulate_formats

    return list(OWN_FORMATS) + [f for f in tabulate_formats() if f not in OWN_FORMATS]


def check_format(fmt: str) -> None:
    if fmt in OWN_FORMATS:
        return
    if fmt not in all_formats():
        from ..words import did_you_mean

        raise FormatError(f"unknown format {fmt!r}{did_you_mean(fmt, all_formats())} (see 'calcinosis formats')")


def render_rows(
    rows: Sequence[dict[str, object]],
    columns: Sequence[str],
    fmt: str,
    *,
    guard_formulas: bool = False,
    notes: Sequence[str] = (),
) -> str:
    """Render rows as text in any format but the rich terminal table; ``notes`` (plain and
    Markdown only) are printed under the table, lettered as the rows' marks point to them."""
    if fmt == "plain" or fmt == "table":
        from .plain import render_plain

        return render_plain(rows, columns, notes)
    if fmt == "markdown":
        from .markdown import render_markdown_table

        return render_markdown_table(rows, columns, notes)
    if fmt in ("csv", "tsv"):
        from .delimited import render_delimited

        return render_delimited(rows, columns, "," if fmt == "csv" else "\t", guard_formulas)
    if fmt == "json":
        from .jsonout import render_json

        return render_json(rows, columns)
    if fmt == "jsonl":
        from .jsonout import render_jsonl

        return render_jsonl(rows, columns)
    check_format(fmt)
    from .tabular import render_tabulate

    return render_tabulate(rows, columns, fmt)
