"""The ten defects a close read of the package found (issue 18), each pinned: every test here
failed before its fix."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from clihelp import ok, run

from calcinosis_cli.cli import output

CONSOLE_SCRIPT = Path(sys.executable).parent / "calcinosis"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


STUDY = """\
  - id: {id}
    source: user
    treatment_printed: Warfarin
    treatment: warfarin
    n: 2
    reference: berger1987
    design: case series
    tally: {{improved: 1, unchanged: 1}}
    diagnoses: {diagnoses}
"""


# 1. Aliases are one term once resolved.
def test_a_treatment_and_its_alias_are_one_treatment_of_a_statement(tmp_path):
    mine = write(
        tmp_path,
        "later.yaml",
        "later_evidence:\n  - id: mine-1\n    reference: berger1987\n    treatments: [warfarin, coumadin]\n"
        "    statement: Both names, one drug.\n",
    )
    database = tmp_path / "x.db"
    ok("--data", str(mine), "export", "--format", "sqlite", "--output", str(database))
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT treatment_id FROM later_evidence_treatments WHERE later_id = 'mine-1'").fetchall()
    assert rows == [("warfarin",)]


def test_a_diagnosis_and_its_alias_are_one_diagnosis(tmp_path):
    mine = write(tmp_path, "mine.yaml", "studies:\n" + STUDY.format(id="u-1", diagnoses="[SSc, systemic sclerosis]"))
    rows = json.loads(ok("--data", str(mine), "group", "--by", "diagnosis", "--search", "u-1", "--format", "json"))
    assert [r["group"] for r in rows] == ["systemic sclerosis"]


def test_two_files_of_one_name_may_each_declare_a_footnote(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        write(
            tmp_path / folder,
            "mine.yaml",
            'footnotes:\n  - marker: "*"\n    text: ' + folder + "\nstudies:\n"
            + STUDY.format(id=f"{folder}-1", diagnoses="[SSc]") + '    footnote: "*"\n',
        )  # fmt: skip
    database = tmp_path / "x.db"
    args = ["--data", str(tmp_path / "a" / "mine.yaml"), "--data", str(tmp_path / "b" / "mine.yaml")]
    ok(*args, "export", "--format", "sqlite", "--output", str(database))
    with sqlite3.connect(database) as db:
        files = {name for (name,) in db.execute("SELECT file FROM footnotes WHERE marker = '*'")}
    assert {f for f in files if f.endswith("mine.yaml")} == {str(tmp_path / d / "mine.yaml") for d in "ab"}


# 2. Every input is read once.
def fifo_with(tmp_path: Path, data: bytes) -> Path:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as handle:
            handle.write(data)

    threading.Thread(target=feed, daemon=True).start()
    return fifo


def test_a_fifo_given_as_data_is_recorded_with_its_bytes(tmp_path):
    data = ("studies:\n" + STUDY.format(id="u-1", diagnoses="[SSc]")).encode()
    database = tmp_path / "x.db"
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "--data", str(fifo_with(tmp_path, data)), "export", "-f", "sqlite", "-o", str(database)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as db:
        (size,) = db.execute("SELECT bytes FROM input_files WHERE name LIKE '%fifo.yaml'").fetchone()
        assert db.execute("SELECT count(*) FROM studies WHERE id = 'u-1'").fetchone() == (1,)
    assert size == len(data)


def test_import_reads_a_fifo_given_as_data_once(tmp_path):
    data = ("studies:\n" + STUDY.format(id="u-1", diagnoses="[SSc]")).encode()
    sheet = tmp_path / "sheet.csv"
    ok("new", str(sheet))
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "--data", str(fifo_with(tmp_path, data)), "import", str(sheet), "-o", "-"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "file is empty" not in result.stderr
    assert "nothing to write" in result.stderr  # the empty sheet holds no record; the FIFO was read


# 3. Figures written beside a report are linked from the report's own folder.
def test_report_figures_are_linked_relative_to_the_report(tmp_path):
    pytest.importorskip("matplotlib")
    (tmp_path / "out").mkdir()
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "report", "-t", "warfarin", "--output", "out/report.md", "--figures", "out/figs"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "](figs/forest.svg)" in text and "](out/figs" not in text
    assert (tmp_path / "out" / "figs" / "forest.svg").is_file()


# 4. The provenance line names every option (test_synthesis_cli: --data and --level).
def test_the_provenance_line_names_data_and_level(tmp_path):
    mine = write(tmp_path, "mine.yaml", "classes:\n  - id: my class\n")
    out = ok("--data", str(mine), "report", "-t", "warfarin", "--level", "90", "--date", "2026-01-01")
    assert f"`calcinosis --data {mine} report -t warfarin --level 90 --date 2026-01-01`" in out


# 5. An empty COLUMNS is no width, not an error.
def test_an_empty_columns_is_ignored():
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "plot", "forest"], capture_output=True, text=True, env={**os.environ, "COLUMNS": ""}
    )
    assert result.returncode == 0, result.stderr
    assert "crude, warfarin" in result.stdout


# 6. An input over the size limit is a data error in one line.
def test_importing_a_sheet_over_the_size_limit_is_a_data_error(tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.truncate(65 * 1024 * 1024)
    result = run("import", str(big), "--output", str(tmp_path / "out.yaml"))
    assert result.exit_code == 1
    assert "file is too large" in result.stderr and "internal error" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# 7. An organisation keeps its last word.
def test_an_organisation_as_author_keeps_its_name(tmp_path):
    mine = write(
        tmp_path,
        "mine.yaml",
        "references:\n  - {id: ssg2020, authors: [Scleroderma Study Group], title: T, journal: J, year: 2020}\n"
        "studies:\n" + STUDY.format(id="u-1", diagnoses="[SSc]").replace("berger1987", "ssg2020"),
    )
    rows = json.loads(ok("--data", str(mine), "list", "--search", "u-1", "--format", "json", "-c", "reference"))
    assert rows == [{"reference": "Scleroderma Study Group (2020)"}]
    assert "Scleroderma Study Group 2020" in ok("--data", str(mine), "plot", "forest", "--search", "u-1")


# 8. --quiet does not outlive its run.
def test_quiet_leaves_the_logger_as_it_was():
    before = logging.getLogger("calcinosis").level
    ok("-q", "list", "-t", "warfarin")
    assert logging.getLogger("calcinosis").level == before


# 9. A file made between the first look and the write is not replaced without --force.
def test_a_file_made_while_writing_is_not_overwritten(tmp_path):
    target = tmp_path / "out.yaml"

    def writer(tmp: str) -> None:
        Path(tmp).write_bytes(b"new\n")
        target.write_bytes(b"someone else's\n")  # made after the check, before the rename

    with pytest.raises(output.UsageError, match="exists; add --force"):
        output.write_with(str(target), writer)
    assert target.read_bytes() == b"someone else's\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]  # no temporary file left


# 10. A sqlite3 failure is a one-line data error.
def test_a_database_that_cannot_be_written_is_a_data_error(tmp_path, monkeypatch):
    from calcinosis_cli.exchange import sqlite

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sqlite, "_fill", full)
    result = run("export", "--format", "sqlite", "--output", str(tmp_path / "x.db"))
    assert result.exit_code == 1
    expected = f"cannot write {tmp_path}/x.db: the database could not be written: database or disk is full"
    assert result.stderr.strip() == f"calcinosis: error: {expected}"
    assert not (tmp_path / "x.db").exists()
