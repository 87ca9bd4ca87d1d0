"""The rows of a Summary of Findings: one per certainty entry, with the evidence in its scope,
the level the reviewer's ratings come to, GRADE's symbols and each reason that moved the level.
Shared by `calcinosis sof` (every format) and the report (documents/summary_of_findings.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from .. import model
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


def findings_with_evidence(
    ds: model.Dataset, entries: Sequence[model.Certainty], level_pct: int = DEFAULT_LEVEL, pooled: bool = False
) -> list[Finding]:
    """The findings of ``entries``, with the evidence the reviewer judges from: the appraisals'
    overall judgements where the data hold appraisals, and with ``pooled`` each 'improved'
    entry's random-effects pool of its scope (pool's defaults; needs calcinosis[stats]). Shown,
    never used to decide."""
    from .evidence import scope_rows

    judgements = None
    if ds.appraisals:
        from ..appraisal import overall_by_study

        judgements = overall_by_study(ds)
    pools = None
    if pooled:
        from ..pooling import pool_studies

        pools = {e.id: pool_studies(ds, scope_rows(ds, e), level=level_pct) for e in entries if e.outcome == "improved"}
    return findings(ds, entries, level_pct, pooled=pools, appraisals=judgements)
