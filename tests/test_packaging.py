"""The wheel carries the data and the console script: `pip install .` works from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        timeout=300,
    )
    (path,) = out.glob("calcinosis-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_contains_the_bundled_data(wheel):
    names = set(wheel.namelist())
    for data in ("calcinosis_cli/data/treatments.yaml", "calcinosis_cli/data/later_evidence.yaml"):
        assert data in names
        assert wheel.read(data) == (ROOT / "data" / Path(data).name).read_bytes()


def test_wheel_declares_the_console_script_and_dependencies(wheel):
    entry_points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "calcinosis = calcinosis_cli.cli:main" in wheel.read(entry_points).decode()
    metadata = wheel.read(next(n for n in wheel.namelist() if n.endswith("METADATA"))).decode()
    for dependency in ("click", "pyyaml", "tabulate", "rich"):
        assert f"Requires-Dist: {dependency}" in metadata.lower().replace("requires-dist", "Requires-Dist")


def test_wheel_holds_no_tests_or_bench(wheel):
    assert not [n for n in wheel.namelist() if n.startswith(("tests/", "bench/"))]
