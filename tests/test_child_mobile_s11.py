"""child_mobile of rows whose date is not a day (s11).

1. An approximate date ("c. 12/07/2023", "mid July 2023": precision approximate) is the period
   [day - approximate_span_days, day + approximate_span_days] as the rules read it: when the child became
   mobile in that period, child_mobile is NA (before: the mobility of its recorded day), as it is for a
   month or a year (s10). Outside it, the recorded day's mobility, as before.
2. `review.rules.testing.make_timeline` computes child_mobile with the timeline's function
   (`review.timeline.child_mobile`): before, it read the recorded day alone, so a hand-made "Jul 2023"
   row was not mobile where the pipeline's is unknown.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from review.config import CaseConfig
from review.rules.testing import make_timeline
from review.schema import CONTACT_COLUMNS, conform
from review.timeline import APPROXIMATE_SPAN_DAYS, build_timeline, child_mobile
from tests._baseline import RULES
from tests.test_held_followups_s10 import CASE, contact  # mobile from 15 July 2023

import baseline_rowwise  # noqa: E402  (benchmarks/ is on sys.path through tests._baseline)

# mobile from 15 July 2023; an approximate date is its day +/- 31 days
ROWS = [("a_jun01", "2023-06-01", "approximate"),  # [1 May, 2 Jul]: not mobile
        ("a_jun15", "2023-06-15", "approximate"),  # [15 May, 16 Jul]: became mobile in it
        ("a_jul14", "2023-07-14", "approximate"),  # recorded day not mobile: before False
        ("a_jul20", "2023-07-20", "approximate"),  # recorded day mobile: before True
        ("a_aug15", "2023-08-15", "approximate"),  # [15 Jul, 15 Sep]: mobile on every day of it
        ("a_aug16", "2023-08-16", "approximate"),
        ("jul", "2023-07-01", "month"), ("d14", "2023-07-14", "day"), ("d15", "2023-07-15", "day")]
MOBILE = {"a_jun01": False, "a_jun15": None, "a_jul14": None, "a_jul20": None, "a_aug15": True,
          "a_aug16": True, "jul": None, "d14": False, "d15": True}


def got(frame) -> dict:
    return {e: (None if pd.isna(v) else bool(v)) for e, v in zip(frame["event_id"], frame["child_mobile"])}


def test_span_is_the_rules_default():
    assert APPROXIMATE_SPAN_DAYS == RULES["settings"]["approximate_span_days"] == 31


def test_build_timeline_approximate_dates():
    frame = conform(pd.DataFrame([contact(*r) for r in ROWS]), CONTACT_COLUMNS)
    timeline = build_timeline(frame, CASE)
    assert str(timeline["child_mobile"].dtype) == "boolean"
    assert got(timeline) == MOBILE


def test_baseline_computes_the_same_column():
    rows = [dict(contact(*r), date=pd.Timestamp(r[1]).to_pydatetime()) for r in ROWS]
    info = {"c1": {"date_of_birth": dt.date(2023, 1, 1), "mobile_from": dt.date(2023, 7, 15), "review_date": None}}
    base_timeline, _ = baseline_rowwise.run(rows, info, RULES)
    assert {r["event_id"]: r["child_mobile"] for r in base_timeline} == MOBILE


def test_child_mobile_function():
    days = np.array(["2023-06-15", "2023-06-15", "NaT"], dtype="datetime64[D]")
    precision = pd.Series(["approximate", "day", "approximate"], dtype="string")
    out = child_mobile(days, np.datetime64("2023-07-15"), precision)
    assert [None if pd.isna(v) else bool(v) for v in out] == [None, False, None]
    # a narrower span: the threshold is outside the period
    out = child_mobile(days, np.datetime64("2023-07-15"), precision, approximate_span_days=7)
    assert [None if pd.isna(v) else bool(v) for v in out] == [False, False, None]


def test_make_timeline_builds_what_the_timeline_builds():
    rows = [{"date": d, "date_precision": p, "event_id": e} for e, d, p in ROWS]
    hand = make_timeline(rows, dob="2023-01-01", mobile_from="2023-07-15")
    assert str(hand["child_mobile"].dtype) == "boolean"
    assert got(hand) == MOBILE  # before: "jul" False, "a_jun15" False, "a_jul14" False, "a_jul20" True


def test_make_timeline_default_threshold_as_the_timeline():
    """No mobile_from: mobile from the default months of age (born 10 January: 10 July), as
    `mobility_threshold`; "Jul 2023" unknown."""
    rows = [{"date": "2023-07-01", "date_precision": "month", "event_id": "jul"},
            {"date": "2023-07-09", "event_id": "d9"}, {"date": "2023-07-10", "event_id": "d10"}]
    hand = make_timeline(rows, dob="2023-01-10")
    case = CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2023, 1, 10))
    frame = conform(pd.DataFrame([dict(contact(e, r["date"], r.get("date_precision", "day")), case_id="C1")
                                  for e, r in zip(["jul", "d9", "d10"], rows)]), CONTACT_COLUMNS)
    assert got(hand) == got(build_timeline(frame, case)) == {"jul": None, "d9": False, "d10": True}


@pytest.mark.parametrize("given", [True, False])
def test_make_timeline_keeps_a_value_given(given):
    hand = make_timeline([{"date": "2023-07-01", "date_precision": "month", "child_mobile": given},
                          {"date": "2023-07-01", "date_precision": "month"}], mobile_from="2023-07-15")
    assert hand["child_mobile"].tolist()[0] is given
    assert pd.isna(hand["child_mobile"].tolist()[1])
