"""Follow-ups of s17's age-bound concern and added findings: a young person's sexual activity counts for agency
knowledge and information_not_shared only at the ages closure_with_open_concerns counts it (`counted_concerns`),
and an added finding the rules now raise themselves is listed with the decision problems."""
from __future__ import annotations

import copy

import pytest

from _baseline import baseline_flags
from review.rules import detect, load_rules
from review.rules.knowledge import agency_knowledge
from review.rules.testing import make_timeline

# the test case's child is born 1 January 2023: 17 in 2040, 14 in 2037


def _rules_sharing_sexual_activity() -> dict:
    """The package rules with sexual_activity among information_not_shared's concern_tags (a case's rules.yml
    may add it; the package's list does not hold it)."""
    rules = copy.deepcopy(load_rules())
    rules["rules"]["information_not_shared"]["params"]["concern_tags"].append("sexual_activity")
    return rules


def _clinic_then_closure(date, closed, description="Attended for contraception. Pill started."):
    from review.pipeline import load_vocab
    from review.vocab import tag_concerns

    concerns = "; ".join(sorted(tag_concerns(description, load_vocab())))
    assert "sexual_activity" in concerns
    return [
        {"date": date, "agency": "Westmoor Integrated Sexual Health Service", "agency_kind": "health",
         "contact_type": "clinic_appointment", "description": description, "action": "", "concerns": concerns,
         "escalation": ""},
        {"date": closed, "agency": "Westmoor Children's Social Care", "agency_kind": "social care",
         "contact_type": "case_closure", "description": "Case closed.", "action": "", "concerns": "",
         "escalation": ""},
    ]


@pytest.mark.parametrize("date, closed, shared", [
    ("2040-03-02", "2040-03-12", False),  # 17: a contraception visit is no concern social care had to know
    ("2039-03-02", "2039-03-12", False),  # 16
    ("2037-03-02", "2037-03-12", True),  # 14: it is
])
def test_information_not_shared_counts_sexual_activity_only_under_16(date, closed, shared):
    rules = _rules_sharing_sexual_activity()
    rows = _clinic_then_closure(date, closed)
    flags = detect(make_timeline(rows), None, rules, only=["information_not_shared"])
    got = sorted(flags["trigger_event_id"]) if not flags.empty else []
    assert got == (["C1-e001"] if shared else [])
    base = sorted(f["trigger_event_id"] for f in baseline_flags(rows, rules) if f["rule_id"] == "information_not_shared")
    assert base == got
    if shared:
        assert "sexual activity" in flags["explanation"].iloc[0]


@pytest.mark.parametrize("date, closed, anywhere", [
    ("2040-03-02", "2040-03-12", ""),
    ("2037-03-02", "2037-03-12", "sexual_activity"),
])
def test_agency_knowledge_counts_sexual_activity_only_under_16(date, closed, anywhere):
    knowledge = agency_knowledge(make_timeline(_clinic_then_closure(date, closed)), _rules_sharing_sexual_activity())
    assert knowledge["decision_event_id"].tolist() == ["C1-e002"]
    assert knowledge["concerns_known_anywhere"].tolist() == [anywhere]
    assert knowledge["missing_concerns"].tolist() == [anywhere]


def test_at_17_the_other_concerns_of_the_row_still_count_and_only_they_are_named():
    rules = _rules_sharing_sexual_activity()
    rows = _clinic_then_closure("2040-03-02", "2040-03-12",
                                "Attended for contraception. Disclosed self-harm, cutting her arms.")
    knowledge = agency_knowledge(make_timeline(rows), rules)
    assert knowledge["concerns_known_anywhere"].tolist() == ["self_harm"]
    flags = detect(make_timeline(rows), None, rules, only=["information_not_shared"])
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    assert "self harm" in flags["explanation"].iloc[0] and "sexual activity" not in flags["explanation"].iloc[0]
    base = [f["trigger_event_id"] for f in baseline_flags(rows, rules) if f["rule_id"] == "information_not_shared"]
    assert base == ["C1-e001"]


# --- an added finding the rules now raise ------------------------------------------------------------------

HEADER = "flag_id,decision,rationale,author,date,rule_id,trigger_event_id,evidence_event_ids\n"
ADDED = ("added:exploitation_not_referred:3e032f1917,added,14-year-old reports sex with a 19-year-old,Sam Okoro,"
         "2024-01-05,exploitation_not_referred,E-clinic,E-clinic\n")


def _flags():
    import pandas as pd

    return pd.DataFrame({"flag_id": ["exploitation_not_referred-2148bb25226f", "information_not_shared-aaaaaaaaaaaa"],
                         "rule_id": ["exploitation_not_referred", "information_not_shared"],
                         "trigger_event_id": ["E-clinic", "E-clinic"]})


def test_an_added_finding_the_rules_raise_is_a_decision_problem_and_kept(tmp_path):
    from review.decisions import load_decisions

    (tmp_path / "decisions.csv").write_text(HEADER + ADDED, encoding="utf-8")
    decisions, problems = load_decisions(tmp_path, _flags(), as_of="2024-02-01")
    assert decisions["flag_id"].tolist() == ["added:exploitation_not_referred:3e032f1917"]  # nothing deleted
    assert bool(decisions["current"].iloc[0])
    assert problems["row"].tolist() == [2]
    problem = problems["problem"].iloc[0]
    assert "an added finding the rules now raise as flag exploitation_not_referred-2148bb25226f" in problem
    assert "consider rejecting the added one" in problem and "information_not_shared" not in problem


def test_no_problem_for_another_rule_or_contact_or_once_the_added_one_is_rejected(tmp_path):
    from review.decisions import load_decisions

    other = ADDED.replace(",exploitation_not_referred,E-clinic,E-clinic", ",self_harm_not_referred,E-clinic,E-clinic")
    elsewhere = ADDED.replace("E-clinic,E-clinic", "E-school,E-school")
    for text in (other, elsewhere):
        (tmp_path / "decisions.csv").write_text(HEADER + text, encoding="utf-8")
        assert load_decisions(tmp_path, _flags(), as_of="2024-02-01")[1].empty
    rejected = ("added:exploitation_not_referred:3e032f1917,rejected,The rules raise it now,Sam Okoro,2024-01-06,"
                "exploitation_not_referred,E-clinic,E-clinic\n")
    (tmp_path / "decisions.csv").write_text(HEADER + ADDED + rejected, encoding="utf-8")
    decisions, problems = load_decisions(tmp_path, _flags(), as_of="2024-02-01")
    assert len(decisions) == 2 and problems.empty


# --- one source for the ages: settings.age_bound_*, which exploitation_not_referred reads -------------------

def _sexual_activity_at_17():
    return [{"date": "2040-03-02", "agency": "Westmoor Integrated Sexual Health Service", "agency_kind": "health",
             "contact_type": "clinic_appointment", "description": "Unprotected sex with boyfriend aged 22.",
             "action": "", "concerns": "sexual_activity", "escalation": ""}]


def test_the_package_default_of_the_rules_ages_is_the_settings():
    rules = load_rules()
    params = rules["rules"]["exploitation_not_referred"]["params"]
    assert params["sexual_activity_min_age_years"] is None and params["sexual_activity_below_age_years"] is None
    from review.rules.settings import param_or_setting

    assert param_or_setting(params, rules["settings"], "sexual_activity_below_age_years") == 16
    assert param_or_setting(params, rules["settings"], "sexual_activity_min_age_years") == 10


def test_a_case_moving_the_setting_moves_exploitation_not_referred_too(tmp_path):
    from review.rules.settings import merge_rules

    rows = _sexual_activity_at_17()
    assert detect(make_timeline(rows), None, load_rules(), only=["exploitation_not_referred"]).empty
    rules = merge_rules(load_rules(), {"settings": {"age_bound_below_years": 18}}, tmp_path / "rules.yml")
    flags = detect(make_timeline(rows), None, rules, only=["exploitation_not_referred"])
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    assert "sexual activity of a child aged 17 with a partner aged 22" in flags["explanation"].iloc[0]
    base = [f["trigger_event_id"] for f in baseline_flags(rows, rules) if f["rule_id"] == "exploitation_not_referred"]
    assert base == ["C1-e001"]


def test_the_rules_own_age_applies_to_it_alone_and_is_checked(tmp_path):
    from review.errors import ConfigError
    from review.rules.settings import merge_rules

    rules = merge_rules(load_rules(), {"rules": {"exploitation_not_referred": {"sexual_activity_below_age_years": 18}}},
                        tmp_path / "rules.yml")
    assert rules["settings"]["age_bound_below_years"] == 16
    rows = _sexual_activity_at_17()
    assert len(detect(make_timeline(rows), None, rules, only=["exploitation_not_referred"])) == 1
    assert [f["rule_id"] for f in baseline_flags(rows, rules)].count("exploitation_not_referred") == 1
    with pytest.raises(ConfigError, match="sexual_activity_below_age_years must be a number"):
        merge_rules(load_rules(), {"rules": {"exploitation_not_referred": {"sexual_activity_below_age_years": "x"}}},
                    tmp_path / "rules.yml")
