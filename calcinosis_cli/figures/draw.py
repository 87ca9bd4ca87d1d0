"""Figures drawn with matplotlib, as SVG, PNG or PDF bytes (the optional extra calcinosis[plot]).

matplotlib is imported only here, and only by the commands that write a figure file. SVG keeps
its text as text (svg.fonttype none), so journals and screen readers can use it, and the same
data gives the same bytes: a fixed hash salt for element ids and no date (SOURCE_DATE_EPOCH,
where set, dates a PDF). Every figure carries its provenance in a caption and in the file's
metadata.
"""

from __future__ import annotations

import io
import os

from ..errors import MissingExtra
from . import model as m

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


def render(
    figure, fmt: str, width: float | None = None, height: float | None = None, dpi: int = 200, title: str | None = None
) -> bytes:
    """The figure as ``fmt`` (svg, png or pdf) bytes; ``width`` and ``height`` in inches."""
    matplotlib, Figure = _matplotlib()
    with matplotlib.rc_context(RC):
        if isinstance(figure, m.Forest):
            fig, note = _forest(Figure, figure, width, height)
        elif isinstance(figure, m.EvidenceMap):
            fig, note = _map(Figure, figure, width, height)
        else:
            fig, note = _outcomes(Figure, figure, width, height)
        fig.suptitle(title or figure.title, x=0.01, ha="left", fontsize=11, fontweight="bold")
        fig.text(0.01, 0.005, note + "\n" + figure.provenance.caption(), fontsize=6.5, color="#444444", va="bottom")
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_metadata(figure, fmt, title))
    return buffer.getvalue()


def _metadata(figure, fmt: str, title: str | None) -> dict[str, object]:
    from .. import __version__

    name = title or figure.title
    creator = f"calcinosis {__version__}"
    caption = figure.provenance.caption()
    if fmt == "svg":
        return {"Title": name, "Description": caption, "Creator": creator, "Date": None}
    if fmt == "pdf":
        meta: dict[str, object] = {"Title": name, "Subject": caption, "Creator": creator}
        if not os.environ.get("SOURCE_DATE_EPOCH"):
            meta["CreationDate"] = None  # matplotlib takes SOURCE_DATE_EPOCH when it is set
        return meta
    return {"Title": name, "Description": caption, "Software": creator}


def _text_width(text: str, size: float, weight: str = "normal") -> float:
    """The width of ``text`` in inches, as matplotlib lays it out."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = RendererAgg(10, 10, 72)  # at 72 dpi a pixel is a point
    prop = FontProperties(family=RC["font.family"], size=size, weight=weight)
    width, _height, _descent = renderer.get_text_width_height_descent(text, prop, ismath=False)
    return width / 72


def _forest(Figure, figure: m.Forest, width, height):
    from matplotlib.transforms import offset_copy

    lines: list[tuple[str, object, str]] = []  # (label, row or None for a heading, kind)
    for group in figure.groups:
        lines.append((group.name, None, "group"))
        lines += [(row.label, row, "row") for row in group.rows]
        lines.append((group.crude.label, group.crude, "crude"))
    # The labels and the numbers always fit: the margins are measured, and a figure too narrow
    # for them and an axis of 1.5 inches is widened.
    labels = [
        _text_width(("  " if row is not None else "") + label, 9, "normal" if kind == "row" else "bold")
        for label, row, kind in lines
    ]
    numbers = [_text_width(f"n={row.patients}   " + _numbers(row), 8) for _l, row, _k in lines if row is not None]
    left, right = max(labels) + 0.25, max(numbers, default=0) + 0.25
    fig_width = max(width or 8, left + right + 1.5)
    fig_height = height or 1.6 + 0.24 * len(lines)
    fig = Figure(figsize=(fig_width, fig_height))
    bottom = 0.75 / fig_height  # room for the axis label and two lines of notes
    ax = fig.add_axes((left / fig_width, bottom, 1 - (left + right) / fig_width, 0.93 - bottom))
    # Labels sit a little left of the axis, numbers a little right of it, clear of any marker.
    at_left = offset_copy(ax.get_yaxis_transform(), fig=fig, x=-10, units="points")
    at_right = offset_copy(ax.get_yaxis_transform(), fig=fig, x=10, units="points")
    ys = list(range(len(lines), 0, -1))
    biggest = max((row.patients for _l, row, k in lines if row is not None), default=1)
    for y, (label, row, kind) in zip(ys, lines, strict=True):
        if row is None:
            ax.text(0, y, label, ha="right", va="center", fontweight="bold", transform=at_left)
            continue
        weight = "bold" if kind == "crude" else "normal"
        ax.text(0, y, "  " + label, ha="right", va="center", fontweight=weight, transform=at_left)
        ax.text(1, y, f"n={row.patients}   " + _numbers(row), ha="left", va="center", fontsize=8, transform=at_right)
        if row.interval is None:
            ax.text(
                50,
                y,
                "no stated outcome" if not row.note else row.note,
                ha="center",
                va="center",
                fontsize=7,
                color="#666666",
            )
            continue
        colour = "#CC79A7" if kind == "crude" else "#0072B2"
        ax.hlines(y, row.interval.low, row.interval.high, color=colour, linewidth=1.4)
        ax.vlines([row.interval.low, row.interval.high], y - 0.15, y + 0.15, color=colour, linewidth=1.2)
        size = 18 + 160 * row.patients / biggest  # marker area proportional to patients
        ax.scatter(
            [row.interval.pct],
            [y],
            s=size,
            marker="D" if kind == "crude" else "s",
            color=colour,
            zorder=3,
            clip_on=False,
        )
    ax.set_xlim(-2, 102)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_ylim(0.3, len(lines) + 0.7)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(f"Improved, % of patients with a stated outcome (exact {figure.level}% interval)")
    ax.axvline(50, color="#DDDDDD", linewidth=0.6, zorder=0)
    return (
        fig,
        "Squares: area proportional to patients. Diamonds: a group's crude line, all its rows added, not pooled.",
    )


def _numbers(row: m.ForestRow) -> str:
    if row.interval is None:
        return f"{row.improved}/{row.stated}" if row.stated else ""
    return f"{row.improved}/{row.stated}   {row.interval.pct}% ({row.interval.low}–{row.interval.high})"


def _map(Figure, figure: m.EvidenceMap, width, height):
    from ..analysis.levels import CEBM_2009_ORDER

    rows, cols = figure.treatments, figure.diagnoses
    fig = Figure(figsize=(width or max(6.5, 1.6 + 1.05 * len(cols)), height or 1.9 + 0.42 * len(rows)))
    ax = fig.add_axes((0.3, 0.26, 0.6 if figure.color == "improved" else 0.52, 0.64))
    biggest = max((c.patients for c in figure.cells.values()), default=1)
    for i in range(len(cols)):
        ax.axvline(i, color="#EEEEEE", linewidth=0.6, zorder=0)
    for j in range(len(rows)):
        ax.axhline(j, color="#EEEEEE", linewidth=0.6, zorder=0)
    xs, ys, sizes, colours = [], [], [], []
    for (treatment, diagnosis), cell in figure.cells.items():
        x, y = cols.index(diagnosis), len(rows) - 1 - rows.index(treatment)
        xs.append(x)
        ys.append(y)
        sizes.append(40 + 900 * cell.patients / biggest)  # circle area proportional to patients
        if figure.color == "level":
            colours.append(m.LEVEL_COLOURS.get(cell.best_level or "", "#999999"))
        else:
            colours.append(cell.improved_pct if cell.improved_pct is not None else float("nan"))
        ax.text(x, y, str(cell.patients), ha="center", va="center", fontsize=7, color="black", zorder=4)
    if figure.color == "level":
        ax.scatter(xs, ys, s=sizes, c=colours, alpha=0.85, edgecolors="#333333", linewidths=0.5, zorder=3)
        from matplotlib.lines import Line2D

        shown = sorted({c.best_level for c in figure.cells.values() if c.best_level}, key=CEBM_2009_ORDER.index)
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=8,
                color=m.LEVEL_COLOURS.get(level, "#999999"),
                label=f"level {level}",
            )
            for level in shown
        ]
        ax.legend(
            handles=handles,
            title="Best level (CEBM 2009)",
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            fontsize=7,
            title_fontsize=7,
            frameon=False,
        )
    else:
        import matplotlib

        cmap = matplotlib.colormaps["viridis"].with_extremes(bad="#BBBBBB")
        points = ax.scatter(
            xs,
            ys,
            s=sizes,
            c=colours,
            cmap=cmap,
            vmin=0,
            vmax=100,
            alpha=0.9,
            edgecolors="#333333",
            linewidths=0.5,
            zorder=3,
            plotnonfinite=True,
        )
        bar = fig.colorbar(points, ax=ax, fraction=0.04, pad=0.02)
        bar.set_label("Improved, % with a stated outcome (grey: none stated)", fontsize=7)
    ax.set_xticks(range(len(cols)), [_wrap(c) for c in cols], rotation=30, ha="right", fontsize=7.5)
    ax.set_yticks(range(len(rows)), list(reversed(rows)), fontsize=8)
    ax.set_xlim(-0.6, len(cols) - 0.4)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    return fig, "Circle area: patients who received the treatment (the number inside). An empty crossing: no rows."


def _wrap(text: str, width: int = 18) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _outcomes(Figure, figure: m.OutcomeBars, width, height):
    bars = list(reversed(figure.bars))
    fig = Figure(figsize=(width or 8, height or 1.5 + 0.34 * len(bars)))
    ax = fig.add_axes((0.3, 0.2, 0.5, 0.68))
    hatches = {"improved": "", "unchanged": "..", "worsened": "//", "not_improved": "\\\\", "not_stated": "xx"}
    left = [0] * len(bars)
    ys = range(len(bars))
    for outcome, colour in m.PALETTE.items():
        values = [bar.counts[outcome] for bar in bars]
        ax.barh(
            ys,
            values,
            left=left,
            color=colour,
            edgecolor="white",
            hatch=hatches[outcome],
            label=m.OUTCOME_LABELS[outcome],
            height=0.65,
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in zip(ys, left, strict=True):
        ax.text(total + 0.3, y, str(total), va="center", fontsize=8)
    ax.set_yticks(list(ys), [bar.treatment for bar in bars])
    ax.set_xlabel("Patients who received the treatment")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return fig, (
        "Hatching repeats the colours: plain improved, dotted unchanged, striped worsened, back-striped not "
        "improved, crossed not stated."
    )
