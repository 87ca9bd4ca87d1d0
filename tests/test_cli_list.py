"""``calcinosis list`` through click: every filter, every format, exit codes 0/1/2."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
import tablehelp
from clihelp import ok, run
from markdown_it import MarkdownIt

from calcinosis_cli import __version__
from calcinosis_cli.analysis import rows as table_rows
from calcinosis_cli.cli import environment, main

WARFARIN = [
    "berger1987-warfarin-phase-1",
    "berger1987-warfarin-phase-2",
    "lassoued1988-warfarin",
    "yoshida1993-warfarin",
    "cukierman2004-warfarin",
]
BISPHOSPHONATES = [
    "metzger1974-etidronate-10mgkg",
    "metzger1974-etidronate-20mgkg",
    "mukamel2001-alendronate",
    "oliveira2003-alendronate",
]
ALL_IDS = [
    "metzger1974-etidronate-10mgkg",
    "metzger1974-etidronate-20mgkg",
    "mukamel2001-alendronate",
    "oliveira2003-alendronate",
    "hudson1974-aluminium-hydroxide",
    "mendelson1977-surgical-removal",
    "bottomley1996-carbon-dioxide-laser",
    "hazen1982-intralesional-adrenal-steroids",
    "dolan1995-diltiazem",
    "vaysairat1998-diltiazem",
    "robertson2003-minocycline",
    "berger1987-warfarin-phase-1",
    "berger1987-warfarin-phase-2",
    "lassoued1988-warfarin",
    "yoshida1993-warfarin",
    "maillard2002-anti-tnf",
    "maillard2001-anti-tnf",
    "cukierman2004-warfarin",
]


def ids(*args: str) -> list[str]:
    return [row["id"] for row in json.loads(ok("list", "--quiet", "--format", "json", "--columns", "id", *args))]


def as_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(as_cell(v) for v in value)
    return str(value)


@pytest.fixture(scope="module")
def json_rows() -> list[dict]:
    return json.loads(ok("list", "--format", "json"))


# --- filters -----------------------------------------------------------------------------------


def test_no_filter_lists_every_study():
    assert ids() == ALL_IDS


@pytest.mark.parametrize("name", ["warfarin", "Warfarin", "WARFARIN", "coumadin", "Coumadin"])
def test_treatment_name_or_alias_any_case(name):
    assert ids("--treatment", name) == WARFARIN


@pytest.mark.parametrize("name", ["bisphosphonate", "Bisphosphonate"])
def test_treatment_class(name):
    assert ids("-t", name) == BISPHOSPHONATES


@pytest.mark.parametrize("name", ["CO2 laser", "co2 LASER", "carbon dioxide laser"])
def test_treatment_co2_laser(name):
    assert ids("-t", name) == ["bottomley1996-carbon-dioxide-laser"]


def test_repeated_treatment_ors():
    assert ids("-t", "diltiazem", "-t", "minocycline") == [
        "dolan1995-diltiazem",
        "vaysairat1998-diltiazem",
        "robertson2003-minocycline",
    ]
    assert ids("-t", "warfarin", "-t", "coumadin") == WARFARIN


def test_different_filters_and():
    assert ids("-t", "warfarin", "--max-n", "4") == [
        "berger1987-warfarin-phase-1",
        "yoshida1993-warfarin",
        "cukierman2004-warfarin",
    ]
    assert ids("-t", "warfarin", "-d", "scleroderma", "--design", "case report") == ["yoshida1993-warfarin"]


def test_diagnosis_normalised_term():
    assert ids("--diagnosis", "systemic sclerosis") == [
        "bottomley1996-carbon-dioxide-laser",
        "cukierman2004-warfarin",
    ]
    assert ids("-d", "scleroderma") == [
        "metzger1974-etidronate-20mgkg",
        "mendelson1977-surgical-removal",
        "bottomley1996-carbon-dioxide-laser",
        "hazen1982-intralesional-adrenal-steroids",
        "dolan1995-diltiazem",
        "vaysairat1998-diltiazem",
        "robertson2003-minocycline",
        "berger1987-warfarin-phase-1",
        "lassoued1988-warfarin",
        "yoshida1993-warfarin",
        "cukierman2004-warfarin",
    ]


def test_diagnosis_alias_ssc():
    assert ids("-d", "SSc") == ["bottomley1996-carbon-dioxide-laser", "cukierman2004-warfarin"]


def test_diagnosis_printed_cell_text():
    assert ids("-d", "Juvenile dermatomyositis") == [
        "mukamel2001-alendronate",
        "oliveira2003-alendronate",
        "maillard2001-anti-tnf",
    ]


def test_diagnosis_printed_cell_with_two_diagnoses():
    assert ids("-d", "Dermatomyositis Scleroderma") == ["berger1987-warfarin-phase-1", "lassoued1988-warfarin"]


def test_dermatomyositis_finds_juvenile_dermatomyositis():
    found = ids("-d", "dermatomyositis")
    assert found == [
        "metzger1974-etidronate-10mgkg",
        "mukamel2001-alendronate",
        "oliveira2003-alendronate",
        "berger1987-warfarin-phase-1",
        "lassoued1988-warfarin",
        "maillard2001-anti-tnf",
    ]
    assert set(ids("-d", "juvenile dermatomyositis")) < set(found)


def test_outcome_improved():
    assert ids("--outcome", "improved") == [
        "mukamel2001-alendronate",
        "oliveira2003-alendronate",
        "mendelson1977-surgical-removal",
        "bottomley1996-carbon-dioxide-laser",
        "hazen1982-intralesional-adrenal-steroids",
        "dolan1995-diltiazem",
        "vaysairat1998-diltiazem",
        "robertson2003-minocycline",
        "berger1987-warfarin-phase-1",
        "berger1987-warfarin-phase-2",
        "yoshida1993-warfarin",
        "maillard2002-anti-tnf",
        "cukierman2004-warfarin",
    ]


def test_outcome_unchanged():
    assert ids("--outcome", "unchanged") == [
        "hudson1974-aluminium-hydroxide",
        "vaysairat1998-diltiazem",
        "berger1987-warfarin-phase-1",
        "lassoued1988-warfarin",
        "maillard2001-anti-tnf",
        "cukierman2004-warfarin",
    ]


def test_outcome_worsened_includes_the_spanning_etidronate_sub_row():
    assert ids("--outcome", "worsened") == [
        "metzger1974-etidronate-10mgkg",
        "metzger1974-etidronate-20mgkg",
        "vaysairat1998-diltiazem",
        "lassoued1988-warfarin",
    ]


def test_repeated_outcomes_or():
    assert ids("--outcome", "worsened", "--outcome", "unchanged", "-t", "warfarin") == [
        "berger1987-warfarin-phase-1",
        "lassoued1988-warfarin",
        "cukierman2004-warfarin",
    ]


def test_design():
    assert ids("--design", "placebo-controlled trial") == ["berger1987-warfarin-phase-2"]
    assert ids("--design", "uncontrolled trial phase") == ["berger1987-warfarin-phase-1"]
    assert ids("--design", "open trial phase") == ["berger1987-warfarin-phase-1"]  # the old name, an alias
    assert ids("--design", "case report") == [
        "mukamel2001-alendronate",
        "oliveira2003-alendronate",
        "hudson1974-aluminium-hydroxide",
        "hazen1982-intralesional-adrenal-steroids",
        "dolan1995-diltiazem",
        "yoshida1993-warfarin",
    ]


def test_min_n_and_max_n():
    assert ids("--min-n", "7") == [
        "mendelson1977-surgical-removal",
        "vaysairat1998-diltiazem",
        "robertson2003-minocycline",
        "berger1987-warfarin-phase-2",
    ]
    assert ids("--min-n", "6", "--max-n", "6") == ["bottomley1996-carbon-dioxide-laser", "lassoued1988-warfarin"]
    assert ids("--max-n", "1") == ids("--design", "case report")


def test_year_from_and_year_to():
    assert ids("--year-from", "2001") == [
        "mukamel2001-alendronate",
        "oliveira2003-alendronate",
        "robertson2003-minocycline",
        "maillard2002-anti-tnf",
        "maillard2001-anti-tnf",
        "cukierman2004-warfarin",
    ]
    assert ids("--year-to", "1977") == [
        "metzger1974-etidronate-10mgkg",
        "metzger1974-etidronate-20mgkg",
        "hudson1974-aluminium-hydroxide",
        "mendelson1977-surgical-removal",
    ]
    assert ids("--year-from", "1987", "--year-to", "1988") == WARFARIN[:3]


@pytest.mark.parametrize("author", ["Vayssairat", "Vaysairat", "vayssairat"])
def test_author_both_spellings_find_diltiazem_180(author):
    out = json.loads(ok("list", "-f", "json", "-c", "id,dose,reference", "--author", author))
    assert out == [{"id": "vaysairat1998-diltiazem", "dose": "180 mg/day", "reference": "Vayssairat et al (1998)"}]


def test_search():
    assert ids("--search", "bone scan") == ["berger1987-warfarin-phase-1", "berger1987-warfarin-phase-2"]
    assert ids("--search", "ULCERATION", "--search", "placebo") == [
        "robertson2003-minocycline",
        "berger1987-warfarin-phase-2",
    ]


# --- usage errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (["-t", "warfrin"], "unknown treatment 'warfrin'; did you mean 'warfarin'?"),
        (["-d", "sclerodrema"], "unknown diagnosis 'sclerodrema'; did you mean 'scleroderma'?"),
        (["--outcome", "improvd"], "unknown outcome 'improvd'; did you mean 'improved'?"),
        (["--design", "case reprot"], "unknown design 'case reprot'; did you mean 'case report'?"),
        (["--columns", "id,treatmnt"], "unknown column 'treatmnt'; did you mean 'treatment'?"),
        (["--sort", "dos"], "unknown sort column 'dos'; did you mean 'dose'?"),
        (["--format", "grdi"], "unknown format 'grdi'; did you mean 'grid'?"),
    ],
)
def test_usage_errors_exit_2_with_a_suggestion(args, suggestion):
    result = run("list", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("calcinosis: error: ")
    assert suggestion in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_unknown_column_exits_2():
    result = run("list", "--columns", "nonsense")
    assert result.exit_code == 2
    assert "unknown column 'nonsense'" in result.stderr


def test_bad_option_value_exits_2():
    result = run("list", "--min-n", "-1")
    assert result.exit_code == 2


def test_zero_matches_exit_0_and_print_the_header_only():
    result = run("list", "-t", "warfarin", "-d", "juvenile dermatomyositis")
    assert result.exit_code == 0
    assert result.stdout == "  ".join(table_rows.DEFAULT_COLUMNS) + "\n"
    # Two warfarin rows print the broader 'Dermatomyositis': a note says so, and how to add them.
    assert "2 rows have the broader diagnosis 'dermatomyositis'" in result.stderr
    assert ok("list", "-q", "-t", "warfarin", "-d", "juvenile dermatomyositis", "-f", "json") == "[]\n"
    assert ok("list", "--min-n", "100", "-f", "csv", "-c", "id,n") == "id,n\n"
    assert ok("list", "--min-n", "100", "-f", "jsonl") == ""


def test_main_exit_codes(capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        main(["list", "-t", "warfrin"])
    assert info.value.code == 2
    assert "did you mean 'warfarin'?" in capsys.readouterr().err

    with pytest.raises(SystemExit) as info:
        main(["list", "-t", "warfarin", "-f", "json", "-c", "id"])
    assert info.value.code == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == WARFARIN

    broken = tmp_path / "broken.yaml"
    broken.write_text("studies:\n  - id: x\n    n: three\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["--data", str(broken), "list"])
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith(f"calcinosis: error: {broken}:")
    assert "Traceback" not in err

    with pytest.raises(SystemExit) as info:
        main(["--no-bundled", "list"])
    assert info.value.code == 2

    with pytest.raises(SystemExit) as info:
        main(["list", "--no-such-option"])
    assert info.value.code == 2


def test_data_error_exits_1_through_click(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "studies:\n  - id: x\n    source: user\n    treatment_printed: W\n    treatment: warfarin\n"
        "    n: 1\n    reference: berger1987\n    design: case report\n    tally: {improved: 1}\n"
        "    colour: blue\n",
        encoding="utf-8",
    )
    result = run("--data", str(broken), "list")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"calcinosis: error: {broken}:10:5: studies[0] 'x': unknown field 'colour'")


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["list", "-t", "warfrin"], 2, "did you mean 'warfarin'?"),
        (["--version"], 0, ""),
    ],
)
def test_python_dash_m_exit_codes(args, code, fragment):
    proc = subprocess.run(
        [sys.executable, "-m", "calcinosis_cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        env={k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")},
    )
    assert proc.returncode == code
    assert fragment in proc.stderr
    if code:
        assert proc.stdout == ""
        assert "Traceback" not in proc.stderr


# --- sorting, columns, limit -------------------------------------------------------------------


def test_sort_by_n_reverse():
    out = json.loads(ok("list", "-f", "json", "-c", "id,n", "--sort", "n", "--reverse"))
    ns = [r["n"] for r in out]
    assert ns == sorted(ns, reverse=True)
    assert out[0] == {"id": "vaysairat1998-diltiazem", "n": 12}
    assert len(out) == 18


def test_sort_by_n_ascending_keeps_dataset_order_for_ties():
    out = json.loads(ok("list", "-f", "json", "-c", "id,n", "--sort", "n"))
    assert [r["n"] for r in out] == sorted(r["n"] for r in out)
    ones = [r["id"] for r in out if r["n"] == 1]
    assert ones == ids("--max-n", "1")


@pytest.mark.parametrize("reverse", [False, True])
def test_sort_puts_empty_values_last_both_ways(reverse):
    args = ["list", "-f", "json", "-c", "id,dose", "--sort", "dose"] + (["--reverse"] if reverse else [])
    doses = [r["dose"] for r in json.loads(ok(*args))]
    present = [d for d in doses if d is not None]
    assert doses == present + [None] * (len(doses) - len(present))
    assert len(present) == 11
    assert present == sorted(present, key=str.casefold, reverse=reverse)


def test_columns_a_b():
    out = json.loads(ok("list", "-f", "json", "--columns", "n,id", "-t", "minocycline"))
    assert out == [{"n": 9, "id": "robertson2003-minocycline"}]
    lines = ok("list", "-c", "id, n", "-t", "minocycline").splitlines()
    assert lines == ["id                         n", "robertson2003-minocycline  9"]


def test_columns_all():
    header = ok("list", "--columns", "all", "-f", "csv").splitlines()[0]
    assert header.split(",") == list(table_rows.COLUMNS)
    first = ok("list", "--columns", "all", "--limit", "1").splitlines()[0]
    assert first.split() == list(table_rows.COLUMNS)


def test_list_columns_lists_names():
    out = ok("list", "--list-columns")
    lines = out.splitlines()
    names = [line[2:].split()[0] for line in lines[: len(table_rows.COLUMNS)]]
    assert names == list(table_rows.COLUMNS)
    starred = [line[2:].split()[0] for line in lines if line.startswith("* ")]
    assert starred == [c for c in table_rows.COLUMNS if c in table_rows.DEFAULT_COLUMNS]
    assert "n" in names and "reference_number" in names


@pytest.mark.parametrize("limit", [0, 1, 3])
def test_limit(limit):
    assert ids("--limit", str(limit)) == ALL_IDS[:limit]
    lines = ok("list", "--limit", str(limit)).splitlines()
    assert len(lines) == 1 + limit


def test_limit_applies_after_sorting():
    assert ids("--sort", "n", "--reverse", "--limit", "2") == ["vaysairat1998-diltiazem", "robertson2003-minocycline"]


# --- formats ---------------------------------------------------------------------------------


def test_the_default_format_without_a_terminal_is_plain():
    default = ok("list")
    assert default == ok("list", "--format", "plain")
    assert "\x1b[" not in default
    lines = default.splitlines()
    assert lines[0].split() == list(table_rows.DEFAULT_COLUMNS)
    assert len(lines) == 19
    assert all("│" not in line for line in lines)


def test_an_explicit_table_format_draws_a_table_without_a_terminal_and_without_colour():
    table = ok("list", "-t", "warfarin", "--format", "table", env={"COLUMNS": "160"})
    assert "\x1b[" not in table
    assert tablehelp.header(table) == list(table_rows.DEFAULT_COLUMNS)
    assert "Yoshida and Torikai (1993)" in table


def test_plain_rows_carry_the_values(json_rows):
    lines = ok("list", "-f", "plain", "-c", "id,n,reference").splitlines()[1:]
    assert [line.split("  ")[0].strip() for line in lines] == ALL_IDS
    assert lines[9].split() == ["vaysairat1998-diltiazem", "12", "Vayssairat", "et", "al", "(1998)"]


def test_markdown_reads_back_as_the_row_values(json_rows):
    text = ok("list", "--format", "markdown")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    cells: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            cells.append([])
        elif token.type == "inline":
            assert all(child.type == "text" for child in token.children), token.content
            cells[-1].append("".join(child.content for child in token.children))
    columns = list(table_rows.DEFAULT_COLUMNS)
    assert cells[0] == columns
    assert cells[1:] == [[as_cell(row[c]) for c in columns] for row in json_rows]


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_read_back_as_json(fmt, delimiter, json_rows):
    text = ok("list", "--format", fmt)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    columns = list(json_rows[0])
    assert records[0] == columns
    assert records[1:] == [[as_cell(row[c]) for c in columns] for row in json_rows]


def test_csv_with_columns():
    text = ok("list", "-f", "csv", "-c", "id,outcome", "-t", "minocycline")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["id", "outcome"],
        [
            "robertson2003-minocycline",
            "8 Improvement in the incidence of ulceration and inflammation 1 Radiographic improvement",
        ],
    ]


def test_json_is_an_array_of_objects_with_all_columns_in_order(json_rows):
    assert isinstance(json_rows, list) and len(json_rows) == 18
    for row in json_rows:
        # Every column but the one written for a person to read (improved_ci).
        assert list(row) == table_rows.machine_columns(table_rows.COLUMNS)
        assert "improved_ci" not in row
    assert [row["id"] for row in json_rows] == ALL_IDS
    sub = json_rows[1]
    assert (sub["outcome"], sub["reference"], sub["n"]) == ("5/6 Progression*", "Metzger et al (1974)", 3)
    assert json_rows[-1]["table_row"] is None
    assert json_rows[0]["diagnoses"] == ["dermatomyositis"]


def test_jsonl_matches_json(json_rows):
    lines = ok("list", "--format", "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == json_rows


def test_tabulate_grid_format():
    text = ok("list", "--format", "grid", "-c", "id,n", "--limit", "2")
    assert text.splitlines() == [
        "+-------------------------------+-----+",
        "| id                            | n   |",
        "+===============================+=====+",
        "| metzger1974-etidronate-10mgkg | 3   |",
        "+-------------------------------+-----+",
        "| metzger1974-etidronate-20mgkg | 3   |",
        "+-------------------------------+-----+",
    ]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "markdown", "plain", "grid"])
def test_force_color_does_not_colour_text_formats(fmt):
    out = ok("list", "--format", fmt, env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in out
    assert out == ok("list", "--format", fmt)


def test_version():
    out = ok("--version")
    assert out == f"calcinosis, version {__version__}\n"


def test_help_mentions_no_medical_advice():
    out = ok("--help")
    assert "no medical advice" in out
    assert "Exit codes: 0 success, 1 data or validation error, 2 usage error." in out
    assert "list" in out


def test_list_help_names_the_filters():
    out = ok("list", "--help")
    for option in (
        "--treatment",
        "--diagnosis",
        "--outcome",
        "--design",
        "--min-n",
        "--max-n",
        "--year-from",
        "--year-to",
        "--author",
        "--search",
        "--format",
        "--columns",
        "--sort",
        "--limit",
    ):
        assert option in out


# --- the rich table on a terminal -------------------------------------------------------------


def terminal_run(monkeypatch, *args: str, columns: int):
    # A person at a terminal: the run's environment says so, as a test may make it say.
    monkeypatch.setattr(environment, "_current", environment.Environment(stdout_isatty=True))
    return run(*args, env={"COLUMNS": str(columns), "NO_COLOR": "1", "TERM": "xterm"})


def test_terminal_table_at_100_columns_shows_the_cells(monkeypatch):
    result = terminal_run(monkeypatch, "list", "-t", "minocycline", columns=100)
    assert result.exit_code == 0
    assert tablehelp.header(result.stdout)[0] == "treatment"
    assert "minocycline" in result.stdout
    assert "…" not in result.stdout
    assert "\x1b[" not in result.stdout


def test_terminal_table_with_all_columns_keeps_the_data(monkeypatch):
    result = terminal_run(monkeypatch, "list", "--columns", "all", "-t", "minocycline", columns=80)
    assert result.exit_code == 0
    for value in ("robertson2003-minocycline", "Robertson et al (2003)", "tetracycline antibiotic"):
        assert shown(value, result.stdout), value


def shown(value: str, output: str) -> bool:
    """True if ``value`` is on one line of ``output``, or folded down one column of a box table."""
    if value in output:
        return True
    squashed = "".join(value.split())
    columns: dict[int, str] = {}
    for cells in tablehelp.table_lines(output):
        for index, part in enumerate(cells):
            columns[index] = columns.get(index, "") + "".join(part.split())
    return any(squashed in text for text in columns.values())


def test_shown_finds_folded_values(monkeypatch):
    # 27 columns: just room for the longest words, so a table (not records) that folds the cells.
    result = terminal_run(monkeypatch, "list", "-t", "minocycline", "-c", "reference,treatment", columns=27)
    assert result.exit_code == 0
    assert "Robertson et al (2003)" not in result.stdout
    assert shown("Robertson et al (2003)", result.stdout)
    assert not shown("Metzger et al (1974)", result.stdout)


@pytest.mark.parametrize("columns", [80, 160])
def test_terms_at_a_terminal_is_a_table_with_every_term_whole(monkeypatch, columns):
    result = terminal_run(monkeypatch, "terms", "diagnosis", columns=columns)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("│")[0].strip() == "term" and "found by" in lines[0] and "also" in lines[0]
    assert max(len(line) for line in lines) <= columns
    for term in ("idiopathic inflammatory myositis", "juvenile dermatomyositis", "systemic sclerosis"):
        assert any(line.startswith(term) for line in lines), term
    # In a pipe the same terms stay one line each, for scripts.
    monkeypatch.undo()
    piped = ok("terms", "diagnosis")
    assert "systemic sclerosis  (also: SSc; found by: scleroderma)\n" in piped
