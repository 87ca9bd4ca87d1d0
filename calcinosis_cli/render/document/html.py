"""The report (report.py) as one self-contained HTML5 page.

The page loads nothing from the network and needs no script: styles are inline, figures are
inline SVG (with their alt text as the accessible name), tables have real header cells
(<th scope>), footnotes and numbered references are linked both ways, and DOIs and PMIDs
are links. Print styles keep tables whole on A4 and Letter. The page is built as an element
tree (xml.etree), so every text is escaped by the library, never by hand.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ...documents import blocks as r

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.45; max-width: 62rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.6rem; margin-bottom: 0.3rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
blockquote { margin: 1rem 0; padding: 0.5rem 1rem; border-left: 4px solid #0072B2; background: #f4f8fb; }
table { border-collapse: collapse; width: 100%; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #bbb; padding: 0.3rem 0.45rem; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
thead th { background: #eef1f4; overflow-wrap: normal; }
tbody th { font-weight: normal; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1.2rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.85rem; color: #444; }
sup { line-height: 0; }
/* Links are underlined, not told apart by colour alone (WCAG 1.4.1; axe's link-in-text-block). */
a { color: #0b5394; text-decoration: underline; text-underline-offset: 0.15em; }
.backlinks a { margin-left: 0.3rem; }
ol.references li, ol.notes li { margin-bottom: 0.3rem; }
.table-notes { font-size: 0.85rem; margin: -0.4rem 0 1rem; }
.table-notes p { margin: 0.15rem 0; }
@media print {
  @page { size: auto; margin: 14mm 12mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  table { font-size: 7.5pt; page-break-inside: auto; }
  thead { display: table-header-group; }
  tr, figure, blockquote { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: underline; }
  .backlinks { display: none; }
}
"""


class _Links:
    """Ids of the footnote and citation marks, so that notes and references link back."""

    def __init__(self, report: r.Report):
        self.markers = {note.label: note.marker for note in report.notes}
        self.notes: dict[str, list[str]] = {}
        self.cites: dict[int, list[str]] = {}

    def note(self, label: str) -> str:
        ids = self.notes.setdefault(label, [])
        ids.append(f"fnref-{label}-{len(ids) + 1}")
        return ids[-1]

    def cite(self, number: int) -> str:
        ids = self.cites.setdefault(number, [])
        ids.append(f"cite-{number}-{len(ids) + 1}")
        return ids[-1]


def _inline(parent: ET.Element, spans: r.Inline, links: _Links) -> None:
    """Append spans to ``parent``: text goes into .text/.tail, marks become elements."""

    def add_text(text: str) -> None:
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    for span in spans:
        if isinstance(span, r.Text):
            add_text(span.text)
        elif isinstance(span, r.Emphasis):
            _inline(ET.SubElement(parent, "em"), span.spans, links)
        elif isinstance(span, r.Strong):
            _inline(ET.SubElement(parent, "strong"), span.spans, links)
        elif isinstance(span, r.Code):
            ET.SubElement(parent, "code").text = span.text
        elif isinstance(span, r.Link):
            ET.SubElement(parent, "a", href=span.url).text = span.text
        elif isinstance(span, r.NoteRef):
            sup = ET.SubElement(parent, "sup")
            a = ET.SubElement(sup, "a", href=f"#fn-{span.label}", id=links.note(span.label))
            a.set("aria-label", f"footnote {links.markers.get(span.label, span.label)}")
            a.text = f"[{links.markers.get(span.label, span.label)}]"
        elif isinstance(span, r.CiteRef):
            a = ET.SubElement(parent, "a", href=f"#ref-{span.number}", id=links.cite(span.number))
            a.set("aria-label", f"reference {span.number}")
            a.text = f"[{span.number}]"
        elif isinstance(span, r.Symbol):
            glyph = ET.SubElement(parent, "span", {"class": "symbol", "aria-hidden": "true"})
            glyph.text = span.glyph
            glyph.tail = " " + span.label
        elif isinstance(span, r.TableNoteRef):
            ET.SubElement(parent, "sup", {"class": "table-note"}).text = span.letter
        else:  # pragma: no cover - a span type the model added and this renderer lacks
            raise TypeError(f"unknown span {span!r}")


def _table(parent: ET.Element, table: r.Table, links: _Links) -> None:
    element = ET.SubElement(parent, "table")
    row = ET.SubElement(ET.SubElement(element, "thead"), "tr")
    for column in table.columns:
        th = ET.SubElement(row, "th", scope="col")
        if column.numeric:
            th.set("class", "num")
        th.text = column.label
    body = ET.SubElement(element, "tbody")
    for cells in table.rows:
        tr = ET.SubElement(body, "tr")
        for index, (column, cell) in enumerate(zip(table.columns, cells, strict=True)):
            element_cell = ET.SubElement(tr, "th", scope="row") if index == 0 else ET.SubElement(tr, "td")
            if column.numeric:
                element_cell.set("class", "num")
            _inline(element_cell, cell, links)
    if table.notes:  # under the table, each once, as journals set them
        notes = ET.SubElement(parent, "div", {"class": "table-notes"})
        for index, note in enumerate(table.notes):
            p = ET.SubElement(notes, "p")
            ET.SubElement(p, "sup").text = r.note_letter(index)
            p[-1].tail = " "
            _inline(p, note, links)


_SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}"


def _svg(figure: r.Figure) -> ET.Element:
    """The figure's SVG as an element for inline HTML: plain tag names, no elements of other
    namespaces (its RDF metadata), ids made unique to the figure (two figures' ids must not
    collide in one page), sized to the page's width."""
    text = figure.svg or ""
    ids = set(re.findall(r'\bid="([^"]+)"', text))
    prefix = f"{figure.kind}-"
    for old in sorted(ids, key=len, reverse=True):
        text = re.sub(rf'(\bid="|#){re.escape(old)}(?=["\)])', rf"\g<1>{prefix}{old}", text)
    root = ET.fromstring(text.encode("utf-8"))
    # The file's RDF metadata is for the SVG file alone; in the page, the caption says it.
    for parent in list(root.iter()):
        for child in list(parent):
            if not child.tag.startswith(_SVG):
                parent.remove(child)
    for element in root.iter():
        if element.tag.startswith(_SVG):
            element.tag = element.tag[len(_SVG) :]
        for key in [k for k in element.attrib if k.startswith(_XLINK)]:
            element.set("xlink:" + key[len(_XLINK) :], element.attrib.pop(key))
    root.set("xmlns", "http://www.w3.org/2000/svg")
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    root.set("role", "img")
    root.set("aria-label", figure.alt)
    return root


def _block(body: ET.Element, block, links: _Links) -> None:
    if isinstance(block, r.Heading):
        heading = ET.SubElement(body, f"h{block.level}", id=block.anchor)
        _inline(heading, block.text, links)
    elif isinstance(block, r.Paragraph):
        _inline(ET.SubElement(body, "p"), block.text, links)
    elif isinstance(block, r.Quote):
        _inline(ET.SubElement(ET.SubElement(body, "blockquote"), "p"), block.text, links)
    elif isinstance(block, r.Bullets):
        ul = ET.SubElement(body, "ul")
        for item in block.items:
            _inline(ET.SubElement(ul, "li"), item, links)
    elif isinstance(block, r.Table):
        _table(body, block, links)
    elif isinstance(block, r.Figure):
        figure = ET.SubElement(body, "figure", id=f"figure-{block.kind}")
        if block.svg is not None:
            figure.append(_svg(block))
        elif block.path is not None:
            ET.SubElement(figure, "img", src=block.path, alt=block.alt)
        ET.SubElement(figure, "figcaption").text = block.caption
    else:  # pragma: no cover
        raise TypeError(f"unknown block {block!r}")


def _backlinks(parent: ET.Element, ids: list[str], what: str) -> None:
    if not ids:
        return
    span = ET.SubElement(parent, "span", {"class": "backlinks"})
    for number, target in enumerate(ids, 1):
        a = ET.SubElement(span, "a", href=f"#{target}")
        a.set("aria-label", f"back to {what} {number}")
        a.text = "↩"


def render_report_html(report: r.Report) -> str:
    """The report as an HTML5 document (a string)."""
    links = _Links(report)
    html = ET.Element("html", lang="en")
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    ET.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    ET.SubElement(head, "meta", name="generator", content=f"calcinosis {report.provenance.tool_version}")
    ET.SubElement(head, "title").text = report.title
    ET.SubElement(head, "style").text = STYLE
    body = ET.SubElement(html, "body")
    main = ET.SubElement(body, "main")
    for block in report.blocks:
        _block(main, block, links)
    if report.references:
        ET.SubElement(main, "h2", id="references").text = "References"
        if report.references_note:
            ET.SubElement(main, "p").text = report.references_note
        ol = ET.SubElement(main, "ol", {"class": "references"})
        for entry in report.references:
            li = ET.SubElement(ol, "li", id=f"ref-{entry.number}", value=str(entry.number))
            _inline(li, entry.text, links)
            _backlinks(li, links.cites.get(entry.number, []), "citation")
    if report.notes:
        section = ET.SubElement(main, "section", {"class": "footnotes", "aria-label": "Footnotes of Table 1"})
        ET.SubElement(section, "h2", id="footnotes").text = "Footnotes of Table 1"
        ol = ET.SubElement(section, "ol", {"class": "notes"})
        for note in report.notes:
            li = ET.SubElement(ol, "li", id=f"fn-{note.label}")
            li.text = f"{note.marker} {note.text}"
            _backlinks(li, links.notes.get(note.label, []), "the text")
    return "<!DOCTYPE html>\n" + ET.tostring(html, encoding="unicode", method="html") + "\n"
