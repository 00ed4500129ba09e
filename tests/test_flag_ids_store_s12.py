"""A decision recorded against a flag's earlier, row-based id, in a store built from case folders
(`review.store.build_all`, which analyses cases sharing rules together): applied to the flag under its
current id, the note kept with the decision problems, and the Dask path gives the store's decided flags."""
from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("distributed")

from review.decisions import EARLIER_ID_NOTE, record_decision  # noqa: E402
from review.distributed import analyse_store, dask_client  # noqa: E402
from review.pipeline import load_case  # noqa: E402
from review.rules import detect, load_rules  # noqa: E402
from review.store import build_all, read_store  # noqa: E402
from review.synth import write_case_folders  # noqa: E402
from review.timeline import build_timeline  # noqa: E402


def test_a_decision_on_an_earlier_id_is_applied_in_the_store_and_by_dask(tmp_path):
    write_case_folders(tmp_path / "cases", 4, seed=29, contacts_per_case=50)
    build_all(tmp_path / "cases", tmp_path / "probe", progress=False)
    probe = read_store(tmp_path / "probe", "flags")
    case_id = sorted(probe["case_id"].unique())[0]
    case_dir = tmp_path / "cases" / case_id
    case = load_case(case_dir)
    flags = detect(build_timeline(case.contacts, case.config), case.config, load_rules(case_dir), legacy_ids=True)
    assert sorted(flags["flag_id"]) == sorted(probe.loc[probe["case_id"] == case_id, "flag_id"])
    flag = flags.iloc[0]
    record_decision(case_dir, flag["legacy_flag_id"], "accepted", "Referral never made.", "A. Reviewer", "2024-05-01")

    summary = build_all(tmp_path / "cases", tmp_path / "store", progress=False)
    assert summary.failed.empty
    stored = read_store(tmp_path / "store", "flags")
    decided = stored[(stored["case_id"] == case_id) & (stored["flag_id"] == flag["flag_id"])]
    assert decided["decision"].tolist() == ["accepted"] and decided["decided_by"].tolist() == ["A. Reviewer"]
    assert "legacy_flag_id" not in stored.columns
    history = read_store(tmp_path / "store", "decisions")
    assert history[["case_id", "flag_id", "current"]].values.tolist() == [[case_id, flag["flag_id"], True]]
    problems = read_store(tmp_path / "store", "decision_problems")
    assert problems[["case_id", "flag_id", "problem"]].values.tolist() == [
        [case_id, flag["flag_id"], EARLIER_ID_NOTE.format(old=flag["legacy_flag_id"], new=flag["flag_id"])]]

    with dask_client(n_workers=1, processes=False) as client:
        result = analyse_store(tmp_path / "store", client=client, tables=("flags",))
    order = ["case_id", "trigger_date", "rule_id", "flag_id"]
    pd.testing.assert_frame_equal(result["flags"].sort_values(order, kind="mergesort").reset_index(drop=True),
                                  stored.sort_values(order, kind="mergesort").reset_index(drop=True))
