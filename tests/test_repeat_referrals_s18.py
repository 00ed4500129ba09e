"""Eighteenth session (QA3 defect 5, rule gap): rule `repeat_referrals_closed`, repeated referrals about a child
to children's social care each closed (no further action) without a strategy discussion, a section 47 enquiry
or the child seen alone (Working Together 2023; the national review of Arthur Labinjo-Hughes and Star Hobson,
2022), read the same by the package and the row-by-row baseline (benchmarks/baseline_rowwise.py)."""
import pandas as pd

from review.rules import RULE_IDS, detect, load_rules, merge_rules
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULES = load_rules()
RULE = "repeat_referrals_closed"
CSC = {"agency": "Westbridge Children's Social Care", "agency_kind": "social care"}


def referral(date, text="Referral from maternal grandmother with photos of bruising to her cheek.", **extra):
    return {"date": date, "contact_type": "referral", "concerns": "bruising", "description": text, **CSC, **extra}


def closed_visit(date, action="No concerns. Mother's explanation plausible. Case closed - NFA.", **extra):
    return {"date": date, "contact_type": "home_visit", "description": "Announced home visit. Mother and partner present.",
            "action": action, "child_seen": True, **CSC, **extra}


def three_closed():
    return [referral("2023-09-12"), closed_visit("2023-09-16"),
            referral("2023-10-28", "Referral from maternal aunt with photographs of bruises to both upper arms."),
            closed_visit("2023-11-04", "No concerns identified. Closed - no further action."),
            referral("2024-01-15", "Third referral from maternal grandmother: photos of a black eye."),
            closed_visit("2024-01-17", "Mother's explanation plausible. No concerns. Case closed.")]


def _flags(rows, rules=RULES):
    flags = detect(make_timeline(rows), None, rules, only=[RULE])
    return flags


def _pairs(rows, rules=RULES):
    flags = _flags(rows, rules)
    return sorted(zip(flags["trigger_event_id"], flags["actual_action_event_id"].fillna(""))) if len(flags) else []


def _baseline(rows, rules=None):
    return sorted((f["trigger_event_id"], f["actual_action_event_id"] or "")
                  for f in baseline_flags(rows, rules) if f["rule_id"] == RULE)


def test_the_rule_is_registered_with_its_source():
    assert RULE in RULE_IDS
    spec = RULES["rules"][RULE]
    assert "Working Together" in spec["source"] and "Star Hobson" in spec["source"]
    assert spec["params"]["min_referrals"] == 3 and spec["params"]["window_days"] == 365


def test_the_third_referral_closed_without_a_strategy_discussion_is_flagged():
    rows = three_closed()
    flags = _flags(rows)
    assert flags["trigger_event_id"].tolist() == ["C1-e005"]
    flag = flags.iloc[0]
    assert flag.severity == "high"  # a child of 12 months
    assert flag.expected_by == pd.Timestamp("2024-01-17")  # the closure
    assert set(flag.evidence_event_ids.split("; ")) == {f"C1-e00{i}" for i in range(1, 7)}
    assert ("Westbridge Children's Social Care closed the referral of 15 Jan 2024 on 17 Jan 2024 (child aged 379 days) "
            "with no strategy discussion, section 47 enquiry or the child seen alone: 3 referrals about the child "
            "within 365 days were each so closed (12 Sep 2023, 28 Oct 2023, 15 Jan 2024; 3 from family or the public)"
            "; none is recorded.") == flag.explanation
    assert _pairs(rows) == _baseline(rows) == [("C1-e005", "")]


def test_two_closed_referrals_are_not_enough():
    rows = three_closed()[:4]
    assert _pairs(rows) == _baseline(rows) == []


def test_a_strategy_discussion_before_a_closure_takes_that_referral_out():
    rows = three_closed()
    rows.insert(3, {"date": "2023-10-30", "contact_type": "strategy_discussion", "escalation": "strategy_discussion",
                    "description": "Strategy discussion held with police and health.", **CSC})
    assert _pairs(rows) == _baseline(rows) == []


def test_the_child_seen_alone_before_a_closure_takes_that_referral_out():
    rows = three_closed()
    rows[3] = closed_visit("2023-11-04", "Closed - no further action.", child_seen_alone=True)
    assert _pairs(rows) == _baseline(rows) == []
    rows[3] = closed_visit("2023-11-04", "Amara spoken to alone in her room. Closed - no further action.")
    assert _pairs(rows) == _baseline(rows) == []


def test_not_seen_alone_in_words_is_no_sighting_alone():
    rows = three_closed()
    rows[3] = closed_visit("2023-11-04", "Amara not seen alone. Closed - no further action.")
    assert _pairs(rows) == _baseline(rows) == [("C1-e005", "")]


def test_a_referral_left_open_is_not_counted():
    rows = three_closed()
    rows[3] = closed_visit("2023-12-20")  # 53 days after the referral: not closed within 30 days
    assert _pairs(rows) == _baseline(rows) == []


def test_a_closure_after_the_next_referral_does_not_close_the_earlier():
    rows = three_closed()
    del rows[1]  # the first referral's closure gone: the next closure follows the second referral
    assert _pairs(rows) == _baseline(rows) == []


def test_the_closure_in_the_referrals_own_action_and_a_later_strategy_discussion():
    rows = three_closed() + [
        referral("2024-02-25", "Fourth referral, from maternal aunt: burn to hand; photos sent.",
                 action="Concerns previously assessed; mother's explanation plausible. NFA."),
        {"date": "2024-05-21", "contact_type": "strategy_discussion", "escalation": "strategy_discussion",
         "description": "Strategy discussion held; section 47 enquiry.", **CSC}]
    flags = _flags(rows)
    # (s20) one flag per unanswered pattern: the fourth closed referral continues the third's (no strategy
    # discussion between them), listed in its flag, not a flag of its own (tests/test_repeat_referrals_s20.py)
    assert flags["trigger_event_id"].tolist() == ["C1-e005"]
    assert flags["actual_action_event_id"].tolist() == ["C1-e008"]
    assert flags["delay_days"].tolist() == [125]  # from the closure that completed the pattern (17 Jan) to 21 May
    assert "4 referrals about the child, each within 365 days of one before it," in flags["explanation"].iloc[0]
    assert _pairs(rows) == _baseline(rows) == [("C1-e005", "C1-e008")]


def test_referrals_more_than_a_year_apart_are_not_a_pattern():
    rows = three_closed()
    rows[4] = referral("2024-10-01", "Referral from grandmother re bruising.")
    rows[5] = closed_visit("2024-10-03")
    assert _pairs(rows) == _baseline(rows) == []


def test_an_older_child_is_medium_and_the_count_is_configurable():
    rows = [{**r, "date": str(pd.Timestamp(r["date"]) + pd.DateOffset(years=2))[:10]} for r in three_closed()]
    flags = _flags(rows)
    assert flags["severity"].tolist() == ["medium"]  # aged 3: not under 2
    rules = merge_rules(RULES, {"rules": {RULE: {"min_referrals": 2}}}, "test")
    # (s20) the third continues the second's pattern: one flag
    assert _pairs(rows, rules) == _baseline(rows, rules) == [("C1-e003", "")]


def test_another_agencys_no_further_action_is_no_closure():
    rows = three_closed()
    rows[5] = closed_visit("2024-01-17", "Police: no further action on the criminal investigation.")
    assert _pairs(rows) == _baseline(rows) == []
