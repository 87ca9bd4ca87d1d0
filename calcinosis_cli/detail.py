"""Everything known about one study, and the patient-level cases: plain data for rendering."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from . import model
from .query import QueryError, fold, later_evidence_for, study_row, vancouver


def find_study(ds: model.Dataset, study_id: str) -> model.Study:
    """The study with this id (case-insensitive); QueryError with close ids if none."""
    for study in ds.studies:
        if fold(study.id) == fold(study_id):
            return study
    ids = [s.id for s in ds.studies]
    close = difflib.get_close_matches(study_id, ids, n=3, cutoff=0.5)
    if not close:
        close = [i for i in ids if fold(study_id) in fold(i)][:3]
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
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


# --- cases ----------------------------------------------------------------------------------

CASE_COLUMNS: dict[str, str] = {
    "case": "case number in the paper",
    "study": "id of the study row the case belongs to",
    "age_years": "age in years",
    "sex": "sex",
    "ssc_subtype": "systemic sclerosis subtype",
    "disease_duration_years": "years with systemic sclerosis (empty where not stated)",
    "disease_duration_text": "disease duration as printed",
    "lesion_sites": "lesion sites",
    "lesion_sites_text": "lesion sites as printed",
    "largest_lesion_cm": "largest lesion diameter in cm",
    "largest_lesion_text": "largest lesion as printed",
    "lesion_duration_before_treatment_text": "how long lesions were present before treatment, as printed",
    "dose": "warfarin dose as printed",
    "time_to_response_months": "months to response (empty for no response)",
    "time_to_response_text": "time to response as printed",
    "response": "response",
    "response_text": "response as printed",
    "coagulation_text": "PT/PTT as printed",
    "bleeding_text": "bleeding as printed",
    "follow_up_text": "follow-up as printed",
    "notes": "notes",
}

DEFAULT_CASE_COLUMNS = (
    "case",
    "age_years",
    "sex",
    "ssc_subtype",
    "disease_duration_years",
    "lesion_sites",
    "largest_lesion_cm",
    "dose",
    "time_to_response_months",
    "response",
)


def case_row(case: model.Case) -> dict[str, object]:
    """A case as plain values under the CASE_COLUMNS names."""
    row = case._asdict()
    row["case"] = row.pop("number")
    row["dose"] = row.pop("dose_printed")
    row["lesion_sites"] = list(case.lesion_sites)
    row["notes"] = list(case.notes)
    return {name: row[name] for name in CASE_COLUMNS}


def cases_matching(
    ds: model.Dataset,
    responses: Sequence[str] = (),
    max_lesion_cm: float | None = None,
    min_lesion_cm: float | None = None,
    subtypes: Sequence[str] = (),
    min_age: int | None = None,
    max_age: int | None = None,
) -> list[model.Case]:
    """Cases that pass every filter; repeated responses or subtypes OR."""
    known_responses = sorted({c.response for c in ds.cases})
    for response in responses:
        if response not in known_responses:
            raise QueryError(f"unknown response {response!r} (choose from: {', '.join(known_responses)})")
    known_subtypes = sorted({c.ssc_subtype for c in ds.cases})
    for subtype in subtypes:
        if subtype not in known_subtypes:
            raise QueryError(f"unknown subtype {subtype!r} (choose from: {', '.join(known_subtypes)})")
    out = []
    for case in ds.cases:
        if responses and case.response not in responses:
            continue
        if subtypes and case.ssc_subtype not in subtypes:
            continue
        if max_lesion_cm is not None and case.largest_lesion_cm > max_lesion_cm:
            continue
        if min_lesion_cm is not None and case.largest_lesion_cm < min_lesion_cm:
            continue
        if min_age is not None and case.age_years < min_age:
            continue
        if max_age is not None and case.age_years > max_age:
            continue
        out.append(case)
    return out
