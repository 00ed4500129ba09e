"""Session 17, rule readings, each checked in the package and the row-by-row baseline
(benchmarks/baseline_rowwise.py) alike:

* nonmobile_injury names the referring agency's own referral, not social care's receipt of it recorded the same
  day, as its response;
* transfer_in_conference_late takes the receiving local authority's conference recorded under another of its
  social care names ("Westshire Children's Services" notified, "Westshire CSC" conference), not another
  authority's, and a refusal ("refused") anywhere in the notification's sentence stops it, as "declined" did;
"""
from __future__ import annotations


import pytest

from review.rules import detect, load_rules
from review.rules.transfer_in_conference_late import local_authority
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULES = load_rules()
CSC = {"agency": "Eastborough Children's Social Care", "agency_kind": "social care"}
ED = {"agency": "Riverside General Hospital", "agency_kind": "health"}


def _flags(rows, rule, rules=RULES, **kw):
    return detect(make_timeline(rows, **kw), None, rules, only=[rule])


def _pairs(flags):
    return sorted(zip(flags["flag_id"], flags["actual_action_event_id"].fillna(""))) if len(flags) else []


def _baseline_pairs(rows, rule, rules=None):
    return sorted((f["flag_id"], f["actual_action_event_id"] or "") for f in baseline_flags(rows, rules)
                  if f["rule_id"] == rule)


# nonmobile_injury: the referring agency's own referral, not the receipt of the same day --------------------------
def _bruise_rows():
    # a 3-month-old's bruise seen in ED on 2 May; social care's record of receiving the referral is entered
    # before the hospital's own referral row of 3 May; the CP medical on 5 May makes the flag late
    return [
        {"date": "2023-04-02", "contact_type": "ae_attendance", "concerns": "bruising",
         "description": "Bruise to cheek, 3-month-old, not mobile.", "action": "Discharged home", **ED},
        {"date": "2023-04-03", "contact_type": "referral", "description": "Referral from ED re cheek bruise received.",
         **CSC},
        {"date": "2023-04-03", "contact_type": "letter", "description": "Referral to MASH sent re bruise to cheek.",
         "escalation": "referral_to_csc", **ED},
        {"date": "2023-04-05", "contact_type": "cp_medical", "description": "Child protection medical completed.",
         "escalation": "cp_medical", **ED},
    ]


def test_nonmobile_injury_names_the_referring_agency_s_referral_not_the_receipt_of_the_same_day():
    # the CP medical the same day as the bruise: the referral of the next day is the late part, the action named
    rows = _bruise_rows()[:3] + [{**_bruise_rows()[3], "date": "2023-04-02"}]
    flags = _flags(rows, "nonmobile_injury")
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    flag = flags.iloc[0]
    # the hospital's own referral (e003), not the receipt (e002) the timeline puts first on 3 Apr (before s17)
    assert flag.actual_action_event_id == "C1-e003"
    assert flag.delay_days == 1
    assert _pairs(flags) == _baseline_pairs(rows, "nonmobile_injury")


def test_nonmobile_injury_a_receipt_alone_is_still_the_referral_and_named_so():
    rows = [r for r in _bruise_rows() if r.get("escalation") != "referral_to_csc"]
    rows[-1] = {**rows[-1], "date": "2023-09-01", "contact_type": "home_visit", "escalation": "",
                "description": "Child seen."}
    flags = _flags(rows, "nonmobile_injury")
    flag = flags.iloc[0]
    assert "the next referral by any agency came on 3 Apr 2023 (referral received, Eastborough Children's Social Care)" \
        in flag.explanation
    assert _pairs(flags) == _baseline_pairs(rows, "nonmobile_injury")


def test_nonmobile_injury_the_referral_is_named_when_only_the_medical_is_missing():
    rows = _bruise_rows()[:3] + [{"date": "2023-09-01", "contact_type": "home_visit", "description": "Child seen.", **CSC}]
    flags = _flags(rows, "nonmobile_injury")
    flag = flags.iloc[0]
    assert ("the next referral by any agency came on 3 Apr 2023 (referral to children's social care, Riverside "
            "General Hospital)") in flag.explanation
    assert _pairs(flags) == _baseline_pairs(rows, "nonmobile_injury")


# transfer_in_conference_late: the same local authority under another name; "refused" anywhere ------------------
TRANSFER = "transfer_in_conference_late"
AUTHORITY_WORDS = RULES["rules"][TRANSFER]["params"]["authority_words"]


def _transfer_rows(conference_agency, kind="social care", text="Transfer-in notification from Eastshire received: "
                   "Tyler, CP plan (neglect)."):
    return [
        {"date": "2037-10-10", "agency": "Westshire Children's Services", "agency_kind": "social care",
         "contact_type": "letter", "description": text},
        {"date": "2037-10-24", "agency": conference_agency, "agency_kind": kind, "contact_type": "cp_conference",
         "description": "Transfer-in child protection conference held, CP plan continued."},
        {"date": "2038-02-20", "agency": "GP", "agency_kind": "health", "contact_type": "clinic_appointment"},
    ]


@pytest.mark.parametrize("name, authority", [
    ("Westshire Children's Services", "westshire"),
    ("Westshire Children's Social Care", "westshire"),
    ("Westshire CSC", "westshire"),
    ("Westshire County Council Childrens Services", "westshire"),
    ("London Borough of Westshire", "westshire"),
    ("North Westshire CSC", "north westshire"),
    ("Eastshire CSC", "eastshire"),
    ("Children's Social Care", "childrens social care"),  # no authority named: only itself
])
def test_local_authority_of_a_social_care_name(name, authority):
    assert local_authority(name, AUTHORITY_WORDS) == authority


@pytest.mark.parametrize("conference_agency, kind, answered", [
    ("Westshire Children's Services", "social care", True),    # the same name, as before
    ("Westshire Children's Social Care", "social care", True),  # before s17: flagged, "none is recorded"
    ("Westshire CSC", "social care", True),
    ("Eastshire CSC", "social care", False),       # the sending authority's review conference
    ("North Westshire CSC", "social care", False),  # another authority
    ("Westshire Police", "police", False),          # not of the social care kind
])
def test_a_conference_by_the_same_local_authority_under_another_name_answers(conference_agency, kind, answered):
    rows = _transfer_rows(conference_agency, kind)
    flags = _flags(rows, TRANSFER, dob="2030-01-01")
    assert flags.empty == answered
    assert _pairs(flags) == _baseline_pairs(rows, TRANSFER)


def test_a_later_notification_under_another_name_of_the_same_authority_is_the_same_transfer():
    rows = _transfer_rows("Westshire CSC")
    rows[1] = {**rows[0], "date": "2037-10-12", "agency": "Westshire CSC",
               "description": "Transfer-in request from Eastshire: chased, CP plan."}
    rows.insert(2, {**_transfer_rows("Westshire CSC")[1], "date": "2037-12-01"})
    flags = _flags(rows, TRANSFER, dob="2030-01-01")
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]  # one late conference: the first notification's flag
    assert flags.iloc[0].actual_action_event_id == "C1-e003"
    assert _pairs(flags) == _baseline_pairs(rows, TRANSFER)


@pytest.mark.parametrize("text, notified", [
    ("Transfer-in request from Eastshire refused, CP plan (neglect).", False),  # before s17: a notification
    ("Transfer-in request from Eastshire for Tyler, CP plan: refused by Westshire.", False),
    ("Transfer-in request refused, CP plan.", False),  # straight after the keyword, as before
    ("Transfer-in notification from Eastshire received: Tyler, CP plan. Mother refused entry at first visit.", True),
])
def test_refused_anywhere_in_the_notification_s_sentence_is_no_notification(text, notified):
    rows = _transfer_rows("Westshire CSC", text=text)
    rows[1] = {**rows[1], "date": "2038-01-20"}  # late: a notification is flagged
    flags = _flags(rows, TRANSFER, dob="2030-01-01")
    assert (not flags.empty) == notified
    assert _pairs(flags) == _baseline_pairs(rows, TRANSFER)
