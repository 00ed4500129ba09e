"""Fifteenth session: whose self-harm, missing episode or relationship abuse it is comes from the words, as whose
injury (`Vocabulary._adults_concern`, vocab.yml adults_concerns / adults_only_keywords, case.yml people); a
teenager's relationship abuse is read by age (16-17: domestic_abuse_not_escalated; under 16:
exploitation_not_referred, variant relationship_abuse), and an argument with a boyfriend alone is no abuse."""
from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from review.config import load_case_config, package_data
from review.errors import ConfigError
from review.ingest import load_contacts
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import compile_vocab, tag_concerns

from _baseline import baseline_flags

VOCAB = package_data("vocab.yml")
RULES = load_rules()
POLICE = {"agency": "Police", "agency_kind": "police", "contact_type": "police_callout"}


def tags(text):
    return set(tag_concerns(text, VOCAB))


# --- 2. whose self-harm or missing episode -----------------------------------------------------------------
@pytest.mark.parametrize("text, present, absent", [
    ("Mum has history of self-harm.", {"parental_mental_health"}, {"self_harm"}),
    ("mother self-harmed", {"parental_mental_health"}, {"self_harm"}),
    ("Mum's history of self harm and depression.", {"parental_mental_health"}, {"self_harm"}),
    ("Dad self-harmed last night.", {"parental_mental_health"}, {"self_harm"}),
    ("father missing from home since Tuesday", set(), {"missing"}),
    # the child's
    ("Mum reports Chloe self-harmed.", {"self_harm"}, {"parental_mental_health"}),
    ("Mother worried about her self-harm.", {"self_harm"}, {"parental_mental_health"}),
    ("Overdose of paracetamol.", {"self_harm"}, set()),
    ("Mother reported missing from home overnight.", {"missing"}, set()),  # who is missing: unsure, the child
    ("Mum called police as he went missing.", {"missing"}, set()),
    ("Mum declined return home interview.", {"missing"}, set()),  # adults_concern_exceptions
    ("Mother has self harmed; child low mood and self harming.", {"parental_mental_health", "self_harm"}, set()),
])
def test_whose_self_harm_or_missing_episode(text, present, absent):
    found = tags(text)
    assert present <= found and not (absent & found), found


PEOPLE = "people:\n  Chloe Barnard: Child\n  Michelle Barnard: Mother\n"


def concerns(tmp_path, text, people=PEOPLE):
    (tmp_path / "case.yml").write_text(textwrap.dedent("""\
        case_id: T1
        child_name: Chloe Barnard
        date_of_birth: '2008-01-21'
        """) + people + "files:\n- path: police.csv\n  agency: Police\n", encoding="utf-8")
    (tmp_path / "police.csv").write_text('Date,Details\n10/06/2023,"' + text + '"\n', encoding="utf-8")
    contacts, _ = load_contacts(load_case_config(tmp_path))
    return set(filter(None, str(contacts["concerns"].iloc[0] or "").split("; ")))


def test_a_named_adult_of_case_yml_people(tmp_path):
    assert concerns(tmp_path, "Michelle self-harmed last week, cuts to arms.") >= {"parental_mental_health"}
    assert "self_harm" not in concerns(tmp_path, "Michelle self-harmed last week.")
    assert "missing" not in concerns(tmp_path, "Michelle missing from home since Friday.")
    # the child's name, and a name case.yml does not list, keep it the child's
    assert "self_harm" in concerns(tmp_path, "Chloe self-harmed last week.")
    assert "self_harm" in concerns(tmp_path, "Michelle self-harmed last week.", people="")


def test_adults_concerns_names_known_tags():
    with pytest.raises(ConfigError, match="adults_concerns"):
        compile_vocab({**VOCAB, "adults_concerns": {"self_harm": ["no_such_tag"]}})
    with pytest.raises(ConfigError, match="adults_only_keywords"):
        compile_vocab({**VOCAB, "adults_only_keywords": ["not a keyword at all"]})


# --- 3. teenage relationships ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, present, absent", [
    ("Argument with boyfriend.", set(), {"domestic_abuse", "relationship_abuse"}),
    ("Chloe had an argument with her boyfriend, upset.", set(), {"domestic_abuse", "relationship_abuse"}),
    ("Mum had argument with her boyfriend, police called.", {"domestic_abuse"}, {"relationship_abuse"}),
    ("Verbal argument between mother and partner.", {"domestic_abuse"}, set()),
    ("Chloe has a controlling boyfriend who checks her phone.", {"relationship_abuse"}, {"domestic_abuse"}),
    ("Pushed by her boyfriend at the bus stop.", {"relationship_abuse"}, {"domestic_abuse"}),
    ("Chloe (16) said boyfriend hit her.", {"relationship_abuse"}, {"domestic_abuse"}),
    ("She said her boyfriend hit her.", {"relationship_abuse"}, {"domestic_abuse"}),
    # an adult's is domestic abuse
    ("Mother said boyfriend hit her.", {"domestic_abuse"}, {"relationship_abuse"}),
    ("Mum's controlling boyfriend has moved in.", {"domestic_abuse"}, {"relationship_abuse"}),
    ("Mother pushed by her boyfriend.", {"domestic_abuse"}, {"relationship_abuse"}),
    ("Boyfriend is supportive.", set(), {"domestic_abuse", "relationship_abuse"}),
])
def test_relationship_abuse_and_arguments(text, present, absent):
    found = tags(text)
    assert present <= found and not (absent & found), found


ROWS = [{"date": "2023-03-01", **POLICE, "concerns": "relationship_abuse",
         "description": "Chloe assaulted by her boyfriend. DASH risk: HIGH.", "action": "Words of advice."}]


def rule_ids(flags):
    return sorted(flags["rule_id"])


def test_at_16_or_17_it_is_domestic_abuse_package_and_baseline():
    flags = detect(make_timeline(ROWS, dob="2007-01-01"), None, RULES)  # 16 years 2 months
    assert rule_ids(flags) == ["domestic_abuse_not_escalated"]
    assert flags.iloc[0].explanation.startswith(
        "Police recorded abuse in the young person's own relationship (teenage relationship abuse) on 1 Mar 2023")


def test_under_16_it_is_child_abuse_not_adult_domestic_abuse():
    flags = detect(make_timeline(ROWS, dob="2008-01-01"), None, RULES)  # 15 years 2 months
    assert rule_ids(flags) == ["exploitation_not_referred"]
    flag = flags.iloc[0]
    assert flag.severity == "high"
    assert flag.explanation.startswith("Police recorded abuse in the relationship of a child under 16 (child abuse, not "
                                       "adult domestic abuse) on 1 Mar 2023 and no referral to children's social care")
    # a referral to children's social care the next working day answers it
    answered = ROWS + [{"date": "2023-03-02", **POLICE, "contact_type": "referral", "concerns": "",
                        "description": "Referral to children's social care.", "escalation": "referral_to_csc"}]
    assert detect(make_timeline(answered, dob="2008-01-01"), None, RULES, only=["exploitation_not_referred"]).empty


def test_the_baseline_routes_it_by_age_alike():
    # the baseline's case C1 is born 1 Jan 2023: the rows are dated so that the child is 15 or 16
    for date, rule, variant in (("2038-12-31", "exploitation_not_referred", "relationship_abuse"),
                                ("2039-01-02", "domestic_abuse_not_escalated", "")):
        rows = [{**ROWS[0], "date": date}]
        package = detect(make_timeline(rows), None, RULES)
        base = [(f["rule_id"], f["variant"], f["flag_id"]) for f in baseline_flags(rows)]
        assert [(r, v) for r, v, _ in base] == [(rule, variant)]
        assert list(package["flag_id"]) == [base[0][2]]


def test_the_thresholds_are_configurable():
    rules = load_rules()
    rules["rules"]["domestic_abuse_not_escalated"]["params"]["relationship_abuse_min_age_years"] = 15
    rules["rules"]["exploitation_not_referred"]["params"]["relationship_abuse_below_age_years"] = 15
    flags = detect(make_timeline(ROWS, dob="2008-01-01"), None, rules)
    assert rule_ids(flags) == ["domestic_abuse_not_escalated"]
    assert isinstance(flags.iloc[0].trigger_date, pd.Timestamp)
