"""Eighteenth session (QA3 defect 5): a referral social care receives from a member of the public or the family
("Third referral from maternal grandmother: photos of a black eye") is no agency's escalation
(`base.public_referral_receipts`): it answers neither the health visitor's bruise of the day before nor itself,
and is social care's own record of the concern; it still awaits social care's decision (referral_no_decision).
An agency's referral received ("Referral from ED re cheek bruise") answers as before."""
import pytest

from review.rules import detect, load_rules, response_latency
from review.rules.base import public_referrer_cell, public_referrer_text
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULES = load_rules()
SETTINGS = RULES["settings"]
CSC = {"agency": "Westbridge Children's Social Care", "agency_kind": "social care"}
HV = {"agency": "Westbridge Health Visiting", "agency_kind": "health"}
DOB = "2023-01-01"  # the child is 12 months old and mobile at the bruise


def hv_bruise():
    return {"date": "2024-01-14", "contact_type": "home_visit", "concerns": "bruising",
            "description": "Small bruise below left eye; mother said she fell off the sofa.", **HV}


def grandmother():
    return {"date": "2024-01-15", "contact_type": "referral", "concerns": "bruising",
            "description": "Third referral from maternal grandmother: photos of a black eye and bruises on her back.",
            **CSC}


def agency_referral():
    return {"date": "2024-01-15", "contact_type": "referral", "concerns": "bruising",
            "description": "Referral from ED re black eye and bruises on her back.", **CSC}


def visit(date="2024-03-01"):
    return {"date": date, "contact_type": "home_visit", "description": "Child seen.", "child_seen": True, **CSC}


def _flags(rows, rule):
    flags = detect(make_timeline(rows, dob=DOB, mobile_from="2023-09-01"), None, RULES, only=[rule])
    return sorted(zip(flags["trigger_event_id"], flags["actual_action_event_id"].fillna(""))) if len(flags) else []


def _baseline(rows, rule):
    return sorted((f["trigger_event_id"], f["actual_action_event_id"] or "")
                  for f in baseline_flags([{**r} for r in rows]) if f["rule_id"] == rule)


@pytest.mark.parametrize("text", [
    "Referral from maternal aunt with photographs of bruises to both upper arms",
    "Third referral from maternal grandmother: photos of a black eye",
    "Fourth referral, from maternal aunt: says Amara had a burn",
    "Fifth referral from grandmother: has not been allowed to see her",
    "Referred by neighbour: child left alone",
    "Referral received from a member of the public re child left alone",
    "Anonymous referral received re neglect",
])
def test_a_relatives_or_the_publics_referral_is_read_so(text):
    assert public_referrer_text(text, SETTINGS["receipt_public_referrers"], SETTINGS["receipt_referrer_words"])


@pytest.mark.parametrize("text", [
    "Referral from ED re cheek bruise, 4-month-old.",
    "Referral from police following a call from a neighbour",  # the first referrer named decides
    "Referral from mother's GP re bruising",
    "Referral from parent support worker re neglect",
    "Referral from Public Protection Unit",
    "Police notification: baby removed from mother",
])
def test_an_agencys_referral_is_not(text):
    assert not public_referrer_text(text, SETTINGS["receipt_public_referrers"], SETTINGS["receipt_referrer_words"])


def test_the_source_of_information_cell_names_the_referrer():
    referrers = SETTINGS["receipt_public_referrers"]
    assert public_referrer_cell("Maternal grandmother (Patricia Lowe)", referrers)
    assert public_referrer_cell("Neighbour", referrers)
    assert not public_referrer_cell("Police", referrers)
    assert not public_referrer_cell("Home visit", referrers)
    assert not public_referrer_cell(None, referrers)


def test_the_grandmothers_call_is_not_the_health_visitors_escalation():
    rows = [hv_bruise(), grandmother(), visit()]
    # before: the HV's bruise was answered the next day by "referral received" (the grandmother's call) and social
    # care's own row was no injury record; now the HV's bruise is one nobody escalated. (s18 flagged social care's
    # receipt of the grandmother's call too; since s19 the receipt of a relative's referral is no trigger,
    # injury_not_escalated.public_receipts_trigger: no agency failed to refer)
    assert _flags(rows, "injury_not_escalated") == [("C1-e001", "")]
    assert _baseline(rows, "injury_not_escalated") == [("C1-e001", "")]


def test_an_agencys_referral_received_still_answers():
    rows = [hv_bruise(), agency_referral(), visit()]
    assert _flags(rows, "injury_not_escalated") == []
    assert _baseline(rows, "injury_not_escalated") == []


def test_the_source_column_makes_a_receipt_the_familys():
    received = {**agency_referral(), "description": "Referral received re black eye and bruises on her back.",
                "source_of_information": "Maternal grandmother (Patricia Lowe)"}
    rows = [hv_bruise(), received, visit()]
    # the HV's bruise is unanswered (social care's record of the same black eye is read as its follow-up)
    assert _flags(rows, "injury_not_escalated") == [("C1-e001", "")]
    assert _baseline(rows, "injury_not_escalated") == [("C1-e001", "")]
    # without the source cell the same receipt is an agency's referral, which answers the bruise
    rows[1] = {**received, "source_of_information": ""}
    assert _flags(rows, "injury_not_escalated") == []


def test_the_familys_referral_still_awaits_social_cares_decision():
    rows = [hv_bruise(), grandmother(), visit()]
    assert [t for t, _ in _flags(rows, "referral_no_decision")] == ["C1-e002"]
    assert [t for t, _ in _baseline(rows, "referral_no_decision")] == ["C1-e002"]


def test_latency_shows_the_health_visitors_bruise_not_escalated():
    rows = [hv_bruise(), grandmother(), visit()]
    timeline = make_timeline(rows, dob=DOB, mobile_from="2023-09-01")
    latency = response_latency(timeline, None, RULES).set_index("event_id")
    assert latency.loc["C1-e001", "first_escalation_event_id"] in ("", None) or \
        str(latency.loc["C1-e001", "first_escalation_event_id"]) in ("<NA>", "nan")
    assert latency.loc["C1-e001", "within_expected"] is not True
    # an agency's referral received the next day is the escalation, in time
    timeline = make_timeline([hv_bruise(), agency_referral(), visit()], dob=DOB, mobile_from="2023-09-01")
    latency = response_latency(timeline, None, RULES).set_index("event_id")
    assert latency.loc["C1-e001", "first_escalation_event_id"] == "C1-e002"
    assert bool(latency.loc["C1-e001", "within_expected"]) is True
