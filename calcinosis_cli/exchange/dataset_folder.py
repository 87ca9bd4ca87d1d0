"""A dataset as a folder of data files, one per reference: what `export --format yaml --split`
writes, to start a folder (`--data DIR`) from one big file.

Each reference gets a file named by its id, holding the reference and every record that
belongs to it: a record naming a ``reference`` goes with that reference, a record naming a
``study`` with that study's reference (cases, and any new section of that shape), and each
file declares the footnotes its own studies use (markers belong to their file). Everything
else (the dataset's metadata, your vocabulary, quirks, and records of no reference) is in
``dataset.yaml``. The files are the data file format of dataset_file.py, built by the same
section table, so the folder reads back to the same records (the rows then come in folder
order: grouped by reference).
"""

from __future__ import annotations

import re

from .. import model
from ..dataset.sections import LIST_SECTIONS
from .dataset_file import dataset_sections

SHARED_NAME = "dataset"


def file_stem(reference_id: str) -> str:
    """A file name from a reference id: letters, digits, '.', '_' and '-' kept, others '-'."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", reference_id).strip(".-") or "reference"
    return stem[:100]


def _owner(record: object, study_reference: dict[str, str]) -> str | None:
    """The reference a record belongs to, or None (it goes to the shared file)."""
    reference = getattr(record, "reference", None)
    if isinstance(reference, str):
        return reference
    study = getattr(record, "study", None)
    if isinstance(study, str):
        return study_reference.get(study)
    return None


def split_sections(ds: model.Dataset) -> dict[str, dict[str, object]]:
    """File name (``<stem>.yaml``) -> the sections of that file, the shared file first."""
    study_reference = {s.id: s.reference for s in ds.studies}
    owners: list[str | None] = [None, *ds.references]
    held: dict[str | None, dict[str, list]] = {owner: {} for owner in owners}
    for section in LIST_SECTIONS:
        if section.attr is None or section.name == "footnotes":
            continue
        records = getattr(ds, section.attr)
        for record in records.values() if section.keyed else records:
            if section.name == "references":
                owner = record.id  # type: ignore[attr-defined]
            else:
                owner = _owner(record, study_reference)
                owner = owner if owner in held else None
            held[owner].setdefault(section.name, []).append(record)
    by_name = {s.name: s for s in LIST_SECTIONS}
    names = _file_names(list(ds.references))
    out: dict[str, dict[str, object]] = {}
    used = {s.footnote for s in ds.studies if s.footnote is not None}
    for owner, sections in held.items():
        if owner is None:  # footnotes no row uses: kept, in the shared file
            notes = [n for n in ds.footnotes if n not in used]
        else:
            notes = list(dict.fromkeys(s.footnote for s in sections.get("studies", []) if s.footnote is not None))
        if notes:
            sections["footnotes"] = notes
        fields = {}
        for name, records in sections.items():
            section = by_name[name]
            fields[section.attr] = {section.key(r): r for r in records} if section.keyed else tuple(records)
        empty = {s.attr: ({} if s.keyed else ()) for s in LIST_SECTIONS if s.attr is not None}
        part = ds._replace(**{**empty, **fields}, study_index=None)
        if owner is not None:
            part = part._replace(source="")  # the dataset's metadata is written once, in the shared file
        written = dataset_sections(part, with_meta=owner is None)
        if owner is None or written:
            out[f"{SHARED_NAME if owner is None else names[owner]}.yaml"] = written
    return out


def _file_names(reference_ids: list[str]) -> dict[str, str]:
    """Reference id -> a file stem unique in the folder (also when case is ignored)."""
    taken = {SHARED_NAME}
    out: dict[str, str] = {}
    for ident in reference_ids:
        stem = base = file_stem(ident)
        number = 2
        while stem.lower() in taken:
            stem = f"{base}-{number}"
            number += 1
        taken.add(stem.lower())
        out[ident] = stem
    return out
