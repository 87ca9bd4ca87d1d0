"""Risk-of-bias appraisals: the tools as data, the section's checks, the agreement of two
reviewers (Cohen's kappa against a hand-worked published example), the robvis CSV, the figures,
the report section, SQLite, list's --rob, the sheet import, and `appraise` through a pty."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from clihelp import ok, run

from calcinosis_cli import model
from calcinosis_cli.appraisal import overall_by_study
from calcinosis_cli.appraisal.agreement import cohen_kappa
from calcinosis_cli.appraisal.tools import BUILTIN_TOOLS
from calcinosis_cli.dataset.cache import dumps, loads
from calcinosis_cli.dataset.files import bundled_paths
from calcinosis_cli.dataset.load import check_files, load_dataset

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "appraisal"
THREE = FIXTURES / "three-studies.yaml"
EXAMPLE = ROOT / "examples" / "appraisal.yaml"
SCRIPT = Path(sys.executable).parent / "calcinosis"


def _env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "COLUMNS", "CALCINOSIS_DATA")}
    env["CALCINOSIS_CACHE_DIR"] = str(tmp_path / "cache")
    return env


# --- the tools --------------------------------------------------------------------------------


def test_the_built_in_tools_have_their_published_items():
    murad = BUILTIN_TOOLS["murad2018"]
    assert [i.number for i in murad.items] == list(range(1, 9))
    domains = {i.number: i.domain for i in murad.items}
    assert domains == {
        1: "selection",
        2: "ascertainment",
        3: "ascertainment",
        4: "causality",
        5: "causality",
        6: "causality",
        7: "causality",
        8: "reporting",
    }
    assert "10.1136/bmjebm-2017-110853" in murad.citation
    assert len(BUILTIN_TOOLS["jbi-case-series"].items) == 10
    assert "10.11124/JBISRIR-D-19-00099" in BUILTIN_TOOLS["jbi-case-series"].citation
    assert len(BUILTIN_TOOLS["jbi-case-report"].items) == 8
    assert "doi" not in BUILTIN_TOOLS["jbi-case-report"].citation.casefold()  # a book chapter
    for tool in BUILTIN_TOOLS.values():
        assert tool.answers == ("yes", "no", "unclear", "not applicable")


def test_the_bundled_data_ships_no_appraisals():
    ds = load_dataset()
    assert ds.appraisals == () and ds.tools == {}


# --- the data file and its checks ---------------------------------------------------------------


def test_three_studies_by_two_reviewers_validate():
    out = ok("--data", str(THREE), "validate")
    assert "no problems" in out
    ds = load_dataset([*bundled_paths(), THREE])
    assert len(ds.appraisals) == 6
    assert {a.reviewer for a in ds.appraisals} == {"TA", "TB"}


def test_the_cache_rebuilds_appraisals():
    ds = load_dataset([*bundled_paths(), EXAMPLE])
    again = loads(dumps(ds._replace(study_index=None)))
    assert again.appraisals == ds.appraisals
    assert again.appraisals[0].answers[0] == model.Answer(1, "unclear", ds.appraisals[0].answers[0].support)


BAD = """appraisals:
  - study: dolan1995-diltiazem
    tool: murad2018
    reviewer: AB
    date: "2025-01-01"
    answers:
      1: "yes"
      2: "maybe"
      3: "yes"
      4: "yes"
      5: "yes"
      6: "yes"
      7: "yes"
  - study: no-such-study
    tool: murad2018
    reviewer: AB
    date: "2025-01-01"
    answers: {1: "yes", 2: "yes", 3: "yes", 4: "yes", 5: "yes", 6: "yes", 7: "yes", 8: "yes"}
"""


def test_a_missing_answer_an_unknown_answer_and_an_unknown_study_are_one_line_each(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    result = run("--data", str(path), "validate")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith(str(path))]
    assert len(lines) == 3, result.stdout
    unknown_answer = next(line for line in lines if "'maybe'" in line)
    assert unknown_answer.startswith(f"{path}:8:")
    assert "item 2" in unknown_answer
    missing = next(line for line in lines if "not answered" in line)
    assert missing.startswith(f"{path}:7:") and "item 8" in missing
    unknown_study = next(line for line in lines if "unknown study" in line)
    assert unknown_study.startswith(f"{path}:14:") and "no-such-study" in unknown_study


def test_one_appraisal_per_study_tool_and_reviewer(tmp_path):
    text = THREE.read_text(encoding="utf-8")
    path = tmp_path / "twice.yaml"
    path.write_text(text + text.split("appraisals:\n", 1)[1], encoding="utf-8")
    _merged, problems = check_files([*bundled_paths(), path])
    assert any("duplicate" in p.message and "dolan1995-diltiazem / murad2018 / TA" in p.message for p in problems)


def test_a_tool_of_ones_own(tmp_path):
    path = tmp_path / "own.yaml"
    path.write_text(
        "tools:\n  - id: mine\n    name: My checklist\n    citation: Me 2025\n    answers: [met, not met]\n"
        "    items:\n      - {number: 1, question: Was it clear?}\n      - {number: 2, question: Was it whole?}\n"
        "appraisals:\n  - study: dolan1995-diltiazem\n    tool: mine\n    reviewer: AB\n    date: '2025-01-01'\n"
        "    answers: {1: met, 2: 'yes'}\n",
        encoding="utf-8",
    )
    _merged, problems = check_files([*bundled_paths(), path])
    assert [p.line for p in problems] == [14]
    assert "'yes' is not an answer of mine" in problems[0].message


# --- agreement ----------------------------------------------------------------------------------


def test_kappa_matches_the_hand_worked_published_example():
    published = json.loads((FIXTURES / "kappa-published.json").read_text(encoding="utf-8"))
    pairs = [tuple(cell.split("|")) for cell, count in published["cells"].items() for _ in range(count)]
    result = cohen_kappa(pairs)
    assert result.n == 20 and result.agreed == 14
    assert result.po == pytest.approx(published["po"])
    assert result.pe == pytest.approx(published["pe"])
    assert round(result.kappa, 2) == published["kappa_two_decimals"]


def test_kappa_is_undefined_when_chance_agreement_is_certain():
    assert cohen_kappa([("yes", "yes")] * 3).kappa is None
    assert cohen_kappa([]).po is None


def _textbook_kappa(pairs):
    """(po - pe) / (1 - pe), written out from the counts, apart from the program's code."""
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    answers = {a for pair in pairs for a in pair}
    pe = sum((sum(a == k for a, _ in pairs) / n) * (sum(b == k for _, b in pairs) / n) for k in answers)
    return po, pe, (po - pe) / (1 - pe)


def test_agreement_json_gives_the_textbook_kappa_on_the_three_studies():
    data = json.loads(ok("--data", str(THREE), "appraisal", "--agreement", "--format", "json"))
    raw = yaml.safe_load(THREE.read_text(encoding="utf-8"))["appraisals"]
    by = {(e["study"], e["reviewer"]): e["answers"] for e in raw}
    studies = sorted({s for s, _r in by}, key=[e["study"] for e in raw].index)
    pairs = [(by[(s, "TA")][n], by[(s, "TB")][n]) for s in studies for n in range(1, 9)]
    po, pe, kappa = _textbook_kappa(pairs)
    assert data["reviewers"] == ["TA", "TB"]
    assert data["overall"]["pairs"] == 24
    assert data["overall"]["po"] == pytest.approx(po)
    assert data["overall"]["pe"] == pytest.approx(pe)
    assert data["overall"]["kappa"] == pytest.approx(kappa)
    assert sum(c["pairs"] for c in data["overall"]["counts"]) == 24
    item_pairs = [(by[(s, "TA")][3], by[(s, "TB")][3]) for s in studies]
    item3 = next(i for i in data["items"] if i["item"] == 3)
    assert item3["percent_agreement"] == pytest.approx(round(100 * _textbook_kappa(item_pairs)[0], 1))
    disagreements = {(d["study"], d["item"]) for d in data["disagreements"]}
    expected = {(s, str(n)) for s in studies for n in range(1, 9) if by[(s, "TA")][n] != by[(s, "TB")][n]}
    assert expected <= disagreements
    assert ("cukierman2004-warfarin", "overall") in disagreements


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_kappa_matches_r_irr_where_installed(tmp_path):
    probe = subprocess.run(
        ["Rscript", "-e", "cat(requireNamespace('irr', quietly=TRUE))"], capture_output=True, text=True, timeout=120
    )
    if probe.stdout.strip() != "TRUE":
        pytest.skip("R's irr package is not installed")
    raw = yaml.safe_load(THREE.read_text(encoding="utf-8"))["appraisals"]
    by = {(e["study"], e["reviewer"]): e["answers"] for e in raw}
    studies = list(dict.fromkeys(e["study"] for e in raw))
    pairs = [(by[(s, "TA")][n], by[(s, "TB")][n]) for s in studies for n in range(1, 9)]
    sheet = tmp_path / "pairs.csv"
    sheet.write_text("a,b\n" + "".join(f"{a},{b}\n" for a, b in pairs), encoding="utf-8")
    script = f"d <- read.csv('{sheet}'); cat(irr::kappa2(d)$value)"
    value = float(subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, timeout=120).stdout)
    assert cohen_kappa(pairs).kappa == pytest.approx(value)


# --- reading them ----------------------------------------------------------------------------------


def test_robvis_csv_has_the_generic_header_and_a_row_per_study():
    out = ok("--data", str(THREE), "appraisal", "--format", "robvis", "--reviewers", "TA,TB", "--tool", "murad2018")
    lines = out.splitlines()
    assert lines[0] == "Study,D1,D2,D3,D4,D5,D6,D7,D8,Overall"
    assert len(lines) == 1 + 6  # two unsettled reviewers: a row each, labelled with the reviewer
    consensus = ok("--data", str(EXAMPLE), "appraisal", "--format", "robvis").splitlines()
    assert consensus == [
        "Study,D1,D2,D3,D4,D5,D6,D7,D8,Overall",
        "fictional2025-diltiazem,High,Low,Low,High,Not applicable,Not applicable,Low,Low,Moderate",
    ]


def test_robvis_levels_read_back_as_robvis_reads_them():
    """robvis's clean_data: first letter of each word, lower case, 'na'/'n'/empty -> 'x', first letter."""
    import re

    def clean(value: str) -> str:
        letters = "".join(m.group(1) for m in re.finditer(r"\b(\w)\w+", value)).lower().strip()
        letters = "x" if letters in ("na", "n", "") else letters
        return {"u": "s", "m": "s"}.get(letters[0], letters[0])

    from calcinosis_cli.appraisal.rows import ROBVIS_LEVELS

    assert {a: clean(v) for a, v in ROBVIS_LEVELS.items()} == {
        "yes": "l",
        "no": "h",
        "unclear": "s",
        "not applicable": "x",
    }


def test_appraisal_rows_in_json_carry_counts_not_a_score():
    rows = json.loads(ok("--data", str(THREE), "appraisal", "--format", "json"))
    assert len(rows) == 6
    first = rows[0]
    assert first["q1"] == "yes" and first["overall"] == "moderate"
    assert first["yes"] + first["no"] + first["unclear"] + first["not_applicable"] == 8
    assert not any("score" in key for key in first)


def test_overall_by_study_prefers_consensus():
    ds = load_dataset([*bundled_paths(), EXAMPLE, THREE])
    overall = overall_by_study(ds)
    assert overall["fictional2025-diltiazem"] == ("moderate", "consensus")
    assert overall["dolan1995-diltiazem"] == ("moderate", "TA")


def test_list_rob_column_and_filter():
    rows = json.loads(ok("--data", str(THREE), "list", "--rob", "high", "--format", "json", "--columns", "id,rob"))
    assert rows == [{"id": "lassoued1988-warfarin", "rob": "high"}]
    unappraised = json.loads(ok("--data", str(THREE), "list", "--rob", "unappraised", "-f", "json", "-c", "id"))
    assert len(unappraised) == len(load_dataset().studies) - 3
    assert run("list", "--rob", "lo").exit_code == 2


def test_list_start_up_does_not_load_the_appraisal_package(tmp_path):
    command = [sys.executable, "-X", "importtime", "-m", "calcinosis_cli", "list", "--treatment", "warfarin"]
    env = _env(tmp_path)
    subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, check=True)  # warms the cache
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0
    loaded = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line]
    assert "calcinosis_cli.cli" in loaded  # the measure does see our modules
    assert [m for m in loaded if "apprais" in m or m.startswith("calcinosis_cli.figures")] == []


# --- figures -------------------------------------------------------------------------------------


def test_plot_rob_svg_is_valid_with_every_label_as_text_and_the_same_bytes(tmp_path):
    pytest.importorskip("matplotlib")
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    for out in (first, second):
        ok("--data", str(THREE), "plot", "rob", "--output", str(out))
    assert first.read_bytes() == second.read_bytes()
    root = ET.fromstring(first.read_bytes())
    texts = " ".join("".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text"))
    for label in ("dolan1995-diltiazem (TA)", "lassoued1988-warfarin (TB)", "cukierman2004-warfarin (TA)"):
        assert label in texts
    assert "Overall" in texts


def test_plot_rob_summary_svg_and_colourblind_palette(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "s.svg"
    ok("--data", str(THREE), "plot", "rob-summary", "--palette", "colourblind", "--output", str(out))
    data = out.read_text(encoding="utf-8")
    ET.fromstring(data)
    assert "#fed98e" in data and "#02c100" not in data.casefold()


def test_plot_rob_text_shows_symbols_with_a_legend():
    out = ok("--data", str(EXAMPLE), "plot", "rob")
    line = next(line for line in out.splitlines() if line.startswith("fictional2025-diltiazem"))
    assert line.split()[1:4] == ["x", "+", "+"]
    assert "moderate" in line
    assert "+ yes (low)" in out


def test_plot_rob_without_appraisals_is_a_usage_error():
    result = run("plot", "rob")
    assert result.exit_code == 2 and "no selected study has an appraisal" in result.stderr


def test_forest_rob_shows_each_rows_judgement():
    out = ok("--data", str(THREE), "plot", "forest", "--rob", "--treatment", "warfarin")
    assert "Lassoued 1988 [RoB high]" in out
    assert "[RoB not appraised]" in out


# --- report and SQLite ---------------------------------------------------------------------------


def test_report_markdown_has_the_risk_of_bias_section():
    from markdown_it import MarkdownIt

    out = ok(
        "--data", str(EXAMPLE), "report", "--treatment", "diltiazem", "--format", "markdown", "--date", "2025-01-01"
    )
    assert "## Risk of bias" in out
    tokens = MarkdownIt("commonmark").enable("table").parse(out)
    assert any(t.type == "table_open" for t in tokens)
    assert "x no (high)" in out and "− moderate" in out


def test_report_html_gives_symbols_a_text_equivalent(tmp_path):
    pytest.importorskip("matplotlib")
    html5lib = pytest.importorskip("html5lib")
    out = tmp_path / "r.html"
    ok("--data", str(EXAMPLE), "report", "-t", "diltiazem", "-f", "html", "-o", str(out), "--date", "2025-01-01")
    document = html5lib.parse(out.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    section = [el for el in document.iter("h2") if "Risk of bias" in "".join(el.itertext())]
    assert section
    hidden = [el for el in document.iter("span") if el.get("aria-hidden") == "true" and "".join(el.itertext()) == "x"]
    assert hidden  # the glyph is hidden from screen readers, its words are read
    assert "no (high)" in out.read_text(encoding="utf-8")


def test_sqlite_has_tools_items_and_answers(tmp_path):
    db = tmp_path / "c.db"
    ok("--data", str(THREE), "export", "--format", "sqlite", "--output", str(db))
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("SELECT COUNT(*) FROM appraisal_items WHERE tool_id = 'murad2018'").fetchone() == (8,)
    assert con.execute("SELECT COUNT(*) FROM appraisals").fetchone() == (6,)
    assert con.execute("SELECT COUNT(*) FROM appraisal_answers").fetchone() == (48,)
    con.close()


# --- import from a sheet -------------------------------------------------------------------------


def test_import_an_appraisal_sheet(tmp_path):
    sheet = tmp_path / "rob.csv"
    sheet.write_text(
        "study,tool,reviewer,date,q1,q2,q3,q4,q5,q6,q7,q8,q1_support,overall\n"
        "dolan1995-diltiazem,murad2018,AB,2025-03-01,y,n,u,na,na,na,yes,yes,one patient,high\n",
        encoding="utf-8",
    )
    out = tmp_path / "rob.yaml"
    run("import", str(sheet), "-o", str(out), "-q")
    ds = load_dataset([*bundled_paths(), out])
    (entry,) = ds.appraisals
    assert entry.answers[0] == model.Answer(1, "yes", "one patient")
    assert [a.answer for a in entry.answers][1:4] == ["no", "unclear", "not applicable"]
    bad = tmp_path / "bad.csv"
    bad.write_text(sheet.read_text(encoding="utf-8").replace(",u,", ",maybe,"), encoding="utf-8")
    result = run("import", str(bad), "-o", str(tmp_path / "bad.yaml"))
    assert result.exit_code == 1
    assert "row 2, column q3" in result.stderr


# --- appraise, through a pty --------------------------------------------------------------------


def _spawn(args, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = {**_env(tmp_path), "COLUMNS": "100", "TERM": "xterm"}
    return pexpect, pexpect.spawn(str(SCRIPT), args, env=env, cwd=str(tmp_path), encoding="utf-8", timeout=60)


def _answer_all(child, answers):
    for answer, reason in answers:
        child.expect("Answer")
        child.sendline(answer)
        if answer not in ("b", "back"):
            child.expect("Reason or quote")
            child.sendline(reason)


def test_appraise_writes_a_valid_entry_keeping_the_file(tmp_path):
    target = tmp_path / "mine.yaml"
    original = "# my appraisals, by hand\n" + THREE.read_text(encoding="utf-8") + "\n# a comment at the end\n"
    target.write_text(original, encoding="utf-8")
    pexpect, child = _spawn(
        ["appraise", "maillard2001-anti-tnf", "--reviewer", "TA", "--output", str(target), "--date", "2025-02-02"],
        tmp_path,
    )
    child.expect("maillard2001-anti-tnf")  # the study is shown first
    _answer_all(child, [("y", ""), ("n", "dose not stated"), ("b", ""), ("u", "dose not stated")])
    _answer_all(child, [("na", ""), ("na", ""), ("na", ""), ("y", ""), ("y", ""), ("y", "")])
    child.expect("overall judgement")
    child.sendline("moderate")
    child.expect("Reason for it")
    child.sendline("one case")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    written = target.read_text(encoding="utf-8")
    assert written.startswith(original.rstrip("\n").rsplit("\n# a comment at the end", 1)[0])
    assert "# a comment at the end" in written
    ds = load_dataset([*bundled_paths(), target])
    entry = next(a for a in ds.appraisals if a.study == "maillard2001-anti-tnf")
    assert [a.answer for a in entry.answers] == ["yes", "unclear", *["not applicable"] * 3, "yes", "yes", "yes"]
    assert entry.answers[1] == model.Answer(2, "unclear", "dose not stated")
    assert entry.overall == "moderate" and entry.overall_reason == "one case"
    assert len(ds.appraisals) == 7


def test_appraise_ctrl_c_leaves_the_file_byte_for_byte(tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_bytes(THREE.read_bytes())
    before = target.read_bytes()
    pexpect, child = _spawn(
        ["appraise", "maillard2001-anti-tnf", "--reviewer", "TA", "--output", str(target)], tmp_path
    )
    _answer_all(child, [("y", ""), ("n", "")])
    child.expect("Answer")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130 or child.signalstatus is not None
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".calcinosis-")] == []


def test_appraise_refuses_an_existing_entry_without_force(tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_bytes(THREE.read_bytes())
    result = run("appraise", "dolan1995-diltiazem", "--reviewer", "TA", "--output", str(target))
    assert result.exit_code == 2
    assert "add --force" in result.stderr
    assert target.read_bytes() == THREE.read_bytes()
