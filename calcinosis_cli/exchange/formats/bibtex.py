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
from ...references.names import split_name
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
    return "".join(out)


def _bibtex_verbatim(text: str) -> str:
    """A verbatim value (DOI, PMID): unescaped, but unpaired braces percent-encoded."""
    text = _one_line(text)
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
