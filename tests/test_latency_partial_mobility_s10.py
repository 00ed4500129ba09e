"""response_latency: an injury recorded only with a partial date whose period the child became mobile in
(not mobile on one day of it, mobile on another) is judged whatever day it fell on.

The expected time of an injury in a child who is not mobile is `nonmobile_injury_days` (0), else the tag's
(bruising: 2). Before, the child's mobility on the row's own day (the first day of "Jul 2023") chose the
time, so a "Jul 2023" bruise in a child mobile from 15 July, escalated on 1 August, was "not within
expected" (late against 0 days from 31 July) although a bruise on 20 July (a mobile child: 2 days, by 2
August) would not be late. Now it is certainly late only past the longer time (the child mobile on the
period's last day) and certainly in time only by the shorter one (not mobile on its first day): else NA.
The ages the rules' triggers compare with thresholds (nonmobile_injury, injury_not_escalated) are of
exact-date rows only, and are not concerned.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from review.config import CaseConfig
from review.rules import response_latency
from review.rules.testing import make_timeline
from tests._baseline import RULES

HV = {"agency": "Health Visiting", "agency_kind": "health"}


def judged(mobile_from, *, precision="month", injury="2023-07-01", escalation="2023-08-01", case=None):
    """(expected_days, first escalation, within_expected) of a bruise dated `injury` with `precision`, the
    child (born 1 January 2023) mobile from `mobile_from`, a referral on `escalation`."""
    rows = [{"date": injury, "date_precision": precision, "description": "Bruise to arm", "concerns": "bruising", **HV},
            {"date": escalation, "contact_type": "referral", "description": "Referred to MASH",
             "escalation": "referral_to_csc", **HV},
            {"date": "2023-12-01", "description": "Routine visit", **HV}]
    out = response_latency(make_timeline(rows, mobile_from=mobile_from), rules=RULES, case=case)
    row = out[out["event_id"] == "C1-e001"].iloc[0]
    within = row["within_expected"]
    return float(row["expected_days"]), row["first_escalation_event_id"], None if within is None or str(within) == "<NA>" else bool(within)


def config(mobile_from):
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2023, 1, 1), mobile_from=mobile_from)


@pytest.mark.parametrize("case", [None, config(dt.date(2023, 7, 15))])
def test_a_month_the_child_became_mobile_in_is_not_certainly_late(case):
    """'Jul 2023' bruise, mobile from 15 July, referral 1 August: undecidable (before: False). From the
    case's threshold, or (no case) from the timeline and the child's age."""
    assert judged("2023-07-15", case=case) == (0.0, "C1-e002", None)


@pytest.mark.parametrize("case", [None, config(dt.date(2023, 8, 15))])
def test_a_month_the_child_was_not_mobile_in_at_all_is_still_late(case):
    """Mobile only from 15 August: not mobile on any day of July; the referral of 1 August is late."""
    assert judged("2023-08-15", case=case) == (0.0, "C1-e002", False)


def test_a_month_the_child_was_mobile_in_throughout_keeps_the_tags_time():
    assert judged("2023-06-15") == (2.0, "C1-e002", None)
    assert judged("2023-06-15", escalation="2023-08-05") == (2.0, "C1-e002", False)


def test_an_approximate_date_before_and_after_mobility_is_not_certainly_in_time():
    """'about 20 July 2023' (31 days either side), mobile from 15 July (so mobile on its own day: 2 days),
    referral on 20 June: in time had the bruise been on 20 July, not had it been on 19 June, when the
    child was not mobile (0 days). Before: True."""
    assert judged("2023-07-15", precision="approximate", injury="2023-07-20", escalation="2023-06-20") == (
        2.0, "C1-e002", None)


def test_an_exact_date_is_unchanged():
    assert judged("2023-07-15", precision="day", injury="2023-07-10", escalation="2023-07-11") == (0.0, "C1-e002", False)
    assert judged("2023-07-15", precision="day", injury="2023-07-20", escalation="2023-07-21") == (2.0, "C1-e002", True)
