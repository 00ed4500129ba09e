"""strategy_no_conference (s20, QA8 D6): a strategy discussion that decided on a single-agency assessment (no
section 47 enquiry: extra-familial harm) expects no initial child protection conference; one that agreed an S47
enquiry still does. The row-by-row baseline agrees."""
from __future__ import annotations

import pytest

from review.rules import detect
from review.rules.testing import make_timeline

from _baseline import RULES, baseline_flags

RULE = "strategy_no_conference"
CSC = "Brackmoor Children's Social Care"


def strategy(action):
    return {"date": "2023-05-09", "agency": CSC, "agency_kind": "social care", "contact_type": "strategy_discussion",
            "escalation": "strategy_discussion", "description": "Strategy discussion held (CSC Exploitation Team, police).",
            "action": action}


LATER = {"date": "2023-07-20", "agency": CSC, "agency_kind": "social care", "contact_type": "home_visit",
         "description": "Visit."}


@pytest.mark.parametrize("action, flagged", [
    ("Single agency assessment. NRM referral to be considered.", False),
    ("Single-agency assessment by the exploitation team.", False),
    ("Outcome: single agency assessment, no S47.", False),
    ("S47 enquiry agreed. Single agency assessment not agreed.", True),
    ("S47 enquiry agreed.", True),
])
def test_a_single_agency_assessment_ends_the_requirement(action, flagged):
    rows = [strategy(action), LATER]
    flags = detect(make_timeline(rows, dob="2008-06-14"), None, RULES, only=[RULE])
    assert len(flags) == int(flagged)
    assert len([f for f in baseline_flags(rows) if f["rule_id"] == RULE]) == int(flagged)
