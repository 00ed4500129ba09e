"""Twentieth session (QA7, Leah item 2): rule `enquiry_incomplete`. A strategy discussion recorded with health
absent or not invited, or listing its attendees without health (variant no_health_at_strategy, medium); social
care's closure of an enquiry about sexual abuse with no CP medical or ABE interview recorded by any agency
(closed_without_medical_or_abe, high), saying so when the closure rests on the child's retraction (Working
Together 2023 ch. 2; Achieving Best Evidence 2022; RCPCH / CSA Centre). Read the same by the package and the
row-by-row baseline. The child of these rows was born on 1 January 2023."""
import pandas as pd

from review.rules import RULE_IDS, detect, load_rules, merge_rules
from review.rules.enquiry_incomplete import health_missing_from_list
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULES = load_rules()
RULE = "enquiry_incomplete"
SCHOOL = {"agency": "Ashbrook Primary School", "agency_kind": "education", "contact_type": "other"}
CSC = {"agency": "Westmere Children's Social Care", "agency_kind": "social care"}
POLICE = {"agency": "Westmere Police", "agency_kind": "police"}
HOSPITAL = {"agency": "Westmere General Hospital", "agency_kind": "health"}

# Leah's enquiry (QA7): disclosure, referral, strategy discussion without health, retraction, closure
DISCLOSURE = dict(SCHOOL, date="2033-02-24", concerns="sexual_abuse", escalation="referral_to_csc",
                  description="Leah told Miss Patel: mother's partner comes in my room at night and does things to me.",
                  action="DSL phoned the MASH; referral to children's social care made.")
STRATEGY = dict(CSC, date="2033-02-25", contact_type="strategy_discussion", escalation="s47_enquiry; strategy_discussion",
                description="Strategy discussion by phone with police. Health not invited. Agreed joint s47 enquiry; "
                            "ABE interview to be arranged; CP medical to be considered.",
                action="Section 47 enquiry started.")
POLICE_STRATEGY = dict(POLICE, date="2033-02-25", contact_type="strategy_discussion", escalation="strategy_discussion",
                       description="Strategy discussion with CSC re disclosure. PNC: partner is a registered sex offender.",
                       action="Joint s47 agreed. ABE interview to be arranged.")
NOT_PROGRESSED = dict(CSC, date="2033-03-02", contact_type="other",
                      description="ABE interview not progressed as Leah has retracted. No CP medical as no physical "
                                  "signs reported. Police checks awaited.", action="s47 to conclude.")
CLOSURE = dict(CSC, date="2033-03-10", contact_type="case_closure",
               description="Section 47 outcome: concerns not substantiated. Leah retracted, mother protective. "
                           "No further action. Case closed.", action="Closed - NFA")
LEAH = [DISCLOSURE, STRATEGY, POLICE_STRATEGY, NOT_PROGRESSED, CLOSURE]


def _flags(rows, rules=RULES):
    return detect(make_timeline(rows), None, rules, only=[RULE])


def _triggers(rows, rules=RULES):
    flags = _flags(rows, rules)
    return sorted(zip(flags["trigger_event_id"], flags["explanation"].str.slice(0, 20))) if len(flags) else []


def _package(rows, rules=RULES):
    flags = _flags(rows, rules)
    return sorted(zip(flags["flag_id"], flags["trigger_event_id"])) if len(flags) else []


def _baseline(rows, rules=None):
    return sorted((f["flag_id"], f["trigger_event_id"]) for f in baseline_flags(rows, rules) if f["rule_id"] == RULE)


def test_the_rule_is_registered_with_its_guidance():
    assert RULE in RULE_IDS
    spec = RULES["rules"][RULE]
    assert "Working Together" in spec["source"] and "Achieving Best Evidence" in spec["source"]
    assert "RCPCH" in spec["source"] and "retraction" in spec["source"]
    assert spec["params"]["abe_and_medical_tags"] == ["sexual_abuse"]


def test_leahs_enquiry_gets_a_strategy_flag_and_a_closure_flag():
    flags = _flags(LEAH)
    assert list(flags["trigger_event_id"]) == ["C1-e002", "C1-e005"]
    assert _package(LEAH) == _baseline(LEAH)
    strategy, closure = flags.iloc[0], flags.iloc[1]
    assert strategy.severity == "medium" and strategy.trigger_date == pd.Timestamp("2033-02-25")
    assert "records health as absent or not invited" in strategy.explanation
    assert "health" in strategy.expected_action and "referring agency" in strategy.expected_action
    assert closure.severity == "high" and closure.trigger_date == pd.Timestamp("2033-03-10")
    assert closure.explanation.startswith("Westmere Children's Social Care closed on 10 Mar 2033 the enquiry about "
                                          "sexual abuse begun on 25 Feb 2033")
    # the plans ("to be arranged", "to be considered") and the denials ("not progressed", "No CP medical") did nothing
    assert "no child protection medical and no Achieving Best Evidence" in closure.explanation
    assert "a retraction is not on its own a reason to end an enquiry" in closure.explanation
    # social care's "Police checks awaited" of 2 Mar is named as outstanding (evidence too)
    assert "Recorded as still awaited or to follow before the closure: 2 Mar 2033 (Westmere Children's Social " \
           "Care)." in closure.explanation
    assert set(closure.evidence_event_ids.split("; ")) == {"C1-e001", "C1-e002", "C1-e004", "C1-e005"}
    assert "Achieving Best Evidence" in closure.expected_action and "medical" in closure.expected_action
    assert set(closure.agencies.split("; ")) == {"Ashbrook Primary School", "Westmere Children's Social Care"}


def test_a_medical_and_an_abe_interview_by_any_agency_end_the_closure_flag():
    medical = dict(HOSPITAL, date="2033-02-27", contact_type="cp_medical", escalation="cp_medical",
                   description="Child protection medical at the SARC.", action="Findings to CSC.")
    abe = dict(POLICE, date="2033-02-28", contact_type="other", description="ABE interview completed.",
               action="Crime investigation continues.")
    both = [DISCLOSURE, STRATEGY, medical, abe, CLOSURE]
    assert [t for t, _ in _triggers(both)] == ["C1-e002"]  # the strategy discussion still had no health
    assert _package(both) == _baseline(both)
    only_medical = [DISCLOSURE, STRATEGY, medical, CLOSURE]
    flag = _flags(only_medical).iloc[-1]
    assert flag.trigger_event_id == "C1-e004"
    assert "with no Achieving Best Evidence" in flag.explanation and "child protection medical and" not in flag.explanation
    assert _package(only_medical) == _baseline(only_medical)
    only_abe = [DISCLOSURE, STRATEGY, abe, CLOSURE]
    assert "with no child protection medical recorded" in _flags(only_abe).iloc[-1].explanation
    assert _package(only_abe) == _baseline(only_abe)


def test_no_flag_without_sexual_abuse_or_closure_or_within_the_window():
    other = dict(DISCLOSURE, concerns="neglect", description="Leah hungry, unkempt.")
    quiet = dict(STRATEGY, description="Strategy discussion held with police, GP and school nurse. Agreed s47.")
    assert _triggers([other, quiet, CLOSURE]) == [] == _baseline([other, quiet, CLOSURE])
    assert _triggers([DISCLOSURE, quiet, NOT_PROGRESSED]) == []  # still open: no closure
    late = dict(CLOSURE, date="2033-06-30")  # more than 90 days after the enquiry began
    assert _triggers([DISCLOSURE, quiet, late]) == [] == _baseline([DISCLOSURE, quiet, late])
    # a closure by another agency (the police's NFA) is not social care's closure of the enquiry
    police_nfa = dict(POLICE, date="2033-03-04", contact_type="home_visit", description="Victim retracted.",
                      action="Filed - evidential difficulties. NFA.")
    assert _triggers([DISCLOSURE, quiet, police_nfa]) == []


def test_an_enquiry_ends_at_its_first_closure():
    again = dict(CLOSURE, date="2033-03-20", description="Case closed again after a contact from mother.",
                 action="NFA")
    quiet = dict(STRATEGY, description="Strategy discussion held with police and the paediatrician.")
    rows = [DISCLOSURE, quiet, CLOSURE, again]
    assert [t for t, _ in _triggers(rows)] == ["C1-e003"]
    assert _package(rows) == _baseline(rows)


def test_health_at_the_strategy_discussion_by_its_words_its_list_or_its_own_record():
    said = dict(STRATEGY, description="Strategy discussion held with police, the GP and the school nurse.")
    assert all(not t.startswith("The strategy") for _, t in _triggers([said]))
    listed = dict(STRATEGY, description="Strategy discussion. Attendees: social worker, team manager, DS Khan.")
    assert [t for t, _ in _triggers([listed])] == ["C1-e001"]
    assert "lists its attendees with no health professional" in _flags([listed]).iloc[0].explanation
    assert _package([listed]) == _baseline([listed])
    with_health = dict(listed, description="Strategy discussion. Attendees: social worker, DS Khan, named nurse.")
    assert _triggers([with_health]) == []
    # a health agency's own record of the day's meeting: it was there, whatever social care wrote
    health_record = dict(HOSPITAL, date="2033-02-25", contact_type="strategy_discussion",
                         description="Attended strategy discussion re Leah.", action="Medical offered.")
    assert _triggers([STRATEGY, health_record]) == [] == _baseline([STRATEGY, health_record])
    # a meeting not held is no strategy discussion, whatever it says of health
    cancelled = dict(STRATEGY, description="Strategy discussion cancelled. Health not invited.", escalation="")
    assert _triggers([cancelled]) == []


def test_the_attendee_list_reading():
    cues, words = RULES["rules"][RULE]["params"]["attendee_list_cues"], RULES["rules"][RULE]["params"]["health_attendee_words"]
    assert health_missing_from_list("Attendees: SW, DS Khan (police), DSL.", cues, words)
    assert not health_missing_from_list("Attendees: SW, DS Khan, Dr Patel (paediatrician).", cues, words)
    assert not health_missing_from_list("Strategy discussion with police.", cues, words)  # no list
    assert not health_missing_from_list("Attended by: . Agreed s47.", cues, words)  # a cue with nothing after it
    assert not health_missing_from_list("Attended by SW and the health visitor.", cues, words)


def test_an_injury_expects_the_medical_alone_and_the_tags_are_configurable():
    injury = dict(SCHOOL, date="2033-02-24", concerns="non_accidental", description="Bruises to the face, hand-shaped.",
                  escalation="referral_to_csc", action="Referral to MASH made.")
    quiet = dict(STRATEGY, description="Strategy discussion held with police and the paediatrician.")
    rows = [injury, quiet, CLOSURE]
    flags = _flags(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e003"]
    assert "about a physical injury" in flags.iloc[0].explanation and "Achieving" not in flags.iloc[0].explanation
    assert "Achieving" not in flags.iloc[0].expected_action
    assert _package(rows) == _baseline(rows)
    off = merge_rules(RULES, {"rules": {RULE: {"medical_only_tags": []}}}, "rules.yml")
    assert _triggers(rows, off) == [] == _baseline(rows, off)
