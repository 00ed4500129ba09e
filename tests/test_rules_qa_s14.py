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

from _baseline import baseline_pairs, package_pairs

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
    # a specialist (not social care) assessment: the local standard counts it started (s14: social care's is
    # due completed, Working Together 2023: tests/test_ages_s14.py)
    assert flags_of("assessment_wait", [{**request(outcome=outcome), **HV}, visit("2021-06-01")]).empty
    (text,) = flags_of("assessment_wait", [request(outcome=outcome), visit("2021-06-01")])["explanation"]
    assert "no completed assessment is recorded within 45 working days" in text


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
    rows = [{**r, **HV} if r["contact_type"] != "home_visit" else r for r in rows]  # specialist: started counts
    assert flags_of("assessment_wait", rows).empty


def test_the_explanation_says_none_is_recorded_once():
    (text,) = flags_of("assessment_wait", [request(outcome="Referral for assessment"), visit("2021-06-01")])["explanation"]
    assert text == ("An assessment was requested (Children's Social Care, 15 Feb 2021) and no completed assessment "
                    "is recorded within 45 working days (by 21 Apr 2021); nor is one recorded later.")
    assert text.count("no completed assessment is recorded") == 1
    (text,) = flags_of("assessment_wait", [{**request(outcome="Referral for assessment"), **HV},
                                           visit("2021-06-01")])["explanation"]
    assert text == ("An assessment was requested (Health Visiting, 15 Feb 2021) and none is recorded "
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


# 1. one injury, its referral and its CP medical ----------------------------------------------------------
def hv_bruise(date="2022-04-27"):
    return {"date": date, "contact_type": "home_visit", "concerns": "bruising",
            "description": "Maisie seen; bruise to left ear, mother says caught on cot",
            "action": "Discussed with safeguarding supervisor; advice to monitor", **HV}


def csc_referral(date="2022-05-06"):
    return {"date": date, "contact_type": "referral", "concerns": "bruising",
            "escalation": "cp_medical; strategy_discussion",
            "description": "Referral from GP: bruise to ear on baby", "action": "Strategy discussion held; CP medical arranged",
            **CSC}


def csc_medical(date="2022-05-07"):
    return {"date": date, "contact_type": "cp_medical", "concerns": "bruising; inconsistent_explanation",
            "escalation": "cp_medical", "description": "CP medical: bruising consistent with pinch, explanation inconsistent",
            "action": "S47 enquiry", **CSC}


CEDAR = [hv_bruise(), csc_referral(), csc_medical()]


def test_one_bruise_its_referral_and_its_medical_give_one_nonmobile_flag():
    flags = flags_of("nonmobile_injury", CEDAR, dob="2022-01-21")
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]  # the health visitor's record, 10 days late
    assert flags.iloc[0]["delay_days"] == 10


def test_one_bruise_counts_once_in_the_pattern():
    later = {"date": "2022-05-20", "contact_type": "home_visit", "concerns": "burn",
             "description": "Burn to hand", **HV}
    flags = flags_of("repeated_injury_or_ae", [*CEDAR, later], dob="2022-01-21")
    (text,) = flags["explanation"]
    assert text.startswith("2 injuries within 90 days (27 Apr 2022 to 20 May 2022")  # was 4
    # the records of the one bruise alone are no pattern
    assert flags_of("repeated_injury_or_ae", CEDAR, dob="2022-01-21").empty


def test_an_escalation_long_after_the_injury_is_an_injury_of_its_own():
    rows = [hv_bruise(), csc_medical("2022-06-01")]  # 35 days later: more than escalation_window_days
    nonmobile = flags_of("nonmobile_injury", rows, dob="2022-01-21")
    assert nonmobile["trigger_event_id"].tolist() == ["C1-e001", "C1-e002"]


def test_a_gp_who_sees_the_bruise_and_refers_is_still_a_trigger_for_the_missing_medical():
    row = {"date": "2022-04-27", "contact_type": "home_visit", "concerns": "bruising", "escalation": "referral_to_csc",
           "description": "Bruise to ear; referral to children's social care made", **GP}
    flags = flags_of("nonmobile_injury", [row], dob="2022-01-21")
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    assert "with no same-day child protection medical" in flags.iloc[0]["explanation"]


def test_an_escalation_about_another_kind_of_injury_counts_again():
    burn = {**csc_medical(), "concerns": "burn", "description": "CP medical: burn to hand"}
    flags = flags_of("nonmobile_injury", [hv_bruise(), burn], dob="2022-01-21")
    assert flags["trigger_event_id"].tolist() == ["C1-e001", "C1-e002"]
    fracture = {"date": "2022-05-20", "contact_type": "home_visit", "concerns": "fracture",
                "description": "Swollen leg, fracture suspected", **HV}
    (text,) = flags_of("repeated_injury_or_ae", [hv_bruise(), burn, fracture], dob="2022-01-21")["explanation"]
    assert text.startswith("3 injuries within 90 days (27 Apr 2022 to 20 May 2022")


def test_a_cp_medical_that_did_not_take_place_is_no_escalation_record():
    cancelled = {**csc_medical(), "description": "CP medical cancelled", "action": "", "concerns": "bruising"}
    episodes = flags_of("repeated_injury_or_ae", [hv_bruise(), cancelled], dob="2022-01-21")
    assert len(episodes) == 1 and episodes.iloc[0]["explanation"].startswith("2 injuries")


# the row-by-row baseline reads them alike (its case is born 1 January 2023) --------------------------------
BASELINE_CASES = {
    "cedar": [hv_bruise("2023-03-10"), csc_referral("2023-03-19"), csc_medical("2023-03-20"),
              {"date": "2023-04-02", "contact_type": "home_visit", "concerns": "burn", "description": "Burn to hand", **HV}],
    "late medical": [hv_bruise("2023-03-10"), csc_medical("2023-04-20")],
    "gp refers": [{"date": "2023-03-10", "contact_type": "home_visit", "concerns": "bruising",
                   "escalation": "referral_to_csc", "description": "Bruise to ear; referral to children's social care made",
                   **GP}, csc_medical("2023-03-12")],
    "fir": [request("2023-02-15", outcome="Single assessment started"), visit("2023-06-01")],
    "fir planned": [request("2023-02-15", outcome="Single assessment to be completed"), visit("2023-06-01")],
    "fir answered later": [request("2023-02-15", outcome="Referral for assessment"),
                           {**request("2023-03-01", outcome="Single assessment started"), "contact_type": "referral_decision"},
                           visit("2023-06-01")],
    # s14: a specialist request (health) counts a start; social care's above is due completed (WT 2023)
    "fir specialist": [{**request("2023-02-15", outcome="Single assessment started"), **HV}, visit("2023-06-01")],
    "fir completed": [request("2023-02-15", outcome="Single assessment started"),
                      {"date": "2023-04-20", "contact_type": "assessment", "description": "Single assessment completed",
                       **CSC}, visit("2023-06-01")],
}


@pytest.mark.parametrize("name", sorted(BASELINE_CASES))
@pytest.mark.parametrize("rule", ["nonmobile_injury", "repeated_injury_or_ae", "assessment_wait"])
def test_the_baseline_agrees(name, rule):
    rows = BASELINE_CASES[name]
    assert baseline_pairs(rows, rule) == package_pairs(rows, rule)


def test_the_baseline_cases_flag_what_they_should():
    # the bruise once (its referral and medical are its records), the burn on its own
    assert package_pairs(BASELINE_CASES["cedar"], "nonmobile_injury") == [("C1-e001", "C1-e003"), ("C1-e004", "")]
    assert [t for t, _ in package_pairs(BASELINE_CASES["cedar"], "repeated_injury_or_ae")] == ["C1-e004"]
    # social care's: started is not completed (Working Together 2023, 45 working days to completion, s14)
    assert package_pairs(BASELINE_CASES["fir"], "assessment_wait") == [("C1-e001", "")]
    assert len(package_pairs(BASELINE_CASES["fir planned"], "assessment_wait")) == 1
    assert package_pairs(BASELINE_CASES["fir answered later"], "assessment_wait") == [("C1-e001", ""), ("C1-e002", "")]
    assert package_pairs(BASELINE_CASES["fir specialist"], "assessment_wait") == []
    assert package_pairs(BASELINE_CASES["fir completed"], "assessment_wait") == []
