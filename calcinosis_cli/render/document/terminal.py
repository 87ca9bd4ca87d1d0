"""The report (report.py) drawn for a terminal: a preview of what the Markdown and HTML say,
with tables laid out by the same width allocator as every other table."""

from __future__ import annotations

from ...documents import blocks as r
from ..cells import visible


def _spans(spans: r.Inline, notes: dict[str, str], style: str = ""):
    """Spans as a rich Text (never markup): emphasis italic, strong bold, notes by marker."""
    from rich.text import Text

    out = Text()
    for span in spans:
        if isinstance(span, r.Text):
            out.append(visible(span.text), style=style)
        elif isinstance(span, r.Emphasis):
            out.append_text(_spans(span.spans, notes, f"{style} italic".strip()))
        elif isinstance(span, r.Strong):
            out.append_text(_spans(span.spans, notes, f"{style} bold".strip()))
        elif isinstance(span, r.Code):
            out.append(visible(span.text), style=f"{style} bold".strip())
        elif isinstance(span, r.Link):
            out.append(visible(span.text), style=f"{style} underline".strip())
        elif isinstance(span, r.NoteRef):
            out.append(f"[{notes.get(span.label, span.label)}]", style=style)
        elif isinstance(span, r.CiteRef):
            out.append(f"[{span.number}]", style=style)
        elif isinstance(span, r.Symbol):
            out.append(visible(f"{span.glyph} {span.label}"), style=style)
        elif isinstance(span, r.TableNoteRef):
            out.append(f"({span.letter})", style=style)
        else:  # pragma: no cover - a span type the model added and this renderer lacks
            raise TypeError(f"unknown span {span!r}")
    return out


def _plain(spans: r.Inline, notes: dict[str, str]) -> str:
    return _spans(spans, notes).plain


def report_renderable(report: r.Report, width: int):
    """A rich renderable of the whole report for a terminal ``width`` columns wide."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.rule import Rule
    from rich.text import Text

    from ..terminal import rows_renderable

    notes = {note.label: note.marker for note in report.notes}
    parts: list = []
    for block in report.blocks:
        if isinstance(block, r.Heading):
            if block.level == 1:
                parts.append(_spans(block.text, notes, "bold underline"))
            else:
                parts += [Text(""), Rule(_spans(block.text, notes, "bold"), align="left")]
        elif isinstance(block, r.Paragraph):
            parts += [Text(""), _spans(block.text, notes)]
        elif isinstance(block, r.Quote):
            parts += [Text(""), Padding(_spans(block.text, notes, "italic"), (0, 0, 0, 4))]
        elif isinstance(block, r.Bullets):
            parts.append(Text(""))
            parts += [Padding(Text("• ").append_text(_spans(item, notes)), (0, 0, 0, 2)) for item in block.items]
        elif isinstance(block, r.Table):
            labels = [c.label for c in block.columns]
            rows = [dict(zip(labels, (_plain(cell, notes) for cell in row), strict=True)) for row in block.rows]
            parts += [Text(""), rows_renderable(width, rows, labels)]
            if block.notes:
                from ..terminal import with_notes

                parts[-1] = with_notes(parts[-1], [_plain(n, notes) for n in block.notes])
        elif isinstance(block, r.Figure):
            where = f" ({block.path})" if block.path else ""
            if block.text is not None:
                parts += [Text(""), Text(visible(block.text.rstrip("\n")))]
            parts += [Text(""), Text(f"Figure{where}: {block.caption}", style="italic")]
    if report.references:
        parts += [Text(""), Rule(Text("References", style="bold"), align="left")]
        if report.references_note:
            parts.append(Text(visible(report.references_note), style="dim"))
        parts += [Text(f"{entry.number}. ").append_text(_spans(entry.text, notes)) for entry in report.references]
    if report.notes:
        parts += [Text(""), Rule(Text("Footnotes of Table 1", style="bold"), align="left")]
        parts += [Text(visible(f"{note.marker} {note.text}")) for note in report.notes]
    return Group(*parts)
