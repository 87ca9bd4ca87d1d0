"""Property tests: random hostile text through every renderer reads back exactly.

test_render.py checks a fixed list of hostile values (control characters included: renderers
stay safe whatever they are given); here hypothesis generates rows of any text that a data
file can hold (pipes, newlines, quotes, tabs, rich markup, bracketed ANSI look-alikes,
spreadsheet formula starts, line separators, combining marks, wide characters) and each
renderer's output is parsed back with an independent reader: json, csv, markdown-it-py, and
the box drawing of the rich table. A data file cannot hold control characters other than tab
and newline, nor bidirectional overrides: the loader refuses them (tested in test_load.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
import unicodedata
from pathlib import Path

import clihelp
import pytest
import tablehelp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from calcinosis_cli.cli import cli
from calcinosis_cli.render import render_rows
from calcinosis_cli.render.cells import one_line, visible
from calcinosis_cli.render.terminal import make_console, rows_table

LEAKY = ("FORCE_COLOR", "NO_COLOR", "TERM", "COLUMNS", "CALCINOSIS_DATA", "CALCINOSIS_NO_CACHE", "PYTHONIOENCODING")

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = [
    "|",
    "\\|",
    "\n",
    "\n\n",
    '"',
    "'",
    "\t",
    " ",
    "\\",
    "[bold]x[/]",
    "[abstract]",
    ":warning:",
    "[31m",
    "\u2028",
    "\u2029",
    "\xa0",
    "\u200f",
    "شمس",
    "=",
    "+",
    "-",
    "@",
    "=SUM(A1:A2)",
    "*em*",
    "_u_",
    "`code`",
    "<br>",
    "<b>",
    "&amp;",
    "~~s~~",
    "![i](x)",
    "# h",
    "> q",
    "漢字",
    "e\u0301",
]

# What a data file's text field can hold: no C0 control but tab and newline, no DEL, no C1
# control, no bidirectional embedding, override or isolate, no lone surrogate.
NOT_HOLDABLE = "".join(map(chr, [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]))
NOT_HOLDABLE += "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
holdable_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=NOT_HOLDABLE), max_size=8)

# Cell text: arbitrary Unicode mixed with the fragments above (st.text() alone rarely finds them).
cell = st.lists(st.one_of(holdable_text, st.sampled_from(FRAGMENTS)), max_size=6).map("".join)
COLUMNS = ["alpha", "beta", "gamma"]
rows_strategy = st.lists(st.fixed_dictionaries({c: cell for c in COLUMNS}), max_size=5)
# A cell a text field accepts: one visible character among the rest (blank text is refused as
# missing), built in rather than filtered for, which hypothesis's health check refuses as slow.
filled_cell = st.tuples(cell, st.sampled_from("aZ9éж—"), cell).map("".join)

# Any C0 control but newline, DEL, and C1 controls: what a terminal would act on.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def yaml_double_quoted(value: str) -> str:
    """``value`` as a YAML double-quoted scalar: escapes for what YAML would fold or refuse raw."""
    out = []
    for char in value:
        if char in '\\"':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char in "\u2028\u2029\x85\ufeff\ufffe\uffff" or not char.isprintable() and char not in " \xa0":
            out.append(f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


@SETTINGS
@given(st.lists(filled_cell, min_size=1, max_size=4))
def test_the_generated_text_is_what_a_data_file_holds(texts):
    from calcinosis_cli.dataset.load import load_dataset

    assume(all(t.strip() for t in texts))  # an empty text field is refused as missing
    data = (
        "studies:\n  - id: p\n    source: user\n    treatment_printed: "
        + yaml_double_quoted(texts[0])
        + "\n    treatment: warfarin\n    n: 1\n    reference: berger1987\n    design: case report\n"
        + "    tally: {improved: 1}\n    notes: ["
        + ", ".join(map(yaml_double_quoted, texts))
        + "]\n"
    )
    from calcinosis_cli.dataset.files import bundled_paths

    paths = bundled_paths()
    contents = [Path(p).read_bytes() for p in paths] + [data.encode("utf-8")]
    study = load_dataset([*paths, "p.yaml"], contents).study("p")
    assert study.treatment_printed == texts[0]
    assert study.notes == tuple(texts)


def values(rows: list[dict[str, str]], columns=COLUMNS) -> list[list[str]]:
    return [[row[c] for c in columns] for row in rows]


# --- json and jsonl ------------------------------------------------------------------------------


@SETTINGS
@given(rows_strategy)
def test_json_reads_back_exactly(rows):
    text = render_rows(rows, COLUMNS, "json")
    assert json.loads(text) == rows
    assert [list(r) for r in json.loads(text)] == [COLUMNS] * len(rows)


@SETTINGS
@given(rows_strategy)
def test_jsonl_is_one_object_per_line_and_reads_back_exactly(rows):
    text = render_rows(rows, COLUMNS, "jsonl")
    assert text.count("\n") == len(rows)
    assert [json.loads(line) for line in text.split("\n")[:-1]] == rows
    # A reader using universal newlines (open() in text mode) sees the same records.
    assert [json.loads(line) for line in io.StringIO(text)] == rows


# --- csv and tsv ---------------------------------------------------------------------------------


@SETTINGS
@given(rows_strategy, st.sampled_from([("csv", ","), ("tsv", "\t")]), st.sampled_from([COLUMNS, COLUMNS[:1]]))
def test_delimited_reads_back_exactly(rows, fmt_delimiter, columns):
    fmt, delimiter = fmt_delimiter
    text = render_rows(rows, columns, fmt)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert records == [columns] + values(rows, columns)


def test_delimited_keeps_a_bare_cr_inside_its_record():
    rows = [{"alpha": "a\rb", "beta": "\r", "gamma": "c"}]
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        text = render_rows(rows, COLUMNS, fmt)
        assert list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)) == [COLUMNS, ["a\rb", "\r", "c"]]


FORMULA = ("=", "+", "-", "@", "\t", "\r")


@SETTINGS
@given(rows_strategy, st.sampled_from([("csv", ","), ("tsv", "\t")]))
def test_guard_formulas_prefixes_exactly_the_formula_cells(rows, fmt_delimiter):
    fmt, delimiter = fmt_delimiter
    guarded = render_rows(rows, COLUMNS, fmt, guard_formulas=True)
    records = list(csv.reader(io.StringIO(guarded, newline=""), delimiter=delimiter))
    assert records[0] == COLUMNS  # the header is ours, never guarded
    expected = [["'" + v if v.startswith(FORMULA) else v for v in row] for row in values(rows)]
    assert records[1:] == expected


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_single_column_with_an_empty_cell_keeps_the_record(fmt, delimiter):
    # A lone empty cell must not become a blank line, which csv readers and pandas skip.
    rows = [{"dose": "10 mg"}, {"dose": ""}, {"dose": None}, {"dose": "5 mg"}]
    text = render_rows(rows, ["dose"], fmt)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert records == [["dose"], ["10 mg"], [""], [""], ["5 mg"]]


# --- markdown ------------------------------------------------------------------------------------

MARKDOWN = MarkdownIt("commonmark").enable("table")


def markdown_cells(text: str) -> list[list[str]]:
    """The rendered text of each cell; an inline <br> reads as a newline, anything else fails."""
    rows: list[list[str]] = []
    for token in MARKDOWN.parse(text):
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type == "text":
                    parts.append(child.content)
                elif child.type == "html_inline" and child.content == "<br>":
                    parts.append("\n")
                else:
                    raise AssertionError(f"markdown interpreted a cell: {child.type} {child.content!r}")
            rows[-1].append("".join(parts))
    return rows


def trim_cell_ends(text: str) -> str:
    """GFM trims whitespace at the two ends of a cell (which characters count as whitespace
    differs between markdown-it-py versions); trim every kind, on both sides of a comparison."""
    lines = text.split("\n")
    lines[0] = lines[0].lstrip()
    lines[-1] = lines[-1].rstrip()
    return "\n".join(lines)


def markdown_expectation(value: str) -> str:
    """What escape_inline promises: the text shown literally, a newline as a line break, a tab
    as a visible escape."""
    return trim_cell_ends("\n".join(one_line(line) for line in value.split("\n")))


@SETTINGS
@given(rows_strategy)
def test_markdown_cells_render_as_the_input(rows):
    text = render_rows(rows, COLUMNS, "markdown")
    assert text.count("\n") == len(rows) + 2  # header, delimiter row, one line per row
    cells = markdown_cells(text)
    assert [len(r) for r in cells] == [len(COLUMNS)] * (len(rows) + 1)
    assert cells[0] == COLUMNS
    shown = [[trim_cell_ends(c) for c in row] for row in cells[1:]]
    assert shown == [[markdown_expectation(v) for v in row] for row in values(rows)]


# --- plain ---------------------------------------------------------------------------------------


@SETTINGS
@given(rows_strategy)
def test_plain_is_one_line_per_record_without_raw_controls(rows):
    text = render_rows(rows, COLUMNS, "plain")
    assert text.endswith("\n")
    lines = text.split("\n")[:-1]
    assert len(lines) == len(rows) + 1
    assert RAW_CONTROL.search(text) is None


@SETTINGS
@given(st.lists(cell, max_size=5))
def test_plain_single_column_line_is_the_escaped_value(column_values):
    rows = [{"alpha": v} for v in column_values]
    lines = render_rows(rows, ["alpha"], "plain").split("\n")[:-1]
    assert lines[0] == "alpha"
    assert lines[1:] == [one_line(v).rstrip() for v in column_values]


# --- the rich terminal table ---------------------------------------------------------------------

BARS = "│┼─"


def render_rich(rows, columns, width: int) -> str:
    buffer = io.StringIO()
    console = make_console(file=buffer, color=False, width=width)
    console.print(rows_table(rows, columns))
    return buffer.getvalue()


rich_columns = tablehelp.column_text


def squash(text: str) -> str:
    return "".join(text.split())


@SETTINGS
@given(rows_strategy)
def test_rich_table_has_no_raw_controls_and_shows_every_cell(rows):
    for row in rows:
        for value in row.values():
            assume(not any(bar in value for bar in BARS))
    text = render_rich(rows, COLUMNS, 120)
    assert "\x1b" not in text
    assert RAW_CONTROL.search(text) is None
    assert text.count("…") == sum(value.count("…") for row in rows for value in row.values())  # none added
    shown = rich_columns(text, len(COLUMNS))
    expected = [c + "".join(squash(visible(row[c]).replace("\t", " ")) for row in rows) for c in COLUMNS]
    assert shown == expected


@pytest.mark.parametrize("markup", ["[bold]x[/]", "[abstract]", ":warning:", "[red]alert[/red]", "[link=x]y[/link]"])
def test_rich_table_prints_markup_literally(markup):
    text = render_rich([{"alpha": f"a {markup} b", "beta": "\x1b[31mred", "gamma": "bell\x07"}], COLUMNS, 120)
    assert f"a {markup} b" in text
    assert "\\x1b[31mred" in text
    assert "bell\\x07" in text
    assert "⚠" not in text
    assert RAW_CONTROL.search(text) is None


# --- through the command line: NFC matching and --guard-formulas ---------------------------------


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("calcinosis-cache")


@pytest.fixture
def run(cache_dir):
    def invoke(*args: str):
        env = {**{k: None for k in LEAKY}, "CALCINOSIS_CACHE_DIR": str(cache_dir)}
        result = clihelp.runner(env).invoke(cli, list(args))
        assert result.exit_code == 0, (result.output, result.exception)
        return result.stdout

    return invoke


def ids(text: str) -> list[str]:
    return [row["id"] for row in json.loads(text)]


DECOMPOSED = "Sai\u0308ag"
COMPOSED = "Sa\u00efag"


def test_the_bundled_name_is_stored_composed():
    from calcinosis_cli.dataset.files import bundled_paths

    data = Path(bundled_paths()[1]).read_text(encoding="utf-8")
    assert COMPOSED in data
    assert DECOMPOSED not in data
    assert unicodedata.normalize("NFC", DECOMPOSED) == COMPOSED


@pytest.mark.parametrize("option", ["--author", "--search"])
@pytest.mark.parametrize("typed", [DECOMPOSED, COMPOSED, DECOMPOSED.upper()], ids=["nfd", "nfc", "nfd-upper"])
def test_a_filter_typed_decomposed_finds_the_composed_name(run, option, typed):
    assert ids(run("list", "-f", "json", "-c", "id", option, typed)) == ["lassoued1988-warfarin"]


USER_DECOMPOSED = textwrap.dedent(
    f"""\
    references:
      - id: nfd2020
        authors: [{DECOMPOSED} Q]
        title: Stored decomposed
        journal: J
        year: 2020
    studies:
      - id: nfd2020-warfarin
        source: user
        treatment_printed: Warfarin
        treatment: warfarin
        n: 1
        reference: nfd2020
        design: case report
        tally: {{improved: 1}}
    """
)


@pytest.mark.parametrize("option", ["--author", "--search"])
def test_a_filter_typed_composed_finds_a_name_stored_decomposed(run, tmp_path, option):
    path = tmp_path / "nfd.yaml"
    path.write_text(USER_DECOMPOSED, encoding="utf-8")
    found = ids(run("--data", str(path), "list", "-f", "json", "-c", "id", option, COMPOSED))
    assert found == ["lassoued1988-warfarin", "nfd2020-warfarin"]


FORMULAS = textwrap.dedent(
    """\
    studies:
      - id: formula
        source: user
        treatment_printed: "=HYPERLINK(\\"http://x\\")"
        treatment: warfarin
        dose: "+1 mg"
        phase: "-2"
        n: 1
        diagnosis_printed: "@SUM(A1)"
        outcome_printed: safe text
        reference: berger1987
        design: case report
        tally: {improved: 1}
    """
)
FORMULA_COLUMNS = "id,treatment_printed,dose,phase,diagnosis,outcome"
FORMULA_VALUES = ["formula", '=HYPERLINK("http://x")', "+1 mg", "-2", "@SUM(A1)", "safe text"]


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_guard_formulas_through_the_cli(run, tmp_path, fmt, delimiter):
    path = tmp_path / "formulas.yaml"
    path.write_text(FORMULAS, encoding="utf-8")
    base = ["--data", str(path), "list", "-f", fmt, "-c", FORMULA_COLUMNS, "--search", "safe text"]

    def records(*extra: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(run(*base, *extra), newline=""), delimiter=delimiter))

    assert records() == [FORMULA_COLUMNS.split(","), FORMULA_VALUES]
    assert records("--guard-formulas") == [
        FORMULA_COLUMNS.split(","),
        ["formula", '\'=HYPERLINK("http://x")', "'+1 mg", "'-2", "'@SUM(A1)", "safe text"],
    ]


def test_guard_formulas_leaves_json_alone(run, tmp_path):
    path = tmp_path / "formulas.yaml"
    path.write_text(FORMULAS, encoding="utf-8")
    args = ["--data", str(path), "list", "-f", "json", "-c", FORMULA_COLUMNS, "--search", "safe text"]
    guarded = json.loads(run(*args, "--guard-formulas"))
    assert [list(row.values()) for row in guarded] == [FORMULA_VALUES]
