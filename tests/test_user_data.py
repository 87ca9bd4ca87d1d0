"""A user's own dataset files: --data, CALCINOSIS_DATA, --no-bundled, validate and schema.

Everything here goes through the command line (CliRunner for speed, a subprocess where the
real stderr of ``python -m calcinosis_cli`` matters). test_load.py covers the loader itself.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import clihelp
import jsonschema
import pytest
import yaml

from calcinosis_cli.cli import cli
from calcinosis_cli.dataset.files import bundled_paths

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "my-studies.yaml"
BUNDLED = Path(bundled_paths()[1])

# Settings of the machine running the tests that must not leak into the CLI.
LEAKY = ("FORCE_COLOR", "NO_COLOR", "TERM", "COLUMNS", "CALCINOSIS_DATA", "CALCINOSIS_NO_CACHE", "PYTHONIOENCODING")

BUNDLED_COUNT = 18

STUDY = """\
  - id: {id}
    source: user
    treatment_printed: {printed}
    treatment: {treatment}
    n: 1
    reference: {reference}
    design: case report
    tally: {{improved: 1}}
"""

SELF_CONTAINED = """\
treatments:
  - id: thiosulfate
    class: procedure
    aliases: [STS]
diagnoses:
  - id: lupus
references:
  - id: own2020
    authors: [Own A]
    title: A self-contained invented file
    journal: Own J
    year: 2020
studies:
  - id: own2020-thiosulfate
    source: user
    treatment_printed: Sodium thiosulfate
    treatment: thiosulfate
    n: 2
    diagnoses: [lupus]
    reference: own2020
    design: case series
    tally: {improved: 1, unchanged: 1}
"""


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    """The tool's dataset cache, kept out of the user's home for every run in this module."""
    return tmp_path_factory.mktemp("calcinosis-cache")


@pytest.fixture
def run(cache_dir):
    """Invoke the click group in-process with a clean environment and a private cache."""

    def invoke(*args: str, env: dict | None = None):
        clean = {name: None for name in LEAKY}
        return clihelp.runner({**clean, "CALCINOSIS_CACHE_DIR": str(cache_dir), **(env or {})}).invoke(cli, list(args))

    return invoke


@pytest.fixture
def run_subprocess(cache_dir):
    """Run ``python -m calcinosis_cli`` for real, so stderr is exactly what a user sees."""

    def invoke(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        base = {k: v for k, v in os.environ.items() if k not in LEAKY}
        base["CALCINOSIS_CACHE_DIR"] = str(cache_dir)
        return subprocess.run(
            [sys.executable, "-m", "calcinosis_cli", *args],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            env={**base, **(env or {})},
        )

    return invoke


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def json_ids(result) -> list[str]:
    assert result.exit_code == 0, (result.output, result.exception)
    return [row["id"] for row in json.loads(result.stdout)]


def bundled_line_of(study_id: str) -> int:
    """1-based line of ``- id: study_id`` in the bundled file."""
    for number, line in enumerate(BUNDLED.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() == f"- id: {study_id}":
            return number
    raise AssertionError(f"{study_id} not in {BUNDLED}")


# --- adding a user's studies --------------------------------------------------------------------


def test_data_file_adds_the_users_study_after_the_bundled_rows(run):
    result = run("--data", str(EXAMPLE), "list", "-f", "json", "-c", "id,source,reference,treatment,class")
    rows = json.loads(result.stdout)
    assert result.exit_code == 0
    assert len(rows) == BUNDLED_COUNT + 1
    assert all(row["source"] != "user" for row in rows[:BUNDLED_COUNT])
    assert rows[-1] == {
        "id": "example2024-diltiazem",
        "source": "user",
        "reference": "Example and Sample (2024)",
        "treatment": "diltiazem",
        "class": "calcium channel blocker",
    }


def test_data_file_rows_are_found_by_the_filters(run):
    ids = json_ids(run("--data", str(EXAMPLE), "list", "-f", "json", "-c", "id", "-t", "diltiazem"))
    assert ids == ["dolan1995-diltiazem", "vaysairat1998-diltiazem", "example2024-diltiazem"]
    only_user = json_ids(run("--data", str(EXAMPLE), "list", "-f", "json", "-c", "id", "--year-from", "2024"))
    assert only_user == ["example2024-diltiazem"]


def test_calcinosis_data_holds_two_paths_separated_by_pathsep(run, tmp_path):
    # The second file cites the reference the first one defines: files are merged before checking.
    second = write(
        tmp_path,
        "second.yaml",
        "studies:\n" + STUDY.format(id="second-1", printed="Warfarin", treatment="warfarin", reference="example2024"),
    )
    env = {"CALCINOSIS_DATA": f"{EXAMPLE}{os.pathsep}{second}"}
    result = run("list", "-f", "json", "-c", "id,reference", env=env)
    rows = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert len(rows) == BUNDLED_COUNT + 2
    assert rows[-2:] == [
        {"id": "example2024-diltiazem", "reference": "Example and Sample (2024)"},
        {"id": "second-1", "reference": "Example and Sample (2024)"},
    ]


@pytest.mark.parametrize("template", ["{path}{sep}", "{sep}{path}", "{path}{sep}{sep}{path2}"])
def test_calcinosis_data_ignores_empty_entries(run, tmp_path, template):
    second = write(
        tmp_path,
        "second.yaml",
        "studies:\n" + STUDY.format(id="second-1", printed="Warfarin", treatment="warfarin", reference="berger1987"),
    )
    value = template.format(path=EXAMPLE, path2=second, sep=os.pathsep)
    result = run("list", "-f", "json", "-c", "id", env={"CALCINOSIS_DATA": value})
    assert result.exit_code == 0, result.stderr
    assert "example2024-diltiazem" in json_ids(result)


def test_calcinosis_data_is_what_validate_checks_without_paths(run):
    result = run("validate", env={"CALCINOSIS_DATA": str(EXAMPLE)})
    assert result.exit_code == 0
    assert result.stdout == "ok: 1 file of yours with the bundled dataset: 1 study, 1 reference, no problems\n"


def test_no_bundled_with_a_self_contained_file(run, tmp_path):
    own = write(tmp_path, "own.yaml", SELF_CONTAINED)
    result = run("--no-bundled", "--data", str(own), "list", "-f", "json", "-c", "id,treatment,class,diagnoses,n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"id": "own2020-thiosulfate", "treatment": "thiosulfate", "class": "procedure", "diagnoses": ["lupus"], "n": 2}
    ]
    # Its own alias works, and no bundled study leaks in.
    assert json_ids(run("--no-bundled", "--data", str(own), "list", "-f", "json", "-t", "sts")) == [
        "own2020-thiosulfate"
    ]
    clean = run("--no-bundled", "validate", str(own))
    assert clean.exit_code == 0
    assert clean.stdout == "ok: 1 file of yours with the bundled vocabulary: 1 study, 1 reference, no problems\n"


def test_user_study_citing_bundled_reference_and_treatment_resolves(run, tmp_path):
    user = write(
        tmp_path,
        "cites.yaml",
        "studies:\n"
        + STUDY.format(id="mine-warfarin", printed="Warfarin 1 mg", treatment="warfarin", reference="berger1987")
        + "    diagnoses: [dermatomyositis]\n",
    )
    columns = "id,class,reference,reference_id,reference_number,year,citation,diagnoses"
    result = run("--data", str(user), "list", "-f", "json", "-c", columns, "-t", "coumadin")
    rows = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    berger = next(r for r in rows if r["id"] == "berger1987-warfarin-phase-1")
    mine = rows[-1]
    assert mine["id"] == "mine-warfarin"
    assert mine["class"] == "vitamin K antagonist"
    for column in ("reference", "reference_id", "reference_number", "year", "citation"):
        assert mine[column] == berger[column], column
    assert mine["reference"] == "Berger et al (1987)"
    # The bundled diagnosis hierarchy applies to the user's row too.
    found = json_ids(run("--data", str(user), "list", "-f", "json", "-c", "id", "-d", "dermatomyositis"))
    assert "mine-warfarin" in found
    # Without the bundled dataset the file still has the vocabulary (warfarin), not the paper's references.
    alone = run("--no-bundled", "validate", str(user))
    assert alone.exit_code == 1
    assert "unknown treatment" not in alone.stdout
    assert "unknown reference 'berger1987'" in alone.stdout


# --- duplicate ids ------------------------------------------------------------------------------


def test_duplicate_id_across_user_and_bundled_file_names_both_places(run, tmp_path):
    user = write(
        tmp_path,
        "dup.yaml",
        "studies:\n"
        + STUDY.format(id="lassoued1988-warfarin", printed="Warfarin", treatment="warfarin", reference="berger1987"),
    )
    first = f"{BUNDLED}:{bundled_line_of('lassoued1988-warfarin')}"
    listed = run("--data", str(user), "list")
    assert listed.exit_code == 1
    assert listed.stdout == ""
    assert listed.stderr.count("\n") == 1
    assert listed.stderr.startswith(f"calcinosis: error: {user}:2:5: ")
    assert "duplicate id 'lassoued1988-warfarin'" in listed.stderr
    assert f"(first defined at {first})" in listed.stderr

    checked = run("validate", str(user))
    assert checked.exit_code == 1
    assert checked.stdout == (f"{user}:2:5: studies: duplicate id 'lassoued1988-warfarin' (first defined at {first})\n")


# --- validate -----------------------------------------------------------------------------------

SEVERAL_MISTAKES = """\
treatments:
  - id: newdrug
    class: antibiotic
studies:
  - id: over
    source: user
    treatment_printed: X
    treatment: warfarin
    n: 2
    reference: berger1987
    design: case report
    tally: {improved: 3}
  - id: typed
    source: user
    treatment_printed: X
    treatment: warfarin
    n: three
    reference: berger1987
    design: anecdote
    tally: {improved: 1}
    colour: blue
  - id: missing
    source: user
    treatment: warfarin
    n: 1
    reference: berger1987
    design: case report
    tally: {improved: 1}
  - id: dangling
    source: user
    treatment_printed: X
    treatment: nosuchdrug
    n: 1
    reference: nosuchref
    design: case report
    tally: {improved: 1}
  - id: over
    source: user
    treatment_printed: X
    treatment: warfarin
    n: 1
    reference: berger1987
    design: case report
    tally: {improved: 1}
"""

# (line, column, fragment) of every mistake in SEVERAL_MISTAKES.
EXPECTED = [
    (3, 12, "treatment 'newdrug' field 'class': unknown class 'antibiotic'"),
    (12, 12, "study 'over' field 'tally': outcomes add up to 3, which exceed N = 2"),
    (17, 8, "field 'n': expected a whole number, got 'three'"),
    (19, 13, "field 'design': 'anecdote' is not one of: case report"),
    (21, 5, "unknown field 'colour'"),
    (22, 5, "missing required field 'treatment_printed'"),
    (32, 16, "study 'dangling' field 'treatment': unknown treatment 'nosuchdrug'"),
    (34, 16, "study 'dangling' field 'reference': unknown reference 'nosuchref'"),
    (37, 5, "studies: duplicate id 'over' (first defined at {path}:5)"),
]


def test_validate_prints_every_mistake_as_file_line_column_sorted_by_line(run, tmp_path):
    path = write(tmp_path, "several.yaml", SEVERAL_MISTAKES)
    result = run("validate", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(EXPECTED), lines
    positions = []
    for line in lines:
        match = re.fullmatch(rf"{re.escape(str(path))}:(\d+):(\d+): (.+)", line)
        assert match, line
        positions.append((int(match[1]), int(match[2])))
    assert positions == sorted(positions)
    assert positions == [(ln, col) for ln, col, _ in EXPECTED]
    for (ln, col, fragment), line in zip(EXPECTED, lines, strict=True):
        assert line.startswith(f"{path}:{ln}:{col}: "), line
        assert fragment.format(path=path) in line, (fragment, line)
    assert result.stderr == f"calcinosis: {len(EXPECTED)} problems in 1 file of yours with the bundled dataset\n"


# One file per check the issue requires: each gives exactly one message at its place.
ONE_MISTAKE = {
    "required field": (
        STUDY.format(id="u", printed="W", treatment="warfarin", reference="berger1987").replace(
            "    design: case report\n", ""
        ),
        (2, 5),
        "studies[0] 'u': missing required field 'design'",
    ),
    "type": (
        STUDY.format(id="u", printed="W", treatment="warfarin", reference="berger1987").replace("n: 1", "n: [1]"),
        (6, 8),
        "studies[0] 'u' field 'n': expected a whole number, got a list",
    ),
    "unknown key": (
        STUDY.format(id="u", printed="W", treatment="warfarin", reference="berger1987") + "    dosage: 5 mg\n",
        (10, 5),
        "studies[0] 'u': unknown field 'dosage'",
    ),
    "unresolved reference": (
        STUDY.format(id="u", printed="W", treatment="warfarin", reference="smith1999"),
        (7, 16),
        "study 'u' field 'reference': unknown reference 'smith1999'",
    ),
    "unresolved treatment": (
        STUDY.format(id="u", printed="W", treatment="warfarine", reference="berger1987"),
        (5, 16),
        "study 'u' field 'treatment': unknown treatment 'warfarine'",
    ),
    "duplicate id": (
        STUDY.format(id="u", printed="W", treatment="warfarin", reference="berger1987") * 2,
        (10, 5),
        "studies: duplicate id 'u' (first defined at {path}:2)",
    ),
    "tally exceeds N": (
        STUDY.format(id="u", printed="W", treatment="warfarin", reference="berger1987").replace(
            "{improved: 1}", "{improved: 1, worsened: 1}"
        ),
        (9, 12),
        "study 'u' field 'tally': outcomes add up to 2, which exceed N = 1",
    ),
    "unknown design": (
        STUDY.format(id="u", printed="W", treatment="warfarin", reference="berger1987").replace(
            "case report", "cohort"
        ),
        (8, 13),
        "studies[0] 'u' field 'design': 'cohort' is not one of: case report, case series",
    ),
}


@pytest.mark.parametrize("check", sorted(ONE_MISTAKE))
def test_validate_each_required_check_gives_one_message(run, tmp_path, check):
    body, (line, column), fragment = ONE_MISTAKE[check]
    path = write(tmp_path, "one.yaml", "studies:\n" + body)
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout.count("\n") == 1, result.stdout
    assert result.stdout.startswith(f"{path}:{line}:{column}: ")
    assert fragment.format(path=path) in result.stdout


def test_validate_unknown_treatment_class_gives_one_message(run, tmp_path):
    path = write(tmp_path, "class.yaml", "treatments:\n  - id: newdrug\n    class: antibiotic\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:3:12: treatment 'newdrug' field 'class': unknown class 'antibiotic'")
    assert "did you mean 'tetracycline antibiotic'?" in result.stdout
    assert result.stdout.count("\n") == 1


def test_validate_reports_a_dangling_reference_in_a_record_that_also_has_a_type_error(run, tmp_path):
    # A record with a field error must not hide its other problems (every problem, not the first).
    body = STUDY.format(id="u", printed="W", treatment="nosuchdrug", reference="nosuchref").replace("n: 1", "n: one")
    path = write(tmp_path, "both.yaml", "studies:\n" + body)
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "expected a whole number, got 'one'" in result.stdout
    assert "unknown reference 'nosuchref'" in result.stdout
    assert "unknown treatment 'nosuchdrug'" in result.stdout


def test_validate_clean_file_prints_one_ok_line(run):
    result = run("validate", str(EXAMPLE))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1
    # It counts the files the user gave, and what they hold; not the bundled dataset's.
    assert result.stdout == "ok: 1 file of yours with the bundled dataset: 1 study, 1 reference, no problems\n"
    bundled = run("validate")
    assert bundled.stdout == "ok: the bundled dataset: 18 studies, 21 references, no problems\n"


def test_validate_a_missing_file_is_a_one_line_usage_error(run, tmp_path):
    missing = tmp_path / "nope.yaml"
    result = run("validate", str(missing))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert str(missing) in result.stderr
    assert result.stderr.count("\n") == 1


# --- schema -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(cache_dir) -> dict:
    result = clihelp.runner({"CALCINOSIS_CACHE_DIR": str(cache_dir)}).invoke(cli, ["schema"])
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_schema_is_a_valid_draft_2020_12_schema(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["properties"]) >= {"studies", "references", "treatments", "diagnoses"}


@pytest.mark.parametrize("path", [EXAMPLE, BUNDLED], ids=["example", "bundled"])
def test_schema_accepts_the_example_and_the_bundled_data(schema, path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    assert errors == []
    assert document["studies"], "the file has studies to check"


def test_schema_rejects_what_validate_rejects_structurally(schema):
    validator = jsonschema.Draft202012Validator(schema)
    document = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    document["studies"][0]["colour"] = "blue"
    document["studies"][0]["design"] = "anecdote"
    del document["studies"][0]["reference"]
    messages = sorted(e.message for e in validator.iter_errors(document))
    assert any("'colour' was unexpected" in m for m in messages), messages
    assert any("'anecdote' is not one of" in m for m in messages), messages
    assert any("'reference' is a required property" in m for m in messages), messages


# --- errors as a user sees them ----------------------------------------------------------------


def test_list_on_a_broken_data_file_is_one_line_on_stderr(run_subprocess, tmp_path):
    broken = write(
        tmp_path,
        "broken.yaml",
        "studies:\n"
        + STUDY.format(id="b", printed="W", treatment="warfarin", reference="berger1987").replace("n: 1", "n: three"),
    )
    proc = run_subprocess("--data", str(broken), "list")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"calcinosis: error: {broken}:6:8: studies[0] 'b' field 'n': ")


def test_list_with_several_problems_points_to_validate(run_subprocess):
    proc = run_subprocess("--data", str(ROOT / "tests" / "hostile" / "implicit_types.yaml"), "list")
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1
    assert "(and 11 more problems; run 'calcinosis validate' to list them)" in proc.stderr


def test_missing_data_file_is_a_clear_one_line_error(run_subprocess, tmp_path):
    missing = tmp_path / "not-there.yaml"
    proc = run_subprocess("--data", str(missing), "list")
    assert proc.returncode in (1, 2)
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("calcinosis: error: ")
    assert str(missing) in proc.stderr
    assert "No such file" in proc.stderr or "does not exist" in proc.stderr


def test_nothing_the_user_had_is_modified(run, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    user = folder / "my-studies.yaml"
    shutil.copyfile(EXAMPLE, user)
    before = user.read_bytes()
    stat = user.stat()
    for args in (
        ["validate", str(user)],
        ["--data", str(user), "list"],
        ["--data", str(user), "list", "-f", "csv"],
        ["--data", str(user), "show", "example2024-diltiazem", "-f", "json"],
        ["--data", str(user), "group", "--by", "treatment"],
        ["--data", str(user), "report", "--date", "2024-01-01"],
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    assert user.read_bytes() == before
    assert user.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in folder.iterdir()) == ["my-studies.yaml"]


# --- a user's dataset stands on its own -----------------------------------------------------------


def test_the_example_file_works_without_the_bundled_dataset(run):
    # It uses the vocabulary's diltiazem and systemic sclerosis, and its own reference.
    result = run("--no-bundled", "--data", str(EXAMPLE), "list", "-f", "json", "-c", "id,treatment,class,diagnoses")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "id": "example2024-diltiazem",
            "treatment": "diltiazem",
            "class": "calcium channel blocker",
            "diagnoses": ["systemic sclerosis"],
        }
    ]


OWN_FOOTNOTE_AND_CLASS = """\
classes:
  - id: endothelin receptor antagonist
treatments:
  - id: bosentan
    class: endothelin receptor antagonist
references:
  - {id: own2021, authors: [Own A], title: Own, journal: J, year: 2021}
footnotes:
  - marker: "*"
    text: as rated by the treating physician
studies:
  - id: own2021-bosentan
    source: user
    treatment_printed: Bosentan
    treatment: bosentan
    n: 2
    diagnoses: [SSc]
    outcome_printed: 2 improved*
    footnote: "*"
    reference: own2021
    design: case series
    tally: {improved: 2}
"""


def test_a_user_file_may_use_a_marker_the_bundled_file_uses_and_declare_a_class(run, tmp_path):
    own = write(tmp_path, "own.yaml", OWN_FOOTNOTE_AND_CLASS)
    result = run("--data", str(own), "list", "-f", "json", "-c", "id,class,footnote,footnote_marker,diagnoses")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["own2021-bosentan"] == {
        "id": "own2021-bosentan",
        "class": "endothelin receptor antagonist",
        "footnote": "as rated by the treating physician",
        "footnote_marker": "*",
        "diagnoses": ["systemic sclerosis"],
    }
    # The bundled "*" keeps its own text.
    assert rows["metzger1974-etidronate-10mgkg"]["footnote"].startswith("As indicated by increase")
    classes = run("--data", str(own), "terms", "class").stdout.splitlines()
    assert "endothelin receptor antagonist" in classes and "bisphosphonate" in classes
    # In a report both footnotes are listed, each under a label of its own.
    report = run("--data", str(own), "report", "-t", "bosentan", "-t", "etidronate", "--date", "2026-01-01").stdout
    definitions = [line for line in report.splitlines() if line.startswith("[^")]
    assert len(definitions) == 2 and len({d.split("]:")[0] for d in definitions}) == 2


def test_a_footnote_marker_of_another_file_is_unknown_here(run, tmp_path):
    text = OWN_FOOTNOTE_AND_CLASS.replace('footnote: "*"', 'footnote: "†"')
    own = write(tmp_path, "own.yaml", text)
    result = run("validate", str(own))
    assert result.exit_code == 1
    assert "unknown footnote marker '†'" in result.stdout
    assert "markers belong to the file that declares them" in result.stdout


def test_validate_reports_every_problem_of_one_record(run, tmp_path):
    bad = STUDY.format(id="many", printed="W", treatment="nosuchdrug", reference="nosuchref")
    bad = bad.replace("n: 1", "n: one").replace("design: case report", "design: cohort") + "    colour: red\n"
    own = write(tmp_path, "many.yaml", "studies:\n" + bad)
    lines = run("validate", str(own)).stdout.splitlines()
    text = "\n".join(lines)
    for fragment in ("field 'n'", "field 'design'", "unknown field 'colour'", "unknown treatment 'nosuchdrug'",
                     "unknown reference 'nosuchref'"):  # fmt: skip
        assert fragment in text, fragment
    assert len(lines) == 5


def test_cite_all_is_the_papers_whole_reference_list(run):
    lines = run("cite", "--all").stdout.splitlines()
    assert len(lines) == 19
    assert lines[0].startswith("1. Black CM. Scleroderma- clinical aspects.")
    assert lines[18].startswith("19. Price PA, Faus SA, Williamson MK.")
    bibtex = run("cite", "--all", "--style", "bibtex").stdout
    assert bibtex.count("@article{") == 19
    refused = run("cite", "--all", "-t", "warfarin")
    assert refused.exit_code == 2
