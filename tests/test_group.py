"""Crude tallies per group: ``group_studies`` directly and ``calcinosis group`` through click.

The bundled dataset prints 18 rows of 16 studies and 71 patients. 66 of them received a
treatment: Berger 1987's phase II prints a placebo arm of 4 and accounts for 7 of its 8, so 4
are controls and 1 is in no arm; neither ever counts as treated. The one tally printed across
two rows (etidronate, "5/6 Progression*" over 3 + 3 patients) counts once, and only in a group
that holds both of its rows; elsewhere its patients count as not stated and the group says why.
"""

from __future__ import annotations

import json

import pytest
import tablehelp
from clihelp import ok, run
from markdown_it import MarkdownIt

from calcinosis_cli import model
from calcinosis_cli.analysis.rows import machine_columns
from calcinosis_cli.analysis.select import Filters, studies_matching
from calcinosis_cli.analysis.tally import (
    COUNT_COLUMNS,
    GROUP_BY,
    GROUP_COLUMNS,
    HUMAN_GROUP_COLUMNS,
    SPLIT_CAVEAT,
    group_order,
    group_studies,
    total_row,
)
from calcinosis_cli.dataset.load import load_dataset

TOTAL_N = 71
TREATED = 66  # 71 less Berger phase II's placebo arm (4) and its patient in no arm (1)
ETIDRONATE = ("metzger1974-etidronate-10mgkg", "metzger1974-etidronate-20mgkg")
OUTCOME_COLUMNS = model.OUTCOMES


def group_json(*args: str) -> list[dict]:
    return json.loads(ok("group", "--format", "json", *args))


def by_name(rows: list[dict]) -> dict[str, dict]:
    return {str(r["group"]): r for r in rows}


def markdown_cells(text: str) -> list[list[str]]:
    """The cells of a GFM pipe table, as the reader sees them (escapes resolved)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert any(t.type == "table_open" for t in tokens), text
    cells: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            cells.append([])
        elif token.type == "inline":
            cells[-1].append("".join(child.content for child in token.children or []))
    return cells


@pytest.fixture(scope="module")
def ds() -> model.Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def treatment_rows(ds) -> dict[str, dict]:
    return by_name(group_studies(ds, ds.studies, "treatment"))


def treated(ds, studies) -> int:
    return sum(arm.n for s in studies for arm in ds.treated_arms(s))


def check_consistent(ds, rows, studies) -> None:
    """Outcomes add up to patients in every group, and patients to the treated patients."""
    for row in rows:
        assert sum(int(row[c]) for c in OUTCOME_COLUMNS) == row["patients"], row
    assert sum(int(r["patients"]) for r in rows) == treated(ds, studies)


# --- by treatment ----------------------------------------------------------------------------


def test_dataset_has_71_patients(ds):
    assert sum(s.n for s in ds.studies) == TOTAL_N
    assert len(ds.studies) == 18


def test_treatment_patients_are_those_who_received_it(ds, treatment_rows):
    assert set(treatment_rows) == {s.treatment for s in ds.studies}
    for name, row in treatment_rows.items():
        members = [s for s in ds.studies if s.treatment == name]
        assert row["rows"] == len(members)
        assert row["studies"] == len({s.reference for s in members})
        assert row["patients"] == treated(ds, members)


def test_treatment_outcomes_add_up_and_every_patient_is_accounted_for(ds, treatment_rows):
    rows = list(treatment_rows.values())
    check_consistent(ds, rows, ds.studies)
    assert sum(int(r["patients"]) for r in rows) == TREATED
    placebo = sum(arm.n for s in ds.studies for arm in s.arms if arm.received not in ds.treatments)
    unassigned = sum(int(r["unassigned"] or 0) for r in rows)
    assert (placebo, unassigned) == (4, 1)
    assert TREATED + placebo + unassigned == TOTAL_N
    assert sum(int(r["rows"]) for r in rows) == 18


def test_warfarin_tally(treatment_rows):
    # Berger phase I (4) + phase II's treatment group (3) + Lassoued (6) + Yoshida (1) + the series (3).
    row = treatment_rows["warfarin"]
    assert {k: row[k] for k in ("studies", "rows", *COUNT_COLUMNS, "improved_pct", "unassigned")} == {
        "studies": 4,
        "rows": 5,
        "patients": 17,
        "improved": 7,
        "unchanged": 4,
        "worsened": 5,
        "not_improved": 1,  # Berger phase II's third treated patient: "2/3 ... had improvement"
        "not_stated": 0,
        "improved_pct": 41.2,
        "unassigned": 1,
    }
    # Phase I and phase II may share patients: the total says so rather than adding silently.
    assert (
        row["caveat"]
        == "berger1987: phase I and phase II are phases of one trial and may share patients; both are added"
    )


def test_minocycline_says_its_tally_is_one_reading(treatment_rows):
    row = treatment_rows["minocycline"]
    assert (row["improved"], row["not_stated"]) == (8, 1)
    assert "another reading gives 9 improved" in row["caveat"]


def test_etidronate_pooled_tally_counts_once(treatment_rows):
    row = treatment_rows["etidronate"]
    assert (row["studies"], row["rows"], row["patients"]) == (1, 2, 6)
    assert (row["improved"], row["unchanged"], row["worsened"], row["not_improved"], row["not_stated"]) == (
        0,
        0,
        5,
        0,
        1,
    )
    assert row["improved_pct"] == 0.0
    assert row["caveat"] is None


def test_improved_pct_is_improved_over_stated(treatment_rows):
    for row in treatment_rows.values():
        stated = row["improved"] + row["unchanged"] + row["worsened"] + row["not_improved"]
        if stated:
            assert row["improved_pct"] == round(100 * row["improved"] / stated, 1)
        else:
            assert row["improved_pct"] is None


def test_treatment_later_marks(treatment_rows):
    assert treatment_rows["warfarin"]["later"] == "Traineau 2020 (IB)"
    # The statement names bisphosphonates, a class: the mark says it is about the class.
    assert treatment_rows["etidronate"]["later"] == "Traineau 2020 (IV, class)"
    assert treatment_rows["alendronate"]["later"] == "Traineau 2020 (IV, class)"
    assert treatment_rows["diltiazem"]["later"] == "Traineau 2020 (IV)"  # named by the statement
    # Its statement is about juvenile dermatomyositis; Maillard 2002's myositis is broader.
    assert treatment_rows["anti-TNF"]["later"] == "Traineau 2020 (IV, class, JDM only)"
    assert treatment_rows["minocycline"]["later"] is None


# --- by diagnosis ----------------------------------------------------------------------------


def test_diagnosis_splits_etidronate_and_counts_it_as_not_stated(ds):
    rows = group_studies(ds, ds.studies, "diagnosis")
    check_consistent(ds, rows, ds.studies)
    groups = by_name(rows)
    derm, scl = groups["dermatomyositis"], groups["scleroderma"]
    # dermatomyositis alone holds only the 10 mg/kg etidronate row.
    assert (derm["studies"], derm["rows"], derm["patients"], derm["worsened"], derm["not_stated"]) == (1, 1, 3, 0, 3)
    assert derm["caveat"] == SPLIT_CAVEAT
    # Scleroderma also holds minocycline, whose tally is one of two readings.
    assert (
        scl["caveat"] == SPLIT_CAVEAT + "; robertson2003-minocycline is counted as read in its tally; "
        "another reading gives 9 improved"
    )
    # No other group is affected by the split.
    assert [g for g, r in groups.items() if SPLIT_CAVEAT in (r["caveat"] or "")] == ["dermatomyositis", "scleroderma"]
    # The 5 worsened of the pooled etidronate tally drop out: only Lassoued (5) and Vayssairat (3) remain.
    assert sum(int(r["worsened"]) for r in rows) == 8
    assert sum(int(r["not_stated"]) for r in rows) == 8
    # The Total counts the groups shown again as one group: there both rows are in, and count once.
    total = total_row(rows, by="diagnosis", ds=ds)
    assert (total["patients"], total["worsened"], total["not_stated"]) == (66, 13, 3)
    assert SPLIT_CAVEAT not in (total["caveat"] or "")


def test_diagnosis_two_diagnoses_form_their_own_group(ds):
    groups = by_name(group_studies(ds, ds.studies, "diagnosis"))
    both = groups["dermatomyositis + scleroderma"]
    assert (both["studies"], both["patients"]) == (2, 10)
    assert (both["improved"], both["unchanged"], both["worsened"]) == (2, 3, 5)
    none = groups["(not stated)"]  # Hudson 1974 (1) and Berger phase II's treatment group (3)
    assert (none["studies"], none["patients"], none["unassigned"]) == (2, 4, 1)


def test_diagnosis_totals_still_66_through_cli():
    rows = group_json("--by", "diagnosis")
    assert sum(r["patients"] for r in rows) == TREATED
    assert sum(sum(r[o] for o in model.OUTCOMES) for r in rows) == TREATED
    assert by_name(rows)["dermatomyositis"]["caveat"] == SPLIT_CAVEAT


# --- a filter that selects one etidronate row -------------------------------------------------


def test_filter_selecting_one_etidronate_row_drops_the_pooled_tally(ds):
    studies = studies_matching(ds, Filters(diagnoses=("dermatomyositis",)))
    chosen = [s.id for s in studies if s.treatment == "etidronate"]
    assert chosen == [ETIDRONATE[0]]
    rows = group_studies(ds, studies, "treatment")
    check_consistent(ds, rows, studies)
    row = by_name(rows)["etidronate"]
    assert (row["studies"], row["patients"], row["worsened"], row["not_stated"]) == (1, 3, 0, 3)
    assert row["improved_pct"] is None
    assert row["caveat"] == SPLIT_CAVEAT


def test_filter_selecting_one_etidronate_row_through_cli():
    rows = by_name(group_json("--by", "treatment", "--diagnosis", "dermatomyositis", "--quiet"))
    assert rows["etidronate"]["not_stated"] == 3
    assert rows["etidronate"]["worsened"] == 0
    assert rows["etidronate"]["caveat"] == SPLIT_CAVEAT
    assert all(r["caveat"] is None for g, r in rows.items() if g != "etidronate")


def test_sub_row_alone_also_counts_as_not_stated(ds):
    studies = [ds.study(ETIDRONATE[1])]
    (row,) = group_studies(ds, studies, "treatment")
    assert (row["patients"], row["worsened"], row["not_stated"], row["caveat"]) == (3, 0, 3, SPLIT_CAVEAT)


def test_both_etidronate_rows_selected_keep_the_tally(ds):
    studies = [ds.study(i) for i in ETIDRONATE]
    (row,) = group_studies(ds, studies, "treatment")
    assert (row["patients"], row["worsened"], row["not_stated"], row["caveat"]) == (6, 5, 1, None)


# --- the other groupings ----------------------------------------------------------------------


def test_by_class(ds):
    rows = group_studies(ds, ds.studies, "class")
    check_consistent(ds, rows, ds.studies)
    groups = by_name(rows)
    assert set(groups) <= set(ds.classes)
    bis = groups["bisphosphonate"]
    # Both etidronate rows are bisphosphonates, so their pooled tally counts; Metzger is one study.
    assert (bis["studies"], bis["rows"], bis["patients"]) == (3, 4, 8)
    assert (bis["improved"], bis["worsened"], bis["not_stated"]) == (2, 5, 1)
    assert bis["caveat"] is None
    assert bis["later"] == "Traineau 2020 (IV, class)"
    assert groups["vitamin K antagonist"]["later"] == "Traineau 2020 (IB)"
    assert groups["procedure"]["patients"] == 13
    assert groups["procedure"]["later"] is None


def test_by_design(ds):
    rows = group_studies(ds, ds.studies, "design")
    check_consistent(ds, rows, ds.studies)
    groups = by_name(rows)
    assert set(groups) == set(model.DESIGNS)
    assert {g: (r["studies"], r["rows"], r["patients"]) for g, r in groups.items()} == {
        "case report": (6, 6, 6),
        "case series": (9, 10, 53),
        "uncontrolled trial phase": (1, 1, 4),
        "placebo-controlled trial": (1, 1, 3),
    }
    assert groups["case series"]["worsened"] == 13


def test_by_decade(ds):
    rows = sorted(group_studies(ds, ds.studies, "decade"), key=lambda r: group_order("decade")(r["group"]))
    check_consistent(ds, rows, ds.studies)
    assert [(r["group"], r["studies"], r["rows"], r["patients"]) for r in rows] == [
        ("1970s", 3, 4, 14),
        ("1980s", 3, 4, 14),  # Berger's 4 + 3 treated, Lassoued 6, Hazen 1
        ("1990s", 4, 4, 20),
        ("2000s", 6, 6, 18),
    ]


def test_by_reference(ds):
    rows = group_studies(ds, ds.studies, "reference")
    check_consistent(ds, rows, ds.studies)
    groups = by_name(rows)
    assert len(groups) == len({s.reference for s in ds.studies}) == 16
    berger = groups["Berger et al (1987)"]
    assert (berger["studies"], berger["rows"], berger["patients"], berger["unassigned"]) == (1, 2, 7, 1)
    metzger = groups["Metzger et al (1974)"]
    assert (metzger["patients"], metzger["worsened"], metzger["not_stated"], metzger["caveat"]) == (6, 5, 1, None)
    assert "Cukierman et al (2004)" in groups


def test_by_outcome(ds):
    rows = group_studies(ds, ds.studies, "outcome")
    assert [r["group"] for r in rows] == list(model.OUTCOMES)
    groups = by_name(rows)
    assert {g: r["patients"] for g, r in groups.items()} == {
        "improved": 35,
        "unchanged": 13,
        "worsened": 13,
        "not_improved": 2,  # Berger phase II's third treated patient, Mendelson's seventh
        "not_stated": 3,
    }
    for name, row in groups.items():
        # Each outcome group holds only its own outcome.
        assert row[name] == row["patients"]
        assert sum(int(row[c]) for c in OUTCOME_COLUMNS) == row["patients"]
    assert sum(int(r["patients"]) for r in rows) == TREATED
    # The pooled etidronate tally is one study among the three with someone worsened.
    assert groups["worsened"]["studies"] == 3


def test_by_outcome_with_one_etidronate_row_counts_it_not_stated(ds):
    studies = [ds.study(ETIDRONATE[0])]
    groups = by_name(group_studies(ds, studies, "outcome"))
    assert groups["worsened"]["patients"] == 0
    assert (groups["not_stated"]["studies"], groups["not_stated"]["patients"]) == (1, 3)


@pytest.mark.parametrize("by", GROUP_BY)
def test_every_grouping_totals_the_treated_patients_through_cli(by):
    rows = group_json("--by", by)
    assert rows, by
    assert sum(r["patients"] for r in rows) == TREATED
    for row in rows:
        assert list(row) == machine_columns(GROUP_COLUMNS)
        assert sum(row[o] for o in model.OUTCOMES) == row["patients"]


def test_group_studies_rejects_an_unknown_field(ds):
    with pytest.raises(ValueError, match="cannot group by 'colour'"):
        group_studies(ds, ds.studies, "colour")


def test_unknown_by_exits_2():
    result = run("group", "--by", "colour")
    assert result.exit_code == 2
    assert "colour" in result.stderr
    assert "treatment" in result.stderr


def test_missing_by_exits_2():
    result = run("group")
    assert result.exit_code == 2
    assert "--by" in result.stderr


def test_empty_selection_gives_no_groups(ds):
    assert group_studies(ds, [], "treatment") == []
    assert group_json("--by", "treatment", "--min-n", "1000") == []


def test_empty_selection_table_has_no_total_row():
    lines = ok("group", "--by", "treatment", "--min-n", "1000", "--format", "plain").splitlines()
    assert len(lines) == 1
    assert lines[0].split() == list(HUMAN_GROUP_COLUMNS)


# --- output ------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", GROUP_BY)
def test_markdown_ends_with_a_total_row_of_column_sums(by):
    cells = markdown_cells(ok("group", "--by", by, "--format", "markdown"))
    header, body, total = cells[0], cells[1:-1], cells[-1]
    assert header == list(HUMAN_GROUP_COLUMNS)
    assert total[0] == "Total"
    assert [row[0] for row in body] == [r["group"] for r in group_json("--by", by)]
    for column in COUNT_COLUMNS:
        i = header.index(column)
        if by == "diagnosis" and column in ("worsened", "not_stated"):
            # The etidronate rows fall in two diagnosis groups, so each counts them as not stated;
            # the Total holds both rows and counts their printed "5/6 Progression" once.
            assert int(total[i]) == sum(int(row[i]) for row in body) + (5 if column == "worsened" else -5), column
            continue
        assert int(total[i]) == sum(int(row[i]) for row in body), column
    assert int(total[header.index("patients")]) == TREATED
    # A study or row in several groups counts once in the total: at most the sum, at least the largest.
    for column in ("studies", "rows"):
        i = header.index(column)
        values = [int(row[i]) for row in body]
        assert max(values) <= int(total[i]) <= sum(values), column
    assert int(total[header.index("studies")]) == 16


def test_total_row_improved_pct_is_of_the_sums():
    cells = markdown_cells(ok("group", "--by", "treatment", "--format", "markdown"))
    header, total = cells[0], cells[-1]
    value = {c: total[header.index(c)] for c in header}
    caveat = value.pop("caveat")
    assert value == {
        "group": "Total",
        "studies": "16",
        "rows": "18",
        "patients": "66",
        "improved": "35",
        "unchanged": "13",
        "worsened": "13",
        "not_improved": "2",
        "not_stated": "3",
        "improved_ci": f"{round(100 * 35 / (35 + 13 + 13 + 2), 1)} (42.5–68.1)",
        "unassigned": "1",
        "later": "",
    }
    # The Total points to the caveats of the rows, as notes under the table, each printed once.
    text = ok("group", "--by", "treatment", "--format", "markdown")
    notes = [p for p in text.split("\n\n")[1:] if p.strip()]
    assert caveat == "(a–c)"
    assert [n[:4] for n in notes] == ["(a) ", "(b) ", "(c) "]
    assert any("phases of one trial and may share patients" in n for n in notes)
    assert any("another reading gives 9 improved" in n for n in notes)


def plain_table(text: str) -> list[str]:
    """The table lines of plain output: what comes before the notes under it."""
    return text.split("\n\n")[0].splitlines()


def test_plain_ends_with_a_total_row():
    lines = plain_table(ok("group", "--by", "design", "--format", "plain"))
    assert lines[0].split()[:4] == ["group", "studies", "rows", "patients"]
    assert lines[-1].split()[:4] == ["Total", "16", "18", "66"]
    assert len(lines) == 1 + len(model.DESIGNS) + 1


def test_table_format_without_a_terminal_is_a_table_with_total():
    table = ok("group", "--by", "design", "--format", "table", env={"COLUMNS": "160"})
    assert tablehelp.header(table)[0] == "group" and "\x1b[" not in table
    assert [cells[0] for cells in tablehelp.table_lines(table) if cells[0]][-1] == "Total"
    assert plain_table(ok("group", "--by", "design", "--format", "plain"))[-1].startswith("Total")


def test_total_row_function(ds):
    rows = group_studies(ds, ds.studies, "treatment")
    total = total_row(rows)
    assert total["group"] == "Total"
    for column in COUNT_COLUMNS:
        assert total[column] == sum(int(r[column]) for r in rows)
    assert (total["studies"], total["rows"]) == (16, 18)
    by_outcome = total_row(group_studies(ds, ds.studies, "outcome"))
    assert (by_outcome["studies"], by_outcome["patients"]) == (16, 66)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv"])
def test_machine_formats_have_no_total_row(fmt):
    out = ok("group", "--by", "treatment", "--format", fmt)
    assert "Total" not in out


def test_json_one_object_per_group_with_the_group_columns():
    rows = group_json("--by", "treatment")
    assert len(rows) == 10
    assert len({r["group"] for r in rows}) == 10
    for row in rows:
        assert list(row) == machine_columns(GROUP_COLUMNS)
    # Default order is by name, case-folded.
    assert [r["group"] for r in rows] == sorted((r["group"] for r in rows), key=str.casefold)


def test_sort_patients_reverse():
    rows = group_json("--by", "treatment", "--sort", "patients", "--reverse")
    patients = [r["patients"] for r in rows]
    assert patients == sorted(patients, reverse=True)
    assert rows[0]["group"] == "warfarin"
    lines = plain_table(ok("group", "--by", "treatment", "--sort", "patients", "--reverse", "--format", "plain"))
    assert lines[1].startswith("warfarin")
    assert lines[-1].startswith("Total")


def test_sort_by_unknown_column_exits_2():
    result = run("group", "--by", "treatment", "--sort", "level")
    assert result.exit_code == 2
    assert "level" in result.stderr


def test_limit_then_total_sums_the_shown_rows():
    cells = markdown_cells(
        ok("group", "--by", "treatment", "--sort", "patients", "--reverse", "--limit", "2", "--format", "markdown")
    )
    assert [row[0] for row in cells[1:]] == ["warfarin", "diltiazem", "Total"]
    header = cells[0]
    assert cells[-1][header.index("patients")] == str(17 + 13)
    assert cells[-1][header.index("studies")] == str(4 + 2)


def test_no_later_evidence_drops_the_later_column():
    plain = ok("group", "--by", "treatment", "--format", "plain", "--no-later-evidence")
    assert "later" not in plain.splitlines()[0].split()
    assert "Traineau" not in plain
    assert "later" in ok("group", "--by", "treatment", "--format", "plain").splitlines()[0].split()
    for row in group_json("--by", "treatment", "--no-later-evidence"):
        assert "later" not in row
        assert list(row) == [c for c in machine_columns(GROUP_COLUMNS) if c != "later"]
    cells = markdown_cells(ok("group", "--by", "treatment", "--format", "markdown", "--no-later-evidence"))
    assert "later" not in cells[0]


def test_columns_option():
    rows = group_json("--by", "treatment", "--columns", "group,patients")
    assert rows[0] == {"group": "alendronate", "patients": 2}
    result = run("group", "--by", "treatment", "--columns", "group,nonsense")
    assert result.exit_code == 2


def test_list_columns_names_every_group_column():
    out = ok("group", "--by", "treatment", "--list-columns")
    names = [line[2:].split()[0] for line in out.splitlines() if line.startswith(("* ", "  "))]
    assert names == list(GROUP_COLUMNS)


def test_help_says_crude_tally_not_meta_analysis():
    text = " ".join(ok("group", "--help").split())
    assert "Crude tally" in text
    assert "not a meta-analysis" in text
