"""Tests for calcinosis_cli.dataset.yamlsafe: positions, text-only scalars, refusals."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calcinosis_cli.dataset import yamlsafe
from calcinosis_cli.dataset.yamlsafe import (
    MAX_DEPTH,
    Mapping,
    Node,
    Scalar,
    Sequence,
    YamlInputError,
    parse_yaml,
    parse_yaml_file,
)

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).resolve().parent / "hostile"


def parse(text: str | bytes, path: str = "t.yaml") -> Node:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_yaml(data, path)


def refuse(text: str | bytes, path: str = "t.yaml") -> YamlInputError:
    with pytest.raises(YamlInputError) as info:
        parse(text, path)
    err = info.value
    assert "\n" not in str(err) and "\r" not in str(err)
    return err


def to_python(node: Node) -> object:
    """Plain Python view of a tree (nulls become None) for whole-tree checks."""
    if isinstance(node, Scalar):
        return None if node.null else node.value
    if isinstance(node, Sequence):
        return [to_python(item) for item in node.items]
    return {k: to_python(v) for k, (_key, v) in node.items.items()}


def value_of(text: str, key: str = "v") -> Scalar:
    root = parse(text)
    assert isinstance(root, Mapping)
    node = root.items[key][1]
    assert isinstance(node, Scalar)
    return node


def run_isolated(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter so a segfault fails one test, not the run."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- tree shape and positions ------------------------------------------------

NESTED = """\
study:
  id: smith2019
  authors:
    - name: Saïag
      roles: [lead, 'writer']
  outcomes:
    - {measure: size, value: "12"}
"""


def test_root_mapping_position() -> None:
    root = parse(NESTED)
    assert isinstance(root, Mapping)
    assert (root.line, root.column) == (1, 1)
    assert list(root.items) == ["study"]


def test_key_scalar_position_and_value_position() -> None:
    study = parse(NESTED).items["study"][1]
    key, node = study.items["id"]
    assert (key.value, key.line, key.column) == ("id", 2, 3)
    assert (node.value, node.line, node.column) == ("smith2019", 2, 7)


def test_nested_block_sequence_positions() -> None:
    authors = parse(NESTED).items["study"][1].items["authors"][1]
    assert isinstance(authors, Sequence)
    assert (authors.line, authors.column) == (4, 5)
    first = authors.items[0]
    assert isinstance(first, Mapping)
    assert (first.line, first.column) == (4, 7)


def test_flow_sequence_item_positions() -> None:
    first = parse(NESTED).items["study"][1].items["authors"][1].items[0]
    roles = first.items["roles"][1]
    assert isinstance(roles, Sequence)
    assert (roles.line, roles.column) == (5, 14)
    assert [(s.value, s.line, s.column) for s in roles.items] == [
        ("lead", 5, 15),
        ("writer", 5, 21),
    ]


def test_flow_mapping_positions() -> None:
    outcomes = parse(NESTED).items["study"][1].items["outcomes"][1]
    flow = outcomes.items[0]
    assert isinstance(flow, Mapping)
    assert (flow.line, flow.column) == (7, 7)
    key, value = flow.items["value"]
    assert (key.line, key.column) == (7, 23)
    assert (value.value, value.line, value.column) == ("12", 7, 30)


def test_columns_count_characters_not_bytes() -> None:
    # "Saïag" has a 2-byte character; the value after it must still be column 8.
    root = parse("Saïag: x\n😀: y\n")
    assert root.items["Saïag"][1].column == 8
    assert root.items["😀"][1].column == 4


def test_crlf_line_endings_positions() -> None:
    root = parse(b"a: 1\r\nb: 2\r\n")
    assert (root.items["b"][1].line, root.items["b"][1].column) == (2, 4)


def test_bom_is_stripped() -> None:
    root = parse(b"\xef\xbb\xbfid: x\n")
    key, node = root.items["id"]
    assert (key.line, key.column, node.value) == (1, 1, "x")


def test_mapping_keeps_file_order() -> None:
    root = parse("z: 1\na: 2\nm: 3\n")
    assert list(root.items) == ["z", "a", "m"]


def test_sequence_items_is_a_tuple() -> None:
    root = parse("- a\n- b\n")
    assert isinstance(root, Sequence)
    assert root.items == (Scalar("a", 1, 3, True, False), Scalar("b", 2, 3, True, False))


def test_scalar_root() -> None:
    assert parse("hello\n") == Scalar("hello", 1, 1, True, False)


def test_nodes_are_frozen() -> None:
    node = parse("x\n")
    with pytest.raises(AttributeError):
        node.value = "y"  # type: ignore[misc]


# --- plain / null flags --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "plain", "value"),
    [
        ("v: word\n", True, "word"),
        ("v: 'single'\n", False, "single"),
        ('v: "double"\n', False, "double"),
        ("v: |\n  lit\n  eral\n", False, "lit\neral\n"),
        ("v: >\n  fol\n  ded\n", False, "fol ded\n"),
        ("v: |-\n  strip\n", False, "strip"),
    ],
    ids=["plain", "single", "double", "literal", "folded", "literal-strip"],
)
def test_plain_flag_and_unquoted_value(text: str, plain: bool, value: str) -> None:
    node = value_of(text)
    assert (node.plain, node.value, node.null) == (plain, value, False)


@pytest.mark.parametrize(
    "text",
    ["v:\n", "v: ~\n", "v: null\n", "v: Null\n", "v: NULL\n", "v:   # comment\n"],
    ids=["empty", "tilde", "null", "Null", "NULL", "empty-with-comment"],
)
def test_null_flag(text: str) -> None:
    node = value_of(text)
    assert node.null and node.plain and node.value == ""


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("v: '~'\n", "~"),
        ('v: "null"\n', "null"),
        ("v: ''\n", ""),
        ("v: nULL\n", "nULL"),
        ("v: None\n", "None"),
        ("v: |\n\n", ""),
    ],
    ids=["quoted-tilde", "quoted-null", "quoted-empty", "nULL", "None", "empty-block"],
)
def test_not_null(text: str, value: str) -> None:
    node = value_of(text)
    assert not node.null and node.value == value


def test_empty_sequence_item_is_null() -> None:
    root = parse("- \n- x\n")
    assert root.items[0].null and not root.items[1].null


def test_empty_collections() -> None:
    root = parse("a: []\nb: {}\n")
    assert root.items["a"][1] == Sequence((), 1, 4)
    assert root.items["b"][1] == Mapping({}, 2, 4)


def test_tilde_document_is_a_null_scalar_not_empty() -> None:
    assert parse("~\n") == Scalar("", 1, 1, True, True)


# --- implicit typing stays text ------------------------------------------------

TRAPS = [
    "NO", "no", "Off", "yes", "Y", "true", "010", "0o17", "0x_1A", "1:30",
    "190:20:30", "1.10", "1e3", "2003-02-30", "0000-00-00", "2021-13-01",
    "2001-12-14t21:59:43.10-05:00", "0b_", ".inf", "-.Inf", ".NaN", "=", "<<",
]  # fmt: skip


@pytest.mark.parametrize("trap", TRAPS)
def test_implicit_types_stay_text(trap: str) -> None:
    node = value_of(f"v: {trap}\n")
    assert node == Scalar(trap, 1, 4, True, False)


@pytest.mark.parametrize("trap", ["NO", "010", "1.10", "2003-02-30", "yes"])
def test_implicit_types_as_keys_stay_text(trap: str) -> None:
    root = parse(f"{trap}: x\n")
    assert list(root.items) == [trap]


def test_numeric_looking_keys_are_distinct_text() -> None:
    # 1 and 01 are the same int but different text; the schema layer decides.
    root = parse("1: a\n01: b\n")
    assert list(root.items) == ["1", "01"]


def test_implicit_types_corpus_file_is_all_text() -> None:
    root = parse_yaml_file(HOSTILE / "implicit_types.yaml")
    assert isinstance(root, Mapping)
    values = {k: v.value for k, (_key, v) in root.items.items()}
    assert values["country"] == "NO"
    assert values["code"] == "010"
    assert values["duration"] == "1:30"
    assert values["version"] == "1.10"
    assert values["date"] == "2003-02-30"
    assert values["zero_date"] == "0000-00-00"
    assert values["binary"] == "0b_"
    assert values["answer"] == "yes"
    assert values["infinity"] == ".inf"
    assert all(isinstance(v, str) for v in values.values())


def test_bad_dates_corpus_file_is_text_though_safe_load_crashes() -> None:
    path = HOSTILE / "bad_dates.yaml"
    with pytest.raises(ValueError):
        yaml.safe_load(path.read_bytes())
    root = parse_yaml_file(path)
    dates = [item.items["published"][1].value for item in root.items]
    assert dates == ["2003-02-30", "0000-00-00", "2021-13-01 12:00:00"]


# --- unicode -------------------------------------------------------------------


def test_unicode_plain_scalars_survive() -> None:
    root = parse("author: Saïag\nmood: 😀 ünïcødé 漢字\n")
    assert to_python(root) == {"author": "Saïag", "mood": "😀 ünïcødé 漢字"}


def test_unicode_escapes_in_double_quotes() -> None:
    node = value_of('v: "Sa\\u00efag \\U0001F600 tab\\tend"\n')
    assert node.value == "Saïag 😀 tab\tend"


def test_unicode_keys() -> None:
    root = parse("Saïag: 1\n")
    assert root.items["Saïag"][0].value == "Saïag"


# --- error formatting ------------------------------------------------------------


def test_error_str_with_position() -> None:
    err = YamlInputError("a.yaml", 3, 7, "boom")
    assert str(err) == "a.yaml:3:7: boom"
    assert (err.path, err.line, err.column, err.message) == ("a.yaml", 3, 7, "boom")


def test_error_str_without_position() -> None:
    assert str(YamlInputError("a.yaml", None, None, "boom")) == "a.yaml: boom"


def test_error_message_is_forced_onto_one_line() -> None:
    err = YamlInputError("a\nb.yaml", 1, 1, "two\nlines\r\n")
    assert "\n" not in str(err) and "\r" not in str(err)
    assert err.message == "two lines"


def test_error_is_an_exception() -> None:
    assert issubclass(YamlInputError, Exception)


# --- refusals ----------------------------------------------------------------------


def test_anchor_refused() -> None:
    err = refuse("a: &x 1\n")
    assert str(err) == "t.yaml:1:4: anchors and aliases are not allowed"


def test_anchor_on_collection_refused() -> None:
    err = refuse("a: 1\nb: &x [1]\n")
    assert (err.line, err.column) == (2, 4)
    assert err.message == "anchors and aliases are not allowed"


def test_alias_refused() -> None:
    err = refuse("- a\n- *x\n")
    assert (err.line, err.column, err.message) == (
        2, 3, "anchors and aliases are not allowed",
    )  # fmt: skip


def test_billion_laughs_refused_at_the_first_anchor() -> None:
    with pytest.raises(YamlInputError) as info:
        parse_yaml_file(HOSTILE / "billion_laughs.yaml")
    assert info.value.message == "anchors and aliases are not allowed"
    assert (info.value.line, info.value.column) == (2, 4)


def test_recursive_alias_refused() -> None:
    assert refuse("a: &a [*a]\n").message == "anchors and aliases are not allowed"


def test_python_tag_refused_and_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"x: !!python/object/apply:os.system ['touch {marker}']\n"
    err = refuse(text)
    assert err.message == "tags are not allowed (found '!!python/object/apply:os.system')"
    assert (err.line, err.column) == (1, 4)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("v: !!str x\n", "'!!str'"),
        ("v: !!binary aGVsbG8=\n", "'!!binary'"),
        ("v: !foo x\n", "'!foo'"),
        ("v: ! x\n", "'!'"),
        ("v: !<tag:example.com,2000:x> x\n", "'tag:example.com,2000:x'"),
        ("v: !!map {a: 1}\n", "'!!map'"),
        ("v: !!seq [a]\n", "'!!seq'"),
        ("!!str k: v\n", "'!!str'"),
    ],
    ids=["str", "binary", "local", "non-specific", "verbatim", "map", "seq", "key"],
)
def test_any_tag_refused(text: str, shown: str) -> None:
    err = refuse(text)
    assert err.message == f"tags are not allowed (found {shown})"
    assert err.line == 1


def test_duplicate_key_refused() -> None:
    err = refuse("id: a\ntitle: t\nid: b\n")
    assert str(err) == "t.yaml:3:1: duplicate key 'id' (first at line 1)"


def test_duplicate_key_quoted_and_plain_refused() -> None:
    err = refuse("id: a\n'id': b\n")
    assert err.message == "duplicate key 'id' (first at line 1)"


def test_duplicate_key_in_nested_flow_mapping_refused() -> None:
    err = refuse("- {a: 1, b: 2,\n   a: 3}\n")
    assert (err.line, err.column) == (2, 4)
    assert err.message == "duplicate key 'a' (first at line 1)"


def test_same_key_in_sibling_mappings_is_fine() -> None:
    root = parse("- id: a\n- id: b\n")
    assert [m.items["id"][1].value for m in root.items] == ["a", "b"]


def test_duplicate_key_message_escapes_newlines() -> None:
    err = refuse('"a\\nb": 1\n"a\\nb": 2\n')
    assert err.message == "duplicate key 'a\\nb' (first at line 1)"


def test_duplicate_key_message_truncates_long_keys() -> None:
    key = "k" * 500
    err = refuse(f"{key}: 1\n'{key}': 2\n")
    assert len(err.message) < 120 and "..." in err.message


@pytest.mark.parametrize(
    ("text", "pos"),
    [
        ("? [a]\n: b\n", (1, 3)),
        ("? {a: 1}\n: b\n", (1, 3)),
        ("{[a]: 1}\n", (1, 2)),
        ("x:\n  ? - a\n  : b\n", (2, 5)),
        ("? |\n  block\n: b\n", (1, 3)),
        ("? >\n  folded\n: b\n", (1, 3)),
    ],
    ids=["seq-key", "map-key", "flow-seq-key", "block-seq-key", "literal-key", "folded-key"],
)
def test_non_scalar_or_block_keys_refused(text: str, pos: tuple[int, int]) -> None:
    err = refuse(text)
    assert err.message == "mapping keys must be plain or quoted scalars"
    assert (err.line, err.column) == pos


@pytest.mark.parametrize(
    "text",
    ["~: 1\n", "null: 1\n", "NULL: 1\n", "? \n: 1\n", "{? : 1}\n"],
    ids=["tilde", "null", "NULL", "empty-explicit", "empty-flow"],
)
def test_null_keys_refused(text: str) -> None:
    assert refuse(text).message == "null keys are not allowed"


def test_quoted_null_and_empty_keys_are_text() -> None:
    root = parse("'null': 1\n'': 2\n'~': 3\n")
    assert list(root.items) == ["null", "", "~"]


@pytest.mark.parametrize(
    ("text", "pos"),
    [
        ("a: 1\n---\nb: 2\n", (2, 1)),
        ("--- a\n--- b\n", (2, 1)),
        ("a: 1\n...\n---\nb: 2\n", (3, 1)),
        ("a: 1\n---\n[[[\n", (2, 1)),
    ],
    ids=["implicit-then-explicit", "two-explicit", "after-end-marker", "before-bad-yaml"],
)
def test_second_document_refused(text: str, pos: tuple[int, int]) -> None:
    err = refuse(text)
    assert err.message == "more than one YAML document"
    assert (err.line, err.column) == pos


def test_single_document_with_markers_parses() -> None:
    assert to_python(parse("%YAML 1.1\n---\na: 1\n...\n# trailing comment\n")) == {"a": "1"}


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\n  \n", b"# only\n# comments\n", b"---\n", b"---\n...\n", b"\xef\xbb\xbf"],
    ids=["zero-bytes", "whitespace", "comments", "bare-marker", "markers", "bom-only"],
)
def test_empty_file_refused(data: bytes) -> None:
    err = refuse(data)
    assert str(err) == "t.yaml:1:1: file is empty"


def test_invalid_utf8_position() -> None:
    err = refuse(b"a: 1\nb: caf\xe9 x\n")
    assert (err.line, err.column) == (2, 7)
    assert err.message.startswith("not valid UTF-8")
    assert "0xe9" in err.message


def test_invalid_utf8_after_multibyte_characters_counts_characters() -> None:
    err = refuse("é😀: ".encode() + b"\xc3(")
    assert (err.line, err.column) == (1, 5)


def test_invalid_utf8_offset_counts_the_bom() -> None:
    err = refuse(b"\xef\xbb\xbfab\x80")
    assert (err.line, err.column) == (1, 3)
    assert "offset 5" in err.message


def test_truncated_utf8_sequence_at_end() -> None:
    err = refuse(b"a: \xe2\x82")
    assert (err.line, err.column) == (1, 4)


def test_utf16_gets_a_hint() -> None:
    err = refuse("a: 1\n".encode("utf-16"))
    assert (err.line, err.column) == (1, 1)
    assert "UTF-16" in err.message


def test_control_character_refused_with_position() -> None:
    err = refuse("é: a\x07b\n")
    assert (err.line, err.column) == (1, 5)
    assert err.message.startswith("could not parse YAML:")
    assert "U+0007" in err.message


def test_nul_byte_refused() -> None:
    err = refuse(b"a: 1\nb: x\x00y\n")
    assert (err.line, err.column) == (2, 5)
    assert "U+0000" in err.message


def test_scanner_error_has_mark_and_problem() -> None:
    err = refuse("a: b: c\n")
    assert (err.line, err.column) == (1, 5)
    assert err.message.startswith("could not parse YAML: mapping values are not allowed")


def test_parser_error_is_one_line_with_context() -> None:
    err = refuse("a: [1, 2\nb: 3\n")
    assert err.message.startswith("could not parse YAML: ")
    assert "flow sequence" in err.message and "line 1" in err.message


def test_unclosed_quote_refused() -> None:
    err = refuse('a: "never closed\n')
    assert err.message.startswith("could not parse YAML:")
    assert err.line is not None


def test_tab_indentation_refused() -> None:
    err = refuse("a:\n\t- b\n")
    assert err.message.startswith("could not parse YAML:")
    assert err.line == 2


def test_bad_escape_refused() -> None:
    err = refuse('a: "\\ud800"\n')
    assert err.message.startswith("could not parse YAML:")
    assert err.line == 1


# --- depth ---------------------------------------------------------------------


def test_max_depth_is_allowed() -> None:
    root = parse("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    depth = 0
    while isinstance(root, Sequence):
        depth += 1
        root = root.items[0] if root.items else None
    assert depth == MAX_DEPTH


def test_one_past_max_depth_refused() -> None:
    err = refuse("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert str(err) == f"t.yaml:1:{MAX_DEPTH + 1}: nesting is deeper than {MAX_DEPTH} levels"


def test_max_depth_is_read_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_DEPTH", 2)
    assert parse("a: {b: c}\n")
    assert refuse("a: {b: [c]}\n").message == "nesting is deeper than 2 levels"


DEEP_SCRIPT = """
import yaml
from calcinosis_cli.dataset import yamlsafe
if {pure_python}:
    yamlsafe._LOADER = yaml.SafeLoader
data = {data}
try:
    yamlsafe.parse_yaml(data, "deep.yaml")
except yamlsafe.YamlInputError as exc:
    print(exc)
else:
    print("PARSED")
"""

PARSERS = ["libyaml", "pure-python"] if yaml.__with_libyaml__ else ["pure-python"]


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('b"[" * 50000 + b"]" * 50000', "deep.yaml:1:65:"),
        ('b"[" * 50000', "deep.yaml:1:65:"),
        ('b"[" * 30_000_000', "deep.yaml:1:65:"),
        ('b"a: " + b"[" * 2000 + b"]" * 2000', "deep.yaml:1:67:"),
        ('b"{a: " * 50000 + b"b" + b"}" * 50000', "deep.yaml:1:257:"),
        ('b"- " * 50000 + b"x"', "deep.yaml:1:129:"),
        ('b"".join(b" " * i + b"k:\\n" for i in range(3000)) + b" " * 3000 + b"v\\n"',
         "deep.yaml:65:65:"),
    ],
    ids=["flow-seq-100KB", "unclosed-flow-seq", "flow-seq-30MB", "flow-seq-as-a-value", "flow-map",
         "block-seq-one-line", "block-map"],
)  # fmt: skip
def test_deep_nesting_in_subprocess(data: str, expected: str, parser: str) -> None:
    # The same message at the same place whichever parser reads the file, and whatever
    # nesting limit the installed libyaml has of its own (1000 since libyaml 0.2.5).
    proc = run_isolated(DEEP_SCRIPT.format(data=data, pure_python=parser == "pure-python"))
    assert proc.returncode == 0, proc.stderr  # a segfault gives -11
    assert proc.stdout.strip() == f"{expected} nesting is deeper than {MAX_DEPTH} levels"
    assert proc.stderr == ""


def test_deep_nesting_with_a_low_recursion_limit_in_subprocess() -> None:
    code = """
    import sys, yaml
    from calcinosis_cli.dataset import yamlsafe
    yamlsafe._LOADER = yaml.SafeLoader
    sys.setrecursionlimit(200)
    try:
        yamlsafe.parse_yaml(b"[" * 50000 + b"]" * 50000, "deep.yaml")
    except yamlsafe.YamlInputError as exc:
        print(exc)
    """
    proc = run_isolated(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "deep.yaml:1:65: nesting is deeper than 64 levels"


class _RefusesAtLevel1000(yaml.SafeLoader):
    """A stand-in for a libyaml with a nesting limit of its own, reached while scanning ahead."""

    def get_event(self):
        mark = yaml.Mark("deep.yaml", 1003, 0, 1003, None, None)
        raise yaml.parser.ParserError(None, None, "a nesting limit of the parser's own", mark)


def test_a_parser_that_refuses_deep_nesting_first_still_gives_our_message(monkeypatch):
    monkeypatch.setattr(yamlsafe, "_LOADER", _RefusesAtLevel1000)
    err = refuse(b"a: " + b"[" * 5000)
    assert (err.line, err.column, err.message) == (1, 67, "nesting is deeper than 64 levels")


def test_a_parser_error_without_deep_nesting_keeps_the_parser_message(monkeypatch):
    monkeypatch.setattr(yamlsafe, "_LOADER", _RefusesAtLevel1000)
    err = refuse(b"a: " + b"x" * 5000)
    assert (err.line, err.column) == (1, 1004)
    assert err.message == "could not parse YAML: a nesting limit of the parser's own"


# --- size limit and files --------------------------------------------------------


def test_max_bytes_default() -> None:
    assert yamlsafe.MAX_BYTES == 64 * 1024 * 1024


def test_over_max_bytes_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 16)
    assert parse(b"a: 1234567890123")  # exactly 16 bytes is fine
    err = refuse(b"a: 12345678901234")
    assert err.line is None and err.column is None
    assert "too large" in err.message and "16 bytes" in err.message
    assert str(err).startswith("t.yaml: ")


def test_size_is_checked_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 4)
    assert "too large" in refuse(b"\xff" * 5).message


def test_file_over_max_bytes_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * 200 + b"\n")
    with pytest.raises(YamlInputError) as info:
        parse_yaml_file(path)
    assert str(info.value).startswith(f"{path}: file is too large (204 bytes")
    assert "100 bytes" in info.value.message


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_stream_is_cut_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 10)
    with pytest.raises(YamlInputError) as info:
        parse_yaml_file("/dev/zero")
    assert info.value.message.startswith("file is too large (more than 10 bytes")


def test_parse_yaml_file_reads_and_names_path(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("id: Saïag\n", encoding="utf-8")
    assert to_python(parse_yaml_file(path)) == {"id": "Saïag"}
    assert to_python(parse_yaml_file(str(path))) == {"id": "Saïag"}


def test_parse_yaml_file_error_names_path(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("a: 1\na: 2\n")
    with pytest.raises(YamlInputError) as info:
        parse_yaml_file(path)
    assert str(info.value) == f"{path}:2:1: duplicate key 'a' (first at line 1)"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(YamlInputError) as info:
        parse_yaml_file(path)
    assert str(info.value) == f"{path}: cannot read file: No such file or directory"
    assert info.value.line is None


def test_directory_is_not_readable(tmp_path: Path) -> None:
    with pytest.raises(YamlInputError) as info:
        parse_yaml_file(tmp_path)
    assert info.value.message.startswith("cannot read file: ")


# --- robustness ----------------------------------------------------------------


class _ExplodingLoader:
    """Stands in for the PyYAML loader and fails the way a C parser might."""

    exc: BaseException = RuntimeError()

    def __init__(self, stream: str) -> None:
        pass

    def get_event(self) -> None:
        raise self.exc

    def dispose(self) -> None:
        pass


@pytest.mark.parametrize(
    "exc",
    [RecursionError("maximum recursion depth"), MemoryError(), ValueError("bad\nvalue")],
    ids=["RecursionError", "MemoryError", "ValueError"],
)
def test_other_parser_exceptions_become_yaml_input_error(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    monkeypatch.setattr(_ExplodingLoader, "exc", exc)
    monkeypatch.setattr(yamlsafe, "_LOADER", _ExplodingLoader)
    err = refuse("a: 1\n")
    assert err.message.startswith(f"could not parse YAML: {type(exc).__name__}")
    assert err.__cause__ is exc


def test_gc_state_is_restored() -> None:
    assert gc.isenabled()
    parse("a: 1\n")
    assert gc.isenabled()
    refuse("a: &x 1\n")
    assert gc.isenabled()
    gc.disable()
    try:
        parse("a: 1\n")
        assert not gc.isenabled()
    finally:
        gc.enable()


PARITY_CASES = [
    NESTED,
    "a: 'x'\nb: \"y\"\nc: |\n  z\nd:\ne: ~\n",
    "- [1, {a: b}]\n- ? k\n  : v\n",
    "Saïag: 😀\nnext: é\n",
    "a: 1\r\nb: 2\r\n",
]


@pytest.mark.parametrize("text", PARITY_CASES, ids=range(len(PARITY_CASES)))
def test_pure_python_parser_gives_the_same_tree(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    fast = parse(text)
    monkeypatch.setattr(yamlsafe, "_LOADER", yaml.SafeLoader)
    assert parse(text) == fast


@pytest.mark.parametrize(
    "text",
    ["a: &x 1\n", "a: 1\na: 2\n", "a: !!str x\n", "é: a\x07b\n", "a\n---\nb\n", "? [a]\n: b\n"],
    ids=["anchor", "duplicate", "tag", "control-char", "two-docs", "complex-key"],
)
def test_pure_python_parser_gives_the_same_refusal_position(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    fast = refuse(text)
    monkeypatch.setattr(yamlsafe, "_LOADER", yaml.SafeLoader)
    slow = refuse(text)
    assert (slow.line, slow.column) == (fast.line, fast.column)


def _assert_clean_outcome(data: bytes) -> None:
    try:
        parse_yaml(data, "fuzz.yaml")
    except YamlInputError as exc:
        text = str(exc)
        assert "\n" not in text and "\r" not in text
        assert text.startswith("fuzz.yaml:")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_fuzz_bytes_never_escape(data: bytes) -> None:
    _assert_clean_outcome(data)


YAMLISH = st.text(
    alphabet=st.sampled_from(list("[]{}:-,?&*!|>'\"#%@`~ \n\t\raZ0é\x07\\")),
    max_size=200,
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH)
def test_fuzz_yaml_syntax_never_escapes(text: str) -> None:
    _assert_clean_outcome(text.encode("utf-8"))


# NEL/LS/PS are excluded: PyYAML's emitter writes them raw in plain scalars,
# where YAML 1.1 (and libyaml) read them as line breaks -- a dumper quirk.
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85\u2028\u2029"),
    max_size=30,
)
_TREES = st.recursive(
    st.none() | _TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=15,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TREES, st.booleans())
def test_round_trip_of_dumped_text_trees(tree: object, flow: bool) -> None:
    dumped = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, default_flow_style=flow)
    assert to_python(parse(dumped)) == tree


# --- scale -----------------------------------------------------------------------


def test_twenty_thousand_records_parse() -> None:
    n = 20_000
    data = "".join(f"- id: rec{i}\n  year: {1990 + i % 30}\n  title: 'Study {i}'\n" for i in range(n)).encode()
    root = parse_yaml(data, "big.yaml")
    assert isinstance(root, Sequence) and len(root.items) == n
    last = root.items[-1]
    assert last.items["id"][1] == Scalar(f"rec{n - 1}", 3 * n - 2, 7, True, False)
    assert last.items["title"][1].value == f"Study {n - 1}"


# --- corpus ------------------------------------------------------------------------

CORPUS_REFUSED = {
    "billion_laughs.yaml": (2, 4, "anchors and aliases are not allowed"),
    "python_tag.yaml": (3, 10, "tags are not allowed (found '!!python/object/apply:os.system')"),
    "local_tag.yaml": (2, 6, "tags are not allowed (found '!int')"),
    "duplicate_key.yaml": (3, 3, "duplicate key 'id' (first at line 1)"),
    "invalid_utf8.yaml": (2, 13, "not valid UTF-8"),
    "control_char.yaml": (2, 14, "could not parse YAML: control characters are not allowed"),
    "empty.yaml": (1, 1, "file is empty"),
    "comments_only.yaml": (1, 1, "file is empty"),
    "two_documents.yaml": (2, 1, "more than one YAML document"),
    "complex_key.yaml": (2, 5, "mapping keys must be plain or quoted scalars"),
    "null_key.yaml": (2, 3, "null keys are not allowed"),
    "syntax_error.yaml": (2, 20, "could not parse YAML: mapping values are not allowed"),
}
# Valid YAML whose problems belong to the schema layer.
CORPUS_PARSES = {"list_at_root.yaml", "implicit_types.yaml", "bad_dates.yaml"}
CORPUS_FILES = sorted(p.name for p in HOSTILE.glob("*.yaml"))


def test_corpus_is_fully_classified() -> None:
    assert set(CORPUS_FILES) == set(CORPUS_REFUSED) | CORPUS_PARSES


def test_corpus_readme_mentions_every_file() -> None:
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in CORPUS_FILES)


def test_corpus_raw_bytes_are_intact() -> None:
    # Editors "fixing" these files would silently defang the tests.
    assert b"Sa\xefag" in (HOSTILE / "invalid_utf8.yaml").read_bytes()
    assert b"\x07" in (HOSTILE / "control_char.yaml").read_bytes()
    assert (HOSTILE / "empty.yaml").read_bytes() == b""


@pytest.mark.parametrize("name", sorted(CORPUS_REFUSED))
def test_corpus_file_refused(name: str) -> None:
    path = HOSTILE / name
    with pytest.raises(YamlInputError) as info:
        parse_yaml_file(path)
    line, column, message = CORPUS_REFUSED[name]
    text = str(info.value)
    assert text.startswith(f"{path}:{line}:{column}: {message}")
    assert "\n" not in text


@pytest.mark.parametrize("name", sorted(CORPUS_PARSES))
def test_corpus_file_parses(name: str) -> None:
    root = parse_yaml_file(HOSTILE / name)
    assert isinstance(root, (Mapping, Sequence))


# --- on_item: each item of a section, as soon as it is whole --------------------------------


def test_on_item_gets_each_section_item_once_whole_and_what_it_takes_is_left_out():
    seen = []

    def on_item(section, index, node):
        seen.append((section, index, type(node).__name__, node.line))
        return section == "studies"

    root = yamlsafe.parse_yaml(
        b"meta: {a: 1}\nstudies:\n  - {id: a}\n  - plain\nother:\n  - [1, 2]\n  - {deep: [x]}\n",
        "f.yaml",
        on_item=on_item,
    )
    assert seen == [
        ("studies", 0, "Mapping", 3),
        ("studies", 1, "Scalar", 4),
        ("other", 0, "Sequence", 6),
        ("other", 1, "Mapping", 7),
    ]
    assert root.items["studies"][1].items == (None, None)
    kept = root.items["other"][1].items
    assert [type(node).__name__ for node in kept] == ["Sequence", "Mapping"]
    assert root.items["meta"][1].items["a"][1].value == "1"


def test_on_item_is_not_called_for_a_root_that_is_a_list():
    calls = []
    root = yamlsafe.parse_yaml(b"- [a]\n- {b: c}\n", "f.yaml", on_item=lambda *args: calls.append(args) or True)
    assert calls == [] and len(root.items) == 2


def test_what_on_item_raises_escapes_as_itself():
    def on_item(section, index, node):
        raise KeyError("a bug of the caller")

    with pytest.raises(KeyError):
        yamlsafe.parse_yaml(b"studies:\n  - {id: a}\n", "f.yaml", on_item=on_item)
