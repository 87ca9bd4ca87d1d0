"""Figures, by kind. Each kind is a module of its own, holding its model (``build``), its text
for a pipe (``text``) and a terminal (``renderable``, else its ``lines`` coloured), its text
alternative (``alt_text``) and its drawing with matplotlib (``draw``). This registry is the one
place that maps a kind to its module; nothing chooses a figure's drawing by its class.
"""

from __future__ import annotations

import importlib

# Kind (as `calcinosis plot KIND` names it) -> its module.
KINDS = {"forest": "forest", "map": "evidence_map", "outcomes": "outcomes", "rob": "rob", "rob-summary": "rob_summary"}
# Kinds drawn from a file of their own rather than from studies (`calcinosis prisma FILE`).
OTHER_KINDS = {"prisma": "prisma"}


def module_of(kind: str):
    """The module of a figure kind."""
    return importlib.import_module(f"{__name__}.{KINDS.get(kind) or OTHER_KINDS[kind]}")


def build(kind: str, ds, studies, **options):
    """A figure of ``kind`` for ``studies``; ``options`` are the kind's own (by, level, color)."""
    return module_of(kind).build(ds, studies, **options)


def figure_text(figure, width: int = 100) -> str:
    """The figure as plain text (for a pipe), every number shown."""
    return module_of(figure.kind).text(figure, width)


def figure_renderable(figure, width: int):
    """The figure for a terminal: its text lines coloured, or the kind's own renderable."""
    module = module_of(figure.kind)
    if hasattr(module, "renderable"):
        return module.renderable(figure, width)
    from rich.console import Group
    from rich.text import Text

    return Group(*(Text.assemble(*[(text, style) for text, style in line]) for line in module.lines(figure, width)))


def alt_text(figure) -> str:
    """What the figure shows, in words and numbers, for readers who cannot see it."""
    return module_of(figure.kind).alt_text(figure)


def render(
    figure, fmt: str, width: float | None = None, height: float | None = None, dpi: int = 200, title: str | None = None
) -> bytes:
    """The figure as ``fmt`` (svg, png or pdf) bytes; ``width`` and ``height`` in inches."""
    from .common import render_file

    return render_file(figure, module_of(figure.kind).draw, fmt, width, height, dpi, title)
