"""(s21, QA11) Perplexing presentations / fabricated or induced illness (RCPCH 2021): the concern tag
`fabricated_illness` (the concern named, symptoms reported but not observed, the child's own account contradicting
the parent's: D1, D14), a parent's reported weight loss contradicted by a measurement is no weight_loss (D2), rule
`perplexing_presentation_not_escalated`, information_not_shared's longer look-back for the FII concern (D8), and
repeated_injury_or_ae's expected action for A&E attendances with no injury (D13). Ends with QA11's synthetic case
("Poppy Marsh", tests/_qa11_fii_case.py) end to end."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from _baseline import RULES, baseline_flags, baseline_pairs, baseline_rowwise, package_pairs

from review.config import load_vocab
from review.pipeline import analyse, load_case
from review.rules import RULE_IDS, detect
from review.rules.testing import make_timeline
from review.vocab import tag_concerns

RULE = "perplexing_presentation_not_escalated"
VOCAB = load_vocab()


def tags(text):
    return tag_concerns(text, VOCAB)


# -- D1 / D14: the concern tag ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Possible fabricated or induced illness. Discussed with the trust's named doctor.",
    "Referral for suspected FII.",
    "Perplexing presentation: marked discrepancy between the symptoms mother reports and what staff observe.",
    "Concern re Munchausen's by proxy.",
    "Mother describes symptoms that remain medically unexplained.",
    "Pattern of reported symptoms not observed by any clinician; mother declined consent.",
    "Symptoms reported but not observed on the ward.",
    # the child's own account contradicting the parent's (D14)
    "Poppy told her teacher 'I feel fine at school, mummy says I'm poorly'. Ate all of her lunch.",
    "Poppy said 'I feel well at school, I only feel sick at home when mummy says'.",
    "Poppy said she does not need the tube and eats her lunch; asked if it could be taken out.",
    "Poppy told the nurse 'I eat my lunch at school'.",
])
def test_fabricated_illness_is_read(text):
    assert "fabricated_illness" in tags(text)


@pytest.mark.parametrize("text", [
    "No concerns of FII.",
    "No evidence of fabricated or induced illness.",
    "Poppy chatty and well, abdomen soft.",
    "Attendance 71%: absences recorded as medical.",
    "I feel fine, said Jo after the fall.",
])
def test_no_fabricated_illness(text):
    assert "fabricated_illness" not in tags(text)


# -- D2: a parent's report a measurement contradicts is no weight loss ---------------------------------------------
@pytest.mark.parametrize("text", [
    "GP referral: vomiting and tummy pain. Mother reports weight loss and vomiting 6-8 times a day. Weight 20.3 kg "
    "(50th centile), height 50th. Examination normal.",
    "Mother unhappy with Ashworth discharge; says Poppy still vomiting daily and losing weight. Weight 21.0 kg "
    "(50th centile).",
    "Discharge summary from Kingsmere Royal Infirmary: admitted 22-25/11/2021 with reported food refusal; ate well on "
    "the ward, weight stable.",
    "Clinic: mother reports Poppy has stopped eating, weight loss, vomiting all feeds; requests tube feeding. Poppy "
    "seen, cheerful. Weight 22.0 kg (45th centile).",
])
def test_reported_weight_loss_contradicted_is_no_weight_loss(text):
    assert "weight_loss" not in tags(text)


@pytest.mark.parametrize("text", [
    "Weight dropped from 25th to 2nd centile.",
    "Weight loss noted. Weight 20 kg (50th centile).",  # the agency's own finding, whatever the centile
    "Mother reports weight loss.",  # a report with no measurement: still to look into
    "Mother reports weight loss. Weight 15kg (below 2nd centile).",  # a measurement agreeing with it
    "Staff report weight loss, weight 30th centile.",  # staff are no parent
])
def test_observed_weight_loss_stays(text):
    assert "weight_loss" in tags(text)


# -- the rule on small timelines (package and baseline) -----------------------------------------------------------
HOSP = dict(agency="Kingsmere Royal Infirmary", agency_kind="health", contact_type="admission")
ASH = dict(agency="Ashworth General Hospital", agency_kind="health", contact_type="ae_attendance")
GP = dict(agency="Brookfield Surgery", agency_kind="health", contact_type="clinic_appointment")
CSC = dict(agency="Westvale Children's Social Care", agency_kind="social care")
CONCERN = dict(HOSP, date="2023-03-01", concerns="fabricated_illness",
               description="Possible fabricated or induced illness. Discussed with the trust's named doctor.",
               action="To obtain records from other trusts and write to the GP.")


def both(rows):
    package, base = package_pairs(rows, RULE), baseline_pairs(rows, RULE)
    assert package == base
    return package


def test_a_concern_kept_in_the_trust_is_flagged():
    rows = [CONCERN, dict(GP, date="2023-03-10", contact_type="letter", description="Discharge summary: ate well.")]
    assert both(rows) == [("C1-e001", "")]
    flag = detect(make_timeline(rows), None, RULES, only=[RULE]).iloc[0]
    assert flag["expected_action"].startswith("a response to the perplexing presentation within 28 days")
    assert "none is recorded within 365 days of 1 Mar 2023" in flag["explanation"]
    assert flag["severity"] == "high" and flag["failing_category"] == "communication"


@pytest.mark.parametrize("response", [
    # (s22, QA11 N2: social care's receipt names the trust it came from; one naming no sender is another agency's
    # referral, which does not carry the trust's concern: tests/test_related_s22.py)
    dict(CSC, date="2023-03-20", contact_type="referral", escalation="referral_to_csc",
         description="Referral received from Kingsmere Royal Infirmary re suspected FII."),
    dict(HOSP, date="2023-03-02", contact_type="letter", concerns="fabricated_illness",
         description="Letter to GP re perplexing presentation.", informed_agencies="Brookfield Surgery"),
    dict(GP, date="2023-03-15", contact_type="letter", concerns="fabricated_illness",
         description="Letter from Kingsmere: perplexing presentation, possible FII."),
    dict(HOSP, date="2023-03-25", contact_type="other", description="Professionals meeting held with the GP."),
])
def test_a_concern_shared_in_time_is_not_flagged(response):
    assert both([CONCERN, response]) == []


def test_a_late_response_is_its_action():
    # (s22, QA11 N2: a strategy discussion the trust attended, named among its informed agencies)
    late = dict(CSC, date="2023-05-01", contact_type="strategy_discussion", escalation="strategy_discussion",
                informed_agencies="Kingsmere Royal Infirmary")
    assert both([CONCERN, late]) == [("C1-e001", "C1-e002")]
    flag = detect(make_timeline([CONCERN, late]), None, RULES, only=[RULE]).iloc[0]
    assert flag["delay_days"] == 33  # deadline 29 Mar 2023


def test_later_concerns_before_a_response_are_the_flags_evidence():
    rows = [CONCERN, dict(CONCERN, date="2023-06-01", description="Perplexing presentation again.")]
    assert both(rows) == [("C1-e001", "")]
    flag = detect(make_timeline(rows), None, RULES, only=[RULE]).iloc[0]
    assert flag["evidence_event_ids"] == "C1-e001; C1-e002"


def test_an_ambulance_crews_concern_is_no_trigger():
    assert both([dict(CONCERN, agency="Midshire Ambulance Service")]) == []


def _sign(date, base, text="Mother reports Poppy fitting at home. Obs normal, no episode witnessed."):
    return dict(base, date=date, description=text, action="Discharged.")


def test_a_pattern_of_reported_not_observed_across_two_trusts_is_flagged_at_its_third_sign():
    rows = [_sign("2023-01-05", ASH), _sign("2023-02-10", HOSP), _sign("2023-04-01", ASH)]
    assert both(rows) == [("C1-e003", "")]
    flag = detect(make_timeline(rows), None, RULES, only=[RULE]).iloc[0]
    assert "completing a pattern of RCPCH alerting signs" in flag["explanation"]
    assert "3 alerting signs in the 365 days to then" in flag["explanation"]
    assert flag["evidence_event_ids"] == "C1-e001; C1-e002; C1-e003"


@pytest.mark.parametrize("rows", [
    [_sign("2023-01-05", ASH), _sign("2023-02-10", ASH), _sign("2023-04-01", ASH)],  # one provider
    [_sign("2022-01-05", ASH), _sign("2023-02-10", HOSP), _sign("2023-04-01", ASH)],  # not in 365 days
    # a report the staff saw for themselves is no sign
    [_sign("2023-01-05", ASH), _sign("2023-02-10", HOSP, "Mother reports fitting; seizure seen by nurse."),
     _sign("2023-04-01", ASH)],
])
def test_no_pattern(rows):
    assert both(rows) == []


# -- D8: information_not_shared reads the FII concern over 365 days ------------------------------------------------
@pytest.mark.parametrize("tag, flagged", [("fabricated_illness", True), ("neglect", False)])
def test_a_standing_fii_concern_is_asked_of_a_decision_116_days_later(tag, flagged):
    rows = [dict(HOSP, date="2021-11-25", concerns=tag, description="Concern recorded."),
            dict(CSC, date="2022-03-21", contact_type="case_closure", description="Closed, no further action.")]
    package = package_pairs(rows, "information_not_shared")
    assert package == baseline_pairs(rows, "information_not_shared")
    assert bool(package) == flagged


# -- D13: A&E attendances with no injury ---------------------------------------------------------------------------
@pytest.mark.parametrize("concerns, attendance", [("", True), ("bruising", False)])
def test_repeated_attendances_without_injury_expect_a_review_across_providers(concerns, attendance):
    rows = [dict(ASH, date=d, concerns=concerns) for d in ("2023-01-05", "2023-03-10")] \
        + [dict(HOSP, contact_type="ae_attendance", date="2023-05-20", concerns=concerns)]
    flags = detect(make_timeline(rows), None, RULES, only=["repeated_injury_or_ae"])
    ae = flags[flags["variant"] == "ae"] if "variant" in flags else flags
    action = ae["expected_action"].iloc[-1]
    assert ("attendances across providers" in action) == attendance
    assert ("CP medical" in action) != attendance


def test_the_rule_is_registered():
    assert RULE in RULE_IDS and len(RULE_IDS) == 24


# -- QA11 end to end -----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def qa11(tmp_path_factory):
    folder = tmp_path_factory.mktemp("qa11") / "case"
    generator = Path(__file__).with_name("_qa11_fii_case.py")
    subprocess.run([sys.executable, str(generator), str(folder)], check=True, capture_output=True)
    return analyse(load_case(folder))


def _row(a, day, agency):
    tl = a.timeline
    hit = tl[(tl["date"].dt.strftime("%Y-%m-%d") == day) & (tl["agency"] == agency)]
    assert len(hit) >= 1, (day, agency)
    return hit


def _flag_at(a, day, agency, rule=RULE):
    f = a.flags[a.flags["rule_id"] == rule]
    ids = set(_row(a, day, agency)["event_id"])
    return f[f["trigger_event_id"].isin(ids)]


@pytest.mark.parametrize("point, day, agency", [
    ("E1", "2021-02-15", "Kingsmere Royal Infirmary"),  # 2nd trust, symptoms already investigated
    ("E4", "2021-11-25", "Kingsmere Royal Infirmary"),  # the PP/FII concern kept in the trust
    ("E6", "2021-06-14", "Thornbury Children's Hospital"),  # Thornbury's pattern (NG tube, gastrostomy its evidence)
    ("E13", "2022-09-12", "Westvale Community Paediatrics"),  # Dr Shah's concern, consent refused
    ("E16", "2022-12-05", "Thornbury Children's Hospital"),  # the child "I eat my lunch at school" before the MDT
])
def test_qa11_expected_points_are_raised(qa11, point, day, agency):
    assert len(_flag_at(qa11, day, agency)) == 1, point


def test_qa11_kingsmeres_concern_is_a_concern_flag_the_schools_referral_did_not_answer(qa11):
    # (the school's "Referral to Westvale Children's Social Care (MASH)." of 8 Mar 2022 is read as a referral since
    # QA11 D6; s21 took it as Kingsmere's response, 75 days late. s22 (N2): another agency's referral does not carry
    # the trust's concern, which never left Kingsmere)
    flag = _flag_at(qa11, "2021-11-25", "Kingsmere Royal Infirmary").iloc[0]
    assert "recorded a perplexing presentation / possible fabricated or induced illness" in flag["explanation"]
    assert "none is recorded within 365 days of 25 Nov 2021." in flag["explanation"]
    assert "Another agency's referral to children's social care on 8 Mar 2022 (Hazelmere Primary School's) did not " \
        "carry Kingsmere Royal Infirmary's concern." in flag["explanation"]
    assert pd.isna(flag["actual_action_event_id"]) or flag["actual_action_event_id"] == ""


def test_qa11_thornburys_invasive_feeding_decisions_are_its_flags_evidence(qa11):
    # E6 (NG tube agreed 10/01/2022) and E11 (gastrostomy requested 13/06/2022) on the mother's report alone
    # (s21 took the school's referral of 8 Mar 2022 as Thornbury's response, so the gastrostomy request was a flag of
    # its own; s22 (N2): the school's referral did not carry Thornbury's concern, nothing answers the 2021 episode,
    # and the gastrostomy request is its evidence, as E6 lists it)
    evidence = _flag_at(qa11, "2021-06-14", "Thornbury Children's Hospital").iloc[0]["evidence_event_ids"]
    assert set(_row(qa11, "2022-01-10", "Thornbury Children's Hospital")["event_id"]) <= set(evidence.split("; "))
    assert set(_row(qa11, "2022-06-13", "Thornbury Children's Hospital")["event_id"]) <= set(evidence.split("; "))
    assert len(_flag_at(qa11, "2022-06-13", "Thornbury Children's Hospital")) == 0


def test_qa11_properly_escalated_points_are_not_flagged(qa11):
    # P1/P2: Ashworth's referral for suspected FII (12/04/2023), the strategy discussion and the ICPC
    flags = qa11.flags[qa11.flags["rule_id"] == RULE]
    assert (flags["trigger_date"] < pd.Timestamp("2023-04-12")).all()
    assert not (qa11.flags["rule_id"] == "strategy_no_conference").any()


def test_qa11_the_childs_own_words_are_read(qa11):
    for day, agency in (("2021-11-18", "Hazelmere Primary School"), ("2022-11-14", "Hazelmere Primary School"),
                        ("2022-02-07", "Westvale School Nursing")):
        assert "fabricated_illness" in _row(qa11, day, agency)["concerns"].iloc[0], (day, agency)


def test_qa11_mother_reported_weight_loss_is_no_finding(qa11):
    # D2: Ashworth 07/12/2020, GP 22/03/2021, Thornbury 14/06/2021 and 10/01/2022, the GP's letter 06/12/2021
    for day, agency in (("2020-12-07", "Ashworth General Hospital"), ("2021-03-22", "Brookfield Surgery"),
                        ("2021-06-14", "Thornbury Children's Hospital"), ("2022-01-10", "Thornbury Children's Hospital"),
                        ("2021-12-06", "Brookfield Surgery")):
        assert not _row(qa11, day, agency)["concerns"].str.contains("weight_loss").any(), (day, agency)
    # ... and the wrong flag QA11 found on it is gone (#2)
    assert not (qa11.flags["rule_id"] == "neglect_not_escalated").any()


def test_qa11_kingsmeres_concern_reaches_the_closure_question(qa11):
    # D8 / E8: social care closed on 21/03/2022, 116 days after Kingsmere's concern. Since QA11 D6 the school's
    # referral of 8 Mar 2022 ("Referral to Westvale Children's Social Care (MASH)") is read, and with it social care
    # held the school's fabricated-illness concern: the rule compares concerns by tag, so Kingsmere's is not listed
    # as missing; the agency knowledge table (by its own window) still lists fabricated_illness as missing there
    flags = qa11.flags[qa11.flags["rule_id"] == "information_not_shared"]
    closure = flags[flags["explanation"].str.contains("before its decision (no further action) on 21 Mar 2022", regex=False)]
    assert len(closure) == 1
    assert "Kingsmere Royal Infirmary recorded a missed appointment (child not brought) on 6 Dec 2021" in \
        closure.iloc[0]["explanation"]
    assert not flags["explanation"].str.contains("recorded weight loss").any()
    k = qa11.knowledge
    at = k[(k["deciding_agency"] == "Westvale Children's Social Care") & (k["date"] == pd.Timestamp("2022-03-21"))]
    assert "fabricated_illness" in at.iloc[0]["missing_concerns"]


def test_qa11_attendances_expect_a_review_across_providers(qa11):
    flags = qa11.flags[qa11.flags["rule_id"] == "repeated_injury_or_ae"]
    assert len(flags) == 2 and flags["expected_action"].str.contains("attendances across providers").all()


def test_qa11_the_baseline_raises_the_same_fii_flags(qa11):
    rows = []
    for r in qa11.timeline.astype(object).where(qa11.timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        rows.append(r)
    case_id = rows[0]["case_id"]
    _, base = baseline_rowwise.run(rows, {case_id: {"date_of_birth": dt.date(2015, 11, 3), "review_date": None}},
                                   RULES)
    for rule in (RULE, "information_not_shared"):
        package = qa11.flags[qa11.flags["rule_id"] == rule]
        assert sorted(zip(package["flag_id"], package["actual_action_event_id"].fillna(""))) == sorted(
            (f["flag_id"], f["actual_action_event_id"] or "") for f in base if f["rule_id"] == rule), rule
    assert len([f for f in base if f["rule_id"] == RULE]) >= 5


def test_baseline_flags_helper_sees_the_rule():
    assert [f["rule_id"] for f in baseline_flags([CONCERN])] == [RULE]
