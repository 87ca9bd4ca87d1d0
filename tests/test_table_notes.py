"""Notes under the table, one line per group, no padding in pipes (issue 19).

A sentence in a cell (a caveat, a later review's statement, a reading) becomes a mark, and the
sentence is printed once under the table; the tallies keep one line per group at 120 and 160
columns, and narrow in stated steps below that; a drawn table in a pipe ends no line in spaces.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import tablehelp
from clihelp import ok

from calcinosis_cli.analysis.tally import HUMAN_GROUP_COLUMNS
from calcinosis_cli.cli.commands.group import BRIEF_HEADERS
from calcinosis_cli.documents.table_notes import letters, marks, notes_under_table

ROOT = Path(__file__).resolve().parent.parent
CONSOLE_SCRIPT = Path(sys.executable).parent / "calcinosis"
WIDTHS = (80, 100, 120, 160)
GROUPS = {"class": 8, "treatment": 10}


def table_at(width: int, *args: str) -> str:
    return ok(*args, "--format", "table", env={"COLUMNS": str(width), "NO_COLOR": "1"})


def note_texts(text: str) -> list[str]:
    """The notes under a drawn table, each whole: ``(a) ...`` and its indented continuation lines."""
    notes: list[str] = []
    for line in text.split("\n"):
        if re.match(r"\([a-z]\) ", line):
            notes.append(line)
        elif notes and line.startswith("    ") and line.strip():
            notes[-1] += " " + line.strip()
    return notes


# --- the shared numbering -------------------------------------------------------------------------


def test_one_note_serves_every_row_it_applies_to_in_the_order_first_pointed_to():
    rows = [
        {"g": "x", "c": ["second", "first"]},
        {"g": "y", "c": ["first"]},
        {"g": "z", "c": None},
        {"g": "Total", "c": ["second", "first", "third"]},
    ]
    noted = notes_under_table(rows, ["g", "c"], {"c": None})
    assert noted.notes == ["second", "first", "third"]
    assert [r["c"] for r in noted.rows] == ["(a,b)", "(b)", None, "(a–c)"]
    assert rows[0]["c"] == ["second", "first"]  # the caller's rows are left whole
    assert [letters(list(range(n))) for n in (1, 2, 3)] == ["a", "a,b", "a–c"]
    assert marks([0, 2, 3, 4, 7]) == "(a,c–e,h)"


# --- group: notes in table, plain and Markdown; full text in machine formats -------------------------


@pytest.mark.parametrize("fmt", ["plain", "markdown"])
def test_group_caveats_are_notes_under_the_table_each_once(fmt):
    text = ok("group", "--by", "class", "--format", fmt)
    table, *notes = [part for part in text.split("\n\n") if part.strip()]
    assert "another reading gives" not in table and "phases of one trial" not in table
    notes = [n.strip() for n in notes] if fmt == "markdown" else notes[0].splitlines()
    assert [n[:4] for n in notes] == ["(a) ", "(b) ", "(c) "]
    assert len({n[4:] for n in notes}) == 3
    for needle in ("bottomley1996-carbon-dioxide-laser is counted", "robertson2003-minocycline", "berger1987: phase I"):
        assert sum(needle in n for n in notes) == 1, needle
    # The Total points to the same notes as the rows it adds up.
    total = next(line for line in table.splitlines() if "Total" in line)
    assert "(a–c)" in total


def test_markdown_notes_read_back_as_paragraphs_after_the_table():
    from markdown_it import MarkdownIt

    text = ok("group", "--by", "treatment", "--format", "markdown")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    kinds = [t.type for t in tokens if t.type in ("table_open", "paragraph_open")]
    assert kinds[0] == "table_open" and kinds.count("paragraph_open") == 3
    paragraphs = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    assert paragraphs[0].startswith("(a) bottomley1996-carbon-dioxide-laser")


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv"])
def test_machine_formats_keep_the_full_text(fmt):
    text = ok("group", "--by", "class", "--format", fmt)
    assert "another reading gives 9 improved" in text
    assert "(a)" not in text


def test_list_sentences_are_notes_and_a_shared_one_is_printed_once():
    text = ok("list", "-t", "warfarin", "-c", "id,level_reason,later_evidence,notes", "--format", "plain")
    table, notes = text.split("\n\n")
    lines = table.splitlines()[1:]
    assert len(lines) == 5
    # All five rows share one later-review statement: one note, one letter in every row.
    statement = [n for n in notes.splitlines() if n.startswith("(") and "Traineau" in n]
    assert len(statement) == 1
    letter = statement[0][:3]
    assert all(letter in line for line in lines)
    assert "should not be used for calcinosis cutis" not in table
    assert text.count("The number of patients with each diagnosis is not stated.") == 1  # two rows share it
    full = json.loads(ok("list", "-t", "warfarin", "-c", "later_evidence,notes", "--format", "json"))
    assert "should not be used" in full[0]["later_evidence"][0]


def test_report_readings_are_notes_under_their_table():
    text = ok("report", "-t", "warfarin", "--date", "2026-01-01", "--format", "markdown")
    assert "| berger1987-warfarin-phase-1<sup>a</sup> |" in text
    assert "| yoshida1993-warfarin |" in text  # no readings, no mark
    assert text.count('"Plain film" is read as radiographic.') == 1
    assert "Readings and caveats:" not in text


# --- one line per group at fixed widths ---------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("by", sorted(GROUPS))
def test_a_tally_is_one_line_per_group_at_every_width(width, by):
    text = table_at(width, "group", "--by", by)
    lines = text.split("\n")
    assert max(len(line) for line in lines) <= width
    body = [cells for cells in tablehelp.table_lines(text) if cells[0] and cells[0] != "group"]
    assert len(body) == GROUPS[by] + 1  # one line a group, and the Total
    rows = json.loads(ok("group", "--by", by, "--format", "json"))
    header = tablehelp.header(text)
    ci = header.index("improved_ci")
    for cells, row in zip(body, rows, strict=False):
        assert cells[0] == row["group"]
        if row["improved_pct"] is not None:  # the interval whole, on the group's line
            assert cells[ci] == f"{row['improved_pct']} ({row['ci_low']}–{row['ci_high']})"
    # Every header whole: a column name, or a brief one named in the legend under the table.
    for name in header:
        assert name in HUMAN_GROUP_COLUMNS or f"{name} = {dict(map(reversed, BRIEF_HEADERS.items()))[name]}" in (
            " ".join(text.split())
        )
    # The caveats appear once each, as lettered notes under the table (wrapped lines rejoined).
    notes = note_texts(text)
    for needle in ("counted as read in its tally; another reading gives 9", "phase I and phase II are phases"):
        assert sum(needle in line for line in notes) == 1


@pytest.mark.parametrize("by", sorted(GROUPS))
def test_at_120_and_160_every_count_is_shown(by):
    for width in (120, 160):
        text = table_at(width, "group", "--by", by)
        brief = {label: name for name, label in BRIEF_HEADERS.items()}
        shown = [brief.get(h, h) for h in tablehelp.header(text)]
        counts = ("studies", "patients", "improved", "unchanged", "worsened", "not_improved", "not_stated")
        assert set(counts) <= set(shown), (width, shown)
    wide = table_at(160, "group", "--by", "class")
    assert "Traineau 2020 (IV, class, JDM only)" in wide.split("\n\n")[0]  # the mark stays in its cell at 160


def test_at_80_columns_the_tally_stays_a_table_and_says_what_it_left_out():
    text = table_at(80, "group", "--by", "class")
    assert "record 1" not in text
    assert tablehelp.header(text)[:2] == ["group", BRIEF_HEADERS["patients"]]
    assert "Not shown at this width: " in text and "(choose columns with --columns)" in " ".join(text.split())


def test_columns_given_are_drawn_as_given():
    text = table_at(160, "group", "--by", "class", "-c", "group,patients,not_improved,caveat")
    assert tablehelp.header(text) == ["group", "patients", "not_improved", "caveat"]
    assert "Short headers" not in text and "Not shown" not in text


# --- the evidence map at 80 columns ---------------------------------------------------------------------


def test_the_cross_tally_nests_diagnoses_under_treatments_at_80():
    text = table_at(80, "group", "--by", "treatment", "--by", "diagnosis")
    assert max(len(line) for line in text.split("\n")) <= 80
    assert tablehelp.header(text)[0] == "treatment / diagnosis"
    names = [cells[0] for cells in tablehelp.table_lines(text)]
    assert names[names.index("warfarin") + 1 :][:4] == [
        "(not stated)",
        "dermatomyositis + scleroderma",
        "scleroderma",
        "systemic sclerosis",
    ]


@pytest.mark.parametrize("width", [80, 100])
def test_plot_map_as_text_is_split_into_tables_that_fit(width):
    text = ok("plot", "map", env={"COLUMNS": str(width)})
    assert max(len(line) for line in text.split("\n")) <= width
    headers = [line for line in text.split("\n") if line.startswith("treatment ")]
    assert len(headers) > 1
    diagnoses = [d for h in headers for d in re.split(r"\s{2,}", h)[1:]]
    assert sorted(diagnoses) == sorted(
        [
            "dermatomyositis",
            "idiopathic inflammatory myositis",
            "juvenile dermatomyositis",
            "scleroderma",
            "systemic sclerosis",
            "dermatomyositis + scleroderma",
            "(not stated)",
        ]
    )
    assert text.count("warfarin") == len(headers)  # every part names its rows


# --- no padding in pipes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--treatment", "warfarin"],
        ["list", "--treatment", "warfarin", "-c", "all"],  # the record layout at 80
        ["group", "--by", "class"],
        ["cases"],
    ],
    ids=["list", "records", "group", "cases"],
)
def test_a_drawn_table_in_a_pipe_ends_no_line_in_spaces(args):
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), *args, "--format", "table"],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR", "NO_COLOR")},
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "│" in result.stdout or "record 1" in result.stdout
    assert [line for line in result.stdout.split("\n") if line.endswith(" ")] == []


# --- a real terminal: tmux at 120 and 160 columns -----------------------------------------------------------


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("width", [120, 160])
@pytest.mark.parametrize("by", sorted(GROUPS))
def test_in_tmux_a_tally_is_one_line_a_group(tmp_path, width, by):
    socket = f"calcinosis-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TMUX")}
    env["CALCINOSIS_CACHE_DIR"] = str(tmp_path)
    tmux = ["tmux", "-L", socket, "-f", os.devnull]
    command = f"{CONSOLE_SCRIPT} group --by {by}; tmux -L {socket} wait-for -S done; sleep 30"
    try:
        subprocess.run(
            [*tmux, "new-session", "-d", "-x", str(width), "-y", "60", command], env=env, check=True, timeout=30
        )
        subprocess.run([*tmux, "wait-for", "done"], env=env, check=True, timeout=60)
        screen = subprocess.run(
            [*tmux, "capture-pane", "-p", "-J"], env=env, capture_output=True, text=True, check=True, timeout=30
        ).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, capture_output=True, timeout=30)
    lines = screen.rstrip("\n").split("\n")
    assert max(len(line) for line in lines) <= width
    body = [cells for cells in tablehelp.table_lines(screen) if cells[0] and cells[0] != "group"]
    assert len(body) == GROUPS[by] + 1
    assert any("41.2 (18.4–67.1)" in cells for cells in body)
    notes = [line for line in lines if re.match(r"\([a-z]\) ", line)]
    assert sum("another reading gives 9 improved" in line for line in notes) == 1


# --- README: the terminal captures are real output ------------------------------------------------------------


def test_the_readme_captures_are_what_the_terminal_shows(tmp_path):
    import importlib.metadata
    import importlib.util

    spec = importlib.util.spec_from_file_location("refresh_readme", ROOT / "tools" / "refresh_readme.py")
    refresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(refresh)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    captures = list(refresh.CAPTURE.finditer(readme))
    assert {(int(m.group(1)), m.group(3)) for m in captures} >= {
        (160, "calcinosis list --treatment warfarin"),
        (80, "calcinosis list --treatment warfarin"),
        (160, "calcinosis group --by class"),
        (80, "calcinosis group --by class"),
    }
    # The captures were drawn with rich 15, which pads a table's cells as 14 and earlier do
    # not (see README, Supported versions), so it may wrap a cell elsewhere: with an older rich
    # the capture is checked for its width, its line ends and the same words, not space for space.
    exact = int(importlib.metadata.version("rich").split(".")[0]) >= 15
    for match in captures:
        shown = match.group(0).split("```text\n", 1)[1].removesuffix("```")
        width, lines = int(match.group(1)), int(match.group(2)) if match.group(2) else None
        drawn = refresh.capture(width, match.group(3), lines, str(tmp_path))
        if exact:
            assert shown == drawn, match.group(0)[:60]
        else:
            assert all(len(line) <= width and not line.endswith(" ") for line in drawn.splitlines())
            words = sorted(w for w in shown.split() if w.strip("│┼─━"))
            assert sorted(w for w in drawn.split() if w.strip("│┼─━")) == words, match.group(0)[:60]
