"""(s22) QA11 ("Poppy Marsh", perplexing presentations / FII across four trusts; tests/_qa11_fii_case.py) after its
last QA: N7 a repeated_injury_or_ae flag and a perplexing_presentation_not_escalated flag whose evidence holds the
same hospital attendances name each other ("See also", `review.rules.RELATED_BY_EVIDENCE`); N2 rule 22 credits a
trust's unshared FII concern only with a response that carried it (its own referral or sharing, a strategy
discussion it attended, social care's record of its referral), not another agency's referral about the child."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from _baseline import RULES, baseline_pairs, package_pairs

from review.pipeline import analyse, load_case
from review.rules import RELATED_BY_EVIDENCE, RELATED_RULES, detect
from review.rules.testing import make_timeline

RULE = "perplexing_presentation_not_escalated"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"

ASH = dict(agency="Ashworth General Hospital", agency_kind="health", contact_type="ae_attendance")
KRI = dict(agency="Kingsmere Royal Infirmary", agency_kind="health", contact_type="ae_attendance")
GP = dict(agency="Brookfield Surgery", agency_kind="health", contact_type="clinic_appointment")
SCHOOL = dict(agency="Hazelmere Primary School", agency_kind="education")
CSC = dict(agency="Westvale Children's Social Care", agency_kind="social care")
CONCERN = dict(KRI, contact_type="admission", date="2023-03-01", concerns="fabricated_illness",
               description="Possible fabricated or induced illness. Discussed with the trust's named doctor.",
               action="To obtain records from other trusts and write to the GP.")
SCHOOL_REFERRAL = dict(SCHOOL, date="2023-03-10", contact_type="referral", escalation="referral_to_csc",
                       description="Absences for illnesses staff never see.",
                       action="Referral to Westvale Children's Social Care (MASH).")


def _sign(date, base, text="Mother reports Poppy fitting at home. Obs normal, no episode witnessed."):
    return dict(base, date=date, description=text, action="Discharged.")


def both(rows):
    package, base = package_pairs(rows, RULE), baseline_pairs(rows, RULE)
    assert package == base
    return package


def _flag(rows, rule=RULE):
    flags = detect(make_timeline(rows), None, RULES, only=[rule])
    assert len(flags) == 1
    return flags.iloc[0]


# -- N7: the same attendances, two patterns --------------------------------------------------------------------------


def test_the_pair_is_related_by_evidence():
    assert "perplexing_presentation_not_escalated" in RELATED_RULES["repeated_injury_or_ae"]
    assert ("repeated_injury_or_ae", "perplexing_presentation_not_escalated") in RELATED_BY_EVIDENCE


def test_an_ae_pattern_and_an_fii_pattern_on_the_same_attendances_name_each_other():
    # three A&E attendances across two trusts, each a parent's report staff did not observe: the "3 A&E
    # attendances" flag and the alerting-signs flag, both at the third attendance
    rows = [_sign("2023-01-05", ASH), _sign("2023-02-10", KRI), _sign("2023-04-01", ASH)]
    flags = detect(make_timeline(rows), None, RULES)
    ae = flags[flags["rule_id"] == "repeated_injury_or_ae"].iloc[0]
    fii = flags[flags["rule_id"] == RULE].iloc[0]
    assert set(ae["evidence_event_ids"].split("; ")) & set(fii["evidence_event_ids"].split("; "))
    # the later in the flags' order (same day: rule id) names the earlier; the earlier names none
    assert f"See also flag {fii['flag_id']} ({RULE}, 1 Apr 2023): the same hospital attendances, flagged by another " \
           "rule (the pattern of attendances and the perplexing presentation / fabricated or induced illness " \
           "alerting signs they are part of)." in ae["explanation"]
    assert "See also" not in fii["explanation"]
    assert ae["explanation"].count("See also") == 1


def test_patterns_sharing_no_attendance_do_not_name_each_other():
    # Kingsmere's FII concern on the ward (its own evidence alone) beside A&E attendances at Ashworth
    rows = [dict(ASH, date=d, description="Cough.", action="Discharged.")
            for d in ("2023-01-05", "2023-02-10", "2023-02-20")] + [CONCERN]
    flags = detect(make_timeline(rows), None, RULES)
    assert {"repeated_injury_or_ae", RULE} <= set(flags["rule_id"])
    assert not flags["explanation"].str.contains("See also", regex=False).any()


def test_the_injury_pairs_keep_their_own_sentence_and_the_sample_is_unchanged():
    a = analyse(load_case(SAMPLE))
    assert len(a.timeline) == 99 and len(a.flags) == 22
    assert not (a.flags["rule_id"] == RULE).any()
    see = a.flags[a.flags["explanation"].str.contains("See also", regex=False)]
    assert len(see) == 4  # as s21: the pattern flags and the injury flags of the same records
    assert see["explanation"].str.contains("the same records, flagged by another rule (an injury on its own",
                                           regex=False).all()
    assert not see["explanation"].str.contains("hospital attendances", regex=False).any()


# -- N2: another agency's referral does not carry the trust's concern ----------------------------------------------


def test_another_agencys_referral_leaves_the_trusts_concern_flagged():
    assert both([CONCERN, SCHOOL_REFERRAL]) == [("C1-e001", "")]
    flag = _flag([CONCERN, SCHOOL_REFERRAL])
    assert "none is recorded within 365 days of 1 Mar 2023." in flag["explanation"]
    assert flag["explanation"].endswith(
        " Another agency's referral to children's social care on 10 Mar 2023 (Hazelmere Primary School's) did not "
        "carry Kingsmere Royal Infirmary's concern.")


@pytest.mark.parametrize("response", [
    # the trust's own referral
    dict(KRI, date="2023-03-05", contact_type="referral", escalation="referral_to_csc",
         description="Referral to children's social care re suspected FII."),
    # a strategy discussion it attended (named among the meeting's informed agencies)
    dict(CSC, date="2023-03-20", contact_type="strategy_discussion", escalation="strategy_discussion",
         description="Strategy discussion re suspected FII.",
         informed_agencies="Kingsmere Royal Infirmary; Westvale Police"),
    # social care's record of the trust's referral
    dict(CSC, date="2023-03-06", contact_type="referral", escalation="referral_to_csc",
         description="Referral from Kingsmere Royal Infirmary: suspected fabricated or induced illness."),
])
def test_a_response_carrying_the_trusts_concern_answers_it(response):
    assert both([CONCERN, SCHOOL_REFERRAL, response]) == []


def test_a_strategy_discussion_the_trust_did_not_attend_is_named_and_does_not_answer():
    meeting = dict(CSC, date="2023-03-20", contact_type="strategy_discussion", escalation="strategy_discussion",
                   description="Strategy discussion re suspected FII.", informed_agencies="Brookfield Surgery")
    gp_row = dict(GP, date="2023-03-20", contact_type="strategy_discussion", escalation="strategy_discussion",
                  concerns="fabricated_illness", description="Strategy discussion re suspected FII.")
    # the GP's record of it, tagged FII, is that discussion's record, not Kingsmere's concern reaching the GP
    assert both([CONCERN, meeting, gp_row]) == [("C1-e001", "")]
    assert _flag([CONCERN, meeting, gp_row])["explanation"].endswith(
        " Another agency's strategy discussion on 20 Mar 2023 (Westvale Children's Social Care's) did not carry "
        "Kingsmere Royal Infirmary's concern.")


def test_no_note_when_the_trusts_own_response_came_first():
    own_late = dict(KRI, date="2023-04-20", contact_type="referral", escalation="referral_to_csc",
                    description="Referral to children's social care re suspected FII.")
    school_later = dict(SCHOOL_REFERRAL, date="2023-05-02")
    assert both([CONCERN, own_late, school_later]) == [("C1-e001", "C1-e002")]
    flag = _flag([CONCERN, own_late, school_later])
    assert "the first such response came on 20 Apr 2023, 22 calendar days late." in flag["explanation"]
    assert "Another agency's" not in flag["explanation"]


def test_other_rules_still_read_any_agencys_referral():
    # not over-reached: repeated_injury_or_ae's "any agency escalated" is unchanged by rule 22's reading
    rows = [dict(ASH, date=d, description="Cough.", action="Discharged.")
            for d in ("2023-01-05", "2023-02-10", "2023-02-20")] + [dict(SCHOOL_REFERRAL, date="2023-02-21")]
    assert package_pairs(rows[:3], "repeated_injury_or_ae") == [("C1-e003", "")]  # flagged without it
    assert package_pairs(rows, "repeated_injury_or_ae") == baseline_pairs(rows, "repeated_injury_or_ae") == []


# -- QA11 end to end ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def qa11(tmp_path_factory):
    folder = tmp_path_factory.mktemp("qa11") / "case"
    generator = Path(__file__).with_name("_qa11_fii_case.py")
    subprocess.run([sys.executable, str(generator), str(folder)], check=True, capture_output=True)
    return analyse(load_case(folder))


def _flags(a, rule, day, agency=None):
    tl = a.timeline
    at = (tl["date"].dt.strftime("%Y-%m-%d") == day) & ((tl["agency"] == agency) if agency else True)
    f = a.flags[a.flags["rule_id"] == rule]
    return f[f["trigger_event_id"].isin(set(tl.loc[at, "event_id"]))]


def test_qa11_the_ae_pattern_names_the_fii_flags_of_its_attendances(qa11):
    ae = _flags(qa11, "repeated_injury_or_ae", "2021-05-10").iloc[0]
    ashworth = _flags(qa11, RULE, "2020-12-07", "Ashworth General Hospital").iloc[0]
    kingsmere = _flags(qa11, RULE, "2021-02-15", "Kingsmere Royal Infirmary").iloc[0]
    assert f"See also flag {ashworth['flag_id']} ({RULE}, 7 Dec 2020); flag {kingsmere['flag_id']} ({RULE}, 15 Feb " \
           "2021): the same hospital attendances" in ae["explanation"]
    # a later FII pattern whose window holds those attendances names the A&E flag
    thornbury = _flags(qa11, RULE, "2021-06-14", "Thornbury Children's Hospital").iloc[0]
    assert f"See also flag {ae['flag_id']} (repeated_injury_or_ae, 10 May 2021): the same hospital attendances" \
        in thornbury["explanation"]
    # Kingsmere's ward concern (its own record alone) shares no attendance
    assert "See also" not in _flags(qa11, RULE, "2021-11-25", "Kingsmere Royal Infirmary").iloc[0]["explanation"]


def test_qa11_the_schools_referral_answers_no_trusts_concern(qa11):
    school = qa11.timeline[(qa11.timeline["agency"] == "Hazelmere Primary School")
                           & (qa11.timeline["date"] == pd.Timestamp("2022-03-08"))]["event_id"].iloc[0]
    flags = qa11.flags[qa11.flags["rule_id"] == RULE]
    assert not (flags["actual_action_event_id"].fillna("") == school).any()
    noted = flags[flags["explanation"].str.contains("Another agency's referral to children's social care on 8 Mar "
                                                    "2022 (Hazelmere Primary School's)", regex=False)]
    assert sorted(noted["trigger_date"].dt.strftime("%Y-%m-%d")) == [
        "2021-05-17", "2021-06-14", "2021-09-13", "2021-11-25"]
    # Ashworth's own referral of 12 Apr 2023 answers none of the other trusts' concerns either
    for day, agency in (("2022-09-12", "Westvale Community Paediatrics"),
                        ("2022-12-05", "Thornbury Children's Hospital")):
        flag = _flags(qa11, RULE, day, agency).iloc[0]
        assert "on 12 Apr 2023 (Ashworth General Hospital's) did not carry" in flag["explanation"]
        assert pd.isna(flag["actual_action_event_id"]) or flag["actual_action_event_id"] == ""
