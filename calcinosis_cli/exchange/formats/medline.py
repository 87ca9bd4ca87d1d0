"""PubMed's MEDLINE format (.nbib): read with a small parser here. MEDLINE titles lose the one
final period that MEDLINE adds to every title."""

from __future__ import annotations

import re

from .records import _ET_AL_RE, ReferenceRecord, _clean, _comma_name, _fail, _Found

# A tag of two to five capitals or digits, padded with spaces, then "-" (PubMed writes "TAG - ",
# padded to four; ERIC writes five-letter tags such as "ISSN - "). Tags not read here are skipped.
_MEDLINE_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]{1,4}) {0,3}-(?: ?(.*)|)$")


def _read_medline(path: str, text: str) -> list[ReferenceRecord]:
    records: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] | None = None
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            current = None
            continue
        match = _MEDLINE_TAG_RE.match(line) if not line.startswith(" ") else None
        if match:
            if current is None or (match.group(1) == "PMID" and any(t == "PMID" for t, _ in current)):
                current = []
                records.append(current)
            current.append((match.group(1), match.group(2) or ""))
            continue
        if current is None and not line.startswith(" "):
            continue  # text between records (a note a program wrote there): not part of any record
        if line.startswith("      ") and current:
            tag, value = current[-1]
            rest = line[6:]
            joiner = "" if not value or value[-1].isspace() else " "
            current[-1] = (tag, value + joiner + rest)
            continue
        raise _fail(
            path,
            f"{path}: line {number} is neither a MEDLINE tag line ('TAG - value', the tag padded to 4 characters) "
            "nor a continuation indented by 6 spaces",
            len(records) or None,
        )
    return [_medline_fields(rec).record(path, position) for position, rec in enumerate(records, 1)]


def _medline_fields(rec: list[tuple[str, str]]) -> _Found:
    found = _Found()

    def values(tag: str) -> list[str]:
        return [_clean(v) for t, v in rec if t == tag and v.strip()]

    def one(tag: str) -> str | None:
        got = values(tag)
        return got[0] if got else None

    found.pmid(one("PMID"), "PMID")
    if values("AU") or values("CN"):
        found.authors([None if _ET_AL_RE.match(v) else v for t, v in rec if t in ("AU", "CN") and v.strip()], "AU")
    else:
        found.authors([_comma_name(v) for v in values("FAU")], "FAU")
    title = one("TI")
    if title and title.endswith(".") and not title.endswith(".."):
        title = title[:-1]  # MEDLINE ends every title with a period
    found.title(title, "TI")
    book = one("BTI")
    if book and title:  # a PubMed Bookshelf chapter
        found.put("type", "chapter", "BTI")
        found.put("container_title", book, "BTI")
    elif book:  # a whole book
        found.put("type", "book", "BTI")
        found.title(book, "BTI")
    else:
        found.put("type", "article-journal", "PMID")
        found.put("journal", one("TA"), "TA")
        found.put("journal", one("JT"), "JT")
    found.put("collection_title", one("CTI"), "CTI")
    found.put("publisher", one("PB"), "PB")
    found.put("publisher_place", one("PL") if book else None, "PL")
    found.put("edition", one("EN"), "EN")
    found.put("editors", tuple(n for v in values("FED") if (n := _comma_name(v))), "FED")
    found.put("isbn", one("ISBN"), "ISBN")
    found.year(one("DP"), "DP")
    found.put("volume", one("VI"), "VI")
    found.issue(one("IP"), "IP")
    found.put("pages", one("PG"), "PG")
    for tag in ("LID", "AID"):
        for value in values(tag):
            if value.lower().endswith("[doi]"):
                found.doi(value[: -len("[doi]")], tag)
            elif value.lower().startswith("doi:"):
                found.doi(value, tag)
    if any(v.lower() in ("review", "systematic review") for v in values("PT")):
        found.put("kind", "review", "PT")
    return found
