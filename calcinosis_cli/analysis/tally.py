"""Crude outcome tallies per group of studies (not a meta-analysis).

What is counted, and how (README "How totals are counted" says the same for users):

- Patients are those who received the group's treatment: the arms of a row that received a
  treatment, or the whole row when it reports no arms. Control arms (placebo, no treatment,
  other) never count; patients the source assigns to no arm are shown apart (``unassigned``).
- ``studies`` counts works (rows citing one reference are one study: Berger 1987's two phases,
  Metzger 1974's two dose groups) and ``rows`` counts printed rows.
- Rows of one study that are phases of one trial may share patients; a total that adds them
  says so in its caveat. A tally read in two ways (minocycline) says so too.
- A tally printed across several rows (etidronate) counts in a group only when every row it
  covers is selected and in that group; otherwise those patients count as not stated there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .. import model
from ..references.bibliography import short_citation
from ..stats.binomial import DEFAULT_LEVEL
from .estimates import INTERVAL_COLUMNS, interval_columns
from .levels import level_for, level_rank

GROUP_BY = ("treatment", "class", "diagnosis", "design", "level", "outcome", "decade", "reference")

GROUP_COLUMNS: dict[str, str] = {
    "group": "the group's value",
    "studies": "distinct studies (works): rows that cite one reference are one study",
    "rows": "printed rows (a study may print several: phases, dose groups)",
    "patients": "patients who received the treatment (control arms and unassigned patients never count)",
    "improved": "patients improved",
    "unchanged": "patients unchanged",
    "worsened": "patients worsened",
    "not_improved": "patients stated not to have improved (unchanged or worse not said)",
    "not_stated": "patients whose outcome is not stated",
    **INTERVAL_COLUMNS,
    "unassigned": "patients of the group's rows that the source assigns to no arm (empty for rows without arms)",
    "later": "mark: a later review has a statement on this treatment or class (qualified when it has a scope)",
    "caveat": "what the counts cannot say: shared patients, other readings, outcomes split between groups",
}

# What table, plain and Markdown show by default: the interval as one readable column.
HUMAN_GROUP_COLUMNS = tuple(c for c in GROUP_COLUMNS if c not in ("improved_pct", "ci_low", "ci_high", "ci_level"))

COUNT_COLUMNS = ("patients", *model.OUTCOMES)
SPLIT_CAVEAT = (
    "an outcome printed across rows that fall in different groups (or were not all selected) is counted as not stated"
)


def key_function(ds: model.Dataset, by: str) -> Callable[[model.Study, str], str]:
    """The group of a treated arm: (row, the treatment the arm received) -> group value."""

    def diagnosis(s: model.Study, treatment: str) -> str:
        # A row with two diagnoses (split not stated) is its own group, so no patient counts twice.
        return " + ".join(s.diagnoses) if s.diagnoses else "(not stated)"

    def decade(s: model.Study, treatment: str) -> str:
        ref = ds.references.get(s.reference)
        return f"{ref.year // 10 * 10}s" if ref else "(unknown)"

    def reference(s: model.Study, treatment: str) -> str:
        ref = ds.references.get(s.reference)
        return short_citation(ref) if ref else s.reference

    def treatment_class(s: model.Study, treatment: str) -> str:
        return ds.treatments[treatment].treatment_class if treatment in ds.treatments else "(unknown)"

    return {
        "treatment": lambda s, treatment: treatment,
        "class": treatment_class,
        "diagnosis": diagnosis,
        "design": lambda s, treatment: s.design,
        "level": lambda s, treatment: level_for(s.design),
        "decade": decade,
        "reference": reference,
    }[by]


class _Group:
    """The counts of one group while they are gathered; ``value`` has one part per field."""

    def __init__(self, value: tuple[str, ...], fields: tuple[str, ...] = ("group",)):
        self.value = value
        self.fields = fields
        self.studies: dict[str, model.Study] = {}  # row id -> row
        self.counts = dict.fromkeys(COUNT_COLUMNS, 0)
        self.unassigned: int | None = None
        self.caveats: list[str] = []

    def add_row(self, study: model.Study) -> None:
        self.studies.setdefault(study.id, study)

    def caveat(self, text: str) -> None:
        if text not in self.caveats:
            self.caveats.append(text)

    def row(self, level: int) -> dict[str, object]:
        works = {s.reference for s in self.studies.values()}
        names = ("group",) if len(self.fields) == 1 else self.fields
        row: dict[str, object] = dict(zip(names, self.value, strict=True))
        row.update(studies=len(works), rows=len(self.studies))
        # Not columns: what the Total needs to count each study and row once.
        row["row_ids"], row["work_ids"] = sorted(self.studies), sorted(works)
        row.update(self.counts)
        row.update(dict.fromkeys(INTERVAL_COLUMNS), unassigned=self.unassigned, later=None)
        # Not a column either: each caveat whole, for notes under a table (a caveat holds "; ").
        row["caveats"] = list(self.caveats)
        row["caveat"] = "; ".join(self.caveats) or None
        return _finish(row, level)


def _finish(row: dict[str, object], level: int) -> dict[str, object]:
    stated = sum(int(row[o]) for o in model.STATED_OUTCOMES)  # type: ignore[call-overload]
    row.update(interval_columns(int(row["improved"]), stated, level))  # type: ignore[call-overload]
    return row


def _shared_phase_caveats(group: _Group) -> None:
    """Rows of one reference that are phases of one trial may share patients: say so."""
    phases: dict[str, list[model.Study]] = {}
    for study in group.studies.values():
        if study.phase:
            phases.setdefault(study.reference, []).append(study)
    for reference, rows in phases.items():
        if len(rows) > 1:
            names = " and ".join(s.phase for s in rows if s.phase)
            group.caveat(f"{reference}: {names} are phases of one trial and may share patients; both are added")


def _reading_caveats(ds: model.Dataset, group: _Group) -> None:
    for study in group.studies.values():
        tally = ds.tally_for(study)
        if tally is not None and tally.alternative is not None and study.tally is tally:
            other = model.outcome_counts_text(tally.alternative)
            group.caveat(f"{study.id} is counted as read in its tally; another reading gives {other}")


def group_columns(by: str | Sequence[str]) -> dict[str, str]:
    """The columns of a grouped table: 'group' for one field, the fields' names for two."""
    fields = (by,) if isinstance(by, str) else tuple(by)
    if len(fields) == 1:
        return GROUP_COLUMNS
    named = {field: f"the row's {field}" for field in fields}
    return {**named, **{k: v for k, v in GROUP_COLUMNS.items() if k != "group"}}


def group_studies(
    ds: model.Dataset, studies: Sequence[model.Study], by: str | Sequence[str], level: int = DEFAULT_LEVEL
) -> list[dict[str, object]]:
    """One row per group: studies, rows, treated patients and their outcomes (with the exact
    interval of the share improved, at ``level``), caveats. ``by`` is one field, or two for a
    cross-tabulation (treatment by diagnosis: one row per pair that has rows)."""
    fields = (by,) if isinstance(by, str) else tuple(by)
    for field_name in fields:
        if field_name not in GROUP_BY:
            raise ValueError(f"cannot group by {field_name!r}; choose from: {', '.join(GROUP_BY)}")
    if len(set(fields)) != len(fields) or not 1 <= len(fields) <= 2:
        raise ValueError("group by one field, or by two different fields")
    if fields == ("outcome",):
        return _group_by_outcome(ds, studies, level)
    if "outcome" in fields:
        raise ValueError("outcome cannot be crossed with another field: a row's patients are in several outcomes")
    groups = _gather(ds, studies, _key_of(ds, fields), fields)
    for group in groups.values():
        _shared_phase_caveats(group)
        _reading_caveats(ds, group)
    rows = [group.row(level) for group in groups.values()]
    if {"treatment", "class"} & set(fields):
        from .later import later_for_rows, later_mark

        for row, group in zip(rows, groups.values(), strict=True):
            row["later"] = later_mark(ds, later_for_rows(ds, list(group.studies.values()))) or None
    return rows


Key = Callable[[model.Study, str], "tuple[str, ...] | None"]


def _key_of(ds: model.Dataset, fields: tuple[str, ...]) -> Key:
    """The group of a treated arm, one value per field."""
    functions = [key_function(ds, f) for f in fields]
    return lambda study, treatment: tuple(f(study, treatment) for f in functions)


def _gather(
    ds: model.Dataset, studies: Sequence[model.Study], key_of: Key, fields: tuple[str, ...]
) -> dict[tuple[str, ...], _Group]:
    """Count the treated arms of ``studies`` into groups by ``key_of`` (None leaves an arm out)."""
    selected = {s.id: s for s in studies}
    groups: dict[tuple[str, ...], _Group] = {}
    for study in studies:
        if study.arms:
            key = key_of(study, study.treatment)
            if key is not None:
                home = groups.setdefault(key, _Group(key, fields))
                home.add_row(study)
                home.unassigned = (home.unassigned or 0) + study.unassigned
        for arm in ds.treated_arms(study):
            key = key_of(study, arm.received)
            if key is None:
                continue
            group = groups.setdefault(key, _Group(key, fields))
            group.add_row(study)
            group.counts["patients"] += arm.n
            tally = arm.tally
            if tally is None:
                group.counts["not_stated"] += arm.n
                continue
            if len(tally.covers) > 1:  # one outcome printed across several rows
                covered = [selected.get(i) for i in tally.covers]
                if not all(c is not None and key_of(c, arm.received) == key for c in covered):
                    group.counts["not_stated"] += arm.n
                    group.caveat(SPLIT_CAVEAT)
                    continue
                if study.tally is not tally:
                    continue  # counted once, on the row that holds it
            for outcome in model.OUTCOMES:
                group.counts[outcome] += tally.count(outcome)
    return groups


def _group_by_outcome(ds: model.Dataset, studies: Sequence[model.Study], level: int) -> list[dict[str, object]]:
    """One row per outcome: its treated patients, and the studies and rows with any.

    A tally printed across rows counts once.
    """
    groups = {o: _Group((o,)) for o in model.OUTCOMES}
    selected = {s.id for s in studies}
    counted: set[int] = set()
    for study in studies:
        for arm in ds.treated_arms(study):
            tally = arm.tally
            if tally is not None and all(i in selected for i in tally.covers):
                if len(tally.covers) > 1:
                    if id(tally) in counted:
                        continue
                    counted.add(id(tally))
                counts = {o: tally.count(o) for o in model.OUTCOMES}
            else:
                counts = {"not_stated": arm.n}
            for outcome, count in counts.items():
                if count:
                    group = groups[outcome]
                    for row_id in tally.covers if tally is not None and len(tally.covers) > 1 else (study.id,):
                        group.add_row(ds.study(row_id))
                    group.counts["patients"] += count
                    group.counts[outcome] += count
    return [group.row(level) for group in groups.values()]


def total_row(
    rows: Sequence[dict[str, object]],
    level: int = DEFAULT_LEVEL,
    by: str | Sequence[str] = "group",
    ds: model.Dataset | None = None,
) -> dict[str, object]:
    """The Total of a grouped table: studies and rows counted once each (a study in several
    groups is one study), caveats gathered. With ``ds``, the patients of the groups shown are
    counted again as one group, by the same rules, so that a tally printed across rows that
    fall in different groups counts once when all its rows are shown; without it (and for
    ``--by outcome``, where each patient is in one row), the groups' counts are summed."""
    fields = (by,) if isinstance(by, str) else tuple(by)
    first = "group" if len(fields) == 1 else fields[0]
    names = ("group",) if len(fields) == 1 else fields
    total: dict[str, object] = {first: "Total", **{f: None for f in fields[1:]}}
    total["studies"] = len({w for row in rows for w in row["work_ids"]})  # type: ignore[attr-defined]
    total["rows"] = len({r for row in rows for r in row["row_ids"]})  # type: ignore[attr-defined]
    caveats = [c for row in rows for c in row_caveats(row)]
    if ds is not None and fields != ("outcome",):
        shown = {tuple(row[n] for n in names) for row in rows}
        key_of = _key_of(ds, fields)
        ids = {r for row in rows for r in row["row_ids"]}  # type: ignore[attr-defined]
        studies = [s for s in ds.studies if s.id in ids]
        together = _gather(ds, studies, lambda s, t: ("Total",) if key_of(s, t) in shown else None, ("group",))
        counts = together[("Total",)].counts if together else dict.fromkeys(COUNT_COLUMNS, 0)
        total.update(counts)
        if not together or SPLIT_CAVEAT not in together[("Total",)].caveats:
            caveats = [c for c in caveats if c != SPLIT_CAVEAT]
    else:
        for column in COUNT_COLUMNS:
            total[column] = sum(int(row[column]) for row in rows)  # type: ignore[call-overload]
    unassigned = [int(row["unassigned"]) for row in rows if row["unassigned"] is not None]  # type: ignore[call-overload]
    total.update(dict.fromkeys(INTERVAL_COLUMNS), unassigned=sum(unassigned) if unassigned else None, later=None)
    total["caveats"] = list(dict.fromkeys(caveats))
    total["caveat"] = "; ".join(total["caveats"]) or None  # type: ignore[arg-type]
    return _finish(total, level)


def row_caveats(row: dict[str, object]) -> list[str]:
    """The caveats of a grouped row (or its Total), each whole."""
    if "caveats" in row:
        return list(row["caveats"])  # type: ignore[call-overload]
    return [str(row["caveat"])] if row.get("caveat") else []


def group_order(by: str) -> Callable[[object], object]:
    """The natural order of a field's values: the scale's order for levels, else by name."""
    if by == "level":
        return lambda value: level_rank(str(value))
    if by == "outcome":
        return lambda value: model.OUTCOMES.index(str(value))
    return lambda value: str(value).casefold()


def row_order(by: str | Sequence[str]) -> Callable[[dict[str, object]], object]:
    """The natural order of grouped rows: by the first field, then the second."""
    fields = (by,) if isinstance(by, str) else tuple(by)
    if len(fields) == 1:
        order = group_order(fields[0])
        return lambda row: order(row["group"])
    orders = [group_order(f) for f in fields]
    return lambda row: tuple(o(row[f]) for o, f in zip(orders, fields, strict=True))
