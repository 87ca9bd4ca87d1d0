"""Reference-manager exports read into :class:`~calcinosis_cli.model.Reference` fields.

``calcinosis import`` reads a reviewer's extraction sheet plus the reference files beside it;
this module reads the reference files: RIS (rispy), BibTeX (bibtexparser 1.x), CSL-JSON
(``json``) and PubMed's MEDLINE format (.nbib, a small parser here). rispy is called with
the keywords its versions 0.8 to 0.10 share, on the lines of the records only. It returns
what each record states and nothing else: no field is guessed, looked up or validated here (the
importer's validator reports a missing title or year).

What the formats leave open, decided once here (see tests/fixtures/imports/README.md for
the exports these rules were checked against):

* **Bytes** are decoded here, never by a parser: a UTF-8 BOM is dropped (rispy loses the
  first record of an EndNote file otherwise), UTF-16/UTF-32 and invalid UTF-8 are errors.
* **Authors** become "Surname Initials" (``Berger, R. G.`` -> ``Berger RG``); a name
  without given names stays bare (``Abdoucheli-Baudat``); a given name already written as
  capital initials (``RG``, calcinosis's own RIS) is kept; hyphenated given names give one
  initial per part (``Jean-Benoît`` -> ``JB``); particles stay with the surname. A final
  ``et al`` / ``others`` sets ``et_al`` and is not an author. A name without a comma in
  RIS or MEDLINE ``AU`` is kept as written (MEDLINE already writes ``Monfort JB``).
* **Journal**: the abbreviation when the record has one, else the full title.
* **Pages** as stated: RIS ``SP`` alone, or ``SP-EP``; BibTeX ``--`` becomes ``-``; CSL
  ``page`` and MEDLINE ``PG`` unchanged. Ranges are never expanded or shortened.
* **Issue and supplement**: an issue value ``Suppl 1`` or ``2 Suppl 1`` (as
  render/citations.py writes them) is split into ``issue`` and ``supplement``; the
  supplement's first letter is lower-cased (``suppl 1``, as in the bundled data). A note or
  note line reading exactly ``Abstract 0389`` gives ``abstract_number`` ``0389``.
* **Kind**: RIS ``TY`` ABST/CONF, an RIS ``M3`` "Conference abstract", or a title ending
  ``[abstract]`` give "conference abstract"; MEDLINE ``PT`` Review / Systematic Review and
  CSL ``genre`` review give "review". Otherwise ``kind`` is left out.
* **MEDLINE titles** lose the one final period that MEDLINE adds to every title.
* **BibTeX LaTeX** is decoded here (accents, ``\\i``, ``\\ss``, the escapes that
  render/citations.py writes, protective braces); bibtexparser's own decoding turns
  ``{\\"\\i}`` into a dotless i with a combining diaeresis, which is not "ï". In titles and
  journals ``--``/``---`` are LaTeX's en and em dashes; in pages they are a hyphen.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import PurePath
from typing import NamedTuple

from ...errors import DataError, MissingExtra
from .citations import split_name

FORMATS = ("ris", "bibtex", "csl-json", "medline")

_FORMAT_NAMES = {"ris": "RIS", "bibtex": "BibTeX", "csl-json": "CSL-JSON", "medline": "MEDLINE"}
_SUFFIXES = {
    ".ris": "ris",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".json": "csl-json",
    ".nbib": "medline",
    ".medline": "medline",
    ".txt": "medline",
}


class ReferenceRecord(NamedTuple):
    """One record of a reference file, as far as it states Reference fields."""

    path: str  # the file it came from
    position: int  # 1-based record number in that file
    fields: dict[str, object]  # Reference fields found (never None or "")
    where: dict[str, str]  # field -> the tag, BibTeX field or CSL key it came from
    label: str  # "record 3 (Berger 1987)"
    key: str = ""  # the record's own key (RIS ID, BibTeX key, CSL id), if it has one


class ReferenceFileError(DataError):
    """A file that cannot be read as references. str() is one line; .path, .position (record or None)."""

    def __init__(self, message: str, path: str, position: int | None = None):
        super().__init__(re.sub(r"\s*[\r\n]+\s*", " ", message).strip())
        self.path = path
        self.position = position


# --- shared helpers -----------------------------------------------------------------------

_ET_AL_RE = re.compile(r"^(?:and\s+)?(?:et\.?\s*al\.?|others)$", re.IGNORECASE)
_ET_AL_NOTE = "author list cut short (et al) in the printed reference"  # render/citations.py's note
_ABSTRACT_RE = re.compile(
    r"^abstract\s*(?:no\.?|number|nr\.?|#)?\s*:?\s*([A-Za-z]{0,3}\d+[A-Za-z]?)\.?$", re.IGNORECASE
)
_PMID_NOTE_RE = re.compile(r"^PMID\s*:?\s*(\d+)$", re.IGNORECASE)
_NUMBER_NOTE_RE = re.compile(r"^Numbered (\d{1,6}) in the source paper's reference list\.?$")  # render/citations.py
_PMID_URL_RE = re.compile(
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/|ncbi\.nlm\.nih\.gov/entrez/\S*?list_uids=)(\d+)",
    re.IGNORECASE,
)
_DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi\s*:\s*)", re.IGNORECASE)
_DOI_URL_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\S+)$", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_SUPPLEMENT_RE = re.compile(r"^(?P<issue>.*?)[\s,;(]*(?P<supp>\b(?:suppl|supplement)\b.*)$", re.IGNORECASE)
_ABSTRACT_TITLE_RE = re.compile(r"\[abstract\]\.?$", re.IGNORECASE)
_HTML_TAG_RE = re.compile(r"<[^>]+>")
_INITIALS_TOKEN_RE = re.compile(r"^[^\W\d_]{1,4}$")
_PARTICLES = frozenset("van von der den de del della di da du dos das des la le ten ter zu af av bin ibn al el".split())


def _clean(text: str) -> str:
    """NFC, one line, whitespace runs collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _fail(path: str, message: str, position: int | None = None) -> ReferenceFileError:
    return ReferenceFileError(message, path, position)


class _Found:
    """The fields of one record as they are found; the first source of a field wins."""

    def __init__(self) -> None:
        self.fields: dict[str, object] = {}
        self.where: dict[str, str] = {}

    def put(self, name: str, value: object, where: str) -> None:
        if value is None or name in self.fields:
            return
        if isinstance(value, str):
            value = _clean(value)
            if not value:
                return
        if isinstance(value, tuple) and not value:
            return
        if value is False:
            return
        self.fields[name] = value
        self.where[name] = where

    def year(self, value: object, where: str) -> None:
        match = _YEAR_RE.search(str(value)) if value is not None else None
        if match:
            self.put("year", int(match.group(1)), where)

    def issue(self, value: str | None, where: str) -> None:
        """An issue value, split into issue and supplement when it names a supplement."""
        if value is None:
            return
        value = _clean(value)
        match = _SUPPLEMENT_RE.match(value)
        if match is None:
            self.put("issue", value, where)
            return
        supplement = match.group("supp").strip()
        self.put("supplement", supplement[:1].lower() + supplement[1:], where)
        self.put("issue", match.group("issue").strip(" ,;("), where)

    def doi(self, value: str | None, where: str) -> None:
        if value is not None:
            self.put("doi", _DOI_PREFIX_RE.sub("", value.strip()), where)

    def doi_from_url(self, url: str, where: str) -> None:
        match = _DOI_URL_RE.match(url.strip())
        if match:
            self.put("doi", match.group(1), where)

    def pmid(self, value: str | None, where: str) -> None:
        if value is None:
            return
        value = _clean(value)
        match = _PMID_NOTE_RE.match(value)
        if match:
            value = match.group(1)
        if value.isdigit() and value.isascii():
            self.put("pmid", value, where)

    def pmid_from_url(self, url: str, where: str) -> None:
        match = _PMID_URL_RE.search(url)
        if match:
            self.put("pmid", match.group(1), where)

    def note_lines(self, lines: list[str], where: str) -> None:
        """Abstract number, PMID and et al as render/citations.py (and Zotero's Extra) state them."""
        for note in lines:
            for part in re.split(r"\n|;\s+", _HTML_TAG_RE.sub("\n", note)):
                part = _clean(part)
                if not part:
                    continue
                match = _ABSTRACT_RE.match(part)
                if match:
                    self.put("abstract_number", match.group(1), where)
                elif _PMID_NOTE_RE.match(part):
                    self.pmid(part, where)
                elif part.rstrip(".").lower() == _ET_AL_NOTE:
                    self.put("et_al", True, where)
                elif _NUMBER_NOTE_RE.match(part):
                    self.put("number", int(_NUMBER_NOTE_RE.match(part).group(1)), where)

    def title(self, value: str | None, where: str) -> None:
        if value is None:
            return
        self.put("title", value, where)
        if "title" in self.fields and _ABSTRACT_TITLE_RE.search(str(self.fields["title"])):
            self.put("kind", "conference abstract", where)

    def authors(self, names: list[str | None], where: str) -> None:
        """``names`` in order; None stands for "et al" and may only come last."""
        while names and names[-1] is None:
            names.pop()
            self.put("et_al", True, where)
        self.put("authors", tuple(_clean(n) for n in names if n and n.strip()), where)

    def record(self, path: str, position: int, key: str = "") -> ReferenceRecord:
        return ReferenceRecord(path, position, self.fields, self.where, _label(position, self.fields, key), key)


def _label(position: int, fields: dict[str, object], key: str = "") -> str:
    """``record 3 (Berger 1987)``, from what the record has."""
    parts = []
    authors = fields.get("authors")
    title = fields.get("title")
    if authors:
        parts.append(split_name(authors[0])[0])  # type: ignore[index]
    elif isinstance(title, str):
        short = title if len(title) <= 40 else title[:39].rstrip() + "…"
        parts.append(f'"{short}"')
    elif key:
        parts.append(_clean(key))
    if "year" in fields:
        parts.append(str(fields["year"]))
    return f"record {position} ({' '.join(parts)})" if parts else f"record {position}"


def _initials(given: str) -> str:
    """``"R. G."`` -> ``RG``; ``"Jean-Benoît"`` -> ``JB``; ``"RG"`` stays ``RG``."""
    out = []
    for token in re.split(r"[\s.\-\u2010-\u2015]+", given):
        letters = [c for c in token if c.isalpha()]
        if not letters:
            continue
        if _INITIALS_TOKEN_RE.match(token) and token.isupper():
            out.append(token)
        else:
            out.append(letters[0].upper())
    return "".join(out)


def _person(surname: str, given: str = "", suffix: str = "") -> str | None:
    """ "Surname Initials [Suffix]" from the parts of a name; None for "et al" or "others"."""
    surname, given, suffix = _clean(surname), _clean(given), _clean(suffix)
    if not given and _ET_AL_RE.match(surname):
        return None
    words = given.split()
    particles = []
    while words and words[-1] in _PARTICLES:  # "Berg, A. van der"
        particles.insert(0, words.pop())
    surname = " ".join([*particles, surname]).strip()
    initials = _initials(" ".join(words))
    if not surname:
        return given or None
    name = f"{surname} {initials}" if initials else surname
    return f"{name} {suffix}" if suffix else name


def _comma_name(value: str) -> str | None:
    """An RIS/MEDLINE-FAU name: ``Last, First[, Suffix]``; without a comma, kept as written."""
    value = _clean(value)
    if "," not in value:
        return None if _ET_AL_RE.match(value) else value
    parts = [p.strip() for p in value.split(",")]
    return _person(parts[0], parts[1], " ".join(parts[2:]))


# --- decoding and detection ---------------------------------------------------------------


def _decode(path: str, data: bytes) -> str:
    if not data.strip():
        raise _fail(path, f"no references in {path} (the file is empty)")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _fail(path, f"{path} is UTF-32; save it as UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 10:
        raise _fail(path, f"{path} is UTF-16; save it as UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise _fail(
            path, f"{path} is not UTF-8 (byte 0x{data[err.start]:02x} on line {line}); save it as UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
    records = _READERS[fmt](path, text)
    if not records:
        raise _fail(path, f"no references in {path} (read as {_FORMAT_NAMES[fmt]})")
    return records


# --- RIS ----------------------------------------------------------------------------------


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

    ty = one("TY")[0] or ""
    if ty.strip().upper() in ("ABST", "CONF"):
        found.put("kind", "conference abstract", "TY")
    article_type = (one("M3")[0] or "").strip().rstrip(".").lower()
    if article_type in ("conference abstract", "abstract", "meeting abstract"):
        found.put("kind", "conference abstract", "M3")
    elif article_type == "review":
        found.put("kind", "review", "M3")
    author_tag = "AU" if values("AU") else "A1"
    found.authors([_comma_name(v) for v in values(author_tag)], author_tag)
    found.title(*one("TI", "T1"))
    found.put("journal", *one("J2", "JO", "JA"))
    found.put("journal", *one("T2", "JF"))
    for tag in ("PY", "Y1", "DA"):
        found.year(one(tag)[0], tag)
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


# --- MEDLINE ------------------------------------------------------------------------------

_MEDLINE_TAG_RE = re.compile(r"^([A-Z0-9]{2,4}) {0,2}-(?: (.*)|)$")


def _read_medline(path: str, text: str) -> list[ReferenceRecord]:
    records: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] | None = None
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            current = None
            continue
        match = _MEDLINE_TAG_RE.match(line) if line[4:6] in ("- ", "-") else None
        if match:
            if current is None or (match.group(1) == "PMID" and any(t == "PMID" for t, _ in current)):
                current = []
                records.append(current)
            current.append((match.group(1), match.group(2) or ""))
            continue
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
    found.put("journal", one("TA"), "TA")
    found.put("journal", one("JT"), "JT")
    found.year(one("DP"), "DP")
    found.put("volume", one("VI"), "VI")
    found.issue(one("IP"), "IP")
    found.put("pages", one("PG"), "PG")
    for tag in ("LID", "AID"):
        for value in values(tag):
            if value.lower().endswith("[doi]"):
                found.doi(value[: -len("[doi]")], tag)
    if any(v.lower() in ("review", "systematic review") for v in values("PT")):
        found.put("kind", "review", "PT")
    return found


# --- CSL-JSON -----------------------------------------------------------------------------


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


# --- BibTeX -------------------------------------------------------------------------------

_ACCENTS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323",
    "b": "\u0331", "t": "\u0361",
}  # fmt: skip
_SYMBOLS = {
    "i": "ı", "j": "ȷ", "ss": "ß", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "ae": "æ", "AE": "Æ",
    "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
    "textasciitilde": "~", "textasciicircum": "^", "textbackslash": "\\", "textbraceleft": "{",
    "textbraceright": "}", "textendash": "–", "textemdash": "—", "textunderscore": "_", "textdollar": "$",
    "textbar": "|", "textless": "<", "textgreater": ">", "textquoteleft": "‘", "textquoteright": "’",
    "textquotedblleft": "“", "textquotedblright": "”", "textdegree": "°", "textregistered": "®",
    "texttrademark": "™", "copyright": "©", "S": "§", "P": "¶", "ldots": "…", "dots": "…", "textellipsis": "…",
    "guillemotleft": "«", "guillemotright": "»", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
    "epsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "textmu": "µ", "textpm": "±", "pm": "±",
    "times": "×", "leq": "≤", "geq": "≥", "le": "≤", "ge": "≥",
}  # fmt: skip
_STYLES = frozenset(
    "emph textit textbf textsc textrm textsf texttt textup textmd textsl textnormal mathrm mathit mathbf "
    "mbox hbox text it bf em sc rm sf tt sl itshape bfseries scshape upshape normalfont NoCaseChange url".split()
)
_DOTLESS = {"ı": "i", "ȷ": "j"}


class _Latex:
    """LaTeX text to Unicode: accents, special letters, escapes; protective braces dropped.

    ``dashes`` is "text" (``--`` an en dash, ``---`` an em dash), "pages" (both a hyphen)
    or "keep".
    """

    def __init__(self, dashes: str = "text") -> None:
        self.dashes = dashes

    def __call__(self, text: str) -> str:
        return unicodedata.normalize("NFC", self._text(text))

    def _text(self, text: str) -> str:
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c == "\\":
                i = self._command(text, i, out)
            elif c in "{}$":
                i += 1
            elif c == "~":
                out.append(" ")
                i += 1
            elif c == "-" and text.startswith("--", i) and self.dashes != "keep":
                width = 3 if text.startswith("---", i) else 2
                out.append("-" if self.dashes == "pages" else ("—" if width == 3 else "–"))
                i += width
            elif c == "`" and text.startswith("``", i):
                out.append("“")
                i += 2
            elif c == "'" and text.startswith("''", i):
                out.append("”")
                i += 2
            else:
                out.append(c)
                i += 1
        return "".join(out)

    def _command(self, text: str, i: int, out: list[str]) -> int:
        n = len(text)
        j = i + 1
        if j >= n:
            return j
        if text[j].isalpha():
            k = j
            while k < n and text[k].isalpha():
                k += 1
            name = text[j:k]
        else:
            name, k = text[j], j + 1
        if name in "&%$#_{}" and len(name) == 1:
            out.append(name)
            return k
        if name in (" ", "\n", "\t", "\\", ","):
            out.append(" ")
            return k
        if name in _ACCENTS:
            k = self._skip_space(text, k)
            arg, k = self._argument(text, k)
            if arg:
                base = _DOTLESS.get(arg[0], arg[0])
                out.append(unicodedata.normalize("NFC", base + _ACCENTS[name]) + arg[1:])
            return k
        if name in _SYMBOLS or name in _STYLES:
            if name in _SYMBOLS:
                out.append(_SYMBOLS[name])
            if name.isalpha():
                if text.startswith("{}", k):
                    return k + 2
                return self._skip_space(text, k)
            return k
        out.append("\\" + name)  # unknown: kept as written
        return k

    @staticmethod
    def _skip_space(text: str, k: int) -> int:
        while k < len(text) and text[k] in " \t\n":
            k += 1
        return k

    def _argument(self, text: str, k: int) -> tuple[str, int]:
        if k >= len(text):
            return "", k
        if text[k] == "{":
            end = _closing_brace(text, k)
            return self._text(text[k + 1 : end]), end + 1
        if text[k] == "\\":
            sub: list[str] = []
            k = self._command(text, k, sub)
            return "".join(sub), k
        return text[k], k + 1


def _closing_brace(text: str, start: int) -> int:
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(text)


def _mask_braces(text: str) -> str:
    """``text`` with every character inside braces (and escaped characters) masked as NUL."""
    out, depth, i = [], 0, 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append("\0\0")
            i += 2
            continue
        if c == "{":
            depth += 1
            out.append("\0")
        elif c == "}":
            depth = max(depth - 1, 0)
            out.append("\0")
        else:
            out.append("\0" if depth else c)
        i += 1
    return "".join(out)


def _split_top(text: str, pattern: str) -> list[str]:
    """Split ``text`` on ``pattern`` where it stands outside braces."""
    masked = _mask_braces(text)
    pieces, last = [], 0
    for match in re.finditer(pattern, masked, flags=re.IGNORECASE):
        pieces.append(text[last : match.start()])
        last = match.end()
    pieces.append(text[last:])
    return pieces


_TEXT = _Latex("text")
_PAGES = _Latex("pages")


def _bibtex_name(raw: str) -> str | None:
    raw = raw.strip()
    if _ET_AL_RE.match(_clean(_TEXT(raw))):
        return None
    parts = [p.strip() for p in _split_top(raw, r",")]
    if len(parts) == 1:
        words = [w for w in _split_top(raw, r"\s+") if w]
        decoded = [_clean(_TEXT(w)) for w in words]
        if len(words) == 1:
            return decoded[0] or None
        if _INITIALS_TOKEN_RE.match(decoded[-1]) and decoded[-1].isupper():
            return " ".join(decoded)  # already "Surname Initials"
        # "First von Last": the von part starts at the first word (not the last) in lower case
        lower = [i for i, w in enumerate(words[:-1]) if not w.startswith("{") and decoded[i][:1].islower()]
        cut = lower[0] if lower else len(words) - 1
        return _person(" ".join(decoded[cut:]), " ".join(decoded[:cut]))
    surname = _TEXT(parts[0])
    if len(parts) == 2:
        return _person(surname, _TEXT(parts[1]))
    return _person(surname, _TEXT(", ".join(parts[2:])), _TEXT(parts[1]))


def _bibtex_fields(entry: dict[str, str]) -> _Found:
    found = _Found()

    def raw(name: str) -> str | None:
        value = entry.get(name)
        return value if isinstance(value, str) and value.strip() else None

    def text(name: str) -> str | None:
        value = raw(name)
        return _TEXT(value) if value is not None else None

    authors = raw("author")
    if authors is not None:
        found.authors([_bibtex_name(a) for a in _split_top(authors, r"\s+and\s+") if a.strip()], "author")
    found.title(text("title"), "title")
    for name in ("shortjournal", "journalabbreviation", "journal", "journaltitle"):
        found.put("journal", text(name), name)
    found.year(raw("year"), "year")
    found.year(raw("date"), "date")
    found.put("volume", text("volume"), "volume")
    found.issue(text("number"), "number")
    found.issue(text("issue"), "issue")
    pages = raw("pages")
    if pages is not None:
        found.put("pages", _PAGES(pages), "pages")
    doi = raw("doi")
    if doi is not None:
        found.doi(re.sub(r"\\([_%&#])", r"\1", doi), "doi")
    found.pmid(raw("pmid"), "pmid")
    if (raw("eprinttype") or "").strip().lower() == "pubmed":
        found.pmid(raw("eprint"), "eprint")
    for name in ("note", "annote"):
        value = text(name)
        if value:
            found.note_lines([value], name)
    url = raw("url")
    if url:
        found.pmid_from_url(url, "url")
        found.doi_from_url(url, "url")
    return found


_BIB_OPENING_RE = re.compile(r"(?m)^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s{}()]*)")


def _read_bibtex(path: str, text: str) -> list[ReferenceRecord]:
    try:
        import bibtexparser
        from bibtexparser.bparser import BibTexParser
    except ImportError:
        raise MissingExtra(
            "reading BibTeX needs bibtexparser: install calcinosis[import] (pip install 'calcinosis[import]')"
        ) from None
    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False, interpolate_strings=True)
    try:
        entries = bibtexparser.loads(text, parser).entries
    except Exception as exc:  # noqa: BLE001 - any parser failure is a file the user must fix
        detail = " ".join(str(exc).split()) or type(exc).__name__
        if type(exc).__name__ == "UndefinedString":
            detail = f"the @string macro {detail} is used but not defined"
        raise _fail(path, f"{path} cannot be read as BibTeX: {detail}") from None
    # bibtexparser 1.x moves an entry it cannot parse (an unbalanced brace) into the comments:
    # count the openings and name the first entry that did not come back.
    openings = [
        (m.group(1).lower(), m.group(2), text.count("\n", 0, m.start()) + 1)
        for m in _BIB_OPENING_RE.finditer(text)
        if m.group(1).lower() not in ("comment", "string", "preamble")
    ]
    if len(entries) < len(openings):
        got = 0
        for position, (kind, key, line) in enumerate(openings, 1):
            if got < len(entries) and entries[got].get("ID") == key and entries[got].get("ENTRYTYPE") == kind:
                got += 1
                continue
            name = f" ({key})" if key else ""
            raise _fail(
                path,
                f"{path}: record {position}{name} on line {line} cannot be read as BibTeX "
                "(an unbalanced brace or quote?)",
                position,
            )
        raise _fail(path, f"{path}: {len(openings)} entries start with '@' but {len(entries)} could be read")
    return [_bibtex_fields(e).record(path, position, e.get("ID", "")) for position, e in enumerate(entries, 1)]


_READERS = {"ris": _read_ris, "bibtex": _read_bibtex, "csl-json": _read_csl, "medline": _read_medline}
