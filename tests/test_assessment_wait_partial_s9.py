"""`assessment_wait`: a request recorded only with a partial date ("March 2023") used never to be a trigger,
so a referral for an assessment known only to the month was never flagged however long the wait. It is now
read at its most favourable (as `child_not_seen` reads a stretch recorded only with partial dates): the
limit counted from the latest day the request could have been, an assessment any day from its first
possible day answering it; the explanation says the date is partial (docs/rules.md, "Partial dates")."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()


def flags_of(rows):
    return detect(make_timeline(rows), None, RULES, only=["assessment_wait"])


def request(date, precision="day", **kw):
    return {"date": date, "date_precision": precision, "contact_type": "referral", "agency": "Health Visiting",
            "description": "Referral to the child development centre for a developmental assessment", **kw}


def assessed(date, precision="day"):
    return {"date": date, "date_precision": precision, "contact_type": "assessment",
            "agency": "Child Development Centre"}


def contact(date):
    return {"date": date, "contact_type": "home_visit"}


def test_a_month_dated_request_never_assessed_is_flagged():
    flags = flags_of([request("2023-03-01", "month"), contact("2023-09-01")])
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e001"
    assert flag.expected_by == pd.Timestamp("2023-05-12")  # 31 March + 42 days
    assert flag.actual_action_event_id == "" and pd.isna(flag.delay_days)
    assert "Mar 2023, a partial date: counted from its latest possible day, 31 Mar 2023" in flag.explanation
    assert "by 12 May 2023 at the latest" in flag.explanation
    assert not re.search(r"\b1 Mar 2023", flag.explanation)  # never a made-up day


@pytest.mark.parametrize("done, flagged", [("2023-05-12", False), ("2023-05-13", True)])
def test_the_limit_runs_from_the_latest_day_of_the_month(done, flagged):
    flags = flags_of([request("2023-03-01", "month"), assessed(done)])
    assert (len(flags) == 1) is flagged
    if flagged:
        assert flags.iloc[0].actual_action_event_id == "C1-e002" and flags.iloc[0].delay_days == 1


def test_an_assessment_early_in_the_request_s_month_may_have_answered_it():
    assert flags_of([request("2023-03-01", "month"), assessed("2023-03-02"), contact("2023-09-01")]).empty


@pytest.mark.parametrize("last, flagged", [("2023-05-12", False), ("2023-05-13", True)])
def test_a_partial_request_still_in_time_at_the_end_of_the_review_is_not_flagged(last, flagged):
    assert (len(flags_of([request("2023-03-01", "month"), contact(last)])) == 1) is flagged


def test_a_year_dated_request_counts_from_31_december():
    flags = flags_of([request("2023-01-01", "year"), contact("2024-03-01")])
    assert flags["expected_by"].tolist() == [pd.Timestamp("2024-02-11")]
    assert "2023, a partial date: counted from its latest possible day, 31 Dec 2023" in flags.iloc[0].explanation
    assert flags_of([request("2023-01-01", "year"), contact("2024-02-11")]).empty


def test_a_partial_date_request_that_is_no_request_is_not_flagged():
    rows = [request("2023-03-01", "month", description="Referral: no assessment required"), contact("2023-09-01")]
    assert flags_of(rows).empty


def test_an_exact_request_s_explanation_is_unchanged():
    flags = flags_of([request("2023-03-01"), contact("2023-09-01")])
    assert flags.iloc[0].explanation.startswith(
        "An assessment was requested (Health Visiting, 1 Mar 2023) and none is recorded within 42 days (by 12 Apr 2023);")
