"""The forest plot: each row's share improved with its exact interval, grouped, with a crude line
per group (all its rows added, not pooled), or with ``pooled`` the group's random-effects diamond,
its prediction interval, each row's weight and a heterogeneity line (pooling/, needs numpy and
scipy). Its model, its text and its drawing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .. import model
from ..references.names import first_author_surname
from ..stats.binomial import Interval, improved_interval
from .common import CRUDE, Line, axis, caption_of, dot, dots_legend, interval_bar, plain, provenance_of, text_width


class ForestRow(NamedTuple):
    """One estimate: a study row's treated patients (a tally shared by rows is one estimate)."""

    label: str  # "Berger 1987, phase II"
    patients: int  # treated patients (the marker's area)
    improved: int
    stated: int
    interval: Interval | None  # None: no outcome stated for these patients alone
    note: str = ""
    id: str = ""  # the row that holds the tally
    weight: float | None = None  # percent, in the group's pooled analysis (--pooled)
    kind: str = "row"  # row, crude, pooled (the diamond) or pi (the prediction interval)


class ForestGroup(NamedTuple):
    name: str
    rows: tuple[ForestRow, ...]
    crude: ForestRow  # the group's crude line: all its rows added, not pooled
    pooled: tuple[ForestRow, ...] = ()  # --pooled: the diamond and the prediction interval, in place of crude
    heterogeneity: str = ""  # --pooled: tau², I², Q under the group

    @property
    def tail(self) -> tuple[ForestRow, ...]:
        """What closes the group: the pooled lines where pooled, else the crude line."""
        return self.pooled if self.pooled or self.heterogeneity else (self.crude,)


class Forest(NamedTuple):
    by: str
    level: int
    groups: tuple[ForestGroup, ...]
    provenance: model.Provenance
    title: str
    kind: str = "forest"
    pooled: str = ""  # the pooling's method line (empty: crude lines)
    disclaimer: str = ""  # in place of the provenance's crude-count disclaimer


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
    ds: model.Dataset,
    studies: Sequence[model.Study],
    by: str = "treatment",
    level: int = 95,
    rob: bool = False,
    pooled: dict | None = None,
) -> Forest:
    """One estimate per study row (treated patients), grouped by ``by``, with crude lines; with
    ``rob``, each row's label ends with its overall risk-of-bias judgement (the reviewer's); with
    ``pooled`` (measure, method, hk), each group's random-effects pool in place of its crude line."""
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
        row = ForestRow(label, estimate.patients, estimate.improved, estimate.stated, interval, estimate.note, study.id)
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
            kind="crude",
        )
        groups.append(ForestGroup(name, tuple(grouped[name]), line))
    title = f"Share improved per study row, exact {level}% intervals, by {by}"
    forest = Forest(by, level, tuple(groups), provenance_of(ds), title)
    return _with_pooled(forest, ds, studies, pooled) if pooled is not None else forest


def _with_pooled(forest: Forest, ds: model.Dataset, studies: Sequence[model.Study], options: dict) -> Forest:
    """Each group's crude line replaced by its pooled diamond and prediction interval."""
    from ..pooling import FRAMING, pool_groups
    from ..pooling.table import heterogeneity_cell, method_line

    results = {g.name: g.result for g in pool_groups(ds, studies, forest.by, level=forest.level, **options)}
    groups = []
    line = ""
    for group in forest.groups:
        result = results.get(group.name)
        if result is None:
            groups.append(group)
            continue
        line = method_line(result)
        weights = dict(zip((i.id for i in result.inputs), result.weights or (), strict=False))
        rows = tuple(r._replace(weight=weights.get(r.id)) for r in group.rows)
        if not result.estimable or result.pct is None or result.ci is None:
            why = "no stated outcome; nothing to pool" if result.k == 0 else "not estimable"
            groups.append(group._replace(rows=rows, heterogeneity=why))
            continue
        diamond = ForestRow(
            f"pooled, {group.name}",
            group.crude.patients,
            result.events,
            result.total,
            Interval(round(result.pct, 1), round(result.ci[0], 1), round(result.ci[1], 1)),
            f"random effects, k={result.k}",
            kind="pooled",
        )
        tail = [diamond]
        if result.pi is not None:
            pi = Interval(round(result.pct, 1), round(result.pi[0], 1), round(result.pi[1], 1))
            tail.append(ForestRow("prediction interval", group.crude.patients, 0, 0, pi, "", kind="pi"))
        het = heterogeneity_cell(result) or ""
        groups.append(group._replace(rows=rows, pooled=tuple(tail), heterogeneity=f"k={result.k}; {het}"))
    title = f"Share improved per row, pooled per {forest.by} (random effects), {forest.level}% intervals"
    return forest._replace(groups=tuple(groups), title=title, pooled=line, disclaimer=FRAMING)


def alt_text(figure: Forest) -> str:
    """What the plot shows, in words and numbers, for readers who cannot see it."""
    groups = []
    for group in figure.groups:
        rows = "; ".join(_estimate(row) for row in group.rows)
        if figure.pooled:
            tail = "; ".join(_estimate(row) for row in group.pooled)
            groups.append(f"{group.name}: {rows}" + (f"; {tail}" if tail else "") + f"; {group.heterogeneity}")
        else:
            groups.append(f"{group.name}: {rows}; crude, all rows added: {_estimate(group.crude, label=False)}")
    pooled = f" {figure.pooled} {figure.disclaimer}" if figure.pooled else ""
    return (
        f"Forest plot of the share of patients improved per study row, with exact {figure.level}% intervals, "
        f"by {figure.by}.{pooled} " + ". ".join(groups) + "."
    )


def _estimate(row: ForestRow, label: bool = True) -> str:
    who = f"{row.label} " if label else ""
    if row.kind == "pi":
        return f"prediction interval {row.interval.low}–{row.interval.high}%"  # type: ignore[union-attr]
    if row.kind == "pooled":
        return f"{who}{row.interval.pct}% ({row.interval.low}–{row.interval.high}), {row.note}"  # type: ignore[union-attr]
    weight = "" if row.weight is None else f", weight {row.weight:.1f}%"
    if row.interval is None:
        return f"{who}{row.patients} patients, no stated outcome of their own"
    interval = f"{row.interval.pct}%, {row.interval.low}–{row.interval.high}"
    return f"{who}{row.improved} of {row.stated} improved ({interval}){weight}"


# --- as text -------------------------------------------------------------------------------------

# The narrowest interval bar drawn beside its numbers; narrower, the numbers go below it.
INLINE_BAR = 25

NARROWEST_BAR = 11


PI_DASH = "┄"


def lines(figure: Forest, width: int) -> list[Line]:
    """The forest plot as lines no wider than ``width`` where it can be: label, N, bar and
    numbers on one line; on a narrower terminal the numbers under the bar, and narrower still
    the label on a line of its own."""
    rows = [r for g in figure.groups for r in (*g.rows, *g.tail)]
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
        for row in (*group.rows, *group.tail):
            summary = row.kind in ("crude", "pooled", "pi")
            label = ("  " + row.label).ljust(label_w)
            count = ("" if row.kind == "pi" else f"n={row.patients}").rjust(n_w)
            if row.interval is None:
                bar, style = ("(no stated outcome)" if not row.note else f"({row.note})").ljust(bar_w), "dim"
            elif row.kind == "pi":
                bar, style = interval_bar(row.interval, bar_w, PI_DASH).replace("─", PI_DASH), "magenta"
            else:
                bar = interval_bar(row.interval, bar_w, CRUDE if summary else dot(row.patients))
                style = "bold magenta" if summary else "cyan"
            weight = "bold" if summary else ""
            if label_alone:
                out.append([(label.rstrip(), weight)])
                label = " " * 4
            line: Line = [(label, weight), (count + "  ", "dim"), (bar, style)]
            if inline:
                out.append([*line, ("  " + _numbers(row), "")])
            else:
                out += [line, [(" " * prefix + _numbers(row), "")]]
        if group.heterogeneity:
            out.append([("  Heterogeneity: " + group.heterogeneity, "dim")])
    if figure.pooled:
        legend = (
            f"Markers: {dots_legend()}; {CRUDE} a group's pooled share and its confidence interval; "
            f"{PI_DASH} its prediction interval; w: the row's weight in its group's pool. {figure.pooled}"
        )
    else:
        legend = f"Markers: {dots_legend()}; {CRUDE} a group's crude line (all its rows added, not pooled)."
    out.append([(legend, "dim")])
    out.append([(caption_of(figure), "dim")])
    return out


def _numbers(row: ForestRow) -> str:
    if row.kind == "pi":
        return f"PI {row.interval.low}–{row.interval.high}" if row.interval else ""
    if row.interval is None:
        return f"{row.improved}/{row.stated}" if row.stated else "-"
    weight = "" if row.weight is None else f"  w {row.weight:.1f}%"
    return f"{row.improved}/{row.stated}  {row.interval.pct} ({row.interval.low}–{row.interval.high}){weight}"


def text(figure: Forest, width: int = 100) -> str:
    return plain(lines(figure, width))


# --- as a file ---------------------------------------------------------------------------------------


def draw(Figure, figure: Forest, width, height):
    from matplotlib.patches import Polygon
    from matplotlib.transforms import blended_transform_factory, offset_copy

    lines: list[tuple[str, object, str]] = []  # (label, row or None for a heading, kind)
    for group in figure.groups:
        lines.append((group.name, None, "group"))
        lines += [(row.label, row, row.kind) for row in (*group.rows, *group.tail)]
        if group.heterogeneity:
            lines.append(("Heterogeneity: " + group.heterogeneity, None, "het"))
    # The labels and the numbers always fit: the margins are measured, and a figure too narrow
    # for them and an axis of 1.5 inches is widened.
    labels = [
        text_width(("  " if kind != "group" else "") + label, 7.5 if kind == "het" else 9, _weight(kind))
        for label, _row, kind in lines
        if kind != "het"
    ]
    numbers = [text_width(_count(row) + _drawn_numbers(row), 8) for _l, row, _k in lines if row is not None]
    het = max([text_width("  " + label, 7.5) for label, _r, kind in lines if kind == "het"], default=0)
    left, right = max(labels) + 0.25, max(numbers, default=0) + 0.25
    fig_width = max(width or 8, left + right + 1.5, het + 0.5)
    fig_height = height or 1.6 + 0.24 * len(lines) + (0.95 if figure.pooled else 0)
    fig = Figure(figsize=(fig_width, fig_height))
    bottom = (0.75 + (0.95 if figure.pooled else 0)) / fig_height  # room for the axis label and the notes
    ax = fig.add_axes((left / fig_width, bottom, 1 - (left + right) / fig_width, 0.93 - bottom))
    # Labels sit a little left of the axis, numbers a little right of it, clear of any marker.
    at_left = offset_copy(ax.get_yaxis_transform(), fig=fig, x=-10, units="points")
    at_right = offset_copy(ax.get_yaxis_transform(), fig=fig, x=10, units="points")
    ys = list(range(len(lines), 0, -1))
    biggest = max((row.patients for _l, row, _k in lines if row is not None), default=1)
    for y, (label, row, kind) in zip(ys, lines, strict=True):
        if kind == "het":
            # under the group, from the label column's left edge, in small italic grey
            ax.text(
                0.1 / fig_width,
                y,
                "  " + label,
                ha="left",
                va="center",
                fontsize=7.5,
                fontstyle="italic",
                color="#444444",
                transform=blended_transform_factory(fig.transFigure, ax.transData),
            )
            continue
        if row is None:
            ax.text(0, y, label, ha="right", va="center", fontweight="bold", transform=at_left)
            continue
        ax.text(0, y, "  " + label, ha="right", va="center", fontweight=_weight(kind), transform=at_left)
        numbers = _count(row) + _drawn_numbers(row)
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
        colour = "#0072B2" if kind == "row" else "#CC79A7"
        if kind == "pooled":
            low, pct, high = row.interval.low, row.interval.pct, row.interval.high
            diamond = [(low, y), (pct, y + 0.3), (high, y), (pct, y - 0.3)]
            ax.add_patch(Polygon(diamond, closed=True, color=colour, zorder=3))
            continue
        if kind == "pi":
            ax.hlines(y, row.interval.low, row.interval.high, color=colour, linewidth=1.2, linestyles="dashed")
            ax.vlines([row.interval.low, row.interval.high], y - 0.15, y + 0.15, color=colour, linewidth=1.2)
            continue
        ax.hlines(y, row.interval.low, row.interval.high, color=colour, linewidth=1.4)
        ax.vlines([row.interval.low, row.interval.high], y - 0.15, y + 0.15, color=colour, linewidth=1.2)
        # marker area proportional to patients, or to the weight where pooled
        share = row.weight / 100 if row.weight is not None else row.patients / biggest
        size = 18 + 160 * share
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
    if figure.pooled:
        return fig, (
            "Squares: one study row, area proportional to its weight (w) in its group's pool. Diamonds: the "
            "group's pooled share and confidence interval; dashed: its prediction interval.\n" + figure.pooled
        )
    return (
        fig,
        "Squares: area proportional to patients. Diamonds: a group's crude line, all its rows added, not pooled.",
    )


def _weight(kind: str) -> str:
    return "normal" if kind in ("row", "het") else "bold"


def _count(row: ForestRow) -> str:
    return "" if row.kind == "pi" else f"n={row.patients}   "


def _drawn_numbers(row: ForestRow) -> str:
    if row.kind == "pi":
        return f"prediction interval {row.interval.low}–{row.interval.high}%" if row.interval else ""
    if row.interval is None:
        return f"{row.improved}/{row.stated}" if row.stated else ""
    weight = "" if row.weight is None else f"   w {row.weight:.1f}%"
    return f"{row.improved}/{row.stated}   {row.interval.pct}% ({row.interval.low}–{row.interval.high}){weight}"
