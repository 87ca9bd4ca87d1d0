"""calcinosis pool against R's metafor: the committed reference values (made by
tests/fixtures/pooling/metafor_reference.R) always, and a live Rscript where R with metafor is
installed. Tolerances: 1e-6 for everything rma.uni computes (REML, ML, DL and PM, all measures, with
and without Hartung-Knapp; PM follows R's uniroot step for step, at metafor's tolerance eps^0.25);
the GLMM 1e-4 (lme4's optimiser stops there)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from calcinosis_cli.pooling import Input, leave_one_out, pool, subgroup_test
from tests.clihelp import ok, run

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pooling"
REFERENCE = json.loads((FIXTURES / "metafor_reference.json").read_text(encoding="utf-8"))
NIELWEISE = FIXTURES / "nielweise2007.yaml"
NIEL_DATA = REFERENCE["nielweise2007"]["data"]
NIEL_INPUTS = [Input(str(d["study"]), d["ci"], d["n2i"]) for d in NIEL_DATA]


def tolerance(method: str) -> float:
    return 1e-4 if method == "glmm" else 1e-6


def differences(result, fit: dict) -> dict[str, float]:
    """|ours - metafor's| for every value both report (I² on the proportion scale)."""
    pairs = {
        "estimate": (result.estimate, fit["estimate"]),
        "se": (result.se, fit["se"]),
        "ci_t": (result.ci_t, fit["ci_t"]),
        "pred": (result.pct / 100, fit["pred"]),
        "ci": ([b / 100 for b in result.ci], fit["ci"]),
    }
    if result.k > 1:
        pairs |= {
            "tau2": (result.tau2, fit["tau2"]),
            "I2": (result.i2 / 100, fit["I2"] / 100),
            "H2": (result.h2, fit["H2"]),
            "Q": (result.q, fit["Q"]),
            "Q_p": (result.q_p, fit["Q_p"]),
            "pi_t": (result.pi_t, fit["pi_t"]),
            "pi": ([b / 100 for b in result.pi], fit["pi"]),
        }
    if fit.get("weights"):
        pairs["weights"] = ([w / 100 for w in result.weights], [w / 100 for w in fit["weights"]])
    if fit.get("yi"):
        pairs["yi"], pairs["vi"] = (result.yi, fit["yi"]), (result.vi, fit["vi"])
    out = {}
    for name, (ours, theirs) in pairs.items():
        ours_list = list(ours) if isinstance(ours, (list, tuple)) else [ours]
        theirs_list = list(theirs) if isinstance(theirs, (list, tuple)) else [theirs]
        assert len(ours_list) == len(theirs_list), name
        out[name] = max(abs(a - b) for a, b in zip(ours_list, theirs_list, strict=True))
    return out


def check_fits(inputs, fits: dict, label: str) -> int:
    """Compare every fit metafor made; return how many were compared."""
    compared = 0
    for key, fit in fits.items():
        measure, method, test = key.split("/")
        result = pool(inputs, measure, method, test == "hk")
        if "error" in fit:
            # metafor cannot fit it (a GLMM whose likelihood has no maximum): neither do we
            assert method == "glmm" and not result.estimable, (label, key, fit["error"])
            continue
        if method == "glmm" and not result.estimable:
            # every input has none or all events: lme4 stops somewhere on a ridge that runs to infinity
            assert all(i.events in (0, i.total) for i in inputs), (label, key)
            assert fit["tau2"] > 100 or abs(fit["estimate"]) > 10, (label, key, fit)
            continue
        worst = {k: v for k, v in differences(result, fit).items() if v > tolerance(method)}
        assert worst == {}, (label, key, worst)
        compared += 1
    return compared


def test_nielweise_every_measure_method_and_hk():
    assert check_fits(NIEL_INPUTS, REFERENCE["nielweise2007"]["fits"], "nielweise") == 26


def test_nielweise_pm_is_within_uniroots_tolerance_of_the_exact_root():
    """metafor's PM stops at uniroot's tolerance (eps^0.25 on tau²), and so do we."""
    from calcinosis_cli.pooling.fit import UNIROOT_TOL

    for measure, fit in REFERENCE["nielweise2007"]["pm_tight"].items():
        assert abs(pool(NIEL_INPUTS, measure, "pm").tau2 - fit["tau2"]) <= UNIROOT_TOL, measure


def test_nielweise_leave_one_out():
    expected = REFERENCE["nielweise2007"]["leave1out"]
    results = [r for _left, r in leave_one_out(NIEL_INPUTS)]
    assert len(results) == 18
    for name, ours in (("estimate", "estimate"), ("se", "se"), ("tau2", "tau2"), ("Q", "q")):
        assert max(abs(getattr(r, ours) - e) for r, e in zip(results, expected[name], strict=True)) < 1e-6, name
    assert max(abs(r.i2 - e) for r, e in zip(results, expected["I2"], strict=True)) < 1e-4


def _bundled_json(by: str, *args: str) -> list[dict]:
    return json.loads(ok("pool", "--by", by, "--format", "json", *args))


@pytest.mark.parametrize("by", ["treatment", "class"])
def test_the_bundled_inputs_are_those_metafor_was_given(by):
    """The fixture's inputs are what pool reports now (else rerun the R script, see README)."""
    reported = {
        row["group"]: [{k: i[k] for k in ("id", "events", "total")} for i in row["inputs"]]
        for row in _bundled_json(by)
        if row["k"] >= 2
    }
    assert reported == REFERENCE["bundled"]["inputs"][by]


@pytest.mark.parametrize("by", ["treatment", "class"])
def test_every_bundled_group_with_two_inputs_equals_metafor(by):
    compared = 0
    for name, rows in REFERENCE["bundled"]["inputs"][by].items():
        inputs = [Input(r["id"], r["events"], r["total"]) for r in rows]
        compared += check_fits(inputs, REFERENCE["bundled"]["fits"][by][name], f"{by}:{name}")
    assert compared >= 100


@pytest.mark.parametrize("by", ["treatment", "class"])
def test_the_subgroup_test_equals_metafor(by):
    inputs = {
        name: [Input(r["id"], r["events"], r["total"]) for r in rows]
        for name, rows in REFERENCE["bundled"]["inputs"][by].items()
    }
    for key, expected in REFERENCE["bundled"]["subgroups"][by].items():
        measure, method, test = key.split("/")
        fits = [(name, pool(i, measure, method, test == "hk")) for name, i in inputs.items()]
        ours = subgroup_test(fits)
        if "error" in expected:  # a fit with SE 0 (HK on identical inputs): no test
            assert ours.q is None
            continue
        if method == "glmm" and list(ours.groups) != expected["groups"]:
            # lme4's numbers for a group whose inputs all have none or all events are not a maximum
            extra = set(expected["groups"]) - set(ours.groups)
            assert extra and all(all(i.events in (0, i.total) for i in inputs[g]) for g in extra), key
            continue
        assert list(ours.groups) == expected["groups"], key
        assert ours.df == expected["df"]
        assert abs(ours.q - expected["Q"]) < tolerance(method) and abs(ours.p - expected["p"]) < tolerance(method)


def test_the_cli_gives_the_issues_numbers():
    """The Done-when of issue 22, through the console script's command."""
    args = ("--no-bundled", "--data", str(NIELWEISE), "pool", "--by", "treatment", "--format", "json")
    [reml] = json.loads(ok(*args))
    assert reml["k"] == 18
    assert reml["events"] == sum(d["ci"] for d in NIEL_DATA) and reml["total"] == sum(d["n2i"] for d in NIEL_DATA)
    expected = {"pooled_pct": 3.55103, "ci_low": 2.25785, "ci_high": 5.54289, "pi_low": 0.69351, "pi_high": 16.25540}
    for column, value in expected.items():
        assert abs(reml[column] - value) < 5e-6, column
    assert abs(reml["tau2"] - 0.662868) < 5e-7 and abs(reml["i2"] - 74.0108) < 5e-5
    fit = REFERENCE["nielweise2007"]["fits"]["logit/reml/z"]
    assert abs(reml["tau2"] - fit["tau2"]) < 1e-6 and abs(reml["pooled_pct"] / 100 - fit["pred"]) < 1e-6
    assert [i["weight"] for i in reml["inputs"]] == pytest.approx(fit["weights"], abs=1e-6)
    [dl] = json.loads(ok(*args, "--method", "dl"))
    assert abs(dl["tau2"] - 0.755347) < 5e-7
    [glmm] = json.loads(ok(*args, "--method", "glmm"))
    assert abs(glmm["estimate"] - -3.49644) < 1e-4 and abs(glmm["tau2"] - 0.81235) < 1e-4
    assert all(i["weight"] is None for i in glmm["inputs"])


def test_a_one_input_group_is_not_estimable():
    [row] = _bundled_json("treatment", "--treatment", "minocycline")
    assert row["k"] == 1 and row["tau2"] is None and row["i2"] is None and row["h2"] is None and row["q"] is None
    assert row["heterogeneity"] == "not estimable (one input)"
    assert row["pooled_pct"] is not None
    text = ok("pool", "--treatment", "minocycline", "--format", "plain")
    assert "not estimable" in text and "tau² 0" not in text


def test_a_group_with_no_stated_outcome_is_empty():
    rows = {r["group"]: r for r in _bundled_json("diagnosis")}
    empty = rows["dermatomyositis"]
    assert empty["k"] == 0 and empty["pooled_pct"] is None and empty["inputs"] == [] and empty["tau2"] is None
    assert "no stated outcome" in ok("pool", "--by", "diagnosis", "--format", "plain")


def test_placebo_arms_are_never_inputs():
    rows = _bundled_json("treatment", "--treatment", "warfarin")
    berger = [i for i in rows[0]["inputs"] if i["id"] == "berger1987-warfarin-phase-2"]
    assert berger == [{"id": "berger1987-warfarin-phase-2", "events": 2, "total": 3, "weight": berger[0]["weight"]}]
    assert "phases of one trial and may share patients" in rows[0]["caveat"]


def test_every_format_states_what_it_rests_on():
    for fmt in ("plain", "markdown", "table"):
        text = ok("pool", "--format", fmt, env={"COLUMNS": "200"})
        assert "not medical advice" in text and "case series" in text and "stated" in text, fmt
    row = _bundled_json("treatment")[0]
    assert "not medical advice" in row["framing"] and "with a stated outcome" in row["rests_on"]
    import csv
    import io

    table = list(csv.DictReader(io.StringIO(ok("pool", "--format", "csv"))))
    assert table[0]["framing"] and "inputs" not in table[0]
    jsonl = [json.loads(line) for line in ok("pool", "--format", "jsonl").splitlines()]
    assert jsonl == _bundled_json("treatment")


def test_markdown_reads_back_as_a_table_and_a_list():
    from markdown_it import MarkdownIt

    tokens = MarkdownIt().enable("table").parse(ok("pool", "--format", "markdown"))
    assert any(t.type == "table_open" for t in tokens) and any(t.type == "ordered_list_open" for t in tokens)


def test_table_fits_a_narrow_terminal():
    text = ok("pool", "--format", "table", env={"COLUMNS": "60"})
    assert max(len(line) for line in text.splitlines()) <= 60


def test_leave_one_out_from_the_command():
    rows = json.loads(ok("pool", "--treatment", "warfarin", "--leave-one-out", "--format", "json"))
    assert [r["omitted"] for r in rows] == [
        "berger1987-warfarin-phase-1",
        "berger1987-warfarin-phase-2",
        "lassoued1988-warfarin",
        "yoshida1993-warfarin",
        "cukierman2004-warfarin",
    ]
    assert all(r["k"] == 4 for r in rows)


def test_usage_errors():
    result = run("pool", "--method", "glmm", "--measure", "ft")
    assert result.exit_code == 2 and "logit" in result.stderr
    result = run("pool", "--by", "outcome")
    assert result.exit_code == 2


def test_hk_and_level_change_the_interval():
    plain = _bundled_json("treatment", "--treatment", "warfarin")[0]
    hk = _bundled_json("treatment", "--treatment", "warfarin", "--hk", "--level", "90")[0]
    assert hk["level"] == 90 and hk["hk"] is True and hk["se"] != plain["se"]


def test_missing_stats_extra_is_one_line():
    code = (
        "import sys\n"
        "sys.modules['numpy'] = None\n"
        "sys.modules['scipy'] = None\n"
        "from calcinosis_cli.cli import main\n"
        "sys.argv = ['calcinosis', 'pool']\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "install calcinosis[stats]" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def test_list_does_not_load_pooling():
    code = (
        "import sys\n"
        "from calcinosis_cli.cli import main\n"
        "sys.argv = ['calcinosis', 'list', '--treatment', 'warfarin', '--format', 'csv']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in sys.modules if m.startswith(('numpy', 'scipy', 'calcinosis_cli.pooling'))]\n"
        "sys.stderr.write(repr(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stderr.endswith("[]"), result.stderr


def _live_reference(tmp_path) -> dict:
    if shutil.which("Rscript") is None:
        pytest.skip("Rscript is not installed")
    probe = subprocess.run(
        ["Rscript", "-e", "library(metafor); library(lme4); library(jsonlite)"], capture_output=True, timeout=120
    )
    if probe.returncode != 0:
        pytest.skip("R has no metafor, lme4 or jsonlite")
    script = FIXTURES / "metafor_reference.R"
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps(REFERENCE["bundled"]["inputs"]), encoding="utf-8")
    done = subprocess.run(["Rscript", str(script), str(inputs)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_live_metafor_agrees(tmp_path):
    live = _live_reference(tmp_path)
    assert check_fits(NIEL_INPUTS, live["nielweise2007"]["fits"], "live nielweise") == 26
    for by, groups in live["bundled"]["inputs"].items():
        for name, rows in groups.items():
            inputs = [Input(r["id"], r["events"], r["total"]) for r in rows]
            check_fits(inputs, live["bundled"]["fits"][by][name], f"live {by}:{name}")
    # and the committed fixture is what this R printed (other versions may differ in the last digits)
    if live["versions"] == REFERENCE["versions"]:
        fit, committed = (
            live["nielweise2007"]["fits"]["logit/reml/z"],
            REFERENCE["nielweise2007"]["fits"]["logit/reml/z"],
        )
        assert math.isclose(fit["tau2"], committed["tau2"], rel_tol=1e-12)


# --- the pooled forest plot and the report's pooled section ------------------------------------


def test_forest_pooled_text_shows_diamonds_weights_and_heterogeneity():
    text = ok("plot", "forest", "--pooled", "-t", "warfarin", "-t", "minocycline", env={"COLUMNS": "120"})
    assert "pooled, warfarin" in text and "prediction interval" in text and "w 31.5%" in text
    assert "Heterogeneity: k=5; tau²" in text and "Heterogeneity: k=1; not estimable (one input)" in text
    assert "crude, warfarin" not in text and "not medical advice" in text
    assert "not a meta-analysis" not in text  # the crude disclaimer gives way to the pooled one
    assert "crude, warfarin" in ok("plot", "forest", "-t", "warfarin")  # crude stays the default


def test_forest_pooled_svg_is_valid_and_shows_each_diamonds_numbers(tmp_path):
    import xml.etree.ElementTree as ET

    pytest.importorskip("matplotlib")
    svg = tmp_path / "f.svg"
    ok("plot", "forest", "--pooled", "--output", str(svg))
    tree = ET.parse(svg)
    texts = " ".join("".join(t.itertext()) for t in tree.iter("{http://www.w3.org/2000/svg}text"))
    rows = {r["group"]: r for r in _bundled_json("treatment")}
    for name, row in rows.items():
        if row["k"]:
            assert f"pooled, {name}" in texts
            assert f"{row['pooled_pct']:.1f}% ({row['ci_low']:.1f}–{row['ci_high']:.1f})" in texts, name
    warfarin = rows["warfarin"]
    assert f"prediction interval {warfarin['pi_low']:.1f}–{warfarin['pi_high']:.1f}%" in texts
    assert "Heterogeneity: k=5" in texts and "w 31.5%" in texts
    again = tmp_path / "g.svg"
    ok("plot", "forest", "--pooled", "--output", str(again))
    assert svg.read_bytes() == again.read_bytes()


@pytest.mark.parametrize("suffix", [".png", ".pdf"])
def test_forest_pooled_png_and_pdf(tmp_path, suffix):
    pytest.importorskip("matplotlib")
    path = tmp_path / f"f{suffix}"
    ok("plot", "forest", "--pooled", "--method", "dl", "--output", str(path))
    assert path.read_bytes()[:4] in (b"\x89PNG", b"%PDF")


def test_report_pooled_section_reads_back():
    from markdown_it import MarkdownIt

    text = ok("report", "--pooled", "--date", "2024-01-01", "-t", "warfarin", "-t", "diltiazem", "--format", "markdown")
    assert "## Pooled share improved by treatment (random effects)" in text
    assert "not medical advice" in text.split("## Pooled share")[1]
    assert "51.1 (25.8–75.9)" in text
    tokens = MarkdownIt().enable("table").parse(text)
    assert sum(t.type == "table_open" for t in tokens) >= 3
    assert "## Pooled share" not in ok("report", "--date", "2024-01-01", "-t", "warfarin", "--format", "markdown")


def test_report_pooled_html_parses():
    html5lib = pytest.importorskip("html5lib")
    pytest.importorskip("matplotlib")
    page = ok("report", "--pooled", "--date", "2024-01-01", "-t", "warfarin", "--format", "html")
    html5lib.HTMLParser(strict=True).parse(page)
    assert "Pooled share improved by treatment" in page and "pooled, warfarin" in page


def test_pool_studies_for_one_scope():
    """The core call the Summary of Findings and GRADE use: one scope of rows, one pooled result."""
    from calcinosis_cli.dataset.load import load_dataset
    from calcinosis_cli.pooling import pool_groups, pool_studies

    ds = load_dataset()
    warfarin = [s for s in ds.studies if s.treatment == "warfarin"]
    one = pool_studies(ds, warfarin)
    [group] = [g for g in pool_groups(ds, warfarin, "treatment")]
    assert one == group.result and one.k == 5
