"""The patient-level records of the source paper's case reports: rows and filters."""

from __future__ import annotations

from collections.abc import Sequence

from .. import model
from ..errors import QueryError
from ..words import did_you_mean

CASE_COLUMNS: dict[str, str] = {
    "case": "case number in the paper",
    "study": "id of the study row the case belongs to",
    "age_years": "age in years",
    "sex": "sex",
    "patient_origin": "the patient's origin (a term beside the printed words)",
    "patient_origin_text": "the patient's origin as printed",
    "ssc_subtype": "systemic sclerosis subtype",
    "prior_treatments": "treatments before warfarin, as treatments or classes of the tool's vocabulary",
    "prior_treatments_text": "prior treatments as printed",
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
    row["prior_treatments"] = list(case.prior_treatments)
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
    _check_known("response", responses, sorted({c.response for c in ds.cases}))
    _check_known("subtype", subtypes, sorted({c.ssc_subtype for c in ds.cases}))
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


def _check_known(kind: str, values: Sequence[str], known: Sequence[str]) -> None:
    for value in values:
        if value not in known:
            raise QueryError(f"unknown {kind} {value!r}{did_you_mean(value, known)} (choose from: {', '.join(known)})")
