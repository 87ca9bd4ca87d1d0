"""From a reviewer's spreadsheet and reference manager into the dataset, and back out.

`export --format csv` (an extraction sheet), `export --format yaml` (one data file), `import`
(sheets and RIS / PubMed / BibTeX / CSL-JSON exports into a data file) and `new` (a starter
file), all run through the installed console script. What they write is read back by Python's
csv module (as a spreadsheet would be saved), by the tool itself and by PyYAML.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from test_share import calcinosis

from calcinosis_cli.dataset.load import load_dataset
from calcinosis_cli.dataset.schema import dataset_schema
from calcinosis_cli.dataset.sections import SECTIONS
from calcinosis_cli.exchange.sheet import sheet_columns

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
DS = load_dataset()


def run_ok(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    result = calcinosis(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result


def sheet_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def body(path: Path) -> str:
    """A written data file after its header comment (which names the file)."""
    return path.read_text(encoding="utf-8").split("\n\n", 1)[1]


def write_sheet(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or sheet_columns()
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


# --- export --format csv --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported_sheet(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sheet") / "studies.csv"
    run_ok("export", "--format", "csv", "--output", str(path))
    return path


def test_the_sheet_is_utf8_with_a_byte_order_mark_and_crlf(exported_sheet):
    data = exported_sheet.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    body = data[3:]
    assert body.count(b"\r\n") >= len(DS.studies) + 1
    assert "Saïag".encode() not in body  # references are not in the sheet; the accents that are must survive
    assert "8–63 months".encode() in body  # footnote text, with its en dash, byte for byte


def test_the_sheet_has_a_row_per_study_and_the_documented_columns(exported_sheet):
    rows = sheet_rows(exported_sheet)
    assert [r["id"] for r in rows] == [s.id for s in DS.studies]
    assert list(rows[0]) == sheet_columns(2)


def test_the_sheet_keeps_arms_tallies_and_readings(exported_sheet):
    rows = {r["id"]: r for r in sheet_rows(exported_sheet)}
    phase2 = rows["berger1987-warfarin-phase-2"]
    assert (phase2["n"], phase2["arm1_received"], phase2["arm1_n"]) == ("8", "warfarin", "3")
    assert (phase2["arm2_received"], phase2["arm2_n"], phase2["arm2_not_improved"]) == ("placebo", "4", "4")
    assert (phase2["arm1_improved"], phase2["arm1_not_improved"], phase2["arm1_not_stated"]) == ("2", "1", "0")
    assert phase2["tally_improved"] == ""  # a row with arms has no tally of its own
    minocycline = rows["robertson2003-minocycline"]
    assert (minocycline["tally_improved"], minocycline["alternative_improved"]) == ("8", "9")
    shared = rows["metzger1974-etidronate-10mgkg"]
    assert shared["tally_covers"] == "metzger1974-etidronate-10mgkg; metzger1974-etidronate-20mgkg"
    assert rows["metzger1974-etidronate-20mgkg"]["spans_from"] == "metzger1974-etidronate-10mgkg"
    assert rows["lassoued1988-warfarin"]["footnote"] == "¶"
    assert rows["lassoued1988-warfarin"]["footnote_text"] == "in a follow up of 8–63 months as rated by patients"
    assert rows["dolan1995-diltiazem"]["class"] == "calcium channel blocker"


# --- export --format yaml -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported_yaml(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("yaml") / "dataset.yaml"
    run_ok("export", "--format", "yaml", "--output", str(path))
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["list", "--format", "json"],
        ["group", "--by", "treatment", "--format", "json"],
        ["cases", "--format", "json"],
        ["show", "berger1987-warfarin-phase-2"],
        ["cite", "--style", "bibtex"],
        ["report", "--date", "2026-01-01"],
    ],
)
def test_the_exported_file_alone_gives_what_the_bundled_data_gives(exported_yaml, command):
    bundled = run_ok(*command).stdout
    alone = run_ok("--no-bundled", "--data", str(exported_yaml), *command).stdout
    # A report's provenance names the command that made it; all else is the same.
    typed = f"calcinosis --no-bundled --data {exported_yaml} {' '.join(command)}"
    assert alone.replace(typed, f"calcinosis {' '.join(command)}") == bundled


def test_the_exported_file_is_plain_yaml_without_the_vocabulary(exported_yaml):
    text = exported_yaml.read_text(encoding="utf-8")
    assert text.startswith("# calcinosis dataset file")
    data = yaml.safe_load(text)
    assert list(data) == ["dataset", "quirks", "footnotes", "references", "studies", "cases", "later_evidence"]
    assert "treatments" not in data  # every term is the tool's own


def test_export_refuses_to_replace_a_file_without_force(tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("my edits\n")
    result = calcinosis("export", "--format", "yaml", "--output", str(target))
    assert result.returncode == 2
    assert "add --force" in result.stderr
    assert target.read_text() == "my edits\n"
    run_ok("export", "--format", "yaml", "--output", str(target), "--force")
    assert target.read_text().startswith("# calcinosis dataset file")


def test_export_yaml_refuses_one_marker_with_two_meanings(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "footnotes:\n  - marker: '*'\n    text: As rated by the surgeon\n"
        "references:\n  - id: smith2024\n    authors: [Smith AB]\n    title: A fictional series\n"
        "    journal: J Test\n    year: 2024\n"
        "studies:\n  - id: smith2024-warfarin\n    source: user\n    treatment_printed: Warfarin\n"
        "    treatment: warfarin\n    n: 2\n    reference: smith2024\n    design: case series\n"
        "    footnote: '*'\n    tally: {improved: 1, unchanged: 1}\n",
        encoding="utf-8",
    )
    out = tmp_path / "all.yaml"
    result = calcinosis("--data", str(mine), "export", "--format", "yaml", "--output", str(out))
    assert result.returncode == 1
    assert "footnote marker '*'" in result.stderr and str(mine) in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not out.exists()


# --- import: round trip ---------------------------------------------------------------------------


# A sheet carries the studies (with their footnotes and any new treatments), a reference export
# the references; the later reviews' statements come from another bundled file, so both sides
# are compared without them.
@pytest.mark.parametrize(
    "command",
    [
        ["list", "--format", "json", "--no-later-evidence"],
        ["list", "--format", "csv", "--columns", "all", "--no-later-evidence"],
        ["group", "--by", "treatment", "--format", "json", "--no-later-evidence"],
        ["group", "--by", "class", "--by", "diagnosis", "--format", "json", "--no-later-evidence"],
        ["cite", "--style", "vancouver"],
        ["cite", "--style", "ris"],
    ],
)
def test_a_sheet_and_a_ris_export_import_to_the_same_evidence(round_trip, command):
    assert run_ok("--no-bundled", "--data", str(round_trip), *command).stdout == run_ok(*command).stdout


@pytest.fixture(scope="module")
def round_trip(exported_sheet, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("round-trip")
    refs = folder / "refs.ris"
    refs.write_text(run_ok("cite", "--style", "ris").stdout, encoding="utf-8")
    out = folder / "imported.yaml"
    result = run_ok("--no-bundled", "import", str(exported_sheet), str(refs), "--output", str(out))
    assert f"wrote {out}: 18 studies, 16 references" in result.stderr
    return out


def test_an_imported_file_reads_back_to_the_bytes_it_came_from(exported_sheet, tmp_path):
    # Import is repeatable: the same inputs give the same file.
    refs = tmp_path / "refs.ris"
    refs.write_text(run_ok("cite", "--style", "ris").stdout, encoding="utf-8")
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    run_ok("--no-bundled", "import", str(exported_sheet), str(refs), "-o", str(first))
    run_ok("--no-bundled", "import", str(exported_sheet), str(refs), "-o", str(second))
    assert body(first) == body(second)


# --- import: reference-manager exports ------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["zotero.ris", "endnote.ris", "pubmed.nbib", "zotero.bib", "jabref.bib", "zotero-csl.json"]
)
def test_a_real_export_imports_to_a_valid_file(name, tmp_path):
    out = tmp_path / "refs.yaml"
    run_ok("--no-bundled", "import", str(FIXTURES / name), "--output", str(out))
    check = run_ok("--no-bundled", "validate", str(out))
    assert check.stdout.startswith("ok: 1 file of yours")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["references"]
    for ref in data["references"]:
        assert re.fullmatch(r"[a-z][a-z0-9]*", ref["id"]), ref["id"]
        assert ref["authors"] and ref["title"] and ref["journal"] and isinstance(ref["year"], int)


def test_a_pubmed_record_keeps_its_authors_in_order_and_its_identifiers(tmp_path):
    out = tmp_path / "traineau.yaml"
    run_ok("--no-bundled", "import", str(FIXTURES / "pubmed.nbib"), "--output", str(out))
    (ref,) = yaml.safe_load(out.read_text(encoding="utf-8"))["references"]
    assert ref["id"] == "traineau2020"
    assert ref["authors"][:3] == ["Traineau H", "Aggarwal R", "Monfort JB"]
    assert len(ref["authors"]) == 10 and ref["authors"][7] == "Francès C"
    assert (ref["pmid"], ref["doi"]) == ("31302187", "10.1016/j.jaad.2019.07.006")


def test_a_work_already_in_the_data_is_not_imported_twice(tmp_path):
    out = tmp_path / "traineau.yaml"
    result = calcinosis("import", str(FIXTURES / "pubmed.nbib"), "--output", str(out))
    assert result.returncode == 1
    assert "is the same work as 'traineau2020', already in the data" in result.stderr
    assert "nothing to write" in result.stderr
    assert not out.exists()


def test_sheet_rows_may_cite_a_reference_by_doi_or_pmid(tmp_path):
    base = {
        "source": "user",
        "treatment_printed": "Warfarin 1 mg/day",
        "treatment": "warfarin",
        "n": "1",
        "design": "case report",
        "tally_improved": "1",
    }
    sheet = write_sheet(
        tmp_path / "rows.csv",
        [
            {**base, "id": "by-doi", "reference": "https://doi.org/10.1016/j.jaad.2019.07.006"},
            {**base, "id": "by-pmid", "reference": "PMID: 31302187"},
            {**base, "id": "by-key", "reference": "berger1987"},
        ],
    )
    out = tmp_path / "rows.yaml"
    run_ok("import", str(sheet), "--output", str(out))
    studies = yaml.safe_load(out.read_text(encoding="utf-8"))["studies"]
    assert [s["reference"] for s in studies] == ["traineau2020", "traineau2020", "berger1987"]
    listed = json.loads(run_ok("--data", str(out), "list", "--search", "by-", "--format", "json").stdout)
    assert {row["id"] for row in listed} >= {"by-doi", "by-pmid", "by-key"}


def test_works_already_in_the_data_are_recognised_without_a_doi(tmp_path):
    # Zotero's Berger 1987 has no DOI; its first author, year and title make it bundled berger1987,
    # and a row may cite it by the key it has in the export (zotero.bib's berger_treatment_1987).
    sheet = write_sheet(
        tmp_path / "row.csv",
        [
            {
                "id": "fictional-warfarin",
                "treatment_printed": "Warfarin",
                "treatment": "warfarin",
                "n": "1",
                "reference": "berger_treatment_1987",
                "design": "case report",
                "tally_unchanged": "1",
            }
        ],
    )
    out = tmp_path / "row.yaml"
    result = run_ok("import", str(sheet), str(FIXTURES / "zotero.bib"), "--output", str(out))
    assert "record 1 (Berger 1987) is the same work as 'berger1987', already in the data" in result.stderr
    assert "1 study, 0 references" in result.stderr
    (study,) = yaml.safe_load(out.read_text(encoding="utf-8"))["studies"]
    assert study["reference"] == "berger1987" and study["source"] == "user"


def test_a_row_may_cite_a_new_work_by_its_key_in_the_export(tmp_path):
    sheet = write_sheet(
        tmp_path / "row.csv",
        [
            {
                "id": "metzger-again",
                "treatment_printed": "Etidronate",
                "treatment": "etidronate",
                "n": "1",
                "reference": "metzger74",
                "design": "case report",
                "tally_worsened": "1",
            }
        ],
    )
    out = tmp_path / "row.yaml"
    run_ok("--no-bundled", "import", str(sheet), str(FIXTURES / "jabref.bib"), "--output", str(out))
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["studies"][0]["reference"] == "metzger1974"
    assert "metzger1974" in {ref["id"] for ref in data["references"]}


def test_a_class_cell_declares_a_treatment_the_vocabulary_lacks(tmp_path):
    sheet = write_sheet(
        tmp_path / "nifedipine.csv",
        [
            {
                "id": "fictional-nifedipine",
                "source": "user",
                "treatment_printed": "Nifedipine",
                "treatment": "nifedipine",
                "class": "Calcium channel blocker",
                "n": "2",
                "reference": "berger1987",
                "design": "case series",
                "tally_improved": "1",
                "tally_unchanged": "1",
            }
        ],
    )
    out = tmp_path / "nifedipine.yaml"
    result = run_ok("import", str(sheet), "--output", str(out))
    assert "1 new treatment" in result.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["treatments"] == [{"id": "nifedipine", "class": "calcium channel blocker"}]
    rows = json.loads(
        run_ok("--data", str(out), "list", "--treatment", "calcium channel blocker", "--format", "json").stdout
    )
    assert "fictional-nifedipine" in {row["id"] for row in rows}


# --- import: every problem at its cell, nothing written -------------------------------------------


def test_every_problem_of_a_sheet_is_told_at_its_row_and_column(tmp_path):
    good = {
        "source": "user",
        "treatment_printed": "Warfarin",
        "treatment": "warfarin",
        "reference": "berger1987",
        "design": "case series",
    }
    columns = [*sheet_columns(), "tretment_notes"]
    sheet = write_sheet(
        tmp_path / "bad.csv",
        [
            {**good, "id": "a-words", "n": "three", "tally_improved": "3"},
            {**good, "id": "b-sum", "n": "4", "tally_improved": "1", "tally_unchanged": "1"},
            {**good, "id": "c-drug", "n": "1", "treatment": "thalidomide", "tally_improved": "1"},
            {**good, "id": "d-class", "n": "1", "treatment": "nifedipine", "class": "calcium blocker"},
            {**good, "id": "e-doi", "n": "1", "reference": "10.9999/not.given", "tally_improved": "1"},
            {**good, "id": "f-design", "n": "1", "design": "case-series", "tally_improved": "1"},
        ],
        columns,
    )
    out = tmp_path / "out.yaml"
    out.write_text("kept\n")
    result = calcinosis("import", str(sheet), "--output", str(out), "--force")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == f"calcinosis: {len(lines) - 1} problems; nothing was written"
    told = "\n".join(lines)
    expected = [
        r"row 1, column tretment_notes: unknown column 'tretment_notes'",
        r"row 2, column n: .*expected a whole number, got 'three'",
        r"row 3, column tally_improved: .*add up to 2, which fall short of N = 4",
        r"row 4, column treatment: .*unknown treatment 'thalidomide' \(give its class in the column class",
        r"row 5, column class: unknown treatment class 'calcium blocker'; did you mean 'calcium channel blocker'",
        r"row 6, column reference: no reference given has the DOI 10.9999/not.given",
        r"row 7, column design: .*'case-series' is not one of",
    ]
    for pattern in expected:
        assert re.search(re.escape(str(sheet)) + ": " + pattern, told), (pattern, told)
    rows = [int(m) for m in re.findall(r": row (\d+)", told)]
    assert rows == sorted(rows)  # told in the order of the sheet
    assert len(re.findall(r"row 6\b", told)) == 1  # the DOI once, not again as an unknown reference
    assert "Traceback" not in result.stderr
    assert out.read_text() == "kept\n"  # a failed import leaves the file as it was


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the sheet is empty"),
        ("id,n\n".encode("utf-16"), "UTF-16"),
        (b"id,n\n\xff,1\n", "not UTF-8"),
    ],
)
def test_an_unreadable_sheet_is_one_line(tmp_path, data, message):
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(data)
    result = calcinosis("import", str(sheet), "--output", str(tmp_path / "out.yaml"))
    assert result.returncode == 1
    assert message in result.stderr.splitlines()[0] and str(sheet) in result.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_a_sheet_saved_with_semicolons_reads_as_one_with_commas(exported_sheet, tmp_path):
    rows = sheet_rows(exported_sheet)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    semicolons = tmp_path / "studies.csv"
    semicolons.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    refs = tmp_path / "refs.bib"
    refs.write_text(run_ok("cite", "--style", "bibtex").stdout, encoding="utf-8")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    run_ok("--no-bundled", "import", str(semicolons), str(refs), "-o", str(a))
    run_ok("--no-bundled", "import", str(exported_sheet), str(refs), "-o", str(b))
    assert body(a) == body(b)


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("missing-er.ris", "record 1 (Berger 1987)"),
        ("bad-continuation.nbib", "line 5"),
        ("unbalanced-brace.bib", "record 1"),
        ("not-array.json", "array"),
        ("empty.ris", "no references"),
    ],
)
def test_a_broken_reference_file_is_one_line_naming_it(name, where, tmp_path):
    path = FIXTURES / "broken" / name
    out = tmp_path / "out.yaml"
    result = calcinosis("import", str(path), "--output", str(out))
    assert result.returncode == 1
    problem = result.stderr.splitlines()[0]
    assert str(path) in problem and where in problem
    assert not out.exists()


def test_a_reference_without_authors_is_told_at_its_record(tmp_path):
    result = calcinosis("--no-bundled", "import", str(FIXTURES / "collisions.ris"), "-o", str(tmp_path / "o.yaml"))
    assert result.returncode == 0  # left out, with a note; the rest written
    assert re.search(r"note: .*collisions\.ris: record 3 \(.*2001\): missing authors .*: left out", result.stderr)
    strict = calcinosis(
        "--no-bundled", "import", "--strict", str(FIXTURES / "collisions.ris"), "-o", str(tmp_path / "s.yaml")
    )
    assert strict.returncode == 1
    assert re.search(r"collisions\.ris: record 3 \(.*2001\): missing authors", strict.stderr)
    assert not (tmp_path / "s.yaml").exists()


def test_a_file_of_no_known_kind_is_a_usage_error(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("my notes on calcinosis\n")
    result = calcinosis("import", str(notes), "--output", str(tmp_path / "o.yaml"))
    assert result.returncode == 2
    assert "cannot tell what this file is" in result.stderr


def test_import_without_its_extra_says_what_to_install(tmp_path):
    code = (
        "import sys; sys.modules['rispy'] = None\n"
        "from calcinosis_cli.cli import main\n"
        f"main(['import', {str(FIXTURES / 'zotero.ris')!r}, '--output', {str(tmp_path / 'o.yaml')!r}])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "calcinosis[import]" in result.stderr


# --- new ------------------------------------------------------------------------------------------


def uncommented(text: str) -> str:
    """The starter file with its example records' lines uncommented, as the file tells."""
    from calcinosis_cli.dataset.sections import SECTIONS

    mappings = "|".join(f"{name}:" for name, section in SECTIONS.items() if not section.is_list)  # dataset:, flow:
    text = re.sub(rf"^# ({mappings})", r"\1", text, flags=re.MULTILINE)
    return re.sub(r"^# (- |  )", r"\1", text, flags=re.MULTILINE)


def test_new_writes_a_file_that_validates_and_adds_nothing(tmp_path):
    path = tmp_path / "mine.yaml"
    result = run_ok("new", str(path))
    assert result.stdout == result.stderr == ""
    check = run_ok("--no-bundled", "validate", str(path))
    assert "0 studies, 0 references" in check.stdout
    assert run_ok("--data", str(path), "list", "--format", "csv").stdout == run_ok("list", "--format", "csv").stdout


def test_the_starter_examples_uncommented_are_one_valid_entry(tmp_path):
    path = tmp_path / "mine.yaml"
    run_ok("new", str(path))
    filled = tmp_path / "filled.yaml"
    filled.write_text(uncommented(path.read_text(encoding="utf-8")), encoding="utf-8")
    check = run_ok("--no-bundled", "validate", str(filled))
    assert "1 study, 1 reference" in check.stdout
    data = yaml.safe_load(filled.read_text(encoding="utf-8"))
    assert set(data) == set(SECTIONS)


def test_the_starter_file_explains_every_field(tmp_path):
    path = tmp_path / "mine.yaml"
    run_ok("new", str(path))
    text = path.read_text(encoding="utf-8")
    for name, section in SECTIONS.items():
        for key, field in section.spec.items():
            assert field.description in text, (name, key)


def test_new_never_replaces_a_file_without_force(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("my studies\n")
    result = calcinosis("new", str(path))
    assert result.returncode == 2 and path.read_text() == "my studies\n"


def test_every_property_of_the_schema_has_a_description_and_an_example():
    def walk(schema: dict, where: str) -> None:
        for key, prop in schema.get("properties", {}).items():
            record = prop.get("items", prop) if prop.get("type") in ("array", ["array", "null"]) else prop
            if "anyOf" in record:
                record = record["anyOf"][0]
            if where:  # a field (the sections themselves are described, not exemplified)
                assert prop.get("description"), f"{where}.{key}"
                assert prop.get("examples"), f"{where}.{key}"
            walk(record, f"{where}.{key}" if where else key)

    walk(dataset_schema(), "")


def test_new_with_a_csv_name_writes_an_empty_sheet_that_imports_to_nothing(exported_sheet, tmp_path):
    path = tmp_path / "sheet.csv"
    run_ok("new", str(path))
    data = path.read_bytes()
    assert data == exported_sheet.read_bytes().split(b"\r\n", 1)[0] + b"\r\n"  # the same header, no row
    result = calcinosis("import", str(path), "--output", str(tmp_path / "out.yaml"))
    assert result.returncode == 1 and "nothing to write" in result.stderr


def test_dash_writes_a_sheet_or_a_data_file_to_stdout(exported_sheet, exported_yaml, tmp_path):
    assert calcinosis_bytes("export", "--format", "csv", "--output", "-") == exported_sheet.read_bytes()
    # The same file, but for the command its header names.
    dashed = calcinosis_bytes("export", "--format", "yaml", "--output", "-").split(b"\n", 1)
    written = exported_yaml.read_bytes().split(b"\n", 1)
    assert dashed[1] == written[1] and dashed[0].endswith(b"--output -") and written[0].endswith(b".yaml")
    imported = calcinosis_bytes("--no-bundled", "import", str(FIXTURES / "pubmed.nbib"), "-o", "-", "-q")
    assert yaml.safe_load(imported)["references"][0]["id"] == "traineau2020"
    assert b"--data FILE" in imported.split(b"\n\n", 1)[0]
    assert calcinosis_bytes("new", "-").startswith(b"# A calcinosis data file")
    assert not list(tmp_path.iterdir()) and not Path("-").exists()


def test_a_database_is_never_written_to_stdout():
    result = calcinosis("export", "--format", "sqlite", "--output", "-")
    assert result.returncode == 2 and result.stdout == ""
    assert "give --output a file name" in result.stderr


def calcinosis_bytes(*args: str) -> bytes:
    from test_share import CONSOLE_SCRIPT

    result = subprocess.run([str(CONSOLE_SCRIPT), *args], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout
