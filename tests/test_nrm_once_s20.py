"""QA10 problems 1, 6, 7 (s20): return_interview_or_nrm_late's nrm variant raises one flag per case (the first
first responder's record of exploitation, the later ones its evidence), never on an agency's receipt of another's
notification; exploitation_not_referred reads "Discuss at MACE" as no referral, and any agency's receipt of
another agency's referral ("Referral received from police: ...") as no trigger. The first responders are the same
list in both rules. The row-by-row baseline raises the same flags."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_rowwise

RULES = load_rules()
NRM = "return_interview_or_nrm_late"
EXP = "exploitation_not_referred"
POLICE, CSC, YJS = "Westshire Police", "Brackmoor Children's Social Care", "Brackmoor Youth Justice Service"


def row(date, text="", action="", agency=POLICE, kind="police", concerns="", contact_type="other"):
    return {"date": date, "agency": agency, "agency_kind": kind, "contact_type": contact_type,
            "concerns": concerns, "description": text, "action": action}


MISSING = row("2023-01-28", "Missing episode, located in the company of older males.", "Returned home. PPN to MASH.",
              concerns="exploitation")  # e001
PPN = row("2023-02-01", "PPN received: missing episode 28/01, located with older males.", "Screening.",
          agency=CSC, kind="social care", concerns="exploitation")  # e002
TRAP = row("2023-04-14", "Found in a trap house in Hartsford, county lines.", "Returned home.",
           concerns="exploitation")  # e003
NRM_MADE = row("2024-04-08", "NRM referral submitted by CSC as first responder.", agency=CSC, kind="social care")  # e004


def flags(rows, rule):
    return detect(make_timeline(rows, dob="2008-06-14"), None, RULES, only=[rule])


def nrm_flags(rows):
    f = flags(rows, NRM)
    return f[f["explanation"].str.contains("National Referral Mechanism", regex=False)]


def test_one_nrm_flag_per_case_with_the_later_records_as_evidence_and_no_receipt_trigger():
    f = nrm_flags([MISSING, PPN, TRAP, NRM_MADE])
    assert len(f) == 1  # before: one for the police (e001) and one for social care's receipt (e002)
    flag = f.iloc[0]
    # (s21) the clock starts at the trap house (e003), the first record strong enough for reasonable grounds;
    # the older males of 28 Jan (e001), a weak sign alone, are its earlier context (tests/test_tyrese_s21.py)
    assert flag.trigger_event_id == "C1-e003"
    assert flag.actual_action_event_id == "C1-e004"
    assert "C1-e001" in flag.evidence_event_ids.split("; ")
    assert "C1-e002" not in flag.evidence_event_ids.split("; ")  # the receipt is no record of its own
    assert "earlier, weaker signs of exploitation (no reasonable grounds alone) recorded by Westshire Police on " \
        "28 Jan 2023" in flag.explanation


def test_a_receipt_alone_is_no_nrm_trigger_but_social_cares_own_record_is():
    assert nrm_flags([PPN]).empty
    own = row("2023-02-03", "Home visit: Tyrese says older boys give him money to carry bags.", agency=CSC,
              kind="social care", concerns="exploitation")
    assert nrm_flags([PPN, own])["trigger_event_id"].tolist() == ["C1-e002"]


def test_the_youth_justice_service_is_a_first_responder_in_both_rules():
    nrm = RULES["rules"][NRM]["params"]["nrm_first_responder_kinds"]
    exp = RULES["rules"][EXP]["params"]["first_responder_agency_kinds"]
    assert sorted(nrm) == sorted(exp) and {"police", "social care", "youth justice"} <= set(nrm)
    yjs = row("2023-08-15", "AssetPlus: Tyrese says he sells for older boys, county lines.", agency=YJS,
              kind="youth justice", concerns="exploitation")
    assert nrm_flags([yjs])["trigger_event_id"].tolist() == ["C1-e001"]


def test_a_plan_to_discuss_at_mace_is_no_referral():
    custody = row("2024-02-15", "Custody: made to hold drugs and a knife to pay off a debt, asked for help.",
                  "Referral to CSC not made.", concerns="exploitation")
    discuss = row("2024-02-20", "Bail supervision meeting.", "Action: Discuss at MACE.", agency=YJS, kind="youth justice")
    f = flags([custody, discuss], EXP)
    f = f[f["trigger_event_id"] == "C1-e001"]
    assert len(f) == 1
    assert pd.isna(f.iloc[0].actual_action_event_id) or f.iloc[0].actual_action_event_id == ""
    # a referral to MACE made still answers
    made = row("2024-02-15", "Custody: made to hold drugs.", "MACE referral submitted.", concerns="exploitation")
    assert flags([made], EXP).empty


def test_another_agencys_receipt_of_a_referral_is_no_exploitation_trigger():
    received = row("2023-08-01", "Referral received from police: out of court disposal consideration (RUI for PWITS),"
                   " county lines.", agency=YJS, kind="youth justice", concerns="exploitation")
    assert flags([received], EXP).empty
    # its own record of exploitation still is
    own = row("2023-08-15", "AssetPlus: Tyrese says he sells for older boys, county lines.", agency=YJS,
              kind="youth justice", concerns="exploitation")
    assert flags([own], EXP)["trigger_event_id"].tolist() == ["C1-e001"]
    # "referral received" negated is no receipt
    awaited = row("2023-08-01", "AssetPlus: county lines concerns. No referral received from police.", agency=YJS,
                  kind="youth justice", concerns="exploitation")
    assert not flags([awaited], EXP).empty


@pytest.mark.parametrize("rows", [
    [MISSING, PPN, TRAP, NRM_MADE],
    [PPN],
    [row("2023-08-01", "Referral received from police: county lines.", agency=YJS, kind="youth justice",
         concerns="exploitation")],
    [row("2024-02-15", "Custody: exploited, debt.", concerns="exploitation"),
     row("2024-02-20", "Bail meeting.", "Action: Discuss at MACE.", agency=YJS, kind="youth justice")],
])
def test_the_baseline_raises_the_same_flags(rows):
    timeline = make_timeline(rows, dob="2008-06-14")
    package = detect(timeline, None, RULES, only=[NRM, EXP])
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    _, base = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2008, 6, 14), "review_date": None}},
                                   RULES)
    base = [f for f in base if f["rule_id"] in (NRM, EXP)]
    assert sorted(package["flag_id"]) == sorted(f["flag_id"] for f in base)
    assert sorted((str(a or ""), e.date()) for a, e in zip(package["actual_action_event_id"].fillna(""),
                                                          package["expected_by"])) == \
        sorted((f["actual_action_event_id"] or "", f["expected_by"]) for f in base)


def test_asking_another_agency_about_an_nrm_referral_is_no_referral():
    custody = row("2024-02-15", "Custody: made to hold drugs and a knife to pay off a debt.", concerns="exploitation")
    ask = row("2024-03-05", "Youth court: referral order.", "YJS to ask CSC about an NRM referral.", agency=YJS,
              kind="youth justice")
    made = row("2024-04-08", "NRM referral submitted by CSC.", agency=CSC, kind="social care")
    f = flags([custody, ask, made], EXP)
    f = f[f["trigger_event_id"] == "C1-e001"]
    assert f["actual_action_event_id"].tolist() == ["C1-e003"]
