"""Twentieth session (QA7): an explained injury not set aside at a TEN-4-FACESp site or after earlier injuries
(injury_not_escalated); neglect shared with social care's open assessment, and a dentist's caries with treatment
arranged no neglect record (neglect_not_escalated); a registered sex offender's denial that children live with
him worded as unverified (sexual_harm_not_referred). The package and the row-by-row baseline agree. The child of
these rows was born on 1 January 2023."""
from __future__ import annotations

import pandas as pd

from review.rules import detect, load_rules
from review.rules.episodes import region_names, sentinel_regions, sentinel_sites_text
from review.rules.neglect_not_escalated import findings_only
from review.rules.testing import make_timeline
from review.config import package_data

from _baseline import baseline_flags

RULES = load_rules()
HV = {"agency": "Health Visiting", "agency_kind": "health", "contact_type": "home_visit"}
NURSERY = {"agency": "Little Stars Nursery", "agency_kind": "education", "contact_type": "other"}
SCHOOL = {"agency": "Oakfield Primary School", "agency_kind": "education", "contact_type": "other"}
GP = {"agency": "Brookside Surgery", "agency_kind": "health", "contact_type": "clinic_appointment"}
DENTAL = {"agency": "Community Dental Service", "agency_kind": "health", "contact_type": "clinic_appointment"}
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
PROBATION = {"agency": "Probation Service", "agency_kind": "probation", "contact_type": "home_visit"}


def row(date, who, description, action="", **kw):
    return dict(who, date=date, description=description, action=action, **kw)


def flags_of(rule, rows, rules=RULES, **kw):
    return detect(make_timeline(rows, **kw), None, rules, only=[rule])


def pairs(rule, rows, rules=RULES):
    flags = flags_of(rule, rows, rules)
    return sorted(zip(flags["trigger_event_id"], flags["actual_action_event_id"].fillna(""))) if len(flags) else []


def base_pairs(rule, rows, rules=None):
    return sorted((f["trigger_event_id"], f["actual_action_event_id"] or "") for f in baseline_flags(rows, rules)
                  if f["rule_id"] == rule)


# --- injury_not_escalated: TEN-4-FACESp sites and earlier injuries ------------------------------------------
EYE = row("2023-12-14", HV, "12 month review. Small bruise below left eye; mother said she fell off the sofa onto a "
          "toy. Plausible explanation. Cruising.", "No safeguarding concerns. Universal service.", concerns="bruising",
          child_mobile=True)
SHIN = row("2023-12-14", HV, "Small bruise to shin; mother said she fell off the sofa onto a toy. Plausible "
           "explanation. Mum to keep an eye on it.", "No safeguarding concerns.", concerns="bruising", child_mobile=True)
FOREHEAD = row("2023-12-14", HV, "Small bruise to forehead, fell against the coffee table. Plausible explanation.",
               "No safeguarding concerns.", concerns="bruising", child_mobile=True)
ARMS = row("2023-11-01", NURSERY, "Bruising to both upper arms noticed at nappy change.", "Monitor.",
           concerns="bruising", child_mobile=True)


def test_an_explained_bruise_below_the_eye_of_a_cruising_baby_is_flagged_and_says_why():
    rule = "injury_not_escalated"
    assert pairs(rule, [EYE]) == base_pairs(rule, [EYE]) == [("C1-e001", "")]
    text = flags_of(rule, [EYE]).iloc[0].explanation
    assert text.endswith(
        "The record gives an explanation and no safeguarding concerns, but that does not set the injury aside: a "
        "bruise at a TEN-4-FACESp site (eye) in a child under 4 years (rules.yml sentinel_regions, "
        "earlier_injury_window_days).")


def test_an_explained_bruise_to_the_shin_or_forehead_with_no_earlier_injury_is_still_set_aside():
    # not a TEN-4-FACESp site; "keep an eye on it" in a sentence naming no injury names no site
    rule = "injury_not_escalated"
    for rows in ([SHIN], [FOREHEAD]):
        assert pairs(rule, rows) == base_pairs(rule, rows) == []


def test_an_explained_injury_after_an_earlier_one_within_90_days_is_flagged():
    rule = "injury_not_escalated"
    rows = [ARMS, SHIN]
    assert pairs(rule, rows) == base_pairs(rule, rows) == [("C1-e001", ""), ("C1-e002", "")]
    text = flags_of(rule, rows).set_index("trigger_event_id").loc["C1-e002", "explanation"]
    assert "injuries recorded on 1 earlier day within 90 days, the last on 1 Nov 2023" in text
    assert "TEN-4-FACESp" not in text
    # more than 90 days before: the explanation stands
    early = dict(ARMS, date="2023-09-01")
    assert pairs(rule, [early, SHIN]) == base_pairs(rule, [early, SHIN]) == [("C1-e001", "")]


def test_the_exceptions_are_configurable():
    rules = load_rules()
    params = rules["rules"]["injury_not_escalated"]["params"]
    params["sentinel_regions"], params["sentinel_words"] = [], []
    params.pop("earlier_injury_window_days")
    rule = "injury_not_escalated"
    assert pairs(rule, [EYE], rules) == base_pairs(rule, [EYE], rules) == []
    assert pairs(rule, [ARMS, SHIN], rules) == base_pairs(rule, [ARMS, SHIN], rules) == [("C1-e001", "")]
    # over 4: an eye bruise explained in a 5-year-old is set aside (max_age_months raised for the test)
    rules = load_rules()
    rules["rules"]["injury_not_escalated"]["params"]["max_age_months"] = 120
    old = make_timeline([EYE], dob="2018-06-01")
    assert detect(old, None, rules, only=[rule]).empty


def test_sentinel_sites_text():
    regions, labels = sentinel_regions(package_data("vocab.yml")["body_regions"],
                                       ["face", "eye", "ear", "neck", "chest"], ["frenulum", "her back"])
    read = lambda text: region_names(sentinel_sites_text(text, ("bruising",), regions), labels)  # noqa: E731
    assert read("Small bruise below left eye; fell off the sofa") == "eye"
    assert read("Bruising to face") == "face"  # "face" is the face's, not the eye's too
    assert read("Bruise behind the right ear, fell") == "ear"
    assert read("Bruises on her back") == "her back"
    assert read("Bruise to shin. Mum to keep an eye on it.") == ""
    assert read("Bruise to forehead, came back from the park") == ""
    assert read("No bruising to face. Graze to knee") == ""


# --- neglect_not_escalated: an open assessment, care sought -------------------------------------------------
OPENED = row("2031-10-05", CSC, "Referral received from school: weight loss, hunger, poor hygiene.",
             "Progress to Child and Family assessment", contact_type="referral", concerns="neglect; weight_loss")
VISIT = row("2031-10-12", CSC, "Assessment home visit. Little food in cupboards.", "Continue assessment",
            contact_type="assessment", concerns="neglect")
BINS = row("2031-11-11", SCHOOL, "Weight 22.1kg, dropped from 25th to below 2nd centile. Eating food from bins.",
           "Advised mum to see GP. Letter to GP.", concerns="neglect; weight_loss")
CLOSED = row("2031-11-24", CSC, "Child and Family assessment completed. No evidence of significant harm.",
             "Closed - step down to early help", contact_type="assessment")


def test_with_an_open_assessment_the_flag_asks_for_the_record_to_be_shared_with_it():
    rule = "neglect_not_escalated"
    rows = [OPENED, VISIT, BINS, CLOSED]
    assert pairs(rule, rows) == base_pairs(rule, rows) == [("C1-e003", "")]
    flag = flags_of(rule, rows).iloc[0]
    assert flag.expected_action == "record shared with children's social care's open assessment (the allocated social worker)"
    assert ("while children's social care's assessment was open (since 5 Oct 2031), and it was not shared with "
            "children's social care's open assessment (the allocated social worker), nor any referral or enquiry "
            "recorded, within 10 working days (by 25 Nov 2031)") in flag.explanation
    assert "and no referral to children's social care" not in flag.explanation


def test_the_agencys_own_sharing_with_the_social_worker_answers_while_the_assessment_is_open():
    rule = "neglect_not_escalated"
    shared = row("2031-11-15", SCHOOL, "Weight check results discussed with social worker by phone.", "Logged.")
    rows = [OPENED, VISIT, BINS, shared, CLOSED]
    assert pairs(rule, rows) == base_pairs(rule, rows) == []
    # another agency's sharing does not answer the school's record
    other = dict(shared, **GP)
    rows = [OPENED, VISIT, BINS, other, CLOSED]
    assert pairs(rule, rows) == base_pairs(rule, rows) == [("C1-e003", "")]


def test_after_the_assessment_closed_a_referral_is_expected_again():
    rule = "neglect_not_escalated"
    fridge = row("2031-12-15", SCHOOL, "Child said 'mum locks the fridge'.", "Logged. DSL to consider.",
                 concerns="neglect")
    rows = [OPENED, VISIT, CLOSED, fridge]
    assert pairs(rule, rows) == base_pairs(rule, rows) == [("C1-e004", "")]
    flag = flags_of(rule, rows).iloc[0]
    assert flag.expected_action.startswith("referral to children's social care")
    assert "and no referral to children's social care" in flag.explanation
    # nor does an assessment more than open_assessment_days before count as open
    late = dict(BINS, date="2032-02-01")
    rows = [OPENED, VISIT, late]
    assert pairs(rule, rows) == base_pairs(rule, rows) == [("C1-e003", "")]
    assert "assessment was open" not in flags_of(rule, rows).iloc[0].explanation


THINNER = row("2031-09-06", SCHOOL, "Returned after summer looking much thinner. Said he was always hungry.",
              "Logged on CPOMS. DSL informed.", concerns="neglect; weight_loss")
CARIES = row("2031-09-14", DENTAL, "Check-up. Multiple caries, poor oral hygiene. Needs treatment under GA (ASD).",
             "Referred for GA list", concerns="neglect")


def test_a_dentists_caries_with_treatment_arranged_is_no_neglect_record():
    rule = "neglect_not_escalated"
    rows = [THINNER, CARIES]
    assert pairs(rule, rows) == base_pairs(rule, rows) == []
    # nor counted in a later record's pattern: the school's next record is the second, not the third
    odour = row("2031-09-20", SCHOOL, "Strong odour, same clothes all week.", "Spare uniform given.", concerns="neglect")
    flags = flags_of(rule, [THINNER, CARIES, odour])
    assert flags["trigger_event_id"].tolist() == ["C1-e003"]
    assert "one of 2 records" in flags.iloc[0].explanation
    assert base_pairs(rule, [THINNER, CARIES, odour]) == [("C1-e003", "")]


def test_caries_left_untreated_or_with_other_neglect_still_counts():
    rule = "neglect_not_escalated"
    untreated = dict(CARIES, action="Treatment offered - mum declined. Referred for GA list declined.")
    dirty = dict(CARIES, description="Multiple caries, poor oral hygiene, very dirty clothes and smelly.")
    for caries in (untreated, dirty, dict(CARIES, action="Advice given.")):
        rows = [THINNER, caries]
        assert pairs(rule, rows) == base_pairs(rule, rows) == [("C1-e002", "")], caries["action"]


def test_findings_only():
    findings = ("caries", "multiple caries", "poor oral hygiene")
    tags = ("neglect", "weight_loss")
    assert findings_only("Check-up. Multiple caries, poor oral hygiene. . Referred for GA list", findings, tags)
    assert not findings_only("Multiple caries, looks very thin and hungry", findings, tags)


# --- sexual_harm_not_referred: a denial is not verification -------------------------------------------------
DENIES = row("2031-01-06", PROBATION, "Home visit to Gary Holt (MAPPA category 1, RSO). Reports he now lives with "
             "partner. Denies any children live at the address.", "Continue supervision.", concerns="risk_to_children")
DISCLOSED = row("2031-07-13", PROBATION, "Gary disclosed his partner's daughter (11) lives at the address (RSO).",
                "MAPPA review. No referral made.", concerns="risk_to_children")


def test_a_denial_that_children_live_there_is_flagged_as_not_verified():
    rule = "sexual_harm_not_referred"
    assert pairs(rule, [DENIES]) == base_pairs(rule, [DENIES]) == [("C1-e001", "")]
    flag = flags_of(rule, [DENIES]).iloc[0]
    assert flag.explanation.startswith(
        "Probation Service recorded an adult posing a risk to children who denied that any children live at the "
        "address or are in contact with him (rules.yml denial_keywords) on 6 Jan 2031")
    assert ("and the denial was not verified: not checked with children's social care (no referral, strategy "
            "discussion, section 47 enquiry or CP medical is recorded) within 1 working day") in flag.explanation
    assert flag.expected_action.startswith("the denial checked with children's social care")
    assert "is in the child's life" not in flag.explanation


def test_a_record_without_a_denial_keeps_its_wording():
    flag = flags_of("sexual_harm_not_referred", [DISCLOSED]).iloc[0]
    assert "that an adult posing a risk to children is in the child's life" in flag.explanation
    assert "denial" not in flag.explanation
    assert flag.expected_action.startswith("referral to children's social care")
    rules = load_rules()
    rules["rules"]["sexual_harm_not_referred"]["params"]["denial_keywords"] = []
    flag = flags_of("sexual_harm_not_referred", [DENIES], rules).iloc[0]
    assert "denied" not in flag.explanation and isinstance(flag.trigger_date, pd.Timestamp)
