"""The evidence model: plain immutable records, no I/O.

Records are NamedTuples rather than frozen dataclasses: a CLI started again and again in a
pipeline pays for class creation on every start, and NamedTuples cost a third as much.

Printed text from the source is kept verbatim in ``*_printed`` fields; structured
fields (normalised terms, counts, classes) sit beside it and never replace it.
"""

from typing import NamedTuple

TREATMENT_CLASSES = (
    "bisphosphonate",
    "vitamin K antagonist",
    "calcium channel blocker",
    "tetracycline antibiotic",
    "TNF inhibitor",
    "phosphate binder",
    "corticosteroid",
    "procedure",
)

DESIGNS = (
    "case report",
    "case series",
    "open trial phase",
    "placebo-controlled trial",
)

OUTCOME_MEASURES = ("clinical", "radiographic", "bone scan", "patient-rated")

# Order matters: it is the column order of every tally in every output.
OUTCOMES = ("improved", "unchanged", "worsened", "not_stated")

SOURCES = ("table 1", "case reports", "user")


class Reference(NamedTuple):
    """One bibliographic entry, as the citing paper prints it."""

    id: str
    authors: tuple[str, ...]
    title: str
    journal: str
    year: int
    number: int | None = None  # the number the source paper gives it
    volume: str | None = None
    issue: str | None = None
    supplement: str | None = None
    pages: str | None = None
    abstract_number: str | None = None
    doi: str | None = None
    pmid: str | None = None
    kind: str = "journal article"  # or "conference abstract"
    et_al: bool = False  # the printed author list is cut short with "et al"
    notes: tuple[str, ...] = ()

    @property
    def first_author_surname(self) -> str:
        return self.authors[0].rsplit(" ", 1)[0] if self.authors else ""


class Treatment(NamedTuple):
    """A normalised treatment term with its class and the names users type for it."""

    id: str
    treatment_class: str
    aliases: tuple[str, ...] = ()


class Diagnosis(NamedTuple):
    """A normalised diagnosis term; ``broader`` makes a query for it find narrower terms."""

    id: str
    aliases: tuple[str, ...] = ()
    broader: str | None = None


class Footnote(NamedTuple):
    marker: str
    text: str


class Tally(NamedTuple):
    """Patients by outcome. ``covers`` lists every study the counts belong to.

    A tally normally covers its own study only; where the source prints one outcome
    cell across several rows (etidronate), one tally covers them all.
    """

    improved: int = 0
    unchanged: int = 0
    worsened: int = 0
    not_stated: int = 0
    covers: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.improved + self.unchanged + self.worsened + self.not_stated

    def count(self, outcome: str) -> int:
        return getattr(self, outcome)


class Study(NamedTuple):
    """One row of evidence: a printed table row, or the paper's own series."""

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
    footnote: str | None = None  # Footnote.marker
    reference_printed: str | None = None
    spans_from: str | None = None  # row whose outcome/reference cells also cover this one
    table_row: int | None = None
    tally: Tally | None = None
    outcome_measures: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    origin: str = ""  # file:line the record was read from


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
    scope: str | None = None


class Dataset(NamedTuple):
    """Everything loaded: vocabularies, references, studies, cases and metadata."""

    title: str
    version: str
    source: str  # Reference.id of the source paper
    table_title: str
    treatments: dict[str, Treatment]
    diagnoses: dict[str, Diagnosis]
    footnotes: dict[str, Footnote]
    references: dict[str, Reference]
    studies: tuple[Study, ...]
    cases: tuple[Case, ...] = ()
    quirks: tuple[Quirk, ...] = ()
    later_evidence: tuple[LaterEvidence, ...] = ()
    notes: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    # id -> Study, built once by whoever builds the Dataset (see with_index); derived, never stored.
    study_index: dict[str, Study] | None = None

    def with_index(self) -> "Dataset":
        """The same dataset with its id index built, so study() is a lookup, not a scan."""
        return self._replace(study_index={s.id: s for s in self.studies})

    def study(self, study_id: str) -> Study:
        if self.study_index is not None:
            return self.study_index[study_id]
        for study in self.studies:
            if study.id == study_id:
                return study
        raise KeyError(study_id)

    def tally_for(self, study: Study) -> Tally | None:
        """The tally that covers ``study``: its own, or the one of the row it spans from."""
        if study.tally is not None:
            return study.tally
        if study.spans_from is not None:
            parent = self.study(study.spans_from)
            if parent.tally is not None and study.id in parent.tally.covers:
                return parent.tally
        return None
