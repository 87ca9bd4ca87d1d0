"""The risk-of-bias summary: a 100% stacked bar per item, the share of appraised studies with
each answer, and one for the reviewers' overall judgements; robvis's colours. Its model, its
text and its drawing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .. import model
from .common import Line, plain, provenance_of
from .rob import ANSWER_LOOK, OVERALL_LOOK, PALETTES, look

ORDER = ("yes", "unclear", "no", "not applicable", None)
OVERALL_ORDER = ("low", "moderate", "high", "unclear", None)


class SummaryBar(NamedTuple):
    label: str
    counts: tuple[tuple[str | None, int], ...]  # answer -> studies, in ORDER
    overall: bool = False


class RobSummary(NamedTuple):
    tool: model.AppraisalTool
    bars: tuple[SummaryBar, ...]
    studies: int
    palette: str
    provenance: model.Provenance
    title: str
    kind: str = "rob-summary"


def build(ds: model.Dataset, studies: Sequence[model.Study], palette: str = "cochrane", tool: str | None = None):
    from .rob import selected_entries

    chosen, entries = selected_entries(ds, studies, tool)
    bars = []
    for n, item in enumerate(chosen.items, 1):
        answers = [(e.answer(item.number).answer if e.answer(item.number) else None) for e in entries]
        extra = tuple(a for a in dict.fromkeys(answers) if a not in ORDER)
        counts = tuple((a, answers.count(a)) for a in (*ORDER, *extra) if answers.count(a))
        bars.append(SummaryBar(f"D{n}: item {item.number}", counts))
    overall = [e.overall for e in entries]
    bars.append(SummaryBar("Overall", tuple((o, overall.count(o)) for o in OVERALL_ORDER if overall.count(o)), True))
    title = f"Risk of bias summary ({chosen.id})"
    return RobSummary(chosen, tuple(bars), len(entries), palette, provenance_of(ds), title)


def _look(bar: SummaryBar, answer):
    return OVERALL_LOOK.get(answer, OVERALL_LOOK[None]) if bar.overall else look(answer)


def _counts_text(bar: SummaryBar) -> str:
    total = sum(c for _a, c in bar.counts)
    return ", ".join(f"{_look(bar, a)[2]} {c} of {total}" for a, c in bar.counts)


def alt_text(figure: RobSummary) -> str:
    bars = "; ".join(f"{bar.label}: {_counts_text(bar)}" for bar in figure.bars)
    return f"Share of the {figure.studies} appraisals with each answer, per item of {figure.tool.id}. {bars}."


def lines(figure: RobSummary, width: int) -> list[Line]:
    colours = PALETTES[figure.palette]
    label_w = max(len(b.label) for b in figure.bars) + 2
    bar_w = max(10, min(50, width - label_w - 2))
    out: list[Line] = [[(figure.title, "bold")]]
    for bar in figure.bars:
        total = sum(c for _a, c in bar.counts) or 1
        line: Line = [(bar.label.ljust(label_w), "bold" if bar.overall else "")]
        drawn = 0
        for answer, count in bar.counts:
            level, symbol, _words = _look(bar, answer)
            length = round(bar_w * (drawn + count) / total) - round(bar_w * drawn / total)
            drawn += count
            line.append(((symbol if symbol.strip() else "·") * length, f"black on {colours[level]}"))
        out.append(line)
        out.append([(" " * label_w + _counts_text(bar), "dim")])
    out.append([("Symbols: " + ", ".join(f"{s.strip() or '·'} {w}" for _l, s, w in ANSWER_LOOK.values()), "")])
    out.append([(figure.provenance.caption(), "dim")])
    return out


def text(figure: RobSummary, width: int = 100) -> str:
    return plain(lines(figure, width))


def draw(Figure, figure: RobSummary, width, height):
    from .common import text_width

    colours = PALETTES[figure.palette]
    bars = list(reversed(figure.bars))
    label_in = max(text_width(b.label, 9) for b in bars) + 0.3
    fig = Figure(figsize=(width or label_in + 5.5, height or 1.7 + 0.32 * len(bars)))
    fig_w = fig.get_figwidth()
    ax = fig.add_axes((label_in / fig_w, 0.3, 0.62, 0.58))
    for y, bar in enumerate(bars):
        total = sum(c for _a, c in bar.counts) or 1
        left = 0.0
        for answer, count in bar.counts:
            level, _symbol, words = _look(bar, answer)
            share = 100 * count / total
            ax.barh(y, share, left=left, color=colours[level], edgecolor="#333333", linewidth=0.5, height=0.7)
            if share >= 8:
                ax.text(left + share / 2, y, f"{count}", ha="center", va="center", fontsize=7)
            left += share
    ax.set_yticks(list(range(len(bars))), [b.label for b in bars])
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"% of the {figure.studies} appraisals")
    seen: dict[str, str] = {}
    for bar in figure.bars:
        for answer, _count in bar.counts:
            level, _s, words = _look(bar, answer)
            seen.setdefault(words, colours[level])
    from matplotlib.patches import Patch

    ax.legend(
        [Patch(facecolor=c, edgecolor="#333333") for c in seen.values()],
        list(seen),
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=7,
        frameon=False,
    )
    return fig, "Each bar is 100% of the appraisals shown; the numbers are studies. No score is computed."
