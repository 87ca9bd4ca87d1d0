"""Evidence records: studies (rows), their arms and tallies, footnotes, cases, quirks and the
statements of later reviews. Plain immutable records, no I/O.

Records are NamedTuples rather than frozen dataclasses: a CLI started again and again in a
pipeline pays for class creation on every start, and NamedTuples cost a third as much.

Printed text from the source is kept verbatim in ``*_printed`` fields; structured
fields (normalised terms, counts, classes) sit beside it and never replace it.
"""

from typing import NamedTuple

# Study designs: this tool's coding of each row (the source states no designs). The old
# name of a design stays accepted as an alias in data files and filters.
DESIGNS = (
    "case report",
    "case series",
    "uncontrolled trial phase",
    "placebo-controlled trial",
)
DESIGN_ALIASES = {"open trial phase": "uncontrolled trial phase"}

OUTCOME_MEASURES = ("clinical", "radiographic", "bone scan", "patient-rated")

# Order matters: it is the column order of every tally in every output. ``not_improved``: the
# source states that no improvement occurred, without saying whether unchanged or worse.
OUTCOMES = ("improved", "unchanged", "worsened", "not_improved", "not_stated")
# The outcomes that are stated: the denominator of every share improved.
STATED_OUTCOMES = OUTCOMES[:-1]
# How an outcome reads in a sentence ("2 improved, 1 not improved").
OUTCOME_WORDS = {o: o.replace("_", " ") for o in OUTCOMES}


def outcome_counts_text(counts, style: str = "after") -> str:
    """Counts in words, zeros left out: "2 improved, 1 not improved" (``style`` "after") or
    "improved 2, not improved 1" ("before"); ``counts`` is a Tally or outcome -> count."""
    get = counts.get if isinstance(counts, dict) else counts.count
    parts = []
    for outcome in OUTCOMES:
        number = get(outcome) or 0
        if number:
            word = OUTCOME_WORDS[outcome]
            parts.append(f"{number} {word}" if style == "after" else f"{word} {number}")
    return ", ".join(parts)


SOURCES = ("table 1", "case reports", "user")


class Footnote(NamedTuple):
    """A footnote as printed. Markers belong to the file that declares them."""

    marker: str
    text: str
    file: str = ""


class Tally(NamedTuple):
    """Patients by outcome. ``covers`` lists every study the counts belong to.

    A tally normally covers its own study only; where the source prints one outcome
    cell across several rows (etidronate), one tally covers them all. ``alternative`` is
    another reading of an ambiguous outcome (minocycline: 9 improved rather than 8), kept so
    that no total presents the chosen reading as certain.
    """

    improved: int = 0
    unchanged: int = 0
    worsened: int = 0
    not_improved: int = 0  # stated as not improved, without saying unchanged or worse
    not_stated: int = 0
    covers: tuple[str, ...] = ()
    alternative: "Tally | None" = None

    @property
    def stated(self) -> int:
        """Patients whose outcome is stated: the denominator of the share improved."""
        return self.improved + self.unchanged + self.worsened + self.not_improved

    @property
    def total(self) -> int:
        return self.stated + self.not_stated

    def count(self, outcome: str) -> int:
        return getattr(self, outcome)


class Arm(NamedTuple):
    """One arm of a study as the source reports it: what it received, its N and its tally.

    ``received`` is a treatment id (the arm counts towards that treatment) or one of
    CONTROLS (a control arm, never counted as treated).
    """

    label: str
    received: str
    n: int
    tally: Tally
    notes: tuple[str, ...] = ()


class Study(NamedTuple):
    """One row of evidence: a printed table row, or the paper's own series.

    Without ``arms`` the row is one arm that received its treatment; with arms, only the arms
    that received a treatment count, and patients in no arm (``unassigned``) stay apart.
    """

    id: str
    source: str
    treatment: str  # Treatment.id
    n: int
    reference: str  # Reference.id
    design: str
    treatment_printed: str
    dose: str | None = None
    phase: str | None = None
    diagnosis_printed: str | None = None
    diagnoses: tuple[str, ...] = ()
    outcome_printed: str | None = None
    footnote: Footnote | None = None
    reference_printed: str | None = None
    spans_from: str | None = None  # row whose outcome/reference cells also cover this one
    table_row: int | None = None
    tally: Tally | None = None
    arms: tuple[Arm, ...] = ()
    outcome_measures: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    origin: str = ""  # file:line the record was read from

    @property
    def unassigned(self) -> int:
        """Patients of N that the source assigns to no reported arm (0 without arms)."""
        return self.n - sum(arm.n for arm in self.arms) if self.arms else 0


class Case(NamedTuple):
    """One patient of the source paper's case reports."""

    number: int
    study: str  # Study.id
    age_years: int
    sex: str
    ssc_subtype: str
    disease_duration_years: int | None
    disease_duration_text: str | None
    lesion_sites: tuple[str, ...]
    lesion_sites_text: str
    largest_lesion_cm: float
    largest_lesion_text: str
    lesion_duration_before_treatment_text: str
    dose_printed: str
    time_to_response_months: int | None
    time_to_response_text: str | None
    response: str  # "complete resolution" | "no change"
    response_text: str
    coagulation_text: str
    bleeding_text: str
    follow_up_text: str
    notes: tuple[str, ...] = ()
    patient_origin: str | None = None  # a structured term beside patient_origin_text
    patient_origin_text: str | None = None
    prior_treatments: tuple[str, ...] = ()  # treatments or classes of the vocabulary
    prior_treatments_text: str | None = None


class Quirk(NamedTuple):
    """An oddity of the source, kept as printed and flagged here."""

    id: str
    text: str
    applies_to: tuple[str, ...] = ()


class LaterEvidence(NamedTuple):
    """A statement from a later review, attached to treatments or classes."""

    id: str
    reference: str  # Reference.id
    statement: str
    treatments: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    level: str | None = None  # the level as the later review states it
    scope: str | None = None  # a diagnosis term: the statement holds only within it
    quoted: bool = False  # the statement is the source's own words (an ellipsis marks a cut)
    quoted_from: str | None = None  # where in the source the quotation stands
