"""The rows of a Summary of Findings: one per certainty entry, with the evidence in its scope,
the level the reviewer's ratings come to, GRADE's symbols and each reason that moved the level.
Shared by `calcinosis sof` (every format) and the report (documents/summary_of_findings.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from .. import model
from ..model.certainty import DOWN_REASONS, UP_REASONS
from ..stats.binomial import DEFAULT_LEVEL
from .evidence import Evidence, Pooled, certainty_evidence, effect_text, pooled_text, scope_rows
from .grade import Step, held, level, steps, symbols

# GRADE's guidance: a Summary of Findings holds at most seven outcomes.
MAX_OUTCOMES = 7
TOO_MANY = (
    "This table has {count} outcomes; GRADE advises at most {most} in a Summary of Findings "
    "(choose the outcomes most important to patients)."
)


class Finding(NamedTuple):
    """One row of the Summary of Findings."""

    entry: model.Certainty
    evidence: Evidence
    level: str
    symbols: str
    steps: tuple[Step, ...]
    held: str | None = None


def entries_for(ds: model.Dataset, studies: Sequence[model.Study]) -> list[model.Certainty]:
    """The entries whose scope holds a row of ``studies``; every entry when ``studies`` is the
    whole dataset (an entry whose scope holds no row then shows with no participants)."""
    if len(studies) == len(ds.studies):
        return list(ds.certainty)
    selected = {s.id for s in studies}
    return [e for e in ds.certainty if any(s.id in selected for s in scope_rows(ds, e))]


def findings(
    ds: model.Dataset,
    entries: Sequence[model.Certainty],
    level_pct: int = DEFAULT_LEVEL,
    pooled: Mapping[str, Pooled | Mapping] | None = None,
    appraisals: Mapping[str, str] | None = None,
) -> list[Finding]:
    """The Summary of Findings of ``entries``. Each entry's evidence is its whole scope (the rows
    the reviewer judged), whatever selected the entry. ``pooled`` (entry id -> pooled effect)
    and ``appraisals`` (study or reference id -> overall judgement) are shown where given."""
    out = []
    for entry in entries:
        evidence = certainty_evidence(
            entry, ds, pooled=(pooled or {}).get(entry.id), appraisals=appraisals, level=level_pct
        )
        grade = level(entry)
        out.append(Finding(entry, evidence, grade, symbols(grade), tuple(steps(entry)), held(entry)))
    return out


def scope_words(entry: model.Certainty) -> str:
    """'warfarin', or 'class calcium channel blocker', then ', in systemic sclerosis'."""
    scope = entry.treatment if entry.treatment is not None else f"class {entry.treatment_class}"
    return scope + (f", in {entry.diagnosis}" if entry.diagnosis else "")


def outcome_words(entry: model.Certainty) -> str:
    """The Outcome cell: 'Improved: warfarin'."""
    words = model.OUTCOME_WORDS[entry.outcome]
    return f"{words[:1].upper()}{words[1:]}: {scope_words(entry)}"


def participants_words(evidence: Evidence) -> str:
    """GRADE's 'Participants (studies)' cell: '17 (4)'."""
    return f"{evidence.patients} ({evidence.studies})"


def effect_words(finding: Finding, with_pooled: bool = True) -> str:
    """The Effect cell: the crude count, share and exact interval; the pooled effect after it when given."""
    text = effect_text(finding.entry, finding.evidence)
    if with_pooled and finding.evidence.pooled is not None:
        text += f"; {pooled_text(finding.evidence.pooled)}"
    return text


SOF_COLUMNS: dict[str, str] = {
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
    from ..documents.blocks import note_letter  # the one lettering of table notes

    out, index = [], 0
    for finding in findings_:
        out.append([note_letter(index + i) for i in range(len(finding.steps))])
        index += len(finding.steps)
    return out


def finding_rows(findings_: Sequence[Finding]) -> list[dict[str, object]]:
    """One record per finding, every column of SOF_COLUMNS (json, csv, and the table's cells)."""
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
        rows.append({k: row[k] for k in SOF_COLUMNS})
    return rows
