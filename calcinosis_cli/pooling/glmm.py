"""The random-intercept logistic model of single proportions, as metafor's ``rma.glmm(measure="PLO")``
fits it through ``lme4::glmer(cbind(xi, mi) ~ 1 + (1 | study), family=binomial, nAGQ=7)``.

The marginal likelihood of each study integrates its binomial likelihood over the normal random
intercept by 7-point adaptive Gauss-Hermite quadrature: the nodes are centred at the mode of the
integrand and scaled by its curvature there, as lme4 does. The estimates maximise that
likelihood over the intercept and the random-effect SD (at or above 0); the intercept's variance
is the corresponding element of the inverse Hessian of the deviance (lme4's ``vcov`` uses the
Hessian of the full parameter vector). No continuity correction is needed or applied.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

NODES = 7  # rma.glmm's default nAGQ


class GlmmFit(NamedTuple):
    beta: float  # the intercept on the logit scale
    se: float
    tau2: float
    q_lrt: float  # saturated versus common-proportion model (metafor's QE.LRT)
    loglik: float


def _log_binomial(x, n, eta, numpy):
    # log of p^x (1-p)^(n-x) with p = expit(eta), stable for large |eta|
    return x * eta - n * numpy.logaddexp(0.0, eta)


def _study_loglik(beta: float, sd: float, xs, ns, numpy, nodes, weights) -> float:
    """Σ log ∫ Bin(x | n, expit(beta + sd·u)) φ(u) du by adaptive Gauss-Hermite quadrature
    (binomial coefficients left out: they do not depend on the parameters)."""
    if sd <= 0:
        return float(numpy.sum(_log_binomial(xs, ns, beta, numpy)))
    u = numpy.zeros_like(xs, dtype=float)
    for _ in range(100):  # Newton's method for the mode of each study's integrand
        p = 1 / (1 + numpy.exp(-(beta + sd * u)))
        grad = sd * (xs - ns * p) - u
        hess = -(sd * sd * ns * p * (1 - p)) - 1
        step = grad / hess
        u = u - step
        if numpy.max(numpy.abs(step)) < 1e-12:
            break
    p = 1 / (1 + numpy.exp(-(beta + sd * u)))
    scale = 1 / numpy.sqrt(sd * sd * ns * p * (1 - p) + 1)
    # points u_i + sqrt(2) scale_i z_j; the integrand times e^{z²} against the Hermite weights
    points = u[:, None] + math.sqrt(2) * scale[:, None] * nodes[None, :]
    log_f = _log_binomial(xs[:, None], ns[:, None], beta + sd * points, numpy) - points**2 / 2
    log_terms = log_f + nodes[None, :] ** 2 + numpy.log(weights)[None, :]
    top = numpy.max(log_terms, axis=1)
    log_int = top + numpy.log(numpy.sum(numpy.exp(log_terms - top[:, None]), axis=1))
    log_int += numpy.log(math.sqrt(2) * scale) - 0.5 * math.log(2 * math.pi)
    return float(numpy.sum(log_int))


def fit_glmm(events: Sequence[int], totals: Sequence[int]) -> GlmmFit:
    """The ML fit of the random-intercept logistic model to ``events`` of ``totals``."""
    import numpy
    from scipy.optimize import minimize

    xs = numpy.asarray(events, dtype=float)
    ns = numpy.asarray(totals, dtype=float)
    nodes, weights = numpy.polynomial.hermite.hermgauss(NODES)

    def deviance(params) -> float:
        return -2 * _study_loglik(float(params[1]), abs(float(params[0])), xs, ns, numpy, nodes, weights)

    pooled = (xs.sum() + 0.5) / (ns.sum() + 1)
    start = numpy.array([0.5, math.log(pooled / (1 - pooled))])
    first = minimize(deviance, start, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000})
    best = minimize(
        deviance, numpy.abs(first.x), method="L-BFGS-B", bounds=[(0.0, None), (None, None)], options={"ftol": 1e-15}
    )
    sd, beta = (
        (abs(float(best.x[0])), float(best.x[1]))
        if best.fun <= first.fun
        else (
            abs(float(first.x[0])),
            float(first.x[1]),
        )
    )
    # tau = 0 is allowed: compare with the common-proportion fit
    beta0 = math.log(xs.sum() / (ns.sum() - xs.sum())) if 0 < xs.sum() < ns.sum() else beta
    if deviance([0.0, beta0]) < deviance([sd, beta]):
        sd, beta = 0.0, beta0
    se = _intercept_se(deviance, sd, beta, numpy)
    ll_common = float(numpy.sum(_log_binomial(xs, ns, beta0, numpy)))
    with numpy.errstate(divide="ignore", invalid="ignore"):
        saturated = numpy.where((xs > 0) & (xs < ns), xs * numpy.log(xs / ns) + (ns - xs) * numpy.log1p(-xs / ns), 0.0)
    q_lrt = max(0.0, -2 * (ll_common - float(numpy.sum(saturated))))
    return GlmmFit(beta, se, sd * sd, q_lrt, -deviance([sd, beta]) / 2)


def _intercept_se(deviance, sd: float, beta: float, numpy) -> float:
    """sqrt of 2·(H⁻¹)[β, β], H the Hessian of the deviance in (sd, β) by central differences;
    at sd = 0 (a boundary) the Hessian in β alone."""
    h = 1e-4
    if sd <= h:
        d2 = (deviance([sd, beta + h]) - 2 * deviance([sd, beta]) + deviance([sd, beta - h])) / h**2
        return math.sqrt(2 / d2)
    point = numpy.array([sd, beta])
    hessian = numpy.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            ei, ej = numpy.eye(2)[i] * h, numpy.eye(2)[j] * h
            hessian[i, j] = (
                deviance(point + ei + ej)
                - deviance(point + ei - ej)
                - deviance(point - ei + ej)
                + deviance(point - ei - ej)
            ) / (4 * h * h)
    return math.sqrt(2 * numpy.linalg.inv(hessian)[1, 1])
