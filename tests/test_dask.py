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
