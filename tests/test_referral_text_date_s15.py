"""`referral_no_decision`: a referral its record's text dates explicitly on a later day is counted from that
day. QA's case A: the police's record of 19.02.21 says "Referral to MASH sent 22.02.21"; it was read as a
referral on 19 Feb 2021, due a decision by 22 Feb, and flagged 1 day late for social care's decision of 23 Feb.
Counted from 22 Feb (due 23 Feb), the decision was in time."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.base import referral_text_day, referral_text_dates
from review.rules.testing import make_timeline
from tests._baseline import baseline_pairs, package_pairs

RULES = load_rules()
POLICE = {"agency": "Eastborough Police", "agency_kind": "police"}
CSC = {"agency": "Eastborough Children's Social Care", "agency_kind": "social care"}


def police_referral(action="Returned home. Intel submitted. Referral to MASH sent 22.02.21", date="2021-02-19"):
    return {"date": date, "contact_type": "other", **POLICE, "escalation": "referral_to_csc",
            "description": "Ellie reported missing again. Child sexual exploitation risk noted.", "action": action}


def decision(date="2021-02-23"):
    return {"date": date, "contact_type": "referral_decision", **CSC,
            "description": "MASH decision: threshold met for single assessment."}


def end(date="2021-06-30"):
    return {"date": date, "contact_type": "home_visit", **CSC, "description": "Ellie seen."}


def flags_of(rows):
    return detect(make_timeline(rows), None, RULES, only=["referral_no_decision"])


def test_a_referral_dated_in_its_text_is_counted_from_that_day():
    assert flags_of([police_referral(), decision("2021-02-23"), end()]).empty


def test_its_flag_says_the_text_dates_the_referral():
    flags = flags_of([police_referral(), decision("2021-02-25"), end()])
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_date == pd.Timestamp("2021-02-19")  # the record is still the trigger
    assert flag.expected_by == pd.Timestamp("2021-02-23")  # one working day after Mon 22 Feb
    assert flag.delay_days == 2
    assert flag.explanation.startswith(
        "Eastborough Police referred the child to children's social care on 22 Feb 2021 (referral dated 22 Feb "
        "2021 in the record's text of 19 Feb 2021) and no decision")


@pytest.mark.parametrize("action", [
    "Referral to MASH sent",  # no date
    "Referral to MASH sent 15.02.21",  # before the record: ignored
    "Referral to MASH sent 22.02.29",  # after the end of the review: ignored
    "Referral to MASH sent 22.02.21; referral to CAMHS made 24.02.21",  # two days: ambiguous
    "Referral to MASH. Strategy meeting 22.02.21",  # a date of something else
])
def test_without_one_referral_date_in_the_text_the_record_s_day_counts(action):
    flag = flags_of([police_referral(action), decision("2021-02-23"), end()]).iloc[0]
    assert flag.expected_by == pd.Timestamp("2021-02-22")
    assert "on 19 Feb 2021 and no decision" in flag.explanation


@pytest.mark.parametrize("text, day", [
    ("Referral to MASH sent 22.02.21", dt.date(2021, 2, 22)),
    ("referred to children's social care on 24/02/2021", dt.date(2021, 2, 24)),
    ("Referral made on 3rd March 2021", dt.date(2021, 3, 3)),
    ("Referral submitted 1/3/21", dt.date(2021, 3, 1)),
    ("referred on 01-03-2021", dt.date(2021, 3, 1)),
])
def test_referral_text_dates_read_day_first(text, day):
    assert referral_text_dates(text) == [day]


def test_the_same_day_twice_is_not_ambiguous():
    assert referral_text_day("Referral sent 22.02.21", "referred to MASH on 22/02/2021",
                             dt.date(2021, 2, 19), dt.date(2021, 12, 31)) == dt.date(2021, 2, 22)


@pytest.mark.parametrize("action", ["Referral to MASH sent 22.02.21", "Referral to MASH sent", "Referral sent 15.02.21"])
@pytest.mark.parametrize("decided", ["2021-02-23", "2021-02-25"])
def test_the_row_by_row_baseline_counts_the_referral_as_the_package_does(action, decided):
    rows = [police_referral(action), decision(decided), end()]
    assert package_pairs(rows, "referral_no_decision") == baseline_pairs(rows, "referral_no_decision")
