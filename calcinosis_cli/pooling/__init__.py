"""Random-effects meta-analysis of single proportions, to the definitions of R's metafor
(``escalc``, ``rma.uni``, ``rma.glmm``, ``predict.rma``, ``leave1out``).

The arithmetic needs numpy and scipy (the optional extra calcinosis[stats]); they are imported
only when a pooled figure is computed, never when this package is imported, so that nothing
else pays for them. ``pool`` fits one set of inputs; ``pool_studies`` and ``pool_groups`` take
the inputs from study rows by the rules of the crude tallies (one input per treated arm's
tally, control arms never counted).
"""

from __future__ import annotations

from .model import (
    FRAMING,
    HK_NOTE,
    LEVELS,
    MEASURES,
    METHODS,
    Input,
    Result,
    Subgroups,
)

__all__ = [
    "FRAMING",
    "HK_NOTE",
    "LEVELS",
    "MEASURES",
    "METHODS",
    "Input",
    "Result",
    "Subgroups",
    "leave_one_out",
    "pool",
    "pool_groups",
    "pool_studies",
    "subgroup_test",
]


def pool(inputs, measure: str = "logit", method: str = "reml", hk: bool = False, level: int = 95) -> Result:
    """The random-effects pooled proportion of ``inputs`` (a sequence of Input)."""
    from .fit import pool as _pool

    return _pool(inputs, measure, method, hk, level)


def leave_one_out(inputs, measure: str = "logit", method: str = "reml", hk: bool = False, level: int = 95):
    """One Result per input: the pool of the others (metafor's leave1out)."""
    from .fit import leave_one_out as _loo

    return _loo(inputs, measure, method, hk, level)


def subgroup_test(results) -> Subgroups:
    """The test for subgroup differences from the separate fits (Q between, df, p)."""
    from .fit import subgroup_test as _test

    return _test(results)


def pool_studies(ds, studies, measure: str = "logit", method: str = "reml", hk: bool = False, level: int = 95):
    """The pooled share improved of one scope of study rows (for Summary of Findings, GRADE)."""
    from .scope import pool_studies as _pool_studies

    return _pool_studies(ds, studies, measure, method, hk, level)


def pool_groups(ds, studies, by: str, measure: str = "logit", method: str = "reml", hk: bool = False, level: int = 95):
    """One pooled analysis per group of ``studies`` by ``by`` (treatment, class, diagnosis, ...)."""
    from .scope import pool_groups as _pool_groups

    return _pool_groups(ds, studies, by, measure, method, hk, level)
