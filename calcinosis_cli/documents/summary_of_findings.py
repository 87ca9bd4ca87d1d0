"""The Summary of Findings and the certainty of each outcome, as document blocks: the same
blocks in the report (through build_report's ``sections`` hook) and in `calcinosis sof`'s
documents (Markdown, HTML, Word). Every reason that moved a level is a note under the table,
marked in its row's Certainty cell; certainty is GRADE's symbols with their words."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .. import model
from ..certainty.evidence import pooled_text
from ..certainty.findings import (
    MAX_OUTCOMES,
    TOO_MANY,
    Finding,
    effect_words,
    outcome_words,
    participants_words,
    scope_words,
)
from ..errors import plural
from ..model.certainty import DOWN_REASONS, UP_REASONS
from .blocks import (
    Bullets,
    Column,
    Heading,
    Paragraph,
    Quote,
    Report,
    Symbol,
    Table,
    TableNoteRef,
    Text,
    note_letter,
    text,
)
from .evidence_report import Builder, provenance_paragraph

SOF_TITLE = "Summary of findings"

SOF_SCOPE = (
    "Certainty ratings are the reviewers' own judgements, entered in their data file; calcinosis does GRADE's "
    "arithmetic on them (start, minus the levels rated down, plus those rated up, held between very low and high) "
    "and shows the evidence in each scope. Effects are crude shares of the treated patients with a stated outcome, "
    "not comparisons with a control. A rating is not a recommendation, and this is no medical advice."
)

SOF_COLUMNS = (
    Column("Outcome"),
    Column("Participants (studies)", numeric=True),
    Column("Effect (crude)"),
    Column("Certainty"),
    Column("Comments"),
)


def sof_table(findings: Sequence[Finding]) -> Table:
    """One row per finding; each reason that moved a level is a note, marked in its Certainty cell."""
    rows, notes = [], []
    for finding in findings:
        marks = []
        for step in finding.steps:
            marks.append(TableNoteRef(len(notes)))
            notes.append(text(step.sentence()))
        certainty = (Symbol(finding.symbols, finding.level), *marks)
        rows.append(
            (
                text(outcome_words(finding.entry)),
                text(participants_words(finding.evidence)),
                text(effect_words(finding)),
                certainty,
                text(finding.entry.comments),
            )
        )
    return Table(SOF_COLUMNS, tuple(rows), tuple(notes))


def sof_blocks(findings: Sequence[Finding]) -> list:
    """The Summary of Findings: its table, with a note when it holds more than seven outcomes."""
    out: list = [Heading(2, text(SOF_TITLE), "summary-of-findings"), sof_table(findings)]
    if len(findings) > MAX_OUTCOMES:
        out.append(Paragraph(text(TOO_MANY.format(count=len(findings), most=MAX_OUTCOMES))))
    return out


def _judgement_items(entry: model.Certainty) -> list:
    items = []
    for judgements, words, way in ((entry.rated_down, DOWN_REASONS, "down"), (entry.rated_up, UP_REASONS, "up")):
        for key, judgement in judgements._asdict().items():
            name = words[key][:1].upper() + words[key][1:]
            if judgement.change:
                levels = plural(abs(judgement.change), "level")
                said = f"{name}: rated {way} {levels}: {judgement.reason}"
            else:
                said = f"{name}: not rated {way}" + (f": {judgement.reason}" if judgement.reason else "")
            items.append(text(said))
    return items


def certainty_blocks(b: Builder, findings: Sequence[Finding]) -> list:
    """The certainty of each outcome in full: start, the eight reasons, the level, who rated it
    and when, and the evidence in its scope (shown; the tool decides nothing from it)."""
    out: list = [
        Heading(2, text("Certainty of the evidence (GRADE)"), "certainty"),
        Paragraph(text(SOF_SCOPE)),
    ]
    for finding in findings:
        entry, ev = finding.entry, finding.evidence
        out.append(Heading(3, text(outcome_words(entry)), f"certainty-{entry.id}"))
        items = [text(f"Starts at {entry.start}: {entry.start_reason}"), *_judgement_items(entry)]
        comes = (Text("Comes to: "), Symbol(finding.symbols, finding.level))
        if finding.held:
            comes += (Text(f" ({finding.held})"),)
        items.append(comes)
        items.append(text(f"Rated by {entry.reviewer} on {entry.date}"))
        out.append(Bullets(tuple(items)))
        shown = [
            f"{plural(ev.studies, 'study', 'studies')} ({plural(ev.rows, 'row')}), "
            f"{plural(ev.patients, 'treated patient')} in scope ({scope_words(entry)})",
            effect_words(finding, with_pooled=False),
        ]
        if ev.pooled is not None:
            shown.append(pooled_text(ev.pooled))
        if ev.caveat:
            shown.append(f"caveat: {ev.caveat}")
        for term, count in ev.broader:
            shown.append(
                f"{plural(count, 'row')} outside the scope {'has' if count == 1 else 'have'} the broader diagnosis "
                f"{term}, which may include {entry.diagnosis}"
            )
        if ev.appraisals:
            shown.append("appraisals: " + "; ".join(f"{who} {judged}" for who, judged in ev.appraisals))
        evidence: tuple = (Text("Evidence in scope, shown beside the rating: " + "; ".join(shown) + "."),)
        if ev.row_ids:
            evidence += (Text(" Rows:"),)
            for number, row_id in enumerate(ev.row_ids):
                evidence += (Text((", " if number else " ") + f"{row_id} "), b.cite(b.ds.study(row_id).reference))
            evidence += (Text("."),)
        out.append(Paragraph(evidence))
    return out


def certainty_section(findings: Sequence[Finding]) -> Callable[[Builder], list]:
    """The report's section (build_report's ``sections`` hook): the Summary of Findings, then
    the certainty of each outcome; nothing when there are no findings."""

    def section(b: Builder) -> list:
        return [*sof_blocks(findings), *certainty_blocks(b, findings)] if findings else []

    return section


def build_sof_report(ds: model.Dataset, findings: Sequence[Finding], provenance: model.Provenance) -> Report:
    """`calcinosis sof` as a document: the Summary of Findings and the certainty of each outcome."""
    b = Builder(ds)
    blocks: list = [Heading(1, text(SOF_TITLE), "summary-of-findings-document"), provenance_paragraph(provenance)]
    if findings:
        blocks += [*sof_blocks(findings)[1:], *certainty_blocks(b, findings)]
    else:
        blocks += [Quote(text(SOF_SCOPE)), Paragraph(text("No certainty entries match the filters."))]
    from .evidence_report import REFERENCES_NOTE

    references = b.references()
    numbered = any(r.number is not None for r in map(ds.references.get, b.numbers) if r)
    return Report(SOF_TITLE, provenance, tuple(blocks), references, (), REFERENCES_NOTE if numbered else "")


# --- the same table as records: json, csv and the row formats of `sof` -----------------------

SOF_RECORD_COLUMNS: dict[str, str] = {
    "id": "the certainty entry's id",
    "outcome": "the outcome rated, and its scope",
    "participants": "participants (studies): treated patients in the scope, and the studies (works) they are in",
    "effect": "crude: patients with the outcome of those with a stated outcome, percent and exact interval",
    "certainty": "GRADE's symbols and the level the reviewer's ratings come to",
    "comments": "the reviewer's comments",
    "footnotes": "each reason that moved the level, lettered as the table's notes, as written",
    "outcome_key": "the outcome as the data file names it",
    "treatment": "the scope's treatment",
    "class": "the scope's treatment class",
    "diagnosis": "the scope's diagnosis (rows with it or a narrower one)",
    "patients": "treated patients in the scope (control arms never count)",
    "studies": "studies (works) in the scope",
    "rows": "printed rows in the scope",
    "events": "patients with the outcome",
    "stated": "patients whose outcome is stated (the denominator)",
    "pct": "events as a percentage of stated (crude)",
    "ci_low": "lower bound of the exact (Clopper-Pearson) interval, percent",
    "ci_high": "upper bound of the exact interval, percent",
    "ci_level": "the confidence level of the interval, percent",
    "pooled_pct": "pooled percentage, where pooled",
    "pooled_low": "lower bound of the pooled interval",
    "pooled_high": "upper bound of the pooled interval",
    "i2": "I², percent, where pooled",
    "start": "where certainty starts, as the reviewer records it",
    "start_reason": "why it starts there",
    **{key: f"levels rated down for {words} (0, -1, -2)" for key, words in DOWN_REASONS.items()},
    **{f"{key}_reason": f"why, for {words}" for key, words in DOWN_REASONS.items()},
    **{key: f"levels rated up for {words} (0, +1, +2)" for key, words in UP_REASONS.items()},
    **{f"{key}_reason": f"why, for {words}" for key, words in UP_REASONS.items()},
    "level": "the level the ratings come to: high, moderate, low or very low",
    "symbols": "GRADE's symbols for the level (⊕ per level)",
    "held": "when the arithmetic fell outside the scale, where it was held",
    "appraisals": "overall appraisal judgements of the studies in scope, where recorded",
    "reviewer": "who rated it",
    "date": "when",
    "caveat": "what the counts cannot say (as group says it)",
    "origin": "the file and line the entry was read from",
}
HUMAN_SOF_COLUMNS = ("outcome", "participants", "effect", "certainty", "comments")


def note_letters(findings_: Sequence[Finding]) -> list[list[str]]:
    """The letters of each finding's notes, lettered across the table in order (a, b, ...)."""
    out, index = [], 0
    for finding in findings_:
        out.append([note_letter(index + i) for i in range(len(finding.steps))])
        index += len(finding.steps)
    return out


def finding_rows(findings_: Sequence[Finding]) -> list[dict[str, object]]:
    """One record per finding, every column of SOF_RECORD_COLUMNS (json, csv, and the table's cells)."""
    rows = []
    for finding, letters in zip(findings_, note_letters(findings_), strict=True):
        entry, ev = finding.entry, finding.evidence
        marks = "".join(f" ({letter})" for letter in letters)
        pooled = ev.pooled
        row: dict[str, object] = {
            "id": entry.id,
            "outcome": outcome_words(entry),
            "participants": participants_words(ev),
            "effect": effect_words(finding),
            "certainty": f"{finding.symbols} {finding.level}{marks}",
            "comments": entry.comments,
            "footnotes": [f"{letter}: {step.sentence()}" for letter, step in zip(letters, finding.steps, strict=True)],
            "outcome_key": entry.outcome,
            "treatment": entry.treatment,
            "class": entry.treatment_class,
            "diagnosis": entry.diagnosis,
            "patients": ev.patients,
            "studies": ev.studies,
            "rows": ev.rows,
            "events": ev.events,
            "stated": ev.stated,
            "pct": ev.interval.pct if ev.interval else None,
            "ci_low": ev.interval.low if ev.interval else None,
            "ci_high": ev.interval.high if ev.interval else None,
            "ci_level": ev.level if ev.interval else None,
            "pooled_pct": pooled.pct if pooled else None,
            "pooled_low": pooled.low if pooled else None,
            "pooled_high": pooled.high if pooled else None,
            "i2": pooled.i2 if pooled else None,
            "start": entry.start,
            "start_reason": entry.start_reason,
        }
        for judgements in (entry.rated_down, entry.rated_up):
            for key, judgement in judgements._asdict().items():
                row[key] = judgement.change
                row[f"{key}_reason"] = judgement.reason
        row.update(
            level=finding.level,
            symbols=finding.symbols,
            held=finding.held,
            appraisals=[f"{who}: {judged}" for who, judged in ev.appraisals],
            reviewer=entry.reviewer,
            date=entry.date,
            caveat=ev.caveat,
            origin=entry.origin,
        )
        rows.append({k: row[k] for k in SOF_RECORD_COLUMNS})
    return rows
