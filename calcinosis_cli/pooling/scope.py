"""Pooling study rows: the inputs come from the per-row estimates (analysis/estimates.py), grouped
as the crude tallies group them (analysis/tally.py), so that pool, group and the forest plot
count alike: one input per treated arm's tally, events = improved over the stated outcomes,
control arms never counted. A tally printed across rows counts only where every row it covers is
selected and in the group; otherwise its patients have no input of their own (as in group)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .. import model
from ..analysis.estimates import row_estimates
from ..analysis.tally import GROUP_BY, group_order, group_studies, key_function
from ..references.bibliography import short_citation
from .model import Input, Result

POOL_BY = tuple(b for b in GROUP_BY if b != "outcome")  # a row's patients sit in several outcomes


class PooledGroup(NamedTuple):
    """One group's analysis, with what it rests on."""

    name: str
    result: Result
    patients: int  # treated patients of the group (stated or not)
    designs: dict[str, int]  # design -> inputs
    caveat: str | None  # as group reports it (shared phases, other readings, split outcomes)


def inputs_of(ds: model.Dataset, studies: Sequence[model.Study], by: str | None = None) -> dict[str, list]:
    """The row estimates with an outcome, by group (one group, "all", when ``by`` is None)."""
    key_of = key_function(ds, by) if by else (lambda s, t: "all")
    selected = {s.id: s for s in studies}
    groups: dict[str, list] = {}
    for estimate in row_estimates(ds, studies):
        key = key_of(estimate.study, estimate.received)
        # a tally across rows that fall in different groups has no input of its own (group's rule)
        if any(key_of(selected[c.id], estimate.received) != key for c in estimate.covered if c.id in selected):
            continue
        groups.setdefault(key, [])
        if estimate.estimable:
            groups[key].append(estimate)
    return groups


def _input(ds: model.Dataset, estimate) -> Input:
    ref = ds.references.get(estimate.study.reference)
    label = short_citation(ref) if ref else estimate.study.reference
    return Input(estimate.study.id, estimate.improved, estimate.stated, label)


def pool_studies(
    ds: model.Dataset,
    studies: Sequence[model.Study],
    measure: str = "logit",
    method: str = "reml",
    hk: bool = False,
    level: int = 95,
) -> Result:
    """The pool of one scope of rows (every treated arm with a stated outcome is one input)."""
    from .fit import pool

    estimates = inputs_of(ds, studies).get("all", [])
    return pool([_input(ds, e) for e in estimates], measure, method, hk, level)


def pool_groups(
    ds: model.Dataset,
    studies: Sequence[model.Study],
    by: str,
    measure: str = "logit",
    method: str = "reml",
    hk: bool = False,
    level: int = 95,
) -> list[PooledGroup]:
    """One analysis per group of ``studies`` by ``by``, in the group's natural order; a group
    whose patients have no stated outcome has k = 0 and no estimate."""
    from .fit import pool

    if by not in POOL_BY:
        raise ValueError(f"cannot pool by {by!r}; choose from: {', '.join(POOL_BY)}")
    crude = {str(row["group"]): row for row in group_studies(ds, studies, by, level)}
    estimates = inputs_of(ds, studies, by)
    out = []
    for name in sorted(crude, key=group_order(by)):
        found = estimates.get(name, [])
        designs: dict[str, int] = {}
        for e in found:
            designs[e.study.design] = designs.get(e.study.design, 0) + 1
        caveat = crude[name]["caveat"]
        out.append(
            PooledGroup(
                name,
                pool([_input(ds, e) for e in found], measure, method, hk, level),
                int(crude[name]["patients"]),  # type: ignore[call-overload]
                designs,
                str(caveat) if caveat else None,
            )
        )
    return out
