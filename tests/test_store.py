"""The case store: build from case folders, resume after an interruption without duplicates, report failures."""
from __future__ import annotations

import os

import pandas as pd
import pytest

from review import store as store_mod
from review.config import load_case_config
from review.store import StoreError, build_all, read_ledger, read_store, write_part


def _make_cases(root, n):
    for i in range(n):
        folder = root / f"case{i:02d}"
        folder.mkdir(parents=True)
        (folder / "case.yml").write_text(f"case_id: K{i:02d}\ndate_of_birth: 2020-01-0{1 + i % 9}\n")
        (folder / "gp.csv").write_text("Date,Details\n01/02/2020,Seen\n")


def _fake_process(case_dir):
    """Stands in for load_case + analyse: two contacts per case and one flag."""
    config = load_case_config(case_dir)
    cid = config.case_id
    contacts = pd.DataFrame({"case_id": [cid, cid], "event_id": [f"{cid}-1", f"{cid}-2"],
                             "date": pd.to_datetime(["2020-02-01", "2020-02-03"]), "contact_type": "home_visit",
                             "agency": "GP", "agency_kind": "health", "date_precision": "day"})
    flags = pd.DataFrame({"case_id": [cid], "flag_id": [f"F-{cid}"], "rule_id": ["child_not_seen"],
                          "trigger_event_id": [f"{cid}-1"], "severity": "high"})
    cases = pd.DataFrame({"case_id": [cid], "date_of_birth": [pd.Timestamp(config.date_of_birth)]})
    return {"contacts": contacts, "flags": flags, "cases": cases}


def test_build_all_writes_every_case_once(tmp_path):
    _make_cases(tmp_path / "cases", 4)
    summary = build_all(tmp_path / "cases", tmp_path / "store", progress=False, process_case=_fake_process)
    assert len(summary.built) == 4 and summary.failed.empty
    contacts = read_store(tmp_path / "store", "contacts")
    assert sorted(contacts["case_id"].unique()) == ["K00", "K01", "K02", "K03"]
    assert contacts["event_id"].is_unique
    assert str(contacts["date"].dtype) == "datetime64[ns]" and str(contacts["case_id"].dtype) == "string"
    flags = read_store(tmp_path / "store", "flags")
    assert list(flags.columns[:2]) == ["case_id", "flag_id"] and len(flags) == 4


def test_resume_after_interruption_skips_done_cases_and_never_duplicates(tmp_path):
    _make_cases(tmp_path / "cases", 6)
    calls = []

    def interrupted_after_three(case_dir):
        if len(calls) == 3:
            raise KeyboardInterrupt  # the run is killed while working on the fourth case
        calls.append(case_dir.name)
        return _fake_process(case_dir)

    with pytest.raises(KeyboardInterrupt):
        build_all(tmp_path / "cases", tmp_path / "store", progress=False, process_case=interrupted_after_three)
    assert sorted(read_store(tmp_path / "store", "contacts")["case_id"].unique()) == ["K00", "K01", "K02"]

    summary = build_all(tmp_path / "cases", tmp_path / "store", progress=False, process_case=_fake_process)
    assert len(summary.skipped) == 3 and len(summary.built) == 3
    contacts = read_store(tmp_path / "store", "contacts")
    assert contacts["event_id"].is_unique and contacts["case_id"].nunique() == 6
    assert len(list((tmp_path / "store" / "contacts").glob("*.parquet"))) == 6


def test_crash_between_file_renames_hides_the_half_written_case_until_resumed(tmp_path, monkeypatch):
    _make_cases(tmp_path / "cases", 3)
    build_all(tmp_path / "cases", tmp_path / "store", progress=False, process_case=_fake_process)
    # an input changes, and the rebuild dies after replacing the first of its files
    (tmp_path / "cases" / "case01" / "gp.csv").write_text("Date,Details\n02/02/2020,Seen again\n")
    real_replace = os.replace
    count = {"n": 0}

    def dying_replace(src, dst):
        count["n"] += 1
        if count["n"] == 2:
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(store_mod.os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        build_all(tmp_path / "cases", tmp_path / "store", progress=False, process_case=_fake_process)
    monkeypatch.setattr(store_mod.os, "replace", real_replace)
    assert read_ledger(tmp_path / "store")["K01"]["status"] == "writing"
    assert sorted(read_store(tmp_path / "store", "contacts")["case_id"].unique()) == ["K00", "K02"]

    summary = build_all(tmp_path / "cases", tmp_path / "store", progress=False, process_case=_fake_process)
    assert summary.built == ["K01"] and len(summary.skipped) == 2
    contacts = read_store(tmp_path / "store", "contacts")
    assert contacts["case_id"].value_counts().to_dict() == {"K00": 2, "K01": 2, "K02": 2}


def test_failed_case_is_reported_with_its_file_and_the_run_goes_on(tmp_path):
    _make_cases(tmp_path / "cases", 3)
    (tmp_path / "cases" / "case01" / "case.yml").write_text("case_id: [unclosed\n")
    summary = build_all(tmp_path / "cases", tmp_path / "store", progress=False, process_case=_fake_process)
    assert len(summary.built) == 2
    assert summary.failed[["case", "file", "stage"]].to_dict(orient="records") == [
        {"case": "case01", "file": "case.yml", "stage": "ingest"}]
    assert "invalid YAML" in summary.failed["error"].iloc[0]
    failures = read_store(tmp_path / "store", "failures")
    assert failures["case"].tolist() == ["case01"]
    assert pd.read_csv(tmp_path / "store" / "failures.csv")["case"].tolist() == ["case01"]
    # fixed input: the next run builds it and the failure disappears
    (tmp_path / "cases" / "case01" / "case.yml").write_text("case_id: K01\ndate_of_birth: 2020-01-02\n")
    summary = build_all(tmp_path / "cases", tmp_path / "store", progress=False, process_case=_fake_process)
    assert summary.built == ["K01"] and read_store(tmp_path / "store", "failures").empty


def test_parts_hold_many_cases_and_read_by_case(tmp_path):
    frame = pd.DataFrame({"case_id": ["A", "A", "B"], "event_id": ["a1", "a2", "b1"],
                          "date": pd.to_datetime(["2020-01-01"] * 3)})
    write_part(tmp_path, "part-00000", {"contacts": frame}, ["A", "B"])
    (tmp_path / "ledger.jsonl").touch()
    assert len(read_store(tmp_path, "contacts")) == 3
    assert read_store(tmp_path, "contacts", cases=["B"])["event_id"].tolist() == ["b1"]


def test_parallel_build_gives_the_same_store_and_reports_failures(tmp_path):
    _make_cases(tmp_path / "cases", 5)
    (tmp_path / "cases" / "case03" / "case.yml").write_text("case_id: K03\n")  # no date of birth
    serial = build_all(tmp_path / "cases", tmp_path / "serial", progress=False, process_case=_fake_process)
    parallel = build_all(tmp_path / "cases", tmp_path / "parallel", progress=False, process_case=_fake_process,
                         workers=2)
    assert parallel.built == serial.built == ["K00", "K01", "K02", "K04"]
    assert parallel.failed[["case", "file", "stage"]].values.tolist() == [["case03", "case.yml", "ingest"]]
    pd.testing.assert_frame_equal(read_store(tmp_path / "parallel", "contacts"), read_store(tmp_path / "serial", "contacts"))


def test_ingest_reports_of_many_cases_read_as_one_typed_table(tmp_path):
    """A case whose rejections are all sheet-level (no row number) and one with row numbers: the
    stored rejections and ingest tables read together, with their contracts' dtypes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sheet_level = pd.DataFrame({"case_id": ["A"], "file": ["gp.xlsx"], "sheet": ["S"], "row": [None],
                                "column": ["Date"], "kind": ["warning"], "reason": ["dates look month-first"]})
    with_rows = pd.DataFrame({"case_id": ["B", "B"], "file": ["gp.csv"] * 2, "sheet": [""] * 2, "row": [4, 7],
                              "column": [None, "Date"], "kind": ["rejected"] * 2, "reason": ["no date", "31/02"]})
    report = pd.DataFrame({"case_id": ["A"], "file": ["gp.xlsx"], "sheet": ["S"], "hidden": [False],
                           "header_row": [None], "rows_read": [3], "rows_accepted": [3], "rows_rejected": [0],
                           "rows_skipped": [0], "notes": [""]})
    write_part(tmp_path, "part-A", {"rejections": sheet_level, "ingest": report}, ["A"])
    write_part(tmp_path, "part-B", {"rejections": with_rows, "ingest": report.assign(case_id="B", header_row=1)}, ["B"])
    rejections = read_store(tmp_path, "rejections")
    assert rejections["row"].tolist()[1:] == [4, 7] and rejections["row"].isna().tolist() == [True, False, False]
    assert str(rejections["row"].dtype) == "Int64" and rejections["column"].tolist() == ["Date", "", "Date"]
    assert str(read_store(tmp_path, "ingest")["header_row"].dtype) == "Int64"

    # a store written before these tables had contracts: the parts' Parquet types disagree
    pq.write_table(pa.Table.from_pandas(sheet_level.astype({"row": "string"}), preserve_index=False),
                   tmp_path / "rejections" / "part-A.parquet")
    pq.write_table(pa.Table.from_pandas(with_rows, preserve_index=False), tmp_path / "rejections" / "part-B.parquet")
    old = read_store(tmp_path, "rejections")
    assert old["row"].tolist()[1:] == [4, 7] and str(old["row"].dtype) == "Int64"


def test_sub_folders_without_case_yml_are_named_not_passed_over(tmp_path, capsys):
    from review.cli import main

    _make_cases(tmp_path / "cases", 2)
    (tmp_path / "cases" / "K09_copy").mkdir()
    (tmp_path / "cases" / "K09_copy" / "case.yaml").write_text("case_id: K09\n", encoding="utf-8")
    (tmp_path / "cases" / ".ipynb_checkpoints").mkdir()
    summary = build_all(tmp_path / "cases", tmp_path / "cases" / "store", progress=False, process_case=_fake_process)
    assert summary.not_cases == ["K09_copy"] and len(summary.built) == 2  # not the store, not hidden folders
    assert "1 sub-folder(s) without a case.yml, not read: K09_copy" in str(summary)
    assert main(["build-all", str(tmp_path / "cases"), "--store", str(tmp_path / "s2"), "--no-progress",
                 "--json"]) == 0
    assert '"not_case_folders": [\n    "K09_copy"\n  ]' in capsys.readouterr().out


def test_the_store_cannot_be_the_cases_folder_or_a_case_folder(tmp_path):
    _make_cases(tmp_path / "cases", 1)
    for wrong in (tmp_path / "cases", tmp_path / "cases" / "case00"):
        with pytest.raises(StoreError, match="a folder of its own"):
            build_all(tmp_path / "cases", wrong, progress=False, process_case=_fake_process)
    assert not (tmp_path / "cases" / "ledger.jsonl").exists()


def test_a_stored_case_whose_folder_has_gone_is_named_and_pruned_on_request(tmp_path, capsys):
    """A case withdrawn from the cases folder is still in the store, and still counted: build-all says
    so, and --prune takes it out (readers no longer see it; its part file goes once no case is read from
    it). The folder back: the case is built again."""
    import shutil

    from review.cli import main

    cases, store = tmp_path / "cases", tmp_path / "store"
    _make_cases(cases, 3)
    build_all(cases, store, progress=False, process_case=_fake_process)
    shutil.move(cases / "case01", tmp_path / "case01")
    summary = build_all(cases, store, progress=False, process_case=_fake_process)
    assert summary.without_folder == [("K01", "case01")] and not summary.removed
    assert "1 case(s) in the store have no folder here any more, and are still counted: K01 (folder case01)" in str(summary)
    assert sorted(read_store(store, "contacts")["case_id"].unique()) == ["K00", "K01", "K02"]

    assert main(["build-all", str(cases), "--store", str(store), "--no-progress", "--prune", "--json"]) == 0
    said = capsys.readouterr().out
    assert '"removed": [\n    "K01"\n  ]' in said
    assert read_ledger(store)["K01"]["status"] == "removed"
    for table in ("contacts", "flags", "cases"):
        assert sorted(read_store(store, table)["case_id"].unique()) == ["K00", "K02"]
    assert not list((store / "contacts").glob("case-K01*.parquet"))  # one part per case here: removed
    assert not build_all(cases, store, progress=False, process_case=_fake_process).without_folder

    shutil.move(tmp_path / "case01", cases / "case01")
    summary = build_all(cases, store, progress=False, process_case=_fake_process)
    assert summary.built == ["K01"]
    assert sorted(read_store(store, "contacts")["case_id"].unique()) == ["K00", "K01", "K02"]
