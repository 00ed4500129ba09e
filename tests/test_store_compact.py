"""`review compact`: a store's one-case parts merged into parts of many cases, without changing any
table; cases rebuilt afterwards go to parts of their own and their old rows are no longer read, by
pandas (`read_store`) or by Dask; compacting again drops those rows for good."""
from __future__ import annotations

import shutil
from pathlib import Path

import dask
import pandas as pd
import pytest

import review.store
from review.cli import main
from review.distributed import store_frames
from review.store import (
    build_all,
    compact_store,
    part_files,
    read_ledger,
    read_store,
    stale_cases,
    store_tables,
)
from review.synth import write_case_folders

TABLES = ("contacts", "timeline", "flags", "response_latency", "cases", "ingest", "rejections")


def _tables(store_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table, rows in case order (compaction changes the order of the parts, not the rows of a case)."""
    return {t: read_store(store_dir, t).sort_values("case_id", kind="stable").reset_index(drop=True) for t in TABLES}


def _assert_same_tables(a: dict, b: dict, names: tuple[str, ...] = TABLES) -> None:
    for name in names:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, dict]:
    root = tmp_path_factory.mktemp("compact")
    write_case_folders(root / "cases", 8, seed=21, contacts_per_case=50)
    with pytest.MonkeyPatch.context() as patch:  # one case per part, as stores built before batch parts are
        patch.setattr(review.store, "BATCH_CASES", 1)
        build_all(root / "cases", root / "store", progress=False)
    return root / "cases", root / "store", _tables(root / "store")


@pytest.fixture()
def store(built, tmp_path) -> tuple[Path, Path, dict]:
    cases, store_dir, tables = built
    shutil.copytree(cases, tmp_path / "cases")
    shutil.copytree(store_dir, tmp_path / "store")
    return tmp_path / "cases", tmp_path / "store", tables


def _dask_flags(store_dir: Path) -> pd.DataFrame:
    with dask.config.set(scheduler="synchronous"):
        flags = store_frames(store_dir, partition_rows=10**9)["flags"].compute()
    return flags.sort_values(["case_id", "flag_id"], kind="stable").reset_index(drop=True)


def _sorted_flags(store_dir: Path) -> pd.DataFrame:
    flags = read_store(store_dir, "flags")[list(_dask_flags(store_dir).columns)]
    return flags.sort_values(["case_id", "flag_id"], kind="stable").reset_index(drop=True)


def test_compacting_merges_parts_and_changes_no_table(store):
    cases, store_dir, before = store
    assert len(part_files(store_dir, "contacts")) == 8
    summary = compact_store(store_dir, cases_per_part=3)
    assert (summary.cases, summary.parts_written, summary.parts_removed) == (8, 3, 8)
    for table in store_tables(store_dir):
        assert len(list((store_dir / table).glob("*.parquet"))) == 3, table
    assert not (store_dir / ".staging").exists()
    _assert_same_tables(_tables(store_dir), before)
    assert {e["part"] for e in read_ledger(store_dir).values()} == {p.stem for p in part_files(store_dir, "flags")}
    # build-all still knows every case is complete with the same inputs
    again = build_all(cases, store_dir, progress=False)
    assert len(again.skipped) == 8 and not again.built
    # already in the fewest parts of 3 (a larger --cases-per-part merges them further: test_exports_s8)
    assert str(compact_store(store_dir, cases_per_part=3)) == "nothing to compact"


def test_a_case_rebuilt_after_compacting_is_read_once_with_its_new_rows(store, tmp_path):
    cases, store_dir, before = store
    compact_store(store_dir, cases_per_part=4)
    folder = sorted(p for p in cases.iterdir() if p.is_dir())[1]
    case_yml = folder / "case.yml"
    case_yml.write_text(case_yml.read_text(encoding="utf-8") + "timeline:\n  concern_window_days: 2\n", encoding="utf-8")
    summary = build_all(cases, store_dir, progress=False)
    assert summary.built == [folder.name]
    assert stale_cases(store_dir) and folder.name in next(iter(stale_cases(store_dir).values()))

    # the same tables as a store built from scratch with the changed folder
    fresh = tmp_path / "fresh"
    build_all(cases, fresh, progress=False)
    after = _tables(store_dir)
    _assert_same_tables(after, _tables(fresh))
    assert after["contacts"]["event_id"].is_unique
    # columns read on their own, and one case alone, leave out the old rows too
    assert len(read_store(store_dir, "contacts", columns=["event_id"])) == len(after["contacts"])
    assert read_store(store_dir, "contacts", cases=[folder.name])["event_id"].is_unique
    # Dask reads the same rows
    pd.testing.assert_frame_equal(_dask_flags(store_dir), _sorted_flags(store_dir), check_dtype=False)

    # compacting again rewrites the part without the old rows
    compact_store(store_dir, cases_per_part=4)
    assert stale_cases(store_dir) == {}
    _assert_same_tables(_tables(store_dir), after)
    assert len(list((store_dir / "contacts").glob("*.parquet"))) == 2


def test_a_failed_rebuild_after_compacting_hides_the_case_as_before(store):
    cases, store_dir, before = store
    compact_store(store_dir, cases_per_part=8)
    folder = sorted(p for p in cases.iterdir() if p.is_dir())[2]
    (folder / "case.yml").write_text("case_id: [not, valid\n", encoding="utf-8")
    summary = build_all(cases, store_dir, progress=False)
    assert summary.failed["case"].tolist() == [folder.name]
    after = _tables(store_dir)
    assert folder.name not in set(after["cases"]["case_id"])
    for name in TABLES:
        expected = before[name][before[name]["case_id"] != folder.name].reset_index(drop=True)
        pd.testing.assert_frame_equal(after[name], expected, check_exact=True, obj=name)
    pd.testing.assert_frame_equal(_dask_flags(store_dir), _sorted_flags(store_dir), check_dtype=False)


def test_compact_command(store, capsys):
    _, store_dir, before = store
    assert main(["compact", "--store", str(store_dir), "--cases-per-part", "5", "--no-progress"]) == 0
    assert capsys.readouterr().out.strip() == "8 cases moved into 2 part(s); 8 part(s) removed"
    assert main(["compact", "--store", str(store_dir), "--cases-per-part", "5", "--no-progress"]) == 0
    assert capsys.readouterr().out.strip() == "nothing to compact"
    _assert_same_tables(_tables(store_dir), before)
    assert main(["compact", "--store", str(store_dir / "nope"), "--no-progress"]) != 0


def test_batch_parts_are_compacted_too(built, tmp_path):
    """`build-all` stores a task's cases in one part (up to 32 cases); compacting merges those too."""
    cases, _, before = built
    build_all(cases, tmp_path / "store", progress=False)
    store_dir = tmp_path / "store"
    assert [p.stem.split("-")[0] for p in part_files(store_dir, "contacts")] == ["batch"]
    _assert_same_tables(_tables(store_dir), before)
    summary = compact_store(store_dir, cases_per_part=3)
    assert (summary.cases, summary.parts_written, summary.parts_removed) == (8, 3, 1)
    _assert_same_tables(_tables(store_dir), before)
    assert len(build_all(cases, store_dir, progress=False).skipped) == 8


def test_a_read_that_loses_its_parts_to_a_writer_starts_over(store, monkeypatch):
    """Readers take no lock: compaction may remove the parts a read listed; the read starts over from
    the ledger's new state and gives the same rows."""
    _, store_dir, before = store
    real = review.store._read_current
    reads = []

    def compacting_meanwhile(files, *args, **kwargs):
        if not reads or reads[-1] is not None:  # not the compaction's own reads
            reads.append(len(files))
            if len(reads) == 1:
                reads.append(None)
                compact_store(store_dir, cases_per_part=3)  # removes the 8 one-case parts listed
                reads.append(-1)
        return real(files, *args, **kwargs)

    monkeypatch.setattr(review.store, "_read_current", compacting_meanwhile)
    flags = read_store(store_dir, "flags").sort_values("case_id", kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(flags, before["flags"], check_exact=True)
    assert [n for n in reads if n not in (None, -1)] == [8, 3]


def test_a_part_file_missing_from_a_complete_case_is_an_error_not_fewer_rows(store):
    _, store_dir, before = store
    victim = part_files(store_dir, "flags")[0]
    victim.unlink()
    with pytest.raises(review.store.StoreError, match=r"a part file of the store is missing .*flags"):
        read_store(store_dir, "flags")
    _assert_same_tables({"contacts": read_store(store_dir, "contacts").sort_values("case_id", kind="stable")
                         .reset_index(drop=True)}, {"contacts": before["contacts"]}, names=("contacts",))
