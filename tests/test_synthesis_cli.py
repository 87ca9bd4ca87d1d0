"""``show``, ``cite``, ``report``, ``cases`` and the later-evidence marks, through click.

Markdown is checked by parsing it (markdown-it-py with the GFM table rule; footnotes with
mdit-py-plugins when it is installed), citations with bibtexparser and rispy, and the
report against a golden file that was read line by line against the source paper.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from clihelp import ok, run
from markdown_it import MarkdownIt

from calcinosis_cli.analysis.cases import CASE_COLUMNS, DEFAULT_CASE_COLUMNS
from calcinosis_cli.analysis.levels import level_for, level_reason
from calcinosis_cli.analysis.rows import COLUMNS
from calcinosis_cli.dataset.load import load_dataset
from calcinosis_cli.documents.evidence_report import RESPONDER_QUOTE, SCOPE
from calcinosis_cli.references.bibliography import vancouver
from calcinosis_cli.render.markdown import escape_inline

GOLDEN = Path(__file__).parent / "golden"
DATASET = load_dataset()
BY_MARKER = {footnote.marker: footnote for footnote in DATASET.footnotes}
STUDY_IDS = [s.id for s in DATASET.studies]

WARFARIN = [
    "berger1987-warfarin-phase-1",
    "berger1987-warfarin-phase-2",
    "lassoued1988-warfarin",
    "yoshida1993-warfarin",
    "cukierman2004-warfarin",
]
WARFARIN_REFS = ["berger1987", "lassoued1988", "yoshida1993", "cukierman2004"]
BISPHOSPHONATES = [
    "metzger1974-etidronate-10mgkg",
    "metzger1974-etidronate-20mgkg",
    "mukamel2001-alendronate",
    "oliveira2003-alendronate",
]
# Rows whose outcome carries a footnote marker (the etidronate sub-row through the cell above it).
FOOTNOTES = {
    "metzger1974-etidronate-10mgkg": "*",
    "metzger1974-etidronate-20mgkg": "*",
    "mendelson1977-surgical-removal": "†",
    "bottomley1996-carbon-dioxide-laser": "‡",
    "vaysairat1998-diltiazem": "§",
    "lassoued1988-warfarin": "¶",
}
# Quoted from the Results of the review's abstract, word for word (tests/fixtures/traineau2020_abstract.txt).
WARFARIN_STATEMENT = (
    "On the basis of results of a small randomized controlled trial and 4 retrospective studies, "
    "low-dose warfarin should not be used for calcinosis cutis (level IB evidence)."
)
BISPHOSPHONATE_STATEMENT = (
    "The results of several studies suggest diltiazem and bisphosphonates might be useful treatment options (level IV)."
)
NON_TREATMENT_SECTIONS = {
    "Who responded: the source paper's observation",
    "Quirks of the source, kept as printed",
    "References",
}


def md_parser() -> MarkdownIt:
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark").enable("table").use(footnote_plugin)


def inline_text(token) -> str:
    """What a reader sees of an inline token: escapes resolved, <br> as a newline."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "html_inline" and child.content.lower().startswith("<br"):
            parts.append("\n")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def table_cells(tokens, start: int = 0) -> list[list[str]]:
    """The cells of the first table at or after token ``start``."""
    cells: list[list[str]] = []
    inside = False
    for token in tokens[start:]:
        if token.type == "table_open":
            inside = True
        elif token.type == "table_close" and inside:
            return cells
        elif inside and token.type == "tr_open":
            cells.append([])
        elif inside and token.type == "inline":
            cells[-1].append(inline_text(token))
    raise AssertionError("no table found")


def headings(tokens, level: int) -> list[str]:
    tag = f"h{level}"
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == tag]


def section(text: str, heading: str) -> str:
    """The Markdown from a level-2 heading to the next one."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


# --- show ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def details() -> dict[str, dict]:
    return {i: json.loads(ok("show", i, "--format", "json")) for i in STUDY_IDS}


def test_every_study_is_shown(details):
    assert len(details) == 18
    assert [d["id"] for d in details.values()] == STUDY_IDS


@pytest.mark.parametrize("study_id", STUDY_IDS)
def test_show_json_has_citation_level_and_reason(study_id, details):
    detail = details[study_id]
    study = DATASET.study(study_id)
    assert detail["citation"] == vancouver(DATASET.references[study.reference])
    assert detail["reference_id"] == study.reference
    assert detail["level"] == level_for(study.design)
    assert detail["level_reason"] == level_reason(study.design)
    assert detail["n"] == study.n
    for key in ("quirks", "cases", "reference_notes", "later_evidence", "notes"):
        assert isinstance(detail[key], list), key


@pytest.mark.parametrize("study_id", STUDY_IDS)
def test_show_json_footnote(study_id, details):
    detail = details[study_id]
    marker = FOOTNOTES.get(study_id)
    if marker is None:
        assert (detail["footnote"], detail["footnote_marker"]) == (None, None)
    else:
        assert detail["footnote_marker"] == marker
        assert detail["footnote"] == BY_MARKER[marker].text


def test_show_footnote_text_is_as_printed(details):
    assert details["lassoued1988-warfarin"]["footnote"] == "in a follow up of 8–63 months as rated by patients"
    assert details["mendelson1977-surgical-removal"]["footnote"] == (
        "in a follow up of 8–63 months, as rated by patients"
    )
    assert details["metzger1974-etidronate-20mgkg"]["footnote"] == (
        "As indicated by increase in subcutaneous calcinosis per clinical and radiograph evaluation"
    )


@pytest.mark.parametrize("study_id", WARFARIN)
def test_show_json_warfarin_later_evidence(study_id, details):
    (entry,) = details[study_id]["later_evidence"]
    assert entry["statement"] == WARFARIN_STATEMENT
    assert (entry["quoted"], entry["quoted_from"]) == (True, "abstract, Results")
    assert entry["text"] == f"“{WARFARIN_STATEMENT}” (abstract, Results)"
    assert entry["level"] == "IB" and entry["via_class"] is False
    assert entry["citation"].startswith("Traineau H, Aggarwal R, Monfort JB, et al. Treatment of calcinosis cutis")
    assert "J Am Acad Dermatol 2020;82(2):317-325" in entry["citation"]
    assert details[study_id]["later"] == "Traineau 2020 (IB)"


@pytest.mark.parametrize("study_id", BISPHOSPHONATES)
def test_show_json_bisphosphonate_later_evidence_through_class(study_id, details):
    (entry,) = details[study_id]["later_evidence"]
    assert (entry["statement"], entry["level"]) == (BISPHOSPHONATE_STATEMENT, "IV")
    # The statement names bisphosphonates, not the row's drug: it reaches the row through its class.
    assert entry["via_class"] is True
    assert details[study_id]["later"] == "Traineau 2020 (IV, class)"


def test_show_json_no_later_evidence_for_minocycline(details):
    detail = details["robertson2003-minocycline"]
    assert detail["later_evidence"] == []
    assert detail["later"] is None


def test_show_json_anti_tnf_later_evidence_has_its_scope(details):
    (entry,) = details["maillard2001-anti-tnf"]["later_evidence"]
    assert (entry["level"], entry["scope"]) == ("IV", "juvenile dermatomyositis")


@pytest.mark.parametrize("quirk", DATASET.quirks, ids=[q.id for q in DATASET.quirks])
def test_show_json_quirks_reach_their_rows(quirk, details):
    targets = [i for i in STUDY_IDS if i in quirk.applies_to or DATASET.study(i).reference in quirk.applies_to]
    # A quirk of the source as a whole (its table title, its page footer) concerns no one row.
    assert targets or not quirk.applies_to, quirk.id
    for study_id in STUDY_IDS:
        assert (quirk.text in details[study_id]["quirks"]) == (study_id in targets), (quirk.id, study_id)


def test_show_json_diltiazem_180_has_the_spelling_quirk(details):
    quirks = details["vaysairat1998-diltiazem"]["quirks"]
    assert len(quirks) == 2
    assert any('"Vayssairat et al (1998)"' in q and '"Vaysairat M"' in q for q in quirks)
    assert details["dolan1995-diltiazem"]["quirks"] == []


def test_show_json_cases_only_for_the_source_series(details):
    cases = details["cukierman2004-warfarin"]["cases"]
    assert [c["case"] for c in cases] == [1, 2, 3]
    assert [c["response"] for c in cases] == ["complete resolution", "complete resolution", "no change"]
    for case in cases:
        assert list(case) == list(CASE_COLUMNS)
    assert all(d["cases"] == [] for i, d in details.items() if i != "cukierman2004-warfarin")


def test_show_json_reference_notes(details):
    assert details["vaysairat1998-diltiazem"]["reference_notes"][0].startswith("Table 1 spells the first author")
    assert details["yoshida1993-warfarin"]["reference_notes"] == []


@pytest.mark.parametrize("study_id", STUDY_IDS)
def test_show_markdown_reads_back_as_the_json(study_id, details):
    text = ok("show", study_id, "--format", "markdown")
    tokens = md_parser().parse(text)
    assert headings(tokens, 2) == [study_id]
    cells = table_cells(tokens)
    assert cells[0] == ["field", "value"]
    fields = dict(cells[1:])
    detail = details[study_id]
    assert fields["ID"] == study_id
    assert fields["Outcome (printed)"] == detail["outcome"]
    assert fields["Level (CEBM 2009, the tool's reading)"] == detail["level"]
    assert fields["Why this level"] == detail["level_reason"]
    assert fields["Citation"] == detail["citation"]
    assert fields["N"] == str(detail["n"])
    assert fields["Treatment (printed)"] == detail["treatment_printed"]
    if study_id in FOOTNOTES:
        assert fields["Footnote"] == f"{FOOTNOTES[study_id]} {detail['footnote']}"
    else:
        assert "Footnote" not in fields
    assert ("### Later evidence" in text) == bool(detail["later_evidence"])
    assert ("### Quirks of the source" in text) == bool(detail["quirks"])
    assert ("### Cases" in text) == bool(detail["cases"])


def test_show_markdown_berger_phase_ii_outcome_exactly():
    tokens = md_parser().parse(ok("show", "berger1987-warfarin-phase-2", "--format", "markdown"))
    fields = dict(table_cells(tokens)[1:])
    assert fields["Outcome (printed)"] == (
        "2/3 Treatment group had improvement in bone scan scores 0/4 Placebo group showed improvement"
    )
    assert fields["Diagnosis (printed)"] == "Placebo treatment"
    assert fields["Level (CEBM 2009, the tool's reading)"] == "2b"
    assert "<80% follow-up" in fields["Why this level"]
    assert (fields["N"], fields["Treated"], fields["In no arm"]) == ("8", "3", "1")
    assert fields["Design (calcinosis vocabulary)"] == "placebo-controlled trial"
    text = ok("show", "berger1987-warfarin-phase-2", "--format", "markdown")
    assert (
        "- Placebo group: received placebo, 4 patients: 4 not improved (a control arm: never counted as treated)"
        in text
    )


def test_show_json_holds_the_placebo_arm_with_its_n(details):
    detail = details["berger1987-warfarin-phase-2"]
    assert (detail["n"], detail["treated"], detail["unassigned"]) == (8, 3, 1)
    placebo = next(arm for arm in detail["arms"] if arm["received"] == "placebo")
    assert placebo == {
        "label": "Placebo group",
        "received": "placebo",
        "n": 4,
        "improved": 0,
        "unchanged": 0,
        "worsened": 0,
        "not_improved": 4,  # "0/4 Placebo group showed improvement"
        "not_stated": 0,
        "counted": False,
    }
    treated = next(arm for arm in detail["arms"] if arm["received"] == "warfarin")
    assert (treated["n"], treated["improved"], treated["not_improved"], treated["not_stated"]) == (3, 2, 1, 0)
    # The row's own counts are its treated patients only.
    assert (detail["improved"], detail["not_improved"], detail["not_stated"]) == (2, 1, 0)


def test_show_marks_the_tools_vocabulary(details):
    assert details["maillard2002-anti-tnf"]["tool_vocabulary"] == [
        "treatment",
        "class",
        "diagnoses",
        "design",
        "level",
        "kind",
    ]
    text = ok("show", "maillard2002-anti-tnf", "--format", "markdown")
    for label in ("Class (calcinosis vocabulary)", "Design (calcinosis vocabulary)", "Reference kind (calcinosis"):
        assert label in text, label


def test_show_qualifies_a_scoped_statement_on_a_broader_diagnosis(details):
    broader = details["maillard2002-anti-tnf"]  # idiopathic inflammatory myositis: broader than JDM
    within = details["maillard2001-anti-tnf"]  # juvenile dermatomyositis
    assert broader["later"] == "Traineau 2020 (IV, class, JDM only)"
    assert within["later"] == "Traineau 2020 (IV, class)"
    assert [e["qualified"] for e in broader["later_evidence"]] == [True]
    assert [e["qualified"] for e in within["later_evidence"]] == [False]


def test_show_markdown_escaped_cells_read_back():
    tokens = md_parser().parse(ok("show", "metzger1974-etidronate-20mgkg", "--format", "markdown"))
    fields = dict(table_cells(tokens)[1:])
    assert fields["Treatment (printed)"] == ">20 mg/kg"
    assert fields["Outcome (printed)"] == "5/6 Progression*"
    assert fields["Tally covers"] == "metzger1974-etidronate-10mgkg; metzger1974-etidronate-20mgkg"


def test_show_markdown_cases_table():
    text = ok("show", "cukierman2004-warfarin", "--format", "markdown")
    tokens = md_parser().parse(text)
    start = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "Cases")
    cells = table_cells(tokens, start)
    assert cells[0] == ["case", "age_years", "sex", "ssc_subtype", "largest_lesion_cm", "dose", "response"]
    assert [row[0] for row in cells[1:]] == ["1", "2", "3"]
    assert [row[1] for row in cells[1:]] == ["35", "30", "70"]
    assert cells[3][-1] == "no change"


def test_show_markdown_later_evidence_line():
    text = ok("show", "yoshida1993-warfarin", "--format", "markdown")
    later = section("\n" + text.replace("### ", "## "), "Later evidence")
    assert WARFARIN_STATEMENT in later
    assert "(level IB as graded by the review)" in later
    assert "Traineau H" in later


def test_show_default_format_in_a_pipe_is_markdown():
    assert ok("show", "yoshida1993-warfarin") == ok("show", "yoshida1993-warfarin", "--format", "markdown")


def test_show_id_is_case_insensitive():
    detail = json.loads(ok("show", "BERGER1987-Warfarin-Phase-1", "--format", "json"))
    assert detail["id"] == "berger1987-warfarin-phase-1"


def test_show_unknown_id_suggests_close_ids():
    result = run("show", "berger")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "unknown study id 'berger'" in result.stderr
    assert "'berger1987-warfarin-phase-1'" in result.stderr
    assert "'berger1987-warfarin-phase-2'" in result.stderr
    assert "did you mean" in result.stderr


def test_show_unknown_id_without_close_ids():
    result = run("show", "qqqqqqqq")
    assert result.exit_code == 2
    assert "unknown study id 'qqqqqqqq'" in result.stderr
    assert "did you mean" not in result.stderr


def test_show_bad_format_exits_2():
    assert run("show", "yoshida1993-warfarin", "--format", "csv").exit_code == 2


@pytest.mark.parametrize("study_id", ["yoshida1993-warfarin", "mukamel2001-alendronate"])
def test_show_no_later_evidence(study_id):
    detail = json.loads(ok("show", study_id, "--format", "json", "--no-later-evidence"))
    assert "later_evidence" not in detail
    assert "later" not in detail
    assert detail["citation"]
    text = ok("show", study_id, "--format", "markdown", "--no-later-evidence")
    assert "Later evidence" not in text
    assert "Traineau" not in text


# --- cite ------------------------------------------------------------------------------------


def parse_bibtex(text: str) -> list[dict[str, str]]:
    import bibtexparser
    from bibtexparser.bparser import BibTexParser

    parser = BibTexParser(common_strings=False)
    parser.ignore_nonstandard_types = False
    parser.homogenize_fields = False
    return bibtexparser.loads(text, parser).entries


def numbered(text: str) -> list[tuple[int, str]]:
    out = []
    for line in text.splitlines():
        match = re.fullmatch(r"(\d+)\. (.+)", line)
        assert match, line
        out.append((int(match.group(1)), match.group(2)))
    return out


def test_cite_default_is_a_numbered_vancouver_list():
    text = ok("cite")
    assert text == ok("cite", "--style", "vancouver")
    entries = numbered(text)
    ref_ids = list(dict.fromkeys(s.reference for s in DATASET.studies))
    assert [n for n, _ in entries] == list(range(1, len(ref_ids) + 1))
    assert [t for _, t in entries] == [vancouver(DATASET.references[r]) for r in ref_ids]
    # Background references of the paper that no row cites are not listed.
    assert not any("Black CM" in t for _, t in entries)


def test_cite_vancouver_warfarin():
    entries = numbered(ok("cite", "-t", "warfarin"))
    assert entries == [(i + 1, vancouver(DATASET.references[r])) for i, r in enumerate(WARFARIN_REFS)]
    assert sum("Berger RG" in t for _, t in entries) == 1


def test_cite_bibtex_warfarin():
    text = ok("cite", "-t", "warfarin", "--style", "bibtex")
    entries = parse_bibtex(text)
    assert [e["ID"] for e in entries] == WARFARIN_REFS
    assert text.count("@article{berger1987,") == 1
    berger = entries[0]
    assert berger["year"] == "1987"
    assert berger["journal"] == "Am J Med"


def test_cite_ris_warfarin():
    import rispy

    entries = rispy.loads(ok("cite", "-t", "warfarin", "--style", "ris"))
    assert [e["id"] for e in entries] == WARFARIN_REFS
    assert entries[0]["authors"][0] == "Berger, RG"
    assert entries[0]["year"] == "1987"


def test_cite_csl_json_warfarin():
    items = json.loads(ok("cite", "-t", "warfarin", "--style", "csl-json"))
    assert isinstance(items, list)
    assert [i["id"] for i in items] == WARFARIN_REFS
    assert items[0]["title"] == "Treatment of calcinosis universalis with low-dose warfarin"


@pytest.mark.parametrize("style", ["vancouver", "bibtex", "ris"])
def test_cite_nothing_matches_prints_nothing(style):
    assert ok("cite", "-t", "warfarin", "--min-n", "1000", "--style", style) == ""


def test_cite_nothing_matches_csl_json_is_an_empty_list():
    out = ok("cite", "-t", "warfarin", "--min-n", "1000", "--style", "csl-json")
    assert json.loads(out) == []
    assert out == "[]\n"


def test_cite_bad_filter_exits_2():
    result = run("cite", "-t", "warfarn")
    assert result.exit_code == 2
    assert "warfarin" in result.stderr


def test_cite_bad_style_exits_2():
    assert run("cite", "--style", "no-such-style").exit_code == 2


# --- report ------------------------------------------------------------------------------------


REPORT_WARFARIN = ("report", "--treatment", "warfarin", "--date", "2026-01-01")


@pytest.fixture(scope="module")
def warfarin_report() -> str:
    return ok(*REPORT_WARFARIN)


@pytest.fixture(scope="module")
def full_report() -> str:
    return ok("report", "--date", "2026-01-01")


def test_report_matches_golden_file(warfarin_report):
    golden = (GOLDEN / "report_warfarin.md").read_text(encoding="utf-8")
    assert warfarin_report == golden, (
        "report output changed; if intended, regenerate tests/golden/report_warfarin.md with "
        "'calcinosis report --treatment warfarin --date 2026-01-01' and re-read it against the paper"
    )


def test_report_is_deterministic(warfarin_report):
    assert ok(*REPORT_WARFARIN) == warfarin_report


def test_report_source_date_epoch():
    # 2026-01-01T00:00:00Z
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    first = ok("report", "--treatment", "warfarin", env=env)
    assert first == ok("report", "--treatment", "warfarin", env=env)
    assert " on 2026-01-01 with `calcinosis report --treatment warfarin`" in first


def test_report_date_option_wins_over_source_date_epoch():
    out = ok("report", "-t", "warfarin", "--date", "2030-05-06", env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert " on 2030-05-06 with " in out
    assert "2026-01-01" not in out


def test_report_rejects_an_invalid_date():
    result = run("report", "-t", "warfarin", "--date", "2026-13-45")
    assert result.exit_code == 2


def test_report_title_heading(warfarin_report):
    tokens = md_parser().parse(warfarin_report)
    assert tokens[0].type == "heading_open" and tokens[0].tag == "h1"
    assert headings(tokens, 1) == ["Evidence summary: treatments for calcinosis cutis"]


def test_report_provenance_line(warfarin_report):
    tokens = md_parser().parse(warfarin_report)
    paragraph = next(t for t in tokens if t.type == "inline" and t.content.startswith("*Generated by"))
    codes = [c.content for c in paragraph.children if c.type == "code_inline"]
    # The command exactly as typed, so that running it again gives the same report.
    assert codes == ["calcinosis report --treatment warfarin --date 2026-01-01"]
    text = inline_text(paragraph)
    assert f"dataset version {DATASET.version}" in text
    assert " on 2026-01-01 " in text
    assert text.startswith("Generated by calcinosis ")


def test_report_provenance_names_no_later_evidence():
    out = ok("report", "-t", "warfarin", "--no-later-evidence", "--date", "2026-01-01")
    assert "`calcinosis report -t warfarin --no-later-evidence --date 2026-01-01`" in out


def test_report_provenance_quotes_filters_for_the_shell():
    out = ok("report", "-q", "-d", "systemic sclerosis", "--min-n", "2", "--date", "2026-01-01")
    assert "`calcinosis report -q -d 'systemic sclerosis' --min-n 2 --date 2026-01-01`" in out


def test_report_provenance_names_the_data_and_the_level(tmp_path):
    # Every option that changes the numbers is in it: a rerun gives the same report.
    mine = tmp_path / "mine.yaml"
    mine.write_text("classes:\n  - id: my class\n", encoding="utf-8")
    out = ok("--data", str(mine), "report", "-t", "warfarin", "--level", "90", "--date", "2026-01-01")
    assert f"`calcinosis --data {mine} report -t warfarin --level 90 --date 2026-01-01`" in out


def _treatment_heading(treatment_id: str) -> str:
    treatment = DATASET.treatments[treatment_id]
    return f"{treatment_id[:1].upper()}{treatment_id[1:]} ({treatment.treatment_class})"


def test_report_one_section_per_treatment(full_report, warfarin_report):
    expected = [_treatment_heading(t) for t in dict.fromkeys(s.treatment for s in DATASET.studies)]
    sections = [h for h in headings(md_parser().parse(full_report), 2) if h not in NON_TREATMENT_SECTIONS]
    assert sections == expected
    assert len(sections) == 10
    sections = [h for h in headings(md_parser().parse(warfarin_report), 2) if h not in NON_TREATMENT_SECTIONS]
    assert sections == ["Warfarin (vitamin K antagonist)"]


def test_report_sections_hold_their_rows(full_report):
    tokens = md_parser().parse(full_report)
    seen: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2" and tokens[i + 1].content not in NON_TREATMENT_SECTIONS:
            cells = table_cells(tokens, i)
            assert cells[0] == ["Study", "Dose", "N", "Treated", "Diagnosis", "Outcome", "Design", "Level", "Reference"]
            for row in cells[1:]:
                # The Study cell ends in the mark of the row's readings (a note under the table).
                row[0] = max((s.id for s in DATASET.studies if row[0].startswith(s.id)), key=len)
                study = DATASET.study(row[0])
                assert tokens[i + 1].content == _treatment_heading(study.treatment)
                assert row[2] == str(study.n)
                assert row[3] == str(sum(arm.n for arm in DATASET.treated_arms(study)) if study.arms else study.n)
                assert row[7] == level_for(study.design)
                seen.append(row[0])
    # Rows keep dataset order within a section; sections come in order of first appearance.
    order = dict.fromkeys(s.treatment for s in DATASET.studies)
    assert seen == [s.id for t in order for s in DATASET.studies if s.treatment == t]


def test_report_tally_line(warfarin_report):
    assert (
        "Crude tally: 17 patients who received warfarin, in 4 studies (5 rows): 7 improved, 4 unchanged, "
        "5 worsened, 1 not improved, 0 not stated; improved in 41.2% (95% CI 18.4–67.1, exact) of the 17 with a "
        "stated outcome." in warfarin_report
    )
    assert "Caveat: berger1987: phase I and phase II are phases of one trial and may share patients" in warfarin_report
    assert (
        "Not counted as treated: berger1987-warfarin-phase-2: Placebo group (placebo, 4 patients: 4 not improved), "
        "a control arm; berger1987-warfarin-phase-2: 1 patient of N = 8 in no arm the source reports."
        in warfarin_report
    )


def test_report_split_tally_carries_the_caveat():
    out = ok("report", "-q", "-d", "dermatomyositis", "--date", "2026-01-01")
    etidronate = section(out, "Etidronate (bisphosphonate)")
    assert (
        "Crude tally: 3 patients who received etidronate, in 1 study: 0 improved, 0 unchanged, 0 worsened, "
        "0 not improved, 3 not stated." in etidronate
    )
    assert "Caveat: an outcome printed across rows" in etidronate


def test_report_tally_line_singular():
    out = ok("report", "--author", "yoshida", "--date", "2026-01-01")
    assert "Crude tally: 1 patient who received warfarin, in 1 study:" in out


FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:", re.MULTILINE)


@pytest.mark.parametrize("args", [(), ("-t", "warfarin"), ("-t", "diltiazem"), ("-d", "dermatomyositis")])
def test_report_footnotes_textually(args):
    text = ok("report", "-q", *args, "--date", "2026-01-01")
    refs = set(FOOTNOTE_REF.findall(text))
    defs = FOOTNOTE_DEF.findall(text)
    assert len(defs) == len(set(defs))
    assert refs == set(defs)


def test_report_footnotes_parse(full_report, warfarin_report):
    import mdit_py_plugins  # noqa: F401 - a test dependency: fail, do not skip

    for text, expected in ((warfarin_report, {"pilcrow"}), (full_report, None)):
        env: dict = {}
        tokens = md_parser().parse(text, env)
        used = {
            child.meta["label"]
            for t in tokens
            if t.type == "inline"
            for child in t.children or []
            if child.type == "footnote_ref"
        }
        defined = {label[1:] for label in env.get("footnotes", {}).get("refs", {})}
        # -1 marks a definition that nothing refers to.
        assert all(i != -1 for i in env["footnotes"]["refs"].values())
        assert used == defined
        if expected is not None:
            assert used == expected
        # No reference was left unparsed.
        assert "[^" not in "".join(inline_text(t) for t in tokens if t.type == "inline")
    assert len(defined) == 5


def test_report_footnote_definitions_are_the_printed_footnotes(full_report):
    defs = dict(re.findall(r"^\[\^([^\]\s]+)\]: (.*)$", full_report, re.MULTILINE))
    for marker, footnote in BY_MARKER.items():
        assert escape_inline(f"{marker} {footnote.text}") in defs.values()


def _citations(text: str) -> tuple[list[int], list[tuple[int, str]]]:
    body, _, refs = text.partition("\n## References\n")
    cited = [int(n) for n in re.findall(r"(?<!\\)\[(\d+)\]", body)]
    listed = [(int(m.group(1)), m.group(2)) for m in re.finditer(r"^(\d+)\. (.+)$", refs, re.MULTILINE)]
    return cited, listed


@pytest.mark.parametrize(
    "args", [(), ("-t", "warfarin"), ("-t", "warfarin", "--no-later-evidence"), ("-t", "diltiazem")]
)
def test_report_numbered_citations_match_the_reference_list(args):
    text = ok("report", "-q", *args, "--date", "2026-01-01")
    cited, listed = _citations(text)
    numbers = [n for n, _ in listed]
    assert numbers == list(range(1, len(numbers) + 1))
    assert set(cited) == set(numbers)
    # Numbers are given in order of first citation.
    assert list(dict.fromkeys(cited)) == numbers
    # The list is one ordered list in the parse tree.
    tokens = md_parser().parse(text)
    start = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "References")
    rest = tokens[start:]
    # A paragraph first says which numbering the list uses (the source paper's numbers beside).
    assert rest[2].type == "paragraph_open" and "source ref." in rest[3].content
    first = next(i for i, t in enumerate(rest) if t.type == "ordered_list_open")
    assert sum(1 for t in rest if t.type == "list_item_open" and t.level == rest[first].level + 1) == len(numbers)


def test_report_warfarin_references(warfarin_report):
    # What the reader sees is each entry in the paper's own (Vancouver) style ...
    # ... and, where the source paper numbers it, that number: the one its quirks and notes use.
    refs = [DATASET.references[r] for r in (*WARFARIN_REFS, "traineau2020")]
    assert reference_list(warfarin_report) == [
        vancouver(ref) + (f" (source ref. {ref.number})" if ref.number else "") for ref in refs
    ]
    assert "source ref. 2)" in warfarin_report and "source ref. 5)" not in warfarin_report
    # ... with its DOI and PMID as links where the data holds them.
    links = [t.attrGet("href") for t in md_parser().parse(warfarin_report)[-40:] for t in (t.children or [])
             if t.type == "link_open"]  # fmt: skip
    assert "https://doi.org/10.1016/j.jaad.2019.07.006" in links
    assert "https://pubmed.ncbi.nlm.nih.gov/31302187/" in links


def reference_list(text: str) -> list[str]:
    """The rendered text of each entry of the References list."""
    tokens = md_parser().parse(text)
    start = next(i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "References")
    entries = []
    in_list = False
    for token in tokens[start + 1 :]:
        in_list = in_list or token.type == "ordered_list_open"
        if token.type == "ordered_list_close":
            break
        if token.type == "inline" and in_list:
            entries.append("".join(c.content for c in token.children or [] if c.type == "text"))
    return entries


def test_report_responder_observation_and_cases(warfarin_report):
    assert escape_inline(RESPONDER_QUOTE) == RESPONDER_QUOTE
    who = section(warfarin_report, "Who responded: the source paper's observation")
    assert f"> {RESPONDER_QUOTE} [4]" in who
    tokens = md_parser().parse(who)
    cells = table_cells(tokens)
    assert cells[0][0] == "Case"
    assert [row[0] for row in cells[1:]] == ["1", "2", "3"]
    assert [row[1] for row in cells[1:]] == ["35", "30", "70"]
    assert [row[-1] for row in cells[1:]] == ["complete resolution", "complete resolution", "no change"]


def test_report_without_the_series_has_no_cases():
    out = ok("report", "-t", "diltiazem", "--date", "2026-01-01")
    assert "Who responded" not in out
    assert RESPONDER_QUOTE not in out
    assert "complete resolution" not in out
    # Berger, Lassoued and Yoshida alone are not the source's own series either.
    out = ok("report", "-t", "warfarin", "--year-to", "2000", "--date", "2026-01-01")
    assert "Who responded" not in out


def test_report_scope_statement(warfarin_report):
    tokens = md_parser().parse(warfarin_report)
    quotes = [
        tokens[i + 2].content
        for i, t in enumerate(tokens)
        if t.type == "blockquote_open" and tokens[i + 2].type == "inline"
    ]
    assert SCOPE in quotes
    assert "not a systematic review, a meta-analysis or medical advice" in SCOPE


def test_report_warfarin_section_has_the_later_evidence(warfarin_report):
    warfarin = section(warfarin_report, "Warfarin (vitamin K antagonist)")
    line = next(line for line in warfarin.splitlines() if line.startswith("**Later evidence:**"))
    # A quotation, in quotation marks, with where it stands; its own words give the level.
    assert line == f"**Later evidence:** “{escape_inline(WARFARIN_STATEMENT)}” (abstract, Results) [5]"
    _, listed = _citations(warfarin_report)
    assert listed[4][1].startswith("Traineau H, Aggarwal R, Monfort JB, et al.")


def test_report_no_later_evidence(warfarin_report):
    out = ok("report", "-t", "warfarin", "--no-later-evidence", "--date", "2026-01-01")
    assert "Later evidence" not in out
    assert "Traineau" not in out
    assert WARFARIN_STATEMENT not in out
    # Everything else stays.
    assert "Crude tally: 17 patients" in out
    assert len(_citations(out)[1]) == 4


def test_report_bisphosphonates_carry_the_class_statement():
    out = ok("report", "-t", "bisphosphonate", "--date", "2026-01-01")
    for heading in ("Etidronate (bisphosphonate)", "Alendronate (bisphosphonate)"):
        quote = f"“{BISPHOSPHONATE_STATEMENT}” (abstract, Results)"
        expected = f"**Later evidence:** {quote} It is about the treatment's class."
        assert expected in section(out, heading)


def test_report_nothing_matches_is_still_a_document():
    text = ok("report", "--min-n", "1000", "--date", "2026-01-01")
    tokens = md_parser().parse(text)
    assert headings(tokens, 1) == ["Evidence summary: treatments for calcinosis cutis"]
    assert headings(tokens, 2) == []
    assert "No studies match the filters." in [t.content for t in tokens if t.type == "inline"]
    assert SCOPE in text
    assert "`calcinosis report --min-n 1000 --date 2026-01-01`" in text
    assert "## References" not in text
    assert "[^" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_report_bad_filter_exits_2():
    result = run("report", "--outcome", "cured")
    assert result.exit_code == 2
    assert "cured" in result.stderr


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("reader", ["markdown", "gfm"])
def test_report_converts_with_pandoc(reader, full_report, tmp_path):
    source = tmp_path / "report.md"
    source.write_text(full_report, encoding="utf-8")
    done = subprocess.run(
        ["pandoc", "--from", reader, "--to", "html", "--wrap=none", str(source)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    html = done.stdout
    assert html.count("<table") == 11  # one per treatment section (10) and the cases
    assert 'class="footnote-ref"' in html
    assert "Evidence summary: treatments for calcinosis cutis" in html


# --- cases ----------------------------------------------------------------------------------


def case_numbers(*args: str) -> list[int]:
    return [row["case"] for row in json.loads(ok("cases", "--format", "json", *args))]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), [1, 2, 3]),
        (("--response", "complete resolution"), [1, 2]),
        (("--response", "no change"), [3]),
        (("--response", "no change", "--response", "complete resolution"), [1, 2, 3]),
        (("--max-lesion-cm", "2"), [1, 2]),
        (("--min-lesion-cm", "2.5"), [3]),
        (("--min-age", "60"), [3]),
        (("--max-age", "32"), [2]),
        (("--subtype", "diffuse cutaneous"), [2]),
        (("--subtype", "limited cutaneous"), [1, 3]),
        (("--subtype", "limited cutaneous", "--max-lesion-cm", "2"), [1]),
        (("--min-age", "90"), []),
    ],
)
def test_cases_filters(args, expected):
    assert case_numbers(*args) == expected


@pytest.mark.parametrize(("option", "value"), [("--response", "partial"), ("--subtype", "sine scleroderma")])
def test_cases_unknown_choice_exits_2(option, value):
    result = run("cases", option, value)
    assert result.exit_code == 2
    assert f"unknown {option[2:]} '{value}'" in result.stderr


def test_cases_sort_by_age():
    assert case_numbers("--sort", "age_years") == [2, 1, 3]
    assert case_numbers("--sort", "age_years", "--reverse") == [3, 1, 2]


def test_cases_sort_unknown_column_exits_2():
    assert run("cases", "--sort", "height").exit_code == 2


def test_cases_json_has_every_column():
    rows = json.loads(ok("cases", "--format", "json"))
    assert len(rows) == 3
    for row in rows:
        assert list(row) == list(CASE_COLUMNS)
    assert rows[2]["largest_lesion_cm"] == 5
    assert rows[2]["time_to_response_months"] is None
    assert rows[0]["disease_duration_years"] is None
    assert rows[1]["disease_duration_years"] == 10
    assert rows[0]["lesion_sites"] == ["knuckles", "elbows"]


@pytest.mark.parametrize("fmt", ["plain", "table", "markdown", "csv", "tsv", "json", "jsonl", "grid", "github"])
def test_cases_every_format_exits_0(fmt):
    out = ok("cases", "--format", fmt)
    assert "complete resolution" in out
    assert "no change" in out
    assert "\x1b[" not in out


def test_cases_plain_has_the_default_columns():
    lines = ok("cases", "--format", "plain").splitlines()
    assert lines[0].split() == list(DEFAULT_CASE_COLUMNS)
    assert len(lines) == 4


def test_cases_jsonl_matches_json():
    lines = ok("cases", "--format", "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(ok("cases", "--format", "json"))


def test_cases_markdown_reads_back():
    cells = table_cells(md_parser().parse(ok("cases", "--format", "markdown")))
    assert cells[0] == list(DEFAULT_CASE_COLUMNS)
    assert [row[0] for row in cells[1:]] == ["1", "2", "3"]
    assert cells[3][cells[0].index("lesion_sites")] == "bridge of the nose; elbows; breasts"


def test_cases_columns_and_limit():
    rows = json.loads(ok("cases", "--format", "json", "--columns", "case,response", "--limit", "2"))
    assert rows == [
        {"case": 1, "response": "complete resolution"},
        {"case": 2, "response": "complete resolution"},
    ]


# --- later evidence marks in list --------------------------------------------------------------


def list_json(*args: str) -> list[dict]:
    return json.loads(ok("list", "--format", "json", *args))


def test_list_warfarin_rows_have_the_traineau_statement():
    rows = list_json("--treatment", "warfarin")
    assert [r["id"] for r in rows] == WARFARIN
    for row in rows:
        assert row["later"] == "Traineau 2020 (IB)"
        (text,) = row["later_evidence"]
        assert "Traineau" in text
        assert "level IB" in text
        assert text == f"Traineau et al (2020): “{WARFARIN_STATEMENT}” (abstract, Results)"


def test_list_rows_without_a_later_statement():
    rows = list_json("-t", "minocycline", "-t", "surgical removal", "-t", "aluminium hydroxide")
    assert len(rows) == 3
    for row in rows:
        assert row["later_evidence"] == []
        assert row["later"] is None


def test_list_bisphosphonates_carry_the_level_iv_statement_through_their_class():
    rows = list_json("-t", "bisphosphonate")
    assert [r["id"] for r in rows] == BISPHOSPHONATES
    for row in rows:
        assert row["later"] == "Traineau 2020 (IV, class)"
        assert row["later_evidence"] == [
            f"Traineau et al (2020), on the treatment's class: “{BISPHOSPHONATE_STATEMENT}” (abstract, Results)"
        ]
    # The statement names diltiazem itself, and no bisphosphonate by name: it reaches them by class.
    entry = next(e for e in DATASET.later_evidence if e.statement == BISPHOSPHONATE_STATEMENT)
    assert "etidronate" not in entry.treatments and "alendronate" not in entry.treatments
    assert "bisphosphonate" in entry.classes


def test_list_every_row_later_mark_matches_its_statements():
    for row in list_json():
        assert bool(row["later"]) == bool(row["later_evidence"]), row["id"]


@pytest.mark.parametrize("fmt", ["plain", "table", "markdown"])
def test_list_no_later_evidence_drops_the_later_column(fmt):
    wide = {"COLUMNS": "200"}
    with_later = ok("list", "-t", "warfarin", "--format", fmt, env=wide)
    without = ok("list", "-t", "warfarin", "--format", fmt, "--no-later-evidence", env=wide)
    assert "later" in with_later.splitlines()[0]
    assert "Traineau 2020 (IB)" in with_later
    assert "later" not in without.splitlines()[0]
    assert "Traineau" not in without
    if fmt != "table":  # a table gives the freed width to the outcome column: fewer lines
        assert len(without.splitlines()) == len(with_later.splitlines())


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_list_no_later_evidence_drops_the_fields_in_machine_formats(fmt):
    out = ok("list", "-t", "warfarin", "--format", fmt, "--no-later-evidence")
    assert "later" not in out
    assert "Traineau" not in out
    if fmt == "json":
        for row in json.loads(out):
            assert "later" not in row and "later_evidence" not in row
            assert len(row) == len(COLUMNS) - 3  # later, later_evidence, and the display-only improved_ci


def test_report_states_the_discussions_sentence_once_for_both_responders(warfarin_report):
    responders = "In the two responders the lesions developed relatively shortly before the start of treatment"
    assert warfarin_report.count(f"“{responders}”") == 1
    assert f"- Cases 1 and 2: “{responders}”" in warfarin_report
    assert "- Case 3: “In the non-responder the lesions were known to have been present for at least 5 years”" in (
        warfarin_report
    )


def test_report_lists_the_quirks_of_the_source_as_a_whole(warfarin_report):
    quirks = section(warfarin_report, "Quirks of the source, kept as printed")
    assert '"Treatments modalities for subcutaneous calcinosis" (sic)' in quirks
    assert '"This article cites 15 articles"' in quirks


def test_report_qualifies_the_tnf_statement():
    out = ok("report", "-t", "anti-TNF", "--date", "2026-01-01")
    assert "It concerns juvenile dermatomyositis only; some rows here have a broader diagnosis" in out
