"""A cache of validated data, keyed by the content of the files it came from: one entry per
file (the records that file holds, read and checked on its own), and one per set of files (the
whole Dataset, checked together).

Parsing YAML costs far more than reading an entry, and a CLI in a pipeline is started again
and again on the same files. When a folder of files is read and one file changed, only that
file is parsed again: the others come from their own entries, and the checks across files run
on them (a problem that needs a record's position parses its file again, so every message and
position is the same as without the cache). Only what passed validation is stored.

The cache is an optimisation that can never cause an error or a wrong answer: an entry is a
header line with a checksum of its payload, then the payload; anything that cannot be
opened without blocking, read, verified, decoded or rebuilt into the model is a miss, and the
data is read again from its files and the entry rewritten. The payload is a pickle read by an
unpickler that can build only calcinosis's own record classes, each checked against the field
names it was written with (so a changed model is a miss, never a record with shifted fields),
and nothing else: no function is ever called. Entries are written atomically (a temporary file,
then a rename); temporary files that a killed run left behind are removed, and the folder
keeps at most MAX_ENTRIES dataset entries and MAX_PARTS file entries (the least recently used
go first). Turn it off with CALCINOSIS_NO_CACHE=1; CALCINOSIS_CACHE_DIR moves it.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Sequence

from .. import __version__, model

# Bump when the entries' shape changes (the record classes are checked field by field anyway).
CACHE_FORMAT = 7
MAGIC = b"calcinosis-cache"
MAX_ENTRIES = 16  # whole datasets
MAX_PARTS = 4096  # single files: a folder of a few thousand files stays cached
DATASET_SUFFIX = ".dataset"
PART_SUFFIX = ".part"
# A temporary file older than this was left by a run that died; a younger one may be in use.
STALE_TEMPORARY_SECONDS = 3600
_PACKAGE = __name__.split(".")[0]  # calcinosis_cli


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


def part_key(path: str | os.PathLike, data: bytes) -> str:
    """A hash of the tool version, one file's name and its bytes (its records carry its name)."""
    digest = _blake2b(f"{__version__}\0{CACHE_FORMAT}\0".encode())
    digest.update(os.fsencode(os.fspath(path)) + b"\0")
    digest.update(len(data).to_bytes(8, "little"))
    digest.update(data)
    return digest.hexdigest()


def _set_key(part_keys: Sequence[str]) -> str:
    return _blake2b("\0".join((__version__, str(CACHE_FORMAT), "set", *part_keys)).encode()).hexdigest()


def content_key(paths: Sequence[str | os.PathLike], contents: Sequence[bytes]) -> str:
    """A hash of the tool version, the file names and their bytes, in order."""
    return _set_key([part_key(path, data) for path, data in zip(paths, contents, strict=True)])


# --- the payload: a pickle that can build nothing but our own records ------------------------


def _fields_of(cls: type) -> tuple[str, ...] | None:
    """The field names a record class is built from (a NamedTuple's or a dataclass's), else None."""
    fields = getattr(cls, "_fields", None)
    if isinstance(fields, tuple):
        return fields
    fields = getattr(cls, "__dataclass_fields__", None)
    return tuple(fields) if isinstance(fields, dict) else None


def _schema() -> dict[str, tuple[str, ...]]:
    """module:name -> field names, of every record class of the package loaded now (any record
    written was built from one of them)."""
    out: dict[str, tuple[str, ...]] = {}
    for name, module in list(sys.modules.items()):
        if module is None or not (name == _PACKAGE or name.startswith(_PACKAGE + ".")):
            continue
        for obj in list(vars(module).values()):
            if isinstance(obj, type) and obj.__module__ == name:
                fields = _fields_of(obj)
                if fields is not None:
                    out[f"{name}:{obj.__qualname__}"] = fields
    return out


def dumps(obj: object, memo: bool = True) -> bytes:
    """The payload of an entry: the length of the schema's pickle, that pickle, then ``obj``'s."""
    import _pickle
    import io

    schema = _pickle.dumps(_schema(), protocol=4)
    out = io.BytesIO()
    out.write(len(schema).to_bytes(8, "little") + schema)
    pickler = _pickle.Pickler(out, protocol=4)
    # Without the memo, writing is three times faster, but every record then names its class
    # again, and reading is slower; entries are read far more often than written.
    pickler.fast = not memo
    pickler.dump(obj)
    return out.getvalue()


def loads(payload: bytes) -> object:
    """What dumps wrote; raises if it names anything but a record class of ours whose fields
    are still the ones it was written with."""
    import _pickle
    import io

    class Unpickler(_pickle.Unpickler):
        def __init__(self, data: bytes, schema: dict) -> None:
            super().__init__(io.BytesIO(data))
            self.schema = schema

        def find_class(self, module: str, name: str) -> type:
            if not (module == _PACKAGE or module.startswith(_PACKAGE + ".")):
                raise _pickle.UnpicklingError(f"{module}.{name} is not a record of ours")
            if module not in sys.modules:
                __import__(module)
            obj: object = sys.modules[module]
            for part in name.split("."):
                obj = getattr(obj, part)
            if not isinstance(obj, type) or _fields_of(obj) != self.schema.get(f"{module}:{name}"):
                raise _pickle.UnpicklingError(f"{module}.{name} has changed since the entry was written")
            return obj

    size = int.from_bytes(payload[:8], "little")
    schema = Unpickler(payload[8 : 8 + size], {}).load()  # plain values only: no class is allowed
    if not isinstance(schema, dict):
        raise TypeError("no schema")
    return Unpickler(payload[8 + size :], schema).load()


def _entry_path(folder: str, key: str, suffix: str) -> str:
    return os.path.join(folder, key + suffix)


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


def _read_entry(key: str, suffix: str) -> object | None:
    """The object stored under ``key``, or None if absent or unusable in any way."""
    folder = cache_dir()
    if folder is None:
        return None
    path = _entry_path(folder, key, suffix)
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
        obj = loads(payload)
    except Exception:  # noqa: BLE001 - any failure to rebuild is a miss, never an error
        return None
    finally:
        if enabled:
            gc.enable()
    try:
        os.utime(path)  # recently used: evicted last
    except OSError:
        pass
    return obj


def _write_entry(key: str, suffix: str, obj: object, memo: bool = True) -> None:
    """Store ``obj`` atomically; a cache that cannot be written is silently skipped."""
    folder = cache_dir()
    if folder is None:
        return
    import tempfile

    try:
        payload = dumps(obj, memo)
    except Exception:  # noqa: BLE001 - a record that cannot be stored is not cached, never an error
        return
    header = b" ".join((MAGIC, str(CACHE_FORMAT).encode(), _blake2b(payload).hexdigest().encode()))
    tmp = None
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".tmp", delete=False) as handle:
            tmp = handle.name
            handle.write(header + b"\n")
            handle.write(payload)
        os.replace(tmp, _entry_path(folder, key, suffix))
        tmp = None
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def read(key: str) -> model.Dataset | None:
    """The cached dataset for ``key`` (a content_key), or None if absent or unusable in any way."""
    entry = _read_entry(key, DATASET_SUFFIX)
    if not (isinstance(entry, tuple) and len(entry) == 3):
        return None
    part_keys, files, resolved = entry
    if not (isinstance(part_keys, tuple) and _set_key(part_keys) == key and isinstance(resolved, dict)):
        return None
    parts = []
    for part in part_keys:
        found = _read_part(part)
        if found is None:
            return None
        parts.append(found)
    from .build import assemble

    try:
        return assemble(parts, resolved, files).with_index()
    except Exception:  # noqa: BLE001 - entries that do not fit together are a miss
        return None


def write(key: str, part_keys: Sequence[str], files: Sequence[str], resolved: dict) -> None:
    """Store that the files of ``part_keys`` passed every check together, with the records the
    checks across files changed; then tidy the folder."""
    _write_entry(key, DATASET_SUFFIX, (tuple(part_keys), tuple(files), resolved))
    folder = cache_dir()
    if folder is not None:
        tidy(folder)


def _read_part(key: str) -> tuple | None:
    part = _read_entry(key, PART_SUFFIX)
    if not (isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], dict)):
        return None
    if not all(isinstance(records, list) for records in part[1].values()):
        return None
    return part


class Parts:
    """The cache of single files for load.check_files: a file's records, read and checked on
    its own, by its name and bytes. Only a file with no problems of its own is stored."""

    def __init__(self, keys: dict[str, str] | None = None) -> None:
        self.keys = keys or {}  # path -> part_key, where known already

    def _key(self, path: str, data: bytes) -> str:
        key = self.keys.get(path)
        return key if key is not None else part_key(path, data)

    def get(self, path: str, data: bytes) -> tuple | None:
        """(meta, {section: [record, ...]}) of the file, or None."""
        return _read_part(self._key(path, data))

    def put(self, path: str, data: bytes, meta: dict | None, records: dict) -> None:
        _write_entry(self._key(path, data), PART_SUFFIX, (meta, records))


def tidy(folder: str, keep: int | None = None, keep_parts: int | None = None) -> None:
    """Remove stale temporary files, and the least recently used entries beyond ``keep``
    datasets and ``keep_parts`` files."""
    import time

    budget = {
        DATASET_SUFFIX: MAX_ENTRIES if keep is None else keep,
        PART_SUFFIX: MAX_PARTS if keep_parts is None else keep_parts,
    }
    now = time.time()
    entries: dict[str, list[tuple[float, str]]] = {suffix: [] for suffix in budget}
    try:
        listing = list(os.scandir(folder))
    except OSError:
        return
    for item in listing:
        name = item.name
        try:
            info = item.stat(follow_symlinks=False)
        except OSError:
            continue
        if name.endswith(".tmp") and now - info.st_mtime > STALE_TEMPORARY_SECONDS:
            _remove(item.path)
            continue
        stem, dot, suffix = name.partition(".")
        if dot and "." + suffix in entries and len(stem) == 64:  # 64 hex digits
            entries["." + suffix].append((info.st_mtime, item.path))
    for suffix, found in entries.items():
        found.sort(reverse=True)
        for _mtime, path in found[budget[suffix] :]:
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
    """Load ``paths`` from the cache when their bytes are unchanged, else read them (each file
    from its own entry where that file is unchanged) and store the result.

    ``contents`` are the files' bytes where the caller has read them already (each input is
    read once: a FIFO gives its bytes only once). Raises DataError exactly as load_dataset
    does; ``progress`` is passed to it.
    """
    # Reading and merging build millions of objects and no cycles: the cyclic collector
    # would walk them again and again for nothing (see _load_payload and load._check_files).
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_dataset_cached(paths, progress, contents)
    finally:
        if enabled:
            gc.enable()


def _load_dataset_cached(paths, progress, contents) -> model.Dataset:
    contents = read_contents(paths) if contents is None else list(contents)
    names = [os.fspath(path) for path in paths]
    part_keys = [part_key(path, data) for path, data in zip(names, contents, strict=True)]
    key = _set_key(part_keys)
    cached = read(key)
    if cached is not None:
        return cached
    from .load import load_dataset_and_changes

    on = cache_dir() is not None
    ds, resolved = load_dataset_and_changes(
        names, contents, progress, Parts(dict(zip(names, part_keys, strict=True))) if on else None
    )
    if on:
        write(key, part_keys, ds.files, resolved)
    return ds
