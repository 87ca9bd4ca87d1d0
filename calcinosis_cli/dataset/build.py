"""The Dataset from merged records: what load.check_files merged, or (assemble) the records of
files that passed every check before, from the cache. Kept apart from the loader, which needs
the YAML reader and the checks, so that a warm start imports neither."""

from __future__ import annotations

from collections.abc import Sequence

from .. import model
from .sections import LIST_SECTIONS


def assemble(
    parts: Sequence[tuple[dict | None, dict[str, list]]], resolved: dict, files: Sequence[str]
) -> model.Dataset:
    """The dataset of files that passed every check before: each file's own records (``parts``:
    its meta and records by section, in file order), merged as check_files merges them, with
    the records the checks across files changed (``resolved``) put in their place."""
    merged: dict = {section.name: {} for section in LIST_SECTIONS}
    meta = None
    by_name = {section.name: section for section in LIST_SECTIONS}
    for part_meta, records in parts:
        if meta is None and part_meta is not None:
            meta = part_meta
        for name, items in records.items():
            key_of = by_name[name].key
            into = merged[name]
            for record in items:
                into.setdefault(key_of(record), record)
    for name, changed in resolved.items():
        into = merged[name]
        for key, record in changed.items():
            if key not in into:
                raise KeyError(f"{name} {key!r} is in no file")
            into[key] = record
    merged["meta"] = meta or {}
    merged["files"] = list(files)
    return build_dataset(merged)


def build_dataset(merged: dict) -> model.Dataset:
    """The model of what check_files merged (without problems)."""
    meta = merged["meta"]
    sections = {
        s.attr: merged[s.name] if s.keyed else tuple(merged[s.name].values())
        for s in LIST_SECTIONS
        if s.attr is not None
    }
    return model.Dataset(
        title=meta.get("title", "User dataset"),
        version=meta.get("version", "unversioned"),
        source=meta.get("source", ""),
        table_title=meta.get("table_title", ""),
        notes=tuple(meta.get("notes", ())),
        files=tuple(merged["files"]),
        **sections,
    ).with_index()
