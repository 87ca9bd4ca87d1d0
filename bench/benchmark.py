#!/usr/bin/env python3
"""Whole-process benchmark of the calcinosis CLI: start-up floors, bundled data, peers, scaling.

    python3 bench/benchmark.py                 # full run (a few minutes)
    python3 bench/benchmark.py --quick         # 5 runs, 1,000 and 10,000 studies only
    python3 bench/benchmark.py --json out.json # also save every sample

Every case is a separate process started with subprocess.Popen; its stdout goes to a pipe
that is read and discarded. Wall time is time.perf_counter() around start and os.wait4(),
and peak memory is the ru_maxrss that os.wait4() returns for that child (for a bash
pipeline: the largest process in it). See bench/README.md for what each case means.
"""

from __future__ import annotations

import argparse
import json
import marshal
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
# Environment variables of the tool (and colour switches) that would change what is measured.
_SCRUB = (
    "CALCINOSIS_NO_CACHE",
    "CALCINOSIS_CACHE_DIR",
    "CALCINOSIS_DATA",
    "NO_COLOR",
    "FORCE_COLOR",
    "COLUMNS",
    "PYTHONDONTWRITEBYTECODE",
)
TIMEOUT = 900.0  # seconds, per process
# The floor for reading YAML in Python: libyaml's event stream over the same bytes, consumed and
# discarded (what any reader built on PyYAML's C parser pays before it keeps anything).
LIBYAML_FLOOR = (
    "import sys, yaml\n"
    "for path in sys.argv[1:]:\n"
    "    data = open(path, 'rb').read()\n"
    "    for _ in yaml.parse(data, Loader=yaml.CSafeLoader):\n"
    "        pass\n"
)


# --- running one process ----------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    maxrss_kb: int
    out_bytes: int


@dataclass
class Case:
    name: str
    argv: list[str]
    env: dict[str, str]
    group: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""
    fresh_cache: bool = False  # point CALCINOSIS_CACHE_DIR at a new empty folder before each run
    before: Callable[[], None] | None = None  # called before each run, untimed (edit a file)

    def seconds(self) -> list[float]:
        return [s.seconds for s in self.samples]

    def rss(self) -> list[int]:
        return [s.maxrss_kb for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds())

    @property
    def rss_median(self) -> float:
        return statistics.median(self.rss())


class CommandFailed(RuntimeError):
    pass


# Peak RSS needs care: a child's ru_maxrss starts at the RSS of the process that forked it (Linux
# copies the parent's high-water mark at fork/exec), so children forked from this ~18 MB script
# would never report less than ~18 MB. Every measured process is therefore started by this tiny
# launcher (python -I -S, builtin modules only, ~9 MB), which forks, execs, drains the child's
# stdout, times it with perf_counter and reaps it with os.wait4.
LAUNCHER = r"""
import _signal, marshal, os, sys, time
inp, out = sys.stdin.buffer, sys.stdout.buffer
child = 0
def expire(signum, frame):
    if child:
        os.kill(child, 9)
_signal.signal(_signal.SIGALRM, expire)
while True:
    head = inp.read(8)
    if len(head) < 8:
        break
    argv, env, cwd, errpath, timeout = marshal.loads(inp.read(int.from_bytes(head, "little")))
    r, w = os.pipe()
    start = time.perf_counter()
    child = os.fork()
    if child == 0:
        try:
            os.dup2(w, 1)
            os.dup2(os.open(errpath, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.closerange(3, 4096)
            os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    os.close(w)
    _signal.alarm(timeout)
    size = 0
    while True:
        chunk = os.read(r, 1 << 16)
        if not chunk:
            break
        size += len(chunk)
    os.close(r)
    _pid, status, usage = os.wait4(child, 0)
    elapsed = time.perf_counter() - start
    _signal.alarm(0)
    child = 0
    reply = marshal.dumps((elapsed, usage.ru_maxrss, size, os.waitstatus_to_exitcode(status)))
    out.write(len(reply).to_bytes(8, "little") + reply)
    out.flush()
"""


class Launcher:
    """The process that starts every measured command (see LAUNCHER)."""

    def __init__(self, workdir: Path):
        self.errpath = str(workdir / "stderr.txt")
        self.proc = subprocess.Popen(
            [PYTHON, "-I", "-S", "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def run(self, argv: list[str], env: dict[str, str], cwd: Path = ROOT) -> Sample:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        request = marshal.dumps((argv, env, str(cwd), self.errpath, int(TIMEOUT)))
        self.proc.stdin.write(len(request).to_bytes(8, "little") + request)
        self.proc.stdin.flush()
        head = self.proc.stdout.read(8)
        if len(head) < 8:
            raise RuntimeError("the launcher process died")
        elapsed, maxrss, size, code = marshal.loads(self.proc.stdout.read(int.from_bytes(head, "little")))
        if code != 0:
            message = Path(self.errpath).read_text(encoding="utf-8", errors="replace").strip()[-2000:]
            raise CommandFailed(f"exit {code}: {shlex.join(argv)}\n{message}")
        return Sample(elapsed, maxrss, size)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


LAUNCH: Launcher | None = None


def run_once(argv: list[str], env: dict[str, str], cwd: Path = ROOT) -> Sample:
    """Run argv to completion with stdout piped (read and discarded); time it and take its peak RSS."""
    assert LAUNCH is not None, "start the launcher first"
    return LAUNCH.run(argv, env, cwd)


def run_case(case: Case, workdir: Path) -> None:
    if case.before is not None:
        case.before()
    env = dict(case.env)
    if case.fresh_cache:
        env["CALCINOSIS_CACHE_DIR"] = tempfile.mkdtemp(prefix="cold-cache-", dir=workdir)
    case.samples.append(run_once(case.argv, env))
    if case.fresh_cache:
        shutil.rmtree(env["CALCINOSIS_CACHE_DIR"], ignore_errors=True)


# --- finding things -------------------------------------------------------------------------


def find_tool(name: str) -> str | None:
    """The tool in this interpreter's scripts folder first (skips pyenv shims), else on PATH."""
    scripts = Path(sysconfig.get_path("scripts")) / name
    if scripts.is_file() and os.access(scripts, os.X_OK):
        return str(scripts)
    return shutil.which(name)


def calcinosis_command() -> tuple[list[str], str]:
    found = find_tool("calcinosis")
    if found:
        return [found], f"console script {found}"
    return [PYTHON, "-m", "calcinosis_cli"], f"`{PYTHON} -m calcinosis_cli` (no calcinosis console script installed)"


def base_env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    # The checkout first, so `python -m calcinosis_cli` runs this tree; an installed console script
    # imports what its interpreter has installed (reported at the top).
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env["XDG_CACHE_HOME"] = str(workdir / "xdg-cache")
    # Bytecode is written (once, by the warm-up runs) under the work folder, never into the
    # checkout, and is always current: every case runs compiled code, as after a pip install.
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    env["TERM"] = os.environ.get("TERM", "xterm")
    return env


def source_fingerprint() -> str:
    """A short hash of the package's code and bundled data, to notice edits made during a run."""
    import hashlib

    digest = hashlib.sha256()
    for folder, pattern in ((ROOT / "calcinosis_cli", "*.py"), (ROOT / "data", "*.yaml")):
        for path in sorted(folder.rglob(pattern)):
            try:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
            except OSError:
                digest.update(str(path).encode() + b"\0unreadable")
    return digest.hexdigest()[:12]


def machine_info(calcinosis: list[str], how: str, env: dict[str, str]) -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    version = subprocess.run(calcinosis + ["--version"], env=env, capture_output=True, text=True, cwd=ROOT)
    probe = (
        "import calcinosis_cli, click, yaml; "
        "print(calcinosis_cli.__file__); print(click.__version__); print(yaml.__version__, yaml.__with_libyaml__)"
    )
    if calcinosis[0] == PYTHON:
        interp = PYTHON
    else:
        first = Path(calcinosis[0]).read_text(errors="replace").splitlines()[0]
        interp = first[2:].strip().split()[0] if first.startswith("#!") else PYTHON
    libs = subprocess.run([interp, "-c", probe], env=env, capture_output=True, text=True, cwd=ROOT).stdout.split("\n")
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1048576:.1f} GiB RAM"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} logical, {usable} usable",
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_version()} ({PYTHON})",
        "calcinosis": (version.stdout or version.stderr).strip(),
        "calcinosis_from": how,
        "calcinosis_module": libs[0] if libs else "?",
        "click": libs[1] if len(libs) > 1 else "?",
        "pyyaml": (libs[2].replace(" True", " with libyaml").replace(" False", " without libyaml"))
        if len(libs) > 2
        else "?",
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# --- formatting -----------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:7.1f} ms"
    return f"{seconds:7.2f} s "


def fmt_mb(kb: float) -> str:
    return f"{kb / 1024:7.1f} MB"


def print_cases(title: str, cases: list[Case]) -> None:
    print(f"\n== {title}")
    width = max(len(c.name) for c in cases)
    print(f"{'case':<{width}}  runs      median         min         max    peak RSS (med / max)   stdout")
    for c in cases:
        if not c.samples:
            print(f"{c.name:<{width}}  skipped: {c.note}")
            continue
        t = c.seconds()
        out = c.samples[-1].out_bytes
        print(
            f"{c.name:<{width}}  {len(t):4d}  {fmt_time(c.median)}  {fmt_time(min(t))}  {fmt_time(max(t))}  "
            f"{fmt_mb(c.rss_median)} / {fmt_mb(max(c.rss()))}  {out:>9,d} B" + (f"   [{c.note}]" if c.note else "")
        )


@dataclass
class Target:
    label: str
    value: float | None
    limit: float
    unit: str = "x"
    strict: bool = False  # value < limit instead of <=

    @property
    def ok(self) -> bool | None:
        if self.value is None:
            return None
        return self.value < self.limit if self.strict else self.value <= self.limit

    def line(self) -> str:
        if self.value is None:
            return f"SKIP  {self.label}: not measured"
        rel = "<" if self.strict else "<="
        digits = 2 if self.unit == "x" else 3
        if round(self.value, digits) == self.limit:  # too close to call at the usual precision
            digits += 2
        shown = f"{self.value:.{digits}f}{self.unit}" if self.unit == "x" else f"{self.value:.{digits}f} {self.unit}"
        limit = f"{self.limit:g}{self.unit}" if self.unit == "x" else f"{self.limit:g} {self.unit}"
        verdict = "PASS" if self.ok else "MISS"
        extra = "" if self.ok else f"  ({100 * (self.value / self.limit - 1):.1f}% over the limit)"
        return f"{verdict}  {self.label}: {shown} (target {rel} {limit}){extra}"


# --- the benchmark --------------------------------------------------------------------------


def runs_for(size: int, args: argparse.Namespace) -> int:
    return args.runs if size <= 10_000 else min(args.runs, args.runs_large)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the calcinosis CLI (whole processes).")
    parser.add_argument("--runs", type=int, default=None, help="runs per case (default 15; with --quick 5)")
    parser.add_argument(
        "--runs-large",
        type=int,
        default=3,
        help="runs per case for synthetic sizes above 10,000 studies (default 3: a cold 100,000 run takes ~20 s)",
    )
    parser.add_argument("--sizes", default=None, help="synthetic dataset sizes (default 1000,10000,100000)")
    parser.add_argument("--quick", action="store_true", help="5 runs and sizes 1000,10000")
    parser.add_argument("--span-rate", type=float, default=0.05, help="synthetic sub-row share (make_synthetic.py)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="save every sample and the machine info as JSON")
    parser.add_argument("--workdir", type=Path, help="keep generated files here (default: a temporary folder)")
    parser.add_argument(
        "--folder",
        default=None,
        metavar="N/K",
        help="a dataset folder of N studies in K files (default 100000/100; with --quick 10000/100; 0 for none)",
    )
    args = parser.parse_args(argv)
    if args.runs is None:
        args.runs = 5 if args.quick else 15
    if args.runs < 1 or args.runs_large < 1:
        parser.error("--runs and --runs-large must be at least 1")
    sizes_text = args.sizes or ("1000,10000" if args.quick else "1000,10000,100000")
    sizes = sorted({int(s.replace("_", "")) for s in sizes_text.split(",") if s.strip()})
    folder_text = args.folder or ("10000/100" if args.quick else "100000/100")
    if folder_text == "0":
        args.folder_size = None
    else:
        n, _, k = folder_text.partition("/")
        args.folder_size = (int(n.replace("_", "")), int(k or 100))

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        workdir = args.workdir.resolve()
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="calcinosis-bench-")
        workdir = Path(cleanup.name)
    global LAUNCH
    LAUNCH = Launcher(workdir)
    try:
        return _run(args, sizes, workdir)
    finally:
        LAUNCH.close()
        LAUNCH = None
        if cleanup is not None:
            cleanup.cleanup()


def _run(args: argparse.Namespace, sizes: list[int], workdir: Path) -> int:
    started = time.perf_counter()
    env = base_env(workdir)
    calcinosis, how = calcinosis_command()
    info = machine_info(calcinosis, how, env)
    print("calcinosis benchmark", time.strftime("%Y-%m-%d %H:%M:%S %Z"))
    fingerprint = source_fingerprint()
    info["source"] = f"{fingerprint} (hash of calcinosis_cli/*.py and data/*.yaml in {ROOT})"
    floor = run_once(["/bin/true"], env)
    info["smallest_peak_rss"] = f"{floor.maxrss_kb / 1024:.1f} MB (/bin/true via the launcher: the floor)"
    for key, value in info.items():
        print(f"  {key:<18} {value}")
    large = [s for s in sizes if s > 10_000]
    print(
        f"  runs               {args.runs} per case"
        + (f"; {min(args.runs, args.runs_large)} for sizes above 10,000 studies" if large else "")
        + "; stdout of every process is a pipe, read and discarded"
    )

    # ---- floors, bundled data and peers, interleaved so drift hits every case alike ----
    c = calcinosis
    warfarin = ["list", "--treatment", "warfarin"]
    floors = [
        Case("python3 -c pass", [PYTHON, "-c", "pass"], env, "floor"),
        Case('python3 -c "import click"', [PYTHON, "-c", "import click"], env, "floor"),
        Case("python3 -S -c pass (no site; for information)", [PYTHON, "-S", "-c", "pass"], env, "floor"),
    ]
    bundled = [
        Case("list --treatment warfarin --format markdown", c + warfarin + ["--format", "markdown"], env, "bundled"),
        Case("list --treatment warfarin --format json", c + warfarin + ["--format", "json"], env, "bundled"),
        Case("list --treatment warfarin (default format)", c + warfarin, env, "bundled"),
        Case(
            "list --treatment warfarin --format markdown, CALCINOSIS_NO_CACHE=1",
            c + warfarin + ["--format", "markdown"],
            {**env, "CALCINOSIS_NO_CACHE": "1"},
            "bundled",
        ),
    ]
    # Warm the cache (and __pycache__) once; check every command works before timing.
    for case in floors + bundled:
        run_once(case.argv, case.env)

    csv_path = workdir / "bundled.csv"
    export = subprocess.run(c + ["list", "--format", "csv"], env=env, cwd=ROOT, capture_output=True, check=True)
    csv_path.write_bytes(export.stdout)
    rows = export.stdout.count(b"\n") - 1
    peers = []
    csvgrep, csvlook, mlr = find_tool("csvgrep"), find_tool("csvlook"), find_tool("mlr")
    csvkit = Case("csvkit: csvgrep -c treatment -m warfarin FILE.csv | csvlook", [], env, "peer")
    if csvgrep and csvlook:
        script = f"set -o pipefail; {shlex.quote(csvgrep)} -c treatment -m warfarin {shlex.quote(str(csv_path))}"
        csvkit.argv = ["bash", "-c", f"{script} | {shlex.quote(csvlook)}"]
    else:
        csvkit.note = "csvkit not installed (optional: pip install csvkit)"
    miller = Case("Miller: mlr --icsv --opprint filter '$treatment == \"warfarin\"' FILE.csv", [], env, "peer")
    if mlr:
        expr = '$treatment == "warfarin"'
        miller.argv = [
            "bash",
            "-c",
            f"set -o pipefail; {shlex.quote(mlr)} --icsv --opprint filter {shlex.quote(expr)} "
            f"{shlex.quote(str(csv_path))}",
        ]
    else:
        miller.note = "Miller not installed (optional: apt-get install miller)"
    for peer in (csvkit, miller):
        if peer.argv:
            try:
                run_once(peer.argv, peer.env)
                peers.append(peer)
            except CommandFailed as err:
                peer.note = f"failed: {err}".splitlines()[0]
    first = floors + bundled
    for _ in range(args.runs):
        for case in first + peers:
            run_case(case, workdir)
    print_cases(
        f"floors, bundled data ({rows} studies) and peers; {args.runs} runs each, interleaved",
        first + [csvkit, miller],
    )
    if csvgrep and csvlook:
        print(f"  csvkit: {csvgrep}, {csvlook}")
    if mlr:
        print(f"  Miller: {mlr}")
    print(f"  peers read {csv_path.name}: `calcinosis list --format csv` of the bundled data ({rows} rows)")

    click_floor = floors[1].median
    md, js, default, cold = bundled
    print("\n  ratios from the same run (targets use the medians; min / min is less sensitive to other load):")
    print(f"    {'':<44} {'median':>7} {'min':>7}")
    pairs = [
        ("markdown / import click", md, floors[1]),
        ("json / import click", js, floors[1]),
        ("default / import click", default, floors[1]),
        ("cold markdown (no cache) / import click", cold, floors[1]),
        ("import click / python -c pass", floors[1], floors[0]),
    ]
    if csvkit.samples:
        pairs += [("markdown / csvkit pipeline", md, csvkit), ("default / csvkit pipeline", default, csvkit)]
    if miller.samples:
        pairs.append(("markdown / Miller", md, miller))
    for label, a, b in pairs:
        print(f"    {label:<44} {a.median / b.median:7.2f} {min(a.seconds()) / min(b.seconds()):7.2f}")
    site_ms = (floors[0].median - floors[2].median) * 1000, (min(floors[0].seconds()) - min(floors[2].seconds())) * 1000
    print(f"    {'site start-up (-c pass minus -S -c pass), ms':<44} {site_ms[0]:7.1f} {site_ms[1]:7.1f}")
    added = (md.median - click_floor) * 1000, (min(md.seconds()) - min(floors[1].seconds())) * 1000
    print(f"    {'markdown - import click (ms the tool adds)':<44} {added[0]:7.1f} {added[1]:7.1f}")

    # ---- synthetic datasets ----
    synthetic: dict[int, dict[str, Case]] = {}
    for size in sizes:
        path = workdir / f"synthetic-{size}.yaml"
        gen = subprocess.run(
            [PYTHON, str(BENCH / "make_synthetic.py"), str(size), str(path), "--span-rate", str(args.span_rate)],
            capture_output=True,
            text=True,
            check=True,
        )
        gen_note = gen.stderr.strip().split(": ", 1)[-1]
        data = c + ["--no-bundled", "--data", str(path)]
        commands = {
            "list": data + ["list", "--treatment", "warfarin", "--format", "json"],
            "group": data + ["group", "--by", "treatment", "--format", "json"],
        }
        warm_env = {**env, "CALCINOSIS_CACHE_DIR": str(workdir / f"cache-{size}")}
        cases: dict[str, Case] = {}
        for name, argv in commands.items():
            cases[f"{name} first"] = Case(f"{name} first run (cache cold)", argv, env, "synthetic", fresh_cache=True)
            cases[f"{name} repeat"] = Case(f"{name} repeated run (cache warm)", argv, warm_env, "synthetic")
        cases["libyaml"] = Case(
            "libyaml event stream, same bytes (floor)", [PYTHON, "-c", LIBYAML_FLOOR, str(path)], env, "floor"
        )
        run_once(commands["list"], warm_env)  # fills the warm cache; not counted
        n_runs = runs_for(size, args)
        for _ in range(n_runs):
            for case in cases.values():
                run_case(case, workdir)
        synthetic[size] = cases
        print_cases(f"synthetic, {size:,} studies ({gen_note}); {n_runs} runs each", list(cases.values()))
    for size, cases in synthetic.items():
        floor_case = cases["libyaml"]
        for key in ("list first", "group first"):
            a = cases[key]
            print(
                f"  {size:,} studies: {a.name} / libyaml event stream: {a.median / floor_case.median:.2f}x median, "
                f"{min(a.seconds()) / min(floor_case.seconds()):.2f}x min"
            )
    folder_cases = run_folder(args, workdir, env, c) if args.folder_size else {}
    if sizes:
        print("  list = --no-bundled --data FILE list --treatment warfarin --format json")
        print("  group = --no-bundled --data FILE group --by treatment --format json")
        print("  first run: a new empty CALCINOSIS_CACHE_DIR for every run (parse + validate + write cache)")

    growth: list[tuple[str, int, int, float, float]] = []
    if len(sizes) > 1:
        print("\n== growth per step (median of larger / median of smaller)")
        print(f"  {'case':<34} {'step':>18}   time   memory")
        for key in ("list first", "list repeat", "group first", "group repeat"):
            for small, big in zip(sizes, sizes[1:], strict=False):
                a, b = synthetic[small][key], synthetic[big][key]
                t_ratio, m_ratio = b.median / a.median, b.rss_median / a.rss_median
                growth.append((key, small, big, t_ratio, m_ratio))
                step = f"{small:,} -> {big:,}"
                print(f"  {b.name:<34} {step:>18} {t_ratio:6.2f}x {m_ratio:6.2f}x")

    # ---- targets ----
    print("\n== targets")
    targets = [
        Target("bundled list --treatment warfarin --format markdown / import click", md.median / click_floor, 1.5),
        Target("bundled list --treatment warfarin (default format) / import click", default.median / click_floor, 1.3),
        Target("bundled list --treatment warfarin --format json / import click", js.median / click_floor, 1.3),
        Target(
            "bundled list --treatment warfarin --format markdown / csvkit pipeline",
            md.median / csvkit.median if csvkit.samples else None,
            0.4,
        ),
    ]
    if 10_000 in synthetic:
        for key in ("list repeat", "group repeat"):
            case = synthetic[10_000][key]
            targets.append(Target(f"10,000 studies, {case.name}", case.median, 0.4, "s", strict=True))
        case = synthetic[10_000]["list first"]
        targets.append(Target(f"10,000 studies, {case.name}", case.median, 1.2, "s", strict=True))
    else:
        targets.append(Target("10,000 studies repeated query", None, 0.4, "s", strict=True))
    big = synthetic.get(100_000)
    targets += [
        Target(
            "100,000 studies, list first run (cache cold)", big["list first"].median if big else None, 10, "s", True
        ),
        Target(
            "100,000 studies, list first run, peak memory",
            big["list first"].rss_median / 1024 if big else None,
            600,
            "MB",
            True,
        ),
        Target(
            "100,000 studies, list first run / libyaml event stream over the same file",
            big["list first"].median / big["libyaml"].median if big else None,
            2.5,
        ),
    ]
    changed = folder_cases.get("changed")
    label = f"folder of {args.folder_size[1]} files, {args.folder_size[0]:,} studies" if args.folder_size else "folder"
    targets.append(
        Target(f"{label}, list after one file changed", changed.median if changed else None, 1.5, "s", strict=True)
    )
    wanted_steps = [(1_000, 10_000), (10_000, 100_000)]
    for key in ("list first", "list repeat", "group first", "group repeat"):
        for small, big in wanted_steps:
            found = [g for g in growth if g[0] == key and g[1] == small and g[2] == big]
            label = f"{key} {small:,} -> {big:,} studies"
            targets.append(Target(f"{label}, time", found[0][3] if found else None, 11))
            targets.append(Target(f"{label}, peak memory", found[0][4] if found else None, 11))
    for target in targets:
        print(target.line())
    missed = sum(1 for t in targets if t.ok is False)
    skipped = sum(1 for t in targets if t.ok is None)
    passed = len(targets) - missed - skipped
    print(f"\n{passed} pass, {missed} miss, {skipped} not measured")
    elapsed = time.perf_counter() - started
    changed = source_fingerprint() != fingerprint
    if changed:
        print(
            "WARNING: the package source or data changed during the run (now "
            f"{source_fingerprint()}); figures mix versions and warm caches may have missed: run it again"
        )
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; benchmark took {elapsed:.0f} s")

    if args.json:
        report = {
            "machine": info,
            "runs": args.runs,
            "runs_large": args.runs_large,
            "sizes": sizes,
            "span_rate": args.span_rate,
            "cases": [
                {
                    "group": case.group,
                    "size": size,
                    "name": case.name,
                    "argv": case.argv,
                    "note": case.note,
                    "samples": [s.__dict__ for s in case.samples],
                }
                for size, case in [(None, x) for x in first + [csvkit, miller]]
                + [(size, x) for size, cases in synthetic.items() for x in cases.values()]
                + [(args.folder_size[0] if args.folder_size else None, x) for x in folder_cases.values()]
            ],
            "growth": [{"case": k, "from": a, "to": b, "time_ratio": t, "memory_ratio": m} for k, a, b, t, m in growth],
            "targets": [{"label": t.label, "value": t.value, "limit": t.limit, "ok": t.ok} for t in targets],
            "seconds": elapsed,
            "source_changed_during_run": changed,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"raw results written to {args.json}")
    return 0


def run_folder(args: argparse.Namespace, workdir: Path, env: dict[str, str], c: list[str]) -> dict[str, Case]:
    """A folder of N studies in K files: first run, repeated run, and a run after one file changed."""
    n, k = args.folder_size
    folder = workdir / f"folder-{n}-{k}"
    gen = subprocess.run(
        [
            PYTHON,
            str(BENCH / "make_synthetic.py"),
            str(n),
            str(folder),
            "--files",
            str(k),
            "--span-rate",
            str(args.span_rate),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    files = sorted(folder.glob("*.yaml"))
    edited = files[len(files) // 2]
    original = edited.read_bytes()
    count = [0]

    def edit() -> None:  # a new comment line: new bytes, the same records
        count[0] += 1
        edited.write_bytes(original + f"# edit {count[0]}\n".encode())

    argv = c + ["--no-bundled", "--data", str(folder), "list", "--treatment", "warfarin", "--format", "json"]
    warm_env = {**env, "CALCINOSIS_CACHE_DIR": str(workdir / f"cache-folder-{n}")}
    cases = {
        "first": Case("folder: list first run (cache cold)", argv, env, "folder", fresh_cache=True),
        "repeat": Case("folder: list repeated run (cache warm)", argv, warm_env, "folder"),
        "changed": Case("folder: list after one file changed", argv, warm_env, "folder", before=edit),
        "libyaml": Case(
            "libyaml event stream, same files (floor)", [PYTHON, "-c", LIBYAML_FLOOR, *map(str, files)], env, "floor"
        ),
    }
    run_once(argv, warm_env)  # fills the warm cache; not counted
    runs = runs_for(n, args)
    for _ in range(runs):
        for key in ("first", "repeat", "changed", "libyaml"):
            run_case(cases[key], workdir)
            if key == "changed":
                run_once(argv, warm_env)  # the repeated case after it reads a warm cache again
    edited.write_bytes(original)
    note = gen.stderr.strip().split(": ", 1)[-1]
    print_cases(f"dataset folder, {n:,} studies in {k} files ({note}); {runs} runs each", list(cases.values()))
    print(f"  after one file changed: a comment line appended to {edited.name} before each run (untimed)")
    ratio = cases["first"].median / cases["libyaml"].median
    print(f"  folder first run / libyaml event stream over the same files: {ratio:.2f}x")
    return cases


if __name__ == "__main__":
    sys.exit(main())
