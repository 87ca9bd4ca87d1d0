"""The values of a pooled analysis, and the words that go with them. No numpy here: these are
plain records, so that a command can describe a result without the stats extra loaded."""

from __future__ import annotations

from typing import NamedTuple

MEASURES = {
    "logit": "log odds (metafor PLO), back-transformed with the inverse logit",
    "ft": "Freeman-Tukey double arcsine (metafor PFT), back-transformed with Miller's harmonic-mean formula",
    "raw": "raw proportion (metafor PR)",
}
METHODS = {
    "reml": "restricted maximum likelihood (REML)",
    "dl": "DerSimonian-Laird (DL)",
    "pm": "Paule-Mandel (PM)",
    "ml": "maximum likelihood (ML)",
    "glmm": "random-intercept logistic model by maximum likelihood (GLMM, metafor rma.glmm, 7-point adaptive "
    "Gauss-Hermite quadrature)",
}
LEVELS = (90, 95, 99)

# The continuity correction of metafor's escalc (add = 1/2, to = "only0"), for logit and raw.
CORRECTION = 0.5

HK_NOTE = "Hartung-Knapp(-Sidik-Jonkman) adjustment: t distribution with k-1 df"

FT_WARNING = (
    "Freeman-Tukey back-transformation with Miller's (1978) harmonic-mean formula: meta's documentation "
    "warns that it can mislead where the studies' sizes differ widely (Schwarzer et al 2019), because one "
    "harmonic mean stands for every sample size"
)
GLMM_Q = "Q is the likelihood-ratio test of the saturated against the common-proportion logistic model"

# What every pooled output rests on (the brief's honest framing).
FRAMING = (
    "A random-effects pooling of small uncontrolled reports (case series, case reports, treated arms of trial "
    "phases; control arms never count), over the patients whose outcome is stated, across outcome "
    "definitions that differ between studies: not a recommendation and not medical advice."
)


class Input(NamedTuple):
    """One study's count: ``events`` improved of ``total`` whose outcome is stated."""

    id: str
    events: int
    total: int
    label: str = ""


class Result(NamedTuple):
    """One pooled analysis. Percentages are on the proportion scale; ``estimate``, ``se`` and the
    ``*_t`` bounds are on the measure's scale (logit, double arcsine or raw). ``tau2``, ``i2``,
    ``h2`` and the Q test are None where they cannot be estimated (fewer than two inputs)."""

    measure: str
    method: str
    hk: bool
    level: int
    inputs: tuple[Input, ...]
    yi: tuple[float, ...]  # each input on the measure's scale (continuity-corrected where needed)
    vi: tuple[float, ...]  # and its sampling variance
    weights: tuple[float, ...] | None  # percent; None for the GLMM (no inverse-variance weights)
    estimate: float | None
    se: float | None
    ci_t: tuple[float, float] | None
    pi_t: tuple[float, float] | None
    pct: float | None
    ci: tuple[float, float] | None  # percent
    pi: tuple[float, float] | None  # percent
    tau2: float | None
    i2: float | None
    h2: float | None
    q: float | None
    q_df: int | None
    q_p: float | None
    corrected: tuple[str, ...] = ()  # ids of inputs given the continuity correction
    notes: tuple[str, ...] = ()

    @property
    def k(self) -> int:
        return len(self.inputs)

    @property
    def events(self) -> int:
        return sum(i.events for i in self.inputs)

    @property
    def total(self) -> int:
        return sum(i.total for i in self.inputs)

    @property
    def estimable(self) -> bool:
        return self.estimate is not None

    @property
    def tau(self) -> float | None:
        return None if self.tau2 is None else self.tau2**0.5


class Subgroups(NamedTuple):
    """The test for subgroup differences: Q between the groups' pooled estimates (fixed effect
    over the separate fits, on the measure's scale), its df and p; which groups it compares."""

    q: float | None
    df: int | None
    p: float | None
    groups: tuple[str, ...]
