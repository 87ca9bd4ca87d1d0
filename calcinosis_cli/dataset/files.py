"""Input files: where the bundled data lives (inside the package, else in the checkout), and
reading any input file with a size limit, whatever it is (a device, a FIFO)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable

from ..errors import DataError, Problem

# No dataset file may be larger than this (64 MiB).
MAX_FILE_BYTES = 64 * 1024 * 1024

VOCABULARY_NAME = "vocabulary.yaml"  # the tool's own terms: loaded with every dataset
BUNDLED_NAME = "treatments.yaml"  # the source paper's Table 1, references and cases
LATER_EVIDENCE_NAME = "later_evidence.yaml"

# os.path, not pathlib: this runs on every start, and pathlib's import is not free.
# The package root (calcinosis_cli/), where the wheel puts data/; this module is in dataset/.
_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bundled_data_dir() -> str:
    """The folder holding the bundled YAML."""
    packaged = os.path.join(_HERE, "data")
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(_HERE), "data")


def vocabulary_path() -> str:
    """The tool's vocabulary (treatments, classes, diagnoses), loaded even with --no-bundled."""
    return os.path.join(bundled_data_dir(), VOCABULARY_NAME)


def bundled_paths() -> list[str]:
    """The vocabulary, the bundled dataset and its later-evidence annotations."""
    folder = bundled_data_dir()
    return [vocabulary_path(), os.path.join(folder, BUNDLED_NAME), os.path.join(folder, LATER_EVIDENCE_NAME)]


# --- reading a dataset file, whatever it is ---------------------------------------------------


class DataFileError(DataError):
    """An input file that cannot be read, or is too large; ``str()`` is ``path: message``."""

    def __init__(self, path: str, message: str):
        problem = Problem(path, None, None, message)
        super().__init__(str(problem), (problem,))
        self.path = path
        self.message = message


class Undecodable:
    """Why bytes are not UTF-8: where (``offset``), the byte there, and what they look like
    instead ("UTF-16" or "UTF-32": a byte-order mark, or NULs between letters)."""

    __slots__ = ("offset", "byte", "looks_like")

    def __init__(self, offset: int, byte: int, looks_like: str | None) -> None:
        self.offset, self.byte, self.looks_like = offset, byte, looks_like

    def describe(self) -> str:
        """``not valid UTF-8 (byte 0xff at offset 0; the file looks like UTF-16)``."""
        hint = f"; the file looks like {self.looks_like}" if self.looks_like else ""
        return f"not valid UTF-8 (byte 0x{self.byte:02x} at offset {self.offset}{hint})"


UTF8_BOM = b"\xef\xbb\xbf"


def decode_utf8(data: bytes) -> tuple[str, int] | Undecodable:
    """The text of UTF-8 ``data`` and the length of the byte-order mark dropped, or why it is not
    UTF-8, with what it looks like instead: the one decoder, with hints, of every reader."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return Undecodable(0, data[0], "UTF-32")
    looks = "UTF-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 10 else None
    bom = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    try:
        return data[bom:].decode("utf-8"), bom
    except UnicodeDecodeError as err:
        return Undecodable(err.start + bom, data[err.start + bom], looks)


def too_large(size: int | None, limit: int) -> str:
    """The too-large message; size None means "more than limit" (a stream with no known size)."""
    got = f"{size} bytes" if size is not None else f"more than {limit} bytes"
    return f"file is too large ({got}; the limit is {limit} bytes = {limit / 1048576:g} MiB)"


def stderr_notice(message: str) -> None:
    """Say ``message`` on stderr now, whatever buffers it."""
    import sys

    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# notice(message): tells a person what is awaited; None says nothing (--quiet).
Notice = Callable[[str], None] | None


def read_file_bytes(path: str | os.PathLike[str], limit: int | None = None, notice: Notice = stderr_notice) -> bytes:
    """The bytes of *path*, never more than *limit* (default MAX_FILE_BYTES) whatever the file is.

    A device such as /dev/zero, whose size says nothing, is read in pieces and refused as
    too large once past the limit. A FIFO is opened without blocking; until a writer writes
    (or closes), a note on stderr says what is awaited instead of hanging silently.
    """
    name = os.fsdecode(path)
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise DataFileError(name, f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise DataFileError(name, "cannot read file: it is a directory")
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise DataFileError(name, too_large(info.st_size, limit))
        if stat.S_ISFIFO(info.st_mode):
            _wait_for_writer(fd, name, notice)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise DataFileError(name, too_large(None, limit))
        return b"".join(chunks)
    except OSError as exc:
        raise DataFileError(name, f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


# Seconds a FIFO may stay silent before the reader says what it is waiting for.
FIFO_NOTICE_AFTER = 2.0


def _wait_for_writer(fd: int, name: str, notice: Notice) -> None:
    import select

    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    if poller.poll(int(FIFO_NOTICE_AFTER * 1000)):
        return
    if notice is not None:
        notice(f"calcinosis: waiting for data on the FIFO {name!r}: nothing has been written to it yet (Ctrl-C stops)")
    poller.poll()  # then wait, however long, for a writer


# --- a dataset folder -------------------------------------------------------------------------

DATASET_SUFFIX = ".yaml"


def folder_files(folder: str) -> list[str]:
    """The dataset files of a folder: every ``*.yaml`` file under it, at any depth, in the order of
    their paths relative to it (POSIX form, compared as text), so a run reads the same files in
    the same order on every machine. Hidden files and folders (a name starting with ".") are
    skipped, as are links to folders (no loops); links to files are read."""
    found: list[tuple[str, str]] = []
    for parent, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        relative = os.path.relpath(parent, folder)
        for name in names:
            if name.startswith(".") or not name.endswith(DATASET_SUFFIX):
                continue
            path = os.path.join(parent, name)
            if not os.path.isfile(path):  # a dangling link, a FIFO, ...: not a data file of the folder
                continue
            rel = name if relative == "." else f"{relative.replace(os.sep, '/')}/{name}"
            found.append((rel, path))
    found.sort()
    return [path for _rel, path in found]
