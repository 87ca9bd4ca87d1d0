"""Agreement of two reviewers: per item and over all items, the percent agreement and Cohen's
kappa with the counts behind them, and every disagreement to settle.

Cohen's kappa (Cohen J. Educ Psychol Meas 1960;20:37-46): kappa = (po - pe) / (1 - pe), where
po is the share of pairs on which the two reviewers agree and pe = sum over answers of
(A's share with that answer) x (B's share with that answer). Kappa is undefined (None) where
pe = 1: both reviewers gave one and the same answer throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .. import model


class Agreement(NamedTuple):
    """Agreement over ``n`` pairs of answers: the cross-table ``counts`` (A's answer, B's
    answer) -> pairs, po, pe and kappa (None where undefined)."""

    n: int
    agreed: int
    po: float | None
    pe: float | None
    kappa: float | None
    counts: dict[tuple[str, str], int]


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> Agreement:
    """Percent agreement and Cohen's kappa of ``pairs`` of (reviewer A, reviewer B) answers."""
    n = len(pairs)
    counts: dict[tuple[str, str], int] = {}
    for pair in pairs:
        counts[pair] = counts.get(pair, 0) + 1
    if n == 0:
        return Agreement(0, 0, None, None, None, counts)
    agreed = sum(c for (a, b), c in counts.items() if a == b)
    po = agreed / n
    a_totals: dict[str, int] = {}
    b_totals: dict[str, int] = {}
    for (a, b), c in counts.items():
        a_totals[a] = a_totals.get(a, 0) + c
        b_totals[b] = b_totals.get(b, 0) + c
    pe = sum(a_totals[k] * b_totals.get(k, 0) for k in a_totals) / (n * n)
    kappa = None if pe >= 1 else (po - pe) / (1 - pe)
    return Agreement(n, agreed, po, pe, kappa, counts)


class Comparison(NamedTuple):
    tool: model.AppraisalTool
    reviewers: tuple[str, str]
    studies: tuple[str, ...]  # appraised by both, in dataset order
    items: tuple[tuple[int, Agreement], ...]
    overall: Agreement  # over every item of every study
    judgement: Agreement  # of the reviewers' own overall judgements
    disagreements: tuple[tuple[str, str, str, str], ...]  # study, item ("overall" for the judgement), A, B


def reviewers_of(ds: model.Dataset, tool: str) -> list[str]:
    """The reviewers (not consensus) who appraised with ``tool``, in file order."""
    out: list[str] = []
    for e in ds.appraisals:
        if e.tool == tool and e.reviewer != model.CONSENSUS and e.reviewer not in out:
            out.append(e.reviewer)
    return out


def compare(
    ds: model.Dataset, tool: model.AppraisalTool, first: str, second: str, study_ids: Sequence[str]
) -> Comparison:
    """How far ``first`` and ``second`` agree with ``tool`` on the studies both appraised."""
    entries = {(e.study, e.reviewer): e for e in ds.appraisals if e.tool == tool.id}
    both = [s for s in study_ids if (s, first) in entries and (s, second) in entries]
    per_item: dict[int, list[tuple[str, str]]] = {item.number: [] for item in tool.items}
    judgements: list[tuple[str, str]] = []
    disagreements = []
    for study in both:
        a, b = entries[(study, first)], entries[(study, second)]
        for item in tool.items:
            answer_a, answer_b = a.answer(item.number), b.answer(item.number)
            if answer_a is None or answer_b is None:
                continue
            per_item[item.number].append((answer_a.answer, answer_b.answer))
            if answer_a.answer != answer_b.answer:
                disagreements.append((study, str(item.number), answer_a.answer, answer_b.answer))
        if a.overall is not None and b.overall is not None:
            judgements.append((a.overall, b.overall))
            if a.overall != b.overall:
                disagreements.append((study, "overall", a.overall, b.overall))
    items = tuple((number, cohen_kappa(pairs)) for number, pairs in per_item.items())
    every = [pair for pairs in per_item.values() for pair in pairs]
    return Comparison(
        tool, (first, second), tuple(both), items, cohen_kappa(every), cohen_kappa(judgements), tuple(disagreements)
    )


def agreement_dict(agreement: Agreement) -> dict[str, object]:
    """An Agreement as plain values: the counts as a list of {first, second, pairs}."""
    return {
        "pairs": agreement.n,
        "agreed": agreement.agreed,
        "percent_agreement": None if agreement.po is None else round(100 * agreement.po, 1),
        "po": agreement.po,
        "pe": agreement.pe,
        "kappa": agreement.kappa,
        "counts": [{"first": a, "second": b, "pairs": c} for (a, b), c in sorted(agreement.counts.items())],
    }
