"""Nineteenth session (QA6 defect 8): self-harm readings.

* a child's suicidal ideation in her words ("Leah said she wants to die") is self_harm; an adult's is the adult's;
* a bare "argument" is domestic abuse only when its clause gives it to an adult (vocab.yml adults_only_keywords):
  "took 12 paracetamol tablets after argument at home" is the child's overdose, no domestic abuse; "Verbal
  argument between mother and partner", "Neighbour reported a loud argument", "Mother said she and her partner had
  an argument" still are;
* an emergency department's own "Discharged home before CAMHS liaison review" records the assessment NOT done:
  no mental health response (NICE NG225), so the rule's mental_health variant fires; "Seen by CAMHS liaison
  before discharge" still answers."""
import pytest

from review.config import load_vocab
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import tag_concerns

from _baseline import baseline_flags

VOCAB = load_vocab()
RULE = "self_harm_not_referred"
RULES = load_rules()
RULES["rules"][RULE]["params"]["min_age_years"] = None  # the baseline's case C1 is born in 2023
ED = {"agency": "Westshire General Hospital ED", "agency_kind": "health", "contact_type": "ae_attendance"}


@pytest.mark.parametrize("text, present, absent", [
    ("Leah said she wants to die and that nobody believed me last time.", {"self_harm"}, set()),
    ("Said she wished she was dead.", {"self_harm"}, set()),
    ("Disclosed suicidal thoughts.", {"self_harm"}, set()),
    ("Mum says she wants to die.", {"parental_mental_health"}, {"self_harm"}),
    ("12 yo female, took 12 paracetamol tablets after argument at home. Accompanied by mother's partner.",
     {"self_harm"}, {"domestic_abuse"}),
    ("Leah upset after an argument.", set(), {"domestic_abuse"}),
    ("Verbal argument between mother and partner.", {"domestic_abuse"}, set()),
    ("Neighbour reported a loud argument.", {"domestic_abuse"}, set()),
    ("Mother said she and her partner Dean had an argument after he had been drinking.", {"domestic_abuse"}, set()),
    ("Mum had an argument with her boyfriend, police called.", {"domestic_abuse"}, set()),
])
def test_suicidal_ideation_and_arguments(text, present, absent):
    tags = set(tag_concerns(text, VOCAB))
    assert present <= tags and not (absent & tags)


def _flags(action):
    rows = [{"date": "2023-03-01", **ED, "concerns": "self_harm", "description": "Overdose of 12 paracetamol.",
             "action": action}]
    flags = detect(make_timeline(rows, dob="2023-01-01"), None, RULES, only=[RULE])
    base = sorted(f["trigger_event_id"] for f in baseline_flags(rows, RULES) if f["rule_id"] == RULE)
    assert base == sorted(flags["trigger_event_id"])
    return flags


@pytest.mark.parametrize("action", [
    "Medically fit. Discharged home before CAMHS liaison review. Letter to GP.",
    "Left before being seen by CAMHS.",
    "Discharged without psychosocial assessment.",
    "Self-discharged prior to CAMHS review.",
])
def test_a_record_that_the_assessment_did_not_happen_is_no_response(action):
    flags = _flags(action)
    assert len(flags) == 1  # the mental health variant (a single episode: no repeated variant)
    assert "no referral to CAMHS nor a psychosocial" in flags["explanation"].iloc[0]


@pytest.mark.parametrize("action", [
    "Seen by CAMHS liaison before discharge. Safety plan.",
    "Psychosocial assessment by CAMHS liaison. Discharged home.",
])
def test_an_assessment_before_discharge_answers(action):
    assert _flags(action).empty
