"""Figures out of a command: written to a file or drawn for the terminal (plot, prisma), or
placed into a report as inline SVG (HTML), PNG for Word, or an SVG file beside a Markdown
report, each as a document block (report and report --prisma share it)."""

from __future__ import annotations

import os

from .output import echo_text, print_renderable, rich_terminal, terminal_width, write_file

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


def figure_file_format(output: str | None) -> str | None:
    """The file format that --output's suffix asks for (svg, png or pdf), or None without
    --output; another suffix is a usage error, before any work."""
    if output is None:
        return None
    from ..errors import UsageError
    from ..figures.common import FORMATS

    suffix = os.path.splitext(output)[1].lower()
    if suffix not in FORMATS:
        raise UsageError(f"--output {output}: the suffix must be one of {', '.join(FORMATS)}")
    return FORMATS[suffix]


def emit_figure(figure, output: str | None, file_format: str | None, options: dict, pipe_width: int) -> None:
    """``figure`` written to ``output`` as ``file_format`` (``options``: width, height, dpi,
    title, force), else drawn for the terminal, else as plain text ``pipe_width`` wide where no
    width is known (a pipe)."""
    from .. import figures
    from .environment import current

    if output is not None:
        size = (options["width"], options["height"], options["dpi"], options["title"])
        write_file(output, figures.render(figure, file_format, *size), options["force"])
    elif rich_terminal():
        print_renderable(figures.figure_renderable(figure, terminal_width()))
    else:
        echo_text(figures.figure_text(figure, current().columns() or pipe_width), "plain")
