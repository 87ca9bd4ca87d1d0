"""Crude outcome tallies per group of studies (not a meta-analysis)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import model
from .bibliography import short_citation
from .levels import level_for, level_rank

GROUP_BY = ("treatment", "class", "diagnosis", "design", "level", "outcome", "decade", "reference")

GROUP_COLUMNS: dict[str, str] = {
    "group": "the group's value",
    "studies": "number of studies (rows) in the group",
    "patients": "number of patients (sum of N)",
    "improved": "patients improved",
    "unchanged": "patients unchanged",
    "worsened": "patients worsened",
    "not_stated": "patients whose outcome is not stated",
    "improved_pct": "improved as a percentage of patients whose outcome is stated (crude)",
    "later": "mark: a later review has a statement on this treatment or class",
    "caveat": "why some patients are counted as not stated here",
}

COUNT_COLUMNS = ("studies", "patients", "improved", "unchanged", "worsened", "not_stated")
SPLIT_CAVEAT = (
    "an outcome printed across rows that fall in different groups (or were not all selected) is counted as not stated"
)


def _key_function(ds: model.Dataset, by: str) -> Callable[[model.Study], str]:
    def diagnosis(s: model.Study) -> str:
        # A row with two diagnoses (split not stated) is its own group, so no patient counts twice.
        return " + ".join(s.diagnoses) if s.diagnoses else "(not stated)"

    def decade(s: model.Study) -> str:
        ref = ds.references.get(s.reference)
        return f"{ref.year // 10 * 10}s" if ref else "(unknown)"

    def reference(s: model.Study) -> str:
        ref = ds.references.get(s.reference)
        return short_citation(ref) if ref else s.reference

    return {
        "treatment": lambda s: s.treatment,
        "class": lambda s: ds.treatments[s.treatment].treatment_class if s.treatment in ds.treatments else "(unknown)",
        "diagnosis": diagnosis,
        "design": lambda s: s.design,
        "level": lambda s: level_for(s.design),
        "decade": decade,
        "reference": reference,
    }[by]


def _empty(group: str) -> dict[str, object]:
    row: dict[str, object] = {"group": group}
    row.update({c: 0 for c in COUNT_COLUMNS})
    row.update({"improved_pct": None, "later": None, "caveat": None})
    return row


def _finish(row: dict[str, object]) -> dict[str, object]:
    stated = int(row["improved"]) + int(row["unchanged"]) + int(row["worsened"])  # type: ignore[arg-type]
    row["improved_pct"] = round(100 * int(row["improved"]) / stated, 1) if stated else None  # type: ignore[arg-type]
    return row


def group_studies(ds: model.Dataset, studies: Sequence[model.Study], by: str) -> list[dict[str, object]]:
    """One row per group with study and patient counts and outcome tallies.

    A tally printed across several rows (etidronate) counts in a group only when every row
    it covers is selected and in that group; otherwise those rows' patients count as not
    stated there, and the group's ``caveat`` says so. Totals therefore always equal N.
    """
    if by not in GROUP_BY:
        raise ValueError(f"cannot group by {by!r}; choose from: {', '.join(GROUP_BY)}")
    if by == "outcome":
        return _group_by_outcome(ds, studies)
    key_of = _key_function(ds, by)
    selected = {s.id: s for s in studies}
    groups: dict[str, dict[str, object]] = {}
    for study in studies:
        row = groups.setdefault(key_of(study), _empty(key_of(study)))
        row["studies"] = int(row["studies"]) + 1  # type: ignore[arg-type]
        row["patients"] = int(row["patients"]) + study.n  # type: ignore[arg-type]
        tally = ds.tally_for(study)
        if tally is None:
            row["not_stated"] = int(row["not_stated"]) + study.n  # type: ignore[arg-type]
            continue
        covered = [selected.get(i) for i in tally.covers]
        whole = all(c is not None and key_of(c) == key_of(study) for c in covered)
        if whole:
            if study.tally is tally:  # count a shared tally once, on the row that holds it
                for outcome in model.OUTCOMES:
                    row[outcome] = int(row[outcome]) + tally.count(outcome)  # type: ignore[arg-type]
        else:
            row["not_stated"] = int(row["not_stated"]) + study.n  # type: ignore[arg-type]
            row["caveat"] = SPLIT_CAVEAT
    if by in ("treatment", "class"):
        _mark_later_evidence(ds, groups, by)
    return [_finish(r) for r in groups.values()]


def _mark_later_evidence(ds: model.Dataset, groups: dict[str, dict[str, object]], by: str) -> None:
    from .query import later_evidence_for, later_evidence_mark

    for name, row in groups.items():
        if by == "treatment":
            entries = later_evidence_for(ds, name)
        else:
            entries = [
                e
                for e in ds.later_evidence
                if name in e.classes
                or any(ds.treatments[t].treatment_class == name for t in e.treatments if t in ds.treatments)
            ]
        row["later"] = later_evidence_mark(ds, entries) or None


def _group_by_outcome(ds: model.Dataset, studies: Sequence[model.Study]) -> list[dict[str, object]]:
    """One row per outcome: its patients, and the studies with at least one such patient.

    A tally printed across rows counts once, as one study.
    """
    rows = {o: _empty(o) for o in model.OUTCOMES}
    selected = {s.id for s in studies}
    counted: set[int] = set()
    for study in studies:
        tally = ds.tally_for(study)
        if tally is not None and all(i in selected for i in tally.covers):
            if id(tally) in counted:
                continue
            counted.add(id(tally))
            counts = {o: tally.count(o) for o in model.OUTCOMES}
        else:
            counts = {"not_stated": study.n}
        for outcome, count in counts.items():
            if count:
                row = rows[outcome]
                row["studies"] = int(row["studies"]) + 1  # type: ignore[arg-type]
                row["patients"] = int(row["patients"]) + count  # type: ignore[arg-type]
                row[outcome] = int(row[outcome]) + count  # type: ignore[arg-type]
    return [_finish(r) for r in rows.values()]


def total_row(rows: Sequence[dict[str, object]], by: str) -> dict[str, object]:
    """The sum of the count columns, for table and Markdown output.

    Grouped by outcome, a study can sit in several groups, so its study count is left empty.
    """
    total = _empty("Total")
    for row in rows:
        for column in COUNT_COLUMNS:
            total[column] = int(total[column]) + int(row[column])  # type: ignore[arg-type]
    if by == "outcome":
        total["studies"] = None
    return _finish(total)


def group_order(by: str) -> Callable[[object], object]:
    """The natural order of group values: the scale's order for levels, else by name."""
    if by == "level":
        return lambda value: level_rank(str(value))
    if by == "outcome":
        return lambda value: model.OUTCOMES.index(str(value))
    return lambda value: str(value).casefold()
