"""Rule-reading gaps a QA pass found (session 11, second readings branch), each checked in its reading and
through a rule, the row-by-row baseline (benchmarks/baseline_rowwise.py) giving the same flags:

2. A social care row that starts an assessment is the decision on a referral whatever its contact type
   (`referral_no_decision`, `decision_in_text`, `review.vocab.records_type`, `base.types_recorded`): ingest
   types "Initial assessment started following GP referral" as a referral (the first contact type in order)
   and a phone call "Initial assessment" as a phone call, and the rule read neither as a decision. Working
   Together 2023, chapter 2: within one working day a social worker decides the type of response; starting
   an assessment is such a decision.
3. A plan label after one or two words saying whose plan it is ("HV plan:", "GP plan -", "SW plan:",
   "Outcome/Plan:", `referral_plan_owned_labels`) governs a referral in its answer as "Plan:" does: "HV plan:
   referral to MASH" is a referral to come, not one made. Still made: "HV plan: SW made referral to MASH",
   "Plan: SW made referral to MASH".
"""
from __future__ import annotations

import numpy as np
import pytest

from review.config import load_vocab
from review.rules import base
from review.rules.base import _denial_prefilter, _may_deny, _negation_phrases, prepare, types_recorded
from review.rules.testing import make_timeline
from review.vocab import classify_contact_type, compile_vocab, denies, detect_escalation, detect_escalations, records_type
from tests._baseline import RULES, baseline_pairs, package_pairs

VOCAB = load_vocab()
REF = "referral_to_csc"
GP = {"agency": "Larkfield Medical Practice", "agency_kind": "health"}
HV = {"agency": "Health Visiting", "agency_kind": "health"}
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}


def both(rows, rule):
    package = package_pairs(rows, rule)
    assert package == baseline_pairs(rows, rule)
    return package


def row(date, type_text, text, who):
    """A row as ingest reads it: its contact type from the type column (else the text), its escalation cell."""
    kind = classify_contact_type(type_text, text, VOCAB)
    return {"date": date, "contact_type": kind, "description": text, "escalation": detect_escalation(kind, text, VOCAB),
            **who}


# -- 2. an assessment started is the decision on the referral -------------------------------------------------------
STARTED = [
    # typed assessment: "Contact" is no type, and the referral it follows is another event (s15)
    ("Contact", "Initial assessment started following GP referral"),
    ("Phone call", "Initial assessment"),
    ("Home visit", "Initial assessment visit"),
    ("Contact", "Child and family assessment commenced following referral"),
    ("Phone call", "Strategy discussion held with police"),
]
NOT_STARTED = [
    ("Phone call", "Initial assessment not started"),
    # (s19) a wait is still no decision
    ("Phone call", "Awaiting strategy discussion"),
    ("Phone call", "Spoke to mother about the referral"),
]
#: (s19) social care arranging the response decides the next steps and the type of response (Working Together
#: 2023, ch. 2; rules.yml referral_no_decision.decision_plan_cues): these were no decision before s19
PLANNED = [
    ("Contact", "Referral received from GP, assessment to be completed"),
    ("Phone call", "Strategy discussion to be arranged"),
]


def referral_then(type_text, text):
    return [row("2024-03-04", "Referral", "Referral to MASH re bruising", GP),  # a Monday
            row("2024-03-05", type_text, text, CSC),
            row("2024-06-05", "Referral decision", "MASH decision: NFA", CSC)]


def test_2_the_rows_are_typed_as_ingest_types_them():
    kinds = [row("2024-03-05", t, x, CSC)["contact_type"] for t, x in STARTED]
    assert kinds == ["assessment", "phone_call", "home_visit", "assessment", "phone_call"]


@pytest.mark.parametrize("type_text,text", STARTED)
def test_2_an_assessment_started_the_day_after_is_a_timely_decision(type_text, text):
    assert both(referral_then(type_text, text), "referral_no_decision") == []


@pytest.mark.parametrize("type_text,text", PLANNED)
def test_2_social_care_arranging_the_response_is_a_timely_decision(type_text, text):
    assert both(referral_then(type_text, text), "referral_no_decision") == []


@pytest.mark.parametrize("type_text,text", NOT_STARTED)
def test_2_one_not_started_or_no_decision_is_no_decision(type_text, text):
    # the rule still finds the decision only months later
    assert both(referral_then(type_text, text), "referral_no_decision") == [("C1-e001", "C1-e003")]


def test_2_records_type_reads_the_words_and_their_denial():
    assert records_type("assessment", "Initial assessment started following GP referral", VOCAB)
    assert records_type("assessment", "Single assessment opened", VOCAB)
    assert records_type("case_closure", "Case closed to social care", VOCAB)
    assert not records_type("assessment", "Initial assessment not started", VOCAB)
    assert not records_type("assessment", "Spoke to mother", VOCAB)
    assert not records_type("strategy_discussion", "Strategy discussion postponed", VOCAB)


def test_2_another_agencys_assessment_is_no_decision():
    rows = [row("2024-03-04", "Referral", "Referral to MASH re bruising", GP),
            row("2024-03-05", "Contact", "HV initial assessment of feeding", HV),
            row("2024-06-05", "Referral decision", "MASH decision: NFA", CSC)]
    assert both(rows, "referral_no_decision") == [("C1-e001", "C1-e003")]


def test_2_decision_in_text_can_be_switched_off():
    from review.rules import detect
    from review.rules.settings import merge_rules

    rows = referral_then("Phone call", "Initial assessment")
    rules = merge_rules(RULES, {"rules": {"referral_no_decision": {"decision_in_text": False}}}, "rules.yml")
    flags = detect(make_timeline(rows), None, rules, only=["referral_no_decision"])
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]


@pytest.mark.parametrize("search_from", [10**9, 0])
def test_2_types_recorded_gives_the_same_rows_as_records_type(monkeypatch, search_from):
    """Read one by one, or (`_DENIAL_SEARCH_FROM`) `denies` only where `_may_deny` lets a text through."""
    monkeypatch.setattr(base, "_DENIAL_SEARCH_FROM", search_from)
    texts = [f"{x} ({i})" for i in range(3) for _, x in STARTED + NOT_STARTED]
    texts += ["Assessment not started, strategy discussion held", "Case closed to social care", "case not closed"]
    rows = [{"date": f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}", "contact_type": "phone_call", "description": t, **CSC}
            for i, t in enumerate(texts)]  # in date order: the prepared timeline's
    ctx = prepare(make_timeline(rows), None, RULES["settings"])
    assert ctx.timeline["description"].tolist() == texts
    names = ["assessment", "strategy_discussion", "case_closure"]
    got = types_recorded(ctx, names, np.ones(len(rows), dtype=bool)).tolist()
    assert got == [any(records_type(n, t + " . ", VOCAB) for n in names) for t in texts]
    assert got.count(True) == 3 * len(STARTED) + 2
    # a row outside the mask is never read
    assert not types_recorded(ctx, names, np.zeros(len(rows), dtype=bool)).any()


# -- 3. a plan label with whose plan it is ------------------------------------------------------------------------
OWNED_PLANS = [
    "HV plan: referral to MASH",
    "GP plan - referral to children's social care",
    "SW plan: referral to MASH",
    "Outcome/Plan: referral to MASH",
    "Health visitor plan: referral to MASH",
    "Action plan: referral to MASH",
    "HV plan: refer to MASH",
]
OWNED_MADE = [
    "HV plan: SW made referral to MASH",
    "Plan: SW made referral to MASH",
    "HV plan: referral to MASH made",
    "HV plan: referred to MASH",
    "HV plan: review in 2 weeks. Referral to MASH made",
    "Visit planned: referral to MASH",  # "planned" is no noun label after words
    "Discussed with manager and HV plan: referral to MASH",  # more than two words before "plan"
]


@pytest.mark.parametrize("text", OWNED_PLANS)
def test_3_an_owned_plan_label_governs_the_referral(text):
    assert REF not in detect_escalations("referral", text, VOCAB)
    assert REF not in detect_escalations("home_visit", text, VOCAB)
    assert denies("referral", text, VOCAB)


@pytest.mark.parametrize("text", OWNED_MADE)
def test_3_a_referral_made_is_still_made(text):
    assert REF in detect_escalations("home_visit", text, VOCAB)
    assert not denies(REF, text, VOCAB)
    assert not denies("referral", text, VOCAB)


def test_3_prefilter_keeps_an_owned_plan_label():
    v = compile_vocab(VOCAB)
    for name in (REF, "referral"):
        for cues in (_negation_phrases(v), _negation_phrases(v, name)):
            kept = _may_deny(np.array(OWNED_PLANS, dtype=object), _denial_prefilter(v.denial_words(name), cues))
            assert kept.all()


def test_3_the_vectorised_held_escalations_reads_owned_plans_as_the_plain_path(monkeypatch):
    texts = [f"{t} ({i})" for i in range(30) for t in (*OWNED_PLANS, *OWNED_MADE)]
    rows = [{"date": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", "contact_type": ("phone_call", "referral")[i % 2],
             "description": t, "escalation": REF, **HV} for i, t in enumerate(texts)]

    def held():
        ctx = prepare(make_timeline(rows), None, RULES["settings"])
        return base.held_escalations(ctx, [REF]).tolist()

    monkeypatch.setattr(base, "_DENIAL_SEARCH_FROM", 10**9)
    plain = held()
    monkeypatch.setattr(base, "_DENIAL_SEARCH_FROM", 0)
    assert held() == plain
    assert plain.count(True) == 30 * len(OWNED_MADE)


def test_3_injury_not_escalated_flags_a_bruise_answered_by_an_hv_plan():
    bruise = {"date": "2023-03-01", "contact_type": "home_visit", "description": "Bruise to left arm",
              "concerns": "bruising", **HV}
    planned = row("2023-03-01", "Home visit", "HV plan: referral to MASH", HV)
    assert both([bruise, planned], "injury_not_escalated") == [("C1-e001", "")]
    made = row("2023-03-01", "Home visit", "HV plan: SW made referral to MASH", HV)
    assert both([bruise, made], "injury_not_escalated") == []


# -- 1. a DASH risk assessment records domestic abuse -------------------------------------------------------------
POLICE = {"agency": "Police", "agency_kind": "police"}
OLD = {"age_days": 1000, "child_mobile": True}
DASH = ["DASH high risk. No referral to CSC.", "DASH standard risk", "DASH medium risk, no referral",
        "A DASH risk assessment was completed, standard risk", "Referred to MARAC", "Police attended: DASH - high risk"]
NOT_DASH = ["No DASH completed", "Mother made a dash for the door", "a dash of milk in the bottle"]


@pytest.mark.parametrize("text", DASH)
def test_1_a_dash_risk_assessment_is_domestic_abuse(text):
    from review.vocab import tag_concerns

    assert "domestic_abuse" in tag_concerns(text, VOCAB)


@pytest.mark.parametrize("text", NOT_DASH)
def test_1_no_dash_or_a_dash_made_is_none(text):
    from review.vocab import tag_concerns

    assert "domestic_abuse" not in tag_concerns(text, VOCAB)


def police_row(text, date="2023-03-01"):
    from review.vocab import tag_concerns

    r = row(date, "Incident", text, POLICE)
    # (s20) a police force's "Incident" is a call-out by its agency (vocab.yml agency_type_cells), as ingest reads it
    kind = classify_contact_type("Incident", text, VOCAB, agency=(POLICE["agency"],))
    r = {**r, "contact_type": kind, "escalation": detect_escalation(kind, text, VOCAB)}
    return {**r, "concerns": "; ".join(tag_concerns(text, VOCAB)), **OLD}


def test_1_the_high_risk_dash_row_is_ingested_as_a_domestic_abuse_callout_with_no_referral():
    r = police_row("DASH high risk. No referral to CSC.")
    assert (r["contact_type"], r["concerns"], r["escalation"]) == ("police_callout", "domestic_abuse", "")


def test_1_information_not_shared_flags_the_dash_row_a_deciding_agency_did_not_know():
    discharge = {"date": "2023-03-10", "agency": "Hospital", "agency_kind": "health", "contact_type": "discharge",
                 **OLD}
    rows = [police_row("DASH high risk. No referral to CSC."), discharge]
    assert both(rows, "information_not_shared") == [("C1-e001", "")]
    # told the hospital: nothing to flag
    shared = [{**police_row("DASH high risk. No referral to CSC."), "informed_agencies": "Hospital"}, discharge]
    assert both(shared, "information_not_shared") == []


def test_1_response_latency_reads_the_dash_row_as_not_escalated_in_time():
    from review.rules import response_latency

    rows = [police_row("DASH high risk. No referral to CSC."),
            {"date": "2023-06-01", "contact_type": "home_visit", "description": "Visit", **HV, **OLD}]
    latency = response_latency(make_timeline(rows), None, RULES)
    assert latency["event_id"].tolist() == ["C1-e001"]
    assert latency["expected_days"].tolist() == [7]
    assert latency["within_expected"].tolist() == [False]
