"""The data model: records of evidence, vocabulary and references, and the dataset. No I/O, and
nothing of click or rich."""

from .certainty import Certainty
from .dataset import Dataset
from .evidence import (
    DESIGN_ALIASES,
    DESIGNS,
    OUTCOME_MEASURES,
    OUTCOME_WORDS,
    OUTCOMES,
    SOURCES,
    STATED_OUTCOMES,
    Arm,
    Case,
    Footnote,
    LaterEvidence,
    Quirk,
    Study,
    Tally,
    outcome_counts_text,
)
from .references import Reference
from .vocabulary import CONTROLS, TOOL_VOCABULARY, Diagnosis, Treatment, TreatmentClass

_APPRAISAL_NAMES = (
    "ANSWERS",
    "ANSWER_ALIASES",
    "CONSENSUS",
    "OVERALL",
    "Answer",
    "Appraisal",
    "AppraisalTool",
    "ToolItem",
)

__all__ = [
    "CONTROLS",
    "DESIGNS",
    "DESIGN_ALIASES",
    "OUTCOMES",
    "OUTCOME_MEASURES",
    "OUTCOME_WORDS",
    "SOURCES",
    "STATED_OUTCOMES",
    "TOOL_VOCABULARY",
    "Arm",
    "Case",
    "Certainty",
    "Dataset",
    "Diagnosis",
    "Footnote",
    "InputFile",
    "LaterEvidence",
    "Provenance",
    "Quirk",
    "Reference",
    "Study",
    "Tally",
    "Treatment",
    "TreatmentClass",
    "outcome_counts_text",
    *_APPRAISAL_NAMES,
]


def __getattr__(name: str):
    # Provenance is for outputs that state it (reports, figures, files); a query does not pay for it.
    if name in ("InputFile", "Provenance"):
        from . import provenance

        return getattr(provenance, name)
    # Appraisal records load only where a dataset holds appraisals (list's start-up does not pay).
    if name in _APPRAISAL_NAMES:
        from . import appraisal

        return getattr(appraisal, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
