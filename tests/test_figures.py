"""Figures: the forest plot, the evidence map and outcome bars, as text and as SVG, PNG and PDF files.

Files are read back with real readers: SVG with an XML parser (its text must be text), PNG by its
header, PDF by its signature. Two runs must give the same SVG bytes.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from clihelp import ok, run

from calcinosis_cli import figures
from calcinosis_cli.dataset.load import load_dataset
from calcinosis_cli.figures import figure_renderable, figure_text

ROOT = Path(__file__).resolve().parent.parent
CONSOLE_SCRIPT = Path(sys.executable).parent / "calcinosis"
SVG = "{http://www.w3.org/2000/svg}"
WARFARIN_LABELS = [
    "Berger 1987, phase I",
    "Berger 1987, phase II",
    "Lassoued 1988",
    "Yoshida 1993",
    "Cukierman 2004 (this paper's series)",
]

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def calcinosis(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The installed console script, as a user runs it."""
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR", "NO_COLOR", "CALCINOSIS_DATA")}
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *args], capture_output=True, env={**base, **(env or {})}, cwd=cwd, timeout=120
    )


# --- what the figures show ----------------------------------------------------------------------


def test_the_forest_has_one_estimate_per_row_and_the_groups_crude_line(ds):
    forest = figures.build("forest", ds, [s for s in ds.studies if s.treatment == "warfarin"])
    (group,) = forest.groups
    assert [row.label for row in group.rows] == WARFARIN_LABELS
    # Berger phase II: its treatment group only (3), 2 of 3 ("2/3 ... had improvement").
    phase2 = group.rows[1]
    assert (phase2.patients, phase2.improved, phase2.stated) == (3, 2, 3)
    assert (phase2.interval.low, phase2.interval.high) == (9.4, 99.2)
    # The crude line is the group's tally: 7 of 17, not pooled.
    crude = group.crude
    assert (crude.patients, crude.improved, crude.stated, crude.interval.pct) == (17, 7, 17, 41.2)


def test_a_tally_printed_across_two_rows_is_one_estimate(ds):
    forest = figures.build("forest", ds, ds.studies)
    etidronate = next(g for g in forest.groups if g.name == "etidronate")
    (row,) = etidronate.rows
    assert row.label == "Metzger 1974, 10 mg/kg and >20 mg/kg"
    assert (row.patients, row.improved, row.stated) == (6, 0, 5)


def test_the_map_crosses_treatments_and_diagnoses_with_gaps(ds):
    evidence = figures.build("map", ds, ds.studies)
    assert evidence.cells[("anti-TNF", "juvenile dermatomyositis")].patients == 2
    assert ("anti-TNF", "scleroderma") not in evidence.cells  # a gap
    assert sum(cell.patients for cell in evidence.cells.values()) == 66


def test_outcome_bars_count_the_treated_patients(ds):
    bars = {b.treatment: b.counts for b in figures.build("outcomes", ds, ds.studies).bars}
    assert bars["warfarin"] == {"improved": 7, "unchanged": 4, "worsened": 5, "not_improved": 1, "not_stated": 0}


# --- as text -------------------------------------------------------------------------------------


def test_plot_forest_in_a_pipe_names_every_warfarin_study_with_its_numbers():
    out = calcinosis("plot", "forest", "-t", "warfarin").stdout.decode()
    expected = {
        "Berger 1987, phase I": "2/4  50.0 (6.8–93.2)",
        "Berger 1987, phase II": "2/3  66.7 (9.4–99.2)",
        "Lassoued 1988": "0/6  0.0 (0.0–45.9)",
        "Yoshida 1993": "1/1  100.0 (2.5–100.0)",
        "Cukierman 2004 (this paper's series)": "2/3  66.7 (9.4–99.2)",
        "crude, warfarin": "7/17  41.2 (18.4–67.1)",
    }
    lines = out.splitlines()
    for label, numbers in expected.items():
        line = next(line for line in lines if line.strip().startswith(label + " "))
        assert line.endswith(numbers), line
    assert "\x1b" not in out
    assert "not a meta-analysis" in out


@pytest.mark.parametrize("kind", ["forest", "map", "outcomes"])
def test_the_same_data_gives_the_same_text_figure(kind):
    first, second = (ok("plot", kind) for _ in range(2))
    assert first == second and first.strip()


@pytest.mark.parametrize("width", [40, 60, 80, 120, 160])
def test_the_terminal_figure_fits_its_width(ds, width):
    from calcinosis_cli.render.terminal import make_console

    for figure in (figures.build("forest", ds, ds.studies), figures.build("outcomes", ds, ds.studies)):
        buffer = io.StringIO()
        make_console(buffer, color=False, width=width).print(figure_renderable(figure, width))
        assert max(len(line) for line in buffer.getvalue().splitlines()) <= width
        # Drawn without a limit, no line of the figure itself is wider than asked: a terminal
        # never has to wrap a bar or its numbers (only the notes below it, at spaces).
        unlimited = io.StringIO()
        make_console(unlimited, color=False, width=1000).print(figure_renderable(figure, width))
        lines = unlimited.getvalue().splitlines()
        notes = [i for i, line in enumerate(lines) if line.startswith(("Markers:", "Source:"))]
        assert lines[0] == figure.title  # a title, like the notes, may wrap at spaces
        assert notes and max(len(line) for line in lines[1 : notes[0]]) <= width, figure.title


def test_outcome_text_uses_glyphs_that_need_no_colour(ds):
    text = figure_text(figures.build("outcomes", ds, ds.studies))
    assert "█" in text and "▓" in text and "▒" in text and "▚" in text and "░" in text
    assert "17: 7 improved, 4 unchanged, 5 worsened, 1 not improved" in text


# --- as files --------------------------------------------------------------------------------------


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def test_forest_svg_keeps_study_labels_as_text_and_is_byte_identical(tmp_path):
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    for path in (first, second):
        result = calcinosis("plot", "forest", "-t", "warfarin", "--output", str(path))
        assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    texts = svg_texts(first)
    for label in WARFARIN_LABELS:
        assert any(label in t for t in texts), label
    assert any("not a meta-analysis" in t for t in texts)  # the provenance caption
    root = ET.parse(first).getroot()
    assert "crude counts" in "".join(root.find(f"{SVG}metadata").itertext()).casefold()


def test_source_date_epoch_leaves_the_svg_unchanged(tmp_path):
    plain, dated = tmp_path / "a.svg", tmp_path / "b.svg"
    calcinosis("plot", "map", "--output", str(plain))
    calcinosis("plot", "map", "--output", str(dated), env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert plain.read_bytes() == dated.read_bytes()


@pytest.mark.parametrize(("kind", "extra", "needle"), [
    ("map", [], "juvenile"),
    ("map", ["--color", "level"], "level 2b"),
    ("outcomes", [], "not stated"),
])  # fmt: skip
def test_map_and_outcomes_svg_name_what_they_show(tmp_path, kind, extra, needle):
    path = tmp_path / f"{kind}.svg"
    result = calcinosis("plot", kind, *extra, "--output", str(path))
    assert result.returncode == 0, result.stderr
    assert any(needle in t for t in svg_texts(path))


def test_png_is_a_readable_size(tmp_path):
    path = tmp_path / "forest.png"
    assert calcinosis("plot", "forest", "--output", str(path), "--dpi", "150").returncode == 0
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 1000 and height >= 600


def test_pdf_is_a_pdf_and_dated_only_by_source_date_epoch(tmp_path):
    paths = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    for path in paths:
        result = calcinosis("plot", "outcomes", "--output", str(path), env={"SOURCE_DATE_EPOCH": "1700000000"})
        assert result.returncode == 0, result.stderr
    assert paths[0].read_bytes()[:5] == b"%PDF-"
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_width_height_and_title(tmp_path):
    path = tmp_path / "f.svg"
    calcinosis("plot", "forest", "--output", str(path), "--width", "10", "--height", "12", "--title", "My title")
    root = ET.parse(path).getroot()
    assert (root.get("width"), root.get("height")) == ("720pt", "864pt")
    assert "My title" in svg_texts(path)


# --- writing safely --------------------------------------------------------------------------------


def test_an_existing_file_is_replaced_only_with_force(tmp_path):
    path = tmp_path / "f.svg"
    path.write_text("my own edits", encoding="utf-8")
    refused = calcinosis("plot", "forest", "--output", str(path))
    assert refused.returncode == 2
    assert b"add --force to replace it" in refused.stderr
    assert path.read_text(encoding="utf-8") == "my own edits"
    assert calcinosis("plot", "forest", "--output", str(path), "--force").returncode == 0
    assert path.read_bytes().startswith(b"<?xml")


def test_a_missing_folder_or_an_unknown_suffix_is_a_usage_error(tmp_path):
    for target, message in ((tmp_path / "no" / "f.svg", b"does not exist"), (tmp_path / "f.gif", b"suffix")):
        result = calcinosis("plot", "forest", "--output", str(target))
        assert result.returncode == 2 and message in result.stderr
        assert result.stderr.count(b"\n") == 1
        assert not target.exists()


def test_a_failed_write_leaves_the_earlier_file_whole(tmp_path, monkeypatch):
    from calcinosis_cli.cli import output

    path = tmp_path / "f.svg"
    path.write_bytes(b"earlier")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", broken_replace)
    result = run("plot", "forest", "--output", str(path), "--force")
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert path.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["f.svg"]  # no temporary file left behind


def test_without_matplotlib_a_file_is_one_line_saying_what_to_install(tmp_path):
    blocker = tmp_path / "blocker" / "matplotlib"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('not installed')\n", encoding="utf-8")
    result = calcinosis("plot", "forest", "--output", str(tmp_path / "f.svg"),
                        env={"PYTHONPATH": str(blocker.parent)})  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.decode().strip() == (
        "calcinosis: error: drawing a figure file needs matplotlib: install calcinosis[plot] "
        "(pip install 'calcinosis[plot]')"
    )
    # Text figures need no matplotlib.
    text = calcinosis("plot", "forest", env={"PYTHONPATH": str(blocker.parent)})
    assert text.returncode == 0 and b"crude, warfarin" in text.stdout


def test_list_imports_no_figure_code():
    env = {k: v for k, v in os.environ.items() if k != "CALCINOSIS_DATA"}
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
    assert not {m for m in imported if m.startswith(("matplotlib", "calcinosis_cli.figures", "numpy"))}


# --- in the report, and as a cross-tabulation --------------------------------------------------------


def test_report_figures_are_written_beside_the_markdown_and_linked(tmp_path):
    result = calcinosis("report", "-t", "warfarin", "--figures", "figs", "--date", "2026-01-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert (tmp_path / "figs" / "forest.svg").is_file() and (tmp_path / "figs" / "map.svg").is_file()
    assert "](figs/forest.svg)" in text and "](figs/map.svg)" in text
    # The alt text states the numbers.
    assert "Berger 1987, phase I 2 of 4 improved (50.0%, 6.8–93.2)" in text
    assert "crude, all rows added: 7 of 17 improved (41.2%, 18.4–67.1)" in text


def test_group_crosses_treatment_and_diagnosis():
    rows = json.loads(ok("group", "--by", "treatment", "--by", "diagnosis", "-t", "anti-TNF", "--format", "json"))
    assert [(r["treatment"], r["diagnosis"], r["patients"], r["later"]) for r in rows] == [
        ("anti-TNF", "idiopathic inflammatory myositis", 2, "Traineau 2020 (IV, class, JDM only)"),
        ("anti-TNF", "juvenile dermatomyositis", 2, "Traineau 2020 (IV, class)"),
    ]
    plain = ok("group", "--by", "treatment", "--by", "diagnosis").split("\n\n")[0].splitlines()  # notes follow
    assert plain[0].split()[:2] == ["treatment", "diagnosis"] and plain[-1].startswith("Total")
    refused = run("group", "--by", "treatment", "--by", "outcome")
    assert refused.exit_code == 2 and "cannot be crossed" in refused.stderr
