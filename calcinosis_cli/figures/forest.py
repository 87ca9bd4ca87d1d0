"""The forest plot: each row's share improved with its exact interval, grouped, with a crude line
per group (all its rows added, not pooled). Its model, its text and its drawing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .. import model
from ..references.names import first_author_surname
from ..stats.binomial import Interval, improved_interval
from .common import CRUDE, Line, axis, dot, dots_legend, interval_bar, plain, provenance_of, text_width


class ForestRow(NamedTuple):
    """One estimate: a study row's treated patients (a tally shared by rows is one estimate)."""

    label: str  # "Berger 1987, phase II"
    patients: int  # treated patients (the marker's area)
    improved: int
    stated: int
    interval: Interval | None  # None: no outcome stated for these patients alone
    note: str = ""


class ForestGroup(NamedTuple):
    name: str
    rows: tuple[ForestRow, ...]
    crude: ForestRow  # the group's crude line: all its rows added, not pooled


class Forest(NamedTuple):
    by: str
    level: int
    groups: tuple[ForestGroup, ...]
    provenance: model.Provenance
    title: str
    kind: str = "forest"


def _row_label(ds: model.Dataset, study: model.Study, rows_of_work: int, covered: Sequence[model.Study]) -> str:
    """First author and year, and what tells the rows of one study apart (phase, dose)."""
    ref = ds.references.get(study.reference)
    label = f"{first_author_surname(ref) or ref.id} {ref.year}" if ref else study.reference
    if study.reference == ds.source:
        return f"{label} (this paper's series)"
    if len(covered) > 1:
        parts = [s.dose or s.phase or s.id for s in covered]
        return f"{label}, {' and '.join(p for p in parts if p)}"
    if rows_of_work > 1:
        part = study.phase or study.dose
        return f"{label}, {part}" if part else f"{label} ({study.id})"
    return label


def _rob_mark(ds: model.Dataset, study_id: str) -> str:
    """' [RoB moderate]': the study's overall judgement beside its label (consensus preferred)."""
    from ..appraisal import overall_by_study

    judgement = overall_by_study(ds).get(study_id)
    if judgement is None:
        return " [RoB not appraised]"
    return f" [RoB {judgement[0] or 'no judgement'}]"


def build(
    ds: model.Dataset, studies: Sequence[model.Study], by: str = "treatment", level: int = 95, rob: bool = False
) -> Forest:
    """One estimate per study row (treated patients), grouped by ``by``, with crude lines; with
    ``rob``, each row's label ends with its overall risk-of-bias judgement (the reviewer's)."""
    from ..analysis.estimates import row_estimates
    from ..analysis.tally import group_order, group_studies, key_function

    crude_rows = {r["group"]: r for r in group_studies(ds, studies, by, level)}
    per_work: dict[str, int] = {}
    for study in studies:
        per_work[study.reference] = per_work.get(study.reference, 0) + 1
    key_of = key_function(ds, by)
    grouped: dict[str, list[ForestRow]] = {}
    for estimate in row_estimates(ds, studies):
        study = estimate.study
        label = _row_label(ds, study, per_work[study.reference], estimate.covered)
        if rob:
            label += _rob_mark(ds, study.id)
        interval = improved_interval(estimate.improved, estimate.stated, level) if estimate.estimable else None
        row = ForestRow(label, estimate.patients, estimate.improved, estimate.stated, interval, estimate.note)
        grouped.setdefault(key_of(study, estimate.received), []).append(row)
    groups = []
    for name in sorted(grouped, key=group_order(by)):
        crude = crude_rows[name]
        stated = sum(int(crude[o]) for o in model.STATED_OUTCOMES)  # type: ignore[call-overload]
        line = ForestRow(
            f"crude, {name}",
            int(crude["patients"]),
            int(crude["improved"]),
            stated,
            improved_interval(int(crude["improved"]), stated, level),
            "all rows added, not pooled",
        )
        groups.append(ForestGroup(name, tuple(grouped[name]), line))
    title = f"Share improved per study row, exact {level}% intervals, by {by}"
    return Forest(by, level, tuple(groups), provenance_of(ds), title)


def alt_text(figure: Forest) -> str:
    """What the plot shows, in words and numbers, for readers who cannot see it."""
    groups = []
    for group in figure.groups:
        rows = "; ".join(_estimate(row) for row in group.rows)
        groups.append(f"{group.name}: {rows}; crude, all rows added: {_estimate(group.crude, label=False)}")
    return (
        f"Forest plot of the share of patients improved per study row, with exact {figure.level}% intervals, "
        f"by {figure.by}. " + ". ".join(groups) + "."
    )


def _estimate(row: ForestRow, label: bool = True) -> str:
    who = f"{row.label} " if label else ""
    if row.interval is None:
        return f"{who}{row.patients} patients, no stated outcome of their own"
    interval = f"{row.interval.pct}%, {row.interval.low}–{row.interval.high}"
    return f"{who}{row.improved} of {row.stated} improved ({interval})"


# --- as text -------------------------------------------------------------------------------------

# The narrowest interval bar drawn beside its numbers; narrower, the numbers go below it.
INLINE_BAR = 25

NARROWEST_BAR = 11


def lines(figure: Forest, width: int) -> list[Line]:
    """The forest plot as lines no wider than ``width`` where it can be: label, N, bar and
    numbers on one line; on a narrower terminal the numbers under the bar, and narrower still
    the label on a line of its own."""
    rows = [r for g in figure.groups for r in (*g.rows, g.crude)]
    label_w = max([len(r.label) for r in rows] + [10]) + 4
    n_w = max(len(f"n={r.patients}") for r in rows) if rows else 4
    numbers_w = max([len(_numbers(r)) for r in rows] + [10])
    label_alone = label_w + n_w + 2 + INLINE_BAR > width
    prefix = (4 if label_alone else label_w) + n_w + 2
    inline = width - prefix - numbers_w - 2 >= INLINE_BAR
    bar_w = max(NARROWEST_BAR, min(61, width - prefix - (numbers_w + 2 if inline else 0)))
    out: list[Line] = [[(figure.title, "bold")], [(" " * prefix + axis(bar_w), "dim")]]
    for group in figure.groups:
        out.append([(group.name, "bold")])
        for row in (*group.rows, group.crude):
            crude = row is group.crude
            label = ("  " + row.label).ljust(label_w)
            count = f"n={row.patients}".rjust(n_w)
            if row.interval is None:
                bar, style = ("(no stated outcome)" if not row.note else f"({row.note})").ljust(bar_w), "dim"
            else:
                bar = interval_bar(row.interval, bar_w, CRUDE if crude else dot(row.patients))
                style = "bold magenta" if crude else "cyan"
            weight = "bold" if crude else ""
            if label_alone:
                out.append([(label.rstrip(), weight)])
                label = " " * 4
            line: Line = [(label, weight), (count + "  ", "dim"), (bar, style)]
            if inline:
                out.append([*line, ("  " + _numbers(row), "")])
            else:
                out += [line, [(" " * prefix + _numbers(row), "")]]
    out.append(
        [
            (
                f"Markers: {dots_legend()}; {CRUDE} a group's crude line (all its rows added, not pooled).",
                "dim",
            )
        ]
    )
    out.append([(figure.provenance.caption(), "dim")])
    return out


def _numbers(row: ForestRow) -> str:
    if row.interval is None:
        return f"{row.improved}/{row.stated}" if row.stated else "-"
    return f"{row.improved}/{row.stated}  {row.interval.pct} ({row.interval.low}–{row.interval.high})"


def text(figure: Forest, width: int = 100) -> str:
    return plain(lines(figure, width))


# --- as a file ---------------------------------------------------------------------------------------


def draw(Figure, figure: Forest, width, height):
    from matplotlib.transforms import offset_copy

    lines: list[tuple[str, object, str]] = []  # (label, row or None for a heading, kind)
    for group in figure.groups:
        lines.append((group.name, None, "group"))
        lines += [(row.label, row, "row") for row in group.rows]
        lines.append((group.crude.label, group.crude, "crude"))
    # The labels and the numbers always fit: the margins are measured, and a figure too narrow
    # for them and an axis of 1.5 inches is widened.
    labels = [
        text_width(("  " if row is not None else "") + label, 9, "normal" if kind == "row" else "bold")
        for label, row, kind in lines
    ]
    numbers = [text_width(f"n={row.patients}   " + _drawn_numbers(row), 8) for _l, row, _k in lines if row is not None]
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
        numbers = f"n={row.patients}   " + _drawn_numbers(row)
        ax.text(1, y, numbers, ha="left", va="center", fontsize=8, transform=at_right)
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


def _drawn_numbers(row: ForestRow) -> str:
    if row.interval is None:
        return f"{row.improved}/{row.stated}" if row.stated else ""
    return f"{row.improved}/{row.stated}   {row.interval.pct}% ({row.interval.low}–{row.interval.high})"
