"""The wheel carries the data and the console script: `pip install .` works from any directory."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # Build from a clean copy: a stale build/ folder in a checkout would hide a package
    # missing from pyproject.toml, as setuptools reuses what it built before.
    source = tmp_path_factory.mktemp("src") / "calcinosis"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns("build", "*.egg-info", ".git", "__pycache__", "bench", ".venv", ".hypothesis"),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
        check=True,
        timeout=300,
    )
    (path,) = out.glob("calcinosis-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_contains_the_bundled_data(wheel):
    names = set(wheel.namelist())
    for data in (
        "calcinosis_cli/data/vocabulary.yaml",
        "calcinosis_cli/data/treatments.yaml",
        "calcinosis_cli/data/later_evidence.yaml",
    ):
        assert data in names
        assert wheel.read(data) == (ROOT / "data" / Path(data).name).read_bytes()
    # The dataset file the design card names holds the 17 printed rows of Table 1.
    import yaml

    dataset = yaml.safe_load(wheel.read("calcinosis_cli/data/treatments.yaml"))
    assert sum(1 for s in dataset["studies"] if s["source"] == "table 1") == 17


def test_wheel_declares_the_console_script_and_dependencies(wheel):
    entry_points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "calcinosis = calcinosis_cli.cli:main" in wheel.read(entry_points).decode()
    metadata = wheel.read(next(n for n in wheel.namelist() if n.endswith("METADATA"))).decode()
    for dependency in ("click", "pyyaml", "tabulate", "rich"):
        assert f"Requires-Dist: {dependency}" in metadata.lower().replace("requires-dist", "Requires-Dist")


def test_wheel_holds_every_module_of_the_package(wheel):
    # A subpackage missing from pyproject's list would install a CLI that cannot import it.
    source = {str(p.relative_to(ROOT)) for p in (ROOT / "calcinosis_cli").rglob("*.py")}
    assert source, "no package modules found"
    assert source <= set(wheel.namelist()), sorted(source - set(wheel.namelist()))


def test_installed_wheel_runs_from_another_directory(wheel, tmp_path):
    # Unpacked on its own (no checkout on sys.path), the package runs its main job.
    target = tmp_path / "site"
    wheel.extractall(target)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(target), "CALCINOSIS_NO_CACHE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "calcinosis_cli", "list", "--treatment", "warfarin", "--columns", "id"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "berger1987-warfarin-phase-1",
        "berger1987-warfarin-phase-2",
        "lassoued1988-warfarin",
        "yoshida1993-warfarin",
        "cukierman2004-warfarin",
    ]


def test_wheel_holds_no_tests_or_bench(wheel):
    assert not [n for n in wheel.namelist() if n.startswith(("tests/", "bench/"))]
