"""What every figure shares: the palettes, the provenance caption, the glyphs of text figures and
matplotlib's settings. matplotlib is imported only when a figure file is drawn (the optional
extra calcinosis[plot]); SVG keeps its text as text (svg.fonttype none), so journals and screen
readers can use it, and the same data gives the same bytes: a fixed hash salt for element ids and
no date (SOURCE_DATE_EPOCH, where set, dates a PDF). Every figure carries its provenance in a
caption and in the file's metadata.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable

from .. import model
from ..errors import MissingExtra

PALETTE = {  # Okabe-Ito: distinguishable with every common colour-vision deficiency
    "improved": "#009E73",
    "unchanged": "#56B4E9",
    "worsened": "#D55E00",
    "not_improved": "#E69F00",
    "not_stated": "#999999",
}

OUTCOME_LABELS = model.OUTCOME_WORDS

LEVEL_COLOURS = {"1a": "#0072B2", "1b": "#0072B2", "2b": "#CC79A7", "4": "#E69F00", "5": "#999999"}


def provenance_of(ds: model.Dataset) -> model.Provenance:
    """The provenance a figure carries: the dataset's source and version, the tool's version."""
    from .. import __version__
    from ..references.bibliography import short_citation

    source = ds.references.get(ds.source)
    return model.Provenance(__version__, ds.version, short_citation(source) if source else ds.title)


# --- as text: lines of (text, rich style); every glyph stands on its own without colour ---------

Line = list[tuple[str, str]]  # (text, rich style)

DOTS = ((2, "○"), (9, "●"))  # patients up to N -> glyph; more than the last: BIG_DOT

BIG_DOT = "◉"

GAP = "·"  # an evidence map's empty cell

CRUDE = "◆"

GLYPHS = {"improved": "█", "unchanged": "▓", "worsened": "▒", "not_improved": "▚", "not_stated": "░"}


def dot(patients: int) -> str:
    for limit, glyph in DOTS:
        if patients <= limit:
            return glyph
    return BIG_DOT


def interval_bar(interval, width: int, marker: str) -> str:
    """A bar over 0-100% ``width`` characters wide: ├──●──┤ from the low to the high bound."""
    cells = [" "] * width

    def at(pct: float) -> int:
        return min(width - 1, max(0, round(pct / 100 * (width - 1))))

    low, high, point = at(interval.low), at(interval.high), at(interval.pct)
    for i in range(low, high + 1):
        cells[i] = "─"
    cells[low], cells[high] = "├", "┤"
    cells[point] = marker
    return "".join(cells)


def axis(width: int) -> str:
    cells = [" "] * width
    for pct in (0, 25, 50, 75, 100):
        text = f"{pct}%"
        start = min(width - len(text), max(0, round(pct / 100 * (width - 1)) - (len(text) - 1) // 2))
        cells[start : start + len(text)] = text
    return "".join(cells)


def plain(lines: list[Line]) -> str:
    return "".join("".join(text for text, _style in line).rstrip() + "\n" for line in lines)


def dots_legend() -> str:
    """What the dot glyphs mean."""
    return f"{DOTS[0][1]} up to {DOTS[0][0]} patients, {DOTS[1][1]} up to {DOTS[1][0]}, {BIG_DOT} more"


# --- as files, with matplotlib -------------------------------------------------------------------

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf"}

RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "calcinosis",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _matplotlib():
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingExtra(
            "drawing a figure file needs matplotlib: install calcinosis[plot] (pip install 'calcinosis[plot]')"
        ) from None
    return matplotlib, Figure


def render_file(
    figure,
    draw: Callable,
    fmt: str,
    width: float | None = None,
    height: float | None = None,
    dpi: int = 200,
    title: str | None = None,
) -> bytes:
    """The figure as ``fmt`` (svg, png or pdf) bytes, drawn by ``draw(Figure, figure, width, height)``
    (which returns the figure and a note); ``width`` and ``height`` in inches."""
    matplotlib, Figure = _matplotlib()
    with matplotlib.rc_context(RC):
        fig, note = draw(Figure, figure, width, height)
        fig.suptitle(title or figure.title, x=0.01, ha="left", fontsize=11, fontweight="bold")
        fig.text(
            0.01, 0.005, _wrapped(note + "\n" + caption_of(figure), fig), fontsize=6.5, color="#444444", va="bottom"
        )
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_metadata(figure, fmt, title))
    return buffer.getvalue()


def _wrapped(text: str, fig) -> str:
    """Notes broken into lines that fit the figure's width (6.5-point text, about 0.6 em a character)."""
    import textwrap

    chars = max(40, int(fig.get_figwidth() * 72 / (6.5 * 0.6)))
    return "\n".join(textwrap.fill(line, chars) if len(line) > chars else line for line in text.split("\n"))


def caption_of(figure) -> str:
    """The provenance caption, with the figure's own disclaimer where it has one (a pooled forest)."""
    disclaimer = getattr(figure, "disclaimer", "")
    return figure.provenance.caption(disclaimer) if disclaimer else figure.provenance.caption()


def _metadata(figure, fmt: str, title: str | None) -> dict[str, object]:
    from .. import __version__

    name = title or figure.title
    creator = f"calcinosis {__version__}"
    caption = caption_of(figure)
    if fmt == "svg":
        return {"Title": name, "Description": caption, "Creator": creator, "Date": None}
    if fmt == "pdf":
        meta: dict[str, object] = {"Title": name, "Subject": caption, "Creator": creator}
        if not os.environ.get("SOURCE_DATE_EPOCH"):
            meta["CreationDate"] = None  # matplotlib takes SOURCE_DATE_EPOCH when it is set
        return meta
    return {"Title": name, "Description": caption, "Software": creator}


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """The width of ``text`` in inches, as matplotlib lays it out."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = RendererAgg(10, 10, 72)  # at 72 dpi a pixel is a point
    prop = FontProperties(family=RC["font.family"], size=size, weight=weight)
    width, _height, _descent = renderer.get_text_width_height_descent(text, prop, ismath=False)
    return width / 72
