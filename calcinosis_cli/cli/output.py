"""Writing results: a rich table on a terminal, exact text elsewhere, files written atomically."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..errors import OutputError, UsageError
from . import environment

if TYPE_CHECKING:
    from ..documents.table_notes import Items
    from ..render.one_line import Narrowing

# Formats whose bytes are data for another program: never altered, so refused under an
# encoding that cannot carry them.
EXACT_FORMATS = ("csv", "tsv", "bibtex", "ris")


class RowOutput(NamedTuple):
    """What the output options of a row-printing command asked for."""

    fmt: str | None = None
    columns: str | None = None
    list_columns: bool = False
    sort_key: str | None = None
    reverse: bool = False
    limit: int | None = None
    guard_formulas: bool = False


def stdout_is_terminal() -> bool:
    return environment.current().stdout_isatty


def rich_terminal() -> bool:
    """Whether the default output is for a person at a terminal that can show a rich table."""
    return environment.current().rich_terminal


def stdout_encoding() -> str:
    return environment.current().encoding


def utf8_if_ascii() -> None:
    """An ASCII stdout is taken as a misconfiguration and written as UTF-8, as click does.

    Other narrow encodings (latin-1, ...) are respected; see echo_text.
    """
    import codecs

    try:
        ascii_out = codecs.lookup(stdout_encoding()).name == "ascii"
    except LookupError:
        return
    reconfigure = getattr(environment.current().stdout, "reconfigure", None)
    if ascii_out and reconfigure is not None:
        reconfigure(encoding="utf-8")


def first_unencodable(text: str) -> str | None:
    """None if stdout's encoding can carry ``text``, else the first character it cannot."""
    try:
        text.encode(stdout_encoding())
    except UnicodeEncodeError as err:
        return text[err.start]
    return None


def echo_text(text: str, fmt: str) -> None:
    """Write rendered output exactly, coping with a narrow output encoding (PYTHONIOENCODING=ascii).

    The text is written as it is: nothing is stripped (click.echo would delete ANSI sequences
    in a pipe). On a terminal, control characters are shown as escapes so they cannot act on
    it. Under a narrow encoding JSON switches to \\u escapes (lossless); csv, tsv and
    citation formats stop with a message rather than alter data; human-readable formats show
    unencodable characters as backslash escapes.
    """
    utf8_if_ascii()
    bad = first_unencodable(text)
    if bad is not None:
        if fmt in ("json", "jsonl"):
            import json

            if fmt == "json":
                text = json.dumps(json.loads(text), ensure_ascii=True, indent=2) + "\n"
            else:
                text = "".join(json.dumps(json.loads(line), ensure_ascii=True) + "\n" for line in text.splitlines())
        elif fmt in EXACT_FORMATS:
            raise OutputError(
                f"cannot write {fmt}: the output encoding ({stdout_encoding()}) has no {bad!r}; "
                "set PYTHONIOENCODING=utf-8 (or use a JSON format, which escapes it)"
            )
        else:
            tolerant_stdout()
    if stdout_is_terminal():
        from ..render.cells import visible

        # A person is reading: ESC, BEL and other controls must not act on the terminal.
        text = visible(text)
    environment.current().stdout.write(text)


def tolerant_stdout() -> None:
    """Show characters the output encoding lacks as backslash escapes instead of failing."""
    reconfigure = getattr(environment.current().stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")


def emit_rows(
    rows: Sequence[dict[str, object]],
    columns: Sequence[str],
    out: RowOutput,
    title: str | None = None,
    caption: str | None = None,
    notes: Sequence[str] = (),
    footer: Sequence[str] = (),
) -> None:
    """Print rows: a rich table on a terminal or when --format table is asked, else text.

    A table drawn with the default columns leaves out those that no row fills, and says
    under it (``caption``, then any ``footer`` lines) how many rows matched; other formats
    carry only the data. ``notes`` (the sentences the rows' marks point to) follow the table,
    plain or Markdown.
    """
    from ..render import render_rows

    fmt = output_format(out)
    if fmt == "table":
        from ..render.terminal import rows_renderable

        if out.columns is None:
            columns = filled_columns(rows, columns)
        print_renderable(rows_renderable(terminal_width(), rows, columns, title, caption, notes, footer))
        return
    echo_text(render_rows(rows, columns, fmt, guard_formulas=out.guard_formulas, notes=notes), fmt)


def filled_columns(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> list[str]:
    """The columns some row fills (all of them when none does)."""
    if not rows:
        return list(columns)
    return [c for c in columns if any(r.get(c) not in (None, "", []) for r in rows)] or list(columns)


def output_format(out: RowOutput) -> str:
    """The format asked for, else a table for a person at a terminal and plain text elsewhere."""
    return out.fmt or ("table" if rich_terminal() else "plain")


# Formats for a person to read, whose sentence cells become marks and notes under the table.
NOTED_FORMATS = ("table", "plain", "markdown")


class TableSpec(NamedTuple):
    """What a row-printing command prints: its rows (made only when needed), the columns it knows
    with their meanings, the columns a person sees by default, and what a table says around it."""

    rows: Callable[[], list[dict[str, object]]]
    known: dict[str, str]
    human: Sequence[str]
    caption: Callable[[list[dict[str, object]], list[dict[str, object]]], str] | None = None  # (all, shown)
    title: str | None = None
    hide: Sequence[str] = ()
    orders: dict[str, Callable[[object], object]] | None = None
    default_sort: str | None = None  # what --reverse alone reverses
    total: Callable[[list[dict[str, object]]], dict[str, object]] | None = None  # human formats only
    # Columns whose sentences become notes under the table (table, plain, Markdown), each with
    # how its sentences are read from a row (None: the cell's own text or list).
    notes: Mapping[str, Items | None] | None = None
    # How a terminal table of the default columns is narrowed to one line per row.
    narrowing: Narrowing | None = None


def emit_table(spec: TableSpec, out: RowOutput) -> None:
    """The one table flow of list, cases and group: --list-columns, or columns (the defaults by
    format), sort, limit, a Total row for a person, and out."""
    from ..analysis.rows import machine_columns, shape_rows
    from ..render import MACHINE_FORMATS

    if out.list_columns:
        print_columns(spec.known, spec.human)
        return
    machine = out.fmt in MACHINE_FORMATS
    all_rows = spec.rows()
    rows, names = shape_rows(
        all_rows,
        spec.known,
        machine_columns(spec.known) if machine else spec.human,
        columns=out.columns,
        sort_key=out.sort_key or (spec.default_sort if out.reverse else None),
        reverse=out.reverse,
        limit=out.limit,
        hide=spec.hide,
        orders=spec.orders,
    )
    caption = spec.caption(all_rows, rows) if spec.caption else None
    if spec.total is not None and not machine and rows:
        rows = rows + [spec.total(rows)]
    notes: list[str] = []
    footer: list[str] = []
    fitted = None
    if spec.narrowing is not None and out.columns is None and output_format(out) == "table" and rows:
        from ..render.one_line import fit_one_line

        names = filled_columns(rows, names)
        fitted = fit_one_line(rows, names, spec.notes or {}, spec.narrowing, terminal_width())
    if fitted is not None:
        rows, names, notes, footer = fitted
    elif spec.notes and set(spec.notes) & set(names) and output_format(out) in NOTED_FORMATS:
        from ..documents.table_notes import notes_under_table

        rows, notes = notes_under_table(rows, names, spec.notes)
    emit_rows(rows, names, out, title=spec.title, caption=caption, notes=notes, footer=footer)


class _TextBuffer:
    """Where rich renders: a string buffer that reports stdout's encoding, so that rich picks
    box characters stdout can carry."""

    def __init__(self, encoding: str):
        import io

        self._buffer = io.StringIO()
        self.encoding = encoding
        self.write = self._buffer.write
        self.getvalue = self._buffer.getvalue

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def terminal_width() -> int:
    """The width to draw for: COLUMNS, else the terminal's, else 80."""
    return environment.current().width


def print_renderable(renderable) -> None:
    """Draw a rich renderable for stdout: the terminal's width (COLUMNS honoured), colour on
    a terminal or with FORCE_COLOR, none otherwise. rich renders into a string that is then
    written like any other output, so a closed pipe is handled in one place."""
    from ..render.terminal import make_console, strip_line_ends

    utf8_if_ascii()
    tolerant_stdout()
    color = environment.current().wants_color
    color = (color is not False) if stdout_is_terminal() else bool(color)
    buffer = _TextBuffer(stdout_encoding())
    console = make_console(buffer, color=color, width=terminal_width())
    console.print(renderable)
    environment.current().stdout.write(strip_line_ends(buffer.getvalue()))


def print_columns(columns: dict[str, str], default) -> None:
    width = max(map(len, columns))
    lines = [f"{'*' if name in default else ' '} {name:<{width}}  {meaning}" for name, meaning in columns.items()]
    lines.append("(* shown by default in table, plain and markdown; csv, tsv, json and jsonl show all)")
    environment.current().stdout.write("\n".join(lines) + "\n")


def write_file(path: str, data: bytes, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (see write_with), or to stdout for ``-``."""
    if path == "-":
        environment.current().stdout.flush()
        environment.current().stdout.buffer.write(data)
        environment.current().stdout.buffer.flush()
        return

    def write(tmp: str) -> None:
        with open(tmp, "wb") as handle:
            handle.write(data)

    write_with(path, write, force)


def refuse_existing(path: str, force: bool = False) -> str:
    """UsageError unless ``path`` may be written (its folder exists; it is not a folder; it does
    not exist, or ``force``); return its folder. Commands that work long call it first.
    ``-`` (stdout) may always be written."""
    if path == "-":
        return ""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"cannot write {path}: the folder {folder} does not exist")
    if os.path.isdir(path):
        raise UsageError(f"cannot write {path}: it is a folder")
    if os.path.lexists(path) and not force:
        raise UsageError(f"{path} exists; add --force to replace it")
    return folder


def write_with(path: str, writer, force: bool = False) -> None:
    """Let ``writer(tmp)`` write a new file beside ``path``, then rename it to ``path``, so a
    failure leaves any earlier file whole. An existing file is replaced only with ``force``; a
    missing folder is an error, not created."""
    import tempfile

    if path == "-":
        raise UsageError("this output is a file, not a stream: give --output a file name, not '-'")
    folder = refuse_existing(path, force)
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=".calcinosis-", suffix=".tmp")
    os.close(handle)
    os.unlink(tmp)  # the writer creates it (sqlite3 wants a path that is not there)
    try:
        writer(tmp)
        # A new file gets the mode the user's other new files get; a replaced one keeps its own.
        mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        if force:
            os.replace(tmp, path)
        else:
            _create(tmp, path)
        tmp = None
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    except OutputError as err:  # the writer's own failure, told of the file the user named
        raise OutputError(f"cannot write {path}: {err}") from None
    finally:
        if tmp is not None and os.path.lexists(tmp):
            os.unlink(tmp)


def _create(tmp: str, path: str) -> None:
    """Move ``tmp`` to ``path`` only if ``path`` does not exist, in one step: a file made there
    since the first look is never overwritten without --force."""
    try:
        os.link(tmp, path)  # fails if path exists, atomically
    except FileExistsError:
        raise UsageError(f"{path} exists; add --force to replace it") from None
    except OSError:  # a file system without hard links: claim the name, then fill it
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise UsageError(f"{path} exists; add --force to replace it") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_folder(folder: str, files: dict[str, bytes], force: bool = False) -> list[str]:
    """Write ``files`` (name -> bytes) into ``folder``. A new folder is built beside it under
    a temporary name and renamed into place, so it appears whole or not at all; an existing
    one (even empty) is refused unless ``force``, and then each file is replaced atomically
    and the folder's other files are left alone. Returns the ``*.yaml`` files left alone."""
    import shutil
    import tempfile

    if folder == "-":
        raise UsageError("--split writes a folder, not a stream: give it a folder name, not '-'")
    parent = os.path.dirname(os.path.abspath(folder))
    if not os.path.isdir(parent):
        raise UsageError(f"cannot write {folder}: the folder {parent} does not exist")
    if os.path.lexists(folder) and not os.path.isdir(folder):
        raise UsageError(f"cannot write {folder}: it is a file, not a folder")
    if os.path.isdir(folder):
        if not force:
            raise UsageError(f"{folder} exists; add --force to write into it (its files of these names are replaced)")
        for name, data in files.items():
            write_file(os.path.join(folder, name), data, force=True)
        others = (name for name in os.listdir(folder) if name not in files and not name.startswith("."))
        return sorted(name for name in others if name.endswith(".yaml"))
    try:
        tmp = tempfile.mkdtemp(dir=parent, prefix=".calcinosis-", suffix=".tmp")
    except OSError as err:
        raise OutputError(f"cannot write {folder}: {err.strerror or err}") from None
    try:
        os.chmod(tmp, 0o777 & ~_umask())
        for name, data in files.items():
            with open(os.path.join(tmp, name), "xb") as handle:
                handle.write(data)
            os.chmod(os.path.join(tmp, name), 0o666 & ~_umask())
        try:
            os.rename(tmp, folder)  # an empty folder made there since the first look would be replaced
        except OSError as err:
            if os.path.lexists(folder):
                raise UsageError(f"{folder} exists; add --force to write into it") from None
            raise OutputError(f"cannot write {folder}: {err.strerror or err}") from None
        tmp = None
    except OSError as err:
        raise OutputError(f"cannot write {folder}: {err.strerror or err}") from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return []


def write_document(report, fmt: str, output: str | None, force: bool, images: dict | None = None) -> None:
    """A report model written as ``fmt`` (markdown, html or docx) to ``output`` (atomically) or
    stdout; ``images`` gives the Word document each figure's PNG by kind."""
    if fmt == "docx":
        from ..render.document.docx import render_report_docx

        write_file(output or "-", render_report_docx(report, images or {}), force)
        return
    if fmt == "html":
        from ..render.document.html import render_report_html

        text = render_report_html(report)
    else:
        from ..render.document.markdown import render_report_markdown

        text = render_report_markdown(report)
    if output is not None:
        write_file(output, text.encode("utf-8"), force)
    else:
        echo_text(text, fmt)
