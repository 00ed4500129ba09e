"""A strategy discussion's decision against a section 47 enquiry recorded with the police named ("S47 not agreed
by police", "Police did not agree S47") expects no conference: before s16 a sentence naming the police was
read as another agency's outcome and an ICPC was still expected. Other police sentences stay another agency's
("Police: no further action on the criminal investigation"). The package and the row-by-row baseline agree."""
from __future__ import annotations

import pytest

from _baseline import baseline_pairs, package_pairs

CSC = {"agency": "Eastborough Children's Social Care", "agency_kind": "social care"}


def strategy(outcome):
    return [{"date": "2023-03-15", **CSC, "contact_type": "strategy_discussion", "description": "Strategy discussion re bruising.",
             "action": outcome, "concerns": "", "escalation": "strategy_discussion"}]


@pytest.mark.parametrize("outcome", [
    "S47 not agreed by police",
    "Police did not agree S47",
    "Police did not agree to S47 enquiry, single agency response",
    "S47 not required - police and social care agreed",
])
def test_a_decision_against_s47_naming_the_police_expects_no_conference(outcome):
    rows = strategy(outcome)
    assert package_pairs(rows, "strategy_no_conference") == []
    assert baseline_pairs(rows, "strategy_no_conference") == []


@pytest.mark.parametrize("outcome", [
    "Police: no further action on the criminal investigation",  # another agency's outcome, as before
    "NFA by police",
    "S47 agreed, police to lead joint investigation",
    "S47 not agreed by police overturned by team manager, S47 to proceed",  # negated
    "Police did not agree to attend; S47 agreed",
])
def test_other_police_sentences_still_expect_a_conference(outcome):
    rows = strategy(outcome)
    assert [t for t, _ in package_pairs(rows, "strategy_no_conference")] == ["C1-e001"]
    assert baseline_pairs(rows, "strategy_no_conference") == package_pairs(rows, "strategy_no_conference")
