"""Nineteenth session (QA6 defect 5): referral readings.

(a) a letter another agency sent ("Letter from Westshire Sexual Health: ...; safeguarding referral made by clinic"
on a GP's record) reports the sender's referral, not the GP's (`vocab.detect_escalations`, `received_letter_*`);
(b) an agency's two records of one referral (the clinic's "Referral to children's social care by phone 22/09" of
21 Sep, and the phone referral of 22 Sep) raise one referral_no_decision flag, counted from 22 Sep
(`referral_text_dates` with a day and month, `one_referral_per_agency_day`);
(c) social care's "Strategy discussion to be arranged" is its decision on next steps (`decision_plan_cues`);
(d) a school's "contacted MASH" is a referral to social care, and social care's type cell "Contact" its record of
one coming in (`agency_type_cells.referral.whole_cells`)."""
import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import load_vocab
from review.rules import detect, load_rules
from review.rules.base import referral_text_dates
from review.rules.testing import make_timeline
from review.vocab import agency_cell_contact_type, detect_escalations

RULES = load_rules()
VOCAB = load_vocab()
DOB = "2009-04-10"
GP = {"agency": "Riverside Surgery", "agency_kind": "health"}
CLINIC = {"agency": "Westshire Sexual Health", "agency_kind": "health"}
CSC = {"agency": "Westshire Children's Social Care", "agency_kind": "social care"}


def _flags(rows):
    return detect(make_timeline(rows, dob=DOB), None, RULES, only=["referral_no_decision"])


def _baseline(rows):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import baseline_rowwise
    timeline = make_timeline(rows, dob=DOB)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    _, flags = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2009, 4, 10), "review_date": None}},
                                    RULES)
    return sorted(f["trigger_event_id"] for f in flags if f["rule_id"] == "referral_no_decision")


def _ids(flags):
    return sorted(flags["trigger_event_id"]) if len(flags) else []


# (a) ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("contact_type, text, found", [
    ("letter", "Letter from Westshire Sexual Health: positive pregnancy test; safeguarding referral made by clinic.\n"
               "Filed. Safeguarding alert added to record.", []),
    ("letter", "Discharge summary from Westshire General: referred to MASH by ED.", []),
    # the recipient's own outcome is its own
    ("letter", "Letter from school re bruising\nReferral to MASH made.", ["referral_to_csc"]),
    # not a letter received: the GP's own
    ("letter", "Letter to CSC: referral to MASH made re bruising", ["referral_to_csc"]),
    ("clinic_appointment", "Letter from school: referral to MASH made", ["referral_to_csc"]),
])
def test_a_received_letter_reports_the_senders_referral(contact_type, text, found):
    assert detect_escalations(contact_type, text, VOCAB) == found


# (b) ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, on, days", [
    ("Referral to children's social care by phone 22/09.", dt.date(2022, 9, 21), [dt.date(2022, 9, 22)]),
    ("Referral made by phone on 22/09", dt.date(2022, 9, 21), [dt.date(2022, 9, 22)]),
    ("Referral sent 03/01", dt.date(2022, 12, 30), [dt.date(2023, 1, 3)]),  # the next such day
    ("Referral to children's social care by phone 22/09.", None, []),  # no year, no record's day: none
    ("Referral sent 31/02", dt.date(2022, 1, 3), []),
    ("Referral to MASH sent 20.03.37.", None, [dt.date(2037, 3, 20)]),  # as before
])
def test_referral_text_dates_of_a_day_and_month(text, on, days):
    assert referral_text_dates(text, on=on) == days


def test_two_records_of_one_referral_raise_one_flag():
    rows = [
        {"date": "2022-09-21", "contact_type": "assessment", **CLINIC, "escalation": "referral_to_csc",
         "description": "13 year old attended alone requesting a pregnancy test. Test positive.",
         "action": "Safeguarding lead informed. Referral to children's social care by phone 22/09."},
        {"date": "2022-09-22", "contact_type": "referral", **CLINIC, "escalation": "referral_to_csc",
         "description": "Referral to MASH made by safeguarding lead.", "action": "Referral made."},
        {"date": "2022-09-29", "contact_type": "strategy_discussion", **CSC, "description": "Strategy discussion."},
    ]
    flags = _flags(rows)
    assert _ids(flags) == ["C1-e001"]
    assert "referral dated 22 Sep 2022 in the record's text of 21 Sep 2022" in flags["explanation"].iloc[0]
    assert _baseline(rows) == _ids(flags)
    off = {**RULES, "rules": {**RULES["rules"], "referral_no_decision": {
        **RULES["rules"]["referral_no_decision"],
        "params": {**RULES["rules"]["referral_no_decision"]["params"], "one_referral_per_agency_day": False}}}}
    assert len(detect(make_timeline(rows, dob=DOB), None, off, only=["referral_no_decision"])) == 2


# (c) ------------------------------------------------------------------------------------------------------------
def _referred_then(csc_action, csc_type="referral"):
    return [
        {"date": "2022-09-22", "contact_type": "referral", **CLINIC, "escalation": "referral_to_csc",
         "description": "Referral to MASH made by safeguarding lead.", "action": "Referral made."},
        {"date": "2022-09-22", "contact_type": csc_type, **CSC,
         "description": "Referral from Westshire Sexual Health (phone): positive pregnancy test.",
         "action": csc_action},
        {"date": "2022-10-20", "contact_type": "home_visit", **CSC, "description": "Visit."},
    ]


@pytest.mark.parametrize("action, flagged", [
    ("Strategy discussion to be arranged.", False),
    ("Section 47 enquiry to be convened.", False),
    ("Single assessment to be completed.", False),
    ("Awaiting strategy discussion.", True),  # a wait, not a decision
    ("Strategy discussion cancelled.", True),
    ("MASH decision pending.", True),
])
def test_social_care_arranging_the_response_is_its_decision(action, flagged):
    rows = _referred_then(action)
    flags = _flags(rows)
    assert bool(len(flags)) == flagged
    assert _baseline(rows) == _ids(flags)


# (d) ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, found", [
    ("DSL informed mother and contacted MASH; advised to refer to CAMHS via GP.", ["referral_to_csc"]),
    ("Contact made to MASH.", ["referral_to_csc"]),
    ("DSL contacted MASH for advice.", []),  # a consultation
    ("Contacted mother.", []),
])
def test_a_contact_to_the_front_door_is_a_referral(text, found):
    assert detect_escalations("other", text, VOCAB) == found


@pytest.mark.parametrize("cell, agency, typed", [
    ("Contact", "Westshire Children's Social Care", "referral"),
    ("MASH contact", "Westshire Children's Social Care", "referral"),
    ("Supervised contact", "Westshire Children's Social Care", ""),  # family time
    ("Contact with father", "Westshire Children's Social Care", ""),
    ("Contact", "Riverside Surgery", ""),  # another agency's word
])
def test_social_cares_contact_cell(cell, agency, typed):
    assert agency_cell_contact_type(cell, [agency], VOCAB) == typed
