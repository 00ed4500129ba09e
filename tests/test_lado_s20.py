"""Twentieth session (QA9 D1, D4, D18): allegations against people who work with children. The concern
allegation_against_staff (a staff member seen to drag or push the child, rough handling, "allegation against a
member of staff"), the escalation lado_referral, the agency kind lado (the LADO is not the child's social care) and
the IRO service as social care; rule `lado_not_referred` (an allegation not referred to the LADO within one working
day: Working Together 2023 ch. 2; KCSIE 2024 Part four), read the same by the package and the row-by-row baseline;
strategy_no_conference expecting no conference after a strategy discussion of such an allegation. The child of
these rows was born on 1 January 2023 (the dates are 2033 for 2022: the same weekdays)."""
import pandas as pd
import pytest

from review.config import load_vocab
from review.rules import RULE_IDS, detect, load_rules, merge_rules
from review.rules.testing import make_timeline
from review.vocab import detect_escalations, normalise_agency, tag_concerns

from _baseline import baseline_flags

RULES = load_rules()
RULE = "lado_not_referred"
VOCAB = load_vocab()
SCHOOL = {"agency": "Hollybrook School", "agency_kind": "education", "contact_type": "other"}
LADO = {"agency": "Eastshire LADO", "agency_kind": "lado", "contact_type": "other"}
CSC = {"agency": "Westmere Children's Social Care", "agency_kind": "social care", "contact_type": "other"}
POLICE = {"agency": "Eastshire Police", "agency_kind": "police"}

# Ollie (QA9): the school's log of the allegation, dealt with internally; the LADO referral 15 working days later
ALLEGATION = dict(SCHOOL, date="2033-02-24", concerns="allegation_against_staff",
                  description="Agency worker J. Okoro reports seeing staff member T. Marsh drag Ollie along corridor "
                              "by his arm and push him onto the bed. Ollie crying.",
                  action="Passed to Head of Care. Staff member spoken to.")
LADO_RECORD = dict(LADO, date="2033-03-17", concerns="allegation_against_staff",
                   description="Allegation: staff member T. Marsh dragged a 12 year old non-verbal pupil by the arm and "
                               "pushed him onto bed on 24/02/2022.", action="Allegation management meeting to be arranged")
REFERRAL = dict(SCHOOL, date="2033-03-17", contact_type="referral", escalation="lado_referral",
                description="Head of Care referral to LADO regarding allegation of 24/02 against T. Marsh.",
                action="LADO referral made")
INFORMED = dict(CSC, date="2033-03-22", concerns="allegation_against_staff",
                description="Informed by LADO of allegation against staff member at Hollybrook.", action="Await LADO outcome")
STRATEGY = dict(POLICE, date="2033-04-04", contact_type="strategy_discussion", escalation="strategy_discussion",
                concerns="allegation_against_staff",
                description="LADO allegation re staff member, Hollybrook School. Child non-verbal, no account possible.",
                action="No further police action")
OLLIE = [ALLEGATION, LADO_RECORD, REFERRAL, INFORMED, STRATEGY]


def _flags(rows, rules=RULES, rule=RULE):
    return detect(make_timeline(rows), None, rules, only=[rule])


def _package(rows, rules=RULES, rule=RULE):
    flags = _flags(rows, rules, rule)
    return sorted(zip(flags["flag_id"], flags["trigger_event_id"], flags["actual_action_event_id"].fillna(""))) \
        if len(flags) else []


def _baseline(rows, rules=None, rule=RULE):
    return sorted((f["flag_id"], f["trigger_event_id"], f["actual_action_event_id"])
                  for f in baseline_flags(rows, rules) if f["rule_id"] == rule)


def test_the_rule_is_registered_with_its_guidance():
    assert RULE in RULE_IDS
    spec = RULES["rules"][RULE]
    assert "Working Together" in spec["source"] and "Keeping Children Safe in Education 2024, Part four" in spec["source"]
    assert "within one working day" in spec["source"]
    assert spec["params"]["within_working_days"] == 1 and spec["severity"] == "high"


@pytest.mark.parametrize("text", [
    "Agency worker J. Okoro reports seeing staff member T. Marsh drag Ollie along corridor by his arm and push him "
    "onto the bed.",
    "Allegation: staff member T. Marsh dragged a 12 year old non-verbal pupil by the arm.",
    "A staff member seen to drag Ollie to his room.",
    "He was pushed by a member of staff.",
    "Informed by LADO of allegation against staff member at Hollybrook.",
    "Mother complains of rough handling by the taxi escort.",
])
def test_an_allegation_against_staff_is_read(text):
    assert "allegation_against_staff" in tag_concerns(text, VOCAB)


@pytest.mark.parametrize("text", [
    "Staff report Ollie hit a peer.",  # the child's act, reported by staff
    "Staff restrained him after he kicked out.",
    "Ollie hit staff member.",
    "Staff were hit by Ollie.",
    "Staff member did not push him.",  # negated
    "No allegation against staff.",
    "Mum pushed him.",  # no one who works with children
    "Bruising to both upper arms noted at morning care. Staff say from restraint last night.",
])
def test_what_is_no_allegation_against_staff(text):
    assert "allegation_against_staff" not in tag_concerns(text, VOCAB)


def test_lado_referrals_and_meetings_are_escalations_plans_are_not():
    assert "lado_referral" in detect_escalations("other", "Head of Care referral to LADO regarding allegation", VOCAB)
    assert "lado_referral" in detect_escalations("other", "Position of trust meeting held with police", VOCAB)
    for text in ("Allegation management meeting to be arranged", "LADO referral to be made", "Consider LADO referral",
                 "Referral to LADO not made"):
        assert "lado_referral" not in detect_escalations("other", text, VOCAB)


def test_the_lado_is_a_kind_of_its_own_and_the_iro_service_social_care():
    assert normalise_agency("Eastshire LADO", VOCAB)[1] == "lado"
    assert normalise_agency("Local Authority Designated Officer", VOCAB)[1] == "lado"
    assert normalise_agency("Westmere IRO Service", VOCAB)[1] == "social care"
    assert normalise_agency("Westshire Council", VOCAB)[1] == "social care"


def test_ollies_allegation_is_flagged_once_late():
    flags = _flags(OLLIE)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    flag = flags.iloc[0]
    assert flag.trigger_date == pd.Timestamp("2033-02-24") and flag.expected_by == pd.Timestamp("2033-02-25")
    assert flag.actual_action_date == pd.Timestamp("2033-03-17") and flag.delay_days == 20
    assert flag.severity == "high" and "LADO" in flag.expected_action
    assert flag.explanation.startswith("Hollybrook School recorded on 24 Feb 2033 an allegation that an adult who works "
                                       "with children harmed the child")
    assert "came on 17 Mar 2033, 20 calendar days late" in flag.explanation
    # social care's and the police's later records of the allegation the LADO already had are no triggers
    assert _package(OLLIE) == _baseline(OLLIE)


def test_a_referral_the_next_working_day_is_in_time():
    rows = [dict(ALLEGATION, date="2033-02-25"),  # a Friday: the Monday is the next working day
            dict(REFERRAL, date="2033-02-28")]
    assert _flags(rows).empty and _baseline(rows) == []
    late = [dict(ALLEGATION, date="2033-02-25"), dict(REFERRAL, date="2033-03-01")]
    assert list(_flags(late)["trigger_event_id"]) == ["C1-e001"] and _package(late) == _baseline(late)


def test_no_referral_at_all_says_none_within_the_days():
    rows = [ALLEGATION, dict(SCHOOL, date="2033-03-01", description="Ollie settled.")]
    flag = _flags(rows).iloc[0]
    assert flag.explanation.endswith("none is recorded within 90 days of 24 Feb 2033.")
    assert pd.isna(flag.actual_action_date)
    assert _package(rows) == _baseline(rows)
    # a referral after 90 days is none
    far = [ALLEGATION, dict(REFERRAL, date="2033-07-01")]
    assert "none is recorded within 90 days" in _flags(far).iloc[0].explanation
    assert _package(far) == _baseline(far)


def test_the_same_allegation_recorded_again_before_the_referral_is_one_flag():
    again = dict(SCHOOL, date="2033-03-02", concerns="allegation_against_staff",
                 description="Mother told of allegation against a member of staff.")
    rows = [ALLEGATION, again, REFERRAL]
    flags = _flags(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert flags.iloc[0].evidence_event_ids == "C1-e001; C1-e002"
    assert _package(rows) == _baseline(rows)


def test_a_new_allegation_after_the_referral_is_a_flag_of_its_own():
    later = dict(ALLEGATION, date="2033-09-05", description="Teacher seen to grab Ollie by the wrist.")
    rows = [ALLEGATION, REFERRAL, LADO_RECORD, later]
    assert list(_flags(rows)["trigger_event_id"]) == ["C1-e001", "C1-e004"]
    assert _package(rows) == _baseline(rows)


def test_no_allegation_no_flag_and_the_rule_switched_off():
    rows = [dict(SCHOOL, date="2033-02-24", concerns="bruising", description="Bruise to arm, self-injury.")]
    assert _flags(rows).empty and _baseline(rows) == []
    off = merge_rules(RULES, {"rules": {RULE: {"enabled": False}}}, "test")
    assert _flags(OLLIE, off).empty


def test_a_strategy_discussion_of_an_allegation_against_staff_expects_no_conference():
    rows = [ALLEGATION, REFERRAL, STRATEGY]
    assert _flags(rows, rule="strategy_no_conference").empty
    assert _baseline(rows, rule="strategy_no_conference") == []
    # configurable: with no allegation_tags the conference is expected again
    expect = merge_rules(RULES, {"rules": {"strategy_no_conference": {"params": {"allegation_tags": []}}}}, "test")
    assert list(_flags(rows, expect, "strategy_no_conference")["trigger_event_id"]) == ["C1-e003"]
    assert _package(rows, expect, "strategy_no_conference") == _baseline(rows, expect, "strategy_no_conference")
    # a strategy discussion about the child's family still expects one
    family = dict(STRATEGY, concerns="bruising", description="Strategy discussion re bruising, mother's partner.")
    assert list(_flags([family], rule="strategy_no_conference")["trigger_event_id"]) == ["C1-e001"]
