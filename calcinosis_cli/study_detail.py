"""Everything known about one study, as plain data for rendering (`calcinosis show`)."""

from __future__ import annotations

from . import model
from .bibliography import vancouver
from .cases import case_row
from .query import QueryError, fold, later_evidence_for, study_row
from .suggest import did_you_mean


def find_study(ds: model.Dataset, study_id: str) -> model.Study:
    """The study with this id (case-insensitive); QueryError with close ids if none."""
    for study in ds.studies:
        if fold(study.id) == fold(study_id):
            return study
    ids = [s.id for s in ds.studies]
    hint = did_you_mean(study_id, ids, n=3, cutoff=0.5)
    if not hint:
        inside = [i for i in ids if fold(study_id) in fold(i)][:3]
        hint = f"; did you mean {' or '.join(repr(c) for c in inside)}?" if inside else ""
    raise QueryError(f"unknown study id {study_id!r}{hint} (see 'calcinosis list --columns id')")


def study_detail(ds: model.Dataset, study: model.Study, later: bool = True) -> dict[str, object]:
    """A study's row fields plus its footnote, quirks, cases, full citation and later evidence."""
    detail = study_row(ds, study)
    shared = ds.tally_for(study) if study.tally is None else None
    if shared is not None:
        counts = ", ".join(f"{o.replace('_', ' ')} {shared.count(o)}" for o in model.OUTCOMES if shared.count(o))
        patients = sum(ds.study(i).n for i in shared.covers)
        detail["shared_tally"] = f"{counts} (one tally over the {patients} patients of {', '.join(shared.covers)})"
    detail["quirks"] = [q.text for q in ds.quirks if study.id in q.applies_to or study.reference in q.applies_to]
    detail["cases"] = [case_row(c) for c in ds.cases if c.study == study.id]
    detail["reference_notes"] = list(ds.references[study.reference].notes) if study.reference in ds.references else []
    if later:
        detail["later_evidence"] = [
            {
                "statement": e.statement,
                "level": e.level,
                "scope": e.scope,
                "citation": vancouver(ds.references[e.reference]) if e.reference in ds.references else e.reference,
            }
            for e in later_evidence_for(ds, study.treatment)
        ]
    else:
        detail.pop("later_evidence", None)
        detail.pop("later", None)
    return detail
