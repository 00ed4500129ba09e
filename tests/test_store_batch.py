"""`build-all` analyses cases in batches (`store.process_case_folders`): one timeline, rules and latency
call for all the cases of a batch that share rules and timeline options, and one part per batch. The
store it writes must hold the tables that analysing every case on its own (`pipeline.analyse`, as
`process_case_folder` does, one part per case) writes, row for row and value for value, and the same
ledger and failures, whatever the mix of rules.yml files, timeline options, decisions, repeated case
ids and broken cases in a batch.
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import review.rules as rules_module
import review.store as store
from review.store import CONTRACTS, build_all, part_files, process_case_folder, read_ledger, read_store, stale_cases
from review.synth import write_case_folders


def _one_by_one(folder):
    """The reference: one case folder through `pipeline.analyse` on its own."""
    return process_case_folder(folder)


def _tables(store_dir: Path, without: str | None = None) -> dict[str, pd.DataFrame]:
    """Every table as `read_store` gives it, cases in id order (each case's rows in their stored order)."""
    out = {}
    for name in CONTRACTS:
        frame = read_store(store_dir, name)
        if without is not None:
            frame = frame[frame["case_id"] != without]
        out[name] = frame.sort_values("case_id", kind="stable").reset_index(drop=True)
    return out


def _assert_same_tables(ours: dict, theirs: dict) -> None:
    for name in CONTRACTS:
        pd.testing.assert_frame_equal(ours[name], theirs[name], check_exact=True, obj=name)


def _ledger(store_dir: Path) -> list[dict]:
    """The ledger's entries without their time and part (which part a case is in depends on the batches)."""
    entries = []
    for line in (store_dir / "ledger.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        entry.pop("time", None)
        entry.pop("part", None)
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
    counts = flags["case_id"].value_counts()
    decided = [cid for cid in flags["case_id"].unique().tolist()
               if cid not in (folders[10].name,) and counts[cid] >= 2][:2]  # an accepted and a rejected flag each
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
    _assert_same_tables(_tables(built), _tables(reference))
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
    _assert_same_tables(_tables(built), _tables(reference, without=victim))


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
        if victim in set(tables["cases"]["case_id"]):  # its batch's part, then its own
            raise OSError(28, "No space left on device")
        return real_stage(store_dir, part, tables, staging_root)

    monkeypatch.setattr(store, "stage_part", disk_full_for_victim)
    built = _build(varied_cases, tmp_path / "store")
    failed = {row["case"]: row for row in _failures(built)}
    assert (failed[victim]["case_id"], failed[victim]["stage"]) == (victim, "store")
    assert "No space left on device" in failed[victim]["error"]
    assert set(read_store(built, "cases")["case_id"]) == set(read_store(reference, "cases")["case_id"]) - {victim}
    _assert_same_tables(_tables(built), _tables(reference, without=victim))  # the others staged one by one
    assert not (built / ".staging").exists()


def test_ctrl_c_on_two_processes_leaves_no_staged_files(varied_cases, tmp_path, monkeypatch):
    """Interrupted while committing: the batches still running finish before the staging folder is
    removed, so nothing staged is left behind. Parts of 4 of the 12 folders (three parts), each analysed
    in tasks of 3 cases on the two processes and staged by this one."""
    monkeypatch.setattr(store, "BATCH_CASES", 4)
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
    committed_cases = {case_id for staged in committed for case_id in staged.case_ids}
    assert set(read_store(tmp_path / "store", "cases")["case_id"]) == committed_cases and len(committed_cases) > 2


def test_a_batch_is_stored_as_one_part(varied_cases, reference, tmp_path):
    """One part per task: a store of thousands of cases is tens of files per table, not thousands."""
    built = _build(varied_cases, tmp_path / "store")
    assert [p.stem.split("-")[0] for p in part_files(built, "contacts")] == ["batch"]
    assert len(list((built / "contacts").glob("*.parquet"))) == 1  # the refused copy left no file
    assert len(part_files(reference, "contacts")) == 9  # one case per part


def test_a_case_refused_when_committing_is_cut_out_of_its_batch_part(varied_cases, tmp_path):
    """A new folder whose case id a stored case (from another folder) already has: its batch's part is
    written again without its rows before it is committed, so the stored case is read once, as it was."""
    cases = tmp_path / "cases"
    shutil.copytree(varied_cases, cases)
    store_dir = _build(cases, tmp_path / "store")
    before = _tables(store_dir)
    victim = sorted(read_store(store_dir, "cases")["case_id"])[0]
    shutil.copytree(cases / victim, cases / "zz_late_copy")
    write_case_folders(tmp_path / "more", 2, seed=99, contacts_per_case=50, first_case=500)
    for folder in (tmp_path / "more").iterdir():
        if folder.is_dir():
            shutil.copytree(folder, cases / folder.name)
    summary = build_all(cases, store_dir, progress=False)
    assert sorted(summary.built) == ["C000501", "C000502"]
    assert summary.failed["case"].tolist().count("zz_late_copy") == 1
    after = _tables(store_dir)
    assert after["contacts"]["event_id"].is_unique
    for name in CONTRACTS:
        old = after[name][~after[name]["case_id"].isin(["C000501", "C000502"])].reset_index(drop=True)
        pd.testing.assert_frame_equal(old, before[name], check_exact=True, obj=name)
    assert {p.stem.split("-")[0] for p in part_files(store_dir, "contacts")} == {"batch"}


def test_a_rebuilt_case_moves_to_a_part_of_its_own_and_unread_parts_are_removed(varied_cases, tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(varied_cases, cases)
    store_dir = _build(cases, tmp_path / "store")
    [batch_part] = part_files(store_dir, "contacts")
    changed = sorted(read_store(store_dir, "cases")["case_id"])[2]
    _append(cases / changed / "case.yml", "timeline:\n  concern_window_days: 2\n")
    assert build_all(cases, store_dir, progress=False).built == [changed]
    assert read_ledger(store_dir)[changed]["part"] == store.part_name_for_case(changed)
    assert stale_cases(store_dir) == {batch_part.stem: {changed}}  # its old rows are skipped
    _assert_same_tables(_tables(store_dir), _tables(_build(cases, tmp_path / "fresh")))
    # rebuilt whole: the same cases go to the same batch part again, and the one-case part, no
    # longer read, is gone from every table
    build_all(cases, store_dir, progress=False, force=True)
    assert stale_cases(store_dir) == {}
    for table in CONTRACTS:
        assert [p.stem for p in (store_dir / table).glob("*.parquet")] == [batch_part.stem], table
    _assert_same_tables(_tables(store_dir), _tables(tmp_path / "fresh"))


def test_files_a_killed_run_left_in_the_tables_are_removed_by_the_next(varied_cases, tmp_path):
    """A run killed while renaming a part into place leaves files no ledger line makes current; they
    are never read, and the next build removes them."""
    store_dir = _build(varied_cases, tmp_path / "store")
    before = _tables(store_dir)
    for table in ("contacts", "flags"):
        (store_dir / table / "batch-C999999-0123456789ab.parquet").write_bytes(b"half renamed")
    _assert_same_tables(_tables(store_dir), before)  # not read
    build_all(varied_cases, store_dir, progress=False)
    assert not list(store_dir.rglob("batch-C999999-*"))
    _assert_same_tables(_tables(store_dir), before)
