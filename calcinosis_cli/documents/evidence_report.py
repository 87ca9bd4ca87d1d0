"""The evidence report as a document model: what the report says, built once from the data.

Renderers (render/report_markdown.py, render/report_html.py, render/report_terminal.py) turn
the same Report into Markdown, HTML or a terminal preview; none of them adds content. Inline
text is a tuple of spans, so that each renderer escapes and links in its own way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .. import model
from ..errors import plural
from ..references.bibliography import vancouver
from .blocks import (
    Bullets,
    CiteRef,
    Code,
    Column,
    Emphasis,
    Figure,
    Heading,
    Inline,
    Link,
    Note,
    NoteRef,
    Paragraph,
    Quote,
    ReferenceEntry,
    Report,
    Strong,
    Table,
    TableNoteRef,
    Text,
    text,
)
from .table_notes import Numbering

if TYPE_CHECKING:
    from ..references import styles

# --- what the report says --------------------------------------------------------------------

REFERENCES_NOTE = (
    "Numbered in the order this report first cites them; where the source paper numbers a work, its own "
    "number is given too (“source ref. 13”), the numbering its quirks and notes use."
)

TITLE = "Evidence summary: treatments for calcinosis cutis"

SCOPE = (
    "Scope: this summary tabulates what published papers report; it is not a systematic review, "
    "a meta-analysis or medical advice. Tallies are crude counts of the patients who received a "
    "treatment, by the outcome the source prints; outcome definitions, follow-up and diagnoses differ "
    "between studies. Treatment classes, normalised diagnoses, study designs and levels of evidence are "
    "this tool's vocabulary and readings, not the authors'."
)

# The source paper's own observation on who responded, quoted from its Discussion.
RESPONDER_QUOTE = (
    "In the two responders the lesions developed relatively shortly before the start of treatment "
    "and were all smaller than 2 cm in diameter. In the non-responder the lesions were known to have "
    "been present for at least 5 years and were of larger diameter."
)

_MARKER_LABELS = {"*": "asterisk", "†": "dagger", "‡": "double-dagger", "§": "section", "¶": "pilcrow"}


def _anchor(value: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-") or "section"


# A citation style for the reference list: the cited references -> each one's text by id.
ReferenceStyle = Callable[[Sequence[model.Reference]], dict[str, Inline]]


class Builder:
    """Numbers references and labels footnotes in the order the text first cites them."""

    def __init__(self, ds: model.Dataset):
        self.ds = ds
        self.numbers: dict[str, int] = {}
        self.notes: dict[tuple[str, str], Note] = {}

    def cite(self, ref_id: str) -> CiteRef:
        return CiteRef(self.numbers.setdefault(ref_id, len(self.numbers) + 1))

    def note(self, footnote: model.Footnote) -> NoteRef:
        key = (footnote.marker, footnote.text)
        if key not in self.notes:
            label = _MARKER_LABELS.get(footnote.marker, "note")
            taken = {n.label for n in self.notes.values()}
            if label in taken:
                label = f"{label}-{len(self.notes) + 1}"
            self.notes[key] = Note(label, footnote.marker, footnote.text)
        return NoteRef(self.notes[key].label)

    def references(self, style: ReferenceStyle | None = None) -> tuple[ReferenceEntry, ...]:
        """The cited references in citing order: in ``style`` (a CSL style's texts by reference
        id) where given, else in Vancouver style."""
        cited = [ref for ref in map(self.ds.references.get, self.numbers) if ref is not None]
        styled = style(cited) if style is not None and cited else {}
        out = []
        for ref_id, number in self.numbers.items():
            ref = self.ds.references.get(ref_id)
            spans = styled.get(ref_id) or (reference_spans(ref) if ref else text(ref_id))
            if ref is not None and ref.number is not None:
                spans += (Text(f" (source ref. {ref.number})"),)
            out.append(ReferenceEntry(number, ref_id, spans))
        return tuple(out)


def build_report(
    ds: model.Dataset,
    studies: Sequence[model.Study],
    provenance: model.Provenance,
    later: bool = True,
    figures: Sequence[Figure] = (),
    level: int = 95,
    sections: Sequence[Callable[[Builder], list]] = (),
    reference_style: ReferenceStyle | None = None,
) -> Report:
    """The report on ``studies``: provenance, scope, a section per treatment, then the
    ``sections`` a capability adds (each made by one function, given the Builder that numbers
    citations and notes), the paper's own observation on who responded, the quirks that apply,
    references (in ``reference_style`` if given: ``cite``'s CSL styles) and footnotes."""
    b = Builder(ds)
    blocks: list = [Heading(1, text(TITLE), "evidence-summary"), provenance_paragraph(provenance)]
    source = ds.references.get(ds.source)
    if source is not None:
        blocks.append(Paragraph((Text("Source: "), *reference_spans(source))))
    blocks.append(Quote(text(SCOPE)))
    for figure in figures:
        blocks.append(figure)
    if not studies:
        blocks.append(Paragraph(text("No studies match the filters.")))
    by_treatment: dict[str, list[model.Study]] = {}
    for study in studies:
        by_treatment.setdefault(study.treatment, []).append(study)
    from ..analysis.tally import group_studies

    tallies = {row["group"]: row for row in group_studies(ds, studies, "treatment", level)}
    for treatment_id, rows in by_treatment.items():
        blocks += _treatment_section(b, treatment_id, rows, tallies.get(treatment_id), later)
    for section in sections:
        blocks += section(b)
    blocks += _responders(b, studies)
    blocks += _quirks(ds, studies)
    references = b.references(reference_style)
    note = REFERENCES_NOTE if any(r.number is not None for r in map(ds.references.get, b.numbers) if r) else ""
    return Report(TITLE, provenance, tuple(blocks), references, tuple(b.notes.values()), note)


def provenance_paragraph(provenance: model.Provenance) -> Paragraph:
    """The line under a document's title: tool and dataset versions, the date, the command."""
    return Paragraph(
        (
            Emphasis(
                (
                    Text(
                        f"Generated by calcinosis {provenance.tool_version} from dataset version "
                        f"{provenance.dataset_version} on {provenance.date} with "
                    ),
                    Code(provenance.command),
                    Text("."),
                )
            ),
        )
    )


def reference_spans(ref: model.Reference) -> Inline:
    """A reference in Vancouver style, its DOI and PMID as links."""
    plain = ref._replace(doi=None, pmid=None)
    spans: list = [Text(vancouver(plain))]
    if ref.doi:
        spans += [Text(" doi:"), Link(ref.doi, f"https://doi.org/{ref.doi}")]
    if ref.pmid:
        spans += [Text(" PMID "), Link(ref.pmid, f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/")]
    return tuple(spans)


_DOI = r"10\.\d{4,9}/[^\s<>]*[^\s<>.,;:)\]]"
_LINKABLE = re.compile(rf"https?://[^\s<>]*[^\s<>.,;:)\]]|(?<=doi:){_DOI}|(?<=doi: ){_DOI}")


def styled_spans(entry: styles.Entry) -> Inline:
    """A reference as a CSL style sets it (without its number field): italics and bold as
    marked, web addresses and DOIs as links."""

    def linked(value: str) -> list:
        out: list = []
        last = 0
        for found in _LINKABLE.finditer(value):
            out.append(Text(value[last : found.start()]))
            target = found.group()
            url = target if target.startswith("http") else f"https://doi.org/{target}"
            out.append(Link(found.group(), url))
            last = found.end()
        out.append(Text(value[last:]))
        return [span for span in out if not isinstance(span, Text) or span.text]

    spans: list = []
    for run in entry.runs:
        inner: tuple = tuple(linked(run.text))
        if run.bold:
            inner = (Strong(inner),)
        if run.italic:
            inner = (Emphasis(inner),)
        spans += inner
    return tuple(spans)


STUDY_COLUMNS = (
    Column("Study"),
    Column("Dose"),
    Column("N", numeric=True),
    Column("Treated", numeric=True),
    Column("Diagnosis"),
    Column("Outcome"),
    Column("Design"),
    Column("Level"),
    Column("Reference"),
)


def _treatment_section(b: Builder, treatment_id: str, rows: list[model.Study], tally, later: bool) -> list:
    from ..analysis.levels import level_for
    from ..analysis.rows import footnote_of, outcome_cell, reference_cell, treated_counts

    ds = b.ds
    treatment = ds.treatments.get(treatment_id)
    heading = treatment_id[:1].upper() + treatment_id[1:] + (f" ({treatment.treatment_class})" if treatment else "")
    out: list = [Heading(2, text(heading), _anchor(treatment_id))]
    table_rows = []
    readings = Numbering()  # each row's readings and caveats: a note under the table, marked in its Study cell
    for study in rows:
        outcome: tuple = text(outcome_cell(ds, study))
        footnote = footnote_of(ds, study)
        if footnote is not None:
            outcome += (b.note(footnote),)
        treated, _tally = treated_counts(ds, study)
        marks = (TableNoteRef(readings.number(" ".join(study.notes))),) if study.notes else ()
        table_rows.append(
            (
                (*text(study.id), *marks),
                text(study.dose),
                text(study.n),
                text(treated),
                text(study.diagnosis_printed),
                outcome,
                text(study.design),
                text(level_for(study.design)),
                (*text(reference_cell(ds, study)), Text(" "), b.cite(study.reference)),
            )
        )
    out.append(Table(STUDY_COLUMNS, tuple(table_rows), tuple(text(n) for n in readings.notes)))
    if tally is not None:
        out += _tally_paragraphs(ds, treatment_id, rows, tally)
    if later:
        from ..analysis.later import later_for_rows, level_phrase, statement_text

        for item in later_for_rows(ds, rows):
            level = level_phrase(item.entry).removeprefix(", ")
            level = f" ({level})" if level else ""
            about = " It is about the treatment's class." if item.via_class else ""
            scope = ""
            if item.only:
                scope = f" It concerns {item.entry.scope} only; some rows here have a broader diagnosis or none stated."
            out.append(
                Paragraph(
                    (
                        Strong(text("Later evidence:")),
                        Text(f" {statement_text(item.entry)}{level}{about}{scope} "),
                        b.cite(item.entry.reference),
                    )
                )
            )
    return out


def _tally_paragraphs(ds: model.Dataset, treatment_id: str, rows: list[model.Study], t: dict) -> list:
    stated = sum(int(t[o]) for o in model.STATED_OUTCOMES)
    pct = ""
    if stated:
        interval = f"{t['ci_level']}% CI {t['ci_low']}–{t['ci_high']}, exact"
        pct = f"; improved in {t['improved_pct']}% ({interval}) of the {stated} with a stated outcome"
    studies = plural(t["studies"], "study", "studies")
    rows_note = f" ({plural(t['rows'], 'row')})" if t["rows"] != t["studies"] else ""
    out = [
        Paragraph(
            text(
                f"Crude tally: {plural(t['patients'], 'patient')} who received {treatment_id}, in {studies}"
                f"{rows_note}: " + ", ".join(f"{t[o]} {model.OUTCOME_WORDS[o]}" for o in model.OUTCOMES) + f"{pct}."
            )
        )
    ]
    if t.get("caveat"):
        out.append(Paragraph(text(f"Caveat: {t['caveat']}.")))
    apart = []
    for study in rows:
        for arm in study.arms:
            if arm.received not in ds.treatments:
                counts = model.outcome_counts_text(arm.tally)
                apart.append(
                    f"{study.id}: {arm.label} ({arm.received}, {plural(arm.n, 'patient')}: {counts}), a control arm"
                )
        if study.unassigned:
            apart.append(
                f"{study.id}: {plural(study.unassigned, 'patient')} of N = {study.n} in no arm the source reports"
            )
    if apart:
        out.append(Paragraph(text("Not counted as treated: " + "; ".join(apart) + ".")))
    return out


def _responders(b: Builder, studies: Sequence[model.Study]) -> list:
    from ..analysis.cases import case_row

    ds = b.ds
    cases = [c for c in ds.cases if any(c.study == s.id for s in studies)]
    if not cases:
        return []
    out: list = [
        Heading(2, text("Who responded: the source paper's observation"), "who-responded"),
        Quote((Text(RESPONDER_QUOTE + " "), b.cite(ds.source))),
    ]
    columns = (
        Column("Case", numeric=True),
        Column("Age", numeric=True),
        Column("SSc subtype"),
        Column("Largest lesion (cm)", numeric=True),
        Column("Response"),
    )
    keys = ("case", "age_years", "ssc_subtype", "largest_lesion_cm", "response")
    rows = tuple(tuple(text(case_row(case)[k]) for k in keys) for case in cases)
    out.append(Table(columns, rows))
    # One statement of the Discussion may be about several cases: show it once, for them all.
    statements: dict[str, list[int]] = {}
    for case in cases:
        statements.setdefault(case.lesion_duration_before_treatment_text, []).append(case.number)
    items = []
    for statement, numbers in statements.items():
        who = "Case" if len(numbers) == 1 else "Cases"
        listed = " and ".join(str(n) for n in numbers) if len(numbers) <= 2 else ", ".join(map(str, numbers))
        items.append(text(f"{who} {listed}: “{statement}”"))
    out += [
        Paragraph(text("How long the lesions were present before treatment, as the Discussion puts it:")),
        Bullets(tuple(items)),
    ]
    return out


def _quirks(ds: model.Dataset, studies: Sequence[model.Study]) -> list:
    """Quirks of the selected rows and their references, and of the source as a whole."""
    if not studies:
        return []
    selected = {s.id for s in studies} | {s.reference for s in studies}
    quirks = [q for q in ds.quirks if not q.applies_to or selected & set(q.applies_to)]
    if not quirks:
        return []
    return [
        Heading(2, text("Quirks of the source, kept as printed"), "quirks"),
        Bullets(tuple(text(q.text) for q in quirks)),
    ]
