"""Certainty (GRADE): the section of a data file, validate's refusals at file and line, the
arithmetic, the evidence beside each entry, and `calcinosis sof` in every format."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import textwrap
from pathlib import Path

import pytest

from calcinosis_cli.certainty import grade
from calcinosis_cli.certainty.evidence import Pooled, certainty_evidence
from calcinosis_cli.certainty.findings import entries_for, findings
from calcinosis_cli.dataset.files import bundled_paths
from calcinosis_cli.dataset.load import check_files, load_dataset
from calcinosis_cli.model.certainty import Certainty, Judgement, RatedDown, RatedUp
from tests.clihelp import ok, run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "examples" / "certainty.yaml")
REASONS_AS_WRITTEN = (
    "Uncontrolled series with no blinded outcome assessment (fictional judgement)",
    "Few patients; the exact interval spans most of the possible range (fictional judgement)",
)

ENTRY = """\
certainty:
  - id: entry
    outcome: improved
    treatment: warfarin
    start: low
    start_reason: observational
{body}    reviewer: R
    date: 2026-01-15
"""


def write(tmp_path: Path, body: str, name: str = "c.yaml") -> str:
    path = tmp_path / name
    path.write_text(ENTRY.format(body=textwrap.indent(textwrap.dedent(body), "    ")), encoding="utf-8")
    return str(path)


def entry(start="low", down=None, up=None) -> Certainty:
    return Certainty(
        "x",
        "improved",
        start,
        "why",
        "R",
        "2026-01-01",
        treatment="warfarin",
        rated_down=RatedDown(**{k: Judgement(v, "because") for k, v in (down or {}).items()}),
        rated_up=RatedUp(**{k: Judgement(v, "because") for k, v in (up or {}).items()}),
    )


# --- the arithmetic ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "down", "up", "level", "symbols"),
    [
        ("high", {}, {}, "high", "⊕⊕⊕⊕"),
        ("high", {"risk_of_bias": -1}, {}, "moderate", "⊕⊕⊕◯"),
        ("high", {"risk_of_bias": -1, "imprecision": -2}, {}, "very low", "⊕◯◯◯"),
        ("high", {"inconsistency": -1, "indirectness": -1, "publication_bias": -2}, {}, "very low", "⊕◯◯◯"),
        ("low", {}, {}, "low", "⊕⊕◯◯"),
        ("low", {"risk_of_bias": -1}, {}, "very low", "⊕◯◯◯"),
        ("low", {}, {"large_effect": 2}, "high", "⊕⊕⊕⊕"),
        ("low", {}, {"large_effect": 2, "dose_response": 1}, "high", "⊕⊕⊕⊕"),
        ("low", {"imprecision": -1}, {"dose_response": 1}, "low", "⊕⊕◯◯"),
        ("high", {}, {"plausible_confounding": 1}, "high", "⊕⊕⊕⊕"),
    ],
)
def test_start_minus_down_plus_up_held_between_very_low_and_high(start, down, up, level, symbols):
    rated = entry(start, down, up)
    assert grade.level(rated) == level
    assert grade.symbols(level) == symbols


def test_the_scale_says_when_it_held_the_arithmetic():
    assert grade.held(entry("low", {"risk_of_bias": -1, "imprecision": -1})) == (
        "the ratings come to 1 level below very low; certainty is held at very low"
    )
    assert "2 levels above high" in grade.held(entry("high", {}, {"large_effect": 2}))
    assert grade.held(entry("high", {"risk_of_bias": -1})) is None


def test_each_step_keeps_the_reason_as_written():
    steps = grade.steps(entry("low", {"imprecision": -2}, {}))
    assert [s.sentence() for s in steps] == ["Imprecision, rated down 2 levels: because"]


# --- the data file and validate ----------------------------------------------------------------


def problems_of(path: str) -> list[str]:
    _merged, problems = check_files([*bundled_paths(), path])
    return [f"{p.line}: {p.message}" for p in problems if p.path == path]


def test_the_example_file_loads_and_says_it_is_fictional():
    lines = Path(EXAMPLE).read_text(encoding="utf-8").splitlines()
    assert "FICTIONAL" in lines[0]
    ds = load_dataset([*bundled_paths(), EXAMPLE])
    (rated,) = ds.certainty
    assert rated.rated_down.risk_of_bias.change == -1 and rated.rated_down.imprecision.change == -1
    assert rated.origin.endswith("certainty.yaml:12")
    assert "1 certainty entry, no problems" in ok("validate", EXAMPLE)


def test_a_level_change_with_no_reason_is_refused_at_its_file_and_line(tmp_path):
    path = write(tmp_path, "rated_down:\n  imprecision:\n    change: -1\n")
    result = run("validate", path)
    assert result.exit_code == 1
    # The entry starts on line 2; rated_down on 7, imprecision's mapping on 9.
    assert f"{path}:9:" in result.stdout
    assert "rated down 1 level for imprecision with no reason" in result.stdout


def test_an_unknown_reason_is_refused_at_its_line_with_the_close_match(tmp_path):
    path = write(tmp_path, "rated_down:\n  imprecison: {change: -1, reason: few}\n")
    (problem,) = problems_of(path)
    assert problem.startswith("8: ") and "unknown field 'imprecison'; did you mean 'imprecision'?" in problem


def test_a_reason_to_rate_up_under_rated_down_is_refused(tmp_path):
    path = write(tmp_path, "rated_down:\n  large_effect: {change: -1, reason: x}\n")
    (problem,) = problems_of(path)
    assert problem.startswith("8: ") and "'large_effect' is a reason to rate up" in problem


def test_rating_up_evidence_rated_down_for_risk_of_bias_is_refused(tmp_path):
    body = """\
    rated_down:
      risk_of_bias: {change: -1, reason: no blinding}
    rated_up:
      large_effect: {change: 1, reason: every patient improved}
    """
    path = write(tmp_path, body)
    (problem,) = problems_of(path)
    assert problem.startswith("10: ")  # the reason rated up (rated_up's mapping)
    assert "rated up for large effect although rated down for risk of bias" in problem
    assert "J Clin Epidemiol 2011;64:1311-6" in problem


def test_rating_up_without_risk_of_bias_is_the_reviewers_to_make(tmp_path):
    body = """\
    rated_down:
      imprecision: {change: -1, reason: few}
    rated_up:
      dose_response: {change: +1, reason: a gradient}
    """
    assert problems_of(write(tmp_path, body)) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("rated_down:\n  imprecision: {change: 1, reason: x}\n", "rating down takes 0, -1 or -2 (levels), got '1'"),
        ("rated_up:\n  large_effect: {change: -1, reason: x}\n", "rating up takes 0, +1 or +2 (levels), got '-1'"),
        ("rated_down:\n  imprecision: {change: '-1', reason: x}\n", "got the quoted text '-1'"),
        ("rated_down:\n  imprecision: -1\n", "expected a mapping of change and reason"),
    ],
)
def test_a_change_is_a_number_of_levels_in_its_direction(tmp_path, body, message):
    (problem,) = problems_of(write(tmp_path, body))
    assert message in problem


def test_the_scope_names_what_the_vocabulary_knows(tmp_path):
    path = tmp_path / "s.yaml"
    text = ENTRY.format(body="").replace("treatment: warfarin", "treatment: coumadin\n    diagnosis: SSc")
    path.write_text(text.replace("    date:", "    date:"), encoding="utf-8")
    ds = load_dataset([*bundled_paths(), str(path)])
    assert (ds.certainty[0].treatment, ds.certainty[0].diagnosis) == ("warfarin", "systemic sclerosis")
    bad = ENTRY.format(body="").replace("treatment: warfarin", "treatment: warfarn")
    path.write_text(bad, encoding="utf-8")
    (problem,) = problems_of(str(path))
    assert problem.startswith("4: ") and "unknown treatment 'warfarn'" in problem and "warfarin" in problem
    both = ENTRY.format(body="").replace("treatment: warfarin", "treatment: warfarin\n    class: anticoagulant")
    path.write_text(both, encoding="utf-8")
    assert "one treatment or one class" in problems_of(str(path))[0]


def test_a_date_is_a_real_day(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(ENTRY.format(body="").replace("2026-01-15", "2026-02-30"), encoding="utf-8")
    (problem,) = problems_of(str(path))
    assert problem.startswith("8: ") and "YYYY-MM-DD" in problem


# --- the evidence beside each entry --------------------------------------------------------------


def test_the_evidence_counts_as_group_counts():
    ds = load_dataset([*bundled_paths(), EXAMPLE])
    evidence = certainty_evidence(ds.certainty[0], ds)
    group = json.loads(ok("group", "--by", "treatment", "--format", "json", "--treatment", "warfarin"))
    (row,) = group
    assert (evidence.studies, evidence.rows, evidence.patients, evidence.events) == (
        row["studies"],
        row["rows"],
        row["patients"],
        row["improved"],
    )
    assert (evidence.interval.pct, evidence.interval.low, evidence.interval.high) == (
        row["improved_pct"],
        row["ci_low"],
        row["ci_high"],
    )


def test_pooled_effects_and_appraisals_are_shown_when_given():
    ds = load_dataset([*bundled_paths(), EXAMPLE])
    pooled = {"pct": 40.0, "low": 20.5, "high": 63.1, "i2": 12.5, "method": "random effects"}
    evidence = certainty_evidence(ds.certainty[0], ds, pooled=pooled, appraisals={"berger1987": "good", "x": "poor"})
    assert evidence.pooled == Pooled(40.0, 20.5, 63.1, 95, 12.5, "random effects")
    assert evidence.appraisals == (("berger1987", "good"),)  # a study outside the scope is left out
    from calcinosis_cli.documents.summary_of_findings import build_sof_report
    from calcinosis_cli.model import Provenance
    from calcinosis_cli.render.document.markdown import render_report_markdown

    found = findings(ds, ds.certainty, pooled={"warfarin-improved": pooled}, appraisals={"berger1987": "good"})
    text = render_report_markdown(build_sof_report(ds, found, Provenance("t", "d")))
    assert "pooled 40.0% (95% CI 20.5–63.1), I² 12.5%, random effects" in text
    assert "appraisals: berger1987 good" in text


def test_what_pool_and_the_appraisals_return_is_taken_as_it_comes():
    from typing import NamedTuple

    class Result(NamedTuple):  # the fields of a pooled analysis that the evidence reads, by name
        pct: float
        ci: tuple
        level: int
        i2: float | None
        method: str
        measure: str
        inputs: tuple

    ds = load_dataset([*bundled_paths(), EXAMPLE])
    result = Result(41.04, (19.96, 65.85), 95, 0.0, "reml", "logit", (1, 2, 3, 4))
    overall = {"lassoued1988-warfarin": ("serious", "consensus")}
    evidence = certainty_evidence(ds.certainty[0], ds, pooled=result, appraisals=overall)
    assert evidence.pooled == Pooled(41.0, 20.0, 65.8, 95, 0.0, "reml, logit", 4)
    assert evidence.appraisals == (("lassoued1988-warfarin", "serious (consensus)"),)
    no_estimate = Result(None, None, 95, None, "reml", "logit", ())
    assert certainty_evidence(ds.certainty[0], ds, pooled=no_estimate).pooled is None


def test_a_diagnosis_narrows_the_scope(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        ENTRY.format(body="").replace("treatment: warfarin", "treatment: warfarin\n    diagnosis: systemic sclerosis")
    )
    ds = load_dataset([*bundled_paths(), str(path)])
    evidence = certainty_evidence(ds.certainty[0], ds)
    grouped = run("group", "--by", "treatment", "-f", "json", "-t", "warfarin", "-d", "systemic sclerosis")
    expected = json.loads(grouped.stdout)
    assert evidence.patients == expected[0]["patients"] and evidence.rows == expected[0]["rows"]
    # The rows with a broader diagnosis that may hold it are named beside the entry, not counted.
    ((term, count),) = evidence.broader
    assert f"{count} rows have the broader diagnosis {term!r}" in grouped.stderr  # as group notes them
    assert f"{count} rows outside the scope have the broader diagnosis {term}" in ok(
        "--data", str(path), "sof", "-f", "markdown"
    )


# --- calcinosis sof ----------------------------------------------------------------------------


def test_sof_plain_has_very_low_and_two_lettered_notes_as_written():
    out = ok("--data", EXAMPLE, "sof", "--format", "plain")
    assert "⊕◯◯◯ very low (a) (b)" in out
    notes = [line for line in out.splitlines() if line[:3] in ("a: ", "b: ", "c: ")]
    assert len(notes) == 2
    assert REASONS_AS_WRITTEN[0] in notes[0] and REASONS_AS_WRITTEN[1] in notes[1]


def test_sof_table_at_a_fixed_width():
    out = ok("--data", EXAMPLE, "sof", "--format", "table", env={"COLUMNS": "100"})
    assert all(len(line) <= 100 for line in out.splitlines())
    assert "⊕◯◯◯ very low" in out and "17 (4)" in out
    assert "a: Risk of bias, rated down 1 level" in out and "b: Imprecision, rated down 1 level" in out


def test_sof_markdown_reads_back_with_markdown_it():
    from markdown_it import MarkdownIt

    text = ok("--data", EXAMPLE, "sof", "--format", "markdown", "--date", "2026-01-20")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    cells = [t.content for t in tokens if t.type == "inline" and t.map and tokens]
    certainty = next(c for c in cells if "very low<sup>a</sup><sup>b</sup>" in c)
    assert certainty.startswith("⊕◯◯◯ very low")
    notes = [c for c in cells if c.startswith("<sup>")]
    assert len(notes) == 1 and all(r in notes[0] for r in REASONS_AS_WRITTEN)  # two lines of one paragraph
    assert notes[0].count("<sup>") == 2


def test_sof_html_hides_the_glyphs_from_screen_readers_and_keeps_two_notes():
    import html5lib

    page = ok("--data", EXAMPLE, "sof", "--format", "html", "--date", "2026-01-20")
    doc = html5lib.parse(page, namespaceHTMLElements=False)
    (table,) = doc.findall(".//table")
    symbol = table.find(".//span[@class='symbol']")
    assert symbol.text == "⊕◯◯◯" and symbol.get("aria-hidden") == "true" and symbol.tail.strip() == "very low"
    notes = doc.findall(".//div[@class='table-notes']/p")
    assert len(notes) == 2
    texts = ["".join(p.itertext()) for p in notes]
    assert texts[0].startswith("a ") and REASONS_AS_WRITTEN[0] in texts[0]
    assert texts[1].startswith("b ") and REASONS_AS_WRITTEN[1] in texts[1]


def test_sof_csv_json_and_jsonl_carry_every_field():
    rows = list(csv.DictReader(io.StringIO(ok("--data", EXAMPLE, "sof", "--format", "csv"))))
    assert rows[0]["level"] == "very low" and rows[0]["risk_of_bias"] == "-1" and rows[0]["imprecision"] == "-1"
    assert rows[0]["risk_of_bias_reason"] == REASONS_AS_WRITTEN[0]
    (record,) = json.loads(ok("--data", EXAMPLE, "sof", "--format", "json"))
    assert record["symbols"] == "⊕◯◯◯" and record["patients"] == 17 and record["studies"] == 4
    assert [n.split(": ", 1)[0] for n in record["footnotes"]] == ["a", "b"]
    lines = ok("--data", EXAMPLE, "sof", "--format", "jsonl").splitlines()
    assert json.loads(lines[0]) == record


def test_sof_docx_reads_back_with_python_docx(tmp_path):
    import docx

    out = tmp_path / "f.docx"
    ok("--data", EXAMPLE, "sof", "--format", "docx", "--output", str(out), "--date", "2026-01-20")
    document = docx.Document(str(out))
    (table,) = document.tables
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Outcome", "Participants (studies)", "Effect (crude)", "Certainty", "Comments"]
    certainty = table.rows[1].cells[3].paragraphs[0]
    assert certainty.text == "⊕◯◯◯ very lowab"
    assert [run.text for run in certainty.runs if run.font.superscript] == ["a", "b"]
    texts = [p.text for p in document.paragraphs]
    notes = [t for t in texts if t[:2] in ("a ", "b ")]
    assert notes == [
        f"a Risk of bias, rated down 1 level: {REASONS_AS_WRITTEN[0]}",
        f"b Imprecision, rated down 1 level: {REASONS_AS_WRITTEN[1]}",
    ]


def test_more_than_seven_outcomes_give_a_note(tmp_path):
    path = tmp_path / "many.yaml"
    one = ENTRY.format(body="").split("\n", 1)[1]
    path.write_text("certainty:\n" + "".join(one.replace("id: entry", f"id: e{i}") for i in range(8)))
    out = ok("--data", str(path), "sof", "-f", "plain")
    assert "This table has 8 outcomes; GRADE advises at most 7" in out
    markdown = ok("--data", str(path), "sof", "-f", "markdown")
    assert "This table has 8 outcomes" in markdown
    result = run("--data", str(path), "sof", "-f", "json")
    assert len(json.loads(result.stdout)) == 8 and "8 outcomes" in result.stderr
    seven = path.read_text().split("  - id: e7")[0]
    path.write_text(seven)
    assert "outcomes; GRADE advises" not in ok("--data", str(path), "sof", "-f", "plain")


def test_sof_filters_choose_the_entries_shown():
    assert "warfarin" in ok("--data", EXAMPLE, "sof", "-f", "plain", "--treatment", "warfarin")
    out = ok("--data", EXAMPLE, "sof", "-f", "plain", "--treatment", "diltiazem")
    assert "No certainty entries match" in out
    # The evidence is the entry's whole scope, whatever selected it.
    narrowed = json.loads(ok("--data", EXAMPLE, "sof", "-f", "json", "--min-n", "5"))
    assert narrowed[0]["patients"] == 17


def test_sof_writes_atomically_and_never_overwrites_without_force(tmp_path):
    out = tmp_path / "f.md"
    ok("--data", EXAMPLE, "sof", "-f", "markdown", "-o", str(out))
    before = out.read_bytes()
    result = run("--data", EXAMPLE, "sof", "-f", "markdown", "-o", str(out))
    assert result.exit_code == 2 and "add --force" in result.stderr
    assert out.read_bytes() == before
    ok("--data", EXAMPLE, "sof", "-f", "markdown", "-o", str(out), "--force")


# --- the report and the SQLite export ----------------------------------------------------------


def test_the_report_gains_the_summary_of_findings_only_when_entries_exist():
    with_entries = ok("--data", EXAMPLE, "report", "-f", "markdown", "--date", "2026-01-20")
    assert "## Summary of findings" in with_entries and "## Certainty of the evidence (GRADE)" in with_entries
    assert "⊕◯◯◯ very low<sup>a</sup><sup>b</sup>" in with_entries
    without = ok("report", "-f", "markdown", "--date", "2026-01-20")
    assert "Summary of findings" not in without
    other = ok("--data", EXAMPLE, "report", "-f", "markdown", "--date", "2026-01-20", "-t", "diltiazem")
    assert "Summary of findings" not in other


def test_the_sqlite_export_holds_each_entry_and_each_reason(tmp_path):
    out = tmp_path / "c.db"
    ok("--data", EXAMPLE, "export", "--format", "sqlite", "--output", str(out))
    db = sqlite3.connect(out)
    assert db.execute("SELECT id, level, symbols FROM certainty").fetchall() == [
        ("warfarin-improved", "very low", "⊕◯◯◯")
    ]
    moved = db.execute("SELECT reason, change, text FROM certainty_reasons WHERE change != 0 ORDER BY reason")
    assert moved.fetchall() == [("imprecision", -1, REASONS_AS_WRITTEN[1]), ("risk_of_bias", -1, REASONS_AS_WRITTEN[0])]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_yaml_export_reads_back_to_the_same_entries(tmp_path):
    out = tmp_path / "all.yaml"
    ok("--data", EXAMPLE, "export", "--format", "yaml", "--output", str(out))
    again = load_dataset([bundled_paths()[0], str(out)])  # the vocabulary, and the export
    original = load_dataset([*bundled_paths(), EXAMPLE])
    strip = [e._replace(origin="") for e in original.certainty]
    assert [e._replace(origin="") for e in again.certainty] == strip


def test_entries_for_every_row_shows_every_entry():
    ds = load_dataset([*bundled_paths(), EXAMPLE])
    assert entries_for(ds, ds.studies) == list(ds.certainty)
    assert entries_for(ds, []) == []


def test_sof_markdown_matches_its_golden_file(monkeypatch):
    """The whole Summary of Findings document of the example, read against the file by hand."""
    monkeypatch.chdir(ROOT)
    text = ok("--data", "examples/certainty.yaml", "sof", "--format", "markdown", "--date", "2026-01-20")
    assert text == (ROOT / "tests" / "golden" / "sof_example.md").read_text(encoding="utf-8"), (
        "sof output changed; if intended, regenerate tests/golden/sof_example.md with 'calcinosis --data "
        "examples/certainty.yaml sof --format markdown --date 2026-01-20' and read it again"
    )


def test_sof_pooled_shows_what_pool_computes_for_the_same_scope():
    """sof --pooled puts beside the crude effect the pool of the entry's scope, the same numbers
    `calcinosis pool` gives for that treatment; the rating itself does not move."""
    from clihelp import ok

    example = str(Path(__file__).parent.parent / "examples" / "certainty.yaml")
    plain = json.loads(ok("sof", "--data", example, "--format", "json"))[0]
    pooled = json.loads(ok("sof", "--data", example, "--format", "json", "--pooled"))[0]
    pool = json.loads(ok("pool", "--treatment", "warfarin", "--format", "json"))[0]
    assert plain.get("pooled_pct") is None
    assert pooled["pooled_pct"] == round(pool["pooled_pct"], 1)
    assert (pooled["pooled_low"], pooled["pooled_high"]) == (round(pool["ci_low"], 1), round(pool["ci_high"], 1))
    assert pooled["certainty"] == plain["certainty"]
    assert (pooled["pct"], pooled["ci_low"], pooled["ci_high"]) == (plain["pct"], plain["ci_low"], plain["ci_high"])
