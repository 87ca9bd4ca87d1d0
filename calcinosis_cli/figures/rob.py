"""The risk-of-bias traffic light: studies by items, each cell the reviewer's answer drawn as
robvis draws it (its Cochrane or colour-blind colours and its + − x ? symbols), and the
reviewer's own overall judgement in the last column. Its model, its text and its drawing.

robvis's values (mcguinlu/robvis R/helpers.R get_colour, R/rob_traffic_light.R, commit c7c1bdd):
Cochrane low #02C100, some concerns #E2DF07, high #BF0000, no information #4EA1F7, not
applicable #cccccc; colour-blind low #fed98e, some concerns #fe9929, high #d95f0e, no information
#ffffff; symbols + (low), − (some concerns, which the Generic template labels Unclear), x (high),
? (no information), none (not applicable).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .. import model
from ..appraisal.symbols import ANSWER_LOOK, OVERALL_LOOK, look
from .common import Line, plain, provenance_of

PALETTES = {
    "cochrane": {"low": "#02C100", "concerns": "#E2DF07", "high": "#BF0000", "ni": "#4EA1F7", "na": "#cccccc"},
    "colourblind": {"low": "#fed98e", "concerns": "#fe9929", "high": "#d95f0e", "ni": "#ffffff", "na": "#cccccc"},
}


class RobRow(NamedTuple):
    label: str
    study: str
    reviewer: str
    answers: tuple[str | None, ...]  # per item of the tool, in its order
    overall: str | None


class RobGrid(NamedTuple):
    tool: model.AppraisalTool
    rows: tuple[RobRow, ...]
    palette: str
    provenance: model.Provenance
    title: str
    kind: str = "rob"


def selected_entries(ds: model.Dataset, studies: Sequence[model.Study], tool: str | None) -> tuple:
    """The settled appraisals of ``studies`` with one tool (``tool``, or the only one used)."""
    from ..appraisal import settled
    from ..appraisal.tools import tool_named
    from ..errors import UsageError

    entries = settled(ds, [s.id for s in studies])
    if tool is None:
        used = list(dict.fromkeys(e.tool for e in entries))
        if len(used) > 1:
            raise UsageError(f"the selected studies are appraised with {', '.join(used)}: choose one with --tool")
        if not used:
            raise UsageError("no selected study has an appraisal (see 'calcinosis appraise' and 'appraisal')")
        tool = used[0]
    chosen = tool_named(ds, tool)
    entries = [e for e in entries if e.tool == chosen.id]
    if not entries:
        raise UsageError(f"no selected study is appraised with {chosen.id}")
    order = {s.id: i for i, s in enumerate(studies)}
    entries.sort(key=lambda e: order[e.study])
    return chosen, entries


def build(ds: model.Dataset, studies: Sequence[model.Study], palette: str = "cochrane", tool: str | None = None):
    from ..appraisal.rows import labelled

    chosen, entries = selected_entries(ds, studies, tool)
    rows = tuple(
        RobRow(
            label, e.study, e.reviewer, tuple((e.answer(i.number) or _none()).answer for i in chosen.items), e.overall
        )
        for label, e in labelled(entries)
    )
    title = f"Risk of bias ({chosen.id}), the reviewers' answers"
    return RobGrid(chosen, rows, palette, provenance_of(ds), title)


class _NoAnswer(NamedTuple):
    answer: None = None


def _none() -> _NoAnswer:
    return _NoAnswer()


def domain_captions(tool: model.AppraisalTool) -> list[str]:
    return [
        f"D{n}: item {i.number}{f' ({i.domain})' if i.domain else ''}, {i.question}"
        for n, i in enumerate(tool.items, 1)
    ]


def alt_text(figure: RobGrid) -> str:
    """Every cell in words: study, each item's answer and the reviewer's overall judgement."""
    rows = []
    for row in figure.rows:
        cells = ", ".join(f"D{n} {look(a)[2]}" for n, a in enumerate(row.answers, 1))
        rows.append(
            f"{row.label} ({row.reviewer}): {cells}; overall {OVERALL_LOOK.get(row.overall, OVERALL_LOOK[None])[2]}"
        )
    return f"Risk of bias with {figure.tool.id}, the reviewers' answers per item. " + "; ".join(rows) + "."


def legend_text() -> str:
    items = ", ".join(f"{sym.strip() or '(blank)'} {words}" for _l, sym, words in ANSWER_LOOK.values())
    overall = ", ".join(f"{sym.strip() or '(blank)'} {words}" for _l, sym, words in OVERALL_LOOK.values())
    return f"Items: {items}. Overall (the reviewer's own): {overall}."


# --- as text -------------------------------------------------------------------------------------


def lines(figure: RobGrid, width: int) -> list[Line]:
    colours = PALETTES[figure.palette]
    label_w = max([len(r.label) for r in figure.rows] + [5]) + 2
    n = len(figure.tool.items)
    out: list[Line] = [[(figure.title, "bold")]]
    out.append(
        [
            ("Study".ljust(label_w), "bold"),
            *[(f"D{i}".center(4), "bold") for i in range(1, n + 1)],
            ("  Overall", "bold"),
        ]
    )
    for row in figure.rows:
        line: Line = [(row.label.ljust(label_w), "")]
        for answer in row.answers:
            level, symbol, _words = look(answer)
            line.append((f" {symbol} ".center(4), f"black on {colours[level]}"))
        level, symbol, words = OVERALL_LOOK.get(row.overall, OVERALL_LOOK[None])
        line += [("  ", ""), (f" {symbol} ", f"bold black on {colours[level]}"), (f" {words}", "")]
        out.append(line)
    out.append([(legend_text(), "")])
    out += [[(caption, "dim")] for caption in domain_captions(figure.tool)]
    out.append([(figure.provenance.caption(), "dim")])
    return out


def text(figure: RobGrid, width: int = 100) -> str:
    return plain(lines(figure, width))


# --- as a file -----------------------------------------------------------------------------------


def draw(Figure, figure: RobGrid, width, height):
    from .common import text_width

    colours = PALETTES[figure.palette]
    n = len(figure.tool.items)
    rows = figure.rows
    label_in = max([text_width(r.label, 9) for r in rows] + [0.6]) + 0.3
    cell = 0.42
    fig_w = width or label_in + cell * (n + 1.6) + 0.4
    fig_h = height or 1.0 + cell * (len(rows) + 1) + 0.1 * (n + 5)
    fig = Figure(figsize=(fig_w, fig_h))
    grid_h = cell * (len(rows) + 1) / fig_h
    ax = fig.add_axes((label_in / fig_w, 1 - 0.45 / fig_h - grid_h, cell * (n + 1.6) / fig_w, grid_h))
    ax.set_xlim(0, n + 1.6)
    ax.set_ylim(len(rows) + 1, 0)
    ax.axis("off")
    from matplotlib.patches import Circle, Rectangle

    ax.add_patch(Rectangle((n + 0.1, 0), 1.4, len(rows) + 1, facecolor="#eeeeee", edgecolor="none"))
    for x in range(n):
        ax.text(x + 0.5, 0.5, f"D{x + 1}", ha="center", va="center", fontsize=8, fontweight="bold")
    ax.text(n + 0.8, 0.5, "Overall", ha="center", va="center", fontsize=8, fontweight="bold")
    for y, row in enumerate(rows, 1):
        ax.text(-0.15, y + 0.5, row.label, ha="right", va="center", fontsize=9)
        cells = [look(a)[:2] for a in row.answers]
        cells.append(OVERALL_LOOK.get(row.overall, OVERALL_LOOK[None])[:2])
        for x, (level, symbol) in enumerate(cells):
            cx = x + 0.5 if x < n else n + 0.8
            ax.add_patch(Circle((cx, y + 0.5), 0.38, facecolor=colours[level], edgecolor="#555555", linewidth=0.5))
            if symbol.strip():
                ax.text(cx, y + 0.5, symbol, ha="center", va="center", fontsize=10, fontweight="bold")
    captions = "\n".join(_short(c, 110) for c in domain_captions(figure.tool))
    fig.text(0.01, 0.005 + 0.42 / fig_h, captions, fontsize=5.5, va="bottom", color="#222222")
    import textwrap

    return fig, "\n".join(textwrap.wrap(legend_text(), 130))


def _short(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
