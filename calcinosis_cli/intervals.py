"""Exact (Clopper–Pearson) confidence intervals for a proportion, with the standard library.

For x of n, the bounds are the p at which the binomial tail probabilities equal (1 - level)/2:
P(X >= x | p_low) = alpha/2 and P(X <= x | p_high) = alpha/2, with p_low = 0 when x = 0 and
p_high = 1 when x = n. Each bound is found by bisection on the binomial CDF, summed in log
space so that large n cannot overflow. The tests check the result against scipy's beta
quantiles (an independent implementation).
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

LEVELS = (90, 95, 99)
DEFAULT_LEVEL = 95


class Interval(NamedTuple):
    """A proportion and its exact interval, all in percent with one decimal."""

    pct: float
    low: float
    high: float


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    log_n = math.lgamma(n + 1)
    terms = [log_n - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q for i in range(k + 1)]
    top = max(terms)
    return min(1.0, math.exp(top) * math.fsum(math.exp(t - top) for t in terms))


def _solve(target: float, k: int, n: int) -> float:
    """The p in [0, 1] at which binomial_cdf(k, n, p) == target (the CDF falls as p grows)."""
    low, high = 0.0, 1.0
    for _ in range(200):
        middle = (low + high) / 2
        if binomial_cdf(k, n, middle) > target:
            low = middle
        else:
            high = middle
        if high - low < 1e-13:
            break
    return (low + high) / 2


@functools.lru_cache(maxsize=4096)  # large datasets repeat the same small counts
def clopper_pearson(successes: int, trials: int, level: float = 0.95) -> tuple[float, float]:
    """The exact interval (as proportions) for ``successes`` of ``trials`` at ``level``."""
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError(f"no interval for {successes} of {trials}")
    alpha = 1 - level
    low = 0.0 if successes == 0 else _solve(1 - alpha / 2, successes - 1, trials)
    high = 1.0 if successes == trials else _solve(alpha / 2, successes, trials)
    return low, high


def improved_interval(improved: int, stated: int, level: int = DEFAULT_LEVEL) -> Interval | None:
    """Improved as a percentage of the patients whose outcome is stated, with its exact
    interval; None when no outcome is stated (never 0, never NaN)."""
    if stated <= 0:
        return None
    low, high = clopper_pearson(improved, stated, level / 100)
    return Interval(round(100 * improved / stated, 1), round(100 * low, 1), round(100 * high, 1))


def interval_text(interval: Interval | None) -> str | None:
    """``43.8 (19.8–70.1)``: the percentage and its interval, for a person to read."""
    return None if interval is None else f"{interval.pct} ({interval.low}–{interval.high})"


def interval_columns(improved: int, stated: int, level: int = DEFAULT_LEVEL) -> dict[str, object]:
    """The columns every row with a tally carries: improved_pct, ci_low, ci_high, ci_level, improved_ci."""
    interval = improved_interval(improved, stated, level)
    return {
        "improved_pct": interval.pct if interval else None,
        "ci_low": interval.low if interval else None,
        "ci_high": interval.high if interval else None,
        "ci_level": level if interval else None,
        "improved_ci": interval_text(interval),
    }


# Column descriptions, shared by list and group.
INTERVAL_COLUMNS = {
    "improved_pct": "improved as a percentage of the treated patients whose outcome is stated (crude)",
    "ci_low": "lower bound of the exact (Clopper-Pearson) interval of improved_pct, in percent",
    "ci_high": "upper bound of the exact (Clopper-Pearson) interval of improved_pct, in percent",
    "ci_level": "the confidence level of ci_low and ci_high, in percent (--level)",
    "improved_ci": "improved_pct and its exact interval, to read: 43.8 (19.8-70.1)",
}
