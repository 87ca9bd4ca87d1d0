"""The sections of a data file, in one table: what each holds and how it joins the Dataset.

Every part of the tool that walks a dataset's sections walks this table: the loader (reading,
duplicate ids, where each record came from), the cache, the dataset writer (`export --format
yaml`, `import`), the JSON Schema, the starter file and the SQLite writer. A new section is one
entry here, its spec (specs.py) and its checks.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import model


class Section:
    """A top-level section of a data file.

    ``attr`` is the Dataset attribute that holds it, a dict by ``key`` when ``keyed`` (a record
    is found by its id), else a tuple in file order. ``stamp`` is the record field the loader
    fills with where the record came from: "origin" (terms: the tool's vocabulary or the file),
    "file" (footnotes: markers belong to their file) or "origin_line" (rows: file and line, in
    the field ``origin``). ``tool_terms``: records of the tool's own vocabulary are not written
    out (every dataset is read with it). ``prepare`` completes a record's converted fields, and
    ``unprepare`` takes back out of a written record what prepare would put in again.
    ``file_key`` is a record's key within one file, where it differs from ``key`` (a footnote's
    marker): records written to one file may not share it with different content.
    """

    # A plain class, not a NamedTuple: the cache reads this table on every warm start.
    __slots__ = (
        "name", "spec_name", "_cls", "description", "attr", "keyed", "key", "shown_key", "stamp", "tool_terms",
        "prepare", "unprepare", "file_key", "file_key_label", "is_list",
    )  # fmt: skip

    def __init__(
        self,
        name: str,
        spec_name: str,  # the name of its spec in specs.py (imported only by readers and writers)
        cls: Callable | str,  # a model class, or its name in model (loaded when first used)
        description: str,
        attr: str | None = None,
        keyed: bool = False,
        key: Callable[[object], str] = lambda record: record.id,  # type: ignore[attr-defined]
        shown_key: Callable[[str], str] = lambda key: key,
        stamp: str | None = None,
        tool_terms: bool = False,
        prepare: Callable[[dict], None] | None = None,
        unprepare: Callable[[object, dict], None] | None = None,
        file_key: Callable[[object], str] | None = None,
        file_key_label: str = "id",
        is_list: bool = True,
    ) -> None:
        self.name, self.spec_name, self._cls, self.description, self.attr = name, spec_name, cls, description, attr
        self.keyed, self.key, self.shown_key, self.stamp, self.tool_terms = keyed, key, shown_key, stamp, tool_terms
        self.prepare, self.unprepare, self.file_key, self.file_key_label = prepare, unprepare, file_key, file_key_label
        self.is_list = is_list

    @property
    def cls(self) -> Callable:
        """The section's record class (a class named by text is loaded on first use)."""
        if isinstance(self._cls, str):
            self._cls = getattr(model, self._cls)
        return self._cls

    @property
    def spec(self) -> dict:
        """The fields of a record of this section (specs.py; the cache never needs them)."""
        from . import specs

        return getattr(specs, self.spec_name)


def _study_defaults(fields: dict) -> None:
    """A tally covers its own row unless it says which rows it covers."""
    tally = fields.get("tally")
    if tally is not None and not tally.covers:
        fields["tally"] = tally._replace(covers=(fields["id"],))


def _study_written(study: object, written: dict) -> None:
    """A written tally names the rows it covers only when they are more than its own row."""
    tally = written.get("tally")
    if isinstance(tally, dict) and tally.get("covers") == [study.id]:  # type: ignore[attr-defined]
        del tally["covers"]


def _appraisal_written(appraisal: object, written: dict) -> None:
    """Answers are written as the file holds them: item number -> answer, or -> {answer, support}."""
    written["answers"] = {
        a.item: a.answer if a.support is None else {"answer": a.answer, "support": a.support}
        for a in appraisal.answers  # type: ignore[attr-defined]
    }


def _reference_defaults(fields: dict) -> None:
    """A work that is not a journal article may have no journal or authors, and no mark."""
    fields.setdefault("journal", "")
    fields.setdefault("authors", ())
    if fields.get("type", "article-journal") != "article-journal":
        fields.setdefault("kind", None)


def _reference_written(ref: object, written: dict) -> None:
    """What _reference_defaults fills in is not written."""
    for key in ("journal", "authors", "kind"):
        if written.get(key) in ("", [], None):
            written.pop(key, None)


META = Section("dataset", "DATASET_SPEC", dict, "what the file is (one file of a dataset says it)", is_list=False)
# A PRISMA 2020 flow diagram's numbers: checked with the file, drawn by `calcinosis prisma FILE`.
FLOW = Section("flow", "FLOW_SPEC", dict, "a PRISMA 2020 flow diagram's numbers (calcinosis prisma)", is_list=False)

_LIST_SECTIONS = (
    Section("quirks", "QUIRK_SPEC", model.Quirk, "oddities of the source, kept as printed and flagged", "quirks"),
    Section(
        "footnotes",
        "FOOTNOTE_SPEC",
        model.Footnote,
        "footnotes as printed, with their markers",
        "footnotes",
        key=lambda note: f"{note.marker} in {note.file}",  # type: ignore[attr-defined]
        shown_key=lambda key: key.split(" in ")[0],
        stamp="file",
        file_key=lambda note: note.marker,  # type: ignore[attr-defined]
        file_key_label="footnote marker",
    ),
    Section(
        "classes",
        "CLASS_SPEC",
        model.TreatmentClass,
        "treatment classes of your own",
        "classes",
        keyed=True,
        stamp="origin",
        tool_terms=True,
    ),
    Section(
        "treatments",
        "TREATMENT_SPEC",
        model.Treatment,
        "treatments of your own, with class and aliases",
        "treatments",
        keyed=True,
        stamp="origin",
        tool_terms=True,
    ),
    Section(
        "diagnoses",
        "DIAGNOSIS_SPEC",
        model.Diagnosis,
        "diagnosis terms of your own, with a broader term",
        "diagnoses",
        keyed=True,
        stamp="origin",
        tool_terms=True,
    ),
    Section(
        "references",
        "REFERENCE_SPEC",
        model.Reference,
        "the works the rows cite",
        "references",
        keyed=True,
        prepare=_reference_defaults,
        unprepare=_reference_written,
    ),
    Section(
        "studies",
        "STUDY_SPEC",
        model.Study,
        "the rows of evidence",
        "studies",
        stamp="origin_line",
        prepare=_study_defaults,
        unprepare=_study_written,
    ),
    Section(
        "cases",
        "CASE_SPEC",
        model.Case,
        "patient-level case reports",
        "cases",
        key=lambda case: f"{case.study}#{case.number}",  # type: ignore[attr-defined]
    ),
    Section("later_evidence", "LATER_SPEC", model.LaterEvidence, "statements of later reviews", "later_evidence"),
    Section(
        "tools",
        "TOOL_SPEC",
        "AppraisalTool",
        "appraisal tools of your own (murad2018, jbi-case-series and jbi-case-report are built in)",
        "tools",
        keyed=True,
        stamp="origin",
    ),
    Section(
        "appraisals",
        "APPRAISAL_SPEC",
        "Appraisal",
        "risk-of-bias appraisals, one per study, tool and reviewer, entered by the reviewer",
        "appraisals",
        key=lambda a: f"{a.study} / {a.tool} / {a.reviewer}",  # type: ignore[attr-defined]
        stamp="origin_line",
        unprepare=_appraisal_written,
        file_key=lambda a: f"{a.study} / {a.tool} / {a.reviewer}",  # type: ignore[attr-defined]
        file_key_label="appraisal",
    ),
    Section(
        "certainty",
        "CERTAINTY_SPEC",
        model.Certainty,
        "GRADE certainty per outcome, as the reviewer rates it (shown by 'calcinosis sof')",
        "certainty",
        stamp="origin_line",
    ),
)

# Every section, in the order the format lists them (the unknown-section message, the schema,
# the starter file and the writer follow it).
SECTIONS: dict[str, Section] = {META.name: META, **{s.name: s for s in _LIST_SECTIONS}, FLOW.name: FLOW}
LIST_SECTIONS: tuple[Section, ...] = _LIST_SECTIONS
