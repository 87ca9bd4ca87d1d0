"""CSL-JSON: read with ``json``, and written as citation processors read it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ...model import Reference
from ...references.keys import unique_keys
from ...references.names import name_parts
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

    from ...references import csl

    csl_type = text("type")
    if csl_type is not None and not csl.is_type(csl_type):
        found.problems.append(("type", f"{csl_type!r} is not a CSL item type"))
    csl_type = csl_type if csl_type and csl.is_type(csl_type) else csl.DEFAULT_TYPE
    found.put("type", csl_type, "type")
    for role, field in (("author", "authors"), ("editor", "editors")):
        names = _csl_names(path, position, item, role)
        if names is None:
            continue
        if field == "authors":
            found.authors(names, role)
        else:
            found.put(field, tuple(n for n in names if n), role)
    found.title(text("title"), "title")
    if csl_type == csl.DEFAULT_TYPE:
        for key in ("container-title-short", "journalAbbreviation", "container-title"):
            found.put("journal", text(key), key)
    else:
        found.put("container_title", text("container-title"), "container-title")
    for field, key in (
        ("collection_title", "collection-title"), ("publisher", "publisher"), ("publisher_place", "publisher-place"),
        ("edition", "edition"), ("event", "event-title"), ("event", "event"), ("genre", "genre"),
        ("report_number", "number"), ("isbn", "ISBN"), ("issn", "ISSN"), ("url", "URL"),
    ):  # fmt: skip
        value = text(key)
        if key != "genre" or (value or "").strip().lower() != "review":  # review is the tool's mark
            found.put(field, value, key)
    issued = item.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            found.date_parts(parts[0], "issued")
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


def _csl_names(path: str, position: int, item: dict, role: str) -> list[str | None] | None:
    """The names of one role (author, editor) as "Surname Initials"; None when the item has none."""
    people = item.get(role)
    if people is None:
        return None
    if not isinstance(people, list) or not all(isinstance(a, dict) for a in people):
        raise _fail(path, f"{path}: record {position}: {role!r} is not a list of names", position)
    names: list[str | None] = []
    for name in people:
        parts = {k: _clean(str(v)) for k, v in name.items() if isinstance(v, (str, int)) and str(v).strip()}
        if "family" in parts:
            words = [
                p for p in (parts.get("dropping-particle"), parts.get("non-dropping-particle"), parts["family"]) if p
            ]
            surname = ""
            for word in words:  # "d'" joins the next word without a space
                surname += word if not surname or surname.endswith(("'", "\u2019")) else " " + word
            names.append(_person(surname, parts.get("given", ""), parts.get("suffix", "")))
        elif "literal" in parts:
            names.append(None if _ET_AL_RE.match(parts["literal"]) else parts["literal"])
        elif "given" in parts:
            names.append(parts["given"])
    return names


def csl_name(name: str) -> dict[str, str]:
    """``"Berger RG"`` -> ``{"family": "Berger", "given": "RG"}``; ``"Qiao S Jr"`` adds
    ``"suffix": "Jr"``; an organisation's name is a ``literal``."""
    surname, initials, suffix = name_parts(name)
    if not initials:
        return {"literal": surname} if " " in surname and not _person_like(surname) else {"family": surname}
    out = {"family": surname, "given": initials}
    if suffix:
        out["suffix"] = suffix
    return out


def _person_like(surname: str) -> bool:
    """A surname of several words with a particle (``van der Berg``), not an organisation."""
    from .records import _PARTICLES

    return surname.split()[0] in _PARTICLES


def _csl_item(ref: Reference, key: str) -> dict[str, object]:
    """A CSL-JSON item of ``ref``: its type and every CSL variable it states."""
    item: dict[str, object] = {"id": key, "type": ref.type, "title": _one_line(ref.title)}
    if ref.journal:
        item["container-title"] = _one_line(ref.journal)
        item["container-title-short"] = _one_line(ref.journal)
    elif ref.container_title:
        item["container-title"] = _one_line(ref.container_title)
    for variable, value in (
        ("collection-title", ref.collection_title), ("publisher", ref.publisher),
        ("publisher-place", ref.publisher_place), ("edition", ref.edition), ("event-title", ref.event),
        ("genre", ref.genre), ("number", ref.report_number), ("URL", ref.url), ("ISBN", ref.isbn),
        ("ISSN", ref.issn),
    ):  # fmt: skip
        if value:
            item[variable] = _one_line(value)
    if ref.authors:
        item["author"] = [csl_name(a) for a in ref.authors]
    if ref.editors:
        item["editor"] = [csl_name(a) for a in ref.editors]
    parts = [int(p) for p in ref.issued.split("-")] if ref.issued else [ref.year]
    item["issued"] = {"date-parts": [parts]}
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
