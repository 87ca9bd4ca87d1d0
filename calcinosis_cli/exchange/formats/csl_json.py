"""CSL-JSON: read with ``json``, and written as citation processors read it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ...model import Reference
from ...references.keys import unique_keys
from ...references.names import split_name
from .records import (
    _ET_AL_RE,
    ET_AL_NOTE,
    ReferenceRecord,
    _abstract_note,
    _clean,
    _fail,
    _Found,
    _issue_field,
    _one_line,
    _person,
    page_range,
)


def _read_csl(path: str, text: str) -> list[ReferenceRecord]:
    try:
        items = json.loads(text)
    except ValueError as err:
        where = f" (line {err.lineno}, column {err.colno}: {err.msg})" if isinstance(err, json.JSONDecodeError) else ""
        raise _fail(path, f"{path} is not valid JSON{where}") from None
    if isinstance(items, dict):
        raise _fail(path, f"{path}: CSL-JSON must be an array of items, but the file holds one object; wrap it in [ ]")
    if not isinstance(items, list):
        raise _fail(path, f"{path}: CSL-JSON must be an array of items, not a JSON {type(items).__name__}")
    out = []
    for position, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise _fail(path, f"{path}: record {position} is not a JSON object", position)
        found = _csl_fields(path, position, item)
        key = item.get("id")
        out.append(found.record(path, position, key if isinstance(key, str) and len(key) <= 40 else ""))
    return out


def _csl_fields(path: str, position: int, item: dict) -> _Found:
    found = _Found()

    def text(key: str) -> str | None:
        value = item.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise _fail(path, f"{path}: record {position}: {key!r} is not text", position)
        return str(value)

    authors = item.get("author")
    if authors is not None:
        if not isinstance(authors, list) or not all(isinstance(a, dict) for a in authors):
            raise _fail(path, f"{path}: record {position}: 'author' is not a list of names", position)
        names: list[str | None] = []
        for name in authors:
            parts = {k: _clean(str(v)) for k, v in name.items() if isinstance(v, (str, int)) and str(v).strip()}
            if "family" in parts:
                surname = " ".join(
                    p
                    for p in (parts.get("dropping-particle"), parts.get("non-dropping-particle"), parts["family"])
                    if p
                )
                names.append(_person(surname, parts.get("given", ""), parts.get("suffix", "")))
            elif "literal" in parts:
                names.append(None if _ET_AL_RE.match(parts["literal"]) else parts["literal"])
            elif "given" in parts:
                names.append(parts["given"])
        found.authors(names, "author")
    found.title(text("title"), "title")
    for key in ("container-title-short", "journalAbbreviation", "container-title"):
        found.put("journal", text(key), key)
    issued = item.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            found.year(parts[0][0], "issued")
        for key in ("raw", "literal"):
            found.year(issued.get(key), "issued")
    elif isinstance(issued, (str, int)):
        found.year(issued, "issued")
    found.put("volume", text("volume"), "volume")
    found.issue(text("issue"), "issue")
    found.put("pages", text("page"), "page")
    for key in ("DOI", "doi"):
        found.doi(text(key), key)
    for key in ("PMID", "pmid"):
        found.pmid(text(key), key)
    note = text("note")
    if note:
        found.note_lines([note], "note")
    url = text("URL")
    if url:
        found.pmid_from_url(url, "URL")
        found.doi_from_url(url, "URL")
    if (text("genre") or "").strip().lower() == "review":
        found.put("kind", "review", "genre")
    return found


def csl_name(name: str) -> dict[str, str]:
    """``"Berger RG"`` -> ``{"family": "Berger", "given": "RG"}``."""
    surname, initials = split_name(name)
    return {"family": surname, "given": initials} if initials else {"family": surname}


def _csl_item(ref: Reference, key: str) -> dict[str, object]:
    item: dict[str, object] = {"id": key, "type": "article-journal", "title": _one_line(ref.title)}
    item["container-title"] = _one_line(ref.journal)
    item["container-title-short"] = _one_line(ref.journal)
    if ref.authors:
        item["author"] = [csl_name(a) for a in ref.authors]
    item["issued"] = {"date-parts": [[ref.year]]}
    if ref.volume:
        item["volume"] = _one_line(ref.volume)
    issue = _issue_field(ref)
    if issue:
        item["issue"] = issue
    if ref.pages:
        first, last = page_range(ref.pages)
        item["page"] = f"{first}-{last}" if last else first
    if ref.doi:
        item["DOI"] = _one_line(ref.doi)
    if ref.pmid:
        item["PMID"] = _one_line(ref.pmid)
    notes = [n for n in (_abstract_note(ref),) if n]
    if ref.et_al:
        notes.append(ET_AL_NOTE)
    if notes:
        item["note"] = "; ".join(notes)
    return item


def _render_csl_json(refs: Sequence[Reference]) -> str:
    items = [_csl_item(ref, key) for ref, key in zip(refs, unique_keys(refs), strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
