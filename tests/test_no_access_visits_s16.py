"""No-access home visits in child_not_seen (s16): a visit at which no one answered is a time the child was not
seen (never a sighting), a visit whether ingest typed it home_visit or was_not_brought ("No access visit - no
reply at the door"), and one pattern is one flag: repeated unseen visits by one agency are one visit_not_seen
flag, and the missed contacts of a was_not_brought flag are left to it."""
from __future__ import annotations

import pandas as pd
import pytest

from review.config import CaseConfig
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.sightings import not_seen_mask, seen_mask

RULES = load_rules()
CASE = CaseConfig(case_dir=".", case_id="C1", date_of_birth=pd.Timestamp("2022-01-01").date(),
                  review_date=pd.Timestamp("2023-12-31").date())
NO_ACCESS = "No access visit - no reply at the door"
CSC = {"agency": "CSC", "agency_kind": "social care"}
HV = {"agency": "HV", "agency_kind": "health"}
POLICE = {"agency": "Police", "agency_kind": "police"}


def rows(who, contact_type, days=("2023-02-01", "2023-02-03")):
    opened = {"date": "2023-01-05", "contact_type": "assessment", "description": "Neglect concerns. Child seen.",
              "concerns": "neglect", "child_seen": True, **CSC}
    visits = [{"date": d, "contact_type": contact_type, "description": NO_ACCESS, "concerns": "was_not_brought", **who}
              for d in days]
    seen_later = {"date": "2023-02-14", "contact_type": "home_visit", "description": "Child seen.", "child_seen": True,
                  **CSC}
    return [{**r, "open_concerns": "neglect"} for r in [opened, *visits, seen_later]]


def flags_of(rows, only=("child_not_seen", "was_not_brought")):
    return detect(make_timeline(rows, dob="2022-01-01"), CASE, RULES, only=list(only))


def visit_flags(flags):
    return flags[(flags["rule_id"] == "child_not_seen")
                 & flags["expected_action"].str.startswith("return visit")].reset_index(drop=True)


@pytest.mark.parametrize("contact_type", ["home_visit", "was_not_brought"])
def test_a_no_access_visit_is_not_seen_and_never_a_sighting(contact_type):
    timeline = make_timeline(rows(CSC, contact_type), dob="2022-01-01")
    assert list(not_seen_mask(timeline)[1:3]) == [True, True]
    assert not seen_mask(timeline)[1:3].any()


@pytest.mark.parametrize("contact_type", ["home_visit", "was_not_brought"])
def test_social_care_no_access_visits_are_one_visit_flag_whatever_their_type(contact_type):
    flags = visit_flags(flags_of(rows(CSC, contact_type)))
    assert len(flags) == 1  # not one per visit: the 3 Feb visit is the 1 Feb visit's failed return visit
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e002" and flag.evidence_event_ids == "C1-e002; C1-e003"
    assert flag.expected_by == pd.Timestamp("2023-02-08")
    assert "CSC visited on 1 Feb 2023 and did not see the child (with concerns open), nor at the return visit " \
           "on 3 Feb 2023, and recorded no sighting" in flag.explanation


def test_visits_further_apart_than_the_return_visit_time_are_flagged_apart():
    flags = visit_flags(flags_of(rows(CSC, "home_visit", ("2023-01-20", "2023-02-01"))))
    assert list(flags["trigger_event_id"]) == ["C1-e002", "C1-e003"]


@pytest.mark.parametrize("contact_type", ["home_visit", "was_not_brought"])
def test_health_no_access_visits_flagged_by_was_not_brought_raise_no_visit_flag(contact_type):
    flags = flags_of(rows(HV, contact_type))
    assert list(flags["rule_id"]) == ["was_not_brought"]
    assert flags.iloc[0].evidence_event_ids == "C1-e002; C1-e003"


def test_without_a_was_not_brought_flag_the_visit_is_child_not_seen_s():
    # was_not_brought not run: nothing else flags the pattern, so child_not_seen does (once)
    flags = visit_flags(flags_of(rows(HV, "home_visit"), only=["child_not_seen"]))
    assert list(flags["evidence_event_ids"]) == ["C1-e002; C1-e003"]
    # one no-access visit alone: too few for was_not_brought, a visit_not_seen flag
    flags = flags_of(rows(HV, "home_visit", ("2023-02-01",)))
    assert list(flags["rule_id"]) == ["child_not_seen"]


def test_police_no_access_is_no_visit_of_the_rule():
    assert visit_flags(flags_of(rows(POLICE, "was_not_brought"))).empty
