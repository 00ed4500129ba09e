"""s16: a season ("Spring 2021", "Winter 2020/21", precision "season") on the case store and Dask paths
(`review build-all`, `review.distributed.analyse_store`, `review dask-rules`): the store keeps the precision,
and the flags analysed again from the store, with pandas or Dask, are the case's own build's, their
explanations naming the season as the build does."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

pytest.importorskip("distributed")

from review.cli import main  # noqa: E402
from review.distributed import analyse_store, dask_client  # noqa: E402
from review.pipeline import analyse, load_case  # noqa: E402
from review.store import analyse_cases, build_all, read_store  # noqa: E402

CASE_YML = "case_id: {case_id}\ndate_of_birth: 2005-09-12\nreview_date: 2021-12-31\n"
CHRONOLOGY = (
    "Date,Agency,Type of contact,Details,Outcome\n"
    "03/02/2021,Eastborough Police,Missing person,Ellie reported missing overnight. Found with two adult males.,"
    "Returned home. Intel submitted.\n"
    "24/10/2021,Northgate University Hospital,A&E attendance,Laceration to hand. NAI suspected.,"
    "Discharged. No safeguarding referral.\n"
    "{strategy},Eastborough Childrens Social Care,Strategy discussion,Strategy discussion re CSE.,CSE panel\n"
    "Winter 2020/21,Eastborough Childrens Social Care,Home visit,Visit.,None\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("s16season")
    folders = []
    for case_id, strategy in (("spring", "Spring 2021"), ("winter", "Winter 2021/22")):
        folder = root / "cases" / case_id
        folder.mkdir(parents=True)
        (folder / "case.yml").write_text(CASE_YML.format(case_id=case_id), encoding="utf-8")
        (folder / "chron.csv").write_text(CHRONOLOGY.format(strategy=strategy), encoding="utf-8")
        folders.append(folder)
    build_all(root / "cases", root / "store", progress=False)
    return folders, root / "store"


def _single_flags(folders) -> pd.DataFrame:
    frames = [analyse(load_case(f)).flags for f in folders]
    return pd.concat(frames, ignore_index=True).sort_values("flag_id").reset_index(drop=True)


def test_the_store_keeps_the_seasons_precision_and_date(built):
    _, store = built
    timeline = read_store(store, "timeline").sort_values(["case_id", "date"])
    seasons = timeline[timeline["date_precision"] == "season"]
    assert sorted(zip(seasons["case_id"], seasons["date"].dt.strftime("%Y-%m-%d"))) == [
        ("spring", "2020-12-01"), ("spring", "2021-03-01"), ("winter", "2020-12-01"), ("winter", "2021-12-01")]


def test_pandas_and_dask_from_the_store_give_the_single_builds_flags_naming_the_season(built):
    folders, store = built
    single = _single_flags(folders)
    explanations = " ".join(single["explanation"])
    assert "recorded for Spring 2021, after the deadline" in " ".join(explanations.split())
    assert "Winter 2021/22" in explanations
    stored = read_store(store, "flags").sort_values("flag_id").reset_index(drop=True)
    assert stored["flag_id"].tolist() == single["flag_id"].tolist()
    assert stored["explanation"].tolist() == single["explanation"].tolist()
    again = analyse_cases(read_store(store, "contacts"), read_store(store, "cases"))["flags"]
    again = again.sort_values("flag_id").reset_index(drop=True)
    assert again["explanation"].tolist() == single["explanation"].tolist()
    with dask_client(n_workers=1, processes=False) as client:
        result = analyse_store(store, client=client, tables=("flags", "response_latency"), partition_rows=1)
    flags = result["flags"].sort_values("flag_id").reset_index(drop=True)
    assert flags["flag_id"].tolist() == single["flag_id"].tolist()
    assert flags["explanation"].tolist() == single["explanation"].tolist()
    actions = flags.set_index("case_id")["actual_action_date"].dropna()
    assert pd.Timestamp("2021-03-01") in set(actions)  # the spring strategy discussion, its first day


def test_dask_rules_writes_a_seasons_date_as_the_season(built, tmp_path):
    _, store = built
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, processes=False, threads_per_worker=1, dashboard_address=None) as cluster:
        assert main(["dask-rules", "--store", str(store), "--out", str(tmp_path / "out"),
                     "--address", cluster.scheduler_address]) == 0
    rows = list(csv.DictReader((tmp_path / "out" / "flags.csv").open(encoding="utf-8-sig")))
    spring = [r for r in rows if r["case_id"] == "spring" and r["rule_id"] == "exploitation_not_referred"]
    assert [r["actual_action_date"] for r in spring] == ["Spring 2021"]
    assert all(r["trigger_date"] == "2021-02-03" for r in spring)
