"""The CLI as a process in a real environment: pipes, terminals, colour, encodings, completion.

Every run is a subprocess with a controlled environment (and, where a terminal matters, a
pseudo-terminal), so what is checked is what a user's shell would see.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import tablehelp

ROOT = Path(__file__).resolve().parent.parent

LEAKY = (
    "FORCE_COLOR",
    "NO_COLOR",
    "TERM",
    "COLUMNS",
    "LINES",
    "COLORTERM",
    "CALCINOSIS_DATA",
    "CALCINOSIS_NO_CACHE",
    "PYTHONIOENCODING",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "_CALCINOSIS_COMPLETE",
    "COMP_WORDS",
    "COMP_CWORD",
)
ANSI = "\x1b["
TEXT_FORMATS = ["csv", "tsv", "json", "jsonl", "markdown", "plain"]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("calcinosis-cache")


def environment(cache_dir: Path, extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in LEAKY}
    env["CALCINOSIS_CACHE_DIR"] = str(cache_dir)
    env.update(extra or {})
    return env


def command(*args: str, python_flags: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, *python_flags, "-m", "calcinosis_cli", *args]


class Result:
    def __init__(self, returncode: int, stdout: bytes, stderr: bytes):
        self.returncode = returncode
        self.raw = stdout
        self.stdout = stdout.decode("utf-8", "replace")
        self.stderr = stderr.decode("utf-8", "replace")


def run_all(cache_dir: Path, jobs: list[tuple[list[str], dict]], python_flags=()) -> list[Result]:
    """Run several CLI invocations at once (stdout a pipe); return their results in order."""
    procs = [
        subprocess.Popen(
            command(*args, python_flags=python_flags),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=environment(cache_dir, env),
        )
        for args, env in jobs
    ]
    results = []
    for proc in procs:
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
        results.append(Result(proc.returncode, out, err))
    return results


def run(cache_dir: Path, *args: str, env: dict | None = None) -> Result:
    return run_all(cache_dir, [(list(args), env or {})])[0]


def run_in_pty(cache_dir: Path, *args: str, env: dict | None = None) -> Result:
    """Run with stdout on a pseudo-terminal (stderr stays a pipe); output with CR LF as LF."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            command(*args),
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=environment(cache_dir, env),
        )
    finally:
        os.close(slave)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                proc.kill()
                raise AssertionError("no output from the terminal for 30 s")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    err = proc.stderr.read()
    proc.stderr.close()
    proc.wait(timeout=30)
    return Result(proc.returncode, b"".join(chunks).replace(b"\r\n", b"\n"), err)


# --- a reader that goes away ---------------------------------------------------------------------

MANY = 5000


@pytest.fixture(scope="module")
def many_studies(tmp_path_factory) -> Path:
    record = (
        "  - id: many-{i}\n    source: user\n    treatment_printed: Warfarin {i} — ☃\n    treatment: warfarin\n"
        "    n: 1\n    reference: berger1987\n    design: case report\n    tally: {{improved: 1}}\n"
    )
    path = tmp_path_factory.mktemp("many") / "many.yaml"
    path.write_text("studies:\n" + "".join(record.format(i=i) for i in range(MANY)), encoding="utf-8")
    return path


PIPE_CASES = {
    "json": (["list", "-f", "json"], {}),
    "default-in-a-pipe": (["list"], {}),
    "csv": (["list", "-f", "csv"], {}),
    "jsonl": (["list", "-f", "jsonl"], {}),
    "markdown": (["list", "-f", "markdown"], {}),
    "forced-rich-table": (["list", "-f", "table", "--limit", "1500"], {"FORCE_COLOR": "1"}),
}
PIPE_BUFFER = 65536


def test_the_pipe_tests_write_far_more_than_a_pipe_holds(cache_dir, many_studies):
    results = run_all(cache_dir, [(["--data", str(many_studies), *args], env) for args, env in PIPE_CASES.values()])
    for name, result in zip(PIPE_CASES, results, strict=True):
        assert result.returncode == 0, (name, result.stderr)
        assert len(result.raw) > 4 * PIPE_BUFFER, (name, len(result.raw))


@pytest.mark.parametrize("buffering", ["buffered", "unbuffered"])
@pytest.mark.parametrize("case", list(PIPE_CASES))
def test_reader_closing_the_pipe_after_one_line_is_exit_0_and_silent(cache_dir, many_studies, case, buffering):
    args, env = PIPE_CASES[case]
    env = environment(cache_dir, env)
    env.pop("PYTHONUNBUFFERED", None)
    if buffering == "unbuffered":
        env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen(
        command("--data", str(many_studies), *args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read()
    proc.stderr.close()
    code = proc.wait(timeout=60)
    assert first.strip()
    assert code == 0
    assert err == b"", err.decode("utf-8", "replace")


# --- colour --------------------------------------------------------------------------------------

TABLE_ARGS = ("list", "-t", "warfarin", "-c", "treatment,dose,n,outcome")


def test_a_terminal_gets_a_coloured_rich_table_by_default(cache_dir):
    # The control for the two tests below: without NO_COLOR or TERM=dumb there is colour.
    result = run_in_pty(cache_dir, *TABLE_ARGS, env={"TERM": "xterm-256color", "COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert ANSI in result.stdout
    assert tablehelp.header(re.sub(r"\x1b\[[0-9;]*m", "", result.stdout))[0] == "treatment"


def test_no_color_on_a_terminal_gives_the_table_without_ansi(cache_dir):
    result = run_in_pty(cache_dir, *TABLE_ARGS, env={"TERM": "xterm-256color", "COLUMNS": "100", "NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert tablehelp.header(result.stdout)[0] == "treatment"
    assert "\x1b" not in result.stdout


def test_term_dumb_on_a_terminal_gives_plain_text_without_ansi(cache_dir):
    result = run_in_pty(cache_dir, *TABLE_ARGS, env={"TERM": "dumb", "COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "│" not in result.stdout
    assert result.stdout.splitlines()[0].split() == ["treatment", "dose", "n", "outcome"]


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_force_color_never_puts_ansi_into_text_formats_even_on_a_terminal(cache_dir, fmt):
    forced = run_in_pty(cache_dir, "list", "-f", fmt, env={"FORCE_COLOR": "1", "TERM": "xterm-256color"})
    assert forced.returncode == 0, forced.stderr
    assert "\x1b" not in forced.stdout
    piped = run(cache_dir, "list", "-f", fmt, env={"FORCE_COLOR": "1"})
    assert piped.returncode == 0
    assert "\x1b" not in piped.stdout
    assert forced.stdout == piped.stdout


def test_force_color_with_format_table_in_a_pipe_draws_a_coloured_rich_table(cache_dir):
    forced, unforced, forced_default = run_all(
        cache_dir,
        [
            (list(TABLE_ARGS) + ["-f", "table"], {"FORCE_COLOR": "1"}),
            (list(TABLE_ARGS) + ["-f", "table"], {}),
            (list(TABLE_ARGS), {"FORCE_COLOR": "1"}),
        ],
    )
    assert forced.returncode == 0
    assert "│" in forced.stdout and ANSI in forced.stdout
    # Without FORCE_COLOR a pipe gets the table asked for, without colour ...
    assert "│" in unforced.stdout and "\x1b" not in unforced.stdout
    # ... and without --format table a pipe gets plain text even with FORCE_COLOR.
    assert "│" not in forced_default.stdout and "\x1b" not in forced_default.stdout


def test_no_color_beats_force_color_in_a_pipe(cache_dir):
    result = run(cache_dir, *TABLE_ARGS, "-f", "table", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert result.returncode == 0
    assert "\x1b" not in result.stdout


# --- COLUMNS -------------------------------------------------------------------------------------


def test_columns_sets_the_width_of_the_rich_table(cache_dir):
    widths = {}
    for columns in (60, 120):
        result = run_in_pty(cache_dir, *TABLE_ARGS, env={"COLUMNS": str(columns), "TERM": "xterm", "NO_COLOR": "1"})
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert tablehelp.header(result.stdout) == ["treatment", "dose", "n", "outcome"]
        assert "…" not in result.stdout
        widths[columns] = max(len(line) for line in lines)
    assert widths[60] == 60
    assert 60 < widths[120] <= 120


# --- narrow output encodings ---------------------------------------------------------------------

ENCODING_ENVS = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "c-locale": {"LANG": "C", "LC_ALL": "C"},
    "c-locale-ascii": {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
}
ALL_FORMATS = [None, "table", "plain", "markdown", "csv", "tsv", "json", "jsonl", "grid"]


@pytest.mark.parametrize("name", list(ENCODING_ENVS))
def test_narrow_encodings_never_traceback(cache_dir, name):
    jobs = [(["list"] + (["-f", fmt] if fmt else []), ENCODING_ENVS[name]) for fmt in ALL_FORMATS]
    jobs += [
        (["show", "lassoued1988-warfarin"], ENCODING_ENVS[name]),
        (["report", "--date", "2020-01-01"], ENCODING_ENVS[name]),
        (["cite", "-s", "bibtex"], ENCODING_ENVS[name]),
        (["group", "--by", "class"], ENCODING_ENVS[name]),
    ]
    for (args, _env), result in zip(jobs, run_all(cache_dir, jobs), strict=True):
        assert result.returncode == 0, (args, result.stderr)
        assert result.stderr == "", (args, result.stderr)
        assert "Traceback" not in result.stdout
        assert len(result.raw) > 100, args


def test_latin1_csv_with_characters_latin1_lacks_is_a_one_line_error(cache_dir):
    csv_run, tsv_run = run_all(
        cache_dir,
        [
            (["list", "-f", "csv"], {"PYTHONIOENCODING": "latin-1"}),
            (["list", "-f", "tsv"], {"PYTHONIOENCODING": "latin-1"}),
        ],
    )
    for fmt, result in (("csv", csv_run), ("tsv", tsv_run)):
        assert result.returncode == 1
        assert result.raw == b""
        assert result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"calcinosis: error: cannot write {fmt}: the output encoding (")
        assert "PYTHONIOENCODING=utf-8" in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_latin1_json_is_valid_json_with_unicode_escapes(cache_dir, fmt):
    narrow, wide = run_all(
        cache_dir, [(["list", "-f", fmt], {"PYTHONIOENCODING": "latin-1"}), (["list", "-f", fmt], {})]
    )
    assert narrow.returncode == 0, narrow.stderr
    text = narrow.raw.decode("latin-1")
    assert text.isascii()
    assert "\\u2014" in text or "\\u2020" in text
    if fmt == "json":
        assert json.loads(text) == json.loads(wide.raw.decode("utf-8"))
    else:
        parse = [json.loads(line) for line in text.splitlines()]
        assert parse == [json.loads(line) for line in wide.raw.decode("utf-8").splitlines()]


# --- shell completion ----------------------------------------------------------------------------

COMPLETIONS = {
    "treatment": ("calcinosis list --treatment war", 3, "war", "warfarin"),
    "treatment-alias": ("calcinosis list -t coum", 3, "coum", "coumadin"),
    "diagnosis": ("calcinosis list --diagnosis derm", 3, "derm", "dermatomyositis"),
    "format": ("calcinosis list --format gi", 3, "gi", "github"),
    "subcommand": ("calcinosis li", 1, "li", "list"),
}


def completion_env(words: str, cword: int) -> dict:
    return {"_CALCINOSIS_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}


def test_shell_completion(cache_dir):
    jobs = [([], completion_env(words, cword)) for words, cword, _, _ in COMPLETIONS.values()]
    for (name, (_w, _c, prefix, expected)), result in zip(COMPLETIONS.items(), run_all(cache_dir, jobs), strict=True):
        assert result.returncode == 0, (name, result.stderr)
        assert result.stderr == ""
        offered = result.stdout.splitlines()
        assert f"plain,{expected}" in offered, (name, offered)
        assert all(line.startswith("plain,") and line[6:].casefold().startswith(prefix) for line in offered)


def test_completion_offers_a_treatment_from_the_users_data_file(cache_dir, tmp_path):
    path = tmp_path / "own.yaml"
    path.write_text("treatments:\n  - id: thiosulfate\n    class: procedure\n", encoding="utf-8")
    by_option, by_env = run_all(
        cache_dir,
        [
            ([], completion_env(f"calcinosis --data {path} list -t thio", 5)),
            ([], {**completion_env("calcinosis list -t thio", 3), "CALCINOSIS_DATA": str(path)}),
        ],
    )
    assert by_option.stdout.splitlines() == ["plain,thiosulfate"]
    assert by_env.stdout.splitlines() == ["plain,thiosulfate"]


def test_completion_with_a_broken_data_file_offers_nothing_and_stays_silent(cache_dir):
    broken = ROOT / "tests" / "hostile" / "syntax_error.yaml"
    # Quoted as a shell would quote it: the checkout's path may hold a space.
    result = run(cache_dir, env=completion_env(f"calcinosis --data {shlex.quote(str(broken))} list -t war", 5))
    assert result.returncode == 0
    assert result.stdout.strip() == ""  # bash_complete prints an empty line for "no candidates"
    assert result.stderr == ""


def imported_modules(importtime_stderr: str) -> set[str]:
    """Module names from ``python -X importtime`` output."""
    names = set()
    for line in importtime_stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", line)
        if match:
            names.add(match[1])
    return names


def test_completion_with_a_warm_cache_does_not_parse_yaml(tmp_path):
    own_cache = tmp_path / "cache"
    env = completion_env("calcinosis list --treatment war", 3)
    cold = run_all(own_cache, [([], env)], python_flags=("-X", "importtime"))[0]
    assert cold.stdout.splitlines() == ["plain,warfarin"]
    assert "yaml" in imported_modules(cold.stderr)  # the check below can see a YAML import
    assert list(own_cache.glob("*.dataset")), "the first run stored the parsed dataset"
    warm = run_all(own_cache, [([], env)], python_flags=("-X", "importtime"))[0]
    assert warm.returncode == 0
    assert warm.stdout.splitlines() == ["plain,warfarin"]
    modules = imported_modules(warm.stderr)
    assert "calcinosis_cli" in modules
    assert not {m for m in modules if m == "yaml" or m.startswith(("yaml.", "_yaml"))}


# --- exit codes and help -------------------------------------------------------------------------


def test_exit_codes(cache_dir, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("studies:\n  - id: x\n    n: three\n", encoding="utf-8")
    unreadable = tmp_path / "unreadable.yaml"
    unreadable.write_text("studies:\n", encoding="utf-8")
    unreadable.chmod(0)
    missing = tmp_path / "missing.yaml"
    empty = tmp_path / "empty"  # a folder is read for its *.yaml files; one with none is a usage error
    empty.mkdir()
    # Every error is one line that starts like this and names what is wrong (the words of
    # click's own messages are click's; what is checked is that they are one line, here).
    cases = [
        (["list", "--no-such-option"], 2, ["--no-such-option", "(see 'calcinosis list --help')"]),
        (["lst"], 2, ["no such command 'lst'; did you mean 'list'?"]),
        (["list", "--min-n", "many"], 2, ["--min-n", "many"]),
        (["list", "-t", "warfrin"], 2, ["unknown treatment 'warfrin'"]),
        (["--no-bundled", "list"], 2, ["no data"]),
        (["--data", str(missing), "list"], 2, [str(missing)]),
        (["list", "--data", str(empty)], 2, [str(empty), "no *.yaml files"]),
        (["validate", str(missing)], 2, [str(missing)]),
        (["schema", "--debug", "--no-such-option"], 2, ["--no-such-option"]),
        (["--debug", "list", "-t", "warfrin"], 2, ["unknown treatment 'warfrin'"]),
        (["--data", str(broken), "list"], 1, [f"{broken}:"]),
        (["list", "-t", "warfarin", "-f", "json"], 0, []),
        (["schema", "--debug"], 0, []),
    ]
    if os.geteuid() != 0:  # root reads any file
        cases.append((["--data", str(unreadable), "list"], 2, [str(unreadable)]))
    results = run_all(cache_dir, [(args, {}) for args, _, _ in cases])
    for (args, code, fragments), result in zip(cases, results, strict=True):
        assert result.returncode == code, (args, result.stderr)
        assert "Traceback" not in result.stderr
        if code:
            assert result.stdout == ""
            assert result.stderr.startswith("calcinosis: error: "), (args, result.stderr)
            assert result.stderr.count("\n") == 1, (args, result.stderr)
            for fragment in fragments:
                assert fragment in result.stderr, (args, result.stderr)
        else:
            assert result.stderr == ""
            assert result.stdout.strip()


def test_group_help_mentions_no_medical_advice_and_the_exit_codes(cache_dir):
    result = run(cache_dir, "--help", env={"COLUMNS": "80"})
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "no medical advice" in text
    assert "Exit codes: 0 success, 1 data or validation error, 2 usage error." in text
    assert result.stderr == ""
