"""The report (documents/) as a Word document (.docx), with python-docx (calcinosis[docx]).

The same Report model as Markdown and HTML; nothing is added. Headings use Word's own Heading
1..n styles (so the navigation pane and a table of contents find them); tables have a header
row that repeats on every page; a table's notes stand under it, as journals set them (Word
documents written here have no true footnotes); references link their DOI and PMID through
real hyperlink relationships; figures are PNG images sized to the page's width, with their
alt text; the document's properties hold the title, the tool and the dataset version. The
bytes are the same for the same input: the zip's timestamps and the created and modified
dates are the provenance date.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Mapping

from ...documents import blocks as r
from ...errors import MissingExtra

CODE_FONT = "Consolas"
TABLE_POINTS = 8  # table text, as journals set it
NOTE_POINTS = 8


def _docx():
    try:
        import docx
    except ImportError:
        raise MissingExtra(
            "writing a Word document needs python-docx: install calcinosis[docx] (pip install 'calcinosis[docx]')"
        ) from None
    return docx


class _Writer:
    """Adds the blocks of one report to a python-docx Document."""

    def __init__(self, report: r.Report, images: Mapping[str, bytes]):
        docx = _docx()
        from docx.shared import Pt

        self.report = report
        self.images = images
        self.doc = docx.Document()
        self.Pt = Pt
        self.markers = {note.label: note.marker for note in report.notes}

    # --- inline ---------------------------------------------------------------------------

    def inline(self, paragraph, spans: r.Inline, italic: bool = False, bold: bool = False, size=None) -> None:
        for span in spans:
            if isinstance(span, r.Text):
                self._run(paragraph, span.text, italic, bold, size)
            elif isinstance(span, r.Emphasis):
                self.inline(paragraph, span.spans, True, bold, size)
            elif isinstance(span, r.Strong):
                self.inline(paragraph, span.spans, italic, True, size)
            elif isinstance(span, r.Code):
                self._run(paragraph, span.text, italic, bold, size).font.name = CODE_FONT
            elif isinstance(span, r.Link):
                self.hyperlink(paragraph, span.text, span.url, size)
            elif isinstance(span, r.NoteRef):
                self._run(
                    paragraph, self.markers.get(span.label, span.label), italic, bold, size
                ).font.superscript = True
            elif isinstance(span, r.CiteRef):
                self._run(paragraph, f"[{span.number}]", italic, bold, size)
            elif isinstance(span, r.Symbol):
                # The glyph, then its words: a screen reader reads the words, whatever it makes of ⊕.
                self._run(paragraph, f"{span.glyph} {span.label}", italic, bold, size)
            elif isinstance(span, r.TableNoteRef):
                self._run(paragraph, span.letter, italic, bold, size).font.superscript = True
            else:  # pragma: no cover - a span type the model added and this renderer lacks
                raise TypeError(f"unknown span {span!r}")

    def _run(self, paragraph, text: str, italic: bool = False, bold: bool = False, size=None):
        run = paragraph.add_run(text)
        if italic:
            run.italic = True
        if bold:
            run.bold = True
        if size is not None:
            run.font.size = size
        return run

    def hyperlink(self, paragraph, text: str, url: str, size=None) -> None:
        """A real hyperlink: a w:hyperlink element whose r:id names an external relationship."""
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rid)
        run = OxmlElement("w:r")
        props = OxmlElement("w:rPr")
        color = OxmlElement("w:color")
        color.set(qn("w:val"), "0B5394")
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        props.extend([color, underline])
        if size is not None:
            points = OxmlElement("w:sz")
            points.set(qn("w:val"), str(int(size.pt * 2)))
            props.append(points)
        run.append(props)
        node = OxmlElement("w:t")
        node.text = text
        node.set(qn("xml:space"), "preserve")
        run.append(node)
        link.append(run)
        paragraph._p.append(link)

    # --- blocks ---------------------------------------------------------------------------

    def block(self, block) -> None:
        doc = self.doc
        if isinstance(block, r.Heading):
            heading = doc.add_heading("", level=min(max(block.level, 1), 9))
            self.inline(heading, block.text)
        elif isinstance(block, r.Paragraph):
            self.inline(doc.add_paragraph(), block.text)
        elif isinstance(block, r.Quote):
            self.inline(doc.add_paragraph(style="Quote"), block.text)
        elif isinstance(block, r.Bullets):
            for item in block.items:
                self.inline(doc.add_paragraph(style="List Bullet"), item)
        elif isinstance(block, r.Table):
            self.table(block)
        elif isinstance(block, r.Figure):
            self.figure(block)
        else:  # pragma: no cover
            raise TypeError(f"unknown block {block!r}")

    def table(self, table: r.Table) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement

        size = self.Pt(TABLE_POINTS)
        word = self.doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
        word.style = "Table Grid"
        header = word.rows[0]
        # The header row repeats at the top of every page the table runs onto (w:tblHeader).
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, column in zip(header.cells, table.columns, strict=True):
            paragraph = cell.paragraphs[0]
            self._run(paragraph, column.label, bold=True, size=size)
            if column.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for row, cells in zip(word.rows[1:], table.rows, strict=True):
            for cell, column, spans in zip(row.cells, table.columns, cells, strict=True):
                paragraph = cell.paragraphs[0]
                self.inline(paragraph, spans, size=size)
                if column.numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for index, note in enumerate(table.notes):  # under the table, each once
            paragraph = self.doc.add_paragraph()
            self._run(paragraph, r.note_letter(index), size=self.Pt(NOTE_POINTS)).font.superscript = True
            self._run(paragraph, " ", size=self.Pt(NOTE_POINTS))
            self.inline(paragraph, note, size=self.Pt(NOTE_POINTS))
        if not table.notes:
            self.doc.add_paragraph()  # Word runs a table into the next one without a paragraph between

    def usable_width(self):
        section = self.doc.sections[-1]
        return section.page_width - section.left_margin - section.right_margin

    def figure(self, figure: r.Figure) -> None:
        png = self.images.get(figure.kind)
        if png is not None:
            from docx.shared import Emu, Inches

            # As large as drawn, but never wider or taller than the page's text area (no clipping).
            section = self.doc.sections[-1]
            room_w = int(self.usable_width())
            room_h = int(section.page_height - section.top_margin - section.bottom_margin) * 9 // 10  # and a caption
            size = _png_inches(png)
            drawn_w, drawn_h = (int(Inches(size[0])), int(Inches(size[1]))) if size else (room_w, room_w)
            scale = min(1.0, room_w / drawn_w, room_h / drawn_h)
            self.doc.add_picture(io.BytesIO(png), width=Emu(int(drawn_w * scale)), height=Emu(int(drawn_h * scale)))
            picture = self.doc.inline_shapes[-1]
            picture._inline.docPr.set("descr", figure.alt)  # the alt text Word shows and reads
            picture._inline.docPr.set("name", f"{figure.kind}.png")
        self.inline(self.doc.add_paragraph(style="Caption"), (r.Text(figure.caption),))

    def references(self) -> None:
        report = self.report
        if report.references:
            self.doc.add_heading("References", level=2)
            if report.references_note:
                self.doc.add_paragraph(report.references_note)
            for entry in report.references:
                paragraph = self.doc.add_paragraph()
                self._run(paragraph, f"{entry.number}. ")
                self.inline(paragraph, entry.text)
        if report.notes:
            self.doc.add_heading("Footnotes of Table 1", level=2)
            for note in report.notes:
                self.doc.add_paragraph(f"{note.marker} {note.text}")

    def properties(self) -> None:
        provenance = self.report.provenance
        props = self.doc.core_properties
        props.title = self.report.title
        props.subject = "Evidence on treatments for calcinosis cutis (no medical advice)"
        props.author = "calcinosis"
        props.last_modified_by = "calcinosis"
        props.keywords = f"calcinosis {provenance.tool_version}; dataset {provenance.dataset_version}"
        props.comments = _comments(provenance)
        props.version = provenance.tool_version
        props.revision = 1
        when = _moment(provenance.date)
        props.created = when
        props.modified = when
        # python-docx's template carries a thumbnail of its own blank page: not this document's.
        rels = self.doc.part.package.rels
        for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith("/metadata/thumbnail")]:
            rels.pop(rid)


# Word's core properties hold at most 255 characters each (python-docx enforces it).
PROPERTY_LIMIT = 255


def _comments(provenance) -> str:
    """The provenance as the document's comments: versions, date and, when it fits, the command
    (the document's own provenance line always holds it whole)."""
    base = f"Generated by calcinosis {provenance.tool_version} from dataset version {provenance.dataset_version}"
    base += f" on {provenance.date}" if provenance.date else ""
    full = base + (f" with: {provenance.command}" if provenance.command else "")
    if len(full) <= PROPERTY_LIMIT:
        return full
    return base if len(base) <= PROPERTY_LIMIT else base[: PROPERTY_LIMIT - 1] + "…"


def _moment(date: str) -> datetime.datetime:
    """The provenance date at midnight UTC (the fixed moment of a reproducible file)."""
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        day = datetime.date(1980, 1, 1)
    return datetime.datetime(max(day.year, 1980), day.month, day.day)


def _png_inches(png: bytes) -> tuple[float, float] | None:
    """A PNG's size in inches at the resolution it records (pHYs), else None."""
    import struct

    if png[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    width, height = struct.unpack(">II", png[16:24])
    at = png.find(b"pHYs")
    if at < 0:
        return None
    per_x, per_y, unit = struct.unpack(">IIB", png[at + 4 : at + 13])
    if unit != 1 or not per_x or not per_y:
        return None
    return width / (per_x * 0.0254), height / (per_y * 0.0254)


def _fixed_zip(data: bytes, when: datetime.datetime) -> bytes:
    """The same zip with every entry's timestamp set to ``when``, so the bytes repeat."""
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def render_report_docx(report: r.Report, images: Mapping[str, bytes] | None = None) -> bytes:
    """The report as the bytes of a .docx file; ``images`` gives each figure's PNG by its kind."""
    writer = _Writer(report, images or {})
    for block in report.blocks:
        writer.block(block)
    writer.references()
    writer.properties()
    buffer = io.BytesIO()
    writer.doc.save(buffer)
    return _fixed_zip(buffer.getvalue(), _moment(report.provenance.date))
