"""transfer_in_conference_late (s16): a refusal or cancellation of the transfer written anywhere in the
notification's sentence ("Transfer-in request from Eastshire declined", "family did not move") is no
notification to answer, in the package and in the row-by-row baseline; a refusal in another sentence, or
none, leaves the notification a trigger."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
RULE = "transfer_in_conference_late"
WEST = {"agency": "Westshire Children's Social Care", "agency_kind": "social care"}


def rows_with(text):
    return [
        {"date": "2023-10-10", "contact_type": "letter", "description": text, "on_cp_plan": True, **WEST},
        {"date": "2024-02-20", "agency": "GP", "agency_kind": "health", "contact_type": "clinic_appointment",
         "on_cp_plan": True},
    ]


def package_triggers(text):
    flags = detect(make_timeline(rows_with(text), dob="2014-09-15"), None, RULES, only=[RULE])
    return list(flags["trigger_event_id"])


def baseline_triggers(text):
    timeline = make_timeline(rows_with(text), dob="2014-09-15")
    rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        rows.append(r)
    info = {"C1": {"date_of_birth": dt.date(2014, 9, 15), "review_date": None}}
    _, flags = baseline_rowwise.run(rows, info, RULES)
    return [f["trigger_event_id"] for f in flags if f["rule_id"] == RULE]


REFUSED = [
    "Transfer-in request from Eastshire declined, CP plan (neglect).",
    "Transfer-in request from Eastshire for Tyler, on a CP plan, not accepted.",
    "Transfer-in notification from Eastshire re Tyler, CP plan: withdrawn, family did not move.",
    "Transfer-in notification from Eastshire, CP plan: family did not move.",
    "Transfer-in conference request from Eastshire cancelled, CP plan.",
]


@pytest.mark.parametrize("text", REFUSED)
def test_a_refusal_further_along_the_sentence_is_no_notification(text):
    assert package_triggers(text) == []
    assert baseline_triggers(text) == []


KEPT = [
    "Transfer-in request from Eastshire received, CP plan (neglect).",
    # the refusal of an earlier request is another sentence: this notification still needs its conference
    "Transfer-in notification from Eastshire received, CP plan (neglect). Earlier request was declined.",
]


@pytest.mark.parametrize("text", KEPT)
def test_a_notification_with_no_refusal_in_its_sentence_still_triggers(text):
    assert package_triggers(text) == ["C1-e001"]
    assert baseline_triggers(text) == ["C1-e001"]
