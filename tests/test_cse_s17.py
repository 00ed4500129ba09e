"""Child sexual exploitation as a realistic case records it (s17, a QA reviewer's case of a girl of 14): a child
under 16's sexual activity with a much older partner, an STI or contraception (underage_sexual_activity), the
signs of exploitation (older males, cars, lifts, alcohol given), self-harm by cutting or tablets, a police
notification to social care as a referral and social care's record of it as a receipt, a school closing, NFA,
"not s47", a clinic's partner notification. The package and the row-by-row baseline agree."""
from __future__ import annotations

import pytest

from _baseline import baseline_flags, baseline_pairs, package_pairs
from review.pipeline import load_vocab
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import classify_contact_type, stated_partner_age, tag_concerns

VOCAB = load_vocab()
RULES = load_rules()
CLINIC = {"agency": "Westmoor Integrated Sexual Health Service", "agency_kind": "health"}
SCHOOL = {"agency": "Westmoor Academy", "agency_kind": "education"}
POLICE = {"agency": "Westmoor Police", "agency_kind": "police"}
CSC = {"agency": "Westmoor Children's Social Care", "agency_kind": "social care"}
# the test case's child is born 1 January 2023 (review.rules.testing.make_timeline): 14 in 2037, 12 in 2035,
# 16 in 2039, 5 in 2028


def row(date, who, description, action="", contact_type="other", escalation=""):
    text = description + " . " + action
    return {"date": date, **who, "contact_type": contact_type, "description": description, "action": action,
            "concerns": ";".join(tag_concerns(text, VOCAB)), "escalation": escalation}


def variants(rows):
    """(trigger event, variant as its explanation names it) of the package's exploitation_not_referred flags."""
    flags = detect(make_timeline(rows), None, RULES, only=["exploitation_not_referred"])
    named = {"sexual activity of a child": "underage_sexual_activity", "risk of child exploitation": "exploitation",
             "missing episode": "missing", "abuse in the relationship": "relationship_abuse"}
    return sorted((t, next(v for k, v in named.items() if k in e))
                  for t, e in zip(flags["trigger_event_id"], flags["explanation"])), flags


# --- 1. under-16 sexual activity and the signs of exploitation ------------------------------------------------

@pytest.mark.parametrize("text, tag", [
    ("14 year old female attended alone requesting emergency contraception. Unprotected sex 2 days ago", "sexual_activity"),
    ("Returned for results: chlamydia positive.", "sexual_activity"),
    ("Love bites on neck.", "sexual_activity"),
    ("Kayleigh seen getting into a car with an older male (looked about 20) at the school gate", "exploitation"),
    ("Neighbour reports a girl getting into different cars with older males late at night", "exploitation"),
    ("Found in car with adult male. Heavily intoxicated", "exploitation"),
    ("Says she has several older male friends who give her alcohol, cigarettes and lifts.", "exploitation"),
])
def test_sexual_activity_and_exploitation_signs_are_read(text, tag):
    assert tag in tag_concerns(text, VOCAB)


@pytest.mark.parametrize("text", [
    "Negative for chlamydia. No STI.",
    "Mum discussed contraception with HV",  # the mother's
    "Adult male arrested at the address.",  # a police record's adult male is no sign of exploitation
    "Kayleigh truanted, seen leaving site with older girls.",
])
def test_no_sexual_activity_or_exploitation_is_read_in(text):
    assert not {"sexual_activity", "exploitation"} & set(tag_concerns(text, VOCAB))


@pytest.mark.parametrize("text, age", [
    ("Unprotected sex 2 days ago with boyfriend 'Jay' aged 19. Says he picks her up", 19),
    ("Now says boyfriend is 18.", 18),
    ("getting into a car with an older male (looked about 20) at the school gate at 15:20.", 20),
    ("in a car with two adult males aged 19 and 23.", 23),
    ("with her boyfriend 'Jay' who she thinks is 19.", 19),
    ("her 19 year old boyfriend", 19),
    ("partner is 4 months pregnant", None),
    ("Tyler Marsh (aged 7, brother) found home alone", None),
    ("Mum and partner seen at 10:30", None),
])
def test_a_partners_stated_age(text, age):
    assert stated_partner_age(text) == age


def test_a_child_of_14_with_a_partner_of_19_needs_a_same_day_referral():
    rows = [row("2037-02-18", CLINIC, "14 year old attended requesting emergency contraception. Unprotected sex "
                "2 days ago with boyfriend 'Jay' aged 19. Says he picks her up from school.",
                "EHC given. STI screen taken.")]
    got, flags = variants(rows)
    assert got == [("C1-e001", "underage_sexual_activity")]
    assert flags["severity"].tolist() == ["high"]
    assert "sexual activity of a child aged 14 with a partner aged 19" in flags["explanation"].iloc[0]
    assert baseline_pairs(rows, "exploitation_not_referred") == package_pairs(rows, "exploitation_not_referred")
    assert [f["variant"] for f in baseline_flags(rows) if f["rule_id"] == "exploitation_not_referred"] == [
        "underage_sexual_activity"]


def test_a_same_day_referral_answers_it():
    rows = [row("2037-02-18", CLINIC, "Unprotected sex with boyfriend aged 19.", "Safeguarding referral made to MASH.",
                escalation="referral_to_csc")]
    assert package_pairs(rows, "exploitation_not_referred") == []
    assert baseline_pairs(rows, "exploitation_not_referred") == []


@pytest.mark.parametrize("date, text, flagged", [
    ("2035-03-01", "Requesting emergency contraception.", True),  # 12: always
    ("2037-03-01", "Requesting emergency contraception.", False),  # 14, no older partner named
    ("2037-03-01", "Chlamydia positive. Boyfriend is 15.", False),  # 14 and 15: not much older
    ("2037-03-01", "Chlamydia positive. Boyfriend is 17.", True),  # 3 years older
    ("2039-03-01", "Unprotected sex with boyfriend aged 19.", False),  # 16: no child's sexual activity of a rule's
    ("2028-03-01", "Contraception discussed.", False),  # 5: the record's contraception is the parent's
])
def test_sexual_activity_by_age_at_the_contact(date, text, flagged):
    rows = [row(date, CLINIC, text)]
    got, _ = variants(rows)
    assert got == ([("C1-e001", "underage_sexual_activity")] if flagged else [])
    assert baseline_pairs(rows, "exploitation_not_referred") == package_pairs(rows, "exploitation_not_referred")


def test_a_sign_of_exploitation_in_a_school_log_is_an_exploitation_trigger():
    rows = [row("2037-01-24", SCHOOL, "Kayleigh seen getting into a car with an older male (looked about 20) at the "
                "school gate.", "Logged. Monitor.")]
    got, _ = variants(rows)
    assert got == [("C1-e001", "exploitation")]
    assert baseline_pairs(rows, "exploitation_not_referred") == package_pairs(rows, "exploitation_not_referred")


# --- 2. self-harm by cutting or tablets ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Superficial cutting of forearms for 2 months, low mood, drinking at weekends.",
    "Kayleigh disclosed she has been cutting her arms and took 12 paracetamol two weeks ago.",
    "Fresh cuts seen on forearm.",
    "Took 12 paracetamol two weeks ago.",
    "Had taken 20 tablets, not presented to hospital.",
    "Paracetamol overdose last month.",
])
def test_self_harm_wordings_are_the_childs_self_harm(text):
    tags = tag_concerns(text, VOCAB)
    assert "self_harm" in tags and "parental_mental_health" not in tags


@pytest.mark.parametrize("text", [
    "Mum has been cutting her arms.",
    "Mother took 20 tablets last night.",
    "Mum took 12 paracetamol.",
])
def test_a_parents_own_self_harm_stays_the_parents(text):
    tags = tag_concerns(text, VOCAB)
    assert "self_harm" not in tags and "parental_mental_health" in tags


def test_a_dose_of_tablets_is_no_overdose():
    assert "self_harm" not in tag_concerns("Took 2 paracetamol for headache.", VOCAB)


def test_fresh_cuts_stay_an_injury_too():
    assert {"self_harm", "other_injury"} <= set(tag_concerns("Fresh cuts seen on forearm.", VOCAB))


# --- 3. the police's notification to social care is a referral; social care's record of it a receipt -----------

@pytest.mark.parametrize("action", [
    "Returned home. PPN submitted to MASH. Intelligence submitted re REED and address.",
    "Information shared with CSC by email. Intel submitted.",
])
def test_a_police_notification_to_social_care_answers_a_missing_episode(action):
    rows = [row("2037-03-27", POLICE, "Third missing episode this month. Located at flat of adult male.", action,
                contact_type="police_callout")]
    assert package_pairs(rows, "exploitation_not_referred") == []
    assert baseline_pairs(rows, "exploitation_not_referred") == []


def test_intelligence_alone_is_still_no_referral():
    rows = [row("2037-03-14", POLICE, "Kayleigh reported missing by mother. Returned of own accord.",
                "RHI requested via Compass. Intel submitted.", contact_type="police_callout")]
    assert package_pairs(rows, "exploitation_not_referred") == [("C1-e001", "")]
    assert baseline_pairs(rows, "exploitation_not_referred") == [("C1-e001", "")]


@pytest.mark.parametrize("description", [
    "PPN: third missing episode in March, found intoxicated at flat of adult male known for drug supply.",
    "Police email: missing 15-16/05, found in adult male's car, intoxicated, taken to ED. CSE risk high.",
])
def test_social_care_is_never_expected_to_refer_to_itself(description):
    rows = [row("2037-03-30", CSC, description, "Allocated to duty worker.", contact_type="letter")]
    assert package_pairs(rows, "exploitation_not_referred") == []
    assert baseline_pairs(rows, "exploitation_not_referred") == []


def test_social_cares_record_of_the_notification_answers_the_police_record():
    rows = [row("2037-05-18", POLICE, "Kayleigh missing overnight, found in car with adult male. CSE risk high.",
                "Intel submitted.", contact_type="police_callout"),
            row("2037-05-19", CSC, "Police email: missing 17-18/05, found in adult male's car. CSE risk high.",
                "Threshold met for strategy discussion.", contact_type="letter")]
    assert package_pairs(rows, "exploitation_not_referred") == []
    assert baseline_pairs(rows, "exploitation_not_referred") == []


# --- 4. and 7. a school closing is no case closure; a clinic's partner notification is no letter --------------

@pytest.mark.parametrize("cell, description, expected", [
    ("", "School closed to most pupils (national lockdown). Weekly welfare calls planned.", "other"),
    ("", "Nursery closed to all pupils due to flooding.", "other"),
    ("", "Case closed to social care.", "case_closure"),  # a case closed, as before
    ("", "Closed to CAMHS, discharged to GP.", "case_closure"),
    ("Walk-in (young people)", "Returned for results: chlamydia positive. Declined to give partner details for "
     "partner notification.", "clinic_appointment"),  # no letter; (s19) a walk-in type cell is a clinic contact
    ("", "Notification of A&E attendance received.", "letter"),  # a notification, as before
])
def test_contact_types(cell, description, expected):
    assert classify_contact_type(cell, description, VOCAB) == expected


# --- 5. NFA is a decision; a GP filing a letter is none ---------------------------------------------------------

GP = {"agency": "Harbourside Medical Practice", "agency_kind": "health"}


def test_nfa_by_social_care_is_a_decision_made_without_the_police_concern():
    rows = [row("2037-03-14", POLICE, "Kayleigh reported missing. CSE risk assessment completed: medium.",
                "RHI requested.", contact_type="police_callout"),
            row("2037-03-30", CSC, "Contact from school re attendance.", "NFA for CSC - passed to Early Help.")]
    flags = detect(make_timeline(rows), None, RULES, only=["information_not_shared"])
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    assert "before its decision (no further action) on" in flags["explanation"].iloc[0]
    assert baseline_pairs(rows, "information_not_shared") == package_pairs(rows, "information_not_shared")


@pytest.mark.parametrize("action", ["Noted. No further action.", "Filed. NFA."])
def test_a_gp_filing_a_letter_is_no_decision(action):
    rows = [row("2037-03-14", POLICE, "Kayleigh reported missing. CSE risk assessment completed: medium.",
                "RHI requested.", contact_type="police_callout"),
            row("2037-05-15", GP, "Letter from CAMHS: referral not accepted, signposted to Kooth.", action,
                contact_type="letter")]
    assert package_pairs(rows, "information_not_shared") == []
    assert baseline_pairs(rows, "information_not_shared") == []


def test_a_gp_decision_not_filing_a_letter_still_is_one():
    rows = [row("2037-03-14", POLICE, "Kayleigh reported missing. CSE risk assessment completed: medium.",
                "RHI requested.", contact_type="police_callout"),
            row("2037-05-15", GP, "Seen with mum, low mood.", "No further action.", contact_type="clinic_appointment")]
    assert [t for t, _ in package_pairs(rows, "information_not_shared")] == ["C1-e001"]
    assert baseline_pairs(rows, "information_not_shared") == package_pairs(rows, "information_not_shared")


# --- 6. "not s47": no conference expected ------------------------------------------------------------------------

@pytest.mark.parametrize("outcome, expected", [
    ("Agreed single assessment, not s47.", []),
    ("Single assessment rather than section 47 enquiries.", []),
    ("S47 agreed, not a single assessment.", [("C1-e001", "")]),
])
def test_a_strategy_discussion_against_s47_expects_no_conference(outcome, expected):
    rows = [row("2037-06-10", CSC, "Strategy discussion (CSC, police). Kayleigh at risk of CSE. " + outcome,
                "CSE screening tool to be completed.", contact_type="strategy_discussion",
                escalation="strategy_discussion")]
    assert package_pairs(rows, "strategy_no_conference") == expected
    assert baseline_pairs(rows, "strategy_no_conference") == expected
