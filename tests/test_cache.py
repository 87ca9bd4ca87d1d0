"""The dataset cache can never cause an error or a wrong answer: damaged entries are misses."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from calcinosis_cli.dataset import cache
from calcinosis_cli.dataset.files import bundled_paths
from calcinosis_cli.dataset.load import load_dataset


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("CALCINOSIS_CACHE_DIR", str(path))
    monkeypatch.delenv("CALCINOSIS_NO_CACHE", raising=False)
    return path


@pytest.fixture(scope="module")
def expected():
    return load_dataset()


def entry_path(folder: Path) -> Path:
    paths = bundled_paths()
    return folder / f"{cache.content_key(paths, cache.read_contents(paths))}{cache.DATASET_SUFFIX}"


def entry_of(payload: bytes) -> bytes:
    """A well-formed entry (header and checksum) around any payload."""
    digest = cache._blake2b(payload).hexdigest().encode()
    return b"calcinosis-cache " + str(cache.CACHE_FORMAT).encode() + b" " + digest + b"\n" + payload


def test_a_miss_writes_an_entry_that_the_next_run_reads(folder, expected):
    assert cache.load_dataset_cached(bundled_paths()) == expected
    assert entry_path(folder).is_file()
    assert cache.read(entry_path(folder).stem) == expected


def pickled(schema: object, obj: bytes) -> bytes:
    head = pickle.dumps(schema, protocol=4)
    return len(head).to_bytes(8, "little") + head + obj


class Shell:  # pickles as a call of os.system: an entry that would run a command
    def __reduce__(self):
        return (os.system, ("touch /tmp/calcinosis-cache-test-must-not-exist",))


DAMAGE = {
    "random bytes": os.urandom(4096),
    "utf-16": "{}".encode("utf-16"),
    "empty": b"",
    "truncated": None,  # filled in from a real entry
    "checksum mismatch": None,
    "deep nesting": entry_of(pickled({}, b"(" * 200_000 + b".")),
    "wrong shape": entry_of(pickled({}, pickle.dumps({"title": "x", "studies": "not a list"}))),
    "a function call": entry_of(pickled({}, pickle.dumps(Shell(), protocol=4))),
    "changed fields": None,  # a real entry whose schema names other fields
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_entry_is_a_miss_and_is_rewritten(folder, expected, damage):
    cache.load_dataset_cached(bundled_paths())
    path = entry_path(folder)
    good = path.read_bytes()
    bad = DAMAGE[damage]
    if damage == "truncated":
        bad = good[: len(good) // 2]
    elif damage == "checksum mismatch":
        bad = good[:-3] + bytes([good[-3] ^ 1]) + good[-2:]
    elif damage == "changed fields":
        # A part entry written when Study had one more field: a miss, never shifted fields.
        paths = bundled_paths()
        bundled = paths[1]  # treatments.yaml: its part holds studies
        part = folder / (cache.part_key(bundled, cache.read_contents([bundled])[0]) + cache.PART_SUFFIX)
        payload = part.read_bytes().partition(b"\n")[2]
        size = int.from_bytes(payload[:8], "little")
        schema = pickle.loads(payload[8 : 8 + size])
        schema["calcinosis_cli.model.evidence:Study"] += ("invented",)
        part.write_bytes(entry_of(pickled(schema, payload[8 + size :])))
        path.unlink()
        assert cache.load_dataset_cached(bundled_paths()) == expected
        again = part.read_bytes().partition(b"\n")[2]  # rewritten, with the fields Study has
        schema = pickle.loads(again[8 : 8 + int.from_bytes(again[:8], "little")])
        assert schema["calcinosis_cli.model.evidence:Study"][-1] != "invented"
        return
    path.write_bytes(bad)
    assert cache.read(path.stem) is None
    assert cache.load_dataset_cached(bundled_paths()) == expected
    assert path.read_bytes() == good
    assert not Path("/tmp/calcinosis-cache-test-must-not-exist").exists()


def test_a_directory_at_the_entry_path_is_a_miss(folder, expected):
    path = entry_path(folder)
    path.mkdir(parents=True)
    assert cache.load_dataset_cached(bundled_paths()) == expected


def test_a_cache_folder_that_cannot_be_written_is_skipped(tmp_path, monkeypatch, expected):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CALCINOSIS_CACHE_DIR", str(blocker / "cache"))
    assert cache.load_dataset_cached(bundled_paths()) == expected


def test_stale_temporary_files_are_removed_and_fresh_ones_kept(folder):
    folder.mkdir()
    stale, fresh = folder / "stale.tmp", folder / "fresh.tmp"
    stale.write_text("{")
    fresh.write_text("{")
    old = time.time() - cache.STALE_TEMPORARY_SECONDS - 10
    os.utime(stale, (old, old))
    cache.load_dataset_cached(bundled_paths())
    assert not stale.exists()
    assert fresh.exists()


def test_the_folder_keeps_the_most_recently_used_entries(folder):
    folder.mkdir()
    now = time.time()
    names = []
    for i in range(cache.MAX_ENTRIES + 5):
        path = folder / f"{i:064x}{cache.DATASET_SUFFIX}"
        path.write_text("x")
        os.utime(path, (now - 1000 + i, now - 1000 + i))
        names.append(path.name)
    unrelated = folder / "notes.txt"
    unrelated.write_text("the user's own file")
    cache.load_dataset_cached(bundled_paths())
    kept = sorted(p.name for p in folder.glob("*" + cache.DATASET_SUFFIX))
    assert len(kept) == cache.MAX_ENTRIES
    assert entry_path(folder).name in kept
    assert names[-1] in kept and names[0] not in kept
    assert unrelated.exists()


def test_cache_off(monkeypatch, tmp_path, expected):
    monkeypatch.setenv("CALCINOSIS_NO_CACHE", "1")
    monkeypatch.setenv("CALCINOSIS_CACHE_DIR", str(tmp_path / "never"))
    assert cache.load_dataset_cached(bundled_paths()) == expected
    assert not (tmp_path / "never").exists()


def test_a_fifo_at_the_entry_path_neither_blocks_nor_breaks_the_run(tmp_path):
    folder = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if k not in ("CALCINOSIS_DATA", "CALCINOSIS_NO_CACHE")}
    env["CALCINOSIS_CACHE_DIR"] = str(folder)
    command = [str(Path(sys.executable).parent / "calcinosis"), "list", "-t", "warfarin", "-c", "id"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert first.returncode == 0, first.stderr
    (entry,) = folder.glob("*" + cache.DATASET_SUFFIX)  # the installed package's entry (its files, its key)
    entry.unlink()
    os.mkfifo(entry)
    second = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert second.stdout.splitlines()[1:] == [
        "berger1987-warfarin-phase-1",
        "berger1987-warfarin-phase-2",
        "lassoued1988-warfarin",
        "yoshida1993-warfarin",
        "cukierman2004-warfarin",
    ]
    assert entry.is_file()  # replaced by a real entry


def test_a_dataset_comes_back_from_its_entry_record_for_record():
    # Nested records (arms, tallies, a tally's other reading, footnotes) are records again.
    from calcinosis_cli.dataset.cache import dumps, loads

    ds = load_dataset()
    again = loads(dumps(ds._replace(study_index=None))).with_index()
    assert again == ds
    minocycline = again.study("robertson2003-minocycline")
    assert type(minocycline.tally.alternative).__name__ == "Tally"
    assert type(again.study("berger1987-warfarin-phase-2").arms[0]).__name__ == "Arm"
