"""Certainty of evidence (GRADE) for one outcome, as the reviewer rates it. Plain records, no
I/O: the reviewer's judgements, each with its reason in words. The arithmetic that turns them
into a level is certainty/grade.py; the tool never chooses a rating.
"""

from typing import NamedTuple

# GRADE's four levels, lowest first (the arithmetic counts along this scale).
LEVELS = ("very low", "low", "moderate", "high")
# Where a body of evidence starts, as the reviewer records it: randomised trials at high,
# observational evidence at low (Balshem et al, J Clin Epidemiol 2011;64:401-6).
STARTS = ("high", "low")

# The five reasons to rate down and the three to rate up, in GRADE's order, with their words.
DOWN_REASONS = {
    "risk_of_bias": "risk of bias",
    "inconsistency": "inconsistency",
    "indirectness": "indirectness",
    "imprecision": "imprecision",
    "publication_bias": "publication bias",
}
UP_REASONS = {
    "large_effect": "large effect",
    "dose_response": "dose-response gradient",
    "plausible_confounding": "plausible confounding",
}


class Judgement(NamedTuple):
    """One reason's judgement: levels moved (0, -1 or -2 down; 0, +1 or +2 up) and why, in words."""

    change: int = 0
    reason: str | None = None


class RatedDown(NamedTuple):
    """The five reasons to rate down; an omitted reason is 0 (not rated down)."""

    risk_of_bias: Judgement = Judgement()
    inconsistency: Judgement = Judgement()
    indirectness: Judgement = Judgement()
    imprecision: Judgement = Judgement()
    publication_bias: Judgement = Judgement()


class RatedUp(NamedTuple):
    """The three reasons to rate up; an omitted reason is 0 (not rated up)."""

    large_effect: Judgement = Judgement()
    dose_response: Judgement = Judgement()
    plausible_confounding: Judgement = Judgement()


class Certainty(NamedTuple):
    """The certainty of one outcome within a scope (a treatment or a class, optionally a
    diagnosis), as a reviewer rated it on a date."""

    id: str
    outcome: str  # one of model.STATED_OUTCOMES: the share of patients with it is the effect
    start: str  # one of STARTS
    start_reason: str
    reviewer: str
    date: str  # YYYY-MM-DD
    treatment: str | None = None  # Treatment.id
    treatment_class: str | None = None  # TreatmentClass.id
    diagnosis: str | None = None  # Diagnosis.id: the scope holds rows with this diagnosis (or a narrower one)
    rated_down: RatedDown = RatedDown()
    rated_up: RatedUp = RatedUp()
    comments: str | None = None
    notes: tuple[str, ...] = ()
    origin: str = ""  # file:line the record was read from
