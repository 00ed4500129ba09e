"""An escalation that did not take place is no response, in every rule: a row of a meeting's or an
examination's own contact type whose text says it was not held ("Strategy discussion cancelled", "ICPC
cancelled", "CP medical cancelled") is no such escalation even when its escalation cell says it is (filled
by hand, or by a profile's column): `review.rules.base.held_escalations`.

Before, repeated_injury_or_ae, injury_not_escalated and nonmobile_injury read it so
(tests/test_injury_responses_held_s9.py) but strategy_no_conference, closure_with_open_concerns,
assessment_wait, was_not_brought, information_not_shared (agency_knowledge's referrals) and
response_latency took the cell as it stood: a cancelled meeting hid the flag (or, for
strategy_no_conference, started or restarted the clock). The row-by-row baseline
(benchmarks/baseline_rowwise.py) reads the rows alike; response_latency and agency_knowledge are not in
it, and are checked on their own.
"""
from __future__ import annotations

import pytest

from review.rules import agency_knowledge, response_latency
from review.rules.base import held_escalations, prepare
from review.rules.testing import make_timeline
from tests._baseline import RULES, baseline_pairs, package_pairs

CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
HV = {"agency": "Health Visiting", "agency_kind": "health"}
GP = {"agency": "GP", "agency_kind": "health"}

NOT_HELD = {
    "strategy_discussion": "Strategy discussion cancelled",
    "cp_conference": "ICPC cancelled",
    "cp_medical": "CP medical cancelled",
}
HELD = {
    "strategy_discussion": "Strategy discussion held with police and health",
    "cp_conference": "ICPC held, child made subject to CP plan",
    "cp_medical": "CP medical completed by paediatrician",
}


def typed(date, kind, text, who=CSC, escalation=None):
    """A row of the contact type `kind` whose escalation cell says it was one (as a hand-filled cell does)."""
    return {"date": date, "contact_type": kind, "description": text, "escalation": escalation or kind, **who}


def both(rows, rule):
    """The (trigger, action) pairs of `rule`'s flags: the package's, checked equal to the baseline's."""
    package = package_pairs(rows, rule)
    assert package == baseline_pairs(rows, rule)
    return package


# -- strategy_no_conference --------------------------------------------------------------------------
def strategy_rows(conference_text):
    return [typed("2023-09-01", "strategy_discussion", HELD["strategy_discussion"]),
            typed("2023-09-08", "cp_conference", conference_text)]


def test_strategy_no_conference_a_conference_not_held_is_no_conference():
    """'ICPC cancelled' with escalation = cp_conference a week after the strategy discussion: flagged, no
    action (before: no flag)."""
    assert both(strategy_rows(NOT_HELD["cp_conference"]), "strategy_no_conference") == [("C1-e001", "")]
    assert both(strategy_rows(HELD["cp_conference"]), "strategy_no_conference") == []


def test_strategy_no_conference_a_strategy_discussion_not_held_starts_no_clock():
    """'Strategy discussion cancelled' with escalation = strategy_discussion and no conference after it: no
    strategy discussion, no flag (before: flagged)."""
    rows = [typed("2023-09-01", "strategy_discussion", NOT_HELD["strategy_discussion"])]
    assert both(rows, "strategy_no_conference") == []
    rows = [typed("2023-09-01", "strategy_discussion", HELD["strategy_discussion"])]
    assert both(rows, "strategy_no_conference") == [("C1-e001", "")]


def test_strategy_no_conference_a_strategy_discussion_not_held_restarts_no_clock():
    """A held strategy discussion, then a cancelled one (its cell filled): the clock runs from the held one
    (before: the cancelled one restarted it and was flagged instead)."""
    rows = [typed("2023-09-01", "strategy_discussion", HELD["strategy_discussion"]),
            typed("2023-09-05", "strategy_discussion", NOT_HELD["strategy_discussion"])]
    assert both(rows, "strategy_no_conference") == [("C1-e001", "")]
    rows[1] = typed("2023-09-05", "strategy_discussion", "Second strategy discussion held")
    assert both(rows, "strategy_no_conference") == [("C1-e002", "")]


# -- closure_with_open_concerns ----------------------------------------------------------------------
def closure_rows(kind, text):
    return [{"date": "2023-09-01", "contact_type": "home_visit", "description": "Bruise to left arm",
             "concerns": "bruising", **HV},
            typed("2023-09-05", kind, text),
            {"date": "2023-09-10", "contact_type": "case_closure", "description": "Case closed", **CSC}]


@pytest.mark.parametrize("kind", ["strategy_discussion", "cp_conference", "cp_medical"])
def test_closure_with_open_concerns_an_assessment_not_held_assessed_nothing(kind):
    """A bruise, then '<meeting> cancelled' with its escalation cell filled, then the closure: the concern
    was still open (before: assessed, no flag)."""
    assert both(closure_rows(kind, NOT_HELD[kind]), "closure_with_open_concerns") == [("C1-e003", "")]
    assert both(closure_rows(kind, HELD[kind]), "closure_with_open_concerns") == []


# -- assessment_wait ---------------------------------------------------------------------------------
def wait_rows(medical_text):
    return [{"date": "2023-03-01", "contact_type": "referral", "description": "Referral for assessment", **GP},
            typed("2023-03-10", "cp_medical", medical_text, GP),
            {"date": "2023-06-30", "contact_type": "home_visit", "description": "Routine visit", **HV}]


def test_assessment_wait_a_cp_medical_not_held_is_no_assessment():
    """'CP medical cancelled' (escalation = cp_medical) is no assessment: the wait is flagged (before: not)."""
    assert both(wait_rows(NOT_HELD["cp_medical"]), "assessment_wait") == [("C1-e001", "")]
    assert both(wait_rows(HELD["cp_medical"]), "assessment_wait") == []


# -- was_not_brought ---------------------------------------------------------------------------------
def wnb_rows(kind, text):
    wnb = {"contact_type": "was_not_brought", "description": "Not brought to clinic", **HV}
    return [{"date": "2023-09-01", **wnb}, {"date": "2023-09-20", **wnb},
            typed("2023-09-25", kind, text, HV)]


@pytest.mark.parametrize("kind", ["strategy_discussion", "cp_conference", "cp_medical"])
def test_was_not_brought_an_escalation_not_held_is_no_follow_up(kind):
    """Two missed appointments; the agency's next row is '<meeting> cancelled' with its escalation cell
    filled: no follow-up (before: a follow-up, no flag)."""
    assert both(wnb_rows(kind, NOT_HELD[kind]), "was_not_brought") == [("C1-e002", "")]
    assert both(wnb_rows(kind, HELD[kind]), "was_not_brought") == []


def test_was_not_brought_keeps_the_other_escalations_of_a_row_not_held():
    """'Strategy discussion cancelled; referred to MASH': the referral is still a follow-up."""
    rows = wnb_rows("strategy_discussion", "Strategy discussion cancelled; referred to MASH")
    rows[2]["escalation"] = "referral_to_csc; strategy_discussion"
    assert both(rows, "was_not_brought") == []


# -- information_not_shared / agency_knowledge -------------------------------------------------------
def knowledge_rows(kind, text):
    """The health visitor records a bruise, then a meeting of `kind` (its cell filled); social care closes
    the case without any record of the bruise."""
    return [{"date": "2023-09-01", "contact_type": "home_visit", "description": "Bruise to left arm",
             "concerns": "bruising", **HV},
            typed("2023-09-02", kind, text, HV),
            {"date": "2023-09-10", "contact_type": "case_closure", "description": "Case closed", **CSC}]


@pytest.mark.parametrize("kind", ["strategy_discussion", "cp_conference"])
def test_information_not_shared_a_meeting_not_held_took_nothing_to_social_care(kind):
    """A cancelled strategy discussion / conference of the health visitor's took the bruise to no one: the
    closure was made without it (before: the cell counted as a referral reaching social care)."""
    assert both(knowledge_rows(kind, NOT_HELD[kind]), "information_not_shared") == [("C1-e001", "")]
    assert both(knowledge_rows(kind, HELD[kind]), "information_not_shared") == []


def closure_knowledge(rows):
    out = agency_knowledge(make_timeline(rows), RULES)
    return out.loc[out["decision_event_id"] == "C1-e003", ["concerns_known_to_agency", "missing_concerns"]]


def test_agency_knowledge_a_strategy_discussion_not_held_took_nothing_to_social_care():
    known = closure_knowledge(knowledge_rows("strategy_discussion", NOT_HELD["strategy_discussion"]))
    assert known.values.tolist() == [["", "bruising"]]
    known = closure_knowledge(knowledge_rows("strategy_discussion", HELD["strategy_discussion"]))
    assert known.values.tolist() == [["bruising", ""]]


# -- response_latency --------------------------------------------------------------------------------
def latency_of(text):
    rows = [{"date": "2023-09-01", "contact_type": "home_visit", "description": "Neglect - home conditions poor",
             "concerns": "neglect", **HV},
            typed("2023-09-03", "strategy_discussion", text),
            {"date": "2023-12-01", "contact_type": "home_visit", "description": "Routine visit", **HV}]
    out = response_latency(make_timeline(rows), rules=RULES)
    row = out[out["event_id"] == "C1-e001"].iloc[0]
    return row["first_escalation_event_id"], row["latency_days"], row["within_expected"]


def test_response_latency_an_escalation_not_held_is_no_response():
    """'Strategy discussion cancelled' (escalation = strategy_discussion) two days after the concern: no
    escalation, and none within the expected time (before: the escalation, 2 days, in time)."""
    event, latency, within = latency_of(NOT_HELD["strategy_discussion"])
    assert (event, within) == ("", False) and latency is not None and str(latency) == "<NA>"
    assert latency_of(HELD["strategy_discussion"]) == ("C1-e002", 2, True)


def test_held_escalations_of_any_kind():
    """`held_escalations(ctx)` (any kind): a row's other escalations stay, a held one stays, a denied own type
    goes, and (since tests/test_held_followups_s10.py) so does a hand-filled cell on a row of another type
    whose text denies the escalation; one whose text does not stays."""
    rows = [typed("2023-09-01", "strategy_discussion", NOT_HELD["strategy_discussion"]),
            typed("2023-09-02", "strategy_discussion", "Strategy discussion cancelled; referred to MASH",
                  escalation="referral_to_csc; strategy_discussion"),
            typed("2023-09-03", "home_visit", NOT_HELD["strategy_discussion"], escalation="strategy_discussion"),
            typed("2023-09-04", "cp_conference", HELD["cp_conference"]),
            typed("2023-09-05", "cp_conference", NOT_HELD["cp_conference"]),
            {"date": "2023-09-06", "description": "Home visit"},
            typed("2023-09-07", "home_visit", "Home visit after the strategy discussion", escalation="strategy_discussion")]
    ctx = prepare(make_timeline(rows), None, RULES["settings"])
    held = held_escalations(ctx)
    assert dict(zip(ctx.timeline["event_id"], held)) == {
        "C1-e001": False, "C1-e002": True, "C1-e003": False, "C1-e004": True, "C1-e005": False, "C1-e006": False,
        "C1-e007": True}
    assert held_escalations(ctx).tolist() == held.tolist()  # kept in the context, read-only there
