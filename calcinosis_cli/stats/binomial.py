"""Exact (Clopper–Pearson) confidence intervals for a proportion, with the standard library.

For x of n, the bounds are the p at which the binomial tail probabilities equal (1 - level)/2:
P(X >= x | p_low) = alpha/2 and P(X <= x | p_high) = alpha/2, with p_low = 0 when x = 0 and
p_high = 1 when x = n. Each bound is found by Newton's method on the binomial CDF, computed as the
regularised incomplete beta function (its continued fraction, in log space), so that a large
n neither overflows nor costs a sum over every count. The tests check the result against
scipy's beta quantiles (an independent implementation).
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
    """P(X <= k) for X ~ Binomial(n, p): the regularised incomplete beta I_{1-p}(n - k, k + 1)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    if n <= _SUM_UP_TO:
        return _binomial_sum(k, n, p)
    return _beta_regularised(n - k, k + 1, 1.0 - p)


# Up to this n the CDF is the sum of its terms: a few dozen multiplications, where the continued
# fraction takes a few hundred operations. Past it the beta function's cost stays low while the
# sum's grows with n.
_SUM_UP_TO = 100


def _binomial_sum(k: int, n: int, p: float) -> float:
    """P(X <= k) as the sum of P(X = i), each term from the one before.

    The sum runs on the side where p <= 1/2, so its first term, (1 - p)^n >= 2^-n, cannot
    underflow; for p > 1/2 it is 1 - P(Y <= n - k - 1) for Y ~ Binomial(n, 1 - p).
    """
    if p > 0.5:
        return 1.0 - _binomial_sum(n - k - 1, n, 1.0 - p) if n - k - 1 >= 0 else 1.0
    q = 1.0 - p
    ratio = p / q
    term = q**n
    total = term
    for i in range(k):
        term *= (n - i) / (i + 1) * ratio
        total += term
    return total if total < 1.0 else 1.0


def _beta_regularised(a: float, b: float, x: float) -> float:
    """I_x(a, b) by its continued fraction (modified Lentz), taken on the side where it
    converges fast; the work grows with the square root of a + b, not with n."""
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _cdf_slope(k: int, n: int, p: float) -> float:
    """d/dp of binomial_cdf(k, n, p): -n * P(Y = k) for Y ~ Binomial(n - 1, p), in log space."""
    log_pmf = math.lgamma(n) - math.lgamma(k + 1) - math.lgamma(n - k) + k * math.log(p) + (n - 1 - k) * math.log1p(-p)
    return -n * math.exp(log_pmf)


def _normal_quantile(tail: float) -> float:
    """z with P(Z > z) = tail (0 < tail <= 0.5), to about 4.5e-4 (Abramowitz and Stegun 26.2.23):
    close enough for a first guess, and without importing statistics (and decimal) at start-up."""
    t = math.sqrt(-2.0 * math.log(tail))
    return t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t**3)


def _start(target: float, k: int, n: int) -> float:
    """A first p for _solve: the Wilson score bound that the exact bound lies near."""
    z = _normal_quantile(min(target, 1 - target))
    if target > 0.5:  # the lower bound of (k + 1) of n
        x, sign = k + 1, -1.0
    else:  # the upper bound of k of n
        x, sign = k, 1.0
    centre = (x + z * z / 2) / (n + z * z)
    half = z * math.sqrt(x * (n - x) / n + z * z / 4) / (n + z * z)
    return centre + sign * half


def _solve(target: float, k: int, n: int) -> float:
    """The p in (0, 1) at which binomial_cdf(k, n, p) == target (the CDF falls as p grows).

    Newton's method on the CDF, whose slope is a binomial probability, from the Wilson score
    bound, with a bracket kept as it goes: a step that would leave the bracket bisects it
    instead. A handful of CDF evaluations, each a continued fraction.
    """
    low, high = 0.0, 1.0
    p = _start(target, k, n)
    if not low < p < high:
        p = 0.5
    for _ in range(200):
        f = binomial_cdf(k, n, p) - target
        if f == 0:
            return p
        if f > 0:
            low = p
        else:
            high = p
        slope = _cdf_slope(k, n, p)
        if slope < 0:
            step = p - f / slope
            if abs(step - p) < 1e-14:
                return step  # converged: the next step would be smaller than the rounding of p
        else:
            step = -1.0
        if not low < step < high:
            step = (low + high) / 2
            if high - low < 1e-14:
                return step
        p = step
    return p


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
