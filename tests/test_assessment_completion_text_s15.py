"""`assessment_wait`: a row of any contact type whose text records the assessment completed ("Case closure:
Single assessment completed. Case closed, NFA.") completes social care's assessment (`completion_phrases`).
Before, only rows of an assessment type counted, and QA's case A (social_care.xlsx row 9, 28/05/2021, typed
"Case closure") was flagged "recorded as started (Dec 2020) but not as completed; nor is one recorded later"."""
from __future__ import annotations

import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.base import _mentioned
from review.rules.testing import make_timeline
from tests._baseline import baseline_pairs, package_pairs

RULES = load_rules()
PARAMS = RULES["rules"]["assessment_wait"]["params"]
CSC = {"agency": "Eastborough Children's Social Care", "agency_kind": "social care"}


def case_a(closure_text="Single assessment completed. Ellie engaging with CAMHS. Case closed, NFA.",
           closure_date="2021-05-28", closure_type="case_closure"):
    """QA case A's social care rows, reduced: the request, the assessment started (Dec 2020), the closure."""
    return [
        {"date": "2020-11-05", "contact_type": "referral_decision", **CSC,
         "description": "MASH decision: threshold met for single assessment.", "action": "Allocated to SW"},
        {"date": "2020-12-01", "date_precision": "month", "contact_type": "assessment", **CSC,
         "description": "Single assessment started. Ellie seen at home, denies any concerns.", "action": "Continue"},
        {"date": closure_date, "contact_type": closure_type, **CSC,
         "description": closure_text, "action": "Closed to social care"},
        {"date": "2021-12-31", "contact_type": "home_visit", **CSC, "description": "Ellie seen."},
    ]


def flags_of(rows):
    return detect(make_timeline(rows, dob="2005-09-12"), None, RULES, only=["assessment_wait"])


def test_a_case_closure_recording_the_assessment_completed_answers_the_request_late():
    flags = flags_of(case_a())
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e001"
    assert flag.expected_by == pd.Timestamp("2021-01-12")  # 45 working days after 5 Nov 2020
    assert flag.actual_action_event_id == "C1-e003"
    assert flag.delay_days == 136  # 12 Jan 2021 to 28 May 2021
    assert "recorded as started" in flag.explanation
    assert "the assessment came on 28 May 2021, 136 calendar days late" in flag.explanation
    assert "nor is one recorded later" not in flag.explanation


def test_a_completion_in_time_recorded_on_a_home_visit_is_no_flag():
    rows = case_a("Home visit. Single assessment completed, outcome shared with mother.", "2021-01-08", "home_visit")
    assert flags_of(rows).empty


@pytest.mark.parametrize("text", [
    "Case closed, NFA.",  # no completion recorded
    "No assessment completed. Case closed.",  # negated
    "Assessment completion due 30/06. Case remains open.",  # "assessment complete" is a whole phrase
    "Assessment outcome awaited.",  # "assessment outcome:" is a label, only with its colon
    "Assessment outcome: to be confirmed.",
    "Case to stay open until the assessment is complete.",
])
def test_a_text_that_records_no_completion_leaves_the_flag_as_it_was(text):
    flag = flags_of(case_a(text)).iloc[0]
    assert flag.actual_action_event_id == "" and pd.isna(flag.delay_days)
    assert flag.explanation.endswith("but not as completed; nor is one recorded later.")


@pytest.mark.parametrize("text", [
    "Single assessment completed.", "SA completed 20/5.", "C&F assessment concluded, NFA.",
    "Assessment outcome: no further action.", "Single assessment complete; case closed.",
])
def test_completion_phrases(text):
    assert _mentioned(text, PARAMS["completion_phrases"], (), tuple(PARAMS["completion_not_in_sentence_with"]),
                      whole_words=True)


@pytest.mark.parametrize("text", [
    "Single assessment completed. Case closed, NFA.", "Case closed, NFA.", "Assessment outcome awaited.",
])
def test_the_row_by_row_baseline_reads_the_completion_as_the_package_does(text):
    rows = case_a(text)
    for r in rows:
        r.setdefault("date_precision", "day")
    rows[1]["date_precision"] = "day"  # the baseline reads a partial date as its first day
    assert package_pairs(rows, "assessment_wait") == baseline_pairs(rows, "assessment_wait")
    assert package_pairs(rows, "assessment_wait")[0][1] == ("C1-e003" if "completed" in text else "")
