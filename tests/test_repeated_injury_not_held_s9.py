"""`repeated_injury_or_ae`: a meeting or escalation row that did not take place ("Strategy discussion not
held", "ICPC cancelled": a row of that contact type whose text says so, `review.rules.base.types_held`) is
neither a response to the pattern nor a meeting that discusses (joins) an injury episode.

Before, the rule took every row whose escalation cell held one of its escalations for a response, and every
row of a meeting type for a meeting: "Strategy discussion not held" the day after the second injury
suppressed the flag, and "ICPC cancelled" joined the injury it named to the one an agency had recorded weeks
before. The row-by-row baseline (benchmarks/baseline_rowwise.py) reads the rows alike.
"""
from __future__ import annotations

import pytest

from tests._baseline import baseline_pairs, package_pairs
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
GP = {"agency": "GP", "agency_kind": "health"}
HV = {"agency": "Health Visiting", "agency_kind": "health"}
RULE = "repeated_injury_or_ae"


def package(rows):
    return package_pairs(rows, RULE)


def baseline(rows):
    return baseline_pairs(rows, RULE)


def bruise(date, who=HV, text="Bruise to left arm"):
    return {"date": date, "contact_type": "home_visit", "description": text, "concerns": "bruising", **who}


def meeting(date, kind, text, **kw):
    return {"date": date, "contact_type": kind, "description": text, "escalation": kind, **CSC, **kw}


@pytest.mark.parametrize("kind,text", [
    ("strategy_discussion", "Strategy discussion not held"),
    ("strategy_discussion", "Strategy meeting cancelled"),
    ("cp_conference", "ICPC cancelled"),
    ("cp_conference", "ICPC postponed"),
])
def test_a_meeting_that_did_not_take_place_is_no_response(kind, text):
    rows = [bruise("2023-09-01"), bruise("2023-09-30", GP, "Bruise to right cheek"), meeting("2023-10-01", kind, text)]
    assert package(rows) == baseline(rows) == [("C1-e002", "")]


@pytest.mark.parametrize("kind,text", [
    ("strategy_discussion", "Strategy discussion held"),
    ("cp_conference", "ICPC held, child made subject to a plan"),
])
def test_a_meeting_that_took_place_is_a_response(kind, text):
    rows = [bruise("2023-09-01"), bruise("2023-09-30", GP, "Bruise to right cheek"), meeting("2023-10-01", kind, text)]
    assert package(rows) == baseline(rows) == []


def test_a_cancelled_meeting_keeps_its_other_escalations():
    """"ICPC cancelled; referred to MASH": the referral is still a response."""
    row = meeting("2023-10-01", "cp_conference", "ICPC cancelled; referred to MASH")
    row["escalation"] = "cp_conference; referral_to_csc"
    rows = [bruise("2023-09-01"), bruise("2023-09-30", GP, "Bruise to right cheek"), row]
    assert package(rows) == baseline(rows) == []


def test_a_cancelled_meeting_joins_no_injury_episode():
    """A conference discussing the bruise the health visitor saw weeks before is the same injury; a row
    recording the conference cancelled, with a bruise seen that day, is a record of its own."""
    held = {"date": "2023-10-10", "contact_type": "cp_conference", "concerns": "bruising",
            "description": "ICPC held: bruise to arm discussed", **CSC}
    cancelled = {**held, "description": "ICPC cancelled. Bruise to cheek seen by social worker"}
    assert package([bruise("2023-09-01"), held]) == baseline([bruise("2023-09-01"), held]) == []
    rows = [bruise("2023-09-01"), cancelled]
    assert package(rows) == baseline(rows) == [("C1-e002", "")]
