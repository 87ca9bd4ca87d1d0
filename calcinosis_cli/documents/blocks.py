"""The document model: inline spans and blocks that every renderer (Markdown, HTML, terminal,
Word) turns into its own form. Inline text is a tuple of spans, so that each renderer escapes
and links in its own way; no renderer adds content."""

from __future__ import annotations

from typing import NamedTuple

from .. import model

# --- inline spans ---------------------------------------------------------------------------


class Text(NamedTuple):
    text: str


class Emphasis(NamedTuple):
    spans: tuple


class Strong(NamedTuple):
    spans: tuple


class Code(NamedTuple):
    text: str


class Link(NamedTuple):
    text: str
    url: str


class NoteRef(NamedTuple):
    """A pointer to one of the source's footnotes (Report.notes)."""

    label: str


class CiteRef(NamedTuple):
    """A pointer to a numbered reference (Report.references)."""

    number: int


class Symbol(NamedTuple):
    """A symbol that carries meaning (certainty circles, a risk-of-bias sign) and the words it
    stands for. Every renderer shows both, the glyph then its words; a page hides the glyph
    from screen readers, which read the words."""

    glyph: str
    label: str


class TableNoteRef(NamedTuple):
    """A mark in a table's cell for one of the table's own notes (Table.notes), lettered a, b, ..."""

    index: int  # 0-based, into Table.notes

    @property
    def letter(self) -> str:
        return note_letter(self.index)


def note_letter(index: int) -> str:
    """a, b, ..., z, aa, ab, ...: the letters journals mark table notes with."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


Inline = tuple  # of spans


def text(value: object) -> Inline:
    return (Text("" if value is None else str(value)),)


# --- blocks ---------------------------------------------------------------------------------


class Heading(NamedTuple):
    level: int
    text: Inline
    anchor: str


class Paragraph(NamedTuple):
    text: Inline


class Quote(NamedTuple):
    text: Inline


class Bullets(NamedTuple):
    items: tuple[Inline, ...]


class Column(NamedTuple):
    label: str
    numeric: bool = False


class Table(NamedTuple):
    columns: tuple[Column, ...]
    rows: tuple[tuple[Inline, ...], ...]
    notes: tuple[Inline, ...] = ()  # numbered notes under the table, as journals set them


class Figure(NamedTuple):
    """A figure written beside the report (``path``, relative) or inlined (``svg``); ``text``,
    where the figure has one, is it drawn in text with every number (a code block in Markdown,
    the preview's drawing), for readers and renderers that show no image."""

    kind: str
    alt: str
    caption: str
    path: str | None = None
    svg: str | None = None
    text: str | None = None


class ReferenceEntry(NamedTuple):
    number: int
    id: str
    text: Inline  # Vancouver style (DOI and PMID as links), or the CSL style report --csl names


class Note(NamedTuple):
    """A footnote of the source, as printed, with a label for anchors."""

    label: str
    marker: str
    text: str


class Report(NamedTuple):
    title: str
    provenance: model.Provenance
    blocks: tuple
    references: tuple[ReferenceEntry, ...]
    notes: tuple[Note, ...]
    references_note: str = ""  # which numbering the reference list uses
