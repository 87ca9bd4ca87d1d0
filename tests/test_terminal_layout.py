"""What a person sees at a terminal: tables at fixed widths, headers whole, options where hands put them."""

from __future__ import annotations

import re

import pytest
import tablehelp
from clihelp import ok, run

from calcinosis_cli.analysis import rows as table_rows
from calcinosis_cli.analysis.cases import DEFAULT_CASE_COLUMNS
from calcinosis_cli.analysis.tally import HUMAN_GROUP_COLUMNS
from calcinosis_cli.cli.commands.group import BRIEF_HEADERS


def table_at(width: int, *args: str) -> str:
    """``calcinosis ARGS --format table`` drawn for a terminal ``width`` columns wide."""
    return ok(*args, "--format", "table", env={"COLUMNS": str(width), "NO_COLOR": "1"})


def lines_holding(text: str, value: str) -> list[str]:
    return [line for line in text.split("\n") if value in line]


@pytest.mark.parametrize("width", [120, 160, 200])
def test_warfarin_at_a_wide_terminal_keeps_short_cells_on_one_line(width):
    text = table_at(width, "list", "-t", "warfarin")
    assert tablehelp.header(text) == list(table_rows.DEFAULT_COLUMNS)
    assert max(len(line) for line in text.split("\n")) <= width
    assert len(lines_holding(text, "1 mg/day")) == 5
    assert len(lines_holding(text, "Traineau 2020 (IB)")) == 5
    if width >= 160:
        assert len(lines_holding(text, "Yoshida and Torikai (1993)")) == 1


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize(
    ("args", "columns"),
    [
        (["list"], list(table_rows.DEFAULT_COLUMNS)),
        (["cases"], list(DEFAULT_CASE_COLUMNS)),
        (["group", "--by", "class"], list(HUMAN_GROUP_COLUMNS)),
    ],
    ids=["list", "cases", "group"],
)
def test_at_a_narrow_terminal_every_header_appears_whole(width, args, columns):
    text = table_at(width, *args)
    assert max(len(line) for line in text.split("\n")) <= width
    if text.startswith("record 1") or "\nrecord 1 " in text:  # the record layout: a field a line
        fields = {line.split()[0] for line in text.split("\n") if line and not line.startswith("record ")}
        assert set(columns) <= fields
    elif args[0] == "group":  # narrowed to one line a group: brief headers, the rest named below
        brief = {label: name for name, label in BRIEF_HEADERS.items()}
        shown = [brief.get(h, h) for h in tablehelp.header(text)]
        left_out = re.search(r"Not shown at this width: ([^(]*) \(", " ".join(text.split()))
        hidden = left_out.group(1).split(", ") if left_out else []
        assert sorted(shown + hidden) == sorted(columns)
        assert [c for c in columns if c in shown] == shown  # in their order
    else:
        assert tablehelp.header(text) == columns


@pytest.mark.parametrize("width", range(40, 201, 7))
def test_a_header_is_never_broken_inside_a_word(width):
    for args in (["list", "-c", "all"], ["cases", "-c", "all"], ["group", "--by", "design"]):
        text = table_at(width, *args)
        if "│" not in text:
            continue
        rule = next(i for i, line in enumerate(text.split("\n")) if tablehelp.is_rule(line))
        for line in [line for line in text.split("\n")[:rule] if "│" in line]:
            for piece in (p.strip() for p in line.split("│")):
                if piece in BRIEF_HEADERS.values():  # a brief header, whole
                    continue
                if piece:  # a header line holds whole pieces of a name split after "_"
                    assert re.fullmatch(r"(?:[a-z0-9]+_)*[a-z0-9]*", piece), (width, piece)


def test_record_layout_when_even_words_cannot_fit():
    text = table_at(60, "list", "-t", "warfarin", "-c", "all")
    assert text.startswith("record 1 ")
    assert text.count("\nrecord ") == 4
    assert "berger1987-warfarin-phase-2" in text
    # The count under the records, then the notes the records' marks point to.
    body, notes = text.split("\n\n(a) ", 1)
    assert body.rstrip().endswith("5 of 18 rows match")
    assert "level_reason       (a)" in body and re.search(r"later_evidence     \([a-z]\)", body)
    assert "Traineau" in notes and "should not be used" not in body


def test_single_line_rows_have_no_rule_between_them():
    text = table_at(200, "list", "-c", "id,n,level")
    lines = text.rstrip("\n").split("\n")
    assert sum(tablehelp.is_rule(line) for line in lines) == 1  # only under the header
    assert len(tablehelp.table_lines(text)) == 1 + 18


def test_a_table_says_how_many_rows_matched():
    assert table_at(160, "list", "-t", "warfarin").rstrip().endswith("5 of 18 rows match")
    assert table_at(160, "cases").rstrip().endswith("3 of 3 cases")


# --- plain text in a pipe -------------------------------------------------------------------------


def test_plain_lines_are_not_padded_to_the_longest_cell():
    import json

    lines = ok("list").rstrip("\n").split("\n")
    rows = json.loads(ok("list", "-f", "json", "-c", ",".join(table_rows.DEFAULT_COLUMNS)))
    assert all(line == line.rstrip() for line in lines)
    last = lines[0].rindex(table_rows.DEFAULT_COLUMNS[-1])
    for line, row in zip(lines[1:], rows, strict=True):
        if all(len(str(v or "")) <= 40 for v in row.values()):
            # A row of short cells ends within the last column: no paragraph pads it.
            assert len(line) <= last + 40, line


# --- options where hands put them ------------------------------------------------------------------


def test_global_options_work_after_the_command(tmp_path):
    example = "examples/my-studies.yaml"
    before = ok("--data", example, "list", "-t", "diltiazem", "-c", "id")
    after = ok("list", "-t", "diltiazem", "-c", "id", "--data", example)
    assert before == after
    assert after.split() == ["id", "dolan1995-diltiazem", "vaysairat1998-diltiazem", "example2024-diltiazem"]
    assert ok("list", "--quiet", "-d", "dermatomyositis", "--debug") == ok("--quiet", "list", "-d", "dermatomyositis")


@pytest.mark.parametrize("command", ["list", "group", "show", "cite", "report", "cases", "validate", "terms"])
def test_every_command_help_shows_the_global_options(command):
    text = ok(command, "--help")
    for option in ("--data", "--no-bundled", "--quiet", "--debug"):
        assert option in text, (command, option)


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (["group", "--by", "clas"], "'class'"),
        (["cite", "--style", "bibtx"], "'bibtex'"),
        (["show", "berger1987-warfarin-phase-1", "-f", "jsn"], "'json'"),
        (["terms", "treatmnt"], "'treatment'"),
        (["cases", "--response", "resolved"], "'complete resolution'"),
        (["cases", "--subtype", "difuse cutaneous"], "'diffuse cutaneous'"),
        (["list", "-f", "markdwn"], "'markdown'"),
        (["list", "--sort", "dos"], "'dose'"),
    ],
)
def test_every_fixed_choice_offers_the_close_match(args, suggestion):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"did you mean {suggestion}?" in result.stderr


# --- a diagnosis filter and broader printed terms ---------------------------------------------------


def test_a_diagnosis_filter_says_which_broader_rows_it_left_out():
    result = run("list", "-t", "diltiazem", "-d", "SSc")
    assert result.exit_code == 0
    assert result.stdout.split("\n")[1:] == [""]  # the header only: nothing matched
    assert result.stderr == (
        "calcinosis: note: 2 rows have the broader diagnosis 'scleroderma', which may include 'SSc'; "
        "add -d scleroderma to include them\n"
    )
    widened = ok("list", "-t", "diltiazem", "-d", "SSc", "-d", "scleroderma", "-c", "id")
    assert widened.split() == ["id", "dolan1995-diltiazem", "vaysairat1998-diltiazem"]


def test_the_broader_note_names_myositis_for_dermatomyositis_and_quiet_silences_it():
    result = run("list", "-d", "dermatomyositis", "-c", "id")
    assert "the broader diagnosis 'idiopathic inflammatory myositis'" in result.stderr
    assert "add -d 'idiopathic inflammatory myositis'" in result.stderr
    assert run("list", "-d", "dermatomyositis", "-c", "id", "--quiet").stderr == ""
    assert run("list", "-d", "scleroderma", "-c", "id").stderr == ""  # nothing broader than it


# --- progress -----------------------------------------------------------------------------------------


def test_progress_is_drawn_only_after_a_second_and_only_for_a_terminal(monkeypatch):
    import io
    import sys

    from calcinosis_cli.cli import progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.delenv("TERM", raising=False)
    assert progress.progress_for(quiet=True) is None
    bar = progress.progress_for(quiet=False)
    assert bar is not None
    with bar:
        bar("reading big.yaml", 10, 100)
        assert bar.display is None  # not yet a second
        bar.started -= progress.SHOW_AFTER
        bar("reading big.yaml", 50, 100)
        assert bar.display is not None
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a pipe
    assert progress.progress_for(quiet=False) is None


@pytest.mark.parametrize(
    ("header", "width", "lines"),
    [
        ("time_to_response_months", 9, ["time_to_", "response_", "months"]),
        ("systemic sclerosis", 18, ["systemic sclerosis"]),  # a space stays a space
        ("systemic sclerosis", 12, ["systemic", "sclerosis"]),
        ("dermatomyositis + scleroderma", 29, ["dermatomyositis + scleroderma"]),
        ("(not stated)", 12, ["(not stated)"]),
    ],
)
def test_headers_break_only_between_words_and_keep_their_spaces(header, width, lines):
    from calcinosis_cli.render.terminal import header_lines

    assert header_lines(header, width).split("\n") == lines
