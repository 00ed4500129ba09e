"""Child criminal exploitation as a realistic case records it (s20, QA8's boy of 15): the signs of criminal
exploitation and county lines (drug supply, cash and several phones, debt, threats to the family, a knife
carried) read as exploitation, a stab wound as an injury inflicted at any age, a team's name as no concern, a
missing episode high once exploitation is on record, and the police's NRM referral named as expected. The package
and the row-by-row baseline agree."""
from __future__ import annotations

import copy

import pytest

from _baseline import baseline_flags, baseline_pairs, package_pairs
from review.pipeline import load_vocab
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import tag_concerns

VOCAB = load_vocab()
RULES = load_rules()
SCHOOL = {"agency": "Brackmoor Academy", "agency_kind": "education"}
POLICE = {"agency": "Westshire Police", "agency_kind": "police"}
ED = {"agency": "Westshire General Hospital ED", "agency_kind": "health"}
GP = {"agency": "Harcourt Medical Practice", "agency_kind": "health"}
CSC = {"agency": "Brackmoor Children's Social Care", "agency_kind": "social care"}
# the test case's child is born 1 January 2023 (review.rules.testing.make_timeline): 15 in 2038


def row(date, who, description, action="", contact_type="other", escalation=""):
    text = description + " . " + action
    return {"date": date, **who, "contact_type": contact_type, "description": description, "action": action,
            "concerns": ";".join(tag_concerns(text, VOCAB)), "escalation": escalation}


def flags_of(rows, rule, rules=None):
    return detect(make_timeline(rows), None, RULES if rules is None else rules, only=[rule])


# --- 1. the readings --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, tags", [
    ("Arrested in Brackmoor town centre for possession with intent to supply Class A (12 wraps crack cocaine), £310 "
     "cash, two phones. Tyrese said 'I can't say nothing, they'll hurt my family.'", {"exploitation", "substance_misuse"}),
    ("Tyrese arrived with a swollen eye and a cut lip, says he fell. He has two phones which ring constantly.",
     {"exploitation", "other_injury"}),
    ("Tyrese told his key worker he 'owes' money to older lads and cannot go back to the Marlowe estate.",
     {"exploitation"}),
    ("Telephone consultation with mother: she is scared, the front door was kicked in by men looking for Tyrese.",
     {"exploitation"}),
    ("Permanent exclusion following assault on a peer; lock knife found in his blazer pocket.", {"exploitation"}),
    ("Arrested for possession of a bladed article. In custody Tyrese disclosed he was made to hold drugs and the "
     "knife by a man called 'Dee' to pay off a debt, and asked for help.", {"exploitation"}),
    ("Bail supervision meeting. Tyrese disclosed threats to his mother's house by the people he owes.",
     {"exploitation"}),
    ("Located at a suspected trap house; cuckooing of a vulnerable adult's flat.", {"exploitation"}),
    ("Stab wound to left thigh. Declined to say who did this.", {"other_injury", "non_accidental"}),
    ("15 year old male with stab wound to thigh. Tyrese declined to say who stabbed him.",
     {"other_injury", "non_accidental"}),
    ("Found with crack cocaine.", {"substance_misuse"}),
])
def test_criminal_exploitation_signs_and_stab_wounds_are_read(text, tags):
    assert tags <= set(tag_concerns(text, VOCAB))


@pytest.mark.parametrize("text, not_tags", [
    # a team's name is no concern (QA8 D14)
    ("Referred to Exploitation Team. Strategy discussion to be arranged.", {"exploitation"}),
    ("CIN plan. Exploitation team key worker allocated.", {"exploitation"}),
    # a parent's debt, a parent's drug use, a phone call: no exploitation ((s21) older boys are read as older males
    # are: tests/test_knowledge_s21.py; bullying by them is not)
    ("Mum says she owes money to the landlord.", {"exploitation"}),
    ("Mother disclosed she uses cocaine at weekends.", {"exploitation"}),
    ("Second phone call from school today.", {"exploitation"}),
    ("Bullied by older boys from the estate on the way home.", {"exploitation"}),
    # a stab vest is no wound; a burn's dressing is its follow-up, not another injury (no bare "wound")
    ("PC attended wearing a stab vest.", {"other_injury", "non_accidental"}),
    ("Dressing clinic review: right hand wound fully healed.", {"other_injury"}),
    # an adult's stab wound is the adult's
    ("Mother stabbed by partner last night, stab wound to her arm.", {"other_injury", "non_accidental"}),
])
def test_what_is_not_read_as_exploitation_or_a_wound(text, not_tags):
    assert not not_tags & set(tag_concerns(text, VOCAB))


# --- 2. exploitation_not_referred: custody, a school's knife, the PRU's debt -------------------------------------

def _custody():
    return [
        row("2038-07-22 18:05", POLICE, "Arrested for possession with intent to supply Class A (12 wraps crack cocaine), "
            "£310 cash, two phones. Tyrese said 'I can't say nothing, they'll hurt my family.'",
            "Released under investigation. No referral to CSC.", contact_type="arrest"),
        row("2038-02-08 09:00", SCHOOL, "Permanent exclusion following assault on a peer; lock knife found in his "
            "blazer pocket.", "Governors' panel to meet. No referral to CSC."),
        row("2038-10-02", SCHOOL, "Tyrese told his key worker he 'owes' money to older lads. Visibly scared.",
            "DSL spoke to mum. No referral made."),
    ]


def test_custody_school_knife_and_debt_are_flagged_not_referred():
    flags = flags_of(_custody(), "exploitation_not_referred")
    assert sorted(flags["trigger_event_id"]) == ["C1-e001", "C1-e002", "C1-e003"]
    assert set(flags["severity"]) == {"high"}
    by = dict(zip(flags["trigger_event_id"], flags["expected_action"]))
    # the police are a first responder of the National Referral Mechanism; a school is not
    assert "National Referral Mechanism" in by["C1-e001"] and "children's social care" in by["C1-e001"]
    assert "National Referral Mechanism" not in by["C1-e002"]
    assert package_pairs(_custody(), "exploitation_not_referred") == baseline_pairs(_custody(), "exploitation_not_referred")


def test_a_referral_to_social_care_answers_the_custody_record():
    rows = _custody()[:1] + [row("2038-07-22 20:00", POLICE, "Tyrese in custody.", "Referral to children's social "
                                "care made by email.", escalation="referral_to_csc")]
    assert flags_of(rows, "exploitation_not_referred").empty
    assert baseline_pairs(rows, "exploitation_not_referred") == []


def test_no_first_responder_action_when_the_setting_is_empty():
    rules = copy.deepcopy(RULES)
    rules["rules"]["exploitation_not_referred"]["params"]["first_responder_agency_kinds"] = []
    flags = flags_of(_custody()[:1], "exploitation_not_referred", rules)
    assert "National Referral Mechanism" not in flags["expected_action"].iloc[0]


# --- 3. a stab wound in a 15-year-old, no referral (injury_not_escalated, any age) ------------------------------

def _stab(answer=None):
    rows = [row("2038-10-18 01:15", ED, "Stab wound to left thigh. Brought in by friends who left. Declined to say "
                "who did this or where. Police informed.", "Wound sutured. Discharged 05:30 home alone. Safeguarding "
                "liaison notified - no referral.", contact_type="ae_attendance")]
    return rows + ([answer] if answer else [])


def test_a_stab_wound_at_the_ed_with_no_referral_is_flagged_high():
    flags = flags_of(_stab(), "injury_not_escalated")
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert flags["severity"].iloc[0] == "high"
    assert "no agency escalated within 2 days" in flags["explanation"].iloc[0]  # a 15-year-old: any age
    assert package_pairs(_stab(), "injury_not_escalated") == baseline_pairs(_stab(), "injury_not_escalated")


def test_a_stab_wound_referred_the_next_day_is_not_flagged():
    rows = _stab(row("2038-10-19", ED, "Safeguarding referral re stab wound.", "Referral to children's social care "
                     "sent.", escalation="referral_to_csc"))
    assert flags_of(rows, "injury_not_escalated").empty
    assert baseline_pairs(rows, "injury_not_escalated") == []


# --- 4. a missing episode with exploitation on record is high (QA8 D13) -----------------------------------------

def _missing(known_on=None):
    rows = [row("2038-03-18 11:20", POLICE, "Missing for 2 days, located in Hartsford by Eastshire Police.",
                "Return home interview requested.", contact_type="police_callout")]
    if known_on:
        rows.insert(0, row(known_on, SCHOOL, "Tyrese seen getting into a car with older males at the gate.",
                           "DSL logged. Referral to children's social care made.", escalation="referral_to_csc"))
    return rows


@pytest.mark.parametrize("known_on, severity", [
    (None, "medium"),
    ("2037-12-01", "high"),   # 107 days before: within 365
    ("2037-03-01", "medium"),  # 382 days before
])
def test_missing_severity_reads_exploitation_on_record(known_on, severity):
    rows = _missing(known_on)
    flags = flags_of(rows, "exploitation_not_referred")
    missing = flags[flags["explanation"].str.contains("missing episode")]
    assert len(missing) == 1 and missing["severity"].iloc[0] == severity
    assert ("risk of child exploitation recorded in the previous 365 days" in missing["explanation"].iloc[0]) == (
        severity == "high")
    base = [f for f in baseline_flags(rows) if f["rule_id"] == "exploitation_not_referred"
            and f["trigger_event_id"] == missing["trigger_event_id"].iloc[0]]
    assert [f["severity"] for f in base] == [severity]


def test_missing_severity_setting_off():
    rules = copy.deepcopy(RULES)
    rules["rules"]["exploitation_not_referred"]["params"]["missing_high_exploitation_known_days"] = None
    flags = flags_of(_missing("2037-12-01"), "exploitation_not_referred", rules)
    assert list(flags["severity"]) == ["medium"]
