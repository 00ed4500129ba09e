"""`injury_not_escalated` and `nonmobile_injury`: a meeting or CP medical row whose text says it did not take
place ("Strategy discussion not held", "CP medical cancelled") is no response, even when its escalation cell
says it is (filled by hand, or by a profile's column): `review.rules.base.held_escalations`, the reading
`repeated_injury_or_ae` had already.

Before, both rules took any row whose escalation cell held one of their escalations for a response, so a
"Strategy discussion not held" row the day after a bruise in a baby suppressed the flag. The row-by-row
baseline (benchmarks/baseline_rowwise.py) reads the rows alike.
"""
from __future__ import annotations

import pytest

from tests._baseline import baseline_pairs, package_pairs
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
HV = {"agency": "Health Visiting", "agency_kind": "health"}
HOSP = {"agency": "Hospital", "agency_kind": "health"}


def package(rows, rule):
    return package_pairs(rows, rule)


def baseline(rows, rule):
    return baseline_pairs(rows, rule)


def bruise(date):
    return {"date": date, "contact_type": "home_visit", "description": "Bruise to left arm", "concerns": "bruising", **HV}


def typed(date, kind, text, escalation=None, who=CSC):
    return {"date": date, "contact_type": kind, "description": text, "escalation": escalation or kind, **who}


@pytest.mark.parametrize("kind,text", [
    ("strategy_discussion", "Strategy discussion not held"),
    ("strategy_discussion", "strategy meeting cancelled - police unavailable"),
    ("cp_conference", "ICPC postponed"),
    ("cp_medical", "CP medical declined by mother"),
    ("cp_medical", "CP medical cancelled"),
])
def test_injury_not_escalated_a_meeting_that_did_not_take_place_is_no_escalation(kind, text):
    """A bruise at 8 months; the next day a row of the meeting's type saying it did not happen, its escalation
    cell filled anyway: flagged, with no action (before: no flag)."""
    rows = [bruise("2023-09-01"), typed("2023-09-02", kind, text)]
    assert package(rows, "injury_not_escalated") == baseline(rows, "injury_not_escalated") == [("C1-e001", "")]


@pytest.mark.parametrize("kind,text", [
    ("strategy_discussion", "Strategy discussion held with police and health"),
    ("cp_conference", "ICPC postponed to 2nd, held on 2nd"),
    ("cp_medical", "CP medical completed, bruise consistent with account"),
])
def test_injury_not_escalated_a_meeting_that_took_place_is_an_escalation(kind, text):
    rows = [bruise("2023-09-01"), typed("2023-09-02", kind, text)]
    assert package(rows, "injury_not_escalated") == baseline(rows, "injury_not_escalated") == []


def test_injury_not_escalated_keeps_the_other_escalations_of_a_row_that_did_not_take_place():
    """"Strategy discussion not held; referred to MASH": the referral is still the escalation."""
    rows = [bruise("2023-09-01"), typed("2023-09-02", "strategy_discussion", "Strategy discussion not held; referred to MASH",
                                        "strategy_discussion; referral_to_csc")]
    assert package(rows, "injury_not_escalated") == baseline(rows, "injury_not_escalated") == []


def test_injury_not_escalated_an_escalation_cell_on_another_type_is_still_read():
    """A hand-filled escalation on a home visit stands unless its text denies it (since
    tests/test_held_followups_s10.py the text of a row of any type is read: "Strategy discussion not held"
    is no strategy discussion)."""
    rows = [bruise("2023-09-01"), typed("2023-09-02", "home_visit", "Strategy discussion not held", "strategy_discussion")]
    assert package(rows, "injury_not_escalated") == baseline(rows, "injury_not_escalated") == [("C1-e001", "")]
    rows = [bruise("2023-09-01"), typed("2023-09-02", "home_visit", "Home visit, SW present", "strategy_discussion")]
    assert package(rows, "injury_not_escalated") == baseline(rows, "injury_not_escalated") == []


def nonmobile_rows(medical_text):
    baby = {"date": "2023-03-01", "contact_type": "ae_attendance", "description": "Bruise to cheek, 2 month old",
            "concerns": "bruising", **HOSP}
    referral = typed("2023-03-01", "referral", "Referred to MASH", "referral_to_csc", HOSP)
    medical = typed("2023-03-01", "cp_medical", medical_text, "cp_medical", HOSP)
    return [baby, referral, medical]


@pytest.mark.parametrize("text", ["CP medical cancelled", "CP medical declined by mother", "CP medical not done",
                                  "cp medical booked for 03/03"])
def test_nonmobile_a_cp_medical_that_did_not_take_place_is_not_the_medical(text):
    rows = nonmobile_rows(text)
    assert package(rows, "nonmobile_injury") == baseline(rows, "nonmobile_injury") == [("C1-e001", "")]


def test_nonmobile_a_cp_medical_that_took_place_is_the_medical():
    rows = nonmobile_rows("CP medical by paediatrician, no further injuries")
    assert package(rows, "nonmobile_injury") == baseline(rows, "nonmobile_injury") == []


def test_nonmobile_a_strategy_discussion_not_held_is_no_referral():
    baby = {"date": "2023-03-01", "contact_type": "ae_attendance", "description": "Bruise to cheek",
            "concerns": "bruising", **HOSP}
    rows = [baby, typed("2023-03-01", "strategy_discussion", "Strategy discussion not held, manager unavailable"),
            typed("2023-03-01", "cp_medical", "CP medical completed", "cp_medical", HOSP)]
    assert package(rows, "nonmobile_injury") == baseline(rows, "nonmobile_injury") == [("C1-e001", "")]
    rows[1] = typed("2023-03-01", "strategy_discussion", "Strategy discussion held")
    assert package(rows, "nonmobile_injury") == baseline(rows, "nonmobile_injury") == []
