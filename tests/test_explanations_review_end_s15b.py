"""When the review period (case.yml `review_date`) ends before `response_max_days` after a concern ran out,
an explanation with no response says none is recorded before the end of the review period, not "within 90
days of" the concern (the records stop at the review date; s15 QA pass 2)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from review.config import CaseConfig
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
HV = {"agency": "Health Visiting", "agency_kind": "health"}
POLICE = {"agency": "Police", "agency_kind": "police"}


def case(review=None, death=None):
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2023, 1, 1),
                      review_date=None if review is None else pd.Timestamp(review).date(),
                      date_of_death=None if death is None else pd.Timestamp(death).date())


def bruise(date):
    return {"date": date, "contact_type": "home_visit", "description": "Bruise to left arm", "concerns": "bruising", **HV}


def incident(date):
    return {"date": date, **POLICE, "contact_type": "police_callout", "concerns": "domestic_abuse",
            "description": "DASH completed - high risk."}


def explanation(rule_id, rows, **kw):
    (text,) = detect(make_timeline(rows), case(**kw), RULES, only=[rule_id])["explanation"]
    return text


def test_the_injury_rule_names_the_end_of_the_review_period_when_it_came_before_the_cap():
    text = explanation("injury_not_escalated", [bruise("2023-11-28")], review="2023-12-31")
    assert text.endswith("; none by any agency is recorded before the end of the review period on 31 Dec 2023.")
    # was "; none by any agency is recorded within 90 days of the injury."
    assert "within 90 days" not in text


def test_the_cap_is_named_when_it_ran_out_before_the_review_period_ended():
    text = explanation("injury_not_escalated", [bruise("2023-03-10")], review="2023-12-31")
    assert text.endswith("; none by any agency is recorded within 90 days of the injury.")
    text = explanation("injury_not_escalated", [bruise("2023-03-10")])  # no review date: as before
    assert text.endswith("; none by any agency is recorded within 90 days of the injury.")


def test_a_death_before_the_review_date_keeps_its_own_text():
    text = explanation("injury_not_escalated", [bruise("2023-11-28")], review="2023-12-31", death="2023-12-10")
    assert text.endswith("; none by any agency is recorded before the child's death on 10 Dec 2023.")


def test_domestic_abuse_names_the_end_of_the_review_period():
    text = explanation("domestic_abuse_not_escalated", [incident("2023-11-28")], review="2023-12-31")
    assert text.endswith("; none is recorded before the end of the review period on 31 Dec 2023.")
    assert "within 90 days of 28 Nov 2023" not in text
