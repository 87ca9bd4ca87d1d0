"""The dataset: everything loaded, indexed for lookups."""

from typing import NamedTuple

from .certainty import Certainty
from .evidence import Arm, Case, Footnote, LaterEvidence, Quirk, Study, Tally
from .references import Reference
from .vocabulary import Diagnosis, Treatment, TreatmentClass


class Dataset(NamedTuple):
    """Everything loaded: vocabularies, references, studies, cases and metadata."""

    title: str
    version: str
    source: str  # Reference.id of the source paper
    table_title: str
    classes: dict[str, TreatmentClass]
    treatments: dict[str, Treatment]
    diagnoses: dict[str, Diagnosis]
    footnotes: tuple[Footnote, ...]
    references: dict[str, Reference]
    studies: tuple[Study, ...]
    cases: tuple[Case, ...] = ()
    quirks: tuple[Quirk, ...] = ()
    later_evidence: tuple[LaterEvidence, ...] = ()
    # Appraisal tools the files declare (not the built-in ones) and appraisals; the annotations
    # are text so that the appraisal records load only where there are appraisals.
    tools: "dict[str, AppraisalTool]" = {}  # noqa: F821, UP037
    appraisals: "tuple[Appraisal, ...]" = ()  # noqa: F821, UP037
    certainty: tuple[Certainty, ...] = ()
    notes: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    # id -> Study, built once by whoever builds the Dataset (see with_index); derived, never stored.
    study_index: dict[str, Study] | None = None

    def with_index(self) -> "Dataset":
        """The same dataset with its id index built, so study() is a lookup, not a scan."""
        return self._replace(study_index={s.id: s for s in self.studies})

    def broader_terms(self, term: str) -> list[str]:
        """The terms broader than the diagnosis ``term``, nearest first (a cycle stops the walk)."""
        out: list[str] = []
        parent = self.diagnoses[term].broader if term in self.diagnoses else None
        while parent is not None and parent in self.diagnoses and parent not in out and parent != term:
            out.append(parent)
            parent = self.diagnoses[parent].broader
        return out

    def study(self, study_id: str) -> Study:
        if self.study_index is not None:
            return self.study_index[study_id]
        for study in self.studies:
            if study.id == study_id:
                return study
        raise KeyError(study_id)

    def treated_arms(self, study: Study) -> tuple[Arm, ...]:
        """The arms of ``study`` that received a treatment: those of its reported arms whose
        ``received`` is a treatment, or, for a row without arms, the whole row as one arm
        (whose tally may be shared with other rows, see tally_for)."""
        if study.arms:
            return tuple(arm for arm in study.arms if arm.received in self.treatments)
        return (Arm("all patients", study.treatment, study.n, self.tally_for(study)),)  # type: ignore[arg-type]

    def tally_for(self, study: Study) -> Tally | None:
        """The tally that covers ``study``: its own, or the one of the row it spans from."""
        if study.tally is not None:
            return study.tally
        if study.spans_from is not None:
            parent = self.study(study.spans_from)
            if parent.tally is not None and study.id in parent.tally.covers:
                return parent.tally
        return None
