"""(s20, openref) referral_no_decision on a case children's social care already holds open (QA10 problem 5,
Tyrese #25): a CIN plan, a CP plan, a looked-after period or an open assessment. The police's notification is
answered by the allocated team's next record about the child (any social care row) within
open_case_within_working_days; a flag raised says the case was open. Read the same by the package and the
row-by-row baseline."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from review.config import CaseConfig, LookedAfterPeriod
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_rowwise

RULES = load_rules()
DOB = "2008-06-14"
CSC = {"agency": "Brackmoor Children's Social Care", "agency_kind": "social care"}
POLICE = {"agency": "Westshire Police", "agency_kind": "police", "contact_type": "police_callout"}
SCHOOL = {"agency": "Brackmoor Academy", "agency_kind": "education", "contact_type": "other"}
CIN = {"date": "2023-06-20", **CSC, "contact_type": "assessment",
       "description": "Child and family assessment completed. Tyrese not seen alone.",
       "action": "CIN plan. Exploitation team key worker allocated."}
PPN = {"date": "2023-09-30", **POLICE, "concerns": "missing", "escalation": "referral_to_csc",
       "description": "Missing since 27/09. Found in Hartsford in a car with two adult males.",
       "action": "Returned home. PPN to MASH."}
RHI = {"date": "2023-10-03", **CSC, "contact_type": "other",
       "description": "Police notification: missing 27-30/09, found in Hartsford.", "action": "RHI to be offered."}
END = {"date": "2023-12-31", **SCHOOL, "description": "End of term report."}


def _run(rows, periods=()):
    flags = detect(make_timeline(rows, dob=DOB), {"C1": _case(periods)}, RULES,
                   only=["referral_no_decision"]).reset_index(drop=True)
    package = sorted((str(t), str(a or "")) for t, a in zip(flags["trigger_event_id"],
                                                             flags["actual_action_event_id"].fillna("")))
    timeline = make_timeline(rows, dob=DOB)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    case = {"date_of_birth": dt.date(2008, 6, 14), "review_date": dt.date(2023, 12, 31), "looked_after": tuple(periods)}
    _, found = baseline_rowwise.run(base_rows, {"C1": case}, RULES)
    base = sorted((str(f["trigger_event_id"]), str(f["actual_action_event_id"] or "")) for f in found
                  if f["rule_id"] == "referral_no_decision")
    return flags, package, base


def _case(periods):
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2008, 6, 14),
                      review_date=dt.date(2023, 12, 31), looked_after=tuple(periods), vocab={})


def test_a_cin_plan_case_is_answered_by_the_allocated_teams_next_record():
    # Tyrese #25: on a CIN plan since 20 Jun; the PPN of Sat 30 Sep; social care's "RHI to be offered" of 3 Oct
    flags, package, base = _run([CIN, PPN, RHI, END])
    assert flags.empty and package == base == []


def test_without_an_open_case_the_one_working_day_decision_is_still_asked():
    # no CIN plan: 3 Oct is late for the decision due by Mon 2 Oct, and "RHI to be offered" is no decision
    flags, package, base = _run([PPN, RHI, END])
    assert list(flags["trigger_event_id"]) == ["C1-e001"] and package == base
    assert "within 1 working day (by 2 Oct 2023)" in flags.iloc[0].explanation
    assert "case was open" not in flags.iloc[0].explanation


def test_a_plan_closed_before_the_notification_is_no_open_case():
    closed = {"date": "2023-08-01", **CSC, "contact_type": "case_closure", "description": "CIN plan ended.",
              "action": "Case closed."}
    flags, package, base = _run([CIN, closed, PPN, RHI, END])
    assert list(flags["trigger_event_id"]) == ["C1-e003"] and package == base


def test_an_open_case_with_no_social_care_record_in_time_is_flagged_saying_the_case_was_open():
    late = dict(RHI, date="2023-10-20")
    flags, package, base = _run([CIN, PPN, late, END])
    assert list(flags["trigger_event_id"]) == ["C1-e002"] and package == base
    row = flags.iloc[0]
    assert "the case was open to children's social care" in row.explanation
    assert "within 3 working days (by 4 Oct 2023)" in row.explanation
    assert row.expected_action == "response by children's social care's allocated team (the case was open)"


def test_a_looked_after_child_is_an_open_case():
    period = LookedAfterPeriod(start=dt.date(2023, 1, 1), placing_authority="Brackmoor Children's Social Care")
    flags, package, base = _run([PPN, RHI, END], periods=(period,))
    assert flags.empty and package == base == []


# 2. information_not_shared: another agency's record of the deciding agency's own episode (QA10 Tyrese #27) ------
def _run_info(rows):
    flags = detect(make_timeline(rows, dob=DOB), {"C1": _case(())}, RULES,
                   only=["information_not_shared"]).reset_index(drop=True)
    package = sorted(str(t) for t in flags["trigger_event_id"])
    timeline = make_timeline(rows, dob=DOB)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    case = {"date_of_birth": dt.date(2008, 6, 14), "review_date": dt.date(2023, 12, 31), "looked_after": ()}
    _, found = baseline_rowwise.run(base_rows, {"C1": case}, RULES)
    base = sorted(str(f["trigger_event_id"]) for f in found if f["rule_id"] == "information_not_shared")
    return flags, package, base


def _episode(missing_day="2023-09-30", rhi_text="Return home interview for 27/09 episode. Tyrese would not talk."):
    return [
        {"date": "2023-01-05", **POLICE, "description": "Welfare check at the family home.", "action": "Advice."},
        {"date": missing_day, **POLICE, "concerns": "missing", "description": "Missing since 27/09. Found in Hartsford.",
         "action": "Returned home."},
        {"date": "2023-10-17", **CSC, "contact_type": "home_visit", "concerns": "missing", "description": rhi_text,
         "action": "Continue CIN."},
        {"date": "2023-11-20", **POLICE, "contact_type": "arrest", "description": "Brother arrested; Tyrese present.",
         "action": "No further action re Tyrese."},
        END,
    ]


def test_a_return_interview_for_the_deciding_agencys_own_missing_report_is_known_to_it():
    flags, package, base = _run_info(_episode())
    assert "C1-e003" not in package and package == base


def test_a_return_interview_with_no_own_missing_report_of_the_decider_still_did_not_reach_it():
    # the police's missing report is 60 days before the interview: not its own episode by this reading
    flags, package, base = _run_info(_episode(missing_day="2023-08-18"))
    assert "C1-e003" in package and package == base
    # a social care missing record that is no return interview: still not known to the police
    flags, package, base = _run_info(_episode(rhi_text="Mother reports Tyrese missing overnight again."))
    assert "C1-e003" in package and package == base
