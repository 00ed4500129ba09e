"""Second adversarial QA of how chronology text is read (`review.vocab.denies`, `detect_escalations`), with
sentences as practitioners write them. Each case below failed before:

1. A meeting, enquiry or medical that did not happen read as held (hides a missed escalation):
   "strategy discussion didnt take place", "never took place", "ICPC stood down", "Strategy discussion
   rearranged for 14/3", "cp medical rebooked", "ICPC re-scheduled for 20/3", "ICPC not quorate - to be
   reconvened", "S47 not initiated", "S47 enquiry to be initiated", "Assessment due to commence", and a row
   recording only a request ("Strategy discussion requested by HV", "request for icpc made").
2. A conference held late read as not held (a false flag): "ICPC not held within 15 working days".
3. A row awaiting a held meeting's record read as the meeting not held (a false flag): "awaiting ICPC
   minutes", "awaiting strat disc outcome" (vocab.yml plan_objects); "Awaiting ICPC" still is not held.
4. A referral written as it should have been, misspelt ("referral to mash should of been made"), or still to
   be made ("Referral to social care to be made") read as a referral made; an abbreviated one made ("ref to
   MASH") read as none.
5. A negation carried across a comma to a finding in a new clause hid a real injury ("mum denies any injury,
   bruising noted to chest", "Denied NAI, bruise to cheek", "no NAI, fracture confirmed on xray", "no
   injuries, burn to hand"): an item after a comma continues a list only when nothing but a comma, "and" /
   "or", an observation word ending the clause ("No bruises, scratches noted.") or the clause's end follows it.
"""
from __future__ import annotations

import pytest

from review.config import package_data
from review.vocab import compile_vocab, denies, detect_escalations, tag_concerns

VOCAB = compile_vocab(package_data("vocab.yml"))

NOT_HELD = [
    ("strategy_discussion", "strategy discussion didnt take place"),
    ("strategy_discussion", "strategy disc didn't go ahead"),
    ("strategy_discussion", "strategy discussion never took place"),
    ("cp_conference", "icpc never took place"),
    ("strategy_discussion", "Strategy discussion stood down"),
    ("cp_conference", "ICPC stood down as parents moved out of area"),
    ("strategy_discussion", "Strategy discussion rearranged for 14/3"),
    ("cp_conference", "ICPC re-scheduled for 20/3"),
    ("cp_medical", "cp medical rebooked"),
    ("cp_conference", "ICPC not quorate - to be reconvened"),
    ("cp_conference", "ICPC to be reconvened"),
    ("s47_enquiry", "S47 not initiated, threshold not met"),
    ("s47_enquiry", "S47 enquiry to be initiated"),
    ("assessment", "Assessment due to commence"),
    ("strategy_discussion", "Strategy discussion requested by HV"),
    ("strategy_discussion", "HV requested strategy discussion, TM declined"),
    ("cp_conference", "request for icpc made"),
    ("cp_conference", "ICPC request sent to conference service"),
    ("referral_decision", "MASH decision requested"),
    ("strategy_discussion", "Awaiting strategy discussion"),
    ("cp_conference", "awaiting ICPC, outcome to follow"),
    ("cp_conference", "to arrange ICPC"),
]

HELD = [
    ("cp_conference", "ICPC not held within 15 working days of strat disc"),
    ("cp_conference", "RCPC held, CP plan stood down"),
    ("cp_conference", "RCPC: CP plan stood down, step down to CIN"),
    ("cp_conference", "RCPC - child stood down from CP plan"),
    ("cp_conference", "ICPC held, info requested from GP"),
    ("cp_conference", "ICPC held; RCPC requested in 3 months"),
    ("cp_conference", "ICPC held, next RCPC to be rescheduled around school holidays"),
    ("cp_conference", "ICPC rearranged, held on 20/3"),
    ("cp_conference", "ICPC rescheduled to 20/3, went ahead"),
    ("cp_conference", "ICPC not quorate, went ahead"),
    ("strategy_discussion", "Strategy discussion requested by police, held same day"),
    ("strategy_discussion", "strategy discussion held at request of police"),
    ("strategy_discussion", "Strategy discussion held as requested by HV"),
    ("strategy_discussion", "strategy discussion held, police requested joint visit"),
    ("cp_medical", "CP medical completed, skeletal survey requested"),
    ("s47_enquiry", "S47 commenced"),
    ("s47_enquiry", "S47 initiated, police to be commenced tomorrow"),
    ("cp_conference", "awaiting ICPC minutes"),
    ("strategy_discussion", "awaiting strat disc outcome"),
    ("strategy_discussion", "awaiting strategy discussion notes from police"),
    ("assessment", "awaiting assessment outcome"),
]


@pytest.mark.parametrize(("name", "text"), NOT_HELD)
def test_not_held(name, text):
    assert denies(name, text, VOCAB)
    assert name not in detect_escalations(name, text, VOCAB) or name not in (
        "cp_conference", "strategy_discussion", "s47_enquiry")


@pytest.mark.parametrize(("name", "text"), HELD)
def test_held(name, text):
    assert not denies(name, text, VOCAB)


@pytest.mark.parametrize("text", ["ICPC stood down", "strategy discussion never took place",
                                  "Strategy discussion rearranged for 14/3"])
def test_type_escalation_follows_denies(text):
    name = "cp_conference" if "ICPC" in text else "strategy_discussion"
    assert detect_escalations(name, text, VOCAB) == []


@pytest.mark.parametrize("text", [
    "referral to mash should of been made",
    "A referral to social care should of been made at this point",
    "Referral to social care to be made",
    "MASH referral to be sent by HV",
])
def test_referral_not_made(text):
    assert "referral_to_csc" not in detect_escalations("clinic_appointment", text, VOCAB)


@pytest.mark.parametrize("text", [
    "head injury - fall from bed. ref to MASH",
    "ref made to MASH by ED nurse",
    "referred to mash should of been sooner",
    "GP referred to MASH, should of been done at previous appt",
])
def test_referral_made(text):
    assert "referral_to_csc" in detect_escalations("ae_attendance", text, VOCAB)


@pytest.mark.parametrize(("text", "tag"), [
    ("mum denies any injury, bruising noted to chest", "bruising"),
    ("Denied NAI, bruise to cheek", "bruising"),
    ("no NAI, fracture confirmed on xray", "fracture"),
    ("no injuries, burn to hand", "burn"),
    ("no hx of injury, swelling to L arm", "other_injury"),
    ("no bruises, scratches noted on back", "other_injury"),
])
def test_finding_after_a_negated_list_item(text, tag):
    assert tag in tag_concerns(text, VOCAB)


@pytest.mark.parametrize("text", [
    "no bruising, scratches or cuts",
    "no bruising, burns or marks seen",
    "nil bruising, burns",
    "No bruises, burns, fractures.",
    "No bruises, scratches noted.",
    "no bruising, scratches seen",
    "No bruising, burns, scalds",
    "no bruising, swelling or injury to face",
])
def test_negated_list_still_negated(text):
    assert tag_concerns(text, VOCAB) == []


def test_escalation_after_a_negated_one():
    assert detect_escalations("home_visit", "No referral to social care, CP medical arranged", VOCAB) == ["cp_medical"]
    assert detect_escalations("home_visit", "not referred to MASH, CP medical or police", VOCAB) == []
