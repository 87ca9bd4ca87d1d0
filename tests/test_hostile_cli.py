"""Hostile YAML through the real command line, each run in a subprocess with a timeout.

A segfault shows up as a negative return code and a hang as TimeoutExpired, so either fails
one test instead of killing the run. test_yamlsafe.py covers the YAML reader in-process;
here the question is what a user running ``calcinosis`` on such a file sees.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import clihelp
import pytest
import yaml

from calcinosis_cli.cli import cli
from calcinosis_cli.dataset import load, yamlsafe

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "hostile"
CORPUS = sorted(p.name for p in HOSTILE.glob("*.yaml"))

LEAKY = ("FORCE_COLOR", "NO_COLOR", "TERM", "COLUMNS", "CALCINOSIS_DATA", "CALCINOSIS_NO_CACHE", "PYTHONIOENCODING")
# A run that takes longer than this has hung: a guard against hangs, not a measure of speed
# (speed is measured by bench/, never asserted here).
HANG_GUARD = 120


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("calcinosis-cache")


class Run:
    def __init__(self, proc: subprocess.CompletedProcess):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr


@pytest.fixture
def calcinosis(cache_dir):
    """Run ``python -m calcinosis_cli ARGS`` in a subprocess; return its result."""

    def invoke(*args: str, timeout: float = HANG_GUARD) -> Run:
        env = {k: v for k, v in os.environ.items() if k not in LEAKY}
        env["CALCINOSIS_CACHE_DIR"] = str(cache_dir)
        proc = subprocess.run(
            [sys.executable, "-m", "calcinosis_cli", *args],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            cwd=ROOT,
            env=env,
        )
        return Run(proc)

    return invoke


def validate(calcinosis, path: Path) -> Run:
    return calcinosis("--no-bundled", "validate", str(path))


def list_rows(calcinosis, path: Path, *more: str) -> Run:
    return calcinosis("--no-bundled", "--data", str(path), "list", *more)


def assert_refused(run: Run) -> None:
    """Exit 1 by our own hand: no signal, no traceback."""
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stdout + run.stderr


def problem_lines(run: Run, path: Path) -> list[tuple[int, int, str]]:
    """validate's stdout as (line, column, message), checking every line has that shape."""
    out = []
    for line in run.stdout.splitlines():
        match = re.fullmatch(rf"{re.escape(str(path))}:(\d+):(\d+): (.+)", line)
        assert match, line
        out.append((int(match[1]), int(match[2]), match[3]))
    return out


def one_error_line(run: Run) -> str:
    """list's stderr: exactly one line, the error, returned without its prefix."""
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith("calcinosis: error: ")
    return run.stderr[len("calcinosis: error: ") :].rstrip("\n")


# --- the stored corpus ---------------------------------------------------------------------------


def readme_refusals() -> dict[str, tuple[int, int, str]]:
    """name -> (line, column, message start) for every file the corpus README marks refused."""
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    out = {}
    for match in re.finditer(r"^- `([^`]+)` — refused \[(\d+):(\d+)\], \"([^\"]+)\"", readme, re.MULTILINE):
        name, line, column, message = match.groups()
        out[name] = (int(line), int(column), message.removesuffix(" ...").removesuffix("..."))
    return out


REFUSED = readme_refusals()

# Files the README marks "parses": valid YAML that the schema layer must reject.
SCHEMA_REJECTED = {
    "list_at_root.yaml": [(1, 1, "the file must be a mapping of sections")],
    "bad_dates.yaml": [(2, 1, "the file must be a mapping of sections")],
    "implicit_types.yaml": [(line, 1, "unknown section") for line in range(2, 14)],
}


def test_every_corpus_file_has_an_expectation():
    assert len(REFUSED) == 12
    assert set(CORPUS) == set(REFUSED) | set(SCHEMA_REJECTED)


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_file_through_validate(calcinosis, name):
    path = HOSTILE / name
    run = validate(calcinosis, path)
    assert_refused(run)
    problems = problem_lines(run, path)
    if name in REFUSED:
        line, column, message = REFUSED[name]
        assert len(problems) == 1
        assert problems[0][:2] == (line, column)
        assert problems[0][2].startswith(message), problems[0]
    else:
        expected = SCHEMA_REJECTED[name]
        assert [p[:2] for p in problems] == [e[:2] for e in expected]
        assert all(p[2].startswith(e[2]) for p, e in zip(problems, expected, strict=True)), problems
    noun = "problem" if len(problems) == 1 else "problems"
    assert run.stderr == f"calcinosis: {len(problems)} {noun} in 1 file of yours with the bundled vocabulary\n"


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_file_through_list(calcinosis, name):
    path = HOSTILE / name
    run = list_rows(calcinosis, path)
    assert_refused(run)
    error = one_error_line(run)
    line, column, message = REFUSED[name] if name in REFUSED else SCHEMA_REJECTED[name][0]
    assert error.startswith(f"{path}:{line}:{column}: {message}"), error


def test_python_tag_payload_does_not_run(calcinosis, tmp_path):
    marker = tmp_path / "pwned"
    payload = tmp_path / "payload.yaml"
    payload.write_text(
        f"studies:\n  - id: x\n    dose: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    # The canary is real: an unsafe loader does create the marker.
    yaml.unsafe_load(payload.read_text(encoding="utf-8"))
    assert marker.exists()
    marker.unlink()

    for run in (validate(calcinosis, payload), list_rows(calcinosis, payload, "-f", "json")):
        assert_refused(run)
        assert f"{payload}:3:11: tags are not allowed (found '!!python/object/apply:os.system')" in (
            run.stdout + run.stderr
        )
        assert not marker.exists()


# --- generated hostile files ---------------------------------------------------------------------


def test_deep_brackets_100kb_refused_at_the_65th_level(calcinosis, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_bytes(b"[" * 50_000 + b"]" * 50_000)
    assert path.stat().st_size == 100_000
    checked = validate(calcinosis, path)
    assert_refused(checked)
    assert checked.stdout == f"{path}:1:65: nesting is deeper than 64 levels\n"
    listed = list_rows(calcinosis, path)
    assert_refused(listed)
    assert one_error_line(listed) == f"{path}:1:65: nesting is deeper than 64 levels"


def test_generated_billion_laughs_refused_quickly(calcinosis, tmp_path):
    lines = ["studies:", '  - &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 12):
        lines.append(f"  - &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for run in (validate(calcinosis, path), list_rows(calcinosis, path)):
        assert_refused(run)
        assert f"{path}:2:5: anchors and aliases are not allowed" in run.stdout + run.stderr


def big_dataset(count: int) -> str:
    head = [
        "treatments:",
        "  - id: thing",
        "    class: procedure",
        "references:",
        "  - id: ref",
        "    authors: [Author A]",
        "    title: Generated",
        "    journal: J",
        "    year: 2000",
        "studies:",
    ]
    record = (
        "  - id: s{i}\n    source: user\n    treatment_printed: Thing {i}\n    treatment: thing\n    n: 1\n"
        "    reference: ref\n    design: case report\n    tally: {{improved: 1}}\n"
    )
    return "\n".join(head) + "\n" + "".join(record.format(i=i) for i in range(count))


def test_twenty_thousand_valid_studies_validate_and_list_in_bounded_time(calcinosis, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(big_dataset(20_000), encoding="utf-8")
    checked = validate(calcinosis, path)
    assert checked.returncode == 0, checked.stderr[-2000:]
    assert (
        checked.stdout == "ok: 1 file of yours with the bundled vocabulary: 20000 studies, 1 reference, no problems\n"
    )
    listed = list_rows(calcinosis, path, "-f", "jsonl", "-c", "id")
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert listed.stderr == ""
    ids = [json.loads(line)["id"] for line in listed.stdout.splitlines()]
    assert len(ids) == 20_000
    assert (ids[0], ids[-1]) == ("s0", "s19999")


# --- implicit typing -----------------------------------------------------------------------------

TRAPS = ["NO", "010", "1:30", "1.10", "2003-02-30", "2001-12-14", "yes", "off", ".inf", "0x_1A", "0o17", "1e3", "+12"]


def test_implicit_typing_traps_in_text_fields_print_back_as_written(calcinosis, tmp_path):
    lines = [
        "treatments:",
        "  - id: NO",
        "    class: procedure",
        "references:",
        "  - id: r",
        "    authors: [NO, 010]",
        "    title: 1:30",
        "    journal: 2003-02-30",
        "    year: 2001",
        "    volume: 010",
        "    pages: 1.10",
        "studies:",
    ]
    for index, trap in enumerate(TRAPS):
        lines += [
            f"  - id: trap{index}",
            "    source: user",
            f"    treatment_printed: {trap}",
            "    treatment: NO",
            f"    dose: {trap}",
            f"    phase: {trap}",
            "    n: 1",
            f"    diagnosis_printed: {trap}",
            f"    outcome_printed: {trap}",
            "    reference: r",
            "    design: case report",
            "    tally: {improved: 1}",
            f"    notes: [{trap}]",
        ]
    path = tmp_path / "traps.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    columns = "id,treatment,treatment_printed,dose,phase,diagnosis,outcome,notes,authors,citation"
    run = list_rows(calcinosis, path, "-f", "json", "-c", columns)
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert len(rows) == len(TRAPS)
    for trap, row in zip(TRAPS, rows, strict=True):
        for column in ("treatment_printed", "dose", "phase", "diagnosis", "outcome"):
            assert row[column] == trap, (column, row[column])
        assert row["notes"] == [trap]
        assert row["treatment"] == "NO"
        assert row["authors"] == ["NO", "010"]
        assert row["citation"] == "NO, 010. 1:30. 2003-02-30 2001;010:1.10."


INT_TRAPS = {
    "010": "expected a whole number without leading zeros, got '010'",
    "1.10": "expected a whole number, got '1.10'",
    "1:30": "expected a whole number, got '1:30'",
    "NO": "expected a whole number, got 'NO'",
    "0x_1A": "expected a whole number, got '0x_1A'",
    "1e3": "expected a whole number, got '1e3'",
    "+12": "expected a whole number, got '+12'",
    "'12'": "expected a whole number, got the quoted text '12' (remove the quotes)",
}


def test_implicit_typing_traps_in_an_int_field_are_rejected(calcinosis, tmp_path):
    lines = ["studies:"]
    for index, trap in enumerate(INT_TRAPS):
        lines += [
            f"  - id: n{index}",
            "    source: user",
            "    treatment_printed: W",
            "    treatment: warfarin",
            f"    n: {trap}",
            "    reference: berger1987",
            "    design: case report",
            "    tally: {improved: 1}",
        ]
    path = tmp_path / "ints.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = calcinosis("validate", str(path))  # with the bundled data: warfarin and berger1987 resolve
    assert_refused(run)
    problems = problem_lines(run, path)
    assert len(problems) == len(INT_TRAPS)
    for index, ((trap, message), (line, column, text)) in enumerate(zip(INT_TRAPS.items(), problems, strict=True)):
        assert (line, column) == (2 + 8 * index + 4, 8), (trap, line, column)
        assert text == f"studies[{index}] 'n{index}' field 'n': {message}"
    listed = calcinosis("--data", str(path), "list")
    assert_refused(listed)
    assert one_error_line(listed).startswith(f"{path}:6:8: studies[0] 'n0' field 'n': {INT_TRAPS['010']} (and ")


# --- structural refusals -------------------------------------------------------------------------

STRUCTURE = {
    "invalid-utf8": (b"studies:\n  - id: Sa\xefag\n", 2, 11, "not valid UTF-8 (byte 0xef at offset 19)"),
    "utf16": ("studies: []\n".encode("utf-16"), 1, 1, "not valid UTF-8 (byte 0xff at offset 0)"),
    "empty": (b"", 1, 1, "file is empty"),
    "whitespace-only": (b"\n\n   \n", 1, 1, "file is empty"),
    "two-documents": (b"studies: []\n---\nstudies: []\n", 2, 1, "more than one YAML document"),
    "list-at-root": (b"- studies\n", 1, 1, "the file must be a mapping of sections"),
    "scalar-at-root": (b"just text\n", 1, 1, "the file must be a mapping of sections"),
    "list-for-dataset": (b"dataset: [a, b]\n", 1, 10, "dataset: expected a mapping of fields, got a list"),
    "list-for-study": (b"studies:\n  - [a, b]\n", 2, 5, "studies[0]: expected a mapping of fields, got a list"),
    "list-for-tally": (
        # The study's treatment and reference resolve, so the tally is its only problem.
        b"treatments:\n  - id: w\n    class: procedure\nreferences:\n  - id: r\n    authors: [A B]\n"
        b"    title: T\n    journal: J\n    year: 2000\n"
        b"studies:\n  - id: x\n    source: user\n    treatment_printed: W\n    treatment: w\n    n: 1\n"
        b"    reference: r\n    design: case report\n    tally: [1, 2]\n",
        18,
        12,
        "studies[0] 'x' field 'tally': expected a mapping of outcome counts, got a list",
    ),
    "mapping-for-section": (
        b"studies: {id: x}\n",
        1,
        10,
        "section 'studies': expected a list of records, got a mapping",
    ),
}


@pytest.mark.parametrize("case", sorted(STRUCTURE))
def test_structural_problem_is_refused_with_one_line(calcinosis, tmp_path, case):
    data, line, column, message = STRUCTURE[case]
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(data)
    listed = list_rows(calcinosis, path)
    assert_refused(listed)
    error = one_error_line(listed)
    assert error.startswith(f"{path}:{line}:{column}: {message}"), error
    checked = validate(calcinosis, path)
    assert_refused(checked)
    assert len(problem_lines(checked, path)) == 1
    assert checked.stdout.startswith(f"{path}:{line}:{column}: {message}")


@pytest.mark.parametrize("content", [b"a: [\n", b"studies:\n  - id: x\n"], ids=["yaml-error", "schema-error"])
def test_a_file_name_with_a_newline_keeps_each_message_on_one_line(calcinosis, tmp_path, content):
    path = tmp_path / "my\nstudies.yaml"
    path.write_bytes(content)
    listed = list_rows(calcinosis, path)
    assert listed.returncode == 1
    assert listed.stderr.count("\n") == 1, listed.stderr
    checked = validate(calcinosis, path)
    assert checked.returncode == 1
    count = int(re.search(r"calcinosis: (\d+) problems? in", checked.stderr)[1])
    assert checked.stdout.count("\n") == count, checked.stdout


# --- size limit (in-process: a monkeypatch cannot cross into a subprocess) -------------------------


def test_file_over_the_size_limit_is_refused_by_check_files(monkeypatch, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("studies:\n" + "# padding\n" * 30, encoding="utf-8")
    size = path.stat().st_size
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 100)
    merged, problems = load.check_files([path])
    assert [str(p) for p in problems] == [
        f"{path}: file is too large ({size} bytes; the limit is 100 bytes = {100 / 1048576:g} MiB)"
    ]
    assert merged["studies"] == {}
    # Under the limit the same file is fine.
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", size)
    assert load.check_files([path])[1] == []


def test_file_over_the_size_limit_through_the_cli(monkeypatch, tmp_path, cache_dir):
    # A limit the bundled vocabulary (always read) stays under, and the user's file does not.
    from calcinosis_cli.dataset.files import vocabulary_path

    limit = os.path.getsize(vocabulary_path()) + 10
    path = tmp_path / "big.yaml"
    path.write_text("studies:\n" + "# padding\n" * (limit // 10 + 10), encoding="utf-8")
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", limit)
    runner = clihelp.runner({**{k: None for k in LEAKY}, "CALCINOSIS_CACHE_DIR": str(tmp_path / "cache")})
    checked = runner.invoke(cli, ["--no-bundled", "validate", str(path)])
    assert checked.exit_code == 1
    assert checked.stdout.startswith(f"{path}: file is too large (")
    listed = runner.invoke(cli, ["--no-bundled", "--data", str(path), "list"])
    assert listed.exit_code == 1
    assert listed.stderr.startswith(f"calcinosis: error: {path}: file is too large (")
    assert listed.stderr.count("\n") == 1


# --- --debug is the only way to a traceback ------------------------------------------------------


def test_debug_shows_a_traceback_and_nothing_else_does(calcinosis):
    path = HOSTILE / "syntax_error.yaml"
    plain = list_rows(calcinosis, path)
    assert_refused(plain)
    debug = calcinosis("--debug", "--no-bundled", "--data", str(path), "list")
    assert debug.returncode not in (0, None)
    assert debug.returncode > 0  # an exception, not a signal
    assert "Traceback (most recent call last)" in debug.stderr
    assert "DataError" in debug.stderr
    assert f"{path}:2:20: could not parse YAML" in debug.stderr


# --- input that never ends ------------------------------------------------------------------------

CONSOLE_SCRIPT = Path(sys.executable).parent / "calcinosis"
MEMORY_SCRIPT = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120)
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(proc.returncode, round(peak_mb), repr(proc.stdout), repr(proc.stderr), sep="\\n")
"""


def run_measured(args: list[str], env: dict | None = None) -> tuple[int, int, str, str]:
    """Run the console script; its exit code, peak memory (MB), stdout and stderr."""
    base = {k: v for k, v in os.environ.items() if k not in LEAKY}
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(CONSOLE_SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        env={**base, **(env or {})},
    )
    code, peak, out, err = result.stdout.splitlines()
    return int(code), int(peak), eval(out), eval(err)  # noqa: S307 - our own repr() output


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--data", "/dev/zero", "list"], {}),
        (["list", "--data", "/dev/urandom"], {}),
        (["list"], {"CALCINOSIS_DATA": "/dev/zero"}),
        (["validate", "/dev/zero"], {}),
    ],
    ids=["--data", "--data-after-the-command", "CALCINOSIS_DATA", "validate"],
)
def test_a_device_that_never_ends_is_too_large_in_bounded_memory(tmp_path, args, env):
    assert CONSOLE_SCRIPT.exists(), "install the package (pip install .) to run the console script"
    code, peak_mb, out, err = run_measured(args, {"CALCINOSIS_CACHE_DIR": str(tmp_path), **env})
    assert code == 1
    device = "/dev/zero" if "/dev/zero" in args + list(env.values()) else "/dev/urandom"
    assert f"{device}: file is too large (more than" in out + err
    assert (out + err).count("too large") == 1 and "Traceback" not in out + err
    assert peak_mb < 100


def test_a_fifo_with_a_writer_is_read(tmp_path):
    fifo = tmp_path / "data.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [str(CONSOLE_SCRIPT), "--data", str(fifo), "list", "-t", "diltiazem", "-c", "id"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CALCINOSIS_CACHE_DIR": str(tmp_path / "cache")},
    )
    with open(fifo, "w", encoding="utf-8") as writer:  # opens once the reader has
        writer.write((ROOT / "examples" / "my-studies.yaml").read_text(encoding="utf-8"))
    out, err = proc.communicate(timeout=HANG_GUARD)
    assert proc.returncode == 0, err
    assert out.splitlines()[-1] == "example2024-diltiazem"


def test_a_fifo_without_a_writer_says_what_it_waits_for(tmp_path):
    fifo = tmp_path / "data.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [str(CONSOLE_SCRIPT), "--data", str(fifo), "list", "-t", "diltiazem", "-c", "id"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CALCINOSIS_CACHE_DIR": str(tmp_path / "cache")},
    )
    notice = proc.stderr.readline()  # blocks until the notice is written
    assert notice.startswith("calcinosis: waiting for data on the FIFO ")
    assert str(fifo) in notice
    with open(fifo, "w", encoding="utf-8") as writer:
        writer.write((ROOT / "examples" / "my-studies.yaml").read_text(encoding="utf-8"))
    out, err = proc.communicate(timeout=HANG_GUARD)
    assert proc.returncode == 0, err
    assert out.splitlines()[-1] == "example2024-diltiazem"
