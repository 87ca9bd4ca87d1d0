"""Import: extraction sheets and reference-manager exports turned into one data file.

Each input becomes the tree a YAML data file would give (exchange/sheet.py for a sheet,
exchange/formats/ for RIS, PubMed, BibTeX and CSL-JSON), its nodes positioned at the
input's rows and columns or records and tags. The loader then checks those trees exactly as it
checks data files, beside the files the output will be read with, and every problem it finds
is told at the place in the input the user can open: ``sheet.csv: row 4, column n: ...`` or
``refs.ris: record 3 (Smith 2024), PY: ...``. Nothing is written while any problem remains.

Decisions made here:
- A reference's id is its first author's surname and year (``smith2024``), with a, b, ...
  where two would share one, or where the data already has it (the writers in exchange/formats/ makes the
  same keys for `cite`).
- A sheet's ``reference`` cell names a reference by that id, by the key it has in its own
  file (RIS ``ID``, BibTeX key, CSL ``id``), by its DOI or by its PMID.
- A sheet's ``class`` cell declares the row's treatment when the vocabulary lacks it; a class
  given for a known treatment must be the class it has.
- The same work twice (the same DOI, PMID, or first author, year and title), in two inputs or
  already in the data, is one reference, kept from the first; a note says so.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import NamedTuple

from .. import model
from ..dataset.tree import Mapping, Node, Scalar
from ..dataset.tree import Sequence as YSequence
from ..errors import Problem, UsageError
from .sheet import read_sheet

SHEET_SUFFIXES = (".csv",)
_DOI_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_PMID_RE = re.compile(r"^(?:pmid:?\s*)?(\d{1,9})$", re.IGNORECASE)


def _problem(path: str, where: str | None, message: str, line: int = 0, column: int = 0) -> Problem:
    """A problem told at ``where`` in the input's own terms ("row 4, column n", "record 3 (Smith
    2024), PY"), or of the file as a whole; ``line`` and ``column`` order it."""
    return Problem(path, line, column, message, where) if where else Problem(path, None, None, message)


class Imported(NamedTuple):
    sections: dict[str, object]  # the data file's sections
    studies: int
    references: int
    treatments: int
    notes: list[str]  # what was left out or renamed, and why


def _scalar(value: str, line: int, column: int) -> Scalar:
    return Scalar(value, line, column, True, False)


def _mapping(pairs: list[tuple[str, Node]], line: int, column: int) -> Mapping:
    return Mapping({key: (_scalar(key, line, column), node) for key, node in pairs}, line, column)


# --- the inputs -------------------------------------------------------------------------------


class _Input:
    """One input file: its tree, and how to tell a (line, column) of the tree in its own terms."""

    def __init__(self, path: str):
        self.path = path
        self.tree: Node | None = None
        self.problems: list[Problem] = []

    def where(self, line: int | None, column: int | None) -> str | None:
        return None

    def tell(self, message: str) -> str:
        """A loader's message in the terms of this kind of input."""
        return message


class _SheetInput(_Input):
    def __init__(self, path: str, data: bytes):
        super().__init__(path)
        from .appraisal_sheet import is_appraisal_sheet, read_appraisal_sheet

        sheet = read_appraisal_sheet(path, data) if is_appraisal_sheet(data) else read_sheet(path, data)
        self.sheet = sheet
        self.tree = sheet.tree
        self.problems.extend(sheet.problems)

    def tell(self, message: str) -> str:
        return message.replace("(define it under 'treatments', or", "(give its class in the column class, or")

    def where(self, line, column):
        if line is None:
            return None
        if line == 1 and not column:
            return None  # the sheet as a whole
        name = self.sheet.columns[column - 1] if column and 0 < column <= len(self.sheet.columns) else None
        return f"row {line}" + (f", column {name}" if name else "")


class _ReferenceInput(_Input):
    def __init__(self, path: str, records: list):
        super().__init__(path)
        self.records = records
        self.tags: list[list[str]] = [[] for _ in records]  # per record, column - 1 -> the tag
        self.keys: list[str] = []

    def where(self, line, column):
        if line is None or not 0 < line <= len(self.records):
            return None
        record = self.records[line - 1]
        tags = self.tags[line - 1]
        tag = tags[column - 1] if column and 0 < column <= len(tags) else None
        return record.label + (f", {tag}" if tag else "")


def _read_inputs(paths: Sequence[str], datas: Sequence[bytes]) -> list[_Input]:
    inputs: list[_Input] = []
    for path, data in zip(paths, datas, strict=True):
        if path.lower().endswith(SHEET_SUFFIXES):
            inputs.append(_SheetInput(path, data))
            continue
        from .formats import ReferenceFileError, detect_format, read_references

        fmt = detect_format(path, data)
        if fmt is None:
            raise UsageError(
                f"{path}: cannot tell what this file is: give an extraction sheet (.csv) or references "
                "exported as RIS (.ris), PubMed (.nbib), BibTeX (.bib) or CSL-JSON (.json)"
            )
        try:
            records = read_references(path, data)
        except ReferenceFileError as err:  # its message names the file and the record
            item = _Input(path)
            item.problems.append(Problem("", None, None, str(err)))
            inputs.append(item)
            continue
        inputs.append(_ReferenceInput(path, records))
    return inputs


# --- references -------------------------------------------------------------------------------


# The order a reference's fields take in the data file (as in fields.REFERENCE_SPEC).
def _reference_fields() -> tuple[str, ...]:
    """The fields of a reference in the order the data file gives them (REFERENCE_SPEC's)."""
    from ..dataset.specs import REFERENCE_SPEC

    return tuple(REFERENCE_SPEC[key].attr for key in REFERENCE_SPEC if key != "id")


def _unusable(item: _ReferenceInput) -> list[tuple[int, str]]:
    """(record index, why) for each record that cannot be a reference: a stated value that is
    not one (a placeholder year), or a field its type needs that it lacks."""
    from ..references import csl

    out = []
    for j, record in enumerate(item.records):
        why = [f"{tag}: {message}" for tag, message in record.problems]
        lacking = [name for name in csl.missing(record.fields) if not (name == "year" and why)]
        if lacking:
            kind = record.fields.get("type", csl.DEFAULT_TYPE)
            why.append(
                f"missing {', '.join(lacking)} ({csl.a_type(str(kind))} needs {'it' if len(lacking) == 1 else 'them'})"
            )
        if why:
            out.append((j, "; ".join(why)))
    return out


def _identity(fields: dict) -> tuple[str, ...]:
    """What makes two records the same work: a DOI or PMID where given, or the same first
    author's surname, year and title (letters and digits only, any case)."""
    from ..references.names import split_name
    from ..words import fold

    out = []
    if fields.get("doi"):
        out.append("doi:" + str(fields["doi"]).lower())
    if fields.get("pmid"):
        out.append("pmid:" + str(fields["pmid"]))
    authors, year, title = fields.get("authors"), fields.get("year"), fields.get("title")
    if authors and year and title:
        words = "".join(c for c in fold(str(title)) if c.isalnum())
        out.append(f"work:{fold(split_name(authors[0])[0])}:{year}:{words}")
    return tuple(out)


def _known_identity(ref: model.Reference) -> tuple[str, ...]:
    return _identity({"doi": ref.doi, "pmid": ref.pmid, "authors": ref.authors, "year": ref.year, "title": ref.title})


def _reference_keys(
    inputs: list[_Input], known: dict, notes: list[str]
) -> tuple[dict[tuple[int, int], str], dict[str, str]]:
    """(input index, record index) -> the id of each record kept, and each record's own key
    (RIS ID, BibTeX key) -> the id it has here. A work already in the data (``known``) or given
    twice is kept once, under the id it has there; ``notes`` says so."""
    from ..references.keys import unique_keys

    kept: list[tuple[int, int, object]] = []
    # identity -> (how to name it, the id it has in the data, or where it is kept here)
    seen: dict[str, tuple[str, str | tuple[int, int]]] = {}
    same_as: list[tuple[str, str | tuple[int, int]]] = []  # (a left-out record's own key, what it is)
    for ref in known.values():
        for k in _known_identity(ref):
            seen.setdefault(k, (f"{ref.id!r}, already in the data", ref.id))
    for i, item in enumerate(inputs):
        if not isinstance(item, _ReferenceInput):
            continue
        for j, record in enumerate(item.records):
            same = next((seen[k] for k in _identity(record.fields) if k in seen), None)
            if same is not None:
                notes.append(f"{item.path}: {record.label} is the same work as {same[0]}: left out (rows may cite it)")
                if record.key:
                    same_as.append((record.key, same[1]))
                continue
            for k in _identity(record.fields):
                seen[k] = (f"{item.path}: {record.label}", (i, j))
            kept.append((i, j, record))
    stand_ins = []
    for _i, _j, record in kept:
        fields = record.fields
        stand_ins.append(
            model.Reference(
                id="",  # so that the key is first author and year
                authors=tuple(fields.get("authors", ())),
                title=str(fields.get("title", "")),
                journal=str(fields.get("journal", "")),
                year=fields.get("year") if isinstance(fields.get("year"), int) else 0,
            )
        )
    keys = unique_keys(stand_ins)
    # A key already taken by the data the file will be read with gets a suffix as well.
    out: dict[tuple[int, int], str] = {}
    used = set(known)
    for (i, j, record), key in zip(kept, keys, strict=True):
        final, n = key, 0
        while final in used:
            final = f"{key}{chr(ord('a') + n)}" if n < 26 else f"{key}x{n}"
            n += 1
        if final != key:
            notes.append(f"{inputs[i].path}: {record.label}: the key {key!r} is taken; its id is {final!r}")
        used.add(final)
        out[(i, j)] = final
    own_keys = {record.key: out[(i, j)] for i, j, record in kept if record.key}
    for key, what in same_as:
        own_keys.setdefault(key, what if isinstance(what, str) else out[what])
    return out, own_keys


def _reference_tree(item: _ReferenceInput, index: int, keys: dict[tuple[int, int], str]) -> Node:
    items = []
    for j, record in enumerate(item.records):
        if (index, j) not in keys:
            continue
        line = j + 1
        tags = item.tags[j]
        where = record.where if isinstance(record.where, dict) else {}

        def at(field: str, tags: list[str] = tags, where: dict = where) -> int:
            tags.append(where.get(field, field))
            return len(tags)

        pairs: list[tuple[str, Node]] = [("id", _scalar(keys[(index, j)], line, at("id")))]
        for name in _reference_fields():
            if name not in record.fields:
                continue
            value = record.fields[name]
            column = at(name)
            if isinstance(value, (tuple, list)):
                node: Node = YSequence(tuple(_scalar(str(v), line, column) for v in value), line, column)
            elif isinstance(value, bool):
                node = _scalar("true" if value else "false", line, column)
            else:
                node = _scalar(str(value), line, column)
            pairs.append((name, node))
        items.append(_mapping(pairs, line, 0))  # column 0: the record as a whole
    # The file as a whole sits at line 0, which names no record.
    return _mapping([("references", YSequence(tuple(items), 0, 0))], 0, 0) if items else _mapping([], 0, 0)


# --- the sheet's references and classes -----------------------------------------------------------


def _resolve_references(item: _SheetInput, by_name: dict[str, str]) -> None:
    """Each study's reference cell, given as an id, DOI or PMID, becomes the reference's id."""
    studies = item.tree.items.get("studies") if isinstance(item.tree, Mapping) else None
    if studies is None:
        return
    for study in studies[1].items:
        pair = study.items.get("reference")
        if pair is None:
            continue
        node = pair[1]
        value = node.value.strip()
        doi, pmid = _DOI_RE.match(value), _PMID_RE.match(value)
        found = (
            by_name.get("doi:" + doi.group(1).lower())
            if doi
            else by_name.get("pmid:" + pmid.group(1))
            if pmid
            else by_name.get(value)
        )
        if found is None and (doi or pmid):
            kind, ident = ("DOI", doi.group(1)) if doi else ("PMID", pmid.group(1))  # type: ignore[union-attr]
            message = f"no reference given has the {kind} {ident}"
            item.problems.append(
                _problem(item.path, item.where(node.line, node.column), message, node.line, node.column)
            )
        elif found is not None and found != value:
            study.items["reference"] = (pair[0], Scalar(found, node.line, node.column, True, False))


def _declare_treatments(item: _SheetInput, known: dict, classes: dict, declared: dict) -> int:
    """A treatment section for the sheet's class cells of treatments the vocabulary lacks."""
    from ..words import did_you_mean, fold

    names = {fold(n): t for t in known.values() for n in (t.id, *t.aliases)}
    class_names = {fold(c): c for c in classes}
    new = []
    for treatment, klass, row, column in item.sheet.classes:
        where = item.where(row, column)
        cls = class_names.get(fold(klass))
        if cls is None:
            message = f"unknown treatment class {klass!r}{did_you_mean(klass, sorted(classes))}"
            item.problems.append(_problem(item.path, where, message, row, column))
            continue
        existing = names.get(fold(treatment))
        if existing is not None:
            if existing.treatment_class != cls:
                message = (
                    f"{existing.id!r} is already a treatment of class {existing.treatment_class!r} "
                    f"({'the tool' if existing.origin == model.TOOL_VOCABULARY else existing.origin}); "
                    "leave its class empty"
                )
                item.problems.append(_problem(item.path, where, message, row, column))
            continue
        first = declared.get(fold(treatment))
        if first is not None:
            if first[0] != cls:
                message = f"{treatment!r} is given the class {first[0]!r} in row {first[1]} and {cls!r} here"
                item.problems.append(_problem(item.path, where, message, row, column))
            continue
        declared[fold(treatment)] = (cls, row)
        new.append(
            _mapping([("id", _scalar(treatment, row, column)), ("class", _scalar(cls, row, column))], row, column)
        )
    if new and isinstance(item.tree, Mapping):
        item.tree.items["treatments"] = (_scalar("treatments", 1, 0), YSequence(tuple(new), 1, 0))
    return len(new)


# --- import ------------------------------------------------------------------------------------


_LABEL_RE = re.compile(r"^(\w+)\[\d+\]( '[^']*')?( field '[^']*')?: ")


def _tell(message: str) -> str:
    """A loader message without its record index, which means nothing in a sheet."""
    match = _LABEL_RE.match(message)
    if not match:
        return message
    what = {"studies": "study", "references": "reference", "treatments": "treatment"}.get(match.group(1), "")
    name = f"{what}{match.group(2) or ''}".strip()
    return f"{name}: {message[match.end() :]}" if name else message[match.end() :]


def import_files(
    paths: Sequence[str],
    datas: Sequence[bytes],
    known: model.Dataset,
    context: Sequence[str],
    context_datas: Sequence[bytes],
    strict: bool = False,
    notes: list[str] | None = None,
) -> tuple[Imported | None, list[Problem]]:
    """Read the inputs, check them beside the ``context`` files (what the output will be read
    with, already loaded as ``known``) and return the sections of one data file, or None and
    every problem found.

    A reference record that cannot be used (a required field missing, a placeholder year) is
    left out with a note (appended to ``notes`` as well, when given, so that a caller has them
    even when the import fails); with ``strict`` it is a problem, and nothing is written."""
    from ..dataset.load import check_files

    inputs = _read_inputs(paths, datas)
    notes = [] if notes is None else notes
    for item in inputs:
        if not isinstance(item, _ReferenceInput):
            continue
        bad = _unusable(item)
        for j, why in bad:
            message = f"{item.records[j].label}: {why}"
            if strict:
                item.problems.append(Problem(item.path, j + 1, 0, why, item.records[j].label))
            else:
                notes.append(f"{item.path}: {message}: left out")
        if bad and not strict:
            left_out = {j for j, _ in bad}
            item.records = [r for j, r in enumerate(item.records) if j not in left_out]
            item.tags = [[] for _ in item.records]
    keys, own_keys = _reference_keys(inputs, known.references, notes)
    by_name: dict[str, str] = dict(own_keys)  # a sheet may cite a record by the key it has in its file
    references = 0
    for i, item in enumerate(inputs):
        if isinstance(item, _ReferenceInput):
            item.tree = _reference_tree(item, i, keys)
            for j, record in enumerate(item.records):
                key = keys.get((i, j))
                if key is None:
                    continue
                references += 1
                by_name[key] = key
                for ident in _identity(record.fields):
                    by_name.setdefault(ident, key)
    for ref in known.references.values():
        by_name.setdefault(ref.id, ref.id)
        for ident in _known_identity(ref):
            by_name.setdefault(ident, ref.id)
    declared: dict[str, tuple[str, int]] = {}
    treatments = 0
    for item in inputs:
        if isinstance(item, _SheetInput):
            _resolve_references(item, by_name)
            treatments += _declare_treatments(item, known.treatments, known.classes, declared)
    problems = [p for item in inputs for p in item.problems]
    readable = [item for item in inputs if item.tree is not None]
    trees = {item.path: item.tree for item in readable}
    merged, found = check_files(
        [*context, *(item.path for item in readable)],
        [*context_datas, *(b"" for _ in readable)],
        trees=trees,
    )
    by_path = {item.path: item for item in readable}
    # A cell the import has told a problem of (a DOI no reference has) is not told again in the
    # loader's words; nor is the treatment of a row whose class cell has a problem.
    told = {(p.path, p.line, p.column) for p in problems}
    classless = {(p.path, p.line) for p in problems if (p.where or "").endswith("column class")}
    for problem in found:
        item = by_path.get(problem.path)
        if item is None:  # a problem of the files the output is read with
            where = f"line {problem.line}" if problem.line else None
            problems.append(_problem(problem.path, where, problem.message))
            continue
        line, column = problem.line or 0, problem.column or 0
        if (item.path, line, column) in told:
            continue
        if (item.path, line) in classless and "unknown treatment" in problem.message:
            continue
        message = item.tell(_tell(problem.message))
        problems.append(_problem(item.path, item.where(line, column), message, line, column))
    if problems or merged is None:
        order = {path: index for index, path in enumerate([*context, *paths])}
        problems.sort(key=lambda p: (order.get(p.path, -1), p.line or 0, p.column or 0))
        return None, problems
    from ..dataset.load import build_dataset
    from ..dataset.sections import LIST_SECTIONS
    from .dataset_file import dataset_sections

    # Of what was checked together, the data file holds only the records the inputs define.
    mine = set(paths)
    defined = merged["defined_in"]
    own = {}
    for section in LIST_SECTIONS:
        where = defined.get(section.name, {})
        records = {k: r for k, r in merged[section.name].items() if where.get(k) in mine}
        own[section.attr] = records if section.keyed else tuple(records.values())
    ds = build_dataset(merged)._replace(title="", source="", notes=(), **own)
    return Imported(dataset_sections(ds, with_meta=False), len(ds.studies), references, treatments, notes), []


def describe_inputs(paths: Sequence[str]) -> str:
    return ", ".join(os.path.basename(p) for p in paths)
