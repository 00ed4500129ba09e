"""Session 22, from the QA12 sudden-infant-death case (tests/_qa12_sudi_case.py, "Mason Reid"):

- D17: maternity's and health visiting's own type cells. "Birth" (a health agency's whole cell) is an admission
  (the newborn seen, in hospital to the postnatal ward's discharge); "Postnatal visit", "Primary visit",
  "Antenatal visit" and a type cell's "Antenatal contact" are home visits; "Transfer in" / "Transfer out" (health,
  social care) are records sent or received, letters: no contact with the family, no sighting. Not "Pre-birth
  assessment", "Birth plan", "Birth notification", a school's "Transfer in", an "antenatal contact ... by phone"
  in a description.
- D6: a date written as a week ("w/c 06/03/2023", "w/e 12/03/2023") is read as that week (UK day-first), not the
  day +- 31 days, and shown as written ("w/c 6 Mar 2023"): social care's "w/c 06/03/2023" referral decision now
  answers (late) the midwife's referral of 21 Feb 2023. Package and baseline alike."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import load_vocab
from review.ingest.dates import parse_date, week_unit
from review.pipeline import analyse, load_case
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import classify_contact_type, description_contact_type

from _baseline import baseline_flags

VOCAB = load_vocab()
MATERNITY = ("Westmoor Hospitals Maternity",)
HV = ("Westmoor Health Visiting",)
CSC = ("Westmoor Children's Social Care",)


# D17 ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell, agency, expected", [
    ("Birth", MATERNITY, "admission"),
    ("Delivery", MATERNITY, "admission"),
    ("Postnatal visit", MATERNITY, "home_visit"),
    ("Antenatal contact", HV, "home_visit"),
    ("Antenatal visit", HV, "home_visit"),
    ("Primary visit", HV, "home_visit"),
    ("New birth visit", HV, "home_visit"),
    ("Antenatal appointment", MATERNITY, "clinic_appointment"),
    ("Booking appointment", MATERNITY, "clinic_appointment"),
    ("6-8 week review", HV, "clinic_appointment"),
    ("Transfer in", CSC, "letter"),
    ("Transfer out", HV, "letter"),
    ("Transfer-out", CSC, "letter"),
])
def test_maternity_and_health_visiting_cells(cell, agency, expected):
    assert classify_contact_type(cell, "", VOCAB, agency=agency) == expected


def test_no_over_reach():
    # a bare "birth" is no birth: social care's pre-birth records, a birth plan, a birth notification
    assert classify_contact_type("Pre-birth assessment", "", VOCAB, agency=CSC) == "assessment"
    assert classify_contact_type("Birth plan", "", VOCAB, agency=MATERNITY) == "other"
    assert classify_contact_type("Birth notification", "", VOCAB, agency=HV) == "letter"
    assert classify_contact_type("Birth", "", VOCAB, agency=CSC) == "other"  # not a health agency's
    assert description_contact_type("Date of birth confirmed with mother.", VOCAB) == ""
    # a school's "Transfer in" is a pupil's move, not typed a letter
    assert classify_contact_type("Transfer in", "", VOCAB, agency=("Hillcrest Academy",)) == "other"
    # "antenatal contact" in a description is no visit: the phone call it names is the type
    assert description_contact_type("Antenatal contact with midwife by phone.", VOCAB) == "phone_call"
    # a transfer-in conference is still a conference
    assert classify_contact_type("Transfer in conference", "", VOCAB, agency=CSC) == "cp_conference"


@pytest.fixture(scope="module")
def qa12(tmp_path_factory):
    folder = tmp_path_factory.mktemp("qa12m") / "case"
    generator = Path(__file__).with_name("_qa12_sudi_case.py")
    subprocess.run([sys.executable, str(generator), str(folder)], check=True, capture_output=True)
    case = load_case(folder)
    return case, analyse(case)


def _row(tl, agency, day):
    rows = tl[tl["agency"].str.contains(agency) & (tl["date"].dt.strftime("%Y-%m-%d") == day)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_the_case_reads_its_cells(qa12):
    case, a = qa12
    tl = a.timeline
    birth = _row(tl, "Maternity", "2023-06-12")
    assert birth["contact_type"] == "admission" and bool(birth["in_hospital"])
    assert _row(tl, "Maternity", "2023-06-20")["contact_type"] == "home_visit"  # no reply: a visit all the same
    assert _row(tl, "Health Visiting", "2023-05-05")["contact_type"] == "home_visit"
    transfer = _row(tl, "Health Visiting", "2023-10-03")
    assert transfer["contact_type"] == "letter"
    assert pd.isna(transfer["child_seen"]) and pd.isna(transfer["child_seen_inferred"])  # no sighting
    warned = " ".join(w.message for f in case.report.files for w in f.warnings)
    for cell in ("'Birth'", "'Postnatal visit'", "'Antenatal contact'", "'Transfer out'", "'Transfer in'"):
        assert cell not in warned
    # the transfer of records is no unseen contact: no child_not_seen flag at it
    f = a.flags[a.flags["rule_id"] == "child_not_seen"]
    assert "2023-10-03" not in set(f["trigger_date"].dt.strftime("%Y-%m-%d"))


# D6 -----------------------------------------------------------------------------------------------------------
def test_week_texts():
    assert week_unit("w/c 03/04/2023") == week_unit("week commencing 3rd April 2023") == "commencing"
    assert week_unit("W/B 3/4/23") == "commencing" and week_unit("w/e 09/04/2023") == "ending"
    assert parse_date("w/c 03/04/2023").date.strftime("%Y-%m-%d") == "2023-04-03"  # day-first
    assert week_unit("w/c April 2023") == week_unit("c. 03/04/2023") == week_unit("03/04/2023") == ""


REFERRAL = {"date": "2023-02-21", "contact_type": "referral", "agency": "Westmoor Hospitals Maternity",
            "agency_kind": "health", "escalation": "referral_to_csc",
            "description": "Pre-birth referral to children's social care sent today.", "action": ""}


def _decision(date_text):
    return {"date": "2023-03-06", "date_precision": "approximate", "date_text": date_text,
            "contact_type": "referral_decision", "agency": "Westmoor Children's Social Care",
            "agency_kind": "social care", "description": "Pre-birth referral screened: threshold met.", "action": ""}


def _rnd(rows):
    rules = load_rules()
    flags = detect(make_timeline(rows, dob="2023-06-12"), None, rules, only=["referral_no_decision"])
    base = [f for f in baseline_flags(rows, rules) if f["rule_id"] == "referral_no_decision"]
    return flags, base


def test_a_week_commencing_decision_answers_late_as_written():
    flags, base = _rnd([REFERRAL, _decision("w/c 06/03/2023")])
    assert len(flags) == 1
    f = flags.iloc[0]
    assert f["actual_action_date"].strftime("%Y-%m-%d") == "2023-03-06"
    assert "a decision is recorded for w/c 6 Mar 2023, after the deadline" in f["explanation"]
    assert "cannot be placed" not in f["explanation"] and "c. 6 Mar" not in f["explanation"]
    assert sorted(flags["trigger_event_id"]) == sorted(b["trigger_event_id"] for b in base)


def test_an_approximate_day_is_still_the_day_plus_or_minus_a_month():
    flags, base = _rnd([REFERRAL, _decision("c. 06/03/2023")])
    assert len(flags) == 1
    assert "dated only 'c. 6 Mar 2023' cannot be placed after this concern" in flags.iloc[0]["explanation"]
    assert sorted(flags["trigger_event_id"]) == sorted(b["trigger_event_id"] for b in base)


def test_the_qa12_decision_is_read_as_its_week(qa12):
    _, a = qa12
    f = a.flags[a.flags["rule_id"] == "referral_no_decision"]
    assert len(f) == 1
    assert f.iloc[0]["actual_action_date"].strftime("%Y-%m-%d") == "2023-03-06"
    assert "w/c 6 Mar 2023" in f.iloc[0]["explanation"]
