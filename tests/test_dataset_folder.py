"""A dataset folder: --data DIR reads every *.yaml under it in a stable order; each file is
cached on its own, so an edit re-reads only that file; the checks across files give the same
messages (and positions) from cached files as from parsed ones; export --split starts a folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from calcinosis_cli.dataset import cache, yamlsafe
from calcinosis_cli.dataset.files import bundled_paths, folder_files, vocabulary_path
from calcinosis_cli.dataset.load import check_files, load_dataset
from calcinosis_cli.errors import DataError

CONSOLE_SCRIPT = Path(sys.executable).parent / "calcinosis"
LEAKY = ("FORCE_COLOR", "NO_COLOR", "TERM", "COLUMNS", "CALCINOSIS_DATA", "CALCINOSIS_NO_CACHE", "CALCINOSIS_CACHE_DIR")

REFERENCE = """\
references:
  - id: {id}
    authors: [Own A]
    title: An invented work
    journal: Own J
    year: 2020
"""

STUDY = """\
  - id: {id}
    source: user
    treatment_printed: Warfarin
    treatment: {treatment}
    n: 1
    reference: {reference}
    design: case report
    tally: {{improved: 1}}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str, cache_dir: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in LEAKY}
    env["CALCINOSIS_CACHE_DIR"] = str(cache_dir)
    return subprocess.run([str(CONSOLE_SCRIPT), *args], capture_output=True, text=True, env=env, timeout=120, cwd=cwd)


@pytest.fixture
def folder(tmp_path) -> Path:
    """Two files: a reference, and in a subfolder the study that cites it."""
    root = tmp_path / "evidence"
    write(root / "b-refs.yaml", REFERENCE.format(id="own2020"))
    write(root / "a" / "studies.yaml", "studies:\n" + STUDY.format(id="s1", treatment="coumadin", reference="own2020"))
    return root


@pytest.fixture
def own_cache(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("CALCINOSIS_CACHE_DIR", str(path))
    monkeypatch.delenv("CALCINOSIS_NO_CACHE", raising=False)
    return path


def test_a_folder_is_its_yaml_files_by_relative_path_hidden_ones_skipped(tmp_path):
    root = tmp_path / "d"
    for name in ("z.yaml", "a/b.yaml", "a.yaml", "B.yaml", "a/.hidden.yaml", ".git/x.yaml", "notes.txt", "c.yml"):
        write(root / name, "x")
    (root / "dir.yaml").mkdir()  # a folder named like a file is not a file
    found = [Path(p).relative_to(root).as_posix() for p in folder_files(str(root))]
    assert found == ["B.yaml", "a.yaml", "a/b.yaml", "z.yaml"]  # text order of relative POSIX paths


def test_data_folder_reads_the_same_as_its_files(folder, tmp_path):
    files = folder_files(str(folder))
    by_folder = run(
        "--no-bundled", "--data", str(folder), "list", "-c", "id,treatment,reference_id", cache_dir=tmp_path / "c1"
    )
    by_files = run(
        "--no-bundled",
        *[a for f in files for a in ("--data", f)],
        "list",
        "-c",
        "id,treatment,reference_id",
        cache_dir=tmp_path / "c2",
    )
    assert by_folder.returncode == 0, by_folder.stderr
    assert by_folder.stdout == by_files.stdout
    assert by_folder.stdout.split() == ["id", "treatment", "reference_id", "s1", "warfarin", "own2020"]


def test_data_folder_from_the_environment(folder, tmp_path):
    env_run = subprocess.run(
        [str(CONSOLE_SCRIPT), "--no-bundled", "list", "-c", "id"],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if k not in LEAKY},
            "CALCINOSIS_DATA": str(folder),
            "CALCINOSIS_CACHE_DIR": str(tmp_path / "c"),
        },
    )
    assert env_run.returncode == 0, env_run.stderr
    assert env_run.stdout.split() == ["id", "s1"]


def test_a_folder_without_data_files_is_a_usage_error(tmp_path):
    empty = tmp_path / "empty"
    write(empty / ".hidden.yaml", "studies:\n")
    result = run("--no-bundled", "--data", str(empty), "list", cache_dir=tmp_path / "c")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"calcinosis: error: --data {empty}: the folder holds no *.yaml files (hidden ones are skipped)"
    )


def test_validate_a_folder_reports_every_problem_of_every_file_as_for_its_files(tmp_path):
    root = tmp_path / "bad"
    write(
        root / "one.yaml",
        REFERENCE.format(id="r1")
        + "studies:\n"
        + STUDY.format(id="dup", treatment="warfarin", reference="r1")
        + STUDY.format(id="bad", treatment="warfarin", reference="r1").replace("n: 1", "n: 01"),
    )
    write(
        root / "two.yaml",
        "studies:\n"
        + STUDY.format(id="dup", treatment="warfarin", reference="r1")
        + STUDY.format(id="other", treatment="warfrin", reference="nowhere"),
    )
    by_folder = run("validate", "--no-bundled", str(root), cache_dir=tmp_path / "c")
    files = folder_files(str(root))
    by_files = run("validate", "--no-bundled", *files, cache_dir=tmp_path / "c")
    assert by_folder.returncode == 1
    assert by_folder.stdout == by_files.stdout
    lines = by_folder.stdout.splitlines()
    one, two = (str(root / "one.yaml"), str(root / "two.yaml"))
    assert any(line.startswith(f"{one}:") and "leading zeros" in line for line in lines)
    assert f"{two}:2:5: studies: duplicate id 'dup' (first defined at {one}:8)" in lines
    assert any(line.startswith(f"{two}:") and "unknown treatment 'warfrin'" in line for line in lines)
    assert "calcinosis: 4 problems in 2 files of yours with the bundled vocabulary" in by_folder.stderr


def paths_of(folder: Path) -> list[str]:
    return [vocabulary_path(), *folder_files(str(folder))]


def counting_parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = yamlsafe.parse_yaml

    def parse(data, path, progress=None, on_item=None):
        parsed.append(path)
        return real(data, path, progress, on_item)

    monkeypatch.setattr(yamlsafe, "parse_yaml", parse)
    return parsed


def test_after_an_edit_only_that_file_is_read_again(folder, own_cache, monkeypatch):
    paths = paths_of(folder)
    parsed = counting_parses(monkeypatch)
    first = cache.load_dataset_cached(paths)
    assert sorted(parsed) == sorted(paths)
    parsed.clear()
    assert cache.load_dataset_cached(paths) == first  # the whole set, from its entry
    assert parsed == []
    studies = folder / "a" / "studies.yaml"
    studies.write_text(studies.read_text() + STUDY.format(id="s2", treatment="warfarin", reference="own2020"))
    again = cache.load_dataset_cached(paths)
    assert parsed == [str(studies)]
    assert [s.id for s in again.studies] == ["s1", "s2"]
    assert again == load_dataset(paths)  # the same dataset as without any cache
    assert again.studies[0].treatment == "warfarin"  # the alias resolved across files, kept in the entry


def test_checks_across_cached_files_give_the_messages_and_positions_of_a_fresh_read(folder, own_cache, monkeypatch):
    paths = paths_of(folder)
    cache.load_dataset_cached(paths)
    # The reference goes; the study's file is unchanged, so it comes from its entry, without its tree.
    write(folder / "b-refs.yaml", REFERENCE.format(id="other2021"))
    write(folder / "c-dup.yaml", "studies:\n" + STUDY.format(id="s1", treatment="warfarin", reference="other2021"))
    paths = paths_of(folder)
    parsed = counting_parses(monkeypatch)
    with pytest.raises(DataError) as cached:
        cache.load_dataset_cached(paths)
    assert str(folder / "a" / "studies.yaml") in parsed  # read again only to point at its fields
    monkeypatch.setenv("CALCINOSIS_NO_CACHE", "1")
    _merged, fresh = check_files(paths)
    assert [str(p) for p in cached.value.problems] == [str(p) for p in fresh]
    studies, dup = str(folder / "a" / "studies.yaml"), str(folder / "c-dup.yaml")
    assert [str(p) for p in fresh] == [
        f"{studies}:7:16: study 's1' field 'reference': unknown reference 'own2020'",
        f"{dup}:2:5: studies: duplicate id 's1' (first defined at {studies}:2)",
    ]


def test_a_file_with_problems_is_not_cached(tmp_path, own_cache):
    bad = write(
        tmp_path / "bad.yaml",
        "studies:\n" + STUDY.format(id="x", treatment="warfarin", reference="r").replace("n: 1", "n: -1"),
    )
    with pytest.raises(DataError):
        cache.load_dataset_cached([vocabulary_path(), str(bad)])
    data = bad.read_bytes()
    assert not (own_cache / (cache.part_key(str(bad), data) + cache.PART_SUFFIX)).exists()
    assert (
        own_cache / (cache.part_key(vocabulary_path(), Path(vocabulary_path()).read_bytes()) + cache.PART_SUFFIX)
    ).exists()


def test_export_split_writes_a_folder_that_reads_back_to_the_same_records(tmp_path):
    out = tmp_path / "split"
    result = run("export", "--format", "yaml", "--split", str(out), cache_dir=tmp_path / "c")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert "dataset.yaml" in names and "berger1987.yaml" in names and "cukierman2004.yaml" in names
    back = load_dataset([vocabulary_path(), *folder_files(str(out))])
    bundled = load_dataset(bundled_paths())

    def key(ds):
        studies = sorted(
            (s.id, s.treatment, s.n, s.tally, s.arms, s.reference, s.footnote and s.footnote.text) for s in ds.studies
        )
        return studies, sorted(ds.references), sorted(c.number for c in ds.cases), ds.title, ds.source, ds.notes

    assert key(back) == key(bundled)
    # berger1987's file holds its rows and only the footnotes they use
    berger = (out / "berger1987.yaml").read_text(encoding="utf-8")
    assert "id: berger1987-warfarin-phase-1" in berger and "dataset:" not in berger


def test_export_split_refuses_an_existing_folder_without_force(tmp_path):
    out = tmp_path / "split"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run("export", "--format", "yaml", "--split", str(out), cache_dir=tmp_path / "c")
    assert result.returncode == 2
    assert "exists; add --force" in result.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    forced = run("export", "--format", "yaml", "--split", str(out), "--force", cache_dir=tmp_path / "c")
    assert forced.returncode == 0, forced.stderr
    assert (out / "keep.txt").read_text() == "mine" and (out / "dataset.yaml").is_file()


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "yaml", "--split", "D", "--output", "F"),
        ("--format", "csv", "--split", "D"),
        ("--format", "yaml"),
    ],
)
def test_export_split_usage_errors(tmp_path, args):
    result = run("export", *args, cache_dir=tmp_path / "c", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("calcinosis: error: ")
    assert not (tmp_path / "D").exists() and not (tmp_path / "F").exists()
