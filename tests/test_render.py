"""Each renderer directly: cells read back exactly, nothing is cut, nothing is interpreted."""

from __future__ import annotations

import csv
import io
import json

import pytest
import tablehelp
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from calcinosis_cli.analysis import rows
from calcinosis_cli.dataset import load
from calcinosis_cli.render import FormatError, all_formats, render_rows
from calcinosis_cli.render.cells import cell_text, one_line, visible
from calcinosis_cli.render.delimited import guard_formula, render_delimited
from calcinosis_cli.render.jsonout import render_json, render_jsonl
from calcinosis_cli.render.markdown import escape_inline, render_markdown_table
from calcinosis_cli.render.plain import render_plain
from calcinosis_cli.render.tabular import render_tabulate
from calcinosis_cli.render.terminal import make_console, rows_renderable, rows_table

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])

HOSTILE = [
    "a | b",
    "*bold* and _em_",
    "[x] and [link](http://example.com)",
    "<b>html</b>",
    "line one\nline two",
    "crlf\r\nand bare\rcr",
    "`code` ~~strike~~ \\ back",
    "&amp; &#124; !# $",
    "",
]


@pytest.fixture(scope="module")
def bundled_rows() -> list[dict[str, object]]:
    ds = load.load_dataset()
    return [rows.study_row(ds, s) for s in ds.studies]


# --- markdown ------------------------------------------------------------------------------


def markdown_table(text: str) -> list[list[str]]:
    """Parse a GFM pipe table; each cell's inline text with <br> read as a newline."""
    tokens = MARKDOWN.parse(text)
    assert [t.type for t in tokens][:2] == ["table_open", "thead_open"], "not a table"
    assert sum(t.type == "table_open" for t in tokens) == 1
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            out = []
            for child in token.children or []:
                if child.type == "text":
                    out.append(child.content)
                elif child.type == "html_inline" and child.content == "<br>":
                    out.append("\n")
                else:
                    raise AssertionError(f"markdown interpreted a cell: {child.type} {child.content!r}")
            rows[-1].append("".join(out))
    return rows


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_cell_reads_back_exactly(value):
    text = render_markdown_table([{"a": value, "b": "after"}], ["a", "b"])
    expected = value.replace("\r\n", "\n").replace("\r", "\n")
    assert markdown_table(text) == [["a", "b"], [expected, "after"]]


def test_markdown_escapes_the_specials():
    assert escape_inline("a | b") == "a \\| b"
    assert escape_inline("*x*") == "\\*x\\*"
    assert escape_inline("[x]") == "\\[x\\]"
    assert escape_inline("<b>") == "\\<b\\>"
    assert escape_inline("a\nb") == "a<br>b"


def test_markdown_keeps_one_line_per_row():
    text = render_markdown_table([{"a": "x\ny"}, {"a": "z\x1bw"}], ["a"])
    assert text.splitlines() == ["| a |", "| --- |", "| x<br>y |", "| z\\x1bw |"]


def test_markdown_right_aligns_numbers():
    text = render_markdown_table([{"n": 3, "dose": "1 mg"}], ["dose", "n"])
    assert text.splitlines()[1] == "| --- | ---: |"


def test_markdown_of_the_bundled_rows_reads_back(bundled_rows):
    columns = list(rows.COLUMNS)
    parsed = markdown_table(render_markdown_table(bundled_rows, columns))
    assert parsed[0] == columns
    assert parsed[1:] == [[cell_text(r[c]) for c in columns] for r in bundled_rows]


# --- csv and tsv ---------------------------------------------------------------------------

TRICKY = {
    "cr": "before\rafter",
    "quote": 'say "hi"',
    "comma": "a, b",
    "tab": "a\tb",
    "newline": "one\ntwo",
    "crlf": "one\r\ntwo",
    "spaces": "  padded  ",
    "list": ["x", "y"],
    "none": None,
    "number": 12,
}


def read_delimited(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_delimited_round_trip(delimiter):
    columns = list(TRICKY)
    text = render_delimited([TRICKY, {"cr": "plain"}], columns, delimiter)
    assert read_delimited(text, delimiter) == [
        columns,
        ["before\rafter", 'say "hi"', "a, b", "a\tb", "one\ntwo", "one\r\ntwo", "  padded  ", "x; y", "", "12"],
        ["plain"] + [""] * (len(columns) - 1),
    ]


def test_bare_cr_is_quoted_so_the_record_is_not_split():
    text = render_delimited([{"a": "x\ry", "b": "z"}], ["a", "b"])
    assert text == 'a,b\n"x\ry",z\n'


def test_delimited_quotes_only_when_needed():
    text = render_delimited([{"a": "plain", "b": 'q"q', "c": "x,y"}], ["a", "b", "c"])
    assert text.splitlines()[1] == 'plain,"q""q","x,y"'
    assert render_delimited([{"a": "x,y"}], ["a"], "\t").splitlines()[1] == "x,y"


def test_guard_formulas_on():
    columns = ["a", "b", "c", "d", "e"]
    row = {"a": "=1+1", "b": "-5 mg/kg", "c": "+1", "d": "@SUM(A1)", "e": "10 mg/kg"}
    record = read_delimited(render_delimited([row], columns, ",", guard_formulas=True), ",")[1]
    assert record == ["'=1+1", "'-5 mg/kg", "'+1", "'@SUM(A1)", "10 mg/kg"]


def test_guard_formulas_off_leaves_cells_alone():
    columns = ["a", "b"]
    record = read_delimited(render_delimited([{"a": "=1+1", "b": "-5 mg/kg"}], columns, ","), ",")[1]
    assert record == ["=1+1", "-5 mg/kg"]


def test_guard_formula_function():
    assert guard_formula("=1+1") == "'=1+1"
    assert guard_formula("\t=1") == "'\t=1"
    assert guard_formula("safe = yes") == "safe = yes"
    assert guard_formula("") == ""


def test_guard_formulas_through_render_rows():
    text = render_rows([{"a": "=HYPERLINK(1)"}], ["a"], "tsv", guard_formulas=True)
    assert text == "a\n'=HYPERLINK(1)\n"


def test_csv_of_the_bundled_rows_reads_back(bundled_rows):
    columns = list(rows.COLUMNS)
    parsed = read_delimited(render_delimited(bundled_rows, columns, ","), ",")
    assert parsed[0] == columns
    assert parsed[1:] == [[cell_text(r[c]) for c in columns] for r in bundled_rows]


# --- json ----------------------------------------------------------------------------------


def test_json_keeps_types_and_column_order():
    rows = [{"b": 1, "a": ["x"], "c": None, "extra": "dropped"}]
    assert json.loads(render_json(rows, ["a", "b", "c", "missing"])) == [
        {"a": ["x"], "b": 1, "c": None, "missing": None}
    ]
    assert list(json.loads(render_json(rows, ["c", "a"]))[0]) == ["c", "a"]


def test_json_is_not_ascii_escaped():
    assert "Saïag" in render_json([{"a": "Saïag"}], ["a"])


def test_jsonl_one_object_per_line():
    rows = [{"a": "x\ny"}, {"a": 2}]
    lines = render_jsonl(rows, ["a"]).splitlines()
    assert [json.loads(line) for line in lines] == [{"a": "x\ny"}, {"a": 2}]


# --- plain ---------------------------------------------------------------------------------


def test_plain_keeps_each_record_on_one_line():
    rows = [{"a": "one\ntwo", "b": "x\ry"}, {"a": "tab\there", "b": "esc\x1b[31mred"}]
    lines = render_plain(rows, ["a", "b"]).splitlines()
    assert len(lines) == 3
    assert lines[1].split() == ["one\\ntwo", "x\\ry"]
    assert lines[2].split() == ["tab\\there", "esc\\x1b[31mred"]
    assert "\x1b" not in "".join(lines)


def test_plain_aligns_columns_with_two_spaces_and_no_cutting():
    long = "x" * 300
    text = render_plain([{"a": "1", "b": long}, {"a": "222", "b": "y"}], ["a", "b"])
    assert text.splitlines() == ["a    b", "1    " + long, "222  y"]


def test_plain_counts_wide_characters_as_two_columns():
    text = render_plain([{"a": "漢字", "b": "x"}, {"a": "abcd", "b": "y"}], ["a", "b"])
    assert text.splitlines() == ["a     b", "漢字  x", "abcd  y"]


def test_table_format_without_a_terminal_is_plain():
    rows = [{"a": "x", "b": 1}]
    assert render_rows(rows, ["a", "b"], "table") == render_plain(rows, ["a", "b"])


def test_cells_helpers():
    assert visible("a\x1bb\x07\tc\n") == "a\\x1bb\\x07\tc\n"
    assert one_line("a\tb\nc\r") == "a\\tb\\nc\\r"
    assert cell_text(None) == ""
    assert cell_text(["a", 1, None]) == "a; 1; "
    assert cell_text(True) == "true"
    assert cell_text(0) == "0"


# --- tabulate formats ------------------------------------------------------------------------


def test_grid_format():
    text = render_tabulate([{"a": "010", "b": "1.10"}], ["a", "b"], "grid")
    lines = text.splitlines()
    assert lines[0].startswith("+") and lines[-1].startswith("+")
    assert "| a   | b    |" in lines
    assert "| 010 | 1.10 |" in lines  # numbers are not reformatted


def test_tabulate_makes_control_characters_visible():
    text = render_rows([{"a": "x\x1b[2Jy"}], ["a"], "github")
    assert "\x1b" not in text
    assert "x\\x1b[2Jy" in text


def test_unknown_format_suggests():
    with pytest.raises(FormatError) as info:
        render_rows([], ["a"], "grdi")
    assert "unknown format 'grdi'; did you mean 'grid'?" in str(info.value)


def test_all_formats_lists_own_formats_first():
    names = all_formats()
    assert names[:7] == ["table", "plain", "markdown", "csv", "tsv", "json", "jsonl"]
    assert "grid" in names
    assert len(names) == len(set(names))


# --- rich terminal table ---------------------------------------------------------------------


def render_rich(rows, columns, width: int, title: str | None = None) -> str:
    buffer = io.StringIO()
    console = make_console(buffer, color=False, width=width)
    console.print(rows_table(rows, columns, title))
    return buffer.getvalue()


def rich_cells(text: str) -> list[list[str]]:
    """The header and each row's cells (the table drawn wide enough for one line a row, or
    one row a block), with folded fragments joined and all whitespace removed."""
    rows = []
    for block in tablehelp.blocks(text):
        rows.append(["".join("".join(part.split()) for part in column) for column in zip(*block, strict=True)])
    return rows


def squash(text: str) -> str:
    return "".join(text.split())


def test_rich_table_shows_markup_and_emoji_codes_literally():
    row = {"a": "[bold]x[/bold]", "b": ":warning: [red]alert[/red]", "c": "esc\x1b[31m"}
    text = render_rich([row], ["a", "b", "c"], 200, title="[i]title[/i]")
    assert "[bold]x[/bold]" in text
    assert ":warning: [red]alert[/red]" in text
    assert "⚠" not in text
    assert "[i]title[/i]" in text
    assert "esc\\x1b[31m" in text
    assert "\x1b" not in text


def test_rich_table_has_no_ansi_when_color_is_false():
    text = render_rich([{"a": "x"}], ["a"], 80)
    assert "\x1b[" not in text


def render_for_width(rows, columns, width: int) -> str:
    buffer = io.StringIO()
    make_console(buffer, color=False, width=width).print(rows_renderable(width, rows, columns))
    return buffer.getvalue()


@pytest.mark.parametrize("width", [40, 80, 200])
def test_the_terminal_never_cuts_or_crops_long_cells(bundled_rows, width):
    columns = list(rows.DEFAULT_COLUMNS)
    text = render_for_width(bundled_rows, columns, width)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    if width < 200:  # too narrow for the table: one record a block, every field whole
        records = text.split("record ")[1:]
        assert len(records) == len(bundled_rows)
        for record, row in zip(records, bundled_rows, strict=True):
            for column in columns:
                assert squash(cell_text(row[column])) in squash(record), (column, row[column])
    else:
        shown = tablehelp.column_text(text, len(columns))
        assert shown == [c + "".join(squash(cell_text(r[c])) for r in bundled_rows) for c in columns]


def test_a_word_longer_than_the_table_is_folded_not_cut():
    word = "calcinosis" * 12
    text = render_for_width([{"a": word, "b": "x"}], ["a", "b"], 40)
    assert "…" not in text
    assert rich_cells(text) == [["a", "b"], [word, "x"]]


# --- JSON: written by hand for speed, byte for byte what json.dumps(indent=2) writes ------------

_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.dictionaries(st.sampled_from("abcdef"), _VALUES, max_size=6), max_size=5),
    st.lists(st.sampled_from("abcdefg"), unique=True, max_size=7),
)
def test_json_is_exactly_what_json_dumps_with_indent_writes(rows, columns):
    expected = json.dumps([{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False, indent=2) + "\n"
    assert render_json(rows, columns) == expected


def test_json_of_a_real_listing_is_what_json_dumps_writes():
    ds = load.load_dataset()
    listing = [rows.study_row(ds, study) for study in ds.studies]
    columns = list(listing[0])
    expected = json.dumps([{c: r.get(c) for c in columns} for r in listing], ensure_ascii=False, indent=2) + "\n"
    assert render_json(listing, columns) == expected


def test_study_rows_are_each_study_row():
    # study_rows shares what later reviews say between rows of one treatment and diagnoses.
    ds = load.load_dataset()
    assert rows.study_rows(ds, ds.studies) == [rows.study_row(ds, study) for study in ds.studies]
