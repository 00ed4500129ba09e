"""Twenty-second session (QA of a child-criminal-exploitation case): a referral or a sharing that is only planned
is no response. The police's record of a missing 15-year-old with exploitation concerns, then the police's "RHI
request to be sent to CSC" (or "Referral to MASH will be made", "Information is to be shared with CSC") and
nothing else: exploitation_not_referred read the planned row as the referral answering the concern
(`response_keywords` "sent to csc", "shared with csc", "referral to mash" with post-negations only), so it raised
no flag. The rules answered by referral now read their response keywords with the settings' plan words after
("to be completed", "will be made") and before them ("to be", "will be", "will": `base.response_plans`), as
ingest reads no referral (`detect_escalations`) and no sharing (`shared_in_text`) in them; past wording still
answers. Package and row-by-row baseline agree."""

import pytest

from review.config import package_data
from review.rules import detect, load_rules
from review.rules.base import _mentioned, response_plans
from review.rules.testing import make_timeline
from review.vocab import detect_escalations, shared_in_text

from _baseline import baseline_flags

RULES = load_rules()
VOCAB = package_data("vocab.yml")
DOB = "2005-06-01"  # 15 in Feb 2021
POLICE = {"agency": "Eastborough Police", "agency_kind": "police"}
SCHOOL = {"agency": "Hillcrest Academy", "agency_kind": "education"}
CSC = {"agency": "Eastborough Children's Social Care", "agency_kind": "social care"}

PLANNED = ["RHI request to be sent to CSC", "Referral to MASH to be made", "Will share with CSC",
           "Notification to be sent to social care", "Referral to be sent to MASH", "Referral will be sent to CSC",
           "Will refer to MASH", "Referral to CSC to be completed", "Information is to be shared with CSC",
           "MASH referral to be completed", "Referral to MASH will be made", "To be shared with CSC",
           "Information will be shared with children's social care", "Notification will be sent to MASH",
           "RHI request to be sent to Brackmoor CSC", "Referral to MASH to follow"]
PAST = ["RHI request sent to CSC", "Referral made to MASH", "Shared with CSC", "Referral sent to MASH",
        "Information shared with CSC", "Referred to MASH", "MASH referral completed"]
# exploitation_not_referred reads sharing in the text too (response_shared_in_text_kinds: the council's name between,
# "sent to social care"); sexual_harm_not_referred does not (its keywords name neither)
PAST_SHARED = ["RHI request sent to Brackmoor CSC", "Notification sent to social care"]

TRIGGERS = {
    "exploitation_not_referred": dict(
        contact_type="police_callout", **POLICE, concerns="exploitation; missing",
        description="Kayla (15) reported missing overnight. Concerns of CCE, county lines.", action="Returned home."),
    "sexual_harm_not_referred": dict(
        contact_type="other", **SCHOOL, concerns="sexualised_behaviour",
        description="Kayla drew explicit pictures and used sexual language beyond her age.", action="Logged."),
    "domestic_abuse_not_escalated": dict(
        contact_type="police_callout", **POLICE, concerns="domestic_abuse",
        description="DA incident at the home, Kayla present. DASH: high risk.", action="Partner arrested."),
}


def _rows(rule, words, date="2021-02-19"):
    """The trigger of `rule` on Friday 19 Feb 2021, the same agency's later row of `words` (its escalation as
    ingest reads it) the same day, and social care's visit months later."""
    trigger = dict(TRIGGERS[rule], date="2021-02-19")
    return [trigger,
            {"date": date, "contact_type": "other", "agency": trigger["agency"], "agency_kind": trigger["agency_kind"],
             "escalation": "; ".join(detect_escalations("other", words, VOCAB)), "description": words, "action": ""},
            {"date": "2021-06-30", "contact_type": "home_visit", **CSC, "description": "Kayla seen."}]


def _pairs(rows, rule):
    flags = detect(make_timeline(rows, dob=DOB), None, RULES, only=[rule])
    if flags.empty:
        return []
    return sorted(zip(flags["trigger_event_id"], flags["actual_action_event_id"].fillna("")))


def _baseline(rows, rule):
    return sorted((f["trigger_event_id"], f["actual_action_event_id"] or "")
                  for f in baseline_flags(rows, dob=DOB) if f["rule_id"] == rule)


@pytest.mark.parametrize("words", PLANNED)
def test_ingest_reads_no_referral_and_no_sharing_in_planned_words(words):
    # the reproduction's other readings: no held escalation, no sharing in the text; the response keywords alone
    # answered
    assert detect_escalations("other", words, VOCAB) == []
    assert shared_in_text(words, VOCAB, ("Eastborough Police", "police")) == []


@pytest.mark.parametrize("rule", ["exploitation_not_referred", "sexual_harm_not_referred"])
@pytest.mark.parametrize("words", PLANNED)
def test_a_planned_referral_or_sharing_answers_nothing(rule, words):
    rows = _rows(rule, words)
    assert _pairs(rows, rule) == _baseline(rows, rule) == [("C1-e001", "")]


@pytest.mark.parametrize("rule", ["exploitation_not_referred", "sexual_harm_not_referred"])
@pytest.mark.parametrize("words", PAST)
def test_a_referral_or_sharing_made_still_answers(rule, words):
    rows = _rows(rule, words)
    assert _pairs(rows, rule) == _baseline(rows, rule) == []


@pytest.mark.parametrize("words", PAST_SHARED)
def test_exploitation_a_sharing_made_through_its_text_still_answers(words):
    rows = _rows("exploitation_not_referred", words)
    assert _pairs(rows, "exploitation_not_referred") == _baseline(rows, "exploitation_not_referred") == []


def test_the_qa_case_flags_with_no_answer_and_a_later_sending_is_named():
    rows = _rows("exploitation_not_referred", "RHI request to be sent to CSC")
    flags = detect(make_timeline(rows, dob=DOB), None, RULES, only=["exploitation_not_referred"])
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    assert not flags.iloc[0].actual_action_event_id  # none answered
    # the request sent three days later is the late response, not the plan of the 19th
    sent = {"date": "2021-02-24", "contact_type": "other", **POLICE, "description": "RHI request sent to CSC."}
    rows = [*rows[:2], sent, rows[2]]
    flags = detect(make_timeline(rows, dob=DOB), None, RULES, only=["exploitation_not_referred"])
    assert flags.iloc[0].actual_action_event_id == "C1-e003"
    assert flags.iloc[0].delay_days == 2
    assert _baseline(rows, "exploitation_not_referred") == [("C1-e001", "C1-e003")]


def test_a_referral_dated_later_in_its_text_still_answers_from_that_day():
    # past wording with its date (s16): late from the day it names, not a plan
    rows = _rows("exploitation_not_referred", "Referral to MASH sent 25.02.21")
    assert _pairs(rows, "exploitation_not_referred") == _baseline(rows, "exploitation_not_referred") \
        == [("C1-e001", "C1-e002")]


@pytest.mark.parametrize("words", ["MARAC referral to be completed", "MARAC referral will be made"])
def test_domestic_abuse_a_planned_marac_referral_answers_nothing(words):
    rows = _rows("domestic_abuse_not_escalated", words)
    assert _pairs(rows, "domestic_abuse_not_escalated") == _baseline(rows, "domestic_abuse_not_escalated") \
        == [("C1-e001", "")]
    made = _rows("domestic_abuse_not_escalated", "MARAC referral completed")
    assert _pairs(made, "domestic_abuse_not_escalated") == _baseline(made, "domestic_abuse_not_escalated") == []


def _self_harm(words):
    first = dict(contact_type="other", **SCHOOL, concerns="self_harm", date="2021-02-01",
                 description="Kayla disclosed cutting her arms.", action="Referred to CAMHS")
    again = dict(first, date="2021-02-19", description="Kayla cut her arms again.", action="Parents informed.")
    return [first, again,
            {"date": "2021-02-19", "contact_type": "other", **SCHOOL, "description": words, "action": "",
             "escalation": "; ".join(detect_escalations("other", words, VOCAB))},
            {"date": "2021-06-30", "contact_type": "home_visit", **CSC, "description": "Kayla seen."}]


@pytest.mark.parametrize("words", ["Referral to MASH to be made", "Referral to CAMHS to be made",
                                   "MASH referral to be completed", "Referral to early help to be made"])
def test_self_harm_planned_referrals_answer_neither_variant(words):
    # self_harm_not_referred's own negations had no "to be made": a planned MASH or CAMHS referral answered
    rule = "self_harm_not_referred"
    rows = _self_harm(words)
    assert _pairs(rows, rule) == _baseline(rows, rule) == [("C1-e002", ""), ("C1-e002", "")]


def test_self_harm_referrals_made_still_answer():
    rule = "self_harm_not_referred"
    rows = _self_harm("Referred to CAMHS. Referral to MASH sent.")
    assert _pairs(rows, rule) == _baseline(rows, rule) == []


@pytest.mark.parametrize("text, mentioned", [
    # the plan words before reach only within the clause: a comma or a full stop ends them
    ("Kayla to be seen by school nurse. Referral sent to MASH", True),
    ("Mum will be told, referral sent to MASH", True),
    ("Referral sent to MASH for a return home interview to be offered", True),
    ("Referral sent to MASH, will be reviewed by duty team", True),
    ("Referral to MASH to be completed", False),
    ("Will make a referral to MASH", False),
    ("Referral to MASH to be made. Referral to MASH sent later that day", True),
])
def test_the_plan_words_do_not_over_reach(text, mentioned):
    negations, before = response_plans(RULES["settings"], RULES["rules"]["exploitation_not_referred"]["params"])
    keywords = RULES["rules"]["exploitation_not_referred"]["params"]["response_keywords"]
    assert _mentioned(text, keywords, negations, (), before=before) is mentioned


def test_the_plan_words_are_settings():
    settings = RULES["settings"]
    assert {"to be", "will be", "will"} <= set(settings["response_plan_before"])
    assert {"to be completed", "will be made", "will be sent"} <= set(settings["response_plan_after"])
    negations, before = response_plans({}, {"response_negations": ["not made"]})
    assert negations == ("not made",) and before == ()
