"""A cache of validated datasets, keyed by the content of the files they came from.

Parsing YAML costs far more than reading JSON, and a CLI in a pipeline is started again
and again on the same files. Only datasets that passed validation are stored; a cache
entry that cannot be read or rebuilt is ignored and the files are parsed again. Turn it
off with CALCINOSIS_NO_CACHE=1; CALCINOSIS_CACHE_DIR moves it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

from . import __version__, model

# Bump when the model's shape changes, so old entries are not rebuilt into new classes.
CACHE_FORMAT = 2


def cache_dir() -> str | None:
    """Where entries live, or None when caching is off."""
    if os.environ.get("CALCINOSIS_NO_CACHE"):
        return None
    configured = os.environ.get("CALCINOSIS_CACHE_DIR")
    if configured:
        return configured
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "calcinosis")


def content_key(paths: Sequence[str | os.PathLike], contents: Sequence[bytes]) -> str:
    """A hash of the tool version, the file names and their bytes."""
    try:
        from _blake2 import blake2b  # the C module behind hashlib.blake2b, without hashlib's 2.5 ms import
    except ImportError:
        from hashlib import blake2b
    digest = blake2b(f"{__version__}\0{CACHE_FORMAT}".encode(), digest_size=32)
    for path, data in zip(paths, contents, strict=True):
        digest.update(b"\0" + os.fsencode(os.fspath(path)) + b"\0")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _tuples(cls: type, data: dict) -> dict:
    """Lists back to tuples (JSON has only lists; the model holds tuples)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}


def _plain(obj: object) -> object:
    """Records to dicts, recursively, for JSON (which would write a NamedTuple as a list)."""
    if hasattr(obj, "_asdict"):
        return {k: _plain(v) for k, v in obj._asdict().items()}  # type: ignore[attr-defined]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def _study(data: dict) -> model.Study:
    data = _tuples(model.Study, data)
    if data.get("tally") is not None:
        data["tally"] = model.Tally(**_tuples(model.Tally, data["tally"]))
    return model.Study(**data)


def to_json(ds: model.Dataset) -> str:
    return json.dumps(_plain(ds._replace(study_index=None)), ensure_ascii=False, separators=(",", ":"))


def from_json(text: str) -> model.Dataset:
    """Rebuild a Dataset; raises on any mismatch with the model."""
    d = json.loads(text)
    return model.Dataset(
        title=d["title"],
        version=d["version"],
        source=d["source"],
        table_title=d["table_title"],
        treatments={k: model.Treatment(**_tuples(model.Treatment, v)) for k, v in d["treatments"].items()},
        diagnoses={k: model.Diagnosis(**_tuples(model.Diagnosis, v)) for k, v in d["diagnoses"].items()},
        footnotes={k: model.Footnote(**v) for k, v in d["footnotes"].items()},
        references={k: model.Reference(**_tuples(model.Reference, v)) for k, v in d["references"].items()},
        studies=tuple(_study(s) for s in d["studies"]),
        cases=tuple(model.Case(**_tuples(model.Case, c)) for c in d["cases"]),
        quirks=tuple(model.Quirk(**_tuples(model.Quirk, q)) for q in d["quirks"]),
        later_evidence=tuple(model.LaterEvidence(**_tuples(model.LaterEvidence, e)) for e in d["later_evidence"]),
        notes=tuple(d["notes"]),
        files=tuple(d["files"]),
    ).with_index()


def read(key: str) -> model.Dataset | None:
    """The cached dataset for ``key``, or None if absent or unusable."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(os.path.join(folder, f"{key}.json"), encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return None
    # Rebuilding creates millions of objects for a large dataset; the cyclic collector
    # would run again and again over them (about a quarter of a warm run) for nothing.
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return from_json(text)
    except (ValueError, KeyError, TypeError):
        return None
    finally:
        if enabled:
            gc.enable()


def write(key: str, ds: model.Dataset) -> None:
    """Store ``ds`` atomically; a cache that cannot be written is silently skipped."""
    folder = cache_dir()
    if folder is None:
        return
    import tempfile

    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False) as tmp:
            tmp.write(to_json(ds))
        os.replace(tmp.name, os.path.join(folder, f"{key}.json"))
    except OSError:
        try:
            os.unlink(tmp.name)
        except (OSError, NameError):
            pass


def load_dataset_cached(paths: Sequence[str | os.PathLike]) -> model.Dataset:
    """Load ``paths`` from the cache when their bytes are unchanged, else parse and store them.

    Raises load.DataError exactly as load.load_dataset does.
    """
    contents: list[bytes] = []
    for path in paths:
        try:
            if os.stat(path).st_size > _LARGE:
                break  # leave the size message to the loader
            with open(path, "rb") as handle:
                contents.append(handle.read())
        except OSError:
            break  # leave the message (file name and reason) to the loader
    if len(contents) != len(paths):
        from .load import load_dataset

        return load_dataset(paths)
    key = content_key(paths, contents)
    cached = read(key)
    if cached is not None:
        return cached
    from .load import load_dataset

    ds = load_dataset(paths, contents)
    write(key, ds)
    return ds


# Files larger than this are not read here; the loader refuses them with its own message.
_LARGE = 64 * 1024 * 1024
