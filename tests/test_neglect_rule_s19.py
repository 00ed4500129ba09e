"""Nineteenth session (QA5 J2, rule gap): rule `neglect_not_escalated`, neglect or weight loss recorded by an agency
other than children's social care, persistent or in words to suspect neglect (NICE CG89), with no referral to
children's social care within 10 working days (Working Together 2023, ch. 2), read the same by the package and
the row-by-row baseline (benchmarks/baseline_rowwise.py). The child of these rows was born on 1 January 2023."""
import pandas as pd

from review.rules import RULE_IDS, detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULES = load_rules()
RULE = "neglect_not_escalated"
SCHOOL = {"agency": "Oakfield Primary School", "agency_kind": "education", "contact_type": "other"}
GP = {"agency": "Brookside Surgery", "agency_kind": "health", "contact_type": "clinic_appointment"}
CSC = {"agency": "Westshire Children's Social Care", "agency_kind": "social care"}

BINS = dict(SCHOOL, date="2031-11-11", concerns="neglect; weight_loss",
            description="Weight check: weight 22.1kg, was 26.4kg in March (dropped from 25th to below 2nd centile). "
                        "Eating food from bins at lunchtime.", action="Advised mum to see GP. Letter to GP.")
FRIDGE = dict(SCHOOL, date="2031-12-15", concerns="neglect",
              description="Child said 'mum locks the fridge' and 'I am a bad boy so I don't get tea'. Very withdrawn.",
              action="Logged. DSL to consider.")
THIN = dict(GP, date="2031-09-27", concerns="weight_loss", description="Mum reports fussy eater. Weight 23.0kg. Looks thin.",
            action="Dietary advice. Review 4 weeks.")
HUNGRY = dict(SCHOOL, date="2031-10-05", concerns="neglect", description="Said he was always hungry, asked for extra toast.",
              action="Logged on CPOMS. DSL informed.")


def _flags(rows, rules=RULES):
    return detect(make_timeline(rows), None, rules, only=[RULE])


def _pairs(rows):
    flags = _flags(rows)
    return sorted(zip(flags["trigger_event_id"], flags["actual_action_event_id"].fillna(""))) if len(flags) else []


def _baseline(rows):
    return sorted((f["trigger_event_id"], f["actual_action_event_id"] or "") for f in baseline_flags(rows)
                  if f["rule_id"] == RULE)


def test_the_rule_is_registered_with_its_source():
    assert RULE in RULE_IDS
    spec = RULES["rules"][RULE]
    assert "NICE CG89" in spec["source"] and "Working Together" in spec["source"]
    assert spec["params"]["within_working_days"] == 10 and spec["params"]["neglect_tags"] == ["neglect", "weight_loss"]


def test_weight_below_the_2nd_centile_and_eating_from_bins_with_a_letter_to_the_gp_is_flagged():
    flags = _flags([BINS])
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    flag = flags.iloc[0]
    assert flag.severity == "high"  # words to suspect neglect on their own
    assert flag.expected_by == pd.Timestamp("2031-11-25")  # 10 working days
    assert flag.explanation == (
        "Oakfield Primary School recorded neglect, weight loss on 11 Nov 2031 in a child aged 3236 days, in words "
        "enough to suspect neglect (rules.yml suspect_keywords), and no referral to children's social care (nor a "
        "strategy discussion, section 47 enquiry or CP medical) is recorded within 10 working days (by 25 Nov 2031); "
        "none is recorded within 90 days of 11 Nov 2031.")
    assert _pairs([BINS]) == _baseline([BINS]) == [("C1-e001", "")]


def test_a_childs_disclosure_of_food_withheld_left_for_the_dsl_to_consider_is_flagged():
    assert _pairs([FRIDGE]) == _baseline([FRIDGE]) == [("C1-e001", "")]
    assert _flags([FRIDGE]).iloc[0].severity == "high"


def test_a_single_consider_level_record_waits_for_a_second():
    # NICE CG89 "consider": one "looks thin" is no trigger; a second record within 90 days (any agency) is
    assert _pairs([THIN]) == _baseline([THIN]) == []
    rows = [THIN, HUNGRY]
    assert _pairs(rows) == _baseline(rows) == [("C1-e002", "")]
    flag = _flags(rows).iloc[0]
    assert flag.severity == "medium" and "one of 2 records of neglect or weight loss by agencies within 90 days" \
        in flag.explanation


def test_a_referral_within_10_working_days_answers_and_a_late_one_is_named():
    referral = dict(SCHOOL, date="2031-11-20", escalation="referral_to_csc", description="Referral to MASH made by DSL.")
    assert _pairs([BINS, referral]) == _baseline([BINS, referral]) == []
    late = dict(referral, date="2031-12-01")
    assert _pairs([BINS, late]) == _baseline([BINS, late]) == [("C1-e001", "C1-e002")]
    assert _flags([BINS, late]).iloc[0].delay_days == 6


def test_social_cares_receipt_or_the_record_shared_with_social_care_answers():
    receipt = dict(CSC, date="2031-11-12", contact_type="referral", description="Referral received from Oakfield Primary re weight.")
    assert _pairs([BINS, receipt]) == _baseline([BINS, receipt]) == []
    shared = dict(BINS, informed_agencies="Children's Social Care")
    assert _pairs([shared]) == _baseline([shared]) == []


def test_planning_words_are_no_referral():
    # "DSL to consider referral to MASH", "Discuss at early help": no referral made
    rows = [dict(FRIDGE, action="DSL to consider referral to MASH. Discuss at early help.")]
    assert _pairs(rows) == _baseline(rows) == [("C1-e001", "")]


def test_social_cares_own_record_and_a_record_of_another_agencys_referral_are_no_triggers():
    own = dict(CSC, date="2031-11-11", contact_type="home_visit", concerns="neglect",
               description="Home visit. No food in the kitchen, child malnourished.")
    received = dict(GP, agency="Riverside Community Paediatrics", date="2031-11-11", contact_type="referral",
                    concerns="weight_loss; neglect", description="New referral from GP re weight loss: malnourished.")
    for rows in ([own], [received]):
        assert _pairs(rows) == _baseline(rows) == []


def test_an_enquiry_under_way_answers():
    strategy = dict(CSC, date="2031-11-01", contact_type="strategy_discussion", escalation="strategy_discussion",
                    description="Strategy discussion held.")
    assert _pairs([strategy, BINS]) == _baseline([strategy, BINS]) == []
    long_ago = dict(strategy, date="2031-09-01")
    assert _pairs([long_ago, BINS]) == _baseline([long_ago, BINS]) == [("C1-e002", "")]


def test_an_injury_injury_not_escalated_reads_is_its_flag_not_this_ones():
    # a baby's bruise with neglect on the same record: injury_not_escalated's; at 8 the bruise is no such trigger
    baby = dict(GP, date="2023-09-01", concerns="bruising; neglect", description="Bruise to cheek. Dirty, malnourished.")
    assert _pairs([baby]) == _baseline([baby]) == []
    older = dict(baby, date="2031-09-01")
    assert _pairs([older]) == _baseline([older]) == [("C1-e001", "")]


def test_a_child_under_2_is_high():
    rows = [dict(GP, date="2024-03-01", concerns="weight_loss", description="Weight static, looks thin."),
            dict(GP, date="2024-04-01", concerns="neglect", description="Nappy rash, unkempt.")]
    flags = _flags(rows)
    assert flags["trigger_event_id"].tolist() == ["C1-e002"] and flags.iloc[0].severity == "high"
    assert _pairs(rows) == _baseline(rows)


def test_a_case_can_switch_the_consider_level_off():
    rules = load_rules()
    rules["rules"][RULE]["params"]["repeat_min_episodes"] = 1
    assert detect(make_timeline([THIN]), None, rules, only=[RULE])["trigger_event_id"].tolist() == ["C1-e001"]
