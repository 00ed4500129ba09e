"""The Dask path over a store gives exactly the pandas flags."""
from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("distributed")

from review.distributed import analyse_store, dask_client, partition_groups  # noqa: E402
from review.store import read_store, write_store_from_synth  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store")
    write_store_from_synth(path, 12, seed=4, cases_per_part=4)  # 3 parts -> 3 partitions, pandas flags stored
    return path


def test_dask_flags_equal_pandas_flags(store):
    with dask_client(n_workers=2, processes=False) as client:
        result = analyse_store(store, client=client, tables=("flags", "response_latency"), partition_rows=1)
    expected = read_store(store, "flags").sort_values("flag_id").reset_index(drop=True)
    flags = result["flags"].sort_values("flag_id").reset_index(drop=True)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(flags, expected)
    latency = read_store(store, "response_latency")
    pd.testing.assert_frame_equal(
        result["response_latency"].sort_values(["case_id", "event_id"]).reset_index(drop=True),
        latency.sort_values(["case_id", "event_id"]).reset_index(drop=True))


def test_dask_runs_on_an_existing_cluster_by_address(store):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, processes=False, threads_per_worker=1, dashboard_address=None) as cluster:
        result = analyse_store(store, address=cluster.scheduler_address)
    assert len(result["flags"]) == len(read_store(store, "flags"))


def test_dask_rules_command_writes_the_store_flags_from_an_existing_cluster(store, tmp_path, capsys):
    from distributed import LocalCluster

    from review.cli import main

    with LocalCluster(n_workers=1, processes=False, threads_per_worker=1, dashboard_address=None) as cluster:
        code = main(["dask-rules", "--store", str(store), "--out", str(tmp_path / "out"),
                     "--address", cluster.scheduler_address, "--partition-rows", "1"])
    assert code == 0
    written = pd.read_csv(tmp_path / "out" / "flags.csv", encoding="utf-8-sig")
    assert sorted(written["flag_id"]) == sorted(read_store(store, "flags")["flag_id"])
    assert (tmp_path / "out" / "response_latency.csv").exists()
    assert f"{len(written)} flags in" in capsys.readouterr().out


def test_part_files_are_grouped_into_partitions_of_about_partition_rows(store):
    from review.store import part_files

    files = [str(f) for f in part_files(store, "contacts")]
    rows = [len(pd.read_parquet(f, columns=["case_id"])) for f in files]
    assert len(files) == 3
    assert partition_groups(files, 1) == [(f,) for f in files]
    assert partition_groups(files, rows[0] + 1) == [tuple(files[:2]), (files[2],)]
    assert partition_groups(files, sum(rows) * 10) == [tuple(files)]


def test_grouped_partitions_give_the_same_flags(store):
    with dask_client(n_workers=1, processes=False) as client:
        one = analyse_store(store, client=client, partition_rows=10**9)["flags"]
    expected = read_store(store, "flags")
    pd.testing.assert_frame_equal(one.sort_values("flag_id").reset_index(drop=True),
                                  expected.sort_values("flag_id").reset_index(drop=True))


def test_a_local_cluster_starts_with_the_library_imported_and_without_the_profiler():
    with dask_client(n_workers=1, processes=True) as client:
        seen = client.run(lambda: (__import__("sys").modules.get("review.rules") is not None,
                                   __import__("dask").config.get("distributed.worker.profile.enabled"),
                                   __import__("os").environ.get("MALLOC_TRIM_THRESHOLD_")))
    assert list(seen.values()) == [(True, False, None)]


DECISION_COLUMNS = ["decision", "rationale", "decided_by", "decided_on"]


@pytest.fixture(scope="module")
def built_store(tmp_path_factory):
    """A store built from case folders that differ in what they are analysed with, chosen so that each
    difference changes the findings: a rules.yml turning off a rule that flags the case, a review date
    long after the last contact in a case with unescalated concerns (they become overdue), a date of
    death instead of a review date, timeline options."""
    import re

    from review.store import build_all
    from review.synth import write_case_folders

    root = tmp_path_factory.mktemp("built")
    write_case_folders(root / "cases", 8, seed=17, contacts_per_case=60)
    build_all(root / "cases", root / "probe", progress=False)
    flags, latency = read_store(root / "probe", "flags"), read_store(root / "probe", "response_latency")
    ruled = flags["case_id"].iloc[0]
    rule = flags["rule_id"].iloc[0]
    open_concerns = latency[latency["latency_days"].isna()]["case_id"].value_counts()
    late = next(c for c in open_concerns.index if c != ruled)
    others = [c for c in sorted(read_store(root / "probe", "cases")["case_id"]) if c not in (ruled, late)]

    def edit(case_id, change):
        path = root / "cases" / case_id / "case.yml"
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    (root / "cases" / ruled / "rules.yml").write_text(f"rules:\n  {rule}: {{enabled: false}}\n", encoding="utf-8")
    edit(late, lambda t: re.sub(r"review_date: '\d{4}", "review_date: '2030", t))
    edit(others[0], lambda t: re.sub(r"review_date: '(\d{4})", lambda m: f"date_of_death: '{m.group(1)}", t))
    edit(others[1], lambda t: t + "timeline:\n  concern_window_days: 3\n")
    summary = build_all(root / "cases", root / "store", progress=False)
    assert len(summary.built) == 8 and summary.failed.empty
    return root / "store", {"ruled": ruled, "rule": rule, "late": late}


def test_dask_analyses_each_case_as_build_all_did(built_store):
    """Rules, timeline options and dates are kept in the store's case table, so Dask gives the store's
    flags (as the rules raised them, before reviewers' decisions) and response latency."""
    store_dir, chosen = built_store
    cases = read_store(store_dir, "cases")
    assert cases["date_of_death"].notna().sum() == 1 and cases["rules"].nunique() == 2
    assert cases["timeline_options"].tolist().count('{"concern_window_days":3}') == 1
    with dask_client(n_workers=1, processes=False) as client:
        result = analyse_store(store_dir, client=client, tables=("flags", "response_latency"), partition_rows=10**9)
    stored = read_store(store_dir, "flags")
    stored = stored[stored["source"] != "reviewer"].drop(columns=DECISION_COLUMNS, errors="ignore")
    ours = result["flags"].drop(columns=DECISION_COLUMNS, errors="ignore")
    pd.testing.assert_frame_equal(ours.sort_values("flag_id").reset_index(drop=True),
                                  stored.sort_values("flag_id").reset_index(drop=True))
    # the differences are real: the case's own rules.yml turned its flag off; its concerns overdue by
    # the review date, not by its last contact
    assert not ((stored["case_id"] == chosen["ruled"]) & (stored["rule_id"] == chosen["rule"])).any()
    keys = ["case_id", "event_id"]
    latency = read_store(store_dir, "response_latency")
    assert (latency.loc[latency["case_id"] == chosen["late"], "within_expected"] == False).any()  # noqa: E712
    pd.testing.assert_frame_equal(result["response_latency"].sort_values(keys).reset_index(drop=True),
                                  latency.sort_values(keys).reset_index(drop=True))


def test_rules_given_to_dask_replace_the_kept_ones(built_store):
    from review.rules import load_rules

    built_store, _ = built_store
    rules = load_rules()
    rules["rules"]["information_not_shared"]["enabled"] = False
    with dask_client(n_workers=1, processes=False) as client:
        flags = analyse_store(built_store, client=client, rules=rules)["flags"]
    assert "information_not_shared" not in set(flags["rule_id"]) and len(flags)


def test_a_part_removed_during_a_run_is_a_clear_error(store, tmp_path):
    import shutil

    from review.distributed import store_frames
    from review.store import StoreError, part_files

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    flags = store_frames(copy, partition_rows=1)["flags"]  # planned from the ledger
    part_files(copy, "contacts")[0].unlink()  # then a writer removes a part
    import dask

    with dask.config.set(scheduler="synchronous"), pytest.raises(StoreError, match="removed while Dask was reading"):
        flags.compute()


def test_analyse_store_plans_again_when_a_writer_removed_a_part(store, tmp_path, monkeypatch):
    """Compaction while the graph runs: the run is planned again from the ledger, same flags."""
    import shutil

    import review.distributed as distributed
    from review.store import compact_store

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    real = distributed._read_part
    compacted = []

    def compacting_first(paths, *args, **kwargs):
        if not compacted:
            compacted.append(True)
            compact_store(copy, cases_per_part=12)  # the 3 planned parts become 1
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(distributed, "_read_part", compacting_first)
    with dask_client(n_workers=1, processes=False) as client:
        result = analyse_store(copy, client=client, partition_rows=1)
    assert compacted
    pd.testing.assert_frame_equal(result["flags"].sort_values("flag_id").reset_index(drop=True),
                                  read_store(store, "flags").sort_values("flag_id").reset_index(drop=True))


@pytest.fixture(scope="module")
def decided_store(tmp_path_factory):
    """A store built from case folders whose reviewers decided flags: accepted, rejected, a decision
    superseded by a later one, a finding added (in a case the rules do not flag at all too), and a
    decision on a flag the rules no longer raise."""
    from review.decisions import record_decision
    from review.store import build_all
    from review.synth import write_case_folders

    root = tmp_path_factory.mktemp("decided")
    write_case_folders(root / "cases", 6, seed=23, contacts_per_case=60)
    build_all(root / "cases", root / "probe", progress=False)
    flags = read_store(root / "probe", "flags")
    timeline = read_store(root / "probe", "timeline")
    flagged = sorted(flags["case_id"].unique())
    assert len(flagged) >= 2
    first, second = (flags[flags["case_id"] == c] for c in flagged[:2])
    case_dir = root / "cases" / flagged[0]
    record_decision(case_dir, first["flag_id"].iloc[0], "accepted", "Clear reason for concern, no referral.", "A. Reviewer")
    if len(first) > 1:
        record_decision(case_dir, first["flag_id"].iloc[1], "accepted", "First view.", "A. Reviewer")
        record_decision(case_dir, first["flag_id"].iloc[1], "rejected", "Referral found in a later file.", "B. Reviewer")
    record_decision(case_dir, "F-not-raised-any-more", "rejected", "Decided on an earlier run.", "A. Reviewer")
    event = timeline.loc[timeline["case_id"] == flagged[0], "event_id"].iloc[3]
    record_decision(case_dir, "", "added", "Missed strategy discussion.", "A. Reviewer", rule_id="reviewer_finding",
                    trigger_event_id=event, evidence_event_ids=event)
    record_decision(root / "cases" / flagged[1], second["flag_id"].iloc[0], "rejected", "Seen by the GP the next day.",
                    "C. Reviewer")
    unflagged = sorted(set(read_store(root / "probe", "cases")["case_id"]) - set(flagged))
    if unflagged:  # a finding in a case no rule flags
        event = timeline.loc[timeline["case_id"] == unflagged[0], "event_id"].iloc[0]
        record_decision(root / "cases" / unflagged[0], "", "added", "Not brought to the clinic.", "D. Reviewer",
                        rule_id="reviewer_finding", trigger_event_id=event, evidence_event_ids=event)
    summary = build_all(root / "cases", root / "store", progress=False)
    assert summary.failed.empty
    return root / "store"


def test_dask_flags_carry_the_reviewers_decisions_as_the_store_does(decided_store):
    stored = read_store(decided_store, "flags")
    assert {"accepted", "rejected", "added", "pending"} <= set(stored["decision"])
    assert len(read_store(decided_store, "decisions")) >= 5  # every row of every decisions.csv, history too
    for partition_rows in (1, 10**9):
        with dask_client(n_workers=1, processes=False) as client:
            result = analyse_store(decided_store, client=client, tables=("flags", "response_latency"),
                                   partition_rows=partition_rows)
        order = ["case_id", "trigger_date", "rule_id", "flag_id"]
        pd.testing.assert_frame_equal(result["flags"].sort_values(order, kind="mergesort").reset_index(drop=True),
                                      stored.sort_values(order, kind="mergesort").reset_index(drop=True))
        # the response latency is the rules' (reviewer-added findings do not change it), as stored
        keys = ["case_id", "event_id"]
        pd.testing.assert_frame_equal(result["response_latency"].sort_values(keys).reset_index(drop=True),
                                      read_store(decided_store, "response_latency").sort_values(keys).reset_index(drop=True))


def test_dask_flags_of_a_store_without_decisions_have_no_decision_columns(store):
    with dask_client(n_workers=1, processes=False) as client:
        flags = analyse_store(store, client=client)["flags"]
    assert not set(DECISION_COLUMNS) & set(flags.columns)


def test_dask_takes_the_decisions_from_the_stored_flags_when_the_store_keeps_no_decision_rows(decided_store, tmp_path):
    """A store written before the decision rows were kept (here: its decisions table removed) still gives
    the stored decisions and the findings reviewers added, from its flags table; and so does a compacted
    copy of the store."""
    import shutil

    from review.store import compact_store

    old = tmp_path / "old"
    shutil.copytree(decided_store, old)
    shutil.rmtree(old / "decisions")
    stored = read_store(decided_store, "flags")
    order = ["case_id", "trigger_date", "rule_id", "flag_id"]
    compacted = tmp_path / "compacted"
    shutil.copytree(decided_store, compacted)
    compact_store(compacted, cases_per_part=4)
    for store in (old, compacted):
        with dask_client(n_workers=1, processes=False) as client:
            flags = analyse_store(store, client=client, partition_rows=1)["flags"]
        pd.testing.assert_frame_equal(flags.sort_values(order, kind="mergesort").reset_index(drop=True),
                                      stored.sort_values(order, kind="mergesort").reset_index(drop=True))


def test_flags_dask_raises_with_other_rules_are_pending_in_a_store_with_decisions(built_store):
    """The package's rules given to Dask raise the flags a case's rules.yml had turned off: not in the
    store, so pending."""
    from review.rules import load_rules

    store_dir, chosen = built_store
    with dask_client(n_workers=1, processes=False) as client:
        flags = analyse_store(store_dir, client=client, rules=load_rules())["flags"]
    new = flags[~flags["flag_id"].isin(read_store(store_dir, "flags")["flag_id"])]
    assert ((new["case_id"] == chosen["ruled"]) & (new["rule_id"] == chosen["rule"])).any()
    assert (new["decision"] == "pending").all() and (new["rationale"] == "").all() and new["decided_on"].isna().all()


def test_a_pruned_case_is_not_analysed_by_dask(decided_store, tmp_path):
    """A case taken out of the store (`build-all --prune`, its folder gone) shares its part file with
    other cases: Dask skips its rows, as the store's readers do."""
    import shutil

    from review.store import build_all, read_ledger

    store = tmp_path / "store"
    shutil.copytree(decided_store, store)
    cases = tmp_path / "cases"
    shutil.copytree(decided_store.parent / "cases", cases)
    gone = sorted(read_store(store, "flags")["case_id"].unique())[0]
    shutil.rmtree(cases / gone)
    summary = build_all(cases, store, progress=False, prune=True)
    assert summary.removed == [gone] and read_ledger(store)[gone]["status"] == "removed"
    stored = read_store(store, "flags")
    assert gone not in set(stored["case_id"]) and len(stored)
    with dask_client(n_workers=1, processes=False) as client:
        flags = analyse_store(store, client=client, partition_rows=1)["flags"]
    order = ["case_id", "trigger_date", "rule_id", "flag_id"]
    pd.testing.assert_frame_equal(flags.sort_values(order, kind="mergesort").reset_index(drop=True),
                                  stored.sort_values(order, kind="mergesort").reset_index(drop=True))
