"""Writing results: a rich table on a terminal, text elsewhere, whatever the output encoding."""

from __future__ import annotations

import os
import sys

import click

from .errors import EXIT_DATA, EXIT_USAGE, CalcinosisError


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def wants_color() -> bool | None:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return None


def stdout_encoding() -> str:
    """The encoding click.echo will really use: click writes UTF-8 where stdout claims ASCII."""
    from click._compat import get_best_encoding

    return get_best_encoding(sys.stdout).lower()


def first_unencodable(text: str) -> str | None:
    """None if stdout's encoding can carry ``text``, else the first character it cannot."""
    try:
        text.encode(stdout_encoding())
    except UnicodeEncodeError as err:
        return text[err.start]
    return None


def echo_text(text: str, fmt: str) -> None:
    """Write rendered output, coping with a narrow output encoding (PYTHONIOENCODING=ascii).

    JSON switches to \\u escapes (lossless); csv and tsv stop with a message rather than
    alter data; human-readable formats show unencodable characters as backslash escapes.
    """
    bad = first_unencodable(text)
    if bad is not None:
        if fmt in ("json", "jsonl"):
            import json

            if fmt == "json":
                text = json.dumps(json.loads(text), ensure_ascii=True, indent=2) + "\n"
            else:
                text = "".join(json.dumps(json.loads(line), ensure_ascii=True) + "\n" for line in text.splitlines())
        elif fmt in ("csv", "tsv"):
            raise CalcinosisError(
                f"cannot write {fmt}: the output encoding ({stdout_encoding()}) has no {bad!r}; "
                "set PYTHONIOENCODING=utf-8 (or use --format json, which escapes it)",
                EXIT_DATA,
            )
        else:
            tolerant_stdout()
    if stdout_is_terminal():
        from .render.cells import visible

        # A person is reading: ESC, BEL and other controls in data must not act on the
        # terminal. Piped output keeps the exact bytes (csv and tsv carry data as it is).
        text = visible(text)
    click.echo(text, nl=False)


def tolerant_stdout() -> None:
    """Show characters the output encoding lacks as backslash escapes instead of failing."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")


def emit_rows(rows, columns, fmt: str | None, guard_formulas: bool = False, title: str | None = None) -> None:
    """Print rows: a rich table on a terminal, text in every other case."""
    from .render import FormatError, render_rows

    terminal = stdout_is_terminal()
    color = wants_color()
    fmt = fmt or ("table" if terminal and os.environ.get("TERM") != "dumb" else "plain")
    if fmt == "table" and (terminal or color) and os.environ.get("TERM") != "dumb":
        from .render.terminal import make_console, rows_renderable

        tolerant_stdout()
        console = make_console(color=color)
        console.print(rows_renderable(console, rows, columns, title))
        return
    try:
        text = render_rows(rows, columns, fmt, guard_formulas=guard_formulas)
    except FormatError as err:
        raise CalcinosisError(str(err), EXIT_USAGE) from err
    echo_text(text, fmt)


def print_columns(columns: dict[str, str], default) -> None:
    width = max(map(len, columns))
    for name, meaning in columns.items():
        mark = "*" if name in default else " "
        click.echo(f"{mark} {name:<{width}}  {meaning}")
    click.echo("(* shown by default in table, plain and markdown; csv, tsv, json and jsonl show all)")
