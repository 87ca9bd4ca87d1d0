"""The report (report.py) as Markdown that GitHub and pandoc both render: pipe tables,
footnotes as [^label], numbered references."""

from __future__ import annotations

from ...documents import blocks as r
from ..markdown import escape_inline


def inline(spans: r.Inline) -> str:
    """Spans as Markdown: text escaped so that it shows literally."""
    out = []
    for span in spans:
        if isinstance(span, r.Text):
            out.append(escape_inline(span.text))
        elif isinstance(span, r.Emphasis):
            out.append(f"*{inline(span.spans)}*")
        elif isinstance(span, r.Strong):
            out.append(f"**{inline(span.spans)}**")
        elif isinstance(span, r.Code):
            out.append(f"`{span.text.replace('`', '')}`")
        elif isinstance(span, r.Link):
            out.append(f"[{escape_inline(span.text)}](<{span.url}>)")
        elif isinstance(span, r.NoteRef):
            out.append(f"[^{span.label}]")
        elif isinstance(span, r.CiteRef):
            out.append(f"[{span.number}]")
        elif isinstance(span, r.Symbol):
            out.append(escape_inline(f"{span.glyph} {span.label}"))
        elif isinstance(span, r.TableNoteRef):
            out.append(f"<sup>{span.letter}</sup>")
        else:  # pragma: no cover - a span type the model added and this renderer lacks
            raise TypeError(f"unknown span {span!r}")
    return "".join(out)


def _table(table: r.Table) -> list[str]:
    lines = ["| " + " | ".join(escape_inline(c.label) for c in table.columns) + " |"]
    lines.append("| " + " | ".join("---:" if c.numeric else "---" for c in table.columns) + " |")
    lines += ["| " + " | ".join(inline(cell) for cell in row) + " |" for row in table.rows]
    if table.notes:  # under the table, each once, as journals set them
        lines.append("")
        lines += [f"<sup>{r.note_letter(i)}</sup> {inline(note)}  " for i, note in enumerate(table.notes)]
        lines[-1] = lines[-1].rstrip()
    return lines


def _block(block) -> list[str]:
    if isinstance(block, r.Heading):
        return ["#" * block.level + " " + inline(block.text)]
    if isinstance(block, r.Paragraph):
        return [inline(block.text)]
    if isinstance(block, r.Quote):
        return ["> " + inline(block.text)]
    if isinstance(block, r.Bullets):
        return [f"- {inline(item)}" for item in block.items]
    if isinstance(block, r.Table):
        return _table(block)
    if isinstance(block, r.Figure):
        out = [f"![{escape_inline(block.alt)}]({block.path})", ""] if block.path is not None else []
        if block.text is not None:  # the figure in text: every number, image or not
            import re

            fence = "`" * max([3] + [len(run) + 1 for run in re.findall(r"`+", block.text)])
            out += [f"{fence}text", *block.text.rstrip("\n").split("\n"), fence, ""]
        if not out:
            return []
        return [*out, f"*{escape_inline(block.caption)}*"]
    raise TypeError(f"unknown block {block!r}")  # pragma: no cover


def render_report_markdown(report: r.Report) -> str:
    """A Markdown document: the blocks, the numbered references, then the footnotes."""
    out: list[str] = []
    for block in report.blocks:
        out += _block(block) + [""]
    if report.references:
        out += ["## References", ""]
        if report.references_note:
            out += [escape_inline(report.references_note), ""]
        for entry in report.references:
            out.append(f"{entry.number}. {inline(entry.text)}")
        out.append("")
    for note in report.notes:
        out.append(f"[^{note.label}]: {escape_inline(f'{note.marker} {note.text}')}")
    if report.notes:
        out.append("")
    return "\n".join(out)
