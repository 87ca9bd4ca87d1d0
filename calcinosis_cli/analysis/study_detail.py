"""Everything known about one study, as plain data for rendering (`calcinosis show`)."""

from __future__ import annotations

from .. import model
from ..errors import QueryError
from ..references.bibliography import vancouver
from ..words import did_you_mean
from .cases import case_row
from .rows import fold, study_row


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
    """A study's row fields plus its arms, footnote, quirks, cases, full citation, later
    evidence, and which of its values are the tool's own vocabulary rather than the source's."""
    from .later import later_for_rows, statement_text

    detail = study_row(ds, study)
    shared = ds.tally_for(study) if study.tally is None and not study.arms else None
    if shared is not None:
        counts = model.outcome_counts_text(shared, "before")
        patients = sum(ds.study(i).n for i in shared.covers)
        detail["shared_tally"] = f"{counts} (one tally over the {patients} patients of {', '.join(shared.covers)})"
    tally = study.tally
    if tally is not None and tally.alternative is not None:
        detail["alternative_reading"] = model.outcome_counts_text(tally.alternative, "before")
    detail["quirks"] = [q.text for q in ds.quirks if study.id in q.applies_to or study.reference in q.applies_to]
    detail["cases"] = [case_row(c) for c in ds.cases if c.study == study.id]
    reference = ds.references.get(study.reference)
    detail["reference_notes"] = list(reference.notes) if reference else []
    detail["reference_kind"] = reference.kind if reference else None
    detail["tool_vocabulary"] = tool_vocabulary(ds, study)
    if later:
        detail["later_evidence"] = [
            {
                "statement": item.entry.statement,
                "quoted": item.entry.quoted,
                "quoted_from": item.entry.quoted_from,
                "text": statement_text(item.entry),
                "level": item.entry.level,
                "scope": item.entry.scope,
                "qualified": item.only is not None,
                "via_class": item.via_class,
                "citation": vancouver(ds.references[item.entry.reference])
                if item.entry.reference in ds.references
                else item.entry.reference,
            }
            for item in later_for_rows(ds, [study])
        ]
    else:
        detail.pop("later_evidence", None)
        detail.pop("later", None)
    return detail


def tool_vocabulary(ds: model.Dataset, study: model.Study) -> list[str]:
    """The fields of ``study`` whose values are the tool's words, not the source's."""
    out = ["design", "level"]
    treatment = ds.treatments.get(study.treatment)
    if treatment is not None and treatment.origin == model.TOOL_VOCABULARY:
        out[:0] = ["treatment", "class"]
    if study.diagnoses and all(
        ds.diagnoses[d].origin == model.TOOL_VOCABULARY for d in study.diagnoses if d in ds.diagnoses
    ):
        out.insert(out.index("design"), "diagnoses")
    reference = ds.references.get(study.reference)
    if reference is not None and reference.kind == "conference abstract":
        out.append("kind")
    return out
