"""The PRISMA 2020 flow diagram: the PRISMA2020 package's own template read as reviewers fill
it, the sums checked, the diagram as text (fixed widths) and as SVG read back with an XML
parser, in the report, and bad input as one line naming file, line and key."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from calcinosis_cli.model import flow as model_flow
from calcinosis_cli.prisma import check_flow, read_flow, read_flow_bytes, template_csv

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "prisma"
TEMPLATE = FIXTURES / "PRISMA.csv"  # the package's template, byte for byte
FILLED = FIXTURES / "filled.csv"  # the same template, its n column filled with numbers that add up
CONSOLE_SCRIPT = Path(sys.executable).parent / "calcinosis"
SVG = "{http://www.w3.org/2000/svg}"

# Every number filled.csv gives (as the diagram prints them).
NUMBERS = {
    "previous_studies": 5, "previous_reports": 6, "database_results": 312, "MEDLINE": 180, "Embase": 132,
    "register_results": 20, "ClinicalTrials.gov": 20, "website_results": 4, "organisation_results": 2,
    "citations_results": 9, "duplicates": 40, "excluded_automatic": 0, "excluded_other": 2,
    "records_screened": 290, "records_excluded": 250, "dbr_sought_reports": 40, "dbr_notretrieved_reports": 3,
    "other_sought_reports": 15, "other_notretrieved_reports": 1, "dbr_assessed": 37, "Wrong population": 12,
    "Wrong intervention": 9, "No outcome reported": 8, "other_assessed": 14, "Review article": 5,
    "new_studies": 9, "new_reports": 11, "total_studies": 14, "total_reports": 17,
}  # fmt: skip


def calcinosis(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The installed console script, as a user runs it (a pipe: no terminal)."""
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR", "NO_COLOR", "CALCINOSIS_DATA")}
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *args], capture_output=True, text=True, env={**base, **(env or {})}, cwd=cwd, timeout=120
    )


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def changed(tmp_path: Path, key: str, n: str, source: Path = FILLED) -> Path:
    """``source`` with the n of ``key`` replaced."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows(source):
        if row[0] == key:
            row[-1] = n
        writer.writerow(row)
    path = tmp_path / f"flow-{key}.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


# --- the template ------------------------------------------------------------------------------------


def test_the_fixture_is_the_packages_template_and_ours_writes_the_same_rows():
    assert TEMPLATE.read_bytes().count(b"\r\n") == 33  # CRLF, as published
    published = rows(TEMPLATE)
    ours = list(csv.reader(io.StringIO(template_csv().decode("utf-8"), newline="")))
    assert ours[0] == published[0] == list(model_flow.TEMPLATE_COLUMNS)
    assert [row[:7] for row in ours[1:]] == [row[:7] for row in published[1:]]
    # only n differs: 0, and the package's own placeholder for the specific databases and registers
    assert {row[7] for row in ours[1:]} == {"0", model_flow.placeholder("database_specific_results"),
                                           model_flow.placeholder("register_specific_results")}  # fmt: skip


def test_the_unfilled_template_names_the_box_a_reviewer_must_fill():
    result = calcinosis("prisma", str(TEMPLATE))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"calcinosis: error: {TEMPLATE}: line 24, dbr_excluded: missing required box 'dbr_excluded' "
        "(Reports excluded (databases and registers))"
    ]


def test_the_filled_template_adds_up():
    flow = read_flow(str(FILLED))
    assert check_flow(flow) == []
    assert flow.number("dbr_excluded") == 29
    assert flow.lists["database_specific_results"] == (("MEDLINE", 180), ("Embase", 132))
    assert flow.texts["database_results"] == "Databases"  # the template's boxtext, kept


# --- the sums -----------------------------------------------------------------------------------------


def test_the_filled_template_draws_without_a_complaint_and_prints_every_number():
    result = calcinosis("prisma", str(FILLED), "--no-bundled", "--data", str(ROOT / "examples" / "my-studies.yaml"))
    assert result.returncode == 0, result.stderr
    # no complaint: at most the note comparing the included studies with the loaded data
    assert [line for line in result.stderr.splitlines() if "the loaded data holds" not in line] == []
    for number in NUMBERS.values():
        assert re.search(rf"\(n = {number}\)", result.stdout), number
    labels = (
        "Identification",
        "Screening",
        "Included",
        "Identification of new studies via databases and registers",
        "Identification of new studies via other methods",
        "Previous studies",
        "Records identified from:",
    )
    for label in labels:
        assert label in result.stdout


@pytest.mark.parametrize(
    ("key", "n", "boxes"),
    [
        ("total_studies", "15", ["total_studies", "previous_studies 5 + new_studies 9 = 14"]),
        ("new_reports", "12", ["new_reports", "dbr_assessed 37 minus dbr_excluded 29", "other_assessed 14"]),
        ("database_results", "300", ["database_results", "MEDLINE 180 + Embase 132"]),
    ],
)
def test_one_number_changed_exits_1_naming_the_boxes_that_disagree(tmp_path, key, n, boxes):
    path = changed(tmp_path, key, n)
    out = tmp_path / "flow.svg"
    result = calcinosis("prisma", str(path), "-o", str(out))
    assert result.returncode == 1
    assert not out.exists()  # nothing written
    lines = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(lines) >= 1
    first = lines[0]
    assert f"({key}) is {n}" in first
    for box in boxes:
        assert box in first


def test_screened_changed_names_both_sums_it_breaks(tmp_path):
    result = calcinosis("prisma", str(changed(tmp_path, "records_screened", "291")))
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert '"Records screened (databases and registers)" (records_screened) is 291' in errors[0]
    assert "Records removed before screening" in errors[0] and "is 290" in errors[0]
    assert "(dbr_sought_reports) is 40" in errors[1] and "records_screened 291" in errors[1]
    assert "line 17" in errors[0]


def test_no_check_draws_anyway_with_the_failures_as_notes(tmp_path):
    result = calcinosis("prisma", str(changed(tmp_path, "total_studies", "15")), "--no-check", "--no-bundled",
                        "--data", str(ROOT / "examples" / "my-studies.yaml"))  # fmt: skip
    assert result.returncode == 0
    assert "(n = 15)" in result.stdout
    assert "do not add up (drawn with --no-check)" in " ".join(result.stdout.split())
    notes = [line for line in result.stderr.splitlines() if line.startswith("calcinosis: note:")]
    assert any("(total_studies) is 15" in note and "--no-check" in note for note in notes)


def test_the_included_studies_beside_the_loaded_data_are_a_note_not_an_error():
    result = calcinosis("prisma", str(FILLED))  # the bundled dataset: not the review's 14 studies
    assert result.returncode == 0
    note = [line for line in result.stderr.splitlines() if "the loaded data holds" in line]
    assert len(note) == 1 and note[0].startswith("calcinosis: note: the flow includes 14 studies (total_studies)")


def test_other_methods_records_and_reports_sought_that_differ_are_a_note(tmp_path):
    path = changed(tmp_path, "citations_results", "30")
    result = calcinosis("prisma", str(path), "-q")
    assert result.returncode == 0  # PRISMA 2020 has no box between them: the tool does not decide
    flow = read_flow(str(path))
    from calcinosis_cli.prisma import flow_notes

    assert any("other_sought_reports 15" in note for note in flow_notes(flow))


def test_a_new_review_needs_no_previous_or_other_column():
    data = (
        b"data,n\ndatabase_results,100\nduplicates,10\nrecords_screened,90\nrecords_excluded,80\n"
        b'dbr_sought_reports,10\ndbr_notretrieved_reports,1\ndbr_assessed,9\ndbr_excluded,"wrong design, 5"\n'
        b"new_studies,4\nnew_reports,4\n"
    )
    flow = read_flow_bytes("mini.csv", data)
    assert check_flow(flow) == []
    from calcinosis_cli.figures.prisma import FlowProvenance, build, text

    drawn = text(build(flow, FlowProvenance("x", "mini.csv", "0" * 64)), 80)
    assert "Previous studies" not in drawn and "other methods" not in drawn
    assert "wrong design (n = 5)" in drawn


# --- bad input: one line naming file, line and key; nothing written --------------------------------


@pytest.mark.parametrize(
    ("key", "n", "message"),
    [
        ("records_excluded", "-250", "line 18, records_excluded: a count cannot be negative, got '-250'"),
        ("records_excluded", "many", "line 18, records_excluded: expected a whole number, got 'many'"),
        ("dbr_excluded", "Wrong population 12; Wrong intervention, 9", "line 24, dbr_excluded: part 1, "
         "'Wrong population 12', is not 'name, number'"),
        ("dbr_excluded", "Wrong population, twelve", "line 24, dbr_excluded: part 1, 'Wrong population, twelve': "
         "expected a whole number"),
        ("new_studies", "", "line 27, new_studies: missing required box 'new_studies'"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_naming_file_line_and_key(tmp_path, key, n, message):
    path = changed(tmp_path, key, n)
    out = tmp_path / "flow.svg"
    result = calcinosis("prisma", str(path), "-o", str(out))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"calcinosis: error: {path}: {message}")
    assert "Traceback" not in result.stderr and not out.exists()


def test_an_unknown_key_suggests_the_close_one(tmp_path):
    path = tmp_path / "typo.csv"
    path.write_text(FILLED.read_text(encoding="utf-8").replace("records_screened,", "records_screend,"), "utf-8")
    result = calcinosis("prisma", str(path))
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert f"{path}: line 17, records_screend: unknown key 'records_screend'; did you mean 'records_screened'?" in first


# --- the YAML forms ----------------------------------------------------------------------------------------


def _without_caption(text: str) -> str:
    return text.split("Numbers: the reviewer's")[0]


def test_a_yaml_flow_with_the_same_keys_draws_the_same_diagram():
    csv_run = calcinosis("prisma", str(FILLED), "-q")
    yaml_run = calcinosis("prisma", str(FIXTURES / "filled.yaml"), "-q")
    assert yaml_run.returncode == 0, yaml_run.stderr
    assert _without_caption(yaml_run.stdout) == _without_caption(csv_run.stdout)


def test_a_yaml_flow_error_names_its_line_and_key(tmp_path):
    path = tmp_path / "flow.yaml"
    path.write_text((FIXTURES / "filled.yaml").read_text().replace("duplicates: 40", "duplicates: -40"))
    result = calcinosis("prisma", str(path))
    assert result.returncode == 1
    assert f"{path}:11:13: flow field 'duplicates': a count cannot be negative" in result.stderr
    typo = tmp_path / "typo.yaml"
    typo.write_text((FIXTURES / "filled.yaml").read_text().replace("new_reports:", "new_report:"))
    result = calcinosis("prisma", str(typo))
    assert "unknown field 'new_report'; did you mean 'new_reports'?" in result.stderr


def test_a_data_files_flow_section_is_drawn_and_validated(tmp_path):
    flow_lines = "".join(f"  {line}\n" for line in (FIXTURES / "filled.yaml").read_text().splitlines()[1:])
    data = (ROOT / "examples" / "my-studies.yaml").read_text(encoding="utf-8") + "\nflow:\n" + flow_lines
    path = tmp_path / "review.yaml"
    path.write_text(data, encoding="utf-8")
    assert calcinosis("validate", str(path)).returncode == 0
    drawn = calcinosis("prisma", str(path), "--no-bundled", "--data", str(path))
    assert drawn.returncode == 0, drawn.stderr
    assert _without_caption(drawn.stdout) == _without_caption(calcinosis("prisma", str(FILLED), "-q").stdout)
    assert "the loaded data holds" in drawn.stderr  # its own studies, beside the flow's
    broken = tmp_path / "broken.yaml"
    broken.write_text(data.replace("  records_excluded: 250", "  records_excluded: lots"), encoding="utf-8")
    result = calcinosis("validate", str(broken))
    assert (
        result.returncode == 1 and "flow field 'records_excluded': expected a whole number, got 'lots'" in result.stdout
    )


# --- as text, at fixed widths ---------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 160])
def test_the_text_diagram_fits_its_width_without_trailing_spaces(width):
    result = calcinosis("prisma", str(FILLED), "-q", env={"COLUMNS": str(width)})
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    assert all(line == line.rstrip() for line in lines)
    assert "──▶" in result.stdout and "▼" in result.stdout


def test_the_terminal_drawing_holds_every_number_at_80_columns():
    from rich.console import Console

    from calcinosis_cli.figures import figure_renderable
    from calcinosis_cli.figures.prisma import FlowProvenance, build

    figure = build(read_flow(str(FILLED)), FlowProvenance("x", "filled.csv", "0" * 64))
    console = Console(width=80, record=True, file=io.StringIO(), color_system=None)
    console.print(figure_renderable(figure, 80))
    shown = console.export_text()
    assert max(len(line) for line in shown.splitlines()) <= 80
    for number in NUMBERS.values():
        assert f"(n = {number})" in shown


# --- as files ------------------------------------------------------------------------------------------------


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def test_the_svg_holds_every_number_as_text_and_the_same_bytes(tmp_path):
    pytest.importorskip("matplotlib")
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    for path in (first, second):
        result = calcinosis("prisma", str(FILLED), "-q", "-o", str(path))
        assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    texts = " ".join(svg_texts(first))
    for number in NUMBERS.values():
        assert f"(n = {number})" in texts, number
    for label in ("Identification", "Screening", "Included", "Records identified from:", "Reports excluded:"):
        assert label in texts
    assert "Numbers: the reviewer's, from filled.csv" in texts  # provenance
    root = ET.parse(first).getroot()
    assert "filled.csv" in "".join(root.find(f"{SVG}metadata").itertext())


def test_png_and_pdf(tmp_path):
    pytest.importorskip("matplotlib")
    for suffix, magic in ((".png", b"\x89PNG"), (".pdf", b"%PDF")):
        path = tmp_path / f"flow{suffix}"
        assert calcinosis("prisma", str(FILLED), "-q", "-o", str(path)).returncode == 0
        assert path.read_bytes().startswith(magic)
    again = calcinosis("prisma", str(FILLED), "-q", "-o", str(tmp_path / "flow.png"))
    assert again.returncode != 0 and "--force" in again.stderr


# --- in the report ---------------------------------------------------------------------------------------------


def test_report_markdown_holds_the_diagram_as_text_and_with_figures_as_a_file(tmp_path):
    from markdown_it import MarkdownIt

    result = calcinosis("report", "--prisma", str(FILLED), "--date", "2024-01-01", "-q")
    assert result.returncode == 0, result.stderr
    tokens = MarkdownIt().parse(result.stdout)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "PRISMA 2020 flow diagram" in headings
    fences = [t.content for t in tokens if t.type == "fence" and "Records identified from" in t.content]
    assert len(fences) == 1
    for number in NUMBERS.values():
        assert f"(n = {number})" in fences[0]
    if shutil.which("pandoc") is None or not _has_matplotlib():
        return
    out = tmp_path / "report.md"
    result = calcinosis("report", "--prisma", str(FILLED), "--date", "2024-01-01", "-q", "-o", str(out),
                        "--figures", str(tmp_path / "fig"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "fig" / "prisma.svg").exists()
    assert "](fig/prisma.svg)" in out.read_text()


def _has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def test_report_html_inlines_the_svg_with_a_text_alternative(tmp_path):
    pytest.importorskip("matplotlib")
    html5lib = pytest.importorskip("html5lib")
    out = tmp_path / "report.html"
    result = calcinosis("report", "--prisma", str(FILLED), "--date", "2024-01-01", "-q", "-f", "html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    doc = html5lib.parse(out.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    figure = doc.find(".//figure[@id='figure-prisma']")
    svg = figure.find(f"{SVG}svg")
    assert svg.get("role") == "img"
    label = svg.get("aria-label")
    for number in NUMBERS.values():
        assert f"(n = {number})" in label
    texts = " ".join("".join(t.itertext()) for t in svg.iter(f"{SVG}text"))
    assert "(n = 290)" in texts


def test_report_refuses_a_flow_that_does_not_add_up(tmp_path):
    result = calcinosis("report", "--prisma", str(changed(tmp_path, "total_studies", "15")), "-q")
    assert result.returncode == 1 and "(total_studies) is 15" in result.stderr and result.stdout == ""


def test_the_report_model_carries_the_flow_as_a_figure_block():
    from calcinosis_cli.documents.blocks import Figure
    from calcinosis_cli.documents.prisma import flow_section

    block = Figure("prisma", "alt with (n = 290)", "caption", text="drawn")
    section = flow_section(block, "filled.csv")(None)
    assert section[-1] is block and "filled.csv" in section[1].text[0].text


# --- new flow.csv --------------------------------------------------------------------------------------------------


def test_new_flow_csv_writes_the_template_with_zeros_which_draws(tmp_path):
    result = calcinosis("new", "flow.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "flow.csv"
    assert written.read_bytes() == template_csv()
    drawn = calcinosis("prisma", "flow.csv", "-q", cwd=tmp_path)
    assert drawn.returncode == 0, drawn.stderr
    assert "(n = 0)" in drawn.stdout
    again = calcinosis("new", "flow.csv", cwd=tmp_path)
    assert again.returncode != 0 and written.read_bytes() == template_csv()
    sheet = calcinosis("new", "studies.csv", cwd=tmp_path)  # other .csv names: the extraction sheet
    assert sheet.returncode == 0 and not (tmp_path / "studies.csv").read_text().startswith("data,")


# --- the reference implementation -----------------------------------------------------------------------------


def test_the_prisma2020_package_reads_the_same_numbers():
    """A live run of PRISMA2020::PRISMA_data on filled.csv (tests/fixtures/prisma/read_flow.R),
    where R and the package are installed."""
    if shutil.which("Rscript") is None:
        pytest.skip("Rscript is not installed")
    probe = subprocess.run(["Rscript", "-e", "library(PRISMA2020)"], capture_output=True, timeout=120)
    if probe.returncode != 0:
        pytest.skip("the R package PRISMA2020 is not installed")
    result = subprocess.run(
        ["Rscript", str(FIXTURES / "read_flow.R"), str(FILLED)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    theirs = dict(line.split("\t") for line in result.stdout.splitlines() if "\t" in line)
    flow = read_flow(str(FILLED))
    for key in model_flow.COUNT_KEYS:
        assert int(theirs[key].replace(",", "")) == flow.number(key), key


def test_the_readme_diagram_is_made_by_the_command_it_shows(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "calcinosis prisma examples/flow.csv --output docs/figures/prisma.svg" in readme
    assert "](docs/figures/prisma.svg)" in readme
    made = tmp_path / "prisma.svg"
    result = calcinosis("prisma", "examples/flow.csv", "-q", "--output", str(made), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    shown = ROOT / "docs" / "figures" / "prisma.svg"
    assert svg_texts(made) == svg_texts(shown)
    recorded = re.search(r"matplotlib (\S+) and", (ROOT / "docs" / "figures" / "README.md").read_text()).group(1)
    if matplotlib.__version__ == recorded:
        assert made.read_bytes() == shown.read_bytes()


def test_box_texts_and_database_names_of_the_reviewer_are_kept(tmp_path):
    pytest.importorskip("matplotlib")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows(FILLED):
        if row[0] == "database_results":
            row[4] = "Bibliographic databases"
        if row[2] == "identification":
            row[4] = "Identificación"
        writer.writerow(row)
    path = tmp_path / "texts.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    svg = tmp_path / "texts.svg"
    result = calcinosis("prisma", str(path), "-q")
    assert result.returncode == 0, result.stderr
    assert "Bibliographic databases (n = 312)" in result.stdout and "━━ Identificación" in result.stdout
    assert "MEDLINE (n = 180)" in result.stdout and "ClinicalTrials.gov (n = 20)" in result.stdout
    assert calcinosis("prisma", str(path), "-q", "-o", str(svg)).returncode == 0
    texts = " ".join(svg_texts(svg))
    assert "Bibliographic databases (n = 312)" in texts and "Identificación" in texts


def test_a_yaml_boxtext_mapping_is_kept_and_an_unknown_box_suggests_the_close_one(tmp_path):
    base = (FIXTURES / "filled.yaml").read_text(encoding="utf-8")
    path = tmp_path / "texts.yaml"
    path.write_text(base + "boxtext: {database_results: MEDLINE and Embase}\n", encoding="utf-8")
    result = calcinosis("prisma", str(path), "-q")
    assert result.returncode == 0, result.stderr
    assert "MEDLINE and Embase (n = 312)" in result.stdout
    path.write_text(base + "boxtext: {database_result: MEDLINE and Embase}\n", encoding="utf-8")
    result = calcinosis("prisma", str(path), "-q")
    assert result.returncode == 1
    assert "unknown box 'database_result'; did you mean 'database_results'?" in result.stderr


@pytest.mark.parametrize("cache", ["cold", "off"])
def test_list_imports_nothing_of_the_flow(tmp_path, cache):
    env = {k: v for k, v in os.environ.items() if k != "CALCINOSIS_DATA"}
    env.update({"CALCINOSIS_CACHE_DIR": str(tmp_path)} if cache == "cold" else {"CALCINOSIS_NO_CACHE": "1"})
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "calcinosis_cli", "list", "-t", "warfarin"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "calcinosis_cli.analysis.rows" in imported  # the list path ran
    mine = ("calcinosis_cli.prisma", "calcinosis_cli.model.flow", "calcinosis_cli.dataset.flow_spec")
    assert not {m for m in imported if m.startswith(mine)}


def test_a_source_given_only_by_its_specific_list_counts_by_that_list():
    data = (
        b'data,n\ndatabase_specific_results,"MEDLINE, 60; Embase, 40"\nregister_results,10\nduplicates,10\n'
        b"records_screened,100\nrecords_excluded,90\ndbr_sought_reports,10\ndbr_notretrieved_reports,0\n"
        b"dbr_assessed,10\ndbr_excluded,6\nnew_studies,4\nnew_reports,4\n"
    )
    assert check_flow(read_flow_bytes("lists.csv", data)) == []
    wrong = check_flow(read_flow_bytes("lists.csv", data.replace(b"records_screened,100", b"records_screened,90")))
    assert len(wrong) == 2 and "database_specific_results 100 + register_results 10 = 110" in wrong[0].message
