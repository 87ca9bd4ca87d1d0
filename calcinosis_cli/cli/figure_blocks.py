"""Figures placed into a report: inline SVG (HTML), PNG for Word, or an SVG file beside a
Markdown report, each as a document block (report, sof and report --prisma share it)."""

from __future__ import annotations

import os

from .output import write_file

# Figures in a Word document are PNG at print resolution.
PRINT_DPI = 300


def place_figure(
    figure, kind: str, folder: str | None, force: bool, inline: bool, output: str | None, images: dict | None
):
    """The report's block for ``figure``: its SVG inline (HTML), its PNG at print resolution into
    ``images`` by kind (Word), or its SVG written into ``folder`` and linked by its path from the
    report's own folder (``output``'s, else here); with none of these, its text alternative only."""
    from .. import figures
    from ..documents.blocks import Figure

    caption = f"{figure.title}. {' '.join(figure.provenance.caption().split())}"
    block = Figure(kind, figures.alt_text(figure), caption)
    if inline:
        return block._replace(svg=figures.render(figure, "svg").decode("utf-8"))
    if images is not None and folder is None:
        images[kind] = figures.render(figure, "png", dpi=PRINT_DPI)
        return block
    if folder is None:
        return block
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{kind}.svg")
    write_file(path, figures.render(figure, "svg"), force)
    base = os.path.dirname(os.path.abspath(output)) if output and output != "-" else os.getcwd()
    return block._replace(path=os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/"))
