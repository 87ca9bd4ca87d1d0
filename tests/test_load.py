"""Loading and validating dataset files: the bundled data, and exact problems for broken files."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from calcinosis_cli import model
from calcinosis_cli.dataset import files, load

GOOD_STUDY = """\
  - id: {id}
    source: user
    treatment_printed: Warfarin
    treatment: warfarin
    n: 1
    reference: berger1987
    design: case report
    tally: {{improved: 1}}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def check(*paths: Path) -> list[load.Problem]:
    """Problems of user files loaded together with the bundled vocabularies."""
    _merged, problems = load.check_files([*files.bundled_paths(), *paths])
    return problems


def only(problems: list[load.Problem]) -> load.Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# --- the bundled data -----------------------------------------------------------------------


def test_bundled_dataset_loads():
    ds = load.load_dataset()
    assert len(ds.studies) == 18
    assert sum(1 for s in ds.studies if s.table_row is not None) == 17
    assert ds.source == "cukierman2004"
    assert ds.version == "1.2.0"
    assert [Path(f).name for f in ds.files] == ["vocabulary.yaml", "treatments.yaml", "later_evidence.yaml"]


def test_bundled_files_have_no_problems():
    _merged, problems = load.check_files(files.bundled_paths())
    assert problems == []


def test_bundled_paths_exist():
    paths = files.bundled_paths()
    assert [os.path.basename(p) for p in paths] == ["vocabulary.yaml", "treatments.yaml", "later_evidence.yaml"]
    assert all(os.path.isfile(p) for p in paths)


def test_default_paths_are_the_bundled_ones():
    assert load.load_dataset().studies == load.load_dataset(files.bundled_paths()).studies


def test_study_origin_names_file_and_line():
    ds = load.load_dataset()
    origin = ds.study("metzger1974-etidronate-10mgkg").origin
    path, line = origin.rsplit(":", 1)
    assert Path(path).name == "treatments.yaml"
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    assert lines[int(line) - 1].strip() == "- id: metzger1974-etidronate-10mgkg"


def test_a_valid_user_file_adds_its_study(tmp_path):
    path = write(tmp_path, "user.yaml", "studies:\n" + GOOD_STUDY.format(id="user-1"))
    ds = load.load_dataset([*files.bundled_paths(), path])
    assert len(ds.studies) == 19
    study = ds.study("user-1")
    assert study.source == "user"
    assert study.origin == f"{path}:2"
    # A tally without covers covers its own study.
    assert study.tally == model.Tally(improved=1, covers=("user-1",))


# --- one mistake, one exact problem ---------------------------------------------------------


def test_unknown_field(tmp_path):
    path = write(tmp_path, "u.yaml", "studies:\n" + GOOD_STUDY.format(id="user-1") + "    colour: blue\n")
    problem = only(check(path))
    assert (problem.path, problem.line, problem.column) == (str(path), 10, 5)
    assert "studies[0] 'user-1': unknown field 'colour'" in problem.message
    assert "known fields: id, source" in problem.message


def test_missing_required_field(tmp_path):
    text = "studies:\n" + GOOD_STUDY.format(id="user-1").replace("    design: case report\n", "")
    path = write(tmp_path, "m.yaml", text)
    problem = only(check(path))
    assert (problem.path, problem.line) == (str(path), 2)
    assert "studies[0] 'user-1': missing required field 'design'" in problem.message


def test_wrong_type_n_three(tmp_path):
    path = write(tmp_path, "t.yaml", "studies:\n" + GOOD_STUDY.format(id="user-1").replace("n: 1", "n: three"))
    problem = only(check(path))
    assert (problem.path, problem.line, problem.column) == (str(path), 6, 8)
    assert "field 'n': expected a whole number, got 'three'" in problem.message


def test_quoted_number(tmp_path):
    path = write(tmp_path, "q.yaml", "studies:\n" + GOOD_STUDY.format(id="user-1").replace("n: 1", 'n: "1"'))
    problem = only(check(path))
    assert (problem.path, problem.line) == (str(path), 6)
    assert "field 'n': expected a whole number, got the quoted text '1' (remove the quotes)" in problem.message


def test_unknown_treatment_class(tmp_path):
    path = write(
        tmp_path,
        "c.yaml",
        """\
        treatments:
          - id: magic
            class: homeopathy
        """,
    )
    problem = only(check(path))
    assert (problem.path, problem.line, problem.column) == (str(path), 3, 12)
    assert problem.message.startswith("treatment 'magic' field 'class': unknown class 'homeopathy'")
    assert "declare it under 'classes'" in problem.message


def test_unknown_design(tmp_path):
    path = write(tmp_path, "d.yaml", "studies:\n" + GOOD_STUDY.format(id="user-1").replace("case report", "cohort"))
    problem = only(check(path))
    assert (problem.path, problem.line) == (str(path), 8)
    assert "field 'design': 'cohort' is not one of: case report, case series" in problem.message


def test_unknown_reference(tmp_path):
    path = write(tmp_path, "r.yaml", "studies:\n" + GOOD_STUDY.format(id="user-1").replace("berger1987", "nobody2020"))
    problem = only(check(path))
    assert (problem.path, problem.line) == (str(path), 7)  # the field's line
    assert problem.message == "study 'user-1' field 'reference': unknown reference 'nobody2020'"


def test_unknown_treatment(tmp_path):
    text = "studies:\n" + GOOD_STUDY.format(id="user-1").replace("treatment: warfarin", "treatment: magic")
    path = write(tmp_path, "tr.yaml", text)
    problem = only(check(path))
    assert (problem.path, problem.line) == (str(path), 5)  # the field's line
    assert "field 'treatment': unknown treatment 'magic'" in problem.message


def test_tally_exceeding_n(tmp_path):
    text = "studies:\n" + GOOD_STUDY.format(id="user-1").replace("{improved: 1}", "{improved: 1, worsened: 1}")
    path = write(tmp_path, "x.yaml", text)
    problem = only(check(path))
    assert (problem.path, problem.line) == (str(path), 9)  # the field's line
    assert problem.message == "study 'user-1' field 'tally': outcomes add up to 2, which exceed N = 1"


def test_tally_falling_short_of_n(tmp_path):
    path = write(tmp_path, "s.yaml", "studies:\n" + GOOD_STUDY.format(id="user-1").replace("n: 1", "n: 4"))
    problem = only(check(path))
    assert "outcomes add up to 1, which fall short of N = 4" in problem.message


def test_duplicate_id_within_a_file(tmp_path):
    text = "studies:\n" + GOOD_STUDY.format(id="user-1") + GOOD_STUDY.format(id="user-1")
    path = write(tmp_path, "dup.yaml", text)
    problem = only(check(path))
    assert (problem.path, problem.line) == (str(path), 10)
    assert problem.message == f"studies: duplicate id 'user-1' (first defined at {path}:2)"


def test_duplicate_id_across_two_files(tmp_path):
    first = write(tmp_path, "a.yaml", "studies:\n" + GOOD_STUDY.format(id="user-1"))
    second = write(tmp_path, "b.yaml", "studies:\n" + GOOD_STUDY.format(id="user-2") + GOOD_STUDY.format(id="user-1"))
    problem = only(check(first, second))
    assert (problem.path, problem.line) == (str(second), 10)
    assert problem.message == f"studies: duplicate id 'user-1' (first defined at {first}:2)"


def test_duplicate_of_a_bundled_id_names_the_bundled_file(tmp_path):
    path = write(tmp_path, "b.yaml", "studies:\n" + GOOD_STUDY.format(id="yoshida1993-warfarin"))
    problem = only(check(path))
    bundled = str(files.bundled_paths()[1])
    assert problem.path == str(path)
    assert problem.message.startswith(f"studies: duplicate id 'yoshida1993-warfarin' (first defined at {bundled}:")


def test_problem_str_is_path_line_column_message(tmp_path):
    path = write(tmp_path, "t.yaml", "studies:\n" + GOOD_STUDY.format(id="user-1").replace("n: 1", "n: three"))
    problem = only(check(path))
    assert str(problem) == f"{path}:6:8: {problem.message}"


# --- every problem, not just the first -----------------------------------------------------


def test_check_files_reports_every_problem_of_a_file(tmp_path):
    path = write(
        tmp_path,
        "many.yaml",
        """\
        treatments:
          - id: magic
            class: homeopathy
        studies:
          - id: user-1
            source: user
            treatment_printed: Warfarin
            treatment: warfarin
            n: three
            reference: berger1987
            design: case report
            colour: blue
          - id: user-2
            source: user
            treatment_printed: Warfarin
            treatment: warfarin
            n: "2"
            reference: berger1987
            design: cohort
          - id: user-3
            source: user
            treatment: warfarin
            n: 1
            reference: berger1987
            design: case report
        """,
    )
    problems = check(path)
    assert all(p.path == str(path) for p in problems)
    assert [p.line for p in problems] == [3, 9, 12, 17, 19, 20]
    messages = "\n".join(p.message for p in problems)
    assert "unknown class 'homeopathy'" in messages
    assert "field 'n': expected a whole number, got 'three'" in messages
    assert "unknown field 'colour'" in messages
    assert "got the quoted text '2'" in messages
    assert "'cohort' is not one of" in messages
    assert "studies[2] 'user-3': missing required field 'treatment_printed'" in messages
    assert len(problems) == 6


def test_load_dataset_raises_data_error_with_all_problems(tmp_path):
    text = (
        "studies:\n"
        + GOOD_STUDY.format(id="user-1").replace("berger1987", "nobody2020")
        + GOOD_STUDY.format(id="user-2").replace("n: 1", "n: 5")
    )
    path = write(tmp_path, "two.yaml", text)
    with pytest.raises(load.DataError) as info:
        load.load_dataset([*files.bundled_paths(), path])
    problems = info.value.problems
    assert [p.line for p in problems] == [7, 17]  # the fields' lines
    assert "unknown reference 'nobody2020'" in problems[0].message
    assert "which fall short of N = 5" in problems[1].message
    assert str(info.value) == f"{problems[0]} (and 1 more problem; run 'calcinosis validate' to list them)"


def test_data_error_with_one_problem_has_no_suffix():
    problem = load.Problem("f.yaml", 3, 4, "bad")
    assert str(load.DataError([problem])) == "f.yaml:3:4: bad"
    assert str(load.Problem("f.yaml", None, None, "bad")) == "f.yaml: bad"


def test_a_user_file_without_the_bundled_vocabularies_fails(tmp_path):
    path = write(tmp_path, "alone.yaml", "studies:\n" + GOOD_STUDY.format(id="user-1"))
    _merged, problems = load.check_files([path])
    messages = [p.message for p in problems]
    assert any(m.startswith("study 'user-1' field 'treatment': unknown treatment 'warfarin'") for m in messages)
    assert "study 'user-1' field 'reference': unknown reference 'berger1987'" in messages


def test_a_user_file_with_the_vocabulary_alone_may_use_its_terms_and_aliases(tmp_path):
    study = GOOD_STUDY.format(id="user-1").replace("treatment: warfarin", "treatment: Coumadin")
    study = study.replace("reference: berger1987", "reference: mine2020")
    study = study.replace("design: case report", "design: open trial phase") + "    diagnoses: [SSc, jdm]\n"
    reference = "references:\n  - {id: mine2020, authors: [Mine A], title: T, journal: J, year: 2020}\n"
    path = write(tmp_path, "alone.yaml", reference + "studies:\n" + study)
    ds = load.load_dataset([files.vocabulary_path(), path])
    assert ds.study("user-1").treatment == "warfarin"
    assert ds.study("user-1").diagnoses == ("systemic sclerosis", "juvenile dermatomyositis")
    assert ds.study("user-1").design == "uncontrolled trial phase"  # the old name is an alias


def test_unknown_section(tmp_path):
    path = write(tmp_path, "sec.yaml", "stuff:\n  - 1\n")
    problem = only(check(path))
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message.startswith("unknown section 'stuff' (known sections: dataset,")


# --- characters a text field may not hold -----------------------------------------------------

REFUSED = {
    "ESC": ("\\e[31mred", "U+001B"),
    "BEL": ("\\aring", "U+0007"),
    "NUL": ("\\0x", "U+0000"),
    "CR": ("a\\rb", "U+000D"),
    "DEL": ("a\\x7fb", "U+007F"),
    "NEL (C1)": ("a\\Nb", "U+0085"),
    "CSI (C1)": ("a\\x9b31m", "U+009B"),
    "RLO": ("abc\\u202Edef", "U+202E"),
    "LRI": ("abc\\u2066def", "U+2066"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_text_field_may_not_hold_control_or_bidi_override_characters(tmp_path, name):
    escaped, code = REFUSED[name]
    study = GOOD_STUDY.format(id="ctl").replace("Warfarin", f'"{escaped}"')
    path = write(tmp_path, "ctl.yaml", "studies:\n" + study)
    problem = only(check(path))
    assert (problem.path, problem.line, problem.column) == (str(path), 4, 24)
    assert "field 'treatment_printed'" in problem.message and code in problem.message


def test_every_bad_item_of_a_list_is_reported_at_its_own_place(tmp_path):
    study = GOOD_STUDY.format(id="ctl") + '    notes: [fine, "a\\eb", also fine, "c\\ad"]\n'
    path = write(tmp_path, "ctl.yaml", "studies:\n" + study)
    problems = check(path)
    assert [(p.line, p.column) for p in problems] == [(10, 19), (10, 38)]
    assert "U+001B" in problems[0].message and "U+0007" in problems[1].message


def test_tab_newline_and_other_unicode_are_held_as_written(tmp_path):
    value = "tab\there\nnew line \u2028 \u200f שלום e\u0301 漢字 [31m"
    study = GOOD_STUDY.format(id="ok").replace(
        "Warfarin", '"' + value.replace("\n", "\\n").replace("\u2028", "\\L") + '"'
    )
    path = write(tmp_path, "ok.yaml", "studies:\n" + study)
    ds = load.load_dataset([*files.bundled_paths(), path])
    assert ds.study("ok").treatment_printed == value


# --- records built as the parser finishes each item -----------------------------------------

FOOTNOTED_STUDY = GOOD_STUDY.replace("    tally:", '    footnote: "{marker}"\n    tally:')


def footnotes_after_the_study(tmp_path: Path, marker: str) -> Path:
    """A file whose one study uses ``marker`` and whose footnotes ("§") come after it."""
    text = "studies:\n" + FOOTNOTED_STUDY.format(id="user-1", marker=marker)
    return write(tmp_path, "late.yaml", text + 'footnotes:\n  - {marker: "§", text: Own note.}\n')


def test_footnotes_declared_after_the_studies_still_link(tmp_path):
    # Records are built as each item is parsed; a study's footnote is linked once the file is read.
    path = footnotes_after_the_study(tmp_path, "§")
    ds = load.load_dataset([*files.bundled_paths(), path])
    note = ds.study("user-1").footnote
    assert (note.marker, note.text, note.file) == ("§", "Own note.", str(path))


def test_an_unknown_marker_is_reported_at_the_marker_wherever_the_footnotes_stand(tmp_path):
    problem = only(check(footnotes_after_the_study(tmp_path, "‡")))
    assert (problem.line, problem.column) == (9, 15)
    assert "study 'user-1' field 'footnote': unknown footnote marker '‡'" in problem.message


def test_a_file_that_is_not_yaml_further_down_reports_only_that(tmp_path):
    # The first record's own problems were found while parsing; the file's YAML error is all
    # that is reported, as when the whole tree was built first.
    bad_record = GOOD_STUDY.format(id="user-1").replace("n: 1", "n: one")
    path = write(tmp_path, "broken.yaml", "studies:\n" + bad_record + "  - id: [unclosed\n")
    problem = only(check(path))
    assert problem.line == 11 and "could not parse YAML" in problem.message


def test_the_records_of_a_large_section_come_in_file_order_with_their_lines(tmp_path):
    count = 1100
    text = "studies:\n" + "".join(GOOD_STUDY.format(id=f"user-{i}") for i in range(count))
    path = write(tmp_path, "many.yaml", text)
    ds = load.load_dataset([*files.bundled_paths(), path])
    mine = [study for study in ds.studies if study.id.startswith("user-")]
    assert [study.id for study in mine] == [f"user-{i}" for i in range(count)]
    assert [study.origin for study in mine] == [f"{path}:{2 + 8 * i}" for i in range(count)]
