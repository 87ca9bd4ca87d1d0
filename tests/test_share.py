"""Sharing the evidence: the self-contained HTML report and the SQLite database, opened by real clients.

HTML: html5lib must parse it without a single error, and headless Chromium (where installed)
must print it to PDF. The database: Python's sqlite3, the sqlite3 shell and sqlite-utils (and
datasette, where installed) must open it as it is.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from clihelp import ok

from calcinosis_cli import model
from calcinosis_cli.dataset.load import load_dataset

CONSOLE_SCRIPT = Path(sys.executable).parent / "calcinosis"
DS = load_dataset()


def calcinosis(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR", "NO_COLOR", "CALCINOSIS_DATA")}
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *args], capture_output=True, text=True, env={**base, **(env or {})}, cwd=cwd, timeout=120
    )


# --- the HTML report ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_report(tmp_path_factory) -> str:
    pytest.importorskip("matplotlib")
    path = tmp_path_factory.mktemp("html") / "report.html"
    result = calcinosis("report", "--format", "html", "--output", str(path), "--date", "2026-01-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    return path.read_text(encoding="utf-8")


def test_html5lib_parses_the_report_without_an_error(html_report):
    html5lib = pytest.importorskip("html5lib")
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(html_report)
    assert parser.errors == []


def test_the_page_names_itself_and_its_language(html_report):
    assert html_report.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Evidence summary: treatments for calcinosis cutis</title>" in html_report
    assert '<meta charset="utf-8">' in html_report


def test_the_page_loads_nothing_from_the_network(html_report):
    # Links to DOIs and PubMed are for the reader to follow; nothing is fetched to show the page.
    assert "<script" not in html_report and "<link" not in html_report and "<img" not in html_report
    assert not re.search(r'\b(src|srcset|data|poster)="', html_report)
    assert "@import" not in html_report and "url(http" not in html_report
    hrefs = re.findall(r'\bhref="([^"]+)"', html_report)
    # In the page: anchors, and data: URIs (the map's colour scale is an inline image).
    external = {h for h in hrefs if not h.startswith(("#", "data:image/png;base64,"))}
    assert external and all(h.startswith(("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/")) for h in external)


def test_the_page_holds_the_figures_as_inline_svg_with_their_numbers_as_names(html_report):
    assert html_report.count("<svg ") == 2
    assert 'role="img" aria-label="Forest plot of the share of patients improved per study row' in html_report
    assert "Berger 1987, phase I 2 of 4 improved (50.0%, 6.8–93.2)" in html_report
    ids = re.findall(r'\bid="([^"]+)"', html_report)
    assert len(ids) == len(set(ids))  # two figures' ids do not collide


def test_every_table_1_reference_is_named(html_report):
    text = re.sub(r"<[^>]+>", "", html_report)
    for ref in DS.references.values():
        if ref.number is not None and any(s.reference == ref.id for s in DS.studies):
            assert ref.title in text, ref.id


def test_tables_have_real_header_cells(html_report):
    assert html_report.count('<th scope="col"') > 50
    # The row's readings are a note under the table, marked after its id.
    assert '<th scope="row">berger1987-warfarin-phase-2<sup class="table-note">' in html_report
    assert '<th scope="row">yoshida1993-warfarin</th>' in html_report


def test_footnotes_and_references_link_both_ways(html_report):
    ids = set(re.findall(r'\bid="([^"]+)"', html_report))
    targets = set(re.findall(r'\bhref="#([^"]+)"', html_report))
    assert targets <= ids  # every internal link lands
    assert 'href="#fn-pilcrow"' in html_report and 'id="fn-pilcrow"' in html_report
    assert 'href="#fnref-pilcrow-1"' in html_report  # and back
    assert 'href="#ref-1"' in html_report and 'href="#cite-1-1"' in html_report


def test_the_html_says_what_the_markdown_says():
    # One report model, two renderers: the same words reach both.
    markdown = ok("report", "-t", "warfarin", "--date", "2026-01-01")
    html = ok("report", "-t", "warfarin", "--date", "2026-01-01", "--format", "html")
    for sentence in (
        "Crude tally: 17 patients who received warfarin, in 4 studies (5 rows)",
        "Not counted as treated: berger1987-warfarin-phase-2: Placebo group",
        "Cases 1 and 2: “In the two responders",
    ):
        assert sentence in markdown and sentence in html


def test_chromium_prints_the_report_to_pdf(html_report, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no Chromium on this machine")
    page, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    page.write_text(html_report, encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    subprocess.run([browser, *flags, f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=120)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 20_000


def test_an_existing_output_is_kept_without_force(tmp_path):
    path = tmp_path / "report.html"
    path.write_text("edited by hand", encoding="utf-8")
    result = calcinosis("report", "--format", "html", "--output", str(path))
    assert result.returncode == 2 and "add --force" in result.stderr
    assert path.read_text(encoding="utf-8") == "edited by hand"
    missing = calcinosis("report", "--output", str(tmp_path / "no" / "r.md"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


# --- the SQLite database ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "calcinosis.db"
    result = calcinosis("export", "--format", "sqlite", "--output", str(path))
    assert result.returncode == 0, result.stderr
    return path


def query(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def test_foreign_keys_are_declared_and_clean(database):
    assert query(database, "PRAGMA foreign_key_check") == []
    # Every study joins its reference through a declared foreign key.
    keys = query(database, "PRAGMA foreign_key_list(studies)")
    assert ("refs", "ref_id", "id") in {(k[2], k[3], k[4]) for k in keys}
    joined = query(database, "SELECT s.id FROM studies s JOIN refs r ON r.id = s.ref_id")
    assert len(joined) == len(DS.studies) == 18


def test_printed_text_and_structured_fields_sit_side_by_side(database):
    row = query(
        database,
        "SELECT treatment_printed, treatment_id, n, treated, unassigned, diagnosis_printed, design "
        "FROM studies WHERE id = 'berger1987-warfarin-phase-2'",
    )
    assert row == [("1 mg/day phase II", "warfarin", 8, 3, 1, "Placebo treatment", "placebo-controlled trial")]
    arms = query(
        database, "SELECT label, received, treatment_id, n, improved, not_improved, not_stated, counted FROM arms"
    )
    assert arms == [
        ("Treatment group", "warfarin", "warfarin", 3, 2, 1, 0, 1),
        ("Placebo group", "placebo", None, 4, 0, 4, 0, 0),
    ]


def test_authors_in_order_and_the_footnote_of_each_row(database):
    authors = query(database, "SELECT name FROM ref_authors WHERE ref_id = 'berger1987' ORDER BY position")
    assert [a for (a,) in authors] == list(DS.references["berger1987"].authors)
    assert query(database, "SELECT count(*) FROM refs WHERE number IS NOT NULL") == [(19,)]
    footnote = query(
        database,
        "SELECT f.text FROM studies s JOIN footnotes f ON f.file = s.footnote_file AND f.marker = s.footnote_marker "
        "WHERE s.id = 'lassoued1988-warfarin'",
    )
    assert footnote == [("in a follow up of 8–63 months as rated by patients",)]


def test_a_tally_printed_across_rows_is_counted_once(database):
    covers = query(database, "SELECT study_id FROM tally_covers WHERE tally_study_id = 'metzger1974-etidronate-10mgkg'")
    assert sorted(c for (c,) in covers) == ["metzger1974-etidronate-10mgkg", "metzger1974-etidronate-20mgkg"]
    assert query(database, "SELECT sum(patients), sum(improved) FROM treated_patients") == [(66, 35)]


def test_the_views_agree_with_group(database):
    expected = {r["group"]: r for r in json.loads(ok("group", "--by", "treatment", "--format", "json"))}
    rows = query(database, "SELECT * FROM treatment_summary")
    assert len(rows) == len(expected)
    for treatment, studies, rows_, patients, improved, unchanged, worsened, not_improved, not_stated, pct in rows:
        group = expected[treatment]
        assert (studies, rows_, patients, improved, unchanged, worsened, not_improved, not_stated, pct) == (
            group["studies"], group["rows"], group["patients"], group["improved"], group["unchanged"],
            group["worsened"], group["not_improved"], group["not_stated"], group["improved_pct"],
        ), treatment  # fmt: skip
    by_class = {r["group"]: r for r in json.loads(ok("group", "--by", "class", "--format", "json"))}
    for name, *numbers in query(database, "SELECT * FROM class_summary"):
        columns = ("studies", "rows", "patients", *model.OUTCOMES, "improved_pct")
        assert tuple(numbers) == tuple(by_class[name][c] for c in columns), name


def test_metadata_names_the_source_versions_and_input_hashes(database):
    meta = dict(query(database, "SELECT key, value FROM metadata"))
    assert meta["source"] == "cukierman2004" and meta["dataset_version"] == "1.2.0"
    assert "not a meta-analysis" in meta["note"]
    files = query(database, "SELECT name, length(sha256) FROM input_files ORDER BY position")
    assert files == [("vocabulary.yaml", 64), ("treatments.yaml", 64), ("later_evidence.yaml", 64)]


def test_the_same_data_gives_the_same_content(database, tmp_path):
    again = tmp_path / "again.db"
    assert calcinosis("export", "--format", "sqlite", "--output", str(again)).returncode == 0
    with sqlite3.connect(database) as a, sqlite3.connect(again) as b:
        assert list(a.iterdump()) == list(b.iterdump())


def test_the_sqlite3_shell_opens_it(database):
    shell = shutil.which("sqlite3")
    if shell is None:
        pytest.skip("no sqlite3 shell on this machine")
    out = subprocess.run([shell, str(database), "SELECT patients FROM treatment_summary WHERE treatment = 'warfarin'"],
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert out.stdout.strip() == "17"


def test_sqlite_utils_opens_it(database):
    sqlite_utils = pytest.importorskip("sqlite_utils")
    db = sqlite_utils.Database(database)
    assert db["studies"].count == 18
    assert "treatment_summary" in db.view_names()
    assert db["studies"].pks == ["id"]


def test_datasette_serves_it(database):
    datasette_app = pytest.importorskip("datasette.app")
    import asyncio

    async def fetch():
        app = datasette_app.Datasette([str(database)])
        response = await app.client.get(f"/{database.stem}/treatment_summary.json?_shape=array&treatment=warfarin")
        return response.status_code, response.json()

    status, rows = asyncio.run(fetch())
    assert status == 200 and rows[0]["patients"] == 17


def test_export_keeps_an_existing_file_without_force(database, tmp_path):
    path = tmp_path / "mine.db"
    path.write_bytes(b"my database")
    refused = calcinosis("export", "--format", "sqlite", "--output", str(path))
    assert refused.returncode == 2 and path.read_bytes() == b"my database"
    assert calcinosis("export", "--format", "sqlite", "--output", str(path), "--force").returncode == 0
    assert query(path, "SELECT count(*) FROM studies") == [(18,)]


def readme_database_lines() -> list[str]:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Sharing: a page and a database", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.S).group(1)
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("tool", ["sqlite3", "sqlite-utils"])
def test_the_readme_database_commands_run_as_written(database, tool):
    (line,) = [line for line in readme_database_lines() if line.startswith(tool + " ")]
    program = shutil.which(tool) or shutil.which(tool, path=str(Path(sys.executable).parent))
    if program is None:
        pytest.skip(f"no {tool} on this machine")
    import shlex

    argv = [program, *shlex.split(line)[1:]]
    out = subprocess.run(argv, capture_output=True, text=True, cwd=database.parent, timeout=60)
    assert out.returncode == 0, out.stderr
    if tool == "sqlite3":  # the treatment summary, as a table with a header
        assert re.search(r"^warfarin\s+4\s+5\s+17\s+7\b", out.stdout, flags=re.M), out.stdout
    else:  # every table with its row count, as JSON
        counts = {entry["table"]: entry["count"] for entry in json.loads(out.stdout)}
        assert counts["studies"] == 18 and counts["refs"] == len(DS.references)


def test_duckdb_attaches_it_where_its_sqlite_extension_loads(database):
    duckdb = pytest.importorskip("duckdb")
    (line,) = [line for line in readme_database_lines() if line.startswith("duckdb ")]
    sql = re.search(r'-c "(.*)"', line).group(1).replace("'calcinosis.db'", f"'{database}'")
    connection = duckdb.connect()
    install, statement = sql.split("; ATTACH", 1)
    try:
        connection.execute(install)
    except duckdb.Error as err:  # the extension is downloaded once; offline it cannot be
        pytest.skip(f"DuckDB's sqlite extension cannot be installed here: {str(err).splitlines()[0]}")
    attach, select = ("ATTACH" + statement).split("; ", 1)
    connection.execute(attach)
    rows = dict(connection.execute(select.replace("*", "treatment, patients")).fetchall())
    assert rows["warfarin"] == 17
