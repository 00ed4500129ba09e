"""Injury episodes (review.rules.episodes): a record of an injury already recorded — a fracture clinic review,
a discharge letter "re scald 13/10", the conference or S47 outcome of a bruise already escalated — is no new
injury for nonmobile_injury, injury_not_escalated and repeated_injury_or_ae; a mobile child's injury recorded
as explained and of no safeguarding concern is not flagged (NICE CG89); "consistent with injury" names no
injury. The package and the row-by-row baseline agree on each case."""
from __future__ import annotations

import textwrap

import pytest

from review.config import load_vocab
from review.pipeline import analyse, load_case
from review.rules import detect, load_rules
from review.rules.episodes import text_reading
from review.rules.testing import make_timeline
from review.vocab import tag_concerns

from _baseline import baseline_pairs, package_pairs

RULES = load_rules()
HV = {"agency": "Health Visiting", "agency_kind": "health"}
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
GP = {"agency": "Larkfield GP", "agency_kind": "health"}
AE = {"agency": "St Anne's Hospital A&E", "agency_kind": "health"}
HOSP = {"agency": "St Anne's Hospital", "agency_kind": "health"}
INJURY_RULES = ["nonmobile_injury", "injury_not_escalated", "repeated_injury_or_ae"]


def flags_of(rule_id, rows, **kw):
    return detect(make_timeline(rows, **kw), None, RULES, only=[rule_id])


# --- scenario cases, end to end (ingest, timeline, rules) ------------------------------------------------
def case_flags(tmp_path, dob, rows, extra=""):
    (tmp_path / "case.yml").write_text(textwrap.dedent(f"""\
        case_id: T1
        date_of_birth: {dob}
        review_date: 2023-12-31
        child_name: Poppy Reid
        """) + extra, encoding="utf-8")
    (tmp_path / "chronology.csv").write_text(
        "Date,Agency,Type of contact,Details,Action / outcome,Child seen\n" + textwrap.dedent(rows), encoding="utf-8")
    flags = analyse(load_case(tmp_path)).flags
    return sorted(zip(flags["rule_id"], flags["trigger_date"].astype(str).str[:10]))


BRUISE_ESCALATED = """\
    09/05/2023,Oakfield Health Visiting,Home visit,"4 month contact. Two 1cm bruises L cheek, mum says no idea how caused. Poppy not rolling.",Bruising protocol followed - referral to MASH by phone and MARF same day.,Yes
    09/05/2023,Northshire Children's Social Care,Strategy discussion,"Strategy discussion held (SW, police, named nurse). S47 agreed, CP medical today.",S47 enquiry commenced.,No
    09/05/2023,St Anne's Hospital,CP medical,Child protection medical. Two bruises L cheek consistent with fingertip pressure. No medical explanation. Skeletal survey NAD.,Findings shared with SW and police same day.,Yes
    10/05/2023,Northshire Children's Social Care,Home visit,S47 visit. Poppy seen. Safety plan - maternal grandmother to supervise.,S47 continues.,Yes
    """


def test_an_icpc_three_weeks_after_a_bruise_escalated_the_same_day_is_no_new_injury(tmp_path):
    # was: a high nonmobile_injury flag on 31 May "no CP medical within 90 days" (the medical was on 9 May)
    rows = BRUISE_ESCALATED + """\
    31/05/2023,Northshire Children's Social Care,ICPC,"ICPC held. Unexplained bruising to cheek of non-mobile baby, medical opinion likely inflicted. Poppy made subject of CP plan - physical abuse.",CP plan. Core group 14/06.,No
    """
    assert [f for f in case_flags(tmp_path, "2023-01-05", rows) if f[0] in INJURY_RULES] == []


def test_an_s47_outcome_injury_accidental_is_a_record_of_the_bruise(tmp_path):
    # was: a high flag on 17 May ("injury accidental" is other_injury, not the bruise's tag)
    rows = BRUISE_ESCALATED + """\
    17/05/2023,Northshire Children's Social Care,S47 enquiry,"S47 outcome: concerns not substantiated, injury accidental. NFA under S47.",Outcome letter to mum.,No
    """
    assert [f for f in case_flags(tmp_path, "2023-01-05", rows) if f[0] in INJURY_RULES] == []


def test_a_new_bruise_weeks_later_in_a_non_mobile_baby_still_flags(tmp_path):
    rows = BRUISE_ESCALATED + """\
    31/05/2023,Oakfield Health Visiting,Home visit,"HV visit. New bruise to R ear, mum unsure how caused.",Advice given.,Yes
    07/06/2023,Oakfield Health Visiting,Home visit,"HV visit. Bruise to back, 2cm.",Advice given.,Yes
    """
    flags = case_flags(tmp_path, "2023-01-05", rows)
    assert ("nonmobile_injury", "2023-05-31") in flags
    assert ("nonmobile_injury", "2023-06-07") in flags  # another body site, not a record of the cheek


def test_a_conference_naming_a_new_injury_is_a_trigger(tmp_path):
    rows = BRUISE_ESCALATED + """\
    31/05/2023,Northshire Children's Social Care,ICPC,"ICPC held. Further bruising to back noted by SW on 30/05.",CP plan.,No
    """
    assert ("nonmobile_injury", "2023-05-31") in case_flags(tmp_path, "2023-01-05", rows)


FRACTURE = """\
    06/06/2023,Oakfield Health Visiting,Home visit,"9 month review. Leo crawling. 2cm bruise to R cheek, mum says he fell against cot side.",Referral to MASH made same day re bruise.,Yes
    07/06/2023,Northshire MASH,Referral decision,"HV referral screened. Explanation plausible for mobile child.",NFA - signposted to Early Help.,No
    28/06/2023,St Anne's Hospital A&E,A&E attendance,"Brought by mum's partner. Swelling & bruising L wrist, partner states Leo trapped arm in stair gate. X-ray: buckle fracture distal radius.",Backslab applied. Fracture clinic f/u. Discharged.,Yes
    04/07/2023,St Anne's Hospital,Clinic,Fracture clinic. Leo seen with mum. Healing well.,Discharge from fracture clinic,Yes
    """


def test_a_fracture_clinic_review_is_the_fracture_not_a_third_injury(tmp_path):
    # was: an injury_not_escalated flag on 4 Jul and "3 injuries within 90 days" (there were 2)
    flags = case_flags(tmp_path, "2022-09-05", FRACTURE, "mobile_from: 2023-04-01\n")
    assert [f for f in flags if f[0] in INJURY_RULES] == [("injury_not_escalated", "2023-06-28"),
                                                          ("repeated_injury_or_ae", "2023-06-28")]


def test_a_discharge_letter_re_an_earlier_scald_counts_once(tmp_path):
    rows = """\
    21/09/2023,St Anne's Hospital A&E,A&E attendance,"Fell from sofa onto laminate floor. Laceration to chin 1.5cm.",Glued. Discharged.,Yes
    13/10/2023,St Anne's Hospital A&E,A&E attendance,"Pulled pan of hot water from hob onto L forearm. Scald approx 2% TBSA.",Dressed. Plastics f/u clinic booked.,Yes
    16/10/2023,St Anne's Hospital A&E,Letter,Discharge letter to GP re scald 13/10.,Copy to HV,No
    """
    flags = case_flags(tmp_path, "2020-03-15", rows)
    # was: a second flag on 16 Oct, "3 injuries within 90 days"
    assert [f for f in flags if f[0] == "repeated_injury_or_ae"] == [("repeated_injury_or_ae", "2023-10-13")]


TODDLER = """\
    05/02/2023,Riverside Surgery GP,GP appointment,"20mo walking well. Mum reports Noah tripped over toy & bumped head on coffee table edge this am. Small bump to L forehead, no LOC. Explanation consistent with injury & developmental stage.",Head injury advice given. No safeguarding concerns.,Yes
    """


def test_a_mobile_toddlers_explained_bump_with_no_concerns_is_not_flagged(tmp_path):
    # was: a medium injury_not_escalated flag (and "consistent with injury" tagged other_injury)
    assert case_flags(tmp_path, "2021-06-01", TODDLER) == []
    contacts = load_case(tmp_path).contacts
    assert contacts["concerns"].iloc[0] == "head_injury"


def test_the_same_words_in_a_non_mobile_baby_still_flag(tmp_path):
    flags = case_flags(tmp_path, "2022-11-01", TODDLER.replace("20mo walking well", "3 month old"))
    assert ("injury_not_escalated", "2023-02-05") in flags and ("nonmobile_injury", "2023-02-05") in flags


# --- the readings, on hand-made timelines (and the baseline alike) ------------------------------------------
def row(date, who, text, action="", concerns="", escalation="", contact_type="home_visit", **kw):
    return {"date": date, **who, "description": text, "action": action, "concerns": concerns,
            "escalation": escalation, "contact_type": contact_type, **kw}


CASES = {
    # a fracture at A&E, its fracture clinic review: one injury, one flag
    "clinic": [row("2023-06-28", HOSP, "Buckle fracture L wrist", concerns="fracture", contact_type="ae_attendance"),
               row("2023-07-04", HOSP, "Fracture clinic. Healing well", concerns="fracture",
                   contact_type="clinic_appointment"),
               row("2023-08-20", HOSP, "Bruise to back", concerns="bruising")],
    # a review naming another body site, or calling the injury new, is another injury
    "new site": [row("2023-06-28", HOSP, "Bruise to L arm", concerns="bruising"),
                 row("2023-07-04", GP, "Bruising reviewed, bruise to R cheek", concerns="bruising"),
                 row("2023-07-10", GP, "Bruise healing; new bruise", concerns="bruising")],
    # a later record with more kinds of injury than the first is no follow-up of it
    "family": [row("2023-06-28", HOSP, "Bruise to L arm", concerns="bruising"),
               row("2023-07-04", GP, "Follow up: bruise and burn to L arm", concerns="bruising; burn")],
    # a letter dated back to the injury (no cue word), and one outside the window
    "letter": [row("2023-03-13", AE, "Scald L forearm", concerns="burn", contact_type="ae_attendance"),
               row("2023-03-16", AE, "Letter to GP re scald 13/03", concerns="burn", contact_type="letter"),
               row("2023-05-30", AE, "Letter re scald 13/03", concerns="burn", contact_type="letter")],
    # a bruise escalated the same day in a 4-month-old, its conference three weeks later (another injury tag)
    "conference": [row("2023-05-09", HV, "Bruise L cheek", "Referral to MASH", concerns="bruising",
                       escalation="referral_to_csc"),
                   row("2023-05-09", HOSP, "CP medical, bruise L cheek", concerns="bruising", escalation="cp_medical",
                       contact_type="cp_medical"),
                   row("2023-05-31", CSC, "ICPC: injury likely inflicted", concerns="other_injury; non_accidental",
                       escalation="cp_conference", contact_type="cp_conference")],
    # the same conference with no referral or medical before it: the bruise's flag, and the conference
    # records it as an escalation more than escalation_window_days later: a trigger of its own
    "not escalated": [row("2023-05-09", HV, "Bruise L cheek", concerns="bruising"),
                      row("2023-05-31", CSC, "ICPC: injury likely inflicted", concerns="other_injury; non_accidental",
                          escalation="cp_conference", contact_type="cp_conference")],
    # explained and of no concern: a mobile child's not flagged, unless the group says inconsistent
    "explained": [row("2023-11-01", GP, "Bumped head on table. Explanation consistent.", "No safeguarding concerns.",
                      concerns="head_injury"),
                  row("2023-11-20", GP, "Bumped head. History consistent", "No safeguarding concerns",
                      concerns="head_injury; inconsistent_explanation"),
                  row("2023-12-10", GP, "Bruise to shin. Explanation not consistent with history.",
                      "No safeguarding concerns", concerns="bruising")],
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("rule", INJURY_RULES)
def test_the_baseline_agrees(name, rule):
    assert baseline_pairs(CASES[name], rule) == package_pairs(CASES[name], rule)


def test_the_cases_flag_what_they_should():
    triggers = lambda name, rule: [t for t, _ in package_pairs(CASES[name], rule)]  # noqa: E731
    assert triggers("clinic", "injury_not_escalated") == ["C1-e001", "C1-e003"]
    assert triggers("clinic", "repeated_injury_or_ae") == ["C1-e003"]  # two injuries, not three
    assert triggers("new site", "injury_not_escalated") == ["C1-e001", "C1-e002", "C1-e003"]
    assert triggers("family", "injury_not_escalated") == ["C1-e001", "C1-e002"]
    assert triggers("letter", "injury_not_escalated") == ["C1-e001", "C1-e003"]
    assert triggers("conference", "nonmobile_injury") == []
    assert triggers("not escalated", "nonmobile_injury") == ["C1-e001", "C1-e002"]
    assert triggers("explained", "injury_not_escalated") == ["C1-e002", "C1-e003"]


def test_explained_is_never_read_for_a_non_mobile_child():
    rows = [row("2023-03-01", GP, "Bruise to arm. Explanation consistent.", "No safeguarding concerns.",
                concerns="bruising")]
    assert len(flags_of("injury_not_escalated", rows)) == 1  # 2 months old: not mobile
    rows[0]["child_mobile"] = True
    assert len(flags_of("injury_not_escalated", rows)) == 0


def test_explained_reading_is_configurable():
    rules = load_rules()
    rules["rules"]["injury_not_escalated"]["params"]["explained_cues"] = []
    rows = CASES["explained"][:1]
    assert len(detect(make_timeline(rows), None, rules, only=["injury_not_escalated"])) == 1
    assert len(flags_of("injury_not_escalated", rows)) == 0


def test_text_reading():
    cues = ("fracture clinic", "healing")
    new = (("new", "another"), ("bruise", "burn"))
    sites = ("cheek", "arm", "wrist")
    assert text_reading("Fracture clinic. Healing well . ", cues, new, sites)[:4] == (True, False, 0, ())
    assert text_reading("Another small burn to L arms", cues, new, sites)[:4] == (False, True, 2, ())
    assert text_reading("Letter re scald 13/10, 2.5cm, 5.1kg", cues, new, sites)[3] == (1310,)
    assert text_reading("seen 13.10.23 and 1/2/2023", cues, new, sites)[3] == (102, 1310)
    assert text_reading("new partner present, bruise to cheek", cues, new, sites)[1] is False


@pytest.mark.parametrize("text, tags", [
    ("Explanation consistent with injury & developmental stage.", set()),
    ("Explanation not consistent with injury", {"inconsistent_explanation"}),
    ("Findings consistent with non-accidental injury", {"non_accidental"}),
    ("Bruising consistent with NAI", {"bruising", "non_accidental"}),
    ("Bumped head, consistent with an accidental injury", {"head_injury"}),
    ("Presented with injury to arm", {"other_injury"}),
    ("Injuries consistent with explanation", {"other_injury"}),
])
def test_consistent_with_injury_names_no_injury(text, tags):
    assert set(tag_concerns(text, load_vocab(None))) == tags
