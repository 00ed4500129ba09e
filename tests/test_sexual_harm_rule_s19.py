"""Nineteenth session (QA6, rule gap): rule `sexual_harm_not_referred`, a child's sexualised behaviour (2 working
days) or an adult posing a risk to children in the child's life (1 working day, high) recorded by an agency other
than children's social care with no referral to children's social care (NICE NG76/CG89; Working Together 2023
ch. 2; MAPPA Guidance 2024), read the same by the package and the row-by-row baseline; and injury_not_escalated's
wording for a disclosure of sexual abuse. The child of these rows was born on 1 January 2023."""
import pandas as pd

from review.rules import RULE_IDS, detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULES = load_rules()
RULE = "sexual_harm_not_referred"
SCHOOL = {"agency": "Oakfield Primary School", "agency_kind": "education", "contact_type": "other"}
PROBATION = {"agency": "Probation Service", "agency_kind": "probation", "contact_type": "other"}
CSC = {"agency": "Westshire Children's Social Care", "agency_kind": "social care"}

# Monday 10 Jan 2033, the child 10
DRAWING = dict(SCHOOL, date="2033-01-10", concerns="sexualised_behaviour",
               description="Drew a picture of a man and a girl in bed and used sexual language beyond her age.",
               action="DSL informed. Logged. Monitor.")
RSO = dict(PROBATION, date="2033-01-10", concerns="risk_to_children",
           description="Holt (RSO) disclosed his partner's daughter (10) lives at the address.",
           action="MAPPA level 1 review: no change. No referral made.")


def _flags(rows, rules=RULES):
    return detect(make_timeline(rows), None, rules, only=[RULE])


def _pairs(rows):
    flags = _flags(rows)
    return sorted(zip(flags["trigger_event_id"], flags["actual_action_event_id"].fillna(""))) if len(flags) else []


def _baseline(rows):
    return sorted((f["trigger_event_id"], f["actual_action_event_id"] or "") for f in baseline_flags(rows)
                  if f["rule_id"] == RULE)


def test_the_rule_is_registered_with_its_own_source_and_deadlines():
    assert RULE in RULE_IDS and "neglect_not_escalated" in RULE_IDS
    spec = RULES["rules"][RULE]
    assert "NICE NG76" in spec["source"] and "MAPPA" in spec["source"] and "Working Together" in spec["source"]
    assert spec["params"]["working_days_by_tag"] == {"sexualised_behaviour": 2, "risk_to_children": 1}


def test_sexualised_behaviour_monitored_only_is_flagged_medium_after_2_working_days():
    flags = _flags([DRAWING])
    assert _pairs([DRAWING]) == _baseline([DRAWING]) == [("C1-e001", "")]
    flag = flags.iloc[0]
    assert flag.severity == "medium" and flag.expected_by == pd.Timestamp("2033-01-12")
    assert flag.explanation.startswith(
        "Oakfield Primary School recorded sexualised behaviour on 10 Jan 2033 in a child aged ")
    assert "within 2 working days (by 12 Jan 2033)" in flag.explanation and "neglect" not in flag.explanation


def test_a_referral_by_the_deadline_answers_and_a_later_one_is_named():
    referral = dict(SCHOOL, date="2033-01-12", escalation="referral_to_csc", description="Referral to MASH made by DSL.")
    assert _pairs([DRAWING, referral]) == _baseline([DRAWING, referral]) == []
    late = dict(referral, date="2033-01-13")
    assert _pairs([DRAWING, late]) == _baseline([DRAWING, late]) == [("C1-e001", "C1-e002")]
    assert _flags([DRAWING, late]).iloc[0].delay_days == 1


def test_an_adult_posing_a_risk_to_children_not_referred_is_high_after_1_working_day():
    flags = _flags([RSO])
    assert _pairs([RSO]) == _baseline([RSO]) == [("C1-e001", "")]
    flag = flags.iloc[0]
    assert flag.severity == "high" and flag.expected_by == pd.Timestamp("2033-01-11")
    assert "Probation Service recorded that an adult posing a risk to children is in the child's life on 10 Jan " \
           "2033" in flag.explanation and "within 1 working day (by 11 Jan 2033)" in flag.explanation
    both = dict(RSO, concerns="risk_to_children; sexualised_behaviour")  # the fewest days of the group's tags
    assert _flags([both]).iloc[0].expected_by == pd.Timestamp("2033-01-11")


def test_a_partial_date_record_is_flagged_only_when_no_referral_came_in_its_period_and_deadline():
    intel = dict(RSO, agency="Westshire Police", agency_kind="police", date="2033-03-01", date_precision="month",
                 description="Intelligence: Holt (RSO) living with a girl aged 10.", action="Intel logged.")
    flags = _flags([intel])
    assert _pairs([intel]) == _baseline([intel]) == [("C1-e001", "")]
    assert flags.iloc[0].expected_by == pd.Timestamp("2033-04-01")  # 1 working day after 31 Mar
    assert " in Mar 2033 (a partial date) " in flags.iloc[0].explanation
    referral = dict(PROBATION, date="2033-03-31", escalation="referral_to_csc", description="Referral to CSC made.")
    assert _pairs([intel, referral]) == _baseline([intel, referral]) == []


def test_social_cares_own_record_and_a_disclosure_of_sexual_abuse_are_not_this_rules():
    own = dict(CSC, date="2033-01-10", contact_type="referral", concerns="risk_to_children",
               description="Household includes Holt (RSO).")
    disclosure = dict(DRAWING, concerns="sexualised_behaviour; sexual_abuse",
                      description="Sexualised behaviour; she said he does things to me.")
    for rows in ([own], [disclosure]):
        assert _pairs(rows) == _baseline(rows) == []


def test_injury_not_escalated_words_a_disclosure_of_sexual_abuse_as_a_concern_not_an_injury():
    disclosure = dict(SCHOOL, date="2033-01-10", concerns="sexual_abuse",
                      description="A friend said she told her someone at home touches me.", action="Logged. Monitor.")
    flags = detect(make_timeline([disclosure]), None, RULES, only=["injury_not_escalated"])
    assert flags.iloc[0].explanation.endswith(
        "none by any agency is recorded within 90 days of the concern of sexual abuse.")
    bruise = dict(disclosure, concerns="bruising; sexual_abuse", description="Bruise to thigh; touches me.")
    flags = detect(make_timeline([bruise]), None, RULES, only=["injury_not_escalated"])
    assert flags.iloc[0].explanation.endswith("within 90 days of the injury.")


def test_a_case_may_give_its_own_working_days_but_not_an_unknown_tag(tmp_path):
    import pytest

    from review.errors import ConfigError
    from review.rules.settings import merge_rules, package_rules

    rules = merge_rules(package_rules(), {"rules": {RULE: {"params": {"working_days_by_tag": {
        "sexualised_behaviour": 5}}}}}, tmp_path / "rules.yml")
    assert rules["rules"][RULE]["params"]["working_days_by_tag"] == {"sexualised_behaviour": 5}
    assert _flags([DRAWING], rules).iloc[0].expected_by == pd.Timestamp("2033-01-17")
    with pytest.raises(ConfigError, match="sexualized_behaviour"):
        merge_rules(package_rules(), {"rules": {RULE: {"params": {"working_days_by_tag": {
            "sexualized_behaviour": 2}}}}}, tmp_path / "rules.yml")
