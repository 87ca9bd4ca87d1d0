"""Reference lists in citation-manager formats: Vancouver text, BibTeX, RIS and CSL-JSON.

Every style is rendered from the :class:`~calcinosis_cli.model.Reference` records alone.
Nothing is looked up or guessed: a DOI or PMID is written only when the record has one.

Choices that the formats leave open, made once here for all outputs:

* **Keys.** :func:`citation_key` gives the reference's ``id`` when it already has the form
  ``^[a-z][a-z0-9]*$`` (as every bundled id does: ``berger1987``), else the first author's
  surname transliterated to ASCII (NFKD, combining marks dropped, ``ł ø ß æ œ`` and a few
  other letters NFKD leaves whole spelled out, non-alphanumerics dropped, lowercased) followed
  by the year (``ref`` stands in for a surname with no Latin letters). When two different
  references in one output share a key, each of them gets a suffix ``a``, ``b``, ... in input
  order (``smith2001a``, ``smith2001b``).
  A reference passed twice (an equal record) is written once, at its first place.
* **Conference abstracts printed in a journal supplement** are journal items, not proceedings:
  BibTeX ``@article`` with ``number = {Suppl 1}`` and ``note = {Abstract 0389}``; RIS
  ``TY  - ABST`` with ``IS  - Suppl 1`` and ``N1  - Abstract 0389``; CSL-JSON type
  ``article-journal`` with ``issue`` ``"Suppl 1"`` and ``note`` ``"Abstract 0389"``. Where a
  reference has both an issue and a supplement, the issue field reads ``"2 Suppl 1"``.
  Reviews are ordinary journal articles in every style.
* **Pages** are written as full ranges where the format means a range: the printed ``72-6``
  becomes ``72--76`` in BibTeX and ``72-76`` in CSL-JSON. RIS gets the pages as printed in
  ``SP`` alone (``SP  - 72-6``), as EndNote writes them, so that `calcinosis import` reads back
  exactly what the source printed.
* **The source paper's numbering** (a reference's ``number``) is stated in RIS as the note
  ``N1  - Numbered 5 in the source paper's reference list``, which `import` reads back.
* **Names** are printed as "Surname Initials" (``Berger RG``). BibTeX gets ``Berger, R. G.``
  (one dotted initial per letter, so BibTeX's name parser sees one given name per initial); RIS gets
  ``Berger, RG``; CSL-JSON gets ``{"family": "Berger", "given": "RG"}``. A name printed without
  initials (``Abdoucheli-Baudat``) stays a bare surname. An author list cut short with "et al"
  ends in ``and others`` in BibTeX and is stated in the RIS ``N1`` and CSL ``note``.
* **BibTeX values** are UTF-8 (biber and bibtexparser read it). The LaTeX specials
  ``& % $ # _`` are backslash-escaped, ``~ ^ \\`` become ``\\textasciitilde{}``,
  ``\\textasciicircum{}`` and ``\\textbackslash{}``; braces become ``\\{``/``\\}`` when they pair up
  in the value and ``\\textbraceleft{}``/``\\textbraceright{}`` otherwise, so every value's braces
  balance. Titles are wrapped in an extra pair of braces to keep their capitalisation.
  ``doi`` and ``pmid`` are verbatim fields and are not escaped. The PMID goes in a ``pmid``
  field (biblatex and most managers ignore or keep unknown fields).
* **RIS journal and PMID.** Our journal names are the printed abbreviations; they are written
  both as ``T2`` (the journal, which most readers import as the publication title) and ``JO``
  (the abbreviation). The PMID is written as ``AN`` (accession number), nowhere else. The
  key goes in ``ID``.
* **CSL-JSON journal.** The abbreviation goes in both ``container-title`` and
  ``container-title-short``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence

from ...model import Reference
from ...references.bibliography import vancouver

CITATION_STYLES = ("vancouver", "bibtex", "ris", "csl-json")

_KEY_RE = re.compile(r"^[a-z][a-z0-9]*$")
_INITIALS_RE = re.compile(r"^[^\W\d_]{1,4}$")
_RANGE_RE = re.compile(r"^\s*([A-Za-z]*)(\d+)\s*[-\u2010-\u2015]+\s*([A-Za-z]*)(\d+)\s*$")
_PAGE_DASH_RE = re.compile(r"\s*[-\u2010-\u2015]+\s*")


# --- keys ---------------------------------------------------------------------------------


# Latin letters that NFKD does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe"})


def _ascii_fold(text: str) -> str:
    """Lowercase ASCII letters and digits only: NFKD, combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_UNDECOMPOSED))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", stripped.lower())


def split_name(name: str) -> tuple[str, str]:
    """``"Berger RG"`` -> ``("Berger", "RG")``; a name without initials -> ``(name, "")``.

    The last word counts as initials when it is one to four letters, all capitals.
    """
    name = " ".join(name.split())
    if " " in name:
        surname, last = name.rsplit(" ", 1)
        if _INITIALS_RE.match(last) and last.isupper():
            return surname, last
    return name, ""


def citation_key(ref: Reference) -> str:
    """A stable ASCII key ``[a-z][a-z0-9]*`` such as ``berger1987``.

    The reference's ``id`` when it already has that form, else surname + year.
    """
    if _KEY_RE.match(ref.id):
        return ref.id
    surname = split_name(ref.authors[0])[0] if ref.authors else ""
    stem = _ascii_fold(surname)
    if not stem or not stem[0].isalpha():
        stem = "ref" + stem
    return f"{stem}{ref.year}"


def _unique(refs: Sequence[Reference]) -> list[Reference]:
    out: list[Reference] = []
    for ref in refs:
        if ref not in out:
            out.append(ref)
    return out


def unique_keys(refs: Sequence[Reference]) -> list[str]:
    """Keys for ``refs`` (already de-duplicated), shared keys suffixed a, b, ... in order."""
    base = [citation_key(r) for r in refs]
    counts: dict[str, int] = {}
    for key in base:
        counts[key] = counts.get(key, 0) + 1
    taken = {k for k in base if counts[k] == 1}
    next_suffix: dict[str, int] = {}
    out: list[str] = []
    for key in base:
        if counts[key] == 1:
            out.append(key)
            continue
        n = next_suffix.get(key, 0)
        while True:
            candidate = key + _suffix(n)
            n += 1
            if candidate not in taken:
                break
        next_suffix[key] = n
        taken.add(candidate)
        out.append(candidate)
    return out


def _suffix(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, ..."""
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


# --- shared field helpers -----------------------------------------------------------------


def _clean(text: str) -> str:
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
        parts.append(_clean(ref.issue))
    if ref.supplement:
        supplement = _clean(ref.supplement)
        parts.append(supplement[:1].upper() + supplement[1:])
    return " ".join(parts) or None


def _abstract_note(ref: Reference) -> str | None:
    return f"Abstract {_clean(ref.abstract_number)}" if ref.abstract_number else None


# --- vancouver ----------------------------------------------------------------------------


def _render_vancouver(refs: Sequence[Reference]) -> str:
    return "".join(f"{i}. {_clean(vancouver(ref))}\n" for i, ref in enumerate(refs, 1))


# --- bibtex -------------------------------------------------------------------------------

_BIBTEX_SIMPLE = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_"}
_BIBTEX_WORDS = {"~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}


def _braces_pair(text: str) -> bool:
    depth = 0
    for c in text:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def bibtex_escape(text: str) -> str:
    """A value safe inside ``{...}`` in a .bib file: specials escaped, braces balanced."""
    text = _clean(text)
    paired = _braces_pair(text)
    out = []
    for c in text:
        if c in _BIBTEX_SIMPLE:
            out.append(_BIBTEX_SIMPLE[c])
        elif c in _BIBTEX_WORDS:
            out.append(_BIBTEX_WORDS[c])
        elif c == "{":
            out.append(r"\{" if paired else r"\textbraceleft{}")
        elif c == "}":
            out.append(r"\}" if paired else r"\textbraceright{}")
        else:
            out.append(c)
    return "".join(out)


def _bibtex_verbatim(text: str) -> str:
    """A verbatim value (DOI, PMID): unescaped, but unpaired braces percent-encoded."""
    text = _clean(text)
    if _braces_pair(text):
        return text
    return text.replace("{", "%7B").replace("}", "%7D")


def bibtex_name(name: str) -> str:
    """``"Berger RG"`` -> ``"Berger, R. G."``; ``"Abdoucheli-Baudat"`` stays as it is."""
    surname, initials = split_name(name)
    surname = bibtex_escape(surname)
    if "," in surname or re.search(r"\sand\s", surname, flags=re.IGNORECASE):
        surname = "{" + surname + "}"
    if not initials:
        return surname
    return f"{surname}, {' '.join(letter + '.' for letter in initials)}"


def _bibtex_entry(ref: Reference, key: str) -> str:
    names = [bibtex_name(a) for a in ref.authors]
    if ref.et_al:
        names.append("others")
    fields: list[tuple[str, str]] = []
    if names:
        fields.append(("author", " and ".join(names)))
    fields.append(("title", "{" + bibtex_escape(ref.title) + "}"))
    fields.append(("journal", bibtex_escape(ref.journal)))
    fields.append(("year", str(ref.year)))
    if ref.volume:
        fields.append(("volume", bibtex_escape(ref.volume)))
    issue = _issue_field(ref)
    if issue:
        fields.append(("number", bibtex_escape(issue)))
    if ref.pages:
        first, last = page_range(ref.pages)
        pages = f"{first}--{last}" if last else first
        fields.append(("pages", bibtex_escape(pages)))
    note = _abstract_note(ref)
    if note:
        fields.append(("note", bibtex_escape(note)))
    if ref.doi:
        fields.append(("doi", _bibtex_verbatim(ref.doi)))
    if ref.pmid:
        fields.append(("pmid", _bibtex_verbatim(ref.pmid)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{key},\n{body}\n}}\n"


def _render_bibtex(refs: Sequence[Reference]) -> str:
    return "\n".join(_bibtex_entry(ref, key) for ref, key in zip(refs, unique_keys(refs), strict=True))


# --- ris ----------------------------------------------------------------------------------


def ris_name(name: str) -> str:
    """``"Berger RG"`` -> ``"Berger, RG"``; a name without initials stays as it is."""
    surname, initials = split_name(name)
    return f"{surname}, {initials}" if initials else surname


def _ris_record(ref: Reference, key: str) -> str:
    tags: list[tuple[str, str]] = []
    tags.append(("TY", "ABST" if ref.kind == "conference abstract" else "JOUR"))
    tags.append(("ID", key))
    tags.extend(("AU", ris_name(a)) for a in ref.authors)
    tags.append(("TI", ref.title))
    tags.append(("T2", ref.journal))
    tags.append(("JO", ref.journal))
    tags.append(("PY", str(ref.year)))
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
        tags.append(("N1", "Author list cut short (et al) in the printed reference"))
    if ref.number is not None:
        tags.append(("N1", f"Numbered {ref.number} in the source paper's reference list"))
    lines = [f"{tag}  - {_clean(value)}" for tag, value in tags]
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def _render_ris(refs: Sequence[Reference]) -> str:
    return "\n".join(_ris_record(ref, key) for ref, key in zip(refs, unique_keys(refs), strict=True))


# --- csl-json -----------------------------------------------------------------------------


def csl_name(name: str) -> dict[str, str]:
    """``"Berger RG"`` -> ``{"family": "Berger", "given": "RG"}``."""
    surname, initials = split_name(name)
    return {"family": surname, "given": initials} if initials else {"family": surname}


def _csl_item(ref: Reference, key: str) -> dict[str, object]:
    item: dict[str, object] = {"id": key, "type": "article-journal", "title": _clean(ref.title)}
    item["container-title"] = _clean(ref.journal)
    item["container-title-short"] = _clean(ref.journal)
    if ref.authors:
        item["author"] = [csl_name(a) for a in ref.authors]
    item["issued"] = {"date-parts": [[ref.year]]}
    if ref.volume:
        item["volume"] = _clean(ref.volume)
    issue = _issue_field(ref)
    if issue:
        item["issue"] = issue
    if ref.pages:
        first, last = page_range(ref.pages)
        item["page"] = f"{first}-{last}" if last else first
    if ref.doi:
        item["DOI"] = _clean(ref.doi)
    if ref.pmid:
        item["PMID"] = _clean(ref.pmid)
    notes = [n for n in (_abstract_note(ref),) if n]
    if ref.et_al:
        notes.append("Author list cut short (et al) in the printed reference")
    if notes:
        item["note"] = "; ".join(notes)
    return item


def _render_csl_json(refs: Sequence[Reference]) -> str:
    items = [_csl_item(ref, key) for ref, key in zip(refs, unique_keys(refs), strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# --- entry point --------------------------------------------------------------------------

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
    return _RENDERERS[style](_unique(refs))
