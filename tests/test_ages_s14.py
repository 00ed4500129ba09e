"""s14 QA of the rules that depend on the child's age and stage (NICE CG89, Working Together 2023 ch. 2, "was
not brought" guidance):

1. mobility: the records' own words ("not yet rolling or sitting, not independently mobile") make a child
   past six months not mobile, until a record states mobility; case.yml mobile_from wins; nonmobile_injury's
   explanation names the judgement's source.
2. assessment_wait: social care's assessment is due *completed* within 45 working days (bank holidays
   skipped); a start alone does not complete it; a specialist assessment keeps 42 days, started or done; a
   record adding to an open assessment is no new request.
3. was_not_brought: a young person "did not attend" (13+, low severity unless other concerns are open); 16+
   not flagged on missed appointments alone. child_not_seen's "concerns open" is not made of missed
   appointments alone, nor of a hospital's records alone.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from _baseline import baseline_pairs, package_pairs
from review.config import CaseConfig
from review.mobility import MOBILE, NO_STATEMENT, NOT_MOBILE, mobility_statement
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
HV = {"agency": "Oakfield Health Visiting", "agency_kind": "health"}
CSC = {"agency": "Northshire Children's Social Care", "agency_kind": "social care"}
MASH = {"agency": "Northshire MASH", "agency_kind": "social care"}


def config(dob, review="2023-12-31", mobile_from=None):
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=pd.Timestamp(dob).date(),
                      review_date=pd.Timestamp(review).date(),
                      mobile_from=pd.Timestamp(mobile_from).date() if mobile_from else None)


def flags_of(rule_id, rows, dob="2023-01-01", mobile_from=None, review="2023-12-31"):
    timeline = make_timeline(rows, dob=dob, mobile_from=mobile_from)
    return detect(timeline, config(dob, review, mobile_from), RULES, only=[rule_id])


def case_flags(tmp_path, csv, dob, rule_id):
    """The flags of `rule_id` of a case read from `csv` (ingest, timeline and rules as `review flags` runs them)."""
    from review.pipeline import analyse, load_case

    case = tmp_path / "case"
    case.mkdir(exist_ok=True)
    (case / "case.yml").write_text(f"case_id: C1\ndate_of_birth: {dob}\nreview_date: 2023-12-31\n", encoding="utf-8")
    (case / "chronology.csv").write_text("Date,Agency,Type of contact,Details,Action / outcome,Child seen\n" + csv,
                                         encoding="utf-8")
    flags = analyse(load_case(case)).flags
    return flags[flags["rule_id"] == rule_id]


# 1. mobility from the records ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, reading", [
    ("Theo has hypotonia, not yet rolling or sitting, not independently mobile.", NOT_MOBILE),
    ("Poppy not rolling.", NOT_MOBILE),
    ("non-mobile baby", NOT_MOBILE),
    ("Unable to sit or crawl", NOT_MOBILE),
    ("now crawling", MOBILE),
    ("crawling, not yet walking", MOBILE),          # a crawler is mobile
    ("Theo is mobile, cruising furniture", MOBILE),
    ("not walking on his leg since the fall", NO_STATEMENT),  # an injured toddler, not a non-mobile one
    ("Mum not mobile since her operation", NO_STATEMENT),     # another person
    ("called mum on her mobile phone", NO_STATEMENT),
    ("Bruise 2cm to R upper arm", NO_STATEMENT),
])
def test_mobility_statement_reads_the_words(text, reading):
    assert mobility_statement(text) == reading


C18_BRUISE = {"date": "2023-08-08", "contact_type": "home_visit", "concerns": "bruising", "child_seen": True,
              "description": "7 month review (late). Theo has hypotonia, not yet rolling or sitting, not independently "
                             "mobile. Bruise 2cm to R upper arm, mum unsure how it happened.",
              "action": "Advised mum re safe handling. Will review at next visit.", **HV}


def test_a_7_month_old_recorded_not_mobile_gets_a_nonmobile_injury_flag_naming_the_record():
    (flag,) = flags_of("nonmobile_injury", [C18_BRUISE], dob="2023-01-02").to_dict("records")
    assert flag["severity"] == "high"
    assert "who was not independently mobile (recorded by Oakfield Health Visiting on 8 Aug 2023)" in flag["explanation"]


def test_without_the_words_a_7_month_old_is_mobile_by_age():
    plain = {**C18_BRUISE, "description": "Bruise 2cm to R upper arm, mum unsure how it happened."}
    assert flags_of("nonmobile_injury", [plain], dob="2023-01-02").empty


def test_the_statement_lasts_until_a_record_states_mobility():
    statement = {"date": "2023-08-01", "contact_type": "home_visit", "description": "Not yet sitting or rolling.", **HV}
    bruise = {**C18_BRUISE, "date": "2023-09-01", "description": "Bruise to arm"}
    flags = flags_of("nonmobile_injury", [statement, bruise], dob="2023-01-02")
    assert flags["explanation"].str.contains(r"\(recorded by Oakfield Health Visiting on 1 Aug 2023\)").all()
    assert len(flags) == 1
    crawling = {"date": "2023-08-20", "contact_type": "home_visit", "description": "Now crawling.", **HV}
    assert flags_of("nonmobile_injury", [statement, crawling, bruise], dob="2023-01-02").empty
    timeline = make_timeline([statement, crawling, bruise], dob="2023-01-02")
    assert timeline["child_mobile"].tolist() == [False, True, True]


def test_case_yml_mobile_from_wins_over_the_records():
    assert flags_of("nonmobile_injury", [C18_BRUISE], dob="2023-01-02", mobile_from="2023-07-01").empty
    (text,) = flags_of("nonmobile_injury", [C18_BRUISE], dob="2023-01-02",
                       mobile_from="2023-09-01")["explanation"]
    assert "(before the mobile_from date in case.yml, 1 Sep 2023)" in text


def test_a_mobility_statement_does_not_make_a_young_baby_mobile_and_says_by_age():
    bruise = {**C18_BRUISE, "date": "2023-04-01", "description": "Bruise to cheek. Baby crawling already."}
    (text,) = flags_of("nonmobile_injury", [bruise], dob="2023-01-02")["explanation"]
    assert "(by age: under 6 months)" in text


def test_the_timeline_reads_mobility_from_the_records(tmp_path):
    from review.pipeline import analyse, load_case

    case = tmp_path / "c18"
    case.mkdir()
    (case / "case.yml").write_text("case_id: c18\ndate_of_birth: 2023-01-02\nreview_date: 2023-12-31\n")
    (case / "hv.csv").write_text(
        "Date,Agency,Type of contact,Details,Action / outcome,Child seen\n"
        '08/08/2023,Oakfield Health Visiting,Home visit,"7 month review (late). Theo has hypotonia, not yet rolling '
        'or sitting, not independently mobile. Bruise 2cm to R upper arm, mum unsure how it happened.",'
        "Advised mum re safe handling.,Yes\n", encoding="utf-8")
    analysis = analyse(load_case(case))
    assert analysis.timeline["child_mobile"].tolist() == [False]
    assert (analysis.flags["rule_id"] == "nonmobile_injury").sum() == 1


@pytest.mark.parametrize("rows", [
    [C18_BRUISE],
    [{"date": "2023-08-01", "contact_type": "home_visit", "description": "Not yet sitting or rolling.", **HV},
     {"date": "2023-08-20", "contact_type": "home_visit", "description": "Now crawling.", **HV},
     {**C18_BRUISE, "date": "2023-09-01", "description": "Bruise to arm"}],
])
def test_the_baseline_reads_mobility_alike(rows):
    # the baseline's child is born 1 January 2023 (as make_timeline's default)
    assert baseline_pairs(rows, "nonmobile_injury") == package_pairs(rows, "nonmobile_injury")


# 2. assessment_wait ------------------------------------------------------------------------------------------
C15 = [
    {"date": "2023-04-06", "contact_type": "referral", "agency": "Hillcrest Primary School", "agency_kind": "education",
     "description": "came to school hungry and unkempt", "action": "Referral to MASH made by DSL.",
     "escalation": "referral_to_csc"},
    {"date": "2023-04-11", "contact_type": "referral_decision", "description": "School referral screened. Threshold "
     "for single assessment met.", "action": "Allocated for single assessment.", **MASH},
    {"date": "2023-05-26", "contact_type": "referral", "agency": "Hillcrest Primary School", "agency_kind": "education",
     "description": "disclosed mum's boyfriend kicks the dog", "action": "Referral to MASH made by DSL.",
     "escalation": "referral_to_csc"},
    {"date": "2023-05-31", "contact_type": "referral_decision", "description": "School referral 26/05 screened.",
     "action": "Added to open single assessment.", **MASH},
]


def test_social_care_assessment_is_due_in_45_working_days_and_adding_to_an_open_one_is_no_request():
    flags = flags_of("assessment_wait", C15, dob="2017-09-30")
    assert flags["trigger_date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-04-11"]  # not 31 May too
    (flag,) = flags.to_dict("records")
    # 45 working days from 11 Apr 2023, past Easter Monday and the three May bank holidays: 16 Jun (was 23 May)
    assert pd.Timestamp(flag["expected_by"]) == pd.Timestamp("2023-06-16")
    assert flag["expected_action"] == "assessment completed within 45 working days of the referral (Working Together 2023)"
    assert "no completed assessment is recorded within 45 working days (by 16 Jun 2023)" in flag["explanation"]


def test_a_started_social_care_assessment_is_not_completed_and_the_flag_says_it_started():
    started = {"date": "2023-04-20", "contact_type": "assessment", "description": "Single assessment started", **CSC}
    (flag,) = flags_of("assessment_wait", C15[:2] + [started], dob="2017-09-30").to_dict("records")
    assert "it was recorded as started (Northshire Children's Social Care, 20 Apr 2023) but not as completed" \
        in flag["explanation"]
    assert flag["actual_action_event_id"] in ("", None) or pd.isna(flag["actual_action_event_id"])
    planned = {**started, "description": "Single assessment started, to be completed by 5/6"}
    assert len(flags_of("assessment_wait", C15[:2] + [planned], dob="2017-09-30")) == 1
    done = {**started, "date": "2023-06-01", "description": "Single assessment completed: CIN plan"}
    assert flags_of("assessment_wait", C15[:2] + [started, done], dob="2017-09-30").empty
    typed = {**started, "description": "Single assessment: child seen at home with mum"}  # no stage: done
    assert flags_of("assessment_wait", C15[:2] + [typed], dob="2017-09-30").empty


def test_a_specialist_assessment_keeps_42_days_started_or_done():
    request = {"date": "2023-06-14", "contact_type": "referral", "description": "Referral letter to CDC: "
               "developmental assessment requested.", **HV}
    seen = {"date": "2023-07-20", "contact_type": "assessment", "agency": "CDC", "agency_kind": "health",
            "description": "Developmental assessment started"}
    assert flags_of("assessment_wait", [request, seen], dob="2023-01-02").empty
    late = {**seen, "date": "2023-08-23"}
    (flag,) = flags_of("assessment_wait", [request, late], dob="2023-01-02").to_dict("records")
    assert pd.Timestamp(flag["expected_by"]) == pd.Timestamp("2023-07-26") and flag["delay_days"] == 28


@pytest.mark.parametrize("rows", [C15, C15[:2] + [{"date": "2023-04-20", "contact_type": "assessment",
                                                   "description": "Single assessment started", **CSC}]])
def test_the_baseline_reads_assessment_wait_alike(rows):
    assert baseline_pairs(rows, "assessment_wait") == package_pairs(rows, "assessment_wait")


# 3. was_not_brought and child_not_seen ------------------------------------------------------------------------
C05 = ('04/09/2023,Northshire CAMHS,Clinic,"Initial CAMHS appt. Kieran (15) did not attend. Mum says he refused to get '
       'out of bed, he is aware of the appointment.",Second appointment offered. Letter to Kieran directly.,No\n'
       "02/10/2023,Northshire CAMHS,Clinic,Kieran DNA 2nd appointment. Texted him - replied he doesn't want to come.,"
       "Discussed at MDT - discharge back to GP as young person declining service.,No\n")
NEGLECT = "15/08/2023,Hillcrest School,Phone call,Kieran coming to school hungry and unkempt - neglect concerns,Logged,No\n"


def test_a_15_year_old_did_not_attend_low_severity_and_no_open_case(tmp_path):
    (flag,) = case_flags(tmp_path, C05, "2008-02-11", "was_not_brought").to_dict("records")
    assert flag["severity"] == "low"
    assert flag["explanation"].startswith("The young person (aged 15) did not attend 2 appointments with Northshire CAMHS")
    assert "not brought" not in flag["explanation"]
    # missed appointments alone open no case: child_not_seen does not flag them (it did: 118 days unseen)
    assert case_flags(tmp_path, C05, "2008-02-11", "child_not_seen").empty


def test_a_young_person_with_other_concerns_keeps_the_rule_severity(tmp_path):
    (flag,) = case_flags(tmp_path, NEGLECT + C05, "2008-02-11", "was_not_brought").to_dict("records")
    assert flag["severity"] == "medium" and "did not attend" in flag["explanation"]


def test_a_16_year_old_is_flagged_only_with_other_concerns(tmp_path):
    assert case_flags(tmp_path, C05, "2007-06-01", "was_not_brought").empty
    assert len(case_flags(tmp_path, NEGLECT + C05, "2007-06-01", "was_not_brought")) == 1


C04 = ("03/07/2023,Riverside Surgery GP,GP appointment,8 week baby check and 1st immunisations. WNB.,Letter sent to mum "
       "to rebook.,No\n"
       "31/07/2023,Riverside Surgery GP,GP appointment,Rebooked 8 wk check and immunisations. Was not brought.,Added to "
       "recall list.,No\n"
       "25/08/2023,Riverside Surgery GP,GP appointment,12 wk immunisations - DNA.,Recall letter.,No\n")


def test_a_baby_is_still_not_brought_and_missed_appointments_open_no_case(tmp_path):
    flags = case_flags(tmp_path, C04, "2023-05-02", "was_not_brought")
    # three missed appointments, one pattern: one flag (s16), its evidence all three
    assert flags["severity"].tolist() == ["medium"]
    assert flags["evidence_event_ids"].iloc[0].count(";") == 2
    assert flags["explanation"].str.startswith("The child was not brought to").all()
    assert case_flags(tmp_path, C04, "2023-05-02", "child_not_seen").empty


C03 = ('02/09/2023,St Anne\'s Hospital A&E,A&E attendance,"3yo brought by mum, ?ingestion of mum\'s sertraline tablets '
       'found in handbag. Obs stable.",Observed 4 hrs. Discharged home.,Yes\n'
       "21/09/2023,St Anne's Hospital A&E,A&E attendance,Brought by mum's partner Lee. Fell from sofa onto laminate floor. "
       "Laceration to chin 1.5cm.,Glued. Discharged.,Yes\n"
       "13/10/2023,St Anne's Hospital A&E,A&E attendance,Brought by mum late evening. pulled pan of hot water from hob "
       "onto L forearm. Scald approx 2% TBSA.,Dressed. Discharged.,Yes\n"
       "16/10/2023,St Anne's Hospital A&E,Letter,Discharge letter to GP re scald 13/10.,Copy to HV,No\n")


def test_a_hospital_only_case_is_no_open_case_for_child_not_seen(tmp_path):
    assert case_flags(tmp_path, C03, "2020-03-15", "child_not_seen").empty
    # the health visitor's own record of a concern opens a case: the unseen stretch to the review's end is flagged
    hv = "20/10/2023,Oakfield Health Visiting,Phone call,HV aware of scald - concerns re supervision and neglect,To visit,No\n"
    (flag,) = case_flags(tmp_path, C03 + hv, "2020-03-15", "child_not_seen").to_dict("records")
    assert "with concerns open" in flag["explanation"]


@pytest.mark.parametrize("shift_years", [15, 16])
def test_the_baseline_reads_young_people_alike(shift_years):
    # the baseline's child is born 1 January 2023: the appointments moved to ages 15 and 16; with and without
    # another concern open (as the timeline would list it)
    def camhs(date, concerns="was_not_brought"):
        return {"date": date, "contact_type": "clinic_appointment", "concerns": concerns, "child_seen": False,
                "agency": "Northshire CAMHS", "agency_kind": "health", "description": "did not attend",
                "open_concerns": concerns}
    year = 2023 + shift_years
    for first in ("was_not_brought", "neglect; was_not_brought"):
        rows = [camhs(f"{year}-09-04", first), camhs(f"{year}-10-02", "was_not_brought")]
        rows[1]["open_concerns"] = first
        pairs = package_pairs(rows, "was_not_brought")
        assert baseline_pairs(rows, "was_not_brought") == pairs
        assert len(pairs) == (0 if shift_years >= 16 and first == "was_not_brought" else 1)
