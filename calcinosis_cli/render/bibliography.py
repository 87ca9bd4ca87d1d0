"""A reference list on its own (``cite --format``): plain text, Markdown, or an HTML fragment
marked up as CSL processors mark theirs (div.csl-bib-body > div.csl-entry). Each entry is a
label (the style's number field, or ""), whether the style sets the label apart, and its spans
from the document model, so the report's renderers set them here too."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..documents import blocks as r
from .cells import one_line
from .document.html import _inline
from .document.markdown import inline
from .markdown import escape_inline

BibEntry = tuple[str, bool, r.Inline]  # label, set apart, text


def plain_text(spans: r.Inline) -> str:
    """Spans as the text they show."""
    out = []
    for span in spans:
        if isinstance(span, (r.Emphasis, r.Strong)):
            out.append(plain_text(span.spans))
        else:
            out.append(span.text)
    return "".join(out)


def _joined(label: str, apart: bool, body: str) -> str:
    return label + (" " if label and apart and not label.endswith(" ") else "") + body


def render_bibliography(entries: Sequence[BibEntry], fmt: str) -> str:
    """``entries`` as one document in ``fmt`` (plain, markdown or html), ending in a newline."""
    if fmt == "plain":
        return "".join(_joined(label, apart, one_line(plain_text(spans))) + "\n" for label, apart, spans in entries)
    if fmt == "markdown":
        # One paragraph each; the label escaped, so that "1." stays the style's text, not a list.
        return "\n".join(_joined(escape_inline(label), apart, inline(spans)) + "\n" for label, apart, spans in entries)
    body = ET.Element("div", {"class": "csl-bib-body"})
    body.text = "\n  "
    for label, apart, spans in entries:
        entry = ET.SubElement(body, "div", {"class": "csl-entry"})
        entry.tail = "\n  "
        if label and apart:
            ET.SubElement(entry, "div", {"class": "csl-left-margin"}).text = label.rstrip() + " "
            _inline(ET.SubElement(entry, "div", {"class": "csl-right-inline"}), spans, None)  # type: ignore[arg-type]
        else:
            entry.text = label
            _inline(entry, spans, None)  # type: ignore[arg-type]
    if len(body):
        body[-1].tail = "\n"
    return ET.tostring(body, encoding="unicode", method="html") + "\n"
