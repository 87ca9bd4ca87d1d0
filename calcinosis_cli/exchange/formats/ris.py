"""RIS: read with rispy (the keywords its versions 0.8 to 0.10 share, on the lines of the records
only), and written as EndNote and Zotero read it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...errors import MissingExtra
from ...model import Reference
from ...references.keys import unique_keys
from ...references.names import name_parts
from .records import (
    ET_AL_NOTE,
    ReferenceRecord,
    _abstract_note,
    _comma_name,
    _fail,
    _Found,
    _issue_field,
    _one_line,
    number_note,
)

_ISSN_RE = re.compile(r"\b\d{4}-?\d{3}[\dXx]\b")

_ISBN_RE = re.compile(r"\b(?:97[89][- ]?)?\d{1,5}[- ]?\d{1,7}[- ]?\d{1,7}[- ]?[\dXx]\b")


def _ris_tag(line: str) -> str | None:
    """The tag of an RIS line, by rispy's own rule (two capitals/digits, then ``"  -"``)."""
    if line[2:5] == "  -" and line[:2].isupper() and line[:1].isalpha():
        return line[:2]
    return None


def _ris_scan(path: str, lines: list[str]) -> tuple[int, list[str]]:
    """Check the record structure rispy does not check; return the number of records and
    the lines inside records (untagged text between records, such as a header, is left out).

    rispy 0.10 merges a record without ``ER`` into the next one and drops a last record
    without ``ER``; both are errors here, naming the record.
    """
    count = 0
    kept: list[str] = []
    inside: dict[str, list[str]] | None = None
    for number, line in enumerate(lines, 1):
        tag = _ris_tag(line)
        if inside is None:
            if tag == "TY":
                count += 1
                inside = {"TY": [line[6:].strip()]}
                kept.append(line)
            elif tag not in (None, "ER"):
                raise _fail(path, f"{path}: line {number}: {tag} outside a record (a record starts with 'TY  - ')")
            continue
        kept.append(line)
        if tag == "TY":
            label = _ris_fields(inside).record(path, count).label
            raise _fail(
                path,
                f"{path}: {label} has no 'ER  - ' line before the next record starts on line {number}",
                count,
            )
        if tag == "ER":
            inside = None
        elif tag is not None:
            inside.setdefault(tag, []).append(line[6:].strip())
    if inside is not None:
        label = _ris_fields(inside).record(path, count).label
        raise _fail(path, f"{path}: {label} has no 'ER  - ' line: the file ends inside it", count)
    return count, kept


def _ris_fields(rec: dict[str, list[str]]) -> _Found:
    found = _Found()

    def values(tag: str) -> list[str]:
        raw = rec.get(tag, [])
        return [v.strip() for v in ([raw] if isinstance(raw, str) else raw) if v and v.strip()]

    def one(*tags: str) -> tuple[str | None, str]:
        for tag in tags:
            got = values(tag)
            if got:
                return " ".join(got), tag
        return None, tags[0]

    from ...references import csl

    ty = (one("TY")[0] or "").strip().upper()
    csl_type = csl.ris_type(ty)
    if csl_type is None:
        found.problems.append(("TY", f"{ty!r} is not a type of the RIS specification"))
        csl_type = "document"
    found.put("type", csl_type, "TY")
    if ty == "ABST":
        found.put("kind", "conference abstract", "TY")
    article_type = (one("M3")[0] or "").strip().rstrip(".").lower()
    if article_type in ("conference abstract", "abstract", "meeting abstract"):
        found.put("kind", "conference abstract", "M3")
    elif article_type == "review":
        found.put("kind", "review", "M3")
    elif article_type and csl_type in ("thesis", "report", "dataset", "webpage", "document"):
        found.put("genre", one("M3")[0], "M3")
    author_tag = "AU" if values("AU") else "A1"
    found.authors([_comma_name(v) for v in values(author_tag)], author_tag)
    editor_tag = "A2" if values("A2") else "ED"
    if csl_type not in ("article-journal", "paper-conference"):  # there A2 names a journal's or series' editors
        found.put("editors", tuple(n for v in values(editor_tag) if (n := _comma_name(v))), editor_tag)
    found.title(*one("TI", "T1"))
    if csl_type == "article-journal":
        found.put("journal", *one("J2", "JO", "JA"))
        found.put("journal", *one("T2", "JF"))
    else:
        found.put("container_title", *one("T2", "BT", "C3", "JF", "JO"))
        found.put("collection_title", *one("T3"))
    if csl_type == "paper-conference":
        found.put("event", *one("C3" if values("T2") else "T3"))
    for tag in ("PY", "Y1", "DA"):
        found.year(one(tag)[0], tag)
    found.put("publisher", *one("PB"))
    found.put("publisher_place", *one("CY", "PP"))
    found.put("edition", *one("ET"))
    if csl_type in ("report", "patent", "standard", "bill", "legislation"):
        found.put("report_number", *one("M1", "IS"))
    for number in values("SN"):  # SN holds an ISSN or an ISBN, sometimes with "(Print)" after it
        issn = _ISSN_RE.search(number)
        isbn = _ISBN_RE.search(number)
        if isbn and csl_type != "article-journal":
            found.put("isbn", isbn.group(0), "SN")
        elif issn:
            found.put("issn", issn.group(0).upper(), "SN")
    for url in values("UR"):
        if not url.lower().startswith(("https://doi.org/", "http://dx.doi.org/", "https://dx.doi.org/")):
            found.put("url", url, "UR")
    found.put("volume", *one("VL"))
    found.issue(*one("IS"))
    start, end = one("SP")[0], one("EP")[0]
    if start and end:
        found.put("pages", f"{start}-{end}", "SP/EP")
    elif start:
        found.put("pages", start, "SP")
    found.doi(*one("DO"))
    accession = one("AN")[0]
    if accession and accession.isdigit():
        found.pmid(accession, "AN")
    for tag in ("L2", "UR", "L1", "L3"):
        for url in values(tag):
            found.pmid_from_url(url, tag)
            found.doi_from_url(url, tag)
    found.note_lines(values("N1"), "N1")
    return found


def _read_ris(path: str, text: str) -> list[ReferenceRecord]:
    try:
        import rispy
    except ImportError:
        raise MissingExtra(
            "reading RIS needs rispy: install calcinosis[import] (pip install 'calcinosis[import]')"
        ) from None
    expected, lines = _ris_scan(path, text.split("\n"))
    if not expected:
        return []
    tags = {tag for line in lines if (tag := _ris_tag(line))}
    mapping = {tag: tag for tag in tags | {"TY", "ER"}}
    mapping["UK"] = "UK"
    try:
        # only the keywords rispy 0.8 to 0.10 share; every tag a list tag, mapped to itself
        parsed = rispy.loads("\n".join(lines), mapping=mapping, list_tags=sorted(tags - {"TY", "ER"}))
    except Exception as exc:  # noqa: BLE001 - any parser failure is a file the user must fix
        raise _fail(path, f"{path} cannot be read as RIS: {type(exc).__name__}: {exc}") from None
    if len(parsed) != expected:
        raise _fail(path, f"{path}: {expected} records start with 'TY  - ' but {len(parsed)} could be read as RIS")
    out = []
    for position, rec in enumerate(parsed, 1):
        key = " ".join(rec.get("ID", []) or [])
        out.append(_ris_fields(rec).record(path, position, key))
    return out


def ris_name(name: str) -> str:
    """``"Berger RG"`` -> ``"Berger, RG"``, ``"Qiao S Jr"`` -> ``"Qiao, S, Jr"`` (the RIS
    specification's ``Last, First, Suffix``); a name without initials stays as it is."""
    surname, initials, suffix = name_parts(name)
    if not initials:
        return surname
    return f"{surname}, {initials}, {suffix}" if suffix else f"{surname}, {initials}"


def _ris_record(ref: Reference, key: str) -> str:
    tags: list[tuple[str, str]] = []
    from ...references import csl

    tags.append(("TY", csl.ris_ty(ref.type, ref.kind)))
    tags.append(("ID", key))
    tags.extend(("AU", ris_name(a)) for a in ref.authors)
    tags.extend(("A2", ris_name(a)) for a in ref.editors)
    tags.append(("TI", ref.title))
    if ref.journal:
        tags.append(("T2", ref.journal))
        tags.append(("JO", ref.journal))
    if ref.container_title:
        tags.append(("T2", ref.container_title))
    if ref.collection_title:
        tags.append(("T3", ref.collection_title))
    if ref.event and ref.event != ref.container_title:
        tags.append(("C3" if ref.container_title else "T2", ref.event))
    tags.append(("PY", str(ref.year)))
    if ref.issued and ref.issued != str(ref.year):
        tags.append(("DA", ref.issued.replace("-", "/")))
    for tag, value in (
        ("PB", ref.publisher), ("CY", ref.publisher_place), ("ET", ref.edition), ("M1", ref.report_number),
        ("M3", ref.genre), ("SN", ref.isbn), ("SN", ref.issn), ("UR", ref.url),
    ):  # fmt: skip
        if value:
            tags.append((tag, value))
    if ref.volume:
        tags.append(("VL", ref.volume))
    issue = _issue_field(ref)
    if issue:
        tags.append(("IS", issue))
    if ref.pages:
        tags.append(("SP", ref.pages))  # as printed, the whole range in SP (as EndNote writes it)
    if ref.doi:
        tags.append(("DO", ref.doi))
    if ref.pmid:
        tags.append(("AN", ref.pmid))
    note = _abstract_note(ref)
    if note:
        tags.append(("N1", note))
    if ref.et_al:
        tags.append(("N1", ET_AL_NOTE))
    if ref.number is not None:
        tags.append(("N1", number_note(ref.number)))
    lines = [f"{tag}  - {_one_line(value)}" for tag, value in tags]
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def _render_ris(refs: Sequence[Reference]) -> str:
    return "\n".join(_ris_record(ref, key) for ref, key in zip(refs, unique_keys(refs), strict=True))
