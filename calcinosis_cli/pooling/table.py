"""A pooled analysis as rows and notes, for the pool command's table and the report's section:
the numbers at full precision for programs, a readable cell for people, and the notes that
say what the pooling rests on."""

from __future__ import annotations

from collections.abc import Sequence

from .model import FRAMING, FT_WARNING, MEASURES, METHODS, Result, Subgroups

NOT_ESTIMABLE = "not estimable"

POOL_COLUMNS: dict[str, str] = {
    "group": "the group's value",
    "k": "inputs pooled: study rows (treated arms) with a stated outcome",
    "events": "patients improved, summed over the inputs",
    "total": "patients with a stated outcome, summed over the inputs (the denominators)",
    "patients": "treated patients of the group, stated outcome or not",
    "pooled": "the pooled share improved and its confidence interval, in percent, to read",
    "prediction": "the prediction interval, in percent, to read",
    "heterogeneity": "tau², I² and Cochran's Q (df, p), to read; 'not estimable' with fewer than two inputs",
    "pooled_pct": "the pooled share improved, in percent (random effects, back-transformed)",
    "ci_low": "lower bound of its confidence interval, in percent",
    "ci_high": "upper bound of its confidence interval, in percent",
    "pi_low": "lower bound of the prediction interval, in percent",
    "pi_high": "upper bound of the prediction interval, in percent",
    "level": "the level of both intervals, in percent (--level)",
    "estimate": "the pooled estimate on the measure's scale (logit, double arcsine or raw)",
    "se": "its standard error (Hartung-Knapp adjusted with --hk)",
    "tau2": "between-study variance tau², on the measure's scale (null: not estimable)",
    "i2": "I², in percent (null: not estimable)",
    "h2": "H² (null: not estimable)",
    "q": "heterogeneity Q (Cochran's, inverse-variance; likelihood ratio for the GLMM)",
    "q_df": "degrees of freedom of Q (k - 1)",
    "q_p": "p value of Q",
    "q_between": "test for subgroup differences across the groups shown with two or more inputs: Q between",
    "q_between_df": "its degrees of freedom",
    "q_between_p": "its p value",
    "measure": "the measure pooled (--measure)",
    "method": "the estimator of tau² (--method)",
    "hk": "whether the Hartung-Knapp adjustment was applied (--hk)",
    "rests_on": "what the pooled figure rests on: designs of the inputs, the share of treated patients with a "
    "stated outcome",
    "caveat": "what the counts cannot say (shared patients, other readings), as group reports it",
    "framing": "what any pooled figure here rests on, and that it is not advice",
    "inputs": "json and jsonl: each input's id, events, total and weight (percent), to rerun the analysis",
}
HUMAN_POOL_COLUMNS = ("group", "k", "events", "total", "pooled", "prediction", "heterogeneity")
DISPLAY_POOL_COLUMNS = ("pooled", "prediction")
NESTED_COLUMNS = ("inputs",)  # json and jsonl only

LEAVE_ONE_OUT_COLUMNS: dict[str, str] = {
    "group": "the group's value",
    "omitted": "the input left out (its row id)",
    **{c: POOL_COLUMNS[c] for c in ("k", "events", "total", "pooled", "prediction", "heterogeneity")},
    **{c: POOL_COLUMNS[c] for c in ("pooled_pct", "ci_low", "ci_high", "pi_low", "pi_high", "level")},
    **{c: POOL_COLUMNS[c] for c in ("estimate", "se", "tau2", "i2", "h2", "q", "q_df", "q_p", "measure", "method")},
    "hk": POOL_COLUMNS["hk"],
}
HUMAN_LEAVE_ONE_OUT = ("group", "omitted", "k", "pooled", "prediction", "heterogeneity")


def interval_cell(pct: float | None, bounds: tuple[float, float] | None) -> str | None:
    """``3.6 (2.3–5.5)``, one decimal, for a person."""
    if pct is None or bounds is None:
        return None
    return f"{pct:.1f} ({bounds[0]:.1f}–{bounds[1]:.1f})"


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def heterogeneity_cell(result: Result) -> str | None:
    if not result.estimable:
        return None
    if result.tau2 is None:
        return f"{NOT_ESTIMABLE} (one input)"
    name = "LRT Q" if result.method == "glmm" else "Q"
    q = f"{name} {result.q:.2f} (df {result.q_df}, {p_text(result.q_p)})"  # type: ignore[arg-type]
    return f"tau² {result.tau2:.3g}, I² {result.i2:.1f}%, {q}"


def rests_on(designs: dict[str, int], stated: int, patients: int) -> str:
    """``2 case series, 1 case report; 12 of 15 treated patients with a stated outcome``."""
    from ..errors import plural

    kinds = ", ".join(plural(n, d, d if d.endswith("series") else None) for d, n in designs.items())
    return f"{kinds or 'no inputs'}; {stated} of {plural(patients, 'treated patient')} with a stated outcome"


def result_columns(result: Result) -> dict[str, object]:
    """The numeric and readable columns of one result."""
    return {
        "k": result.k,
        "events": result.events,
        "total": result.total,
        "pooled": interval_cell(result.pct, result.ci),
        "prediction": interval_cell(None if result.pi is None else result.pct, result.pi),
        "heterogeneity": heterogeneity_cell(result),
        "pooled_pct": result.pct,
        "ci_low": None if result.ci is None else result.ci[0],
        "ci_high": None if result.ci is None else result.ci[1],
        "pi_low": None if result.pi is None else result.pi[0],
        "pi_high": None if result.pi is None else result.pi[1],
        "level": result.level,
        "estimate": result.estimate,
        "se": result.se,
        "tau2": result.tau2,
        "i2": result.i2,
        "h2": result.h2,
        "q": result.q,
        "q_df": result.q_df,
        "q_p": result.q_p,
        "measure": result.measure,
        "method": result.method,
        "hk": result.hk,
    }


def pool_rows(groups: Sequence, subgroups: Subgroups) -> list[dict[str, object]]:
    """One row per PooledGroup (pooling/scope.py), the subgroup test on every row."""
    rows = []
    for group in groups:
        result = group.result
        row: dict[str, object] = {"group": group.name, **result_columns(result), "patients": group.patients}
        row.update(q_between=subgroups.q, q_between_df=subgroups.df, q_between_p=subgroups.p)
        row["rests_on"] = rests_on(group.designs, result.total, group.patients)
        row["caveat"] = group.caveat
        row["framing"] = FRAMING
        weights = result.weights or [None] * result.k
        row["inputs"] = [
            {"id": i.id, "events": i.events, "total": i.total, "weight": w}
            for i, w in zip(result.inputs, weights, strict=True)
        ]
        rows.append(row)
    return rows


def leave_one_out_rows(groups: Sequence) -> list[dict[str, object]]:
    """One row per group and input left out (groups with two or more inputs)."""
    from .fit import leave_one_out

    rows = []
    for group in groups:
        r = group.result
        for left, result in leave_one_out(r.inputs, r.measure, r.method, r.hk, r.level):
            rows.append({"group": group.name, "omitted": left.id, **result_columns(result)})
    return rows


def method_line(result: Result) -> str:
    """How the figures were computed, in one sentence."""
    scale = MEASURES[result.measure]
    how = f"Random-effects model, tau² by {METHODS[result.method]}, on the {scale}"
    if result.hk:
        how += "; Hartung-Knapp adjusted (t with k-1 df)" if result.method != "glmm" else "; t with k-1 df"
    interval = "normal quantiles" if not result.hk else "t quantiles"
    return (
        f"{how}. {result.level}% confidence and prediction intervals ({interval}; the prediction interval "
        "is where a new study's true share would lie, estimate ± crit·sqrt(SE² + tau²))."
    )


def group_note(group) -> str:
    """One line on what a group's figure rests on: designs, stated share, corrections, caveats."""
    result = group.result
    if result.k == 0:
        return f"{group.name}: no stated outcome; nothing to pool"
    parts = [rests_on(group.designs, result.total, group.patients)]
    if result.k == 1:
        parts.append(f"one input, reported alone: tau² and I² {NOT_ESTIMABLE}")
    if result.corrected:
        parts.append(f"1/2 added to events and non-events of {', '.join(result.corrected)} (metafor's default)")
    parts += [n for n in result.notes if n.startswith("GLMM not estimable")]
    if group.caveat:
        parts.append(group.caveat)
    return f"{group.name}: " + "; ".join(parts)


def notes(groups: Sequence, subgroups: Subgroups, measure: str, method: str, hk: bool, level: int) -> list[str]:
    """The notes under a pooled table: what it rests on, how it was computed, each group's caveats."""
    template = Result(measure, method, hk, level, (), (), (), None, *([None] * 13))
    out = [FRAMING, method_line(template)]
    out += [group_note(group) + "." for group in groups]
    general = {n for g in groups for n in g.result.notes if n == FT_WARNING}
    out += [n[0].upper() + n[1:] + "." for n in sorted(general)]
    if subgroups.q is not None:
        out.append(
            f"Test for subgroup differences (Q between the {len(subgroups.groups)} groups with two or more inputs, "
            f"from the separate fits): Q {subgroups.q:.2f}, df {subgroups.df}, {p_text(subgroups.p)}."  # type: ignore[arg-type]
        )
    return out
