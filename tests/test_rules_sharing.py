"""information_not_shared, closure_with_open_concerns and agency_knowledge: what the deciding agency knew."""
import pandas as pd
import pytest

from review.rules import agency_knowledge, detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
OLD = {"age_days": 1000, "child_mobile": True}


def flags_of(rule_id, rows, **kw):
    return detect(make_timeline(rows, **kw), None, RULES, only=[rule_id])


def police_concern(date="2023-03-01", **kw):
    return {"date": date, "agency": "Police", "agency_kind": "police", "contact_type": "police_callout",
            "concerns": "domestic_abuse", **OLD, **kw}


def discharge(date="2023-03-10", **kw):
    return {"date": date, "agency": "Hospital", "contact_type": "discharge", **OLD, **kw}


# --- information_not_shared -----------------------------------------------------------------------------
def test_concern_not_reaching_the_deciding_agency_is_flagged_at_the_concern():
    flags = flags_of("information_not_shared", [police_concern(), discharge()])
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e001"
    assert flag.expected_by == pd.Timestamp("2023-03-10")
    assert flag.agencies == "Hospital; Police"
    assert flag.evidence_event_ids == "C1-e001; C1-e002"
    assert flag.failing_category == "communication"
    assert flag.explanation == ("Police recorded domestic abuse on 1 Mar 2023 and there is no record it reached "
                                "Hospital before its decision (discharge) on 10 Mar 2023.")


def test_informed_agencies_means_it_was_shared():
    assert flags_of("information_not_shared", [police_concern(informed_agencies="GP; Hospital"), discharge()]).empty


def test_linked_event_means_it_was_shared():
    rows = [police_concern(event_group="G"), {**discharge("2023-03-01"), "contact_type": "phone_call", "event_group": "G"},
            discharge()]
    assert flags_of("information_not_shared", rows).empty


def test_deciding_agency_recording_the_concern_itself_means_it_knew():
    rows = [police_concern(), {**discharge("2023-03-05"), "contact_type": "other", "concerns": "domestic_abuse"}, discharge()]
    assert flags_of("information_not_shared", rows).empty


def test_referral_to_social_care_reaches_social_care():
    rows = [police_concern(), {"date": "2023-03-02", "agency": "Police", "agency_kind": "police",
                               "contact_type": "referral", "escalation": "referral_to_csc", **OLD},
            {"date": "2023-03-10", "contact_type": "case_closure", **CSC, **OLD}]
    assert flags_of("information_not_shared", rows).empty


@pytest.mark.parametrize("decided, flagged", [("2023-05-30", True), ("2023-05-31", False)])
def test_90_day_window_boundary(decided, flagged):
    flags = flags_of("information_not_shared", [police_concern("2023-03-01"), discharge(decided)])
    assert (len(flags) == 1) is flagged


def test_same_agency_decision_is_not_a_sharing_failure():
    rows = [police_concern(), {"date": "2023-03-10", "agency": "Police", "agency_kind": "police",
                               "contact_type": "case_closure", **OLD}]
    assert flags_of("information_not_shared", rows).empty


def test_trigger_on_the_decision_when_configured():
    rules = load_rules()
    rules["rules"]["information_not_shared"]["params"]["trigger"] = "decision"
    flags = detect(make_timeline([police_concern(), police_concern("2023-03-02", concerns="neglect"), discharge()]),
                   None, rules, only=["information_not_shared"])
    assert list(flags["trigger_event_id"]) == ["C1-e003"]
    assert "domestic abuse, neglect" in flags.iloc[0].explanation


def test_concern_after_the_decision_is_not_missing():
    assert flags_of("information_not_shared", [discharge("2023-03-01"), police_concern("2023-03-02")]).empty


# --- closure_with_open_concerns --------------------------------------------------------------------------
def closure(date, **kw):
    return {"date": date, "contact_type": "case_closure", **CSC, **OLD, **kw}


@pytest.mark.parametrize("closed, flagged", [("2023-03-31", True), ("2023-04-01", False)])
def test_closure_within_30_days_of_a_concern_boundary(closed, flagged):
    flags = flags_of("closure_with_open_concerns", [police_concern("2023-03-01"), closure(closed)])
    assert (len(flags) == 1) is flagged
    if flagged:
        flag = flags.iloc[0]
        assert flag.trigger_event_id == "C1-e002"
        assert flag.evidence_event_ids == "C1-e001; C1-e002"
        assert flag.failing_category == "governance"
        assert "domestic abuse had been recorded by Police" in flag.explanation


def test_concern_assessed_before_closure_is_not_open():
    rows = [police_concern("2023-03-01"), {"date": "2023-03-05", "contact_type": "assessment", **CSC, **OLD},
            closure("2023-03-20")]
    assert flags_of("closure_with_open_concerns", rows).empty


# --- agency_knowledge ---------------------------------------------------------------------------------------
def test_agency_knowledge_lists_every_decision_with_what_was_missing():
    rows = [police_concern(), {"date": "2023-03-02", "agency": "GP", "contact_type": "clinic_appointment",
                               "concerns": "bruising", "informed_agencies": "Hospital", **OLD},
            discharge(), closure("2023-03-20", description="Case closed, no further action")]
    knowledge = agency_knowledge(make_timeline(rows), RULES)
    assert list(knowledge.columns[:7]) == [
        "decision_event_id", "date", "deciding_agency", "decision", "concerns_known_to_agency",
        "concerns_known_anywhere", "missing_concerns"]
    assert {"case_id", "missing_from", "missing_event_ids"} <= set(knowledge.columns)
    first = knowledge.iloc[0]
    assert first.decision_event_id == "C1-e003" and first.decision == "discharge"
    assert first.concerns_known_to_agency == "bruising"
    assert first.concerns_known_anywhere == "bruising; domestic_abuse"
    assert first.missing_concerns == "domestic_abuse"
    second = knowledge.iloc[1]
    assert second.deciding_agency == "Children's Social Care" and second.missing_concerns == "bruising; domestic_abuse"


def test_return_home_is_a_decision_point():
    rows = [police_concern(), {"date": "2023-03-05", "agency": "Foster carer", "contact_type": "other",
                               "description": "Kai returned home to mother", **OLD}]
    knowledge = agency_knowledge(make_timeline(rows), RULES)
    assert list(knowledge["decision"]) == ["returned_home"]


def test_decisions_without_any_concern_give_empty_knowledge_cells():
    timeline = make_timeline([discharge(), {"date": "2023-03-11", "contact_type": "home_visit"}])
    knowledge = agency_knowledge(timeline, RULES)
    assert list(knowledge["decision_event_id"]) == ["C1-e001"]
    assert knowledge.iloc[0].concerns_known_anywhere == "" and knowledge.iloc[0].missing_concerns == ""
    assert agency_knowledge(make_timeline([{"date": "2023-03-11"}]), RULES).empty
