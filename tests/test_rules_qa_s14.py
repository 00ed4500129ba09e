"""s14 QA of the rules (docs/rules.md):

1. nonmobile_injury / repeated_injury_or_ae: one bruise recorded by the health visitor, then by social care's
   referral and the CP medical about it, gave three high nonmobile_injury flags and counted as three
   injuries. A record that is itself an expected escalation about an injury recorded shortly before is the
   same injury: it starts no flag of its own and counts once (`escalation_window_days`).
2. assessment_wait flagged a referral whose own outcome says "Single assessment started"; its explanation
   said "none is recorded" twice.
3. nonmobile_injury's "no referral and CP medical by any agency are both recorded within 90 days" read as "no
   referral" when one was made: it now says which part came and which is missing.
"""
from __future__ import annotations

import pytest

from review.config import package_data
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import records_under_way

RULES = load_rules()
HV = {"agency": "Health Visiting", "agency_kind": "health"}
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
GP = {"agency": "Larkfield GP", "agency_kind": "health"}


def flags_of(rule_id, rows, **kw):
    return detect(make_timeline(rows, **kw), None, RULES, only=[rule_id])


# 2. assessment_wait ---------------------------------------------------------------------------------------
def request(date="2021-02-15", outcome="", description="MARAC referral from police re DA incident"):
    return {"date": date, "contact_type": "referral", "description": description, "action": outcome, **CSC}


def visit(date):
    return {"date": date, "contact_type": "home_visit", "description": "SW visit; child seen alone", **CSC}


@pytest.mark.parametrize("outcome", ["Single assessment started", "Single assessment opened",
                                     "assessment commenced", "Assessment in progress"])
def test_a_request_whose_own_outcome_starts_the_assessment_is_not_flagged(outcome):
    assert flags_of("assessment_wait", [request(outcome=outcome), visit("2021-06-01")]).empty


@pytest.mark.parametrize("outcome", ["Single assessment to be completed", "Assessment not started",
                                     "Assessment awaiting allocation", "Single assessment not yet started"])
def test_a_request_whose_own_text_only_plans_or_denies_it_is_still_flagged(outcome):
    flags = flags_of("assessment_wait", [request(outcome=outcome), visit("2021-06-01")])
    assert len(flags) == 1


def test_a_request_for_an_assessment_is_not_its_own_assessment():
    rows = [request(description="Referral for a developmental assessment", outcome="Accepted"), visit("2021-06-01")]
    assert len(flags_of("assessment_wait", rows)) == 1


def test_a_later_request_that_starts_the_assessment_answers_an_earlier_one():
    rows = [request("2021-02-15", outcome="Referral for assessment"),
            {**request("2021-03-01", outcome="Single assessment started"), "contact_type": "referral_decision"},
            visit("2021-06-01")]
    assert flags_of("assessment_wait", rows).empty


def test_the_explanation_says_none_is_recorded_once():
    (text,) = flags_of("assessment_wait", [request(outcome="Referral for assessment"), visit("2021-06-01")])["explanation"]
    assert text == ("An assessment was requested (Children's Social Care, 15 Feb 2021) and none is recorded "
                    "within 42 days (by 29 Mar 2021); nor is one recorded later.")
    assert text.count("none is recorded") == 1


def test_records_under_way_reads_the_words_and_their_affirmation():
    vocab = package_data("vocab.yml")
    assert records_under_way("assessment", "Referral from police . Single assessment started", vocab)
    assert records_under_way("assessment", "Single assessment opened", vocab)
    assert not records_under_way("assessment", "Referral for assessment", vocab)
    assert not records_under_way("assessment", "Assessment to be completed by 5/4", vocab)
    assert not records_under_way("assessment", "assessment held in abeyance", vocab)


def test_the_qa_case_fir_gives_no_flag(tmp_path):
    from review.pipeline import analyse, load_case
    case = tmp_path / "fir"
    case.mkdir()
    (case / "case.yml").write_text("case_id: fir\ndate_of_birth: 2020-06-01\n")
    (case / "csc.csv").write_text(
        "Date,Type of contact,Details,Outcome\n"
        "15/02/2021,Referral,MARAC referral from police re DA incident,Single assessment started\n"
        "20/02/2021,Home visit,SW visit; child seen alone,Assessment continuing\n")
    flags = analyse(load_case(case)).flags
    assert not (flags["rule_id"] == "assessment_wait").any()


# 3. nonmobile_injury's explanation ----------------------------------------------------------------------
def bruise(date="2019-06-14"):
    return {"date": date, "contact_type": "home_visit", "concerns": "bruising",
            "description": "Bruising to both upper arms, non-mobile infant", **GP}


def strategy(date):
    return {"date": date, "contact_type": "strategy_discussion", "escalation": "strategy_discussion",
            "description": "Strategy discussion held", **CSC}


def medical(date):
    return {"date": date, "contact_type": "cp_medical", "escalation": "cp_medical",
            "description": "Child protection medical", "agency": "Westmere General", "agency_kind": "health"}


def test_a_referral_without_a_medical_says_the_referral_came_and_the_medical_is_missing():
    rows = [bruise(), strategy("2019-09-12"), medical("2019-09-20")]  # 90 and 98 days after the injury
    flag = flags_of("nonmobile_injury", rows, dob="2019-03-01").iloc[0]
    assert flag["explanation"].endswith(
        "with no same-day referral to children's social care and no child protection medical; the next referral by"
        " any agency came on 12 Sep 2019 (strategy discussion, Children's Social Care), but no CP medical by any"
        " agency is recorded within 90 days of the injury.")
    assert "no referral" not in flag["explanation"]
    assert flag["actual_action_event_id"] == ""


def test_a_medical_without_a_referral_says_the_referral_is_missing():
    rows = [bruise(), medical("2019-06-20")]
    flag = flags_of("nonmobile_injury", rows, dob="2019-03-01").iloc[0]
    assert flag["explanation"].endswith(
        "; the next CP medical by any agency came on 20 Jun 2019 (CP medical, Westmere General), but no referral"
        " by any agency is recorded within 90 days of the injury.")


def test_neither_part_says_neither():
    flag = flags_of("nonmobile_injury", [bruise()], dob="2019-03-01").iloc[0]
    assert flag["explanation"].endswith(
        "; neither a referral nor a CP medical by any agency is recorded within 90 days of the injury.")


def test_both_parts_late_still_name_the_later():
    flag = flags_of("nonmobile_injury", [bruise(), strategy("2019-06-17"), medical("2019-06-20")],
                    dob="2019-03-01").iloc[0]
    assert "the later of the next referral and the next CP medical by any agency came on 20 Jun 2019" in flag["explanation"]
    assert flag["delay_days"] == 6
