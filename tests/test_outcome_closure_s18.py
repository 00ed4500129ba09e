"""Social care's outcome cell records a case's closure (QA3 defects 1 and 11, the Amara case).

1. A closure written in the action / outcome cell of a social care row ("No concerns. Mother's explanation
   plausible. Case closed - NFA." of an announced home visit) was never a closure: `closure_with_open_concerns`
   read the contact type only, and the case's central failure (closed days after photographed bruising) raised
   nothing. Now such a row is a closure for the rule, a decision on a referral (`referral_no_decision`) and a
   decision point (`information_not_shared`, agency knowledge), while it keeps its own contact type
   (`review.rules.base.closures_in_action`). Only social care's action is read: a description asking why the
   case was closed, the police's "No further action by victim", "Case not closed" are none.
2. The police's "Strategy discussion with children's social care." on an arrest row was no escalation
   (`review.vocab.detect_escalations`): now vocab.yml `recorded_keywords` record it unless the text denies it.

Each rule check runs the row-by-row baseline (benchmarks/baseline_rowwise.py) too.
"""
from __future__ import annotations

import pytest

from _baseline import RULES, baseline_pairs, package_pairs
from review.config import load_vocab
from review.rules.base import closures_in_action, prepare
from review.rules.knowledge import agency_knowledge
from review.rules.testing import make_timeline
from review.vocab import detect_escalations

CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
POLICE = {"agency": "Police", "agency_kind": "police"}
GP = {"agency": "GP", "agency_kind": "health"}
VOCAB = load_vocab()


def referral(date, **kw):
    return {"date": date, "contact_type": "referral", "concerns": "bruising",
            "description": "Referral from grandmother with photos of bruising to the child's cheek.",
            "action": "Contact accepted as a referral. Announced home visit to be arranged.", **CSC, **kw}


def visit(date, action, description="Announced home visit. Mother and partner present. Explanation plausible.", **kw):
    return {"date": date, "contact_type": "home_visit", "description": description, "action": action, **CSC, **kw}


def both(rows, rule):
    package, baseline = package_pairs(rows, rule), baseline_pairs(rows, rule)
    assert package == baseline, (package, baseline)
    return package


CLOSED = ["No concerns. Mother's explanation plausible. Case closed - NFA.",
          "No concerns identified, mother's explanation plausible. Closed - no further action.",
          "Mother's explanation plausible. No concerns. Case closed.", "NFA", "Stepped down to early help"]
OPEN = ["Case not closed", "NFA not agreed by team manager", "Visit completed; case remains open", "Advice given",
        "Case to be closed next week"]


@pytest.mark.parametrize("action", CLOSED)
def test_a_home_visit_whose_outcome_closes_the_case_is_a_closure_with_open_concerns(action):
    rows = [referral("2023-09-12"), visit("2023-09-16", action)]
    # was: no flag (the closure was in the outcome cell, the row typed home_visit)
    assert both(rows, "closure_with_open_concerns") == [("C1-e002", "")]
    ctx = prepare(make_timeline(rows), None, RULES["settings"])
    assert list(ctx.timeline["contact_type"]) == ["referral", "home_visit"]  # the row keeps its own type
    assert list(closures_in_action(ctx)) == [False, True]


@pytest.mark.parametrize("action", OPEN)
def test_an_outcome_that_does_not_close_the_case_is_no_closure(action):
    rows = [referral("2023-09-12"), visit("2023-09-16", action)]
    assert both(rows, "closure_with_open_concerns") == []


def test_only_social_cares_action_closes_a_case():
    rows = [referral("2023-09-12"),
            # a description that names the closure: no closure
            visit("2023-09-14", "Advice given", "Grandmother rang asking why the case was closed."),
            # another agency's "no further action": no social care case closed
            {"date": "2023-09-15", "contact_type": "police_callout", "description": "Domestic incident, child present.",
             "action": "No further action by victim.", **POLICE},
            {"date": "2023-09-16", "contact_type": "letter", "description": "Letter from CSC re referral.",
             "action": "Noted. Case closed.", **GP}]
    assert both(rows, "closure_with_open_concerns") == []
    ctx = prepare(make_timeline(rows), None, RULES["settings"])
    assert not closures_in_action(ctx).any()


def test_a_closure_in_the_outcome_is_the_decision_on_the_referral():
    # the referral of 1 Apr decided the next day by the welfare check's outcome "No concerns. Case closed."
    rows = [referral("2020-04-01", action="Police asked to carry out a welfare check."),
            {"date": "2020-04-02", "contact_type": "other", "description": "Police welfare check completed: child asleep.",
             "action": "No concerns. Case closed.", **CSC}]
    assert both(rows, "referral_no_decision") == []  # was: no decision recorded
    # a decision later than one working day: the flag names it as the decision
    late = [rows[0], {**rows[1], "date": "2020-04-09"}]
    assert both(late, "referral_no_decision") == [("C1-e001", "C1-e002")]


def test_a_closure_in_the_outcome_is_a_decision_point_labelled_case_closure():
    rows = [{"date": "2020-01-10", "contact_type": "police_callout", "concerns": "domestic_abuse",
             "description": "Domestic incident: mother assaulted by partner, child present.", "action": "DASH: medium.",
             **POLICE},
            visit("2020-01-17", "Mother's explanation plausible. No concerns. Case closed.")]
    # the police's DA incident never reached social care before it closed the case: was no flag (no decision point)
    assert both(rows, "information_not_shared") == [("C1-e001", "")]
    knowledge = agency_knowledge(make_timeline(rows), RULES)
    assert list(knowledge["decision"]) == ["case_closure"]  # not "home_visit"
    assert list(knowledge["missing_concerns"]) == ["domestic_abuse"]
    # an outcome naming "NFA" keeps its keyword's label
    nfa = [rows[0], visit("2020-01-17", "No concerns. NFA.")]
    assert list(agency_knowledge(make_timeline(nfa), RULES)["decision"]) == ["no_further_action"]


def test_the_rule_can_be_told_to_read_the_type_only():
    import copy

    rules = copy.deepcopy(RULES)
    rules["rules"]["closure_with_open_concerns"]["params"]["closure_in_action"] = False
    from review.rules import detect

    rows = [referral("2023-09-12"), visit("2023-09-16", "Case closed - NFA.")]
    assert detect(make_timeline(rows), None, rules, only=["closure_with_open_concerns"]).empty


# --- 2. a strategy discussion recorded on another row's type ----------------------------------------------------
@pytest.mark.parametrize("contact_type, text", [
    ("arrest", "Major investigation team. Strategy discussion with children's social care."),
    ("arrest", "strategy meeting with CSC"),
    ("police_callout", "Strat disc with CSC: S47 agreed"),
    ("phone_call", "Strat disc held with police"),
    ("arrest", "Strategy discussion with social care took place, S47 agreed"),
])
def test_a_strategy_discussion_recorded_on_any_row_is_that_escalation(contact_type, text):
    assert detect_escalations(contact_type, text, VOCAB) == ["strategy_discussion"]  # was: []


@pytest.mark.parametrize("text", [
    "Strategy discussion with CSC to be arranged", "Awaiting strategy discussion with CSC",
    "Strategy discussion with police - DS Smith unable to attend, rearranged", "Strategy meeting with CSC cancelled",
    "No strategy discussion with CSC held", "In hindsight, a strategy discussion with police was needed.",
    "Threshold met for a strategy discussion", "Referred for strategy discussion",
])
def test_a_strategy_discussion_only_planned_denied_or_in_hindsight_is_none(text):
    assert detect_escalations("arrest", text, VOCAB) == []


def test_strat_disc_types_a_description():
    from review.vocab import description_contact_type

    assert description_contact_type("Strat disc with police and health", VOCAB) == "strategy_discussion"


def test_many_distinct_outcomes_read_as_each_alone():
    # from _DENIAL_SEARCH_FROM distinct texts on, `denies` is read only where a negation cue may reach the words
    from review.rules.base import _DENIAL_SEARCH_FROM
    from review.vocab import records_type

    kinds = ["Case closed - NFA.", "Case not closed.", "NFA not agreed by manager.", "Closed - no further action.",
             "Visit done.", "Case closure deferred.", "Stepped down to early help."]
    actions = [f"Visit {i}. {kinds[i % len(kinds)]}" for i in range(_DENIAL_SEARCH_FROM + 50)]
    rows = [visit(f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", action) for i, action in enumerate(actions)]
    ctx = prepare(make_timeline(rows), None, RULES["settings"])
    read = closures_in_action(ctx)  # in the prepared timeline's row order
    expected = [records_type("case_closure", a, VOCAB) for a in ctx.timeline["action"]]
    assert list(read) == expected and 0 < sum(expected) < len(expected)
