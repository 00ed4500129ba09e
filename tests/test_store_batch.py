"""`build-all` analyses cases in batches (`store.process_case_folders`): one timeline, rules and latency
call for all the cases of a batch that share rules and timeline options. The store it writes must be the
one that analysing every case on its own (`pipeline.analyse`, as `process_case_folder` does) writes, byte
for byte, including the failures, whatever the mix of rules.yml files, timeline options, decisions,
repeated case ids and broken cases in a batch.
"""
from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest

import review.rules as rules_module
import review.store as store
from review.store import build_all, process_case_folder, read_store
from review.synth import write_case_folders


def _one_by_one(folder):
    """The reference: one case folder through `pipeline.analyse` on its own."""
    return process_case_folder(folder)


def _parquet_hashes(store_dir: Path) -> dict[str, str]:
    return {p.relative_to(store_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(store_dir.rglob("*.parquet"))}


def _ledger(store_dir: Path) -> list[dict]:
    entries = []
    for line in (store_dir / "ledger.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        entry.pop("time", None)
        entries.append(entry)
    return entries


def _failures(store_dir: Path) -> list[dict]:
    with open(store_dir / "failures.csv", encoding="utf-8") as fh:
        return [{k: v for k, v in row.items() if k != "time"} for row in csv.DictReader(fh)]


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def varied_cases(tmp_path_factory) -> Path:
    """12 synthetic case folders made to differ in everything that decides how a case is analysed."""
    root = tmp_path_factory.mktemp("cases")
    write_case_folders(root, 12, seed=11, contacts_per_case=60)
    folders = sorted(p for p in root.iterdir() if p.is_dir())
    # two cases share a rules.yml, one has its own
    for folder in folders[1:3]:
        (folder / "rules.yml").write_text("rules:\n  information_not_shared: {enabled: false}\n", encoding="utf-8")
    (folders[3] / "rules.yml").write_text("rules:\n  injury_not_escalated:\n    within_days: 1\n", encoding="utf-8")
    # timeline options: two cases share one, one has another
    for folder in folders[4:6]:
        _append(folder / "case.yml", "timeline:\n  link_threshold: 60\n")
    _append(folders[6] / "case.yml", "timeline:\n  concern_window_days: 3\n")
    # failures at each stage: an invalid option and an unknown rule (analyse), an unreadable file (ingest)
    _append(folders[7] / "case.yml", "timeline:\n  link_threshold: -1\n")
    (folders[8] / "rules.yml").write_text("rules:\n  no_such_rule: {enabled: false}\n", encoding="utf-8")
    broken = next(p for p in sorted(folders[9].iterdir()) if p.suffix == ".xlsx")
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    # the same case id in two folders (the second is refused when stored)
    shutil.copytree(folders[10], root / (folders[10].name + "_copy"))
    # reviewers' decisions on two cases (accepted, rejected, and one on a flag that no longer exists)
    flags = read_store(_build(root, root.parent / "probe", _one_by_one), "flags")
    decided = [cid for cid in flags["case_id"].unique().tolist() if cid not in (folders[10].name,)][:2]
    assert len(decided) == 2
    for case_id in decided:
        ids = flags.loc[flags["case_id"] == case_id, "flag_id"].tolist()
        rows = ["flag_id,decision,rationale,author,date", f"{ids[0]},accepted,agreed,AB,2025-01-02",
                "gone-flag,accepted,stale,CD,2025-01-04"]
        if len(ids) > 1:
            rows.insert(2, f"{ids[1]},rejected,not a concern,CD,2025-01-03")
        (root / case_id / "decisions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def _build(cases: Path, store_dir: Path, process_case=None, workers: int = 1) -> Path:
    shutil.rmtree(store_dir, ignore_errors=True)
    build_all(cases, store_dir, progress=False, process_case=process_case, workers=workers)
    return store_dir


@pytest.fixture(scope="module")
def reference(varied_cases, tmp_path_factory) -> Path:
    return _build(varied_cases, tmp_path_factory.mktemp("ref") / "store", _one_by_one)


def _assert_same_store(built: Path, reference: Path) -> None:
    assert _parquet_hashes(built) == _parquet_hashes(reference)
    assert sorted(map(json.dumps, _ledger(built))) == sorted(map(json.dumps, _ledger(reference)))
    assert _failures(built) == _failures(reference)


def test_the_reference_has_every_kind_of_case(reference):
    failures = {row["case"]: row["stage"] for row in _failures(reference)}
    assert sorted(failures.values()) == ["analyse", "analyse", "ingest", "store"]
    assert len(read_store(reference, "cases")) == 9
    assert (read_store(reference, "flags")["decision"] != "pending").sum() >= 3


@pytest.mark.parametrize("batch_cases", [32, 4, 1])
def test_batched_build_writes_the_store_one_case_at_a_time_would(varied_cases, reference, tmp_path, monkeypatch,
                                                                 batch_cases):
    monkeypatch.setattr(store, "BATCH_CASES", batch_cases)
    _assert_same_store(_build(varied_cases, tmp_path / "store"), reference)


def test_batched_build_on_two_processes_writes_the_same_store(varied_cases, reference, tmp_path):
    _assert_same_store(_build(varied_cases, tmp_path / "store", workers=2), reference)


def test_an_error_in_a_batch_is_reported_for_its_own_case_only(varied_cases, reference, tmp_path, monkeypatch):
    """A bug that one case's data sets off in the batched call: the batch's cases are analysed again one
    by one, so only that case fails (stage analyse) and every other case is stored as before."""
    victim = sorted(p.name for p in varied_cases.iterdir() if p.is_dir())[0]
    real_detect = rules_module.detect

    def breaks_on_victim(timeline, case=None, rules=None, **kw):
        if (timeline["case_id"] == victim).any():
            raise ValueError("a bug this case's data sets off")
        return real_detect(timeline, case, rules, **kw)

    monkeypatch.setattr(rules_module, "detect", breaks_on_victim)
    built = _build(varied_cases, tmp_path / "store")
    failed = {row["case"]: (row["stage"], row["error"]) for row in _failures(built)}
    assert failed[victim] == ("analyse", "ValueError: a bug this case's data sets off")
    assert len(failed) == 5
    stored = set(read_store(built, "cases")["case_id"])
    assert stored == set(read_store(reference, "cases")["case_id"]) - {victim}
    ours, theirs = _parquet_hashes(built), _parquet_hashes(reference)
    assert {k: v for k, v in theirs.items() if victim not in k} == ours


def test_batch_sizes_leave_each_worker_several_tasks():
    assert store._batch_size(1000, 1) == store.BATCH_CASES
    assert store._batch_size(1000, 2) == store.BATCH_CASES
    assert store._batch_size(50, 2) == 13
    assert store._batch_size(3, 4) == 1


def test_a_second_folder_with_a_stored_case_id_does_not_hide_the_stored_case(varied_cases, reference, tmp_path):
    """The copy is refused (stage store) and reported under its folder name; the case stored from the
    first folder stays readable, and a second run skips it and reports the copy again."""
    original = next(p.name for p in varied_cases.iterdir() if p.name.endswith("_copy"))[: -len("_copy")]
    failed = {row["case"]: row for row in _failures(reference)}
    assert failed[original + "_copy"]["case_id"] == original + "_copy"
    assert f"case_id '{original}' is already stored from folder '{original}'" in failed[original + "_copy"]["error"]
    assert original in set(read_store(reference, "cases")["case_id"])
    again = tmp_path / "store"
    shutil.copytree(reference, again)
    summary = build_all(varied_cases, again, progress=False)
    assert original in summary.skipped and original not in summary.built
    assert summary.failed["case"].tolist().count(original + "_copy") == 1
    assert original in set(read_store(again, "cases")["case_id"])


def test_a_case_that_cannot_be_staged_fails_at_the_store_stage_alone(varied_cases, reference, tmp_path, monkeypatch):
    """Tasks write their cases' Parquet files to a staging folder (`stage_part`); one that fails there
    is reported with its case id at stage "store", and leaves no staging files behind."""
    victim = sorted(p.name for p in varied_cases.iterdir() if p.is_dir())[1]
    real_stage = store.stage_part

    def disk_full_for_victim(store_dir, part, tables, staging_root=None):
        if part == store.part_name_for_case(victim):
            raise OSError(28, "No space left on device")
        return real_stage(store_dir, part, tables, staging_root)

    monkeypatch.setattr(store, "stage_part", disk_full_for_victim)
    built = _build(varied_cases, tmp_path / "store")
    failed = {row["case"]: row for row in _failures(built)}
    assert (failed[victim]["case_id"], failed[victim]["stage"]) == (victim, "store")
    assert "No space left on device" in failed[victim]["error"]
    assert set(read_store(built, "cases")["case_id"]) == set(read_store(reference, "cases")["case_id"]) - {victim}
    assert not (built / ".staging").exists()


def test_ctrl_c_on_two_processes_leaves_no_staged_files(varied_cases, tmp_path, monkeypatch):
    """Interrupted while committing: the batches still running finish before the staging folder is
    removed, so nothing staged is left behind."""
    real_commit = store.commit_part
    committed = []

    def interrupted_after_two(*args, **kwargs):
        if len(committed) == 2:
            raise KeyboardInterrupt
        committed.append(args[1])
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(store, "commit_part", interrupted_after_two)
    with pytest.raises(KeyboardInterrupt):
        build_all(varied_cases, tmp_path / "store", progress=False, workers=2)
    assert not (tmp_path / "store" / ".staging").exists()
    assert len(read_store(tmp_path / "store", "cases")) == 2
