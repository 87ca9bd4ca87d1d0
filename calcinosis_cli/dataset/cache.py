"""A cache of validated datasets, keyed by the content of the files they came from.

Parsing YAML costs far more than reading JSON, and a CLI in a pipeline is started again
and again on the same files. Only datasets that passed validation are stored.

The cache is an optimisation that can never cause an error or a wrong answer: an entry is a
header line with a checksum of its payload, then the payload; anything that cannot be
opened without blocking, read, verified, decoded or rebuilt into the model is a miss, and the
dataset is read again from its files and the entry rewritten. Entries are written atomically
(a temporary file, then a rename); temporary files that a killed run left behind are removed,
and the folder keeps at most MAX_ENTRIES entries (the least recently used go first).
Turn it off with CALCINOSIS_NO_CACHE=1; CALCINOSIS_CACHE_DIR moves it.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence

from .. import __version__, model

# Bump when the model's shape changes, so old entries are not rebuilt into new classes.
CACHE_FORMAT = 5
MAGIC = b"calcinosis-cache"
MAX_ENTRIES = 16
# A temporary file older than this was left by a run that died; a younger one may be in use.
STALE_TEMPORARY_SECONDS = 3600


def cache_dir() -> str | None:
    """Where entries live, or None when caching is off."""
    if os.environ.get("CALCINOSIS_NO_CACHE"):
        return None
    configured = os.environ.get("CALCINOSIS_CACHE_DIR")
    if configured:
        return configured
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "calcinosis")


def _blake2b(data: bytes = b"", digest_size: int = 32):
    try:
        from _blake2 import blake2b  # the C module behind hashlib.blake2b, without hashlib's 2.5 ms import
    except ImportError:
        from hashlib import blake2b
    return blake2b(data, digest_size=digest_size)


def content_key(paths: Sequence[str | os.PathLike], contents: Sequence[bytes]) -> str:
    """A hash of the tool version, the file names and their bytes."""
    digest = _blake2b(f"{__version__}\0{CACHE_FORMAT}".encode())
    for path, data in zip(paths, contents, strict=True):
        digest.update(b"\0" + os.fsencode(os.fspath(path)) + b"\0")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _plain(obj: object) -> object:
    """Records to dicts, recursively, for JSON (which would write a NamedTuple as a list)."""
    if hasattr(obj, "_asdict"):
        return {k: _plain(v) for k, v in obj._asdict().items()}  # type: ignore[attr-defined]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def _record(cls: type, data: dict, nested: dict[type, dict[str, type]]):
    """A model record from its JSON object: lists back to tuples, nested records rebuilt.

    Unknown or missing fields raise (TypeError), which the reader treats as a miss.
    """
    if not isinstance(data, dict):
        raise TypeError(f"expected an object for {cls.__name__}")
    inside = nested[cls]
    fields = {}
    for key, value in data.items():
        inner = inside.get(key)
        if inner is not None and value is not None:
            if isinstance(value, list):
                value = tuple(_record(inner, v, nested) for v in value)
            else:
                value = _record(inner, value, nested)
        elif isinstance(value, list):
            value = tuple(value)
        fields[key] = value
    return cls(**fields)


def _nested(classes) -> dict[type, dict[str, type]]:
    """Per record class, the fields that hold records (field -> class), read off the model's
    annotations: a record, a tuple of records, or either or None. (Read directly rather than
    through typing.get_type_hints, which costs a millisecond on every warm start.)"""
    import sys
    import types

    def records_in(hint, names: dict) -> list[type]:
        hint = getattr(hint, "__forward_arg__", hint)  # NamedTuple keeps "Tally | None" as a ForwardRef
        if isinstance(hint, str):
            hint = eval(hint, names)  # noqa: S307 - the model's own annotations ("Tally | None")
        if isinstance(hint, types.UnionType) or getattr(hint, "__origin__", None) is tuple:
            return [c for arg in hint.__args__ for c in records_in(arg, names)]
        return [hint] if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields") else []

    table: dict[type, dict[str, type]] = {}
    todo = list(classes)
    while todo:
        cls = todo.pop()
        if cls in table:
            continue
        names = vars(sys.modules[cls.__module__])
        table[cls] = {}
        for name, hint in cls.__annotations__.items():
            for found in records_in(hint, names):
                table[cls][name] = found
                todo.append(found)
    return table


def to_json(ds: model.Dataset) -> str:
    return json.dumps(_plain(ds._replace(study_index=None)), ensure_ascii=False, separators=(",", ":"))


def from_json(text: str | bytes) -> model.Dataset:
    """Rebuild a Dataset; raises on any mismatch with the model."""
    from .sections import LIST_SECTIONS

    d = json.loads(text)
    # Only the sections that hold records need their classes (appraisal records load only then).
    nested = _nested(s.cls for s in LIST_SECTIONS if d[s.attr])
    sections = {}
    for section in LIST_SECTIONS:
        if not d[section.attr]:
            sections[section.attr] = {} if section.keyed else ()
            continue
        data, cls = d[section.attr], section.cls
        if section.keyed:
            sections[section.attr] = {k: _record(cls, v, nested) for k, v in data.items()}
        else:
            sections[section.attr] = tuple(_record(cls, v, nested) for v in data)
    fields = {name: d[name] for name in ("title", "version", "source", "table_title")}
    return model.Dataset(**fields, **sections, notes=tuple(d["notes"]), files=tuple(d["files"])).with_index()


def _entry_path(folder: str, key: str) -> str:
    return os.path.join(folder, f"{key}.json")


def _read_regular_file(path: str) -> bytes | None:
    """The bytes of a regular file, or None; never blocks on a FIFO or reads a device."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def _payload(entry: bytes) -> bytes | None:
    """The verified payload of an entry, or None if its header or checksum do not match."""
    header, newline, payload = entry.partition(b"\n")
    parts = header.split(b" ")
    if not newline or len(parts) != 3 or parts[0] != MAGIC or parts[1] != str(CACHE_FORMAT).encode():
        return None
    if _blake2b(payload).hexdigest().encode() != parts[2]:
        return None
    return payload


def read(key: str) -> model.Dataset | None:
    """The cached dataset for ``key``, or None if absent or unusable in any way."""
    folder = cache_dir()
    if folder is None:
        return None
    path = _entry_path(folder, key)
    entry = _read_regular_file(path)
    payload = _payload(entry) if entry is not None else None
    if payload is None:
        return None
    # Rebuilding creates millions of objects for a large dataset; the cyclic collector
    # would run again and again over them (about a quarter of a warm run) for nothing.
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        dataset = from_json(payload)
    except Exception:  # noqa: BLE001 - any failure to rebuild is a miss, never an error
        return None
    finally:
        if enabled:
            gc.enable()
    try:
        os.utime(path)  # recently used: evicted last
    except OSError:
        pass
    return dataset


def write(key: str, ds: model.Dataset) -> None:
    """Store ``ds`` atomically; a cache that cannot be written is silently skipped."""
    folder = cache_dir()
    if folder is None:
        return
    import tempfile

    payload = to_json(ds).encode("utf-8")
    header = b" ".join((MAGIC, str(CACHE_FORMAT).encode(), _blake2b(payload).hexdigest().encode()))
    tmp = None
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".tmp", delete=False) as handle:
            tmp = handle.name
            handle.write(header + b"\n" + payload)
        os.replace(tmp, _entry_path(folder, key))
        tmp = None
        tidy(folder)
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def tidy(folder: str, keep: int | None = None) -> None:
    """Remove stale temporary files, and the least recently used entries beyond ``keep``."""
    import time

    keep = MAX_ENTRIES if keep is None else keep
    now = time.time()
    entries = []
    try:
        listing = list(os.scandir(folder))
    except OSError:
        return
    for item in listing:
        try:
            info = item.stat(follow_symlinks=False)
        except OSError:
            continue
        if item.name.endswith(".tmp") and now - info.st_mtime > STALE_TEMPORARY_SECONDS:
            _remove(item.path)
        elif item.name.endswith(".json") and len(item.name) == 69:  # 64 hex digits + ".json"
            entries.append((info.st_mtime, item.path))
    entries.sort(reverse=True)
    for _mtime, path in entries[keep:]:
        _remove(path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def read_contents(paths: Sequence[str | os.PathLike], quiet: bool = False) -> list[bytes]:
    """The bytes of every dataset file, each read with the size limit; DataError naming every
    file that cannot be read. ``quiet``: no note on stderr while a FIFO is silent."""
    from ..errors import Problems
    from .files import DataFileError, read_file_bytes, stderr_notice

    contents: list[bytes] = []
    problems = Problems()
    for path in paths:
        try:
            contents.append(read_file_bytes(path, notice=None if quiet else stderr_notice))
        except DataFileError as err:
            problems.extend(err.problems)
    problems.finalize()
    return contents


def load_dataset_cached(
    paths: Sequence[str | os.PathLike], progress=None, contents: Sequence[bytes] | None = None
) -> model.Dataset:
    """Load ``paths`` from the cache when their bytes are unchanged, else parse and store them.

    ``contents`` are the files' bytes where the caller has read them already (each input is
    read once: a FIFO gives its bytes only once). Raises DataError exactly as load_dataset
    does; ``progress`` is passed to it.
    """
    contents = read_contents(paths) if contents is None else list(contents)
    key = content_key(paths, contents)
    cached = read(key)
    if cached is not None:
        return cached
    from .load import load_dataset

    ds = load_dataset(paths, contents, progress)
    write(key, ds)
    return ds
