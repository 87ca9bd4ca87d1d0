"""The evidence a reviewer judges from, shown beside each certainty entry: the studies and
patients in the entry's scope, the crude effect with its exact interval (counted as `group`
counts), and, when given, the pooled effect with its I² and the appraisals' overall judgements.
The tool shows these; it decides nothing from them.

Pooling and appraisal are optional inputs: ``certainty_evidence(..., pooled=..., appraisals=...)``
takes what `pool` and the appraisals produce, so that this module needs neither.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from .. import model
from ..analysis.select import Filters, broader_rows, studies_matching
from ..analysis.tally import group_studies
from ..stats.binomial import DEFAULT_LEVEL, Interval, improved_interval


class Pooled(NamedTuple):
    """A pooled proportion as `pool` reports it, in percent, with its interval and I²."""

    pct: float
    low: float
    high: float
    level: int = DEFAULT_LEVEL
    i2: float | None = None  # percent; None with one study
    method: str = ""  # "random effects (REML), logit", as pool words it
    studies: int | None = None


def pooled_from(result) -> Pooled | None:
    """A Pooled from what `pool` computes (any object with pct, ci, level, i2, method, measure and
    inputs, such as pooling's Result), read by name so that this module needs no pooling code;
    None when it has no estimate."""
    if result is None or getattr(result, "pct", None) is None or getattr(result, "ci", None) is None:
        return None
    method = ", ".join(str(v) for v in (getattr(result, "method", ""), getattr(result, "measure", "")) if v)
    inputs = getattr(result, "inputs", None)
    low, high = result.ci
    return Pooled(
        round(result.pct, 1),
        round(low, 1),
        round(high, 1),
        getattr(result, "level", DEFAULT_LEVEL),
        None if result.i2 is None else round(result.i2, 1),
        method,
        len(inputs) if inputs is not None else None,
    )


class Evidence(NamedTuple):
    """What an entry's scope holds, crude: studies (works), rows, treated patients, the patients
    with the outcome over those whose outcome is stated, and its exact interval."""

    studies: int
    rows: int
    patients: int
    events: int
    stated: int
    interval: Interval | None
    level: int
    caveat: str | None = None
    row_ids: tuple[str, ...] = ()
    pooled: Pooled | None = None
    appraisals: tuple[tuple[str, str], ...] = ()  # (study or reference id, overall judgement), in scope order
    broader: tuple[tuple[str, int], ...] = ()  # rows left out whose diagnosis is a broader term: (term, rows)


def scope_filters(entry: model.Certainty) -> Filters:
    """The filters that select ``entry``'s scope: its treatment (or every treatment of its class),
    and, with a diagnosis, only rows with that diagnosis or a narrower one."""
    name = entry.treatment if entry.treatment is not None else entry.treatment_class
    diagnoses = (entry.diagnosis,) if entry.diagnosis else ()
    return Filters(treatments=(name,) if name else (), diagnoses=diagnoses)


def scope_rows(ds: model.Dataset, entry: model.Certainty) -> list[model.Study]:
    """The rows of ``entry``'s scope (scope_filters)."""
    return studies_matching(ds, scope_filters(entry))


def certainty_evidence(
    entry: model.Certainty,
    ds: model.Dataset,
    studies: Sequence[model.Study] | None = None,
    pooled: Pooled | Mapping | object | None = None,
    appraisals: Mapping[str, str | tuple] | None = None,
    level: int = DEFAULT_LEVEL,
) -> Evidence:
    """The evidence beside ``entry``: its scope's rows (``studies``, when the caller has them),
    counted as `group` counts them. Shown when given, never judged from: ``pooled``, a Pooled, a
    mapping of its fields, or what `pool` returns for the scope's rows (pooled_from); and
    ``appraisals``, study or reference id -> the overall judgement as the reviewer recorded it
    (text, or a (judgement, reviewer) pair); appraisals of rows outside the scope are left out."""
    rows = list(studies) if studies is not None else scope_rows(ds, entry)
    by = "treatment" if entry.treatment is not None else "class"
    wanted = entry.treatment if entry.treatment is not None else entry.treatment_class
    group = next((g for g in group_studies(ds, rows, by, level) if g["group"] == wanted), None)
    if isinstance(pooled, Mapping):
        pooled = Pooled(**pooled)
    elif pooled is not None and not isinstance(pooled, Pooled):
        pooled = pooled_from(pooled)
    judged: tuple[tuple[str, str], ...] = ()
    if appraisals:
        keys = [k for s in rows for k in (s.id, s.reference)]
        judged = tuple((k, _judgement(appraisals[k])) for k in dict.fromkeys(keys) if k in appraisals)
    # Rows the scope's diagnosis leaves out that may hold it (Scleroderma for systemic sclerosis).
    broader = tuple((term, rows_) for _asked, term, rows_ in broader_rows(ds, scope_filters(entry)))
    if group is None:
        return Evidence(0, 0, 0, 0, 0, None, level, None, (), pooled, judged, broader)
    stated = sum(int(group[o]) for o in model.STATED_OUTCOMES)
    events = int(group[entry.outcome])
    return Evidence(
        studies=int(group["studies"]),
        rows=int(group["rows"]),
        patients=int(group["patients"]),
        events=events,
        stated=stated,
        interval=improved_interval(events, stated, level),
        level=level,
        caveat=group["caveat"],  # type: ignore[arg-type]
        row_ids=tuple(group["row_ids"]),  # type: ignore[arg-type]
        pooled=pooled,
        appraisals=judged,
        broader=broader,
    )


def _judgement(value) -> str:
    """An overall judgement as shown: 'low risk', or 'low risk (A. Reviewer)' from a pair."""
    if isinstance(value, tuple):
        judgement, who = (tuple(value) + (None, None))[:2]
        return f"{judgement or 'no overall judgement'}" + (f" ({who})" if who else "")
    return str(value)


def effect_text(entry: model.Certainty, evidence: Evidence) -> str:
    """'7 of 16 with a stated outcome improved: 43.8% (95% CI 19.8–70.1, exact)'."""
    outcome = model.OUTCOME_WORDS[entry.outcome]
    if not evidence.stated:
        return f"no patient in scope has a stated outcome; no share {outcome}"
    text = f"{evidence.events} of {evidence.stated} with a stated outcome {outcome}"
    interval = evidence.interval
    if interval is not None:
        text += f": {interval.pct}% ({evidence.level}% CI {interval.low}–{interval.high}, exact)"
    return text


def pooled_text(pooled: Pooled) -> str:
    """'pooled 45.0% (95% CI 20.1–72.3), I² 12%, random effects'."""
    text = f"pooled {pooled.pct}% ({pooled.level}% CI {pooled.low}–{pooled.high})"
    if pooled.i2 is not None:
        text += f", I² {pooled.i2:g}%"
    if pooled.method:
        text += f", {pooled.method}"
    return text
