"""The same case folders give the same store, byte for byte, however `build_all` was scheduled: in one
run, on several worker processes (which split the work into smaller tasks), or interrupted and resumed
with another worker count. Which cases share a part file depends on the cases folder alone
(`store._part_chunks`), so every part file, and every table read back, is the same."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

import review.store as store
from review.store import CONTRACTS, build_all, read_ledger, read_store
from review.synth import write_case_folders


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cases")
    write_case_folders(root, 7, seed=5, contacts_per_case=50)
    return root


@pytest.fixture(autouse=True)
def three_cases_a_part(monkeypatch):
    monkeypatch.setattr(store, "BATCH_CASES", 3)  # 7 folders: parts of 3, 3 and 1 case


def _files(store_dir: Path) -> dict[str, str]:
    """Every table file of the store (not the ledger, whose lines carry times) and its bytes' hash."""
    return {p.relative_to(store_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(store_dir.rglob("*.parquet"))}


def _build(cases: Path, store_dir: Path, workers: int = 1) -> Path:
    shutil.rmtree(store_dir, ignore_errors=True)
    summary = build_all(cases, store_dir, progress=False, workers=workers)
    assert len(summary.built) == 7 and summary.failed.empty
    return store_dir


@pytest.fixture(scope="module")
def in_one_go(cases, tmp_path_factory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setattr(store, "BATCH_CASES", 3)
    try:
        return _build(cases, tmp_path_factory.mktemp("one") / "store")
    finally:
        mp.undo()


def _assert_same_store(built: Path, reference: Path) -> None:
    assert _files(built) == _files(reference)
    for table in CONTRACTS:
        pd.testing.assert_frame_equal(read_store(built, table), read_store(reference, table), check_exact=True,
                                      obj=table)
    assert (built / "failures.csv").read_bytes() == (reference / "failures.csv").read_bytes()


def test_parts_follow_the_case_folders(in_one_go):
    parts = sorted(p.stem for p in (in_one_go / "contacts").glob("*.parquet"))
    assert len(parts) == 3 and parts[-1] == "case-C000007"
    held = {e["part"] for e in read_ledger(in_one_go).values()}
    assert held == set(parts)


@pytest.mark.parametrize("workers", [2, 3])
def test_several_workers_write_the_same_bytes(cases, in_one_go, tmp_path, workers):
    # 7 cases on 2 (3) workers: tasks of 2 (1) cases, fewer than a part's 3: the parts are the same
    assert store._batch_size(7, workers) < 3
    _assert_same_store(_build(cases, tmp_path / "store", workers=workers), in_one_go)


def test_interrupted_on_two_workers_and_resumed_on_one_writes_the_same_bytes(cases, in_one_go, tmp_path,
                                                                              monkeypatch):
    store_dir = tmp_path / "store"
    real_commit = store.commit_part
    committed = []

    def ctrl_c_after_one_part(*args, **kwargs):
        if committed:
            raise KeyboardInterrupt
        committed.append(args[1].part)
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(store, "commit_part", ctrl_c_after_one_part)
    with pytest.raises(KeyboardInterrupt):
        build_all(cases, store_dir, progress=False, workers=2)
    assert sorted(store.complete_cases(store_dir)) == ["C000001", "C000002", "C000003"]
    monkeypatch.setattr(store, "commit_part", real_commit)
    summary = build_all(cases, store_dir, progress=False)
    assert len(summary.built) == 4 and len(summary.skipped) == 3
    _assert_same_store(store_dir, in_one_go)
