"""Read dataset files, check them one by one and together, and build the model.

Every problem is collected (not just the first), each naming the file, line, column, record
and field. Reading one file is read.py, names resolve.py, the checks across records check.py;
the sections and fields of the format are sections.py and specs.py. Nothing here knows about
click or terminals.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

from .. import model
from ..errors import DataError, Problem, Problems
from .appraisals import check_appraisals
from .build import build_dataset
from .certainty import check_certainty
from .check import check_partial_studies, cross_check
from .files import bundled_paths
from .places import Places
from .read import FileContent, Progress, read_file
from .resolve import resolve_names
from .sections import LIST_SECTIONS
from .tree import Node

__all__ = ["DataError", "Problem", "Progress", "build_dataset", "check_files", "load_dataset"]


class Parts(Protocol):
    """Where files already read and checked on their own are kept, by name and bytes (the
    cache's ``cache.Parts``; named here by what the loader asks of it, so that the loader needs
    nothing of the cache)."""

    def get(self, path: str, data: bytes) -> tuple | None: ...

    def put(self, path: str, data: bytes, meta: dict | None, records: dict) -> None: ...


def check_files(
    paths: Iterable[str | os.PathLike],
    contents: Sequence[bytes] | None = None,
    progress: Progress | None = None,
    trees: dict[str, Node] | None = None,
    parts: Parts | None = None,
) -> tuple[dict, list[Problem]]:
    """Read, validate and merge ``paths`` (whose bytes may be given); return the parts and every problem.

    ``trees`` gives, for some paths, their node tree already built: an extraction sheet or a
    reference file turned into the shape of a data file, its nodes positioned at rows and
    columns, so that every problem points into the file the user gave. ``parts`` (with
    ``contents``) holds files already read and checked on their own, by name and bytes: such a
    file is not parsed again, and a file with no problems of its own is stored there.
    ``merged["defined_in"]`` says, per section, which file defines each key.
    """
    merged, problems = _check_files(paths, contents, progress, trees, parts)
    merged["defined_in"] = merged.pop("places").defined_in()  # section -> {key: path}
    return merged, problems


def _check_files(
    paths: Iterable[str | os.PathLike],
    contents: Sequence[bytes] | None = None,
    progress: Progress | None = None,
    trees: dict[str, Node] | None = None,
    parts: Parts | None = None,
) -> tuple[dict, list[Problem]]:
    """check_files, with ``merged["places"]`` (where each record is) instead of ``defined_in``."""
    # Reading builds millions of objects and no cycles; the cyclic collector would walk them
    # all again and again (a full collection every few hundred thousand allocations) for nothing.
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return _check_files_now(paths, contents, progress, trees, parts)
    finally:
        if enabled:
            gc.enable()


def _check_files_now(
    paths: Iterable[str | os.PathLike],
    contents: Sequence[bytes] | None,
    progress: Progress | None,
    trees: dict[str, Node] | None,
    parts: Parts | None,
) -> tuple[dict, list[Problem]]:
    paths = [str(path) for path in paths]
    trees = trees or {}
    problems = Problems()
    merged: dict[str, dict] = {section.name: {} for section in LIST_SECTIONS}
    data_of = dict(zip(paths, contents, strict=True)) if contents is not None else {}

    def reread(path: str) -> Node:
        from .yamlsafe import parse_yaml, parse_yaml_file

        return parse_yaml(data_of[path], path) if path in data_of else parse_yaml_file(path)

    places = Places(reread)
    placed = places.nodes
    meta: dict | None = None
    files: list[str] = []
    partial_studies: list[tuple[str, dict, Node]] = []
    by_name = {section.name: section for section in LIST_SECTIONS}
    for index, path in enumerate(paths):
        data = contents[index] if contents is not None else None
        cacheable = parts is not None and data is not None and path not in trees
        part = parts.get(path, data) if cacheable else None  # type: ignore[union-attr, arg-type]
        if part is not None:
            content = FileContent(path, part[0], part[1])
        else:
            content = read_file(Path(path), data, problems, progress, trees.get(path))
            if content is None:
                continue
            if cacheable and content.clean:
                parts.put(path, data, content.meta, content.records)  # type: ignore[union-attr, arg-type]
        files.append(content.path)
        partial_studies.extend((content.path, fields, node) for fields, node in content.partial_studies)
        if content.meta is not None and meta is None:
            meta = content.meta
        for name, records in content.records.items():
            section = by_name[name]
            key_of = section.key
            into = merged[name]
            nodes = content.nodes[name] if content.nodes is not None else None
            for number, record in enumerate(records):
                key = key_of(record)
                where = (name, key)
                if where in placed:
                    first_path, first = places.first(name, key)
                    node = places.node(content.path, name, nodes[number] if nodes is not None else number)
                    problems.at(
                        content.path,
                        node,
                        f"{name}: duplicate id {section.shown_key(key)!r} (first defined at {first_path}:{first.line})",
                    )
                    continue
                placed[where] = (path, nodes[number] if nodes is not None else number)
                into[key] = record
    # Names and cross-checks run on the records that loaded, so one bad record does not hide the
    # rest, and on what did load of records with problems, so each record's problems are all listed.
    as_read = {name: dict(records) for name, records in merged.items()}
    resolve_names(merged, places, problems)
    cross_check(merged, places, problems)
    check_appraisals(merged, places, problems)
    check_partial_studies(merged, partial_studies, problems)
    check_certainty(merged, places, problems)
    # The records the checks across files changed (names resolved to ids): with each file's own
    # records, all a cache needs to give this dataset back without checking it again.
    resolved = {}
    for name, records in merged.items():
        first = as_read[name]
        changed = {key: record for key, record in records.items() if first.get(key) is not record}
        if changed:
            resolved[name] = changed
    merged["resolved"] = resolved
    problems.sort()
    merged["meta"] = meta or {}
    merged["files"] = files
    merged["places"] = places
    return merged, list(problems)


def load_dataset(
    paths: Iterable[str | os.PathLike] | None = None,
    contents: Sequence[bytes] | None = None,
    progress: Progress | None = None,
    parts: Parts | None = None,
) -> model.Dataset:
    """Load and validate the files (the bundled data by default); raise DataError on problems."""
    paths = bundled_paths() if paths is None else paths
    merged, problems = _check_files(paths, contents, progress, parts=parts)
    Problems(problems).finalize()
    return build_dataset(merged)


def load_dataset_and_changes(
    paths: Sequence[str], contents: Sequence[bytes], progress: Progress | None, parts: Parts | None
) -> tuple[model.Dataset, dict[str, dict]]:
    """load_dataset, and the records that the checks across files changed (see assemble)."""
    merged, problems = _check_files(paths, contents, progress, parts=parts)
    Problems(problems).finalize()
    return build_dataset(merged), merged["resolved"]
