"""Exact (Clopper-Pearson) intervals: the standard-library solver against scipy's beta quantiles.

scipy is a test-only dependency: an independent implementation of the same interval
(Clopper and Pearson 1934: the bounds are beta quantiles).
"""

from __future__ import annotations

import json
import math

import pytest
from clihelp import ok, run

from calcinosis_cli.stats.binomial import binomial_cdf, clopper_pearson, improved_interval

beta = pytest.importorskip("scipy.stats").beta


def reference_interval(x: int, n: int, level: float) -> tuple[float, float]:
    alpha = 1 - level
    low = 0.0 if x == 0 else float(beta.ppf(alpha / 2, x, n - x + 1))
    high = 1.0 if x == n else float(beta.ppf(1 - alpha / 2, x + 1, n - x))
    return low, high


CASES = [
    (x, n) for n in (1, 2, 3, 5, 6, 9, 13, 16, 17, 40, 61, 200, 60000) for x in sorted({0, 1, n // 3, n // 2, n - 1, n})
] + [(x, 30) for x in range(31)]  # every count of one denominator: the solver's start moves with x


@pytest.mark.parametrize("level", [0.90, 0.95, 0.99])
@pytest.mark.parametrize(("x", "n"), CASES)
def test_the_bounds_are_the_beta_quantiles(x, n, level):
    low, high = clopper_pearson(x, n, level)
    expected_low, expected_high = reference_interval(x, n, level)
    assert math.isclose(low, expected_low, abs_tol=1e-9)
    assert math.isclose(high, expected_high, abs_tol=1e-9)


@pytest.mark.parametrize("n", [1, 7, 55, 100, 101, 400])
@pytest.mark.parametrize("p", [1e-9, 0.003, 0.2, 0.5, 0.61, 0.97, 1 - 1e-9])
def test_the_binomial_cdf_is_scipys_on_both_sides_of_a_half_and_of_the_summed_sizes(n, p):
    # Up to n = 100 the CDF is a sum of terms, past it a continued fraction.
    binom = pytest.importorskip("scipy.stats").binom
    for k in sorted({0, 1, n // 4, n // 2, n - 2, n - 1}):
        if 0 <= k < n:
            assert math.isclose(binomial_cdf(k, n, p), float(binom.cdf(k, n, p)), rel_tol=1e-11, abs_tol=1e-15), k


def test_a_large_denominator_does_not_overflow():
    low, high = clopper_pearson(2500, 5000, 0.95)
    expected = reference_interval(2500, 5000, 0.95)
    assert math.isclose(low, expected[0], abs_tol=1e-9) and math.isclose(high, expected[1], abs_tol=1e-9)


def test_the_extremes_and_no_denominator():
    assert improved_interval(0, 0) is None  # nothing stated: no estimate, not 0
    nothing = improved_interval(0, 4)
    assert (nothing.pct, nothing.low) == (0.0, 0.0) and 0 < nothing.high < 100
    everything = improved_interval(4, 4)
    assert (everything.pct, everything.high) == (100.0, 100.0) and 0 < everything.low < 100
    with pytest.raises(ValueError):
        clopper_pearson(5, 4)


def test_two_of_two_and_five_of_six_read_differently():
    # The point estimate alone puts 2 of 2 above 5 of 6; the intervals show how little it says.
    two, five = improved_interval(2, 2), improved_interval(5, 6)
    assert two.pct > five.pct
    assert two.low < five.low and two.high - two.low > five.high - five.low


def percent(value: float) -> float:
    return round(100 * value, 1)


@pytest.mark.parametrize("level", ["90", "95", "99"])
def test_group_json_carries_the_exact_interval(level):
    rows = json.loads(ok("group", "--by", "treatment", "--format", "json", "--level", level))
    for row in rows:
        stated = row["improved"] + row["unchanged"] + row["worsened"] + row["not_improved"]
        if not stated:
            assert row["improved_pct"] is row["ci_low"] is row["ci_high"] is row["ci_level"] is None
            continue
        low, high = reference_interval(row["improved"], stated, int(level) / 100)
        assert (row["ci_low"], row["ci_high"]) == (percent(low), percent(high)), row["group"]
        assert row["ci_level"] == int(level)
        assert row["ci_low"] <= row["improved_pct"] <= row["ci_high"]
    warfarin = next(r for r in rows if r["group"] == "warfarin")
    assert warfarin["improved_pct"] == 41.2  # 7 of the 17 with a stated outcome (1 of them not improved)


def test_list_json_carries_the_exact_interval_of_each_row():
    for row in json.loads(ok("list", "--format", "json")):
        if row["improved"] is None:  # a sub-row counted in the row above's tally: no numbers of its own
            assert row["improved_pct"] is row["ci_low"] is row["ci_high"] is None
            continue
        stated = row["improved"] + row["unchanged"] + row["worsened"] + row["not_improved"]
        low, high = reference_interval(row["improved"], stated, 0.95)
        assert (row["ci_low"], row["ci_high"]) == (percent(low), percent(high)), row["id"]


def test_human_formats_show_the_interval_in_one_column():
    header, warfarin = ok("group", "--by", "treatment", "-t", "warfarin").splitlines()[:2]
    assert "improved_ci" in header.split() and "ci_low" not in header.split()
    assert "41.2 (18.4–67.1)" in warfarin


def test_an_unknown_level_is_a_usage_error_naming_the_levels():
    result = run("group", "--by", "treatment", "--level", "96")
    assert result.exit_code == 2
    assert "choose from: 90, 95, 99" in result.stderr
