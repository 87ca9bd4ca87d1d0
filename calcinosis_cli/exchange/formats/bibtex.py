"""BibTeX: read with bibtexparser 1.x, LaTeX decoded here (accents, ``\\i``, ``\\ss``, the escapes
the writer writes, protective braces; bibtexparser's own decoding turns ``{\\"\\i}`` into a dotless
i with a combining diaeresis, which is not "ï"). In titles and journals ``--``/``---`` are
LaTeX's en and em dashes; in pages they are a hyphen. Written with the same escapes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ...errors import MissingExtra
from ...model import Reference
from ...references.keys import unique_keys
from ...references.names import name_parts
from .records import (
    _ET_AL_RE,
    _INITIALS_TOKEN_RE,
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


def _latex_converter():
    """pylatexenc's LaTeX-to-text converter, taught biblatex's own text macros."""
    global _CONVERTER
    if _CONVERTER is None:
        try:
            from pylatexenc import latexwalker, macrospec
            from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
        except ImportError:
            raise MissingExtra(
                "reading BibTeX needs pylatexenc: install calcinosis[import] (pip install 'calcinosis[import]')"
            ) from None

        walker = latexwalker.get_default_latex_context_db()
        one_argument = ("mkbibquote", "mkbibemph", "mkbibitalic", "mkbibbold", "mkbibacro", "NoCaseChange", "url")
        walker.add_context_category(
            "biblatex",
            prepend=True,
            macros=[macrospec.std_macro(name, False, 1) for name in one_argument]
            + [macrospec.std_macro(name, False, 0) for name in ("psq", "psqq")],
        )
        text = get_default_latex_context_db()
        text.add_context_category(
            "biblatex",
            prepend=True,
            macros=[
                MacroTextSpec("mkbibquote", simplify_repl="“%s”"),
                MacroTextSpec("psq", simplify_repl=" f."),
                MacroTextSpec("psqq", simplify_repl=" ff."),
                # the escapes the writer writes, read back as the characters they stand for
                MacroTextSpec("textasciicircum", simplify_repl="^"),
                MacroTextSpec("textbraceleft", simplify_repl="{"),
                MacroTextSpec("textbraceright", simplify_repl="}"),
                *(MacroTextSpec(name, simplify_repl="%s") for name in one_argument if name != "mkbibquote"),
            ],
        )
        _CONVERTER = (LatexNodes2Text(latex_context=text, math_mode="text", strict_latex_spaces=True), walker)
    return _CONVERTER


_CONVERTER = None

_SCRIPT_RE = re.compile(r"\\text(super|sub)script\s*\{([^{}\\$]*)\}|([_^])(?:\{([^{}\\$]*)\}|([^{}\\$\s]))")

_MATH_RE = re.compile(r"(?<!\\)\$([^$]*)\$")


def _scripted(text: str, up: bool) -> str:
    """``text`` in Unicode superscript or subscript letters where Unicode has them all, else as it is."""
    out = []
    for c in text:
        name = unicodedata.name(c, "")
        candidates = (
            [f"{'SUPERSCRIPT' if up else 'SUBSCRIPT'} {name.removeprefix('DIGIT ')}"]
            if name.startswith("DIGIT ")
            else [
                f"{'SUPERSCRIPT' if up else 'SUBSCRIPT'} {name}",
                f"MODIFIER LETTER {name.removeprefix('LATIN ').replace(' LETTER', '')}" if up else "",
                name.replace("LATIN ", "LATIN SUBSCRIPT ") if not up else "",
            ]
        )
        for candidate in candidates:
            try:
                out.append(unicodedata.lookup(candidate))
                break
            except KeyError:
                continue
        else:
            return text
    return "".join(out)


def _scripts(text: str) -> str:
    """Sub- and superscripts (``$_2$``, ``\\textsuperscript{e}``) as Unicode script letters."""

    def one(match: re.Match) -> str:
        if match.group(1):
            return _scripted(match.group(2), match.group(1) == "super")
        return _scripted(match.group(4) if match.group(4) is not None else match.group(5), match.group(3) == "^")

    text = _SCRIPT_RE.sub(lambda m: one(m) if m.group(1) else m.group(0), text)
    return _MATH_RE.sub(lambda m: "$" + _SCRIPT_RE.sub(one, m.group(1)) + "$", text)


def _latex_text(text: str, pages: bool = False) -> str:
    """LaTeX to Unicode (pylatexenc); in pages ``--`` and ``---`` are a hyphen."""
    if pages:
        text = re.sub(r"-{2,3}", "-", text)
    converter, walker = _latex_converter()
    try:
        out = converter.latex_to_text(_scripts(text), latex_context=walker)
    except Exception:  # noqa: BLE001 - pylatexenc is tolerant; anything it still refuses stays as written
        out = text
    return unicodedata.normalize("NFC", out)


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


def _TEXT(text: str) -> str:  # noqa: N802 - the one text decoder of this module
    return _latex_text(text)


def _PAGES(text: str) -> str:  # noqa: N802
    return _latex_text(text, pages=True)


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
    from ...references import csl

    found = _Found()

    def raw(name: str) -> str | None:
        value = entry.get(name)
        return value if isinstance(value, str) and value.strip() else None

    def text(name: str) -> str | None:
        value = raw(name)
        return _TEXT(value) if value is not None else None

    def names(field: str) -> list[str | None]:
        value = raw(field)
        return [_bibtex_name(a) for a in _split_top(value, r"\s+and\s+") if a.strip()] if value else []

    entry_type = str(entry.get("ENTRYTYPE", "")).lower()
    csl_type = csl.bibtex_type(entry_type)
    found.put("type", csl_type, "@" + entry_type)
    found.put("genre", text("type") or csl.BIBTEX_GENRES.get(entry_type), "type")
    found.authors(names("author"), "author")
    found.put("editors", tuple(n for n in names("editor") if n), "editor")
    title, subtitle = text("title"), text("subtitle")
    if title and subtitle:
        title = f"{title}{'' if title.endswith(('?', '!', ':', '.')) else ':'} {subtitle}"
    found.title(title, "title")
    container = ("journal", "journaltitle") if csl_type == "article-journal" else ("booktitle", "journaltitle")
    if csl_type == "article-journal":
        for name in ("shortjournal", "journalabbreviation", "journal", "journaltitle"):
            found.put("journal", text(name), name)
    else:
        for name in (*container, "maintitle", "journal"):
            found.put("container_title", text(name), name)
    found.put("collection_title", text("series"), "series")
    found.put("event", text("eventtitle"), "eventtitle")
    for name in ("publisher", "school", "institution", "organization"):
        found.put("publisher", text(name), name)
    for name in ("address", "location"):
        found.put("publisher_place", text(name), name)
    found.put("edition", text("edition"), "edition")
    found.put("isbn", raw("isbn"), "isbn")
    found.put("issn", raw("issn"), "issn")
    found.year(raw("date"), "date")
    found.year(raw("year"), "year")
    found.put("volume", text("volume"), "volume")
    if csl_type in ("report", "patent", "standard"):
        found.put("report_number", text("number"), "number")
    else:
        found.issue(text("number"), "number")
    found.issue(text("issue"), "issue")
    for name in ("pages", "eid"):
        pages = raw(name)
        if pages is not None:
            found.put("pages", _PAGES(pages), name)
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
        if "doi" not in found.where or found.where["doi"] != "url":
            found.put("url", re.sub(r"\\([_%&#~])", r"\1", url.strip()), "url")
    return found


_KEYLESS = "calcinosis-keyless-"

_KEYLESS_RE = re.compile(r"(?m)^([ \t]*@[ \t]*[A-Za-z]+[ \t]*\{)[ \t]*,")

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
        # bibtexparser 1.x drops an entry without a key (JabRef writes "@Book{,"): give it one.
        text = _KEYLESS_RE.sub(lambda m: f"{m.group(1)}{_KEYLESS}{m.start()},", text)
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
    return [
        _bibtex_fields(e).record(path, position, "" if e.get("ID", "").startswith(_KEYLESS) else e.get("ID", ""))
        for position, e in enumerate(entries, 1)
    ]


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
    """A value safe inside ``{...}`` in a .bib file: specials escaped, braces balanced, and
    ``--`` kept two hyphens (``-{}-``: LaTeX would make it a dash)."""
    text = _one_line(text)
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
    return re.sub(r"-(?=-)", "-{}", "".join(out))


def _bibtex_verbatim(text: str) -> str:
    """A verbatim value (DOI, PMID): unescaped, but unpaired braces percent-encoded."""
    text = _one_line(text)
    if _braces_pair(text):
        return text
    return text.replace("{", "%7B").replace("}", "%7D")


def bibtex_name(name: str) -> str:
    """``"Berger RG"`` -> ``"Berger, R. G."``; ``"Qiao S Jr"`` -> ``"Qiao, Jr, S."``;
    ``"Abdoucheli-Baudat"`` stays as it is; a name of several words without initials (an
    organisation) is braced, so that BibTeX keeps it whole."""
    surname, initials, suffix = name_parts(name)
    surname = bibtex_escape(surname)
    if "," in surname or re.search(r"\sand\s", surname, flags=re.IGNORECASE) or (not initials and " " in surname):
        surname = "{" + surname + "}"
    if not initials:
        return surname
    given = " ".join(letter + "." for letter in initials)
    return f"{surname}, {bibtex_escape(suffix)}, {given}" if suffix else f"{surname}, {given}"


def _bibtex_entry(ref: Reference, key: str) -> str:
    from ...references import csl

    entry_type = csl.bibtex_entry_type(ref.type, ref.genre)
    names = [bibtex_name(a) for a in ref.authors]
    if ref.et_al:
        names.append("others")
    fields: list[tuple[str, str]] = []
    if names:
        fields.append(("author", " and ".join(names)))
    if ref.editors:
        fields.append(("editor", " and ".join(bibtex_name(a) for a in ref.editors)))
    fields.append(("title", "{" + bibtex_escape(ref.title) + "}"))
    if ref.journal:
        fields.append(("journal", bibtex_escape(ref.journal)))
    if ref.container_title:
        fields.append(("booktitle" if entry_type != "article" else "journal", bibtex_escape(ref.container_title)))
    house = {"thesis": "school", "report": "institution"}.get(ref.type, "publisher")
    for name, value in (
        ("series", ref.collection_title), (house, ref.publisher), ("address", ref.publisher_place),
        ("edition", ref.edition), ("eventtitle", ref.event),
        ("type", ref.genre if ref.genre not in csl.BIBTEX_GENRES.values() else None),
        ("number", ref.report_number), ("isbn", ref.isbn), ("issn", ref.issn),
    ):  # fmt: skip
        if value:
            fields.append((name, bibtex_escape(value)))
    fields.append(("year", str(ref.year)))
    if ref.issued and ref.issued != str(ref.year):
        fields.append(("date", ref.issued))
    if ref.volume:
        fields.append(("volume", bibtex_escape(ref.volume)))
    issue = _issue_field(ref)
    if issue:
        fields.append(("number", bibtex_escape(issue)))
    if ref.pages:
        first, last = page_range(ref.pages)
        pages = f"{bibtex_escape(first)}--{bibtex_escape(last)}" if last else bibtex_escape(first)
        fields.append(("pages", pages))
    note = _abstract_note(ref)
    if note:
        fields.append(("note", bibtex_escape(note)))
    if ref.doi:
        fields.append(("doi", _bibtex_verbatim(ref.doi)))
    if ref.pmid:
        fields.append(("pmid", _bibtex_verbatim(ref.pmid)))
    if ref.url:
        fields.append(("url", _bibtex_verbatim(ref.url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def _render_bibtex(refs: Sequence[Reference]) -> str:
    return "\n".join(_bibtex_entry(ref, key) for ref, key in zip(refs, unique_keys(refs), strict=True))
