"""A stated non-improvement counts (dataset 1.2.0): the outcome not_improved, end to end."""

from __future__ import annotations

import json

from clihelp import ok, run

from calcinosis_cli import model


def group_json(*args: str) -> dict[str, dict]:
    return {r["group"]: r for r in json.loads(ok("group", "--format", "json", *args))}


def test_warfarin_counts_the_third_treated_patient_of_berger_phase_ii():
    warfarin = group_json("--by", "treatment")["warfarin"]
    assert (warfarin["patients"], warfarin["improved"], warfarin["not_improved"], warfarin["not_stated"]) == (
        17,
        7,
        1,
        0,
    )
    assert (warfarin["improved_pct"], warfarin["ci_low"], warfarin["ci_high"]) == (41.2, 18.4, 67.1)


def test_surgical_removal_is_six_of_seven():
    surgery = group_json("--by", "treatment")["surgical removal"]
    assert (surgery["improved"], surgery["not_improved"], surgery["not_stated"]) == (6, 1, 0)
    assert (surgery["improved_pct"], surgery["ci_low"], surgery["ci_high"]) == (85.7, 42.1, 99.6)


def test_berger_phase_ii_arms_hold_the_stated_non_improvements():
    detail = json.loads(ok("show", "berger1987-warfarin-phase-2", "--format", "json"))
    arms = {arm["label"]: arm for arm in detail["arms"]}
    assert (arms["Treatment group"]["improved"], arms["Treatment group"]["not_improved"]) == (2, 1)
    assert (arms["Placebo group"]["not_improved"], arms["Placebo group"]["not_stated"]) == (4, 0)
    assert detail["tally_covers"] == ["berger1987-warfarin-phase-2"]


def test_bottomley_keeps_poor_response_as_not_stated_and_names_the_other_reading():
    procedure = group_json("--by", "class")["procedure"]
    assert (procedure["improved"], procedure["not_improved"], procedure["not_stated"]) == (11, 1, 1)
    assert "bottomley1996-carbon-dioxide-laser is counted as read in its tally" in procedure["caveat"]
    assert "another reading gives 5 improved, 1 not improved" in procedure["caveat"]


def test_the_cross_tab_total_counts_the_etidronate_tally_once():
    lines = ok("group", "--by", "treatment", "--by", "diagnosis", "--treatment", "etidronate", "--format", "csv")
    assert "Total" not in lines  # machine formats carry the groups only
    columns = "treatment,worsened,not_stated"
    plain = ok("group", "--by", "treatment", "--by", "diagnosis", "-t", "etidronate", "-c", columns)
    total = plain.splitlines()[-1].split()
    assert total == ["Total", "5", "1"]


def test_outcome_filter_accepts_not_improved():
    rows = json.loads(ok("list", "--outcome", "not_improved", "--format", "json", "--columns", "id,not_improved"))
    assert rows == [
        {"id": "mendelson1977-surgical-removal", "not_improved": 1},
        {"id": "berger1987-warfarin-phase-2", "not_improved": 1},
    ]
    wrong = run("list", "--outcome", "not_improve")
    assert wrong.exit_code == 2 and "did you mean 'not_improved'" in wrong.stderr


def test_terms_schema_and_starter_file_know_the_outcome(tmp_path):
    assert "not_improved" in ok("terms", "outcome").split()
    schema = json.loads(ok("schema"))
    assert "not_improved" in json.dumps(schema)
    assert "not_improved" in ok("new", "-")  # the starter data file explains the field
    ok("new", str(tmp_path / "sheet.csv"))
    header = (tmp_path / "sheet.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    for outcome in model.OUTCOMES:
        assert f"tally_{outcome}" in header and f"arm1_{outcome}" in header and f"alternative_{outcome}" in header


def test_an_old_user_file_without_the_outcome_still_loads(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "studies:\n"
        "  - id: smith2024-warfarin\n    source: user\n    treatment_printed: Warfarin\n    treatment: warfarin\n"
        "    n: 4\n    reference: berger1987\n    design: case series\n"
        "    tally: {improved: 1, unchanged: 2, not_stated: 1}\n",
        encoding="utf-8",
    )
    row = json.loads(ok("--data", str(mine), "list", "--search", "smith2024", "--format", "json"))[0]
    assert (row["improved"], row["unchanged"], row["not_improved"], row["not_stated"]) == (1, 2, 0, 1)
    assert row["improved_pct"] == 33.3


def test_a_user_file_may_state_not_improved(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "studies:\n"
        "  - id: smith2024-warfarin\n    source: user\n    treatment_printed: Warfarin\n    treatment: warfarin\n"
        "    n: 4\n    reference: berger1987\n    design: case series\n"
        "    tally: {improved: 1, not_improved: 3}\n",
        encoding="utf-8",
    )
    assert ok("validate", str(mine)).startswith("ok")
    row = json.loads(ok("--data", str(mine), "list", "--search", "smith2024", "--format", "json"))[0]
    assert (row["improved"], row["not_improved"], row["improved_pct"]) == (1, 3, 25.0)
    mine.write_text(mine.read_text().replace("not_improved: 3", "not_improved: 4"), encoding="utf-8")
    bad = run("validate", str(mine))
    assert bad.exit_code == 1 and "outcomes add up to 5, which exceed N = 4" in bad.stdout + bad.stderr


def test_show_prints_no_tool_label_as_printed_text():
    text = ok("show", "cukierman2004-warfarin", "--format", "markdown")
    assert "this paper's series" not in text
    assert "Reference (printed)" not in text  # the series has no printed Reference cell
    detail = json.loads(ok("show", "cukierman2004-warfarin", "--format", "json"))
    assert detail["reference_printed"] is None
    assert detail["reference"] == "Cukierman et al (2004)"


def test_cases_json_has_origin_and_prior_treatments():
    cases = json.loads(ok("cases", "--format", "json"))
    assert [c["patient_origin_text"] for c in cases] == ["of Arab origin", "of Arab origin", "of Jewish origin"]
    assert [c["prior_treatments"] for c in cases] == [
        ["penicillamine", "calcium channel blocker", "prostacyclin analogue"],
        ["prostacyclin analogue"],
        ["penicillamine", "colchicine"],
    ]
    assert cases[2]["prior_treatments_text"].startswith("Previous attempts to treat her limited systemic sclerosis")
