"""Rows: a study as plain values under the column names of list, json and csv; choosing
columns, sorting and cutting rows. Plain functions over model objects, no printing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from .. import model
from ..errors import QueryError
from ..references.bibliography import short_citation, vancouver
from ..stats.binomial import DEFAULT_LEVEL
from ..words import did_you_mean, fold
from .estimates import INTERVAL_COLUMNS, interval_columns
from .later import later_for_rows, later_mark, later_text
from .levels import level_for, level_rank, level_reason


def outcome_cell(ds: model.Dataset, study: model.Study) -> str | None:
    """The printed outcome that covers the row: its own, or the one printed across it."""
    if study.outcome_printed is not None or study.spans_from is None:
        return study.outcome_printed
    return ds.study(study.spans_from).outcome_printed


def printed_reference_cell(ds: model.Dataset, study: model.Study) -> str | None:
    """The printed Reference cell that covers the row: its own, or the one printed across it
    (None for a row not in the table, such as the paper's own series)."""
    if study.reference_printed is not None:
        return study.reference_printed
    if study.spans_from is not None:
        return ds.study(study.spans_from).reference_printed
    return None


def reference_cell(ds: model.Dataset, study: model.Study) -> str | None:
    """The printed Reference cell that covers the row; a row with none printed (the paper's own
    series, a user's row) shows the short citation of its reference instead."""
    printed = printed_reference_cell(ds, study)
    if printed is not None:
        return printed
    ref = ds.references.get(study.reference)
    return short_citation(ref) if ref else None


# Column name -> description. Order is the order of ``--columns all`` and of json keys.
COLUMNS: dict[str, str] = {
    "id": "stable identifier of the row",
    "source": "where the row comes from: 'table 1', 'case reports' (the paper's own series) or 'user'",
    "table_row": "position in Table 1 (empty for rows not in the table)",
    "treatment": "normalised treatment name",
    "class": "treatment class (the tool's vocabulary)",
    "treatment_printed": "the Treatment modality cell as printed",
    "dose": "dose as printed",
    "phase": "trial phase as printed",
    "n": "number of patients as printed (the table's No column; control arms included)",
    "treated": "patients who received the row's treatment (the whole row unless the source reports arms)",
    "diagnosis": "the Diagnosis cell as printed",
    "diagnoses": "normalised diagnoses",
    "outcome": "the Outcome cell as printed (for a sub-row, the cell printed across it)",
    "footnote": "the footnote the outcome's marker points to, as printed",
    "footnote_marker": "the footnote marker",
    "improved": "treated patients improved",
    "unchanged": "treated patients unchanged",
    "worsened": "treated patients worsened",
    "not_improved": "treated patients stated not to have improved (unchanged or worse not said)",
    "not_stated": "treated patients whose outcome is not stated",
    **INTERVAL_COLUMNS,
    "tally_covers": "ids of all rows the tally counts (more than one where a cell spans rows)",
    "arms": "the arms the source reports: label, what it received, n, outcomes, and whether it counts as treated",
    "unassigned": "patients of N that the source assigns to no arm (empty for rows without arms)",
    "outcome_measures": "outcome measures the text names",
    "design": "study design (the tool's coding)",
    "level": "Oxford CEBM 2009 level of evidence, derived from the design",
    "level_reason": "why the design gets that level",
    "rob": "the reviewer's overall risk-of-bias judgement (the consensus entry's where there is one; see "
    "'calcinosis appraisal')",
    "later": "mark: a later review has a statement on this treatment or class (qualified when it has a scope)",
    "later_evidence": "statements of later reviews on this treatment or class, with citation, level and scope",
    "reference": "the Reference cell as printed (for a sub-row, the cell printed across it); a row with none "
    "printed (the paper's own series) shows its short citation",
    "reference_printed": "the Reference cell as printed, only (empty for a row not in the table)",
    "reference_id": "citation key of the reference",
    "reference_number": "the number the source paper gives the reference",
    "year": "publication year",
    "authors": "authors as printed in the reference list",
    "citation": "full citation in the source paper's (Vancouver) style",
    "notes": "readings and caveats recorded for the row",
    "spans_from": "row whose printed cells also cover this row",
}

DEFAULT_COLUMNS = ("treatment", "dose", "n", "treated", "diagnosis", "outcome", "level", "reference", "later")

LATER_COLUMNS = ("later", "later_evidence")

# Columns of sentences (a later review's statement, the source's footnote, why a level, our readings):
# table, plain and Markdown show a mark in the cell and the sentence once under the table.
NOTE_COLUMNS = ("footnote", "level_reason", "later_evidence", "notes")

# Columns for a person to read; csv, tsv, json and jsonl leave them out of "all columns".
DISPLAY_COLUMNS = ("improved_ci",)


def machine_columns(columns) -> list[str]:
    """The columns of csv, tsv, json and jsonl by default: all but the display-only ones."""
    return [c for c in columns if c not in DISPLAY_COLUMNS]


def footnote_of(ds: model.Dataset, study: model.Study) -> model.Footnote | None:
    """The footnote the row's outcome points to: its own, or that of the cell printed across it."""
    if study.footnote is not None or study.spans_from is None or study.outcome_printed is not None:
        return study.footnote
    return ds.study(study.spans_from).footnote


def arm_dict(ds: model.Dataset, arm: model.Arm) -> dict[str, object]:
    """An arm as plain values; ``counted`` says whether its patients count as treated."""
    out: dict[str, object] = {"label": arm.label, "received": arm.received, "n": arm.n}
    out.update({o: arm.tally.count(o) for o in model.OUTCOMES})
    out["counted"] = arm.received in ds.treatments
    return out


def treated_counts(ds: model.Dataset, study: model.Study) -> tuple[int, model.Tally | None]:
    """Patients who received the row's treatment, and their tally (None for a row whose
    outcome is counted in the tally of the row it spans from)."""
    if not study.arms:
        return study.n, study.tally
    arms = [arm for arm in study.arms if arm.received == study.treatment]
    counts = {o: sum(arm.tally.count(o) for arm in arms) for o in model.OUTCOMES}
    return sum(arm.n for arm in arms), model.Tally(**counts, covers=(study.id,))


def _rob(ds: model.Dataset, study_id: str) -> str | None:
    if not ds.appraisals:  # the appraisal package is loaded only where there are appraisals
        return None
    from ..appraisal import overall_by_study

    judgement = overall_by_study(ds).get(study_id)
    return judgement[0] if judgement else None


def study_rows(
    ds: model.Dataset, studies: Iterable[model.Study], level: int = DEFAULT_LEVEL
) -> list[dict[str, object]]:
    """study_row of each study, what later reviews say worked out once per treatment and diagnoses."""
    memo: dict = {}
    return [study_row(ds, study, level, memo) for study in studies]


def _later_cells(ds: model.Dataset, study: model.Study, memo: dict | None) -> tuple[str | None, list[str]]:
    """The later mark and statements of a row: they depend on its treatment and diagnoses only."""
    key = (study.treatment, study.diagnoses)
    found = memo.get(key) if memo is not None else None
    if found is None:
        later = later_for_rows(ds, [study])
        found = (later_mark(ds, later) or None, [later_text(ds, e) for e in later])
        if memo is not None:
            memo[key] = found
    return found[0], list(found[1])


def study_row(
    ds: model.Dataset, study: model.Study, level: int = DEFAULT_LEVEL, memo: dict | None = None
) -> dict[str, object]:
    """All columns of one study as plain values (str, int, list or None); intervals at ``level``.
    ``memo``, shared by the rows of one listing, keeps what later reviews say (see study_rows)."""
    ref = ds.references.get(study.reference)
    treatment = ds.treatments.get(study.treatment)
    later_cell, later_evidence = _later_cells(ds, study, memo)
    treated, t = treated_counts(ds, study)
    shared = ds.tally_for(study)
    footnote = footnote_of(ds, study)
    stated = t.stated if t else 0
    return {
        "id": study.id,
        "source": study.source,
        "table_row": study.table_row,
        "treatment": study.treatment,
        "class": treatment.treatment_class if treatment else None,
        "treatment_printed": study.treatment_printed,
        "dose": study.dose,
        "phase": study.phase,
        "n": study.n,
        "treated": treated,
        "diagnosis": study.diagnosis_printed,
        "diagnoses": list(study.diagnoses),
        "outcome": outcome_cell(ds, study),
        "footnote": footnote.text if footnote else None,
        "footnote_marker": footnote.marker if footnote else None,
        "improved": t.improved if t else None,
        "unchanged": t.unchanged if t else None,
        "worsened": t.worsened if t else None,
        "not_improved": t.not_improved if t else None,
        "not_stated": t.not_stated if t else None,
        **interval_columns(t.improved if t else 0, stated, level),
        # With arms, the treated arms' tally counts the row itself.
        "tally_covers": [study.id] if study.arms else list(shared.covers) if shared is not None else [],
        "arms": [arm_dict(ds, arm) for arm in study.arms],
        "unassigned": study.unassigned if study.arms else None,
        "outcome_measures": list(study.outcome_measures),
        "design": study.design,
        "level": level_for(study.design),
        "level_reason": level_reason(study.design),
        "rob": _rob(ds, study.id),
        "later": later_cell,
        "later_evidence": later_evidence,
        "reference": reference_cell(ds, study),
        "reference_printed": printed_reference_cell(ds, study),
        "reference_id": study.reference,
        "reference_number": ref.number if ref else None,
        "year": ref.year if ref else None,
        "authors": list(ref.authors) if ref else [],
        "citation": vancouver(ref) if ref else None,
        "notes": list(study.notes),
        "spans_from": study.spans_from,
    }


def parse_columns(spec: str | None, default: Sequence[str], known: Iterable[str] = COLUMNS) -> list[str]:
    """``a,b,c`` or ``all`` -> column names, checked against ``known``."""
    known = list(known)
    if spec is None:
        return list(default)
    if spec.strip() == "all":
        return known
    names = [c.strip() for c in spec.split(",") if c.strip()]
    if not names:
        raise QueryError("--columns needs at least one column name (see --list-columns)")
    for name in names:
        if name not in known:
            hint = did_you_mean(name, known)
            raise QueryError(f"unknown column {name!r}{hint} (see --list-columns)")
    return names


def sort_rows(
    rows: list[dict[str, object]],
    key: str | None,
    reverse: bool = False,
    allowed: Iterable[str] = COLUMNS,
    orders: dict[str, Callable[[object], object]] | None = None,
) -> list[dict[str, object]]:
    """Sort rows by one column; empty values sort last whichever the direction.

    Levels of evidence sort in the scale's order (1a before 2b before 4), not as text;
    ``orders`` gives other columns an order of their own (column -> key of a value).
    """
    if key is None:
        return list(rows) if not reverse else list(reversed(rows))
    allowed = list(allowed)
    if key not in allowed:
        hint = did_you_mean(key, allowed)
        raise QueryError(f"unknown sort column {key!r}{hint} (see --list-columns)")
    orders = {"level": lambda v: level_rank(str(v)), **(orders or {})}
    present = [r for r in rows if r.get(key) not in (None, [], "")]
    missing = [r for r in rows if r.get(key) in (None, [], "")]

    def sort_key(row: dict[str, object]) -> object:
        value = row[key]
        if key in orders:
            return orders[key](value)
        if isinstance(value, list):
            return fold(", ".join(map(str, value)))
        if isinstance(value, str):
            return fold(value)
        return value

    return sorted(present, key=sort_key, reverse=reverse) + missing


def shape_rows(
    rows: list[dict[str, object]],
    known: dict[str, str],
    default: Sequence[str],
    *,
    columns: str | None = None,
    sort_key: str | None = None,
    reverse: bool = False,
    limit: int | None = None,
    hide: Iterable[str] = (),
    orders: dict[str, Callable[[object], object]] | None = None,
) -> tuple[list[dict[str, object]], list[str]]:
    """The rows and column names to print: columns chosen, rows sorted, then cut to ``limit``."""
    hidden = set(hide)
    names = [n for n in parse_columns(columns, default, known) if n not in hidden]
    rows = sort_rows(rows, sort_key, reverse, known, orders)
    return (rows if limit is None else rows[:limit]), names
