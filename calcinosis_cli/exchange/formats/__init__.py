"""Reference-manager files, in and out: RIS, PubMed/MEDLINE, BibTeX and CSL-JSON, each format's
reader beside its writer (ris.py, medline.py, bibtex.py, csl_json.py); what they share is in
records.py. This module tells a file's format (by its content as well as its suffix), reads
it, and writes references in a citation style.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import PurePath

from ...model import Reference
from ...references.bibliography import vancouver
from ...references.keys import distinct
from .bibtex import _read_bibtex, _render_bibtex
from .csl_json import _read_csl, _render_csl_json
from .medline import _read_medline
from .records import _FORMAT_NAMES, _SUFFIXES, ReferenceFileError, ReferenceRecord, _decode, _fail, _one_line
from .ris import _read_ris, _render_ris

__all__ = [
    "CITATION_STYLES",
    "FORMATS",
    "ReferenceFileError",
    "ReferenceRecord",
    "detect_format",
    "read_references",
    "render_citations",
]

FORMATS = ("ris", "bibtex", "csl-json", "medline")


def _sniff(data: bytes) -> str:
    """Text for format detection only: never fails."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def _looks_like_csl(text: str) -> bool:
    try:
        value = json.loads(text)
    except ValueError:
        return False
    if isinstance(value, dict):  # one item, not an array: detected so that reading says so
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return False
    return not value or any("type" in item or "title" in item for item in value)


def detect_format(path: str, data: bytes) -> str | None:
    """By content first (RIS "TY  - ", MEDLINE "PMID- ", BibTeX "@word{", a JSON array of objects with
    'type'/'title'), then by suffix (.ris, .bib, .json, .nbib/.txt); None if it is none of them."""
    text = _sniff(data)
    stripped = text.lstrip("\ufeff \t\n")
    if re.match(r"(?:FN |VR |PT [A-Z]\b)", stripped) and re.search(r"(?m)^(?:PT [A-Z]|AU |TI )", stripped):
        return "web-of-science"
    if re.search(r"(?m)^TY - \S", text) and not re.search(r"(?m)^TY  -", text):
        return "ris-one-space"
    if stripped[:1] in ("[", "{") and _looks_like_csl(stripped):
        return "csl-json"
    first = stripped.split("\n", 1)[0]
    if re.match(r"TY  -( |$)", first):
        return "ris"
    if re.match(r"PMID- ", first):
        return "medline"
    if re.search(r"(?m)^TY  -( |$)", text):
        return "ris"
    if re.search(r"(?m)^PMID- \d", text):
        return "medline"
    if re.search(r"(?m)^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", text):
        return "bibtex"
    return _SUFFIXES.get(PurePath(path).suffix.lower())


def read_references(path: str, data: bytes) -> list[ReferenceRecord]:
    """Every record in the file, in order. Raise ReferenceFileError (one line, naming the file and,
    when it applies, the record) for a file that cannot be parsed. Do NOT validate required fields
    (a missing title is left out of .fields; the importer's validator reports it)."""
    text = _decode(path, data)
    fmt = detect_format(path, data)
    if fmt is None:
        raise _fail(path, f"{path} is not a reference file (RIS, BibTeX, CSL-JSON or MEDLINE) by its content or name")
    if fmt in _UNSUPPORTED:
        raise _fail(path, f"{path} is {_UNSUPPORTED[fmt]}")
    records = _READERS[fmt](path, text)
    if not records:
        raise _fail(path, f"no references in {path} (read as {_FORMAT_NAMES[fmt]})")
    return records


_UNSUPPORTED = {
    "web-of-science": "a Web of Science (ISI) export, which calcinosis does not read: export the records "
    "as RIS or BibTeX ('Other file formats' in Web of Science)",
    "ris-one-space": "RIS written with one space before the dash ('TY - JOUR'); RIS tags take two "
    "('TY  - JOUR'): export it again from the reference manager, or fix the tags",
}

_READERS = {"ris": _read_ris, "bibtex": _read_bibtex, "csl-json": _read_csl, "medline": _read_medline}

CITATION_STYLES = ("vancouver", "bibtex", "ris", "csl-json")


def _render_vancouver(refs: Sequence[Reference]) -> str:
    return "".join(f"{i}. {_one_line(vancouver(ref))}\n" for i, ref in enumerate(refs, 1))


_RENDERERS = {
    "vancouver": _render_vancouver,
    "bibtex": _render_bibtex,
    "ris": _render_ris,
    "csl-json": _render_csl_json,
}


def render_citations(refs: Sequence[Reference], style: str) -> str:
    """The whole output for ``refs`` in ``style``, in the order given.

    Text ends in a newline; with no references, the text styles give ``""`` and csl-json
    gives ``"[]\\n"``. Raises ValueError for a style not in :data:`CITATION_STYLES`.
    """
    if style not in _RENDERERS:
        raise ValueError(f"unknown citation style {style!r} (choose from: {', '.join(CITATION_STYLES)})")
    return _RENDERERS[style](distinct(refs))
