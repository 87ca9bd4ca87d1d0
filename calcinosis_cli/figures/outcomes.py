"""Outcome bars: patients who received each treatment, by outcome, stacked. Its model, its text
and its drawing."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import NamedTuple

from .. import model
from .common import GLYPHS, OUTCOME_LABELS, PALETTE, Line, plain, provenance_of


class OutcomeBar(NamedTuple):
    treatment: str
    counts: dict[str, int]  # outcome -> treated patients


class OutcomeBars(NamedTuple):
    bars: tuple[OutcomeBar, ...]
    provenance: model.Provenance
    title: str
    kind: str = "outcomes"


def build(ds: model.Dataset, studies: Sequence[model.Study]) -> OutcomeBars:
    """Per treatment, its treated patients by outcome."""
    from ..analysis.tally import group_order, group_studies

    rows = sorted(group_studies(ds, studies, "treatment"), key=lambda r: group_order("treatment")(r["group"]))
    bars = tuple(OutcomeBar(str(r["group"]), {o: int(r[o]) for o in model.OUTCOMES}) for r in rows)  # type: ignore[arg-type]
    return OutcomeBars(bars, provenance_of(ds), "Patients by outcome, per treatment (those who received it)")


def alt_text(figure: OutcomeBars) -> str:
    """What the bars show, in words and numbers, for readers who cannot see them."""
    bars = [
        f"{bar.treatment}: " + ", ".join(f"{n} {OUTCOME_LABELS[o]}" for o, n in bar.counts.items() if n)
        for bar in figure.bars
    ]
    return "Patients by outcome per treatment. " + "; ".join(bars) + "."


# --- as text -------------------------------------------------------------------------------------


def lines(figure: OutcomeBars, width: int) -> list[Line]:
    """Stacked bars, a treatment a line, no wider than ``width`` where it can be: the counts
    beside the bar, else below it; on a narrow terminal the treatment on a line of its own."""
    label_w = max([len(b.treatment) for b in figure.bars] + [9]) + 2
    biggest = max([sum(b.counts.values()) for b in figure.bars] + [1])
    counts_w = max([len(_outcome_counts(b)) for b in figure.bars] + [0]) + 2
    label_alone = label_w + 20 > width
    prefix = 2 if label_alone else label_w
    inline = width - prefix - counts_w >= 20
    bar_w = max(10, min(60, width - prefix - (counts_w if inline else 0)))
    out: list[Line] = [[(figure.title, "bold")]]
    legend: Line = [("  ", "")]
    for outcome, glyph in GLYPHS.items():
        item = [(glyph * 2, PALETTE[outcome]), (f" {OUTCOME_LABELS[outcome]}   ", "")]
        if sum(len(text) for text, _ in legend + item) > width:  # the legend, too, on two lines
            out.append(legend)
            legend = [("  ", "")]
        legend += item
    out.append(legend)
    for bar in figure.bars:
        if label_alone:
            out.append([(bar.treatment, "")])
        line: Line = [(" " * prefix if label_alone else bar.treatment.ljust(label_w), "")]
        drawn = 0
        total = sum(bar.counts.values())
        for outcome, glyph in GLYPHS.items():
            length = round(bar_w * (drawn + bar.counts[outcome]) / biggest) - round(bar_w * drawn / biggest)
            drawn += bar.counts[outcome]
            line.append((glyph * length, PALETTE[outcome]))
        shown = round(bar_w * total / biggest)
        if inline:
            line.append((" " * (bar_w - shown) + "  " + _outcome_counts(bar), ""))
            out.append(line)
        else:
            indent = prefix if prefix + counts_w <= width else 2
            out.append(line)
            out += [[(" " * indent + part, "")] for part in textwrap.wrap(_outcome_counts(bar), width - indent)]
    out.append([(figure.provenance.caption(), "dim")])
    return out


def _outcome_counts(bar) -> str:
    counts = ", ".join(f"{bar.counts[o]} {OUTCOME_LABELS[o]}" for o in GLYPHS if bar.counts[o])
    return f"{sum(bar.counts.values())}: {counts}"


def text(figure: OutcomeBars, width: int = 100) -> str:
    return plain(lines(figure, width))


# --- as a file ---------------------------------------------------------------------------------------


def draw(Figure, figure: OutcomeBars, width, height):
    bars = list(reversed(figure.bars))
    fig = Figure(figsize=(width or 8, height or 1.5 + 0.34 * len(bars)))
    ax = fig.add_axes((0.3, 0.2, 0.5, 0.68))
    hatches = {"improved": "", "unchanged": "..", "worsened": "//", "not_improved": "\\\\", "not_stated": "xx"}
    left = [0] * len(bars)
    ys = range(len(bars))
    for outcome, colour in PALETTE.items():
        values = [bar.counts[outcome] for bar in bars]
        ax.barh(
            ys,
            values,
            left=left,
            color=colour,
            edgecolor="white",
            hatch=hatches[outcome],
            label=OUTCOME_LABELS[outcome],
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
