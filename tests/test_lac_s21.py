"""Twenty-first session (lac): a looked-after child through the case store, the actions expected of a
looked-after child's case, a social worker named in an e-mail's recipient, reg. 28's visits after a placement's
first year.

1. The case store's case table keeps case.yml `looked_after` (`review.store.looked_after_json`), so a case analysed
   again from the store (`analyse_cases`, the Dask path, the row-by-row baseline) gives `review build`'s flags.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from review.config import CaseConfig, LookedAfterPeriod, load_case_config
from review.errors import ConfigError
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_rowwise

RULES = load_rules()
CSC_NAME = "Westmere Children's Social Care"


# -- 1. the store keeps looked_after ----------------------------------------------------------------------------
def _folder(case_dir: Path, case_id: str, looked_after) -> Path:
    case_dir.mkdir(parents=True)
    raw = {"case_id": case_id, "child_name": "Ollie Brent", "date_of_birth": "2010-03-10", "review_date": "2023-07-31",
           "child_sex": "male", "additional_needs": ["autism"],
           "files": [{"path": "csc.csv", "agency": CSC_NAME}, {"path": "school.csv", "agency": "Hollybrook School"}]}
    if looked_after:
        raw["looked_after"] = looked_after
    (case_dir / "case.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    csc = [["Date", "Type of contact", "Details", "Action / outcome", "Child seen"],
           ["06/09/2021", "Placement", "Ollie placed at Hollybrook School.", "", "Yes"],
           ["10/09/2021", "Home visit", "Statutory visit. Ollie seen in his room.", "", "Yes"],
           ["20/01/2022", "Home visit", "Statutory visit. Ollie seen in his room.", "", "Yes"],
           ["02/11/2022", "Home visit", "Statutory visit. Ollie seen in his room.", "", "Yes"],
           ["03/05/2023", "Home visit", "Statutory visit. Ollie seen in his room.", "", "Yes"]]
    school = [["Date", "Type of contact", "Details", "Action / outcome", "Child seen"],
              ["15/06/2022", "Other", "Ollie seen at morning care. Bruise to his arm, says a staff member grabbed him.",
               "Recorded on incident log.", "Yes"],
              ["20/06/2022", "Other", "Ollie seen at morning care.", "", "Yes"]]
    for name, rows in (("csc.csv", csc), ("school.csv", school)):
        with open(case_dir / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return case_dir


LAC_YML = {"from": "2021-09-06", "placing_authority": CSC_NAME, "placement": "residential special school",
           "placed_at": "Hollybrook School"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from review.store import build_all

    root = tmp_path_factory.mktemp("s21lac")
    _folder(root / "cases" / "ollie", "ollie", LAC_YML)
    _folder(root / "cases" / "twice", "twice", [dict(LAC_YML, to="2022-06-30", long_term=False),
                                                 {"from": "2022-09-01", "placing_authority": "Westmere CSC",
                                                  "placement": "long-term foster care"}])
    _folder(root / "cases" / "home", "home", None)
    build_all(root / "cases", root / "store", progress=False)
    return root


def _by_case(flags: pd.DataFrame, names) -> dict:
    return {name: sorted(flags[flags["case_id"] == name]["flag_id"]) for name in names}


def test_the_store_keeps_the_looked_after_periods(built):
    from review.store import case_configs, looked_after_json, read_store

    cases = read_store(built / "store", "cases").set_index("case_id")
    kept = json.loads(cases.loc["ollie", "looked_after"])
    assert kept == [{"from": "2021-09-06", "to": None, "placing_authority": CSC_NAME,
                     "placement": "residential special school", "placed_at": "Hollybrook School", "long_term": None}]
    assert cases.loc["home", "looked_after"] in ("", None) or pd.isna(cases.loc["home", "looked_after"])
    configs = case_configs(cases.reset_index())
    for name in ("ollie", "twice", "home"):
        assert configs[name].looked_after == load_case_config(built / "cases" / name).looked_after
        # deterministic: the same text every time
        assert looked_after_json(configs[name]) == (cases.loc[name, "looked_after"] if name != "home" else "")
    assert configs["twice"].looked_after[0].long_term is False


def test_the_store_and_dask_give_the_build_s_flags_for_a_looked_after_child(built):
    from review.pipeline import analyse, load_case
    from review.store import analyse_cases, read_store

    store, names = built / "store", ("ollie", "twice", "home")
    single = {name: sorted(analyse(load_case(built / "cases" / name)).flags["flag_id"]) for name in names}
    assert any(f.startswith("lac_visits_overdue") for f in single["ollie"])
    assert not any(f.startswith("lac_visits_overdue") for f in single["home"])
    assert _by_case(read_store(store, "flags"), names) == single  # build-all's own
    contacts, cases = read_store(store, "contacts"), read_store(store, "cases")
    again = analyse_cases(contacts, cases)["flags"]
    assert _by_case(again, names) == single
    # an older store (no looked_after kept): the rule did not run
    older = analyse_cases(contacts, cases.drop(columns="looked_after"))["flags"]
    assert not any(f.startswith("lac_visits_overdue") for f in older["flag_id"])
    # the row-by-row baseline reads the store's periods too
    rows, info = baseline_rowwise.rows_and_cases(contacts, cases)
    assert info["ollie"]["looked_after"] == load_case_config(built / "cases" / "ollie").looked_after

    pytest.importorskip("distributed")
    from review.distributed import analyse_store, dask_client

    with dask_client(n_workers=1, processes=False) as client:
        flags = analyse_store(store, client=client, tables=("flags",))["flags"]
    assert _by_case(flags, names) == single
