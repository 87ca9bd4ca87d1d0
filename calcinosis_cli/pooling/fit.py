"""The arithmetic of pooling, to metafor's definitions (version 3.8).

- Inputs on the measure's scale as ``escalc`` computes them: PLO and PR add 1/2 to the events and
  non-events of a row with none or all events (``add=1/2, to="only0"``); PFT adds nothing.
- tau² as ``rma.uni``: DL and its truncation at 0; REML and ML by Fisher scoring from the HE
  estimate (threshold 1e-5, step halving to stay at or above 0, then the check that tau² = 0
  has no higher likelihood); PM as the root of the generalised Q equal to k - 1.
- The estimate with inverse-variance weights 1/(vi + tau²); Cochran's Q with weights 1/vi;
  I² and H² from the typical sampling variance (k - 1)/tr(P).
- Hartung-Knapp: the variance scaled by the weighted residual sum of squares over k - 1, and
  t quantiles with k - 1 df for the interval and the prediction interval (``test="knha"``).
- The prediction interval as ``predict.rma``: the estimate ± crit · sqrt(SE² + tau²).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..errors import MissingExtra
from .model import CORRECTION, FT_WARNING, GLMM_Q, HK_NOTE, LEVELS, MEASURES, METHODS, Input, Result, Subgroups


def stats_modules():
    """numpy and scipy.stats, or the one-line message naming the extra."""
    try:
        import numpy
        import scipy.stats
    except ImportError:
        raise MissingExtra(
            "pooling needs numpy and scipy: install calcinosis[stats] (pip install 'calcinosis[stats]')"
        ) from None
    return numpy, scipy.stats


THRESHOLD = 1e-5  # rma.uni's convergence threshold for Fisher scoring
MAXITER = 100
TAU2_MAX = 100.0  # rma.uni's upper bound for the PM search


def effect_sizes(inputs: Sequence[Input], measure: str) -> tuple[list[float], list[float], tuple[str, ...]]:
    """(yi, vi, ids corrected) as metafor's escalc computes them for PLO, PFT or PR."""
    yi, vi, corrected = [], [], []
    for item in inputs:
        x, m = float(item.events), float(item.total - item.events)
        if measure in ("logit", "raw") and (x == 0 or m == 0):
            x, m = x + CORRECTION, m + CORRECTION
            corrected.append(item.id)
        n = x + m
        if measure == "logit":
            p = x / n
            yi.append(math.log(p / (1 - p)))
            vi.append(1 / (n * p * (1 - p)))
        elif measure == "raw":
            p = x / n
            yi.append(p)
            vi.append(p * (1 - p) / n)
        else:
            yi.append(0.5 * (math.asin(math.sqrt(x / (n + 1))) + math.asin(math.sqrt((x + 1) / (n + 1)))))
            vi.append(1 / (4 * n + 2))
    return yi, vi, tuple(corrected)


def _pft(p: float, n: float) -> float:
    x = p * n
    return 0.5 * (math.asin(math.sqrt(x / (n + 1))) + math.asin(math.sqrt((x + 1) / (n + 1))))


def ipft_hm(value: float, sizes: Sequence[int]) -> float:
    """metafor's transf.ipft.hm: Miller's inverse of the double arcsine at the harmonic mean size."""
    nhm = 1 / (sum(1 / n for n in sizes) / len(sizes))
    if value > _pft(1, nhm):
        return 1.0
    if value < _pft(0, nhm):
        return 0.0
    s = math.sin(2 * value)
    inner = 1 - (s + (s - 1 / s) / nhm) ** 2
    if inner < 0:
        return math.nan
    return 0.5 * (1 - math.copysign(1, math.cos(2 * value)) * math.sqrt(inner))


def back_transform(value: float, measure: str, sizes: Sequence[int]) -> float:
    """A value of the measure's scale as a proportion."""
    if measure == "logit":
        return 1 / (1 + math.exp(-value))
    if measure == "ft":
        return ipft_hm(value, sizes)
    return value


def _weighted(yi, wi):
    """(the weighted mean, the sum of the weights)."""
    total = sum(wi)
    return sum(w * y for w, y in zip(wi, yi, strict=True)) / total, total


def cochran_q(yi: Sequence[float], vi: Sequence[float]) -> float:
    wi = [1 / v for v in vi]
    mu, _ = _weighted(yi, wi)
    return sum(w * (y - mu) ** 2 for w, y in zip(wi, yi, strict=True))


def _tr_p(wi) -> float:
    total = sum(wi)
    return total - sum(w * w for w in wi) / total


def tau2_dl(yi, vi) -> float:
    k = len(yi)
    wi = [1 / v for v in vi]
    return max(0.0, (cochran_q(yi, vi) - (k - 1)) / _tr_p(wi))


def tau2_he(yi, vi) -> float:
    k = len(yi)
    mean = sum(yi) / k
    rss = sum((y - mean) ** 2 for y in yi)
    return (rss - sum(vi) * (1 - 1 / k)) / (k - 1)


def _loglik(yi, vi, tau2: float, reml: bool) -> float:
    wi = [1 / (v + tau2) for v in vi]
    mu, total = _weighted(yi, wi)
    rss = sum(w * (y - mu) ** 2 for w, y in zip(wi, yi, strict=True))
    k = len(yi)
    ll = -0.5 * (k - reml) * math.log(2 * math.pi) - 0.5 * sum(math.log(v + tau2) for v in vi) - 0.5 * rss
    return ll - 0.5 * math.log(total) if reml else ll


def tau2_fisher(yi, vi, reml: bool) -> tuple[float, bool]:
    """REML or ML by rma.uni's Fisher scoring; (tau², converged)."""
    tau2 = max(0.0, tau2_he(yi, vi))
    change, iterations = THRESHOLD + 1, 0
    while change > THRESHOLD:
        iterations += 1
        old = tau2
        wi = [1 / (v + tau2) for v in vi]
        mu, total = _weighted(yi, wi)
        py = [w * (y - mu) for w, y in zip(wi, yi, strict=True)]
        # P = W - w wᵀ / Σw, so Pᵀ P y = P (P y); yᵀ P P y = |P y|² since P is symmetric.
        ypp = sum(v * v for v in py)
        if reml:
            sw2, sw3 = sum(w**2 for w in wi), sum(w**3 for w in wi)
            tr_p = total - sw2 / total
            tr_pp = sw2 - 2 * sw3 / total + (sw2 / total) ** 2
            adj = (ypp - tr_p) / tr_pp
        else:
            adj = (ypp - total) / sum(w**2 for w in wi)
        while tau2 + adj < 0:
            adj /= 2
        tau2 += adj
        change = abs(old - tau2)
        if iterations > MAXITER:
            return tau2, False
    # rma.uni's ll0check: a higher likelihood at tau² = 0 means a local maximum was found.
    if _loglik(yi, vi, 0.0, reml) - _loglik(yi, vi, tau2, reml) > 2.220446049250313e-16**0.25 and tau2 > THRESHOLD:
        tau2 = 0.0
    return max(0.0, tau2), True


def _generalised_q(yi, vi, tau2: float) -> float:
    wi = [1 / (v + tau2) for v in vi]
    mu, _ = _weighted(yi, wi)
    return sum(w * (y - mu) ** 2 for w, y in zip(wi, yi, strict=True))


UNIROOT_TOL = 2.220446049250313e-16**0.25  # rma.uni's con$tol, passed to uniroot


def tau2_pm(yi, vi) -> float:
    """Paule-Mandel: the tau² in [0, 100] at which the generalised Q equals k - 1 (0 when Q(0) is
    below it), found as rma.uni finds it: R's uniroot (Brent's zeroin) at its tolerance."""
    target = len(yi) - 1
    low = _generalised_q(yi, vi, 0.0) - target
    if low < 0:
        return 0.0
    high = _generalised_q(yi, vi, TAU2_MAX) - target
    if high > 0:
        raise ArithmeticError("Paule-Mandel: tau² is above 100 (rma.uni's tau2.max)")
    return zeroin(lambda t: _generalised_q(yi, vi, t) - target, 0.0, TAU2_MAX, low, high, UNIROOT_TOL, MAXITER)


def zeroin(f, ax: float, bx: float, fa: float, fb: float, tol: float, maxit: int) -> float:
    """A root of ``f`` in [ax, bx], step for step as R's R_zeroin2 (stats/src/zeroin.c), so that
    the Paule-Mandel estimate is the one metafor prints, to its tolerance."""
    eps = 2.220446049250313e-16
    a, b = ax, bx
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(maxit + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * eps * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:
                q, t1, t2 = fa / fc, fb / fc, fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2) and p < abs(prev_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    raise ArithmeticError("Paule-Mandel: the search for tau² did not converge")


def _check(measure: str, method: str, level: int) -> None:
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; choose from: {', '.join(MEASURES)}")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from: {', '.join(METHODS)}")
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(map(str, LEVELS))}")
    if method == "glmm" and measure != "logit":
        raise ValueError("the GLMM is a logistic model: it pools on the logit scale (measure logit)")


GLMM_NO_MAXIMUM = (
    "GLMM not estimable: every input has none or all events, so the likelihood has no maximum "
    "(the random-effect variance or the intercept runs to infinity)"
)


def _empty(inputs, measure, method, hk, level) -> Result:
    return Result(measure, method, hk, level, tuple(inputs), (), (), None, *([None] * 13))


def pool(
    inputs: Sequence[Input], measure: str = "logit", method: str = "reml", hk: bool = False, level: int = 95
) -> Result:
    """The random-effects pool of ``inputs``, as metafor's rma (or rma.glmm for method glmm)."""
    _check(measure, method, level)
    inputs = tuple(i for i in inputs if i.total > 0)
    if not inputs:
        return _empty(inputs, measure, method, hk, level)
    _numpy, stats = stats_modules()
    yi, vi, corrected = effect_sizes(inputs, measure)
    k = len(inputs)
    alpha = 1 - level / 100
    notes: list[str] = []
    if measure == "ft":
        notes.append(FT_WARNING)
    if hk:
        notes.append(HK_NOTE)
    sizes = [i.total for i in inputs]
    tau2 = q = q_p = i2 = h2 = None
    weights: tuple[float, ...] | None = None
    if k == 1:
        # One input: it is reported as it is (no heterogeneity can be estimated).
        estimate, se = yi[0], math.sqrt(vi[0])
        crit = float(stats.norm.ppf(1 - alpha / 2))
        weights = (100.0,)
        pi_t = None
    elif method == "glmm":
        from .glmm import fit_glmm

        if all(i.events in (0, i.total) for i in inputs):
            return _empty(inputs, measure, method, hk, level)._replace(
                yi=tuple(yi), vi=tuple(vi), notes=(*notes, GLMM_NO_MAXIMUM)
            )

        fit = fit_glmm([i.events for i in inputs], sizes)
        estimate, se, tau2 = fit.beta, fit.se, fit.tau2
        q = fit.q_lrt
        notes.append(GLMM_Q)
        corrected = ()
    else:
        try:
            if method == "dl":
                tau2 = tau2_dl(yi, vi)
            elif method == "pm":
                tau2 = tau2_pm(yi, vi)
            else:
                tau2, converged = tau2_fisher(yi, vi, reml=method == "reml")
                if not converged:
                    raise ArithmeticError("Fisher scoring did not converge for tau² (as rma.uni, 100 iterations)")
        except ArithmeticError as err:
            return _empty(inputs, measure, method, hk, level)._replace(
                yi=tuple(yi), vi=tuple(vi), notes=(*notes, f"not estimable: {err}")
            )
        wi = [1 / (v + tau2) for v in vi]
        estimate, total = _weighted(yi, wi)
        se = math.sqrt(1 / total)
        weights = tuple(100 * w / total for w in wi)
        q = cochran_q(yi, vi)
        if hk:
            rss = sum(w * (y - estimate) ** 2 for w, y in zip(wi, yi, strict=True))
            se = math.sqrt(rss / (k - 1) / total)
    if k > 1:
        crit = float(stats.t.ppf(1 - alpha / 2, k - 1) if hk else stats.norm.ppf(1 - alpha / 2))
        typical = (k - 1) / _tr_p([1 / v for v in vi])
        i2 = 100 * tau2 / (typical + tau2)
        h2 = tau2 / typical + 1
        q_p = float(stats.chi2.sf(q, k - 1))
        spread = crit * math.sqrt(se**2 + tau2)
        pi_t = (estimate - spread, estimate + spread)
    ci_t = (estimate - crit * se, estimate + crit * se)

    def pct(value: float) -> float | None:
        # None where the back-transformation has no value (Miller's formula can fail, as in metafor)
        share = back_transform(value, measure, sizes)
        return None if math.isnan(share) else 100 * share

    def pcts(bounds: tuple[float, float] | None) -> tuple[float, float] | None:
        if bounds is None:
            return None
        low, high = pct(bounds[0]), pct(bounds[1])
        return None if low is None or high is None else (low, high)

    return Result(
        measure,
        method,
        hk,
        level,
        inputs,
        tuple(yi),
        tuple(vi),
        weights,
        float(estimate),
        float(se),
        (float(ci_t[0]), float(ci_t[1])),
        None if pi_t is None else (float(pi_t[0]), float(pi_t[1])),
        pct(estimate),
        pcts(ci_t),
        pcts(pi_t),
        None if tau2 is None else float(tau2),
        None if i2 is None else float(i2),
        None if h2 is None else float(h2),
        None if q is None else float(q),
        k - 1 if k > 1 else None,
        q_p,
        corrected,
        tuple(notes),
    )


def leave_one_out(
    inputs: Sequence[Input], measure: str = "logit", method: str = "reml", hk: bool = False, level: int = 95
) -> list[tuple[Input, Result]]:
    """Each input with the pool of the others, as metafor's leave1out (in the inputs' order)."""
    inputs = tuple(i for i in inputs if i.total > 0)
    if len(inputs) < 2:
        return []
    return [(left, pool(inputs[:n] + inputs[n + 1 :], measure, method, hk, level)) for n, left in enumerate(inputs)]


def subgroup_test(results: dict[str, Result] | Sequence[tuple[str, Result]]) -> Subgroups:
    """Q between the pooled estimates of the groups with two or more inputs: a fixed-effect
    model over the separate fits (estimate, SE), as metafor's documentation computes it."""
    _numpy, stats = stats_modules()
    items = list(results.items()) if isinstance(results, dict) else list(results)
    fits = [(name, r) for name, r in items if r.estimable and r.k >= 2]
    if len(fits) < 2:
        return Subgroups(None, None, None, tuple(name for name, _r in fits))
    if any(r.se <= 0 for _n, r in fits):  # a fit with no spread (HK with identical inputs)
        return Subgroups(None, None, None, tuple(name for name, _r in fits))
    wi = [1 / r.se**2 for _n, r in fits]
    yi = [r.estimate for _n, r in fits]
    mu, _ = _weighted(yi, wi)
    q = sum(w * (y - mu) ** 2 for w, y in zip(wi, yi, strict=True))
    df = len(fits) - 1
    return Subgroups(float(q), df, float(stats.chi2.sf(q, df)), tuple(name for name, _r in fits))
