"""What each figure shows, as data: built from the same counts as `group`, drawn by
figures/text.py (terminal or plain text) and figures/draw.py (matplotlib: SVG, PNG, PDF).

Every figure carries the same provenance as the report: source, data version, tool version
and "crude counts, not a meta-analysis".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .. import model
from ..stats.binomial import Interval, improved_interval

PALETTE = {  # Okabe-Ito: distinguishable with every common colour-vision deficiency
    "improved": "#009E73",
    "unchanged": "#56B4E9",
    "worsened": "#D55E00",
    "not_improved": "#E69F00",
    "not_stated": "#999999",
}
OUTCOME_LABELS = model.OUTCOME_WORDS
LEVEL_COLOURS = {"1a": "#0072B2", "1b": "#0072B2", "2b": "#CC79A7", "4": "#E69F00", "5": "#999999"}


class Provenance(NamedTuple):
    source: str  # "Cukierman et al (2004)"
    dataset_version: str
    tool_version: str

    def caption(self) -> str:
        return (
            f"Source: {self.source}, dataset {self.dataset_version}; calcinosis {self.tool_version}. "
            "Crude counts of what the sources print, not a meta-analysis; no medical advice."
        )


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
    provenance: Provenance
    title: str


class MapCell(NamedTuple):
    patients: int
    studies: int
    improved_pct: float | None
    best_level: str | None


class EvidenceMap(NamedTuple):
    treatments: tuple[str, ...]  # rows
    diagnoses: tuple[str, ...]  # columns
    cells: dict[tuple[str, str], MapCell]  # (treatment, diagnosis); absent pairs are gaps
    color: str  # "improved" or "level"
    provenance: Provenance
    title: str


class OutcomeBar(NamedTuple):
    treatment: str
    counts: dict[str, int]  # outcome -> treated patients


class OutcomeBars(NamedTuple):
    bars: tuple[OutcomeBar, ...]
    provenance: Provenance
    title: str


def provenance_of(ds: model.Dataset) -> Provenance:
    from .. import __version__
    from ..references.bibliography import short_citation

    source = ds.references.get(ds.source)
    return Provenance(short_citation(source) if source else ds.title, ds.version, __version__)


def _row_label(ds: model.Dataset, study: model.Study, rows_of_work: int, covered: Sequence[model.Study]) -> str:
    """First author and year, and what tells the rows of one study apart (phase, dose)."""
    ref = ds.references.get(study.reference)
    label = f"{ref.first_author_surname or ref.id} {ref.year}" if ref else study.reference
    if study.reference == ds.source:
        return f"{label} (this paper's series)"
    if len(covered) > 1:
        parts = [s.dose or s.phase or s.id for s in covered]
        return f"{label}, {' and '.join(p for p in parts if p)}"
    if rows_of_work > 1:
        part = study.phase or study.dose
        return f"{label}, {part}" if part else f"{label} ({study.id})"
    return label


def forest(ds: model.Dataset, studies: Sequence[model.Study], by: str = "treatment", level: int = 95) -> Forest:
    """One estimate per study row (treated patients), grouped by ``by``, with crude lines."""
    from ..analysis.tally import group_order, group_studies, key_function

    crude_rows = {r["group"]: r for r in group_studies(ds, studies, by, level)}
    selected = {s.id for s in studies}
    per_work: dict[str, int] = {}
    for study in studies:
        per_work[study.reference] = per_work.get(study.reference, 0) + 1
    key_of = key_function(ds, by)
    grouped: dict[str, list[ForestRow]] = {}
    for study in studies:
        for arm in ds.treated_arms(study):
            tally = arm.tally
            covered = [ds.study(i) for i in tally.covers] if tally is not None and len(tally.covers) > 1 else [study]
            if len(covered) > 1 and study.tally is not tally:
                continue  # the estimate sits on the row that holds the shared tally
            label = _row_label(ds, study, per_work[study.reference], covered)
            patients = sum(s.n for s in covered) if len(covered) > 1 else arm.n
            if tally is None or not all(s.id in selected for s in covered):
                row = ForestRow(label, patients, 0, 0, None, "outcome printed across rows not all selected")
            else:
                stated = tally.stated
                row = ForestRow(
                    label, patients, tally.improved, stated, improved_interval(tally.improved, stated, level)
                )
            grouped.setdefault(key_of(study, arm.received), []).append(row)
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


def evidence_map(ds: model.Dataset, studies: Sequence[model.Study], color: str = "improved") -> EvidenceMap:
    """Treatments by diagnoses: patients, studies, share improved and best level per pair."""
    from ..analysis.levels import level_for, level_rank
    from ..analysis.tally import group_order, group_studies

    rows = group_studies(ds, studies, ("treatment", "diagnosis"))
    cells = {}
    for row in rows:
        members = [ds.study(i) for i in row["row_ids"]]  # type: ignore[union-attr]
        levels = sorted({level_for(s.design) for s in members}, key=level_rank)
        cells[(str(row["treatment"]), str(row["diagnosis"]))] = MapCell(
            int(row["patients"]),
            int(row["studies"]),
            row["improved_pct"],
            levels[0] if levels else None,  # type: ignore[arg-type]
        )
    treatments = tuple(sorted({t for t, _ in cells}, key=group_order("treatment")))
    diagnoses = tuple(sorted({d for _, d in cells}, key=lambda d: (d == "(not stated)", " + " in d, d.casefold())))
    title = "Evidence map: patients per treatment and diagnosis" + (
        ", coloured by best level of evidence" if color == "level" else ", coloured by share improved"
    )
    return EvidenceMap(treatments, diagnoses, cells, color, provenance_of(ds), title)


def outcome_bars(ds: model.Dataset, studies: Sequence[model.Study]) -> OutcomeBars:
    """Per treatment, its treated patients by outcome."""
    from ..analysis.tally import group_order, group_studies

    rows = sorted(group_studies(ds, studies, "treatment"), key=lambda r: group_order("treatment")(r["group"]))
    bars = tuple(OutcomeBar(str(r["group"]), {o: int(r[o]) for o in model.OUTCOMES}) for r in rows)  # type: ignore[arg-type]
    return OutcomeBars(bars, provenance_of(ds), "Patients by outcome, per treatment (those who received it)")


def alt_text(figure) -> str:
    """What the figure shows, in words and numbers, for readers who cannot see it."""
    if isinstance(figure, Forest):
        groups = []
        for group in figure.groups:
            rows = "; ".join(_estimate(row) for row in group.rows)
            groups.append(f"{group.name}: {rows}; crude, all rows added: {_estimate(group.crude, label=False)}")
        return (
            f"Forest plot of the share of patients improved per study row, with exact {figure.level}% intervals, "
            f"by {figure.by}. " + ". ".join(groups) + "."
        )
    if isinstance(figure, EvidenceMap):
        rows = []
        for treatment in figure.treatments:
            cells = [
                f"{diagnosis} {cell.patients}"
                + (
                    f" ({cell.improved_pct}% improved)"
                    if cell.improved_pct is not None and figure.color == "improved"
                    else ""
                )
                + (f" (level {cell.best_level})" if figure.color == "level" else "")
                for diagnosis in figure.diagnoses
                if (cell := figure.cells.get((treatment, diagnosis))) is not None
            ]
            rows.append(f"{treatment}: {', '.join(cells)}")
        return "Evidence map of patients per treatment and diagnosis. " + "; ".join(rows) + "."
    bars = [
        f"{bar.treatment}: " + ", ".join(f"{n} {OUTCOME_LABELS[o]}" for o, n in bar.counts.items() if n)
        for bar in figure.bars
    ]
    return "Patients by outcome per treatment. " + "; ".join(bars) + "."


def _estimate(row: ForestRow, label: bool = True) -> str:
    who = f"{row.label} " if label else ""
    if row.interval is None:
        return f"{who}{row.patients} patients, no stated outcome of their own"
    interval = f"{row.interval.pct}%, {row.interval.low}–{row.interval.high}"
    return f"{who}{row.improved} of {row.stated} improved ({interval})"
