"""s18 (QA3 defect 7): a police domestic abuse incident with the child present or living in the household, and no
notification to children's social care, is flagged at ANY DASH level (domestic_abuse_not_escalated variant
notification, its severity by the level); the victim's choice not to support a prosecution ("No further action by
victim") is no agency's decision about the child; a health visitor's level of service ("Universal service") is
one."""
from __future__ import annotations

import copy

import pytest

from review.errors import ConfigError
from review.rules import detect, load_rules
from review.rules.domestic_abuse_not_escalated import risk_level
from review.rules.knowledge import agency_knowledge
from review.rules.settings import merge_rules
from review.rules.testing import make_timeline

from _baseline import baseline_pairs, package_pairs

RULE = "domestic_abuse_not_escalated"
RULES = load_rules()
PARAMS = RULES["rules"][RULE]["params"]

# the Amara case's police row 2 (QA3), as the chronology holds it
AMARA_DESCRIPTION = (
    "999 call from neighbour at Flat 9 Harrow Court: woman screaming. Officers attended. Kelly Lowe with a cut lip, "
    "says partner Jason Hale headbutted her after an argument about money. Amara (11 months) present in the flat, in "
    "her cot crying. Jason Hale arrested for assault.")
AMARA_ACTION = ("DASH completed: medium risk. Jason Hale released under investigation. No further action by victim. "
                "Child present - no referral made to children's services.")


def police(date, description, action="", **kw):
    return {"date": date, "agency": "Westbridge Police", "agency_kind": "police", "contact_type": "police_callout",
            "concerns": "domestic_abuse", "description": description, "action": action, **kw}


def flags_of(rows, rules=RULES):
    flags = detect(make_timeline(rows), None, rules, only=[RULE])
    # the variant, as the explanation words it (the flags table has no variant column)
    notified = flags["explanation"].str.contains("no notification to children's social care", regex=False)
    return flags.assign(variant=notified.map({True: "notification", False: ""}))


# --- the notification variant -----------------------------------------------------------------------------------
def test_a_medium_risk_incident_with_the_child_present_and_no_notification_is_flagged():
    rows = [police("2023-12-14", AMARA_DESCRIPTION, AMARA_ACTION)]
    flags = flags_of(rows)
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag["variant"] == "notification" and flag["severity"] == "high"
    assert flag.trigger_event_id == "C1-e001"
    assert "domestic abuse incident in the child's household on 14 Dec 2023 (DASH: medium risk)" in flag.explanation
    assert "no notification to children's social care is recorded within 1 working day (by 15 Dec 2023)" in flag.explanation
    assert "Operation Encompass" in flag.expected_action
    assert "Domestic Abuse Act 2021" in flag.source
    # the row-by-row baseline raises the same flag
    assert package_pairs(rows, RULE) == baseline_pairs(rows, RULE) == [("C1-e001", "")]


@pytest.mark.parametrize("action, severity", [
    ("DASH: standard risk. Words of advice.", "medium"),
    ("Words of advice.", "medium"),              # no DASH level recorded
    ("DASH - M. Partner left the address.", "high"),
])
def test_any_dash_level_is_flagged_its_severity_by_the_level(action, severity):
    flags = flags_of([police("2023-03-01", "Verbal argument between mother and partner.", action)])
    assert list(flags["variant"]) == ["notification"] and list(flags["severity"]) == [severity]


def test_the_severity_per_level_is_a_parameter():
    rules = merge_rules(RULES, {"rules": {RULE: {"notification_severity": {"standard": "low"}}}}, "rules.yml")
    severity = rules["rules"][RULE]["params"]["notification_severity"]
    assert severity == {"medium": "high", "standard": "low", "not_recorded": "medium"}  # the others kept
    flags = flags_of([police("2023-03-01", "Argument.", "DASH: standard risk.")], rules)
    assert list(flags["severity"]) == ["low"]
    with pytest.raises(ConfigError, match="unknown level 'low'"):
        merge_rules(RULES, {"rules": {RULE: {"notification_severity": {"low": "low"}}}}, "rules.yml")
    with pytest.raises(ConfigError, match="unknown severity 'urgent'"):
        merge_rules(RULES, {"rules": {RULE: {"notification_severity": {"medium": "urgent"}}}}, "rules.yml")


@pytest.mark.parametrize("row, later", [
    # the police's "Shared with" cell, or their narrative read at ingest ("Result passed to MASH")
    (dict(informed_agencies="Children's Social Care"), []),
    (dict(informed_agencies="Children's social care"), []),
    (dict(informed_agencies="Westbridge MASH"), []),
    # their words
    (dict(action="DASH: medium risk. Domestic abuse notification sent to MASH."), []),
    # social care's record of receiving the notification the next working day
    ({}, [{"date": "2023-03-02", "agency": "Westbridge Children's Social Care", "agency_kind": "social care",
           "contact_type": "phone_call", "description": "Police notification of a domestic incident on 01/03/2023."}]),
])
def test_a_notification_to_social_care_answers_it(row, later):
    rows = [{**police("2023-03-01", "Domestic incident, child present.", "DASH: medium risk."), **row}, *later]
    assert flags_of(rows).empty
    assert package_pairs(rows, RULE) == baseline_pairs(rows, RULE) == []


def test_a_notification_shared_with_another_agency_only_does_not():
    rows = [police("2023-03-01", "Domestic incident, child present.", "DASH: medium risk.", informed_agencies="GP")]
    assert list(flags_of(rows)["variant"]) == ["notification"]


def test_a_late_notification_is_reported_as_the_late_action():
    rows = [police("2023-03-01", "Domestic incident, child present.", "DASH: medium risk."),
            police("2023-03-10", "Domestic abuse notification sent to children's social care re 01/03.", "",
                   concerns="", contact_type="other")]
    flags = flags_of(rows)
    assert list(flags["actual_action_event_id"]) == ["C1-e002"]
    assert package_pairs(rows, RULE) == baseline_pairs(rows, RULE) == [("C1-e001", "C1-e002")]


def test_the_child_living_elsewhere_is_no_trigger():
    rows = [police("2023-03-01", "Domestic incident between mother and partner. Child lives with father.",
                   "DASH: medium risk.")]
    assert flags_of(rows).empty


def test_a_high_risk_incident_is_flagged_as_before_once():
    rows = [police("2023-03-01", "Domestic incident, child present.", "DASH completed: high risk.")]
    flags = flags_of(rows)
    assert list(flags["variant"]) == [""] and list(flags["severity"]) == ["high"]
    assert "high risk recorded" in flags.iloc[0].explanation
    # the same incident recorded twice (one event group): one flag, the high-risk one
    rows = [police("2023-03-01", "Domestic incident, child present.", "DASH completed: high risk.",
                   event_group="G1"),
            police("2023-03-01", "Domestic incident, child present.", "DASH: medium risk.", event_group="G1")]
    assert list(flags_of(rows)["variant"]) == [""]


def test_another_agency_recording_domestic_abuse_is_no_police_incident():
    rows = [{"date": "2023-03-01", "agency": "GP", "agency_kind": "health", "contact_type": "clinic_appointment",
             "concerns": "domestic_abuse", "description": "Mother disclosed domestic abuse by partner.",
             "action": "DASH: standard risk."}]
    assert flags_of(rows).empty


def test_the_variant_can_be_switched_off():
    rules = merge_rules(RULES, {"rules": {RULE: {"notification_agency_kinds": []}}}, "rules.yml")
    assert flags_of([police("2023-12-14", AMARA_DESCRIPTION, AMARA_ACTION)], rules).empty


@pytest.mark.parametrize("text, level", [
    ("DASH completed: medium risk.", "medium"),
    ("Risk level: Medium", "medium"),
    ("DASH - M", "medium"),
    ("DASH: standard risk. Words of advice.", "standard"),
    ("Assessed as low risk.", "standard"),
    ("Previously medium risk; today no DASH.", ""),
    ("Not medium risk.", ""),
    ("Domestic incident.", ""),
])
def test_risk_level_reads_the_dash_level_below_high(text, level):
    assert risk_level(text, PARAMS) == level


# --- decisions ---------------------------------------------------------------------------------------------------
def _amara_rows():
    nursery = {"date": "2023-11-18", "agency": "Little Stars Day Nursery", "agency_kind": "education",
               "contact_type": "other", "concerns": "bruising",
               "description": "Fingertip-type bruising to both upper arms noticed at nappy change.", "action": "Logged."}
    hv = {"date": "2024-01-14", "agency": "Westbridge Health Visiting Service", "agency_kind": "health",
          "contact_type": "home_visit", "concerns": "",
          "description": "12 month development review at home. Development age-appropriate.",
          "action": "No safeguarding concerns. Universal service."}
    return [nursery, police("2023-12-14", AMARA_DESCRIPTION, AMARA_ACTION), hv]


def test_no_further_action_by_the_victim_is_no_decision_about_the_child():
    # (s19: the police's "Child present - no referral made to children's services" is a decision not to refer, read
    # as one since "No referral made" became a decision keyword: test_the_police_no_referral_made_is_a_decision)
    rows = _amara_rows()[:2]
    rows[1] = police("2023-12-14", AMARA_DESCRIPTION, AMARA_ACTION.replace(
        " Child present - no referral made to children's services.", ""))
    flags = detect(make_timeline(rows), None, RULES, only=["information_not_shared"])
    # before: "Little Stars Day Nursery recorded bruising on 18 Nov 2023 and there is no record it reached
    # Westbridge Police before its decision (no further action) on 14 Dec 2023"
    assert flags.empty
    assert package_pairs(rows, "information_not_shared") == baseline_pairs(rows, "information_not_shared") == []
    knowledge = agency_knowledge(make_timeline(rows), RULES)
    assert "Westbridge Police" not in set(knowledge["deciding_agency"])


def test_the_police_no_referral_made_is_a_decision():
    """(s19) "Child present - no referral made to children's services" is the police's decision not to refer the
    child, not the victim's choice: the nursery's bruising had not reached it."""
    rows = _amara_rows()[:2]
    knowledge = agency_knowledge(make_timeline(rows), RULES)
    assert list(knowledge["deciding_agency"]) == ["Westbridge Police"]
    # (s20, QA7 Amara (c) 3) but on the police's first day with the child no agency could have told it anything:
    # information_not_shared does not ask it (first_record_not_asked_kinds); domestic_abuse_not_escalated flags it
    flags = detect(make_timeline(rows), None, RULES, only=["information_not_shared"])
    assert flags.empty
    assert package_pairs(rows, "information_not_shared") == baseline_pairs(rows, "information_not_shared")


@pytest.mark.parametrize("action", [
    "NFA - victim declined to support a prosecution.",
    "No further action: victim does not support prosecution.",
    "NFA, insufficient evidence.",
])
def test_other_victim_choices_and_prosecution_outcomes_are_no_decision(action):
    rows = [_amara_rows()[0], police("2023-12-14", "Domestic incident.", action)]
    assert agency_knowledge(make_timeline(rows), RULES).empty


def test_the_police_nfa_in_another_sentence_is_still_a_decision():
    rows = [_amara_rows()[0], police("2023-12-14", "Domestic incident.",
                                     "Victim declined to support a prosecution. NFA by police.")]
    knowledge = agency_knowledge(make_timeline(rows), RULES)
    assert list(knowledge["deciding_agency"]) == ["Westbridge Police"]
    assert list(knowledge["decision"]) == ["no_further_action"]


def test_a_health_visitors_level_of_service_is_a_decision():
    rows = _amara_rows()
    knowledge = agency_knowledge(make_timeline(rows), RULES)
    hv = knowledge[knowledge["deciding_agency"] == "Westbridge Health Visiting Service"]
    assert list(hv["decision"]) == ["universal_service"]
    assert set(hv.iloc[0]["missing_concerns"].split("; ")) == {"bruising", "domestic_abuse"}
    flags = detect(make_timeline(rows), None, RULES, only=["information_not_shared"])
    explained = sorted(flags["explanation"])
    # one flag per decision (s19), naming each concern that had not reached it
    # (s20: not the police's call-out "no referral made" on its first day with the child)
    assert explained == [
        "There is no record that these concerns reached Westbridge Health Visiting Service before its decision "
        "(universal service) on 14 Jan 2024: Little Stars Day Nursery recorded bruising on 18 Nov 2023; Westbridge "
        "Police recorded domestic abuse on 14 Dec 2023.",
    ]
    assert package_pairs(rows, "information_not_shared") == baseline_pairs(rows, "information_not_shared")


def test_the_decision_words_are_settings():
    rules = copy.deepcopy(RULES)
    rules["settings"]["decision_not_in_sentence_with"] = []
    rows = _amara_rows()[:2]
    knowledge = agency_knowledge(make_timeline(rows), rules)
    assert list(knowledge["deciding_agency"]) == ["Westbridge Police"]
