"""What the reference formats share: the record read, its problems, names, and the rules that
the formats leave open.

``calcinosis import`` reads a reviewer's extraction sheet plus the reference files beside it;
the readers return what each record states and nothing else: no field is guessed, looked up
or validated here (the importer's validator reports a missing title or year).

What the formats leave open, decided once here (see tests/fixtures/imports/README.md for
the exports these rules were checked against):

* **Bytes** are decoded here, never by a parser: a UTF-8 BOM is dropped (rispy loses the
  first record of an EndNote file otherwise); a UTF-16/UTF-32 BOM, or a declared encoding
  (``% Encoding: windows-1252``, JabRef's header), is honoured; invalid UTF-8 is an error.
* **Authors** become "Surname Initials" (``Berger, R. G.`` -> ``Berger RG``); a name
  without given names stays bare (``Abdoucheli-Baudat``); a given name already written as
  capital initials (``RG``, calcinosis's own RIS) is kept; hyphenated given names give one
  initial per part (``Jean-Benoît`` -> ``JB``); particles stay with the surname; a suffix
  (Jr, III) follows the initials (``Qiao S Jr``). A final ``et al`` / ``others`` sets
  ``et_al`` and is not an author. A name without a comma is read by :func:`plain_name`
  (``Catarina Barata`` -> ``Barata C``; MEDLINE's ``Monfort JB`` stays; an organisation whole).
* **Type**: the CSL type the record's RIS ``TY``, BibTeX entry type, CSL ``type`` or MEDLINE
  tags name (references/csl.py); the default, article-journal, is not stated in ``fields``.
* **Journal**: the abbreviation when the record has one, else the full title.
* **Pages** as stated: RIS ``SP`` alone, or ``SP-EP``; BibTeX ``--`` becomes ``-``; CSL
  ``page`` and MEDLINE ``PG`` unchanged. Ranges are never expanded or shortened.
* **Issue and supplement**: an issue value ``Suppl 1`` or ``2 Suppl 1`` (as the writers
  write them) is split into ``issue`` and ``supplement``; the supplement's first letter is
  lower-cased (``suppl 1``, as in the bundled data). A note or note line reading exactly
  ``Abstract 0389`` gives ``abstract_number`` ``0389``.
* **Kind**: RIS ``TY`` ABST, an RIS ``M3`` "Conference abstract", or a title ending
  ``[abstract]`` give "conference abstract"; MEDLINE ``PT`` Review / Systematic Review and
  CSL ``genre`` review give "review". Otherwise ``kind`` is left out.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from ...errors import DataError
from ...model import Reference
from ...references.names import split_name

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
    problems: tuple[tuple[str, str], ...] = ()  # (the tag, what is wrong): a value stated that is not one


class ReferenceFileError(DataError):
    """A file that cannot be read as references. str() is one line; .path, .position (record or None)."""

    def __init__(self, message: str, path: str, position: int | None = None):
        super().__init__(re.sub(r"\s*[\r\n]+\s*", " ", message).strip())
        self.path = path
        self.position = position


_ET_AL_RE = re.compile(r"^(?:and\s+)?(?:et\.?\s*al\.?|others)$", re.IGNORECASE)

# Notes the writers write and the readers read back (round trips): one string each.
ET_AL_NOTE = "Author list cut short (et al) in the printed reference"
_ET_AL_NOTE = ET_AL_NOTE.lower()


def number_note(number: int) -> str:
    """The note that carries the source paper's number of a reference."""
    return f"Numbered {number} in the source paper's reference list"


_ABSTRACT_RE = re.compile(
    r"^abstract\s*(?:no\.?|number|nr\.?|#)?\s*:?\s*([A-Za-z]{0,3}\d+[A-Za-z]?)\.?$", re.IGNORECASE
)

_PMID_NOTE_RE = re.compile(r"^PMID\s*:?\s*(\d+)$", re.IGNORECASE)

_NUMBER_NOTE_RE = re.compile("^" + re.escape(number_note(0)).replace("0", r"(\d{1,6})", 1) + r"\.?$")

_PMID_URL_RE = re.compile(
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/|ncbi\.nlm\.nih\.gov/entrez/\S*?list_uids=)(\d+)",
    re.IGNORECASE,
)

_DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi\s*:\s*)", re.IGNORECASE)

_DOI_URL_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\S+)$", re.IGNORECASE)

_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")

_PLACEHOLDER_YEAR_RE = re.compile(r"^\s*(0+|9999)(?:\D|$)")

_DATE_RE = re.compile(r"(?<!\d)(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?!\d)")

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
        self.problems: list[tuple[str, str]] = []

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
        """The year of a date value; a placeholder year (0, 0000, 9999) is a problem, never a value."""
        from ...references.csl import plausible_year

        if value is None or "year" in self.fields:
            return
        text = str(value)
        match = _DATE_RE.search(text)
        if match is None or not plausible_year(int(match.group(1))):
            if _PLACEHOLDER_YEAR_RE.match(text) or match is not None:
                if not any(tag == where for tag, _ in self.problems):
                    self.problems.append((where, f"{text.strip()!r} is not a year of publication (a placeholder?)"))
            return
        self.put("year", int(match.group(1)), where)
        year, month, day = match.groups()
        if month and 1 <= int(month) <= 12:
            issued = f"{year}-{int(month):02d}"
            if day and 1 <= int(day) <= 31:
                issued += f"-{int(day):02d}"
            self.put("issued", issued, where)

    def date_parts(self, parts: list, where: str) -> None:
        """A CSL ``date-parts`` date: [year, month, day], the later ones optional."""
        if not parts or "year" in self.fields:
            return
        text = "-".join(str(p) for p in parts[:3])
        self.year(text, where)

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
        """Abstract number, PMID and et al as the writers (and Zotero's Extra) state them."""
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
        if self.fields.get("type") == "article-journal":  # the default type is not stated
            del self.fields["type"]
            del self.where["type"]
        label = _label(position, self.fields, key)
        return ReferenceRecord(path, position, self.fields, self.where, label, key, tuple(self.problems))


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
    surname, given, suffix = _clean(surname), _clean(given), _clean(suffix).rstrip(".")
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
    """An RIS/MEDLINE-FAU name: ``Last, First[, Suffix]`` (or ``Last, Suffix, First``, as BibTeX
    writes it), or without a comma ``Given [von] Last [Suffix]``, ``Last Initials`` or an
    organisation's name (see :func:`plain_name`)."""
    value = _clean(value)
    if "," not in value:
        return None if _ET_AL_RE.match(value) else plain_name(value)
    parts = [p.strip() for p in value.split(",")]
    if len(parts) >= 3 and is_suffix(parts[1]) and not is_suffix(parts[2]):
        return _person(parts[0], " ".join(parts[2:]), parts[1])
    if len(parts) == 2 and is_suffix(parts[1]):
        return plain_name(f"{parts[0]} {parts[1]}")
    return _person(parts[0], parts[1], " ".join(parts[2:]))


_SUFFIX_RE = re.compile(r"^(?:jr|sr|jnr|snr|ii|iii|iv|vi|2nd|3rd|4th)\.?$", re.IGNORECASE)

# Words that make a name an organisation's, which is kept whole.
_ORGANISATION_RE = re.compile(
    r"\b(?:committee|group|society|association|organi[sz]ation|institute|council|collaboration|consortium|"
    r"foundation|agency|team|network|investigators|board|college|academy|department|university|centre|"
    r"center|ministry|federation|league|office|commission|panel|force|registry|program(?:me)?|"
    r"study|trial|alliance|union|service|services|national|international)\b",
    re.IGNORECASE,
)


def is_suffix(word: str) -> bool:
    """A generational suffix: Jr, Sr, II, III, IV, 2nd, 3rd (never part of an id)."""
    return bool(_SUFFIX_RE.match(word.strip()))


def plain_name(value: str) -> str:
    """A name written without a comma: ``Fanning E.`` and ``Monfort JB`` (surname, then initials)
    become ``Fanning E`` and ``Monfort JB``; ``Catarina Barata`` and ``Ludwig van Beethoven Jr``
    (given names first) become ``Barata C`` and ``van Beethoven L Jr``; an organisation's name
    (``Emergency Cardiovascular Care Committee``) and a single word are kept whole."""
    value = _clean(value)
    words = value.split()
    if len(words) < 2 or _ORGANISATION_RE.search(value) or len(words) > 5:
        return value
    suffix = words.pop() if len(words) > 2 and is_suffix(words[-1]) else ""
    if len(words) >= 2 and all(_is_initials(w) for w in words[1:]) and not _is_initials(words[0]):
        initials = "".join(w.replace(".", "") for w in words[1:])
        return " ".join(p for p in (words[0], initials, suffix) if p)
    if any(not w[:1].isalpha() for w in words):
        return value
    # Given names first: the surname is the last word, with the lower-case particles before it.
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES and words[cut - 1][:1].islower():
        cut -= 1
    return _person(" ".join(words[cut:]), " ".join(words[:cut]), suffix) or value


def _is_initials(word: str) -> bool:
    """``E.``, ``JB``, ``J.-B.``: capital initials, with or without stops."""
    letters = word.replace(".", "").replace("-", "")
    return bool(letters) and len(letters) <= 4 and letters.isalpha() and letters.isupper()


_DECLARED_RE = re.compile(rb"\A(?:[^\n]*\n){0,4}?[ \t]*%[ \t]*Encoding:[ \t]*([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def _declared(path: str, data: bytes) -> str | None:
    """The text of a file with a UTF-16/32 byte-order mark, or one that declares its encoding
    (JabRef's ``% Encoding: windows-1252`` header); None for any other file (read as UTF-8)."""
    import codecs

    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec).lstrip("\ufeff")
            except UnicodeDecodeError as err:
                raise _fail(
                    path,
                    f"{path} starts with a {codec.upper()} byte-order mark but is not {codec.upper()} "
                    f"(byte {err.start})",
                ) from None
    match = _DECLARED_RE.match(data)
    if match is None:
        return None
    name = match.group(1).decode("ascii")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise _fail(path, f"{path} declares the encoding {name!r}, which is not one Python knows") from None
    if codec in ("utf-8", "utf-8-sig"):
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise _fail(path, f"{path} declares the encoding {name!r} but line {line} is not {name}") from None


def _decode(path: str, data: bytes) -> str:
    from ...dataset.files import Undecodable, decode_utf8

    if not data.strip():
        raise _fail(path, f"no references in {path} (the file is empty)")
    declared = _declared(path, data)
    if declared is not None:
        return declared.replace("\r\n", "\n").replace("\r", "\n")
    decoded = decode_utf8(data)
    if isinstance(decoded, Undecodable):
        if decoded.looks_like:
            raise _fail(path, f"{path} is {decoded.looks_like}; save it as UTF-8")
        line = data[: decoded.offset].count(b"\n") + 1
        raise _fail(path, f"{path} is not UTF-8 (byte 0x{decoded.byte:02x} on line {line}); save it as UTF-8")
    return decoded[0].replace("\r\n", "\n").replace("\r", "\n")


_RANGE_RE = re.compile(r"^\s*([A-Za-z]*)(\d+)\s*[-\u2010-\u2015]+\s*([A-Za-z]*)(\d+)\s*$")

_PAGE_DASH_RE = re.compile(r"\s*[-\u2010-\u2015]+\s*")


def _one_line(text: str) -> str:
    """One line: all whitespace runs (newlines included) collapsed to single spaces."""
    return " ".join(text.split())


def page_range(pages: str) -> tuple[str, str | None]:
    """Printed pages -> (first, full last page or None).

    ``"72-6"`` -> ``("72", "76")``; ``"1094-100"`` -> ``("1094", "1100")``;
    ``"1341–1343"`` -> ``("1341", "1343")``; ``"e123"`` -> ``("e123", None)``.
    """
    match = _RANGE_RE.match(pages)
    if match is None:
        parts = _PAGE_DASH_RE.split(pages.strip(), maxsplit=1)
        if len(parts) == 2 and parts[0] and parts[1]:
            return parts[0], parts[1]
        return pages.strip(), None
    prefix, start, end_prefix, end = match.groups()
    if end_prefix and end_prefix != prefix:
        return prefix + start, end_prefix + end
    if len(end) < len(start):
        full = int(start[: len(start) - len(end)] + end)
        while full < int(start):
            full += 10 ** len(end)
        end = str(full)
    return prefix + start, prefix + end


def _issue_field(ref: Reference) -> str | None:
    """Issue and supplement in one value: ``2``, ``Suppl 1`` or ``2 Suppl 1``."""
    parts = []
    if ref.issue:
        parts.append(_one_line(ref.issue))
    if ref.supplement:
        supplement = _one_line(ref.supplement)
        parts.append(supplement[:1].upper() + supplement[1:])
    return " ".join(parts) or None


def _abstract_note(ref: Reference) -> str | None:
    return f"Abstract {_one_line(ref.abstract_number)}" if ref.abstract_number else None
