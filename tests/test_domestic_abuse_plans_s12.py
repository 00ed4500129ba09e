"""domestic_abuse_not_escalated: a sentence that only plans or weighs a MARAC referral or a notification
("Consider MARAC referral", "Plan: refer to MARAC if further incidents") is no response; a referral made is."""
from __future__ import annotations

import pytest

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
POLICE = {"agency": "Eastborough Police", "agency_kind": "police"}


def _flags(response_text):
    rows = [
        {"date": "2023-03-01", "contact_type": "police_callout", **POLICE, "concerns": "domestic_abuse",
         "description": "Domestic abuse incident, child present. DASH completed - high risk."},
        {"date": "2023-03-01", "contact_type": "other", **POLICE, "description": response_text},
    ]
    return detect(make_timeline(rows), None, RULES, only=["domestic_abuse_not_escalated"])


@pytest.mark.parametrize("text", [
    "Consider MARAC referral.",
    "Plan: refer to MARAC if further incidents.",
    "Awaiting MARAC referral.",
    "Sergeant to consider whether a notification to MASH is needed.",
])
def test_a_planned_or_weighed_referral_is_no_response(text):
    assert len(_flags(text)) == 1


@pytest.mark.parametrize("text", [
    "MARAC referral made.",
    "Referred to MARAC.",
    "Notification sent to MASH.",
])
def test_a_referral_made_is_a_response(text):
    assert _flags(text).empty
