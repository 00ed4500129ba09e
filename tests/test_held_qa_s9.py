"""Adversarial QA of the s9 reading of rows as held and of findings (`review.vocab.denies`, `tag_concerns`,
`detect_escalations`), with chronology sentences as practitioners write them. Each case failed before:

1. An affirmation of another meeting took back a real cancellation: "ICPC cancelled, CIN meeting held
   instead", "Strategy discussion cancelled, supervision held with TM" were read as held. Now an affirmation
   counts only when nothing but a date, an adverb or the meeting's own words comes before it in its clause
   (`_AFFIRMING_LEAD`): "ICPC postponed, then held on Monday 3rd March at 10am" still is.
2. "held in abeyance", "held pending police enquiries" took back a postponement (`affirmation_exceptions`);
   "ICPC held in abeyance" / "held over to next week" were read as held (plan_post_cues).
3. A run-on "strategy discussion held ICPC booked" was the strategy discussion not held (the booking is the
   conference's): an affirmation straight after (or ending) the words keeps them held; "No ICPC held" is
   still not.
4. A decision taken after a deferral ("referral decision deferred, declined 5th": `name_affirmations`) was
   no decision; "MASH decision delayed" / "Screening decision overdue" were decisions (plan_next_cues).
5. A finding's answer about an earlier occasion hid a real injury: "bruise not seen at last visit but present
   today on left cheek" had no bruising (`finding_earlier_words`); "bruising not seen before, now present"
   was also child_not_seen.
6. A form's answer without its colon: "Bruising n/a" was bruising, "cp medical n/a" a CP medical.
7. Misspelt referrals ("referal to mash made", "reffered to MASH") named no escalation.
"""
from __future__ import annotations

import pytest

from review.config import package_data
from review.vocab import compile_vocab, denies, detect_escalations, tag_concerns

VOCAB = compile_vocab(package_data("vocab.yml"))

NOT_HELD = [
    ("cp_conference", "ICPC cancelled, CIN meeting held instead"),
    ("cp_conference", "ICPC postponed; professionals meeting held to review plan"),
    ("cp_conference", "icpc cancelled - discussion held with team manager"),
    ("strategy_discussion", "Strategy discussion cancelled, supervision held with TM"),
    ("cp_conference", "ICPC postponed, held in abeyance"),
    ("cp_conference", "ICPC postponed, held pending police enquiries"),
    ("cp_conference", "ICPC held in abeyance"),
    ("cp_conference", "ICPC held over to next week"),
    ("cp_conference", "No ICPC held"),
    ("strategy_discussion", "No strategy discussion held"),
    ("referral_decision", "MASH decision delayed"),
    ("referral_decision", "Screening decision overdue"),
    ("cp_medical", "CP medical n/a"),
]
HELD = [
    ("cp_conference", "ICPC postponed to 3rd, held on 3rd"),
    ("cp_conference", "ICPC postponed due to illness, held on 3rd"),
    ("cp_conference", "ICPC postponed to 3rd and held on 3rd"),
    ("cp_conference", "ICPC adjourned, reconvened on 12/03/2023"),
    ("cp_conference", "ICPC cancelled; meeting held 3rd"),
    ("cp_conference", "ICPC cancelled; ICPC held 3rd"),
    ("cp_conference", "ICPC rescheduled, went ahead 15th as planned"),
    ("cp_conference", "ICPC postponed, then held on Monday 3rd March at 10am"),
    ("strategy_discussion", "Strategy meeting postponed; took place the next day"),
    ("strategy_discussion", "strategy discussion held ICPC booked"),
    ("cp_conference", "ICPC held RCPC booked"),
    ("strategy_discussion", "Strategy discussion delayed, held 5th"),
    ("referral_decision", "referral decision deferred, declined 5th"),
]


@pytest.mark.parametrize("name, text", NOT_HELD)
def test_not_held(name, text):
    assert denies(name, text, VOCAB)


@pytest.mark.parametrize("name, text", HELD)
def test_held(name, text):
    assert not denies(name, text, VOCAB)


@pytest.mark.parametrize("text, expected", [
    ("bruise not seen at last visit but present today on left cheek", ["bruising"]),
    ("bruising not seen before, now present on arm", ["bruising"]),
    ("Bruising: none at previous visit, new bruise today", ["bruising"]),
    ("Bruising n/a", []),
    ("Marks nil", []),
    ("bruising not seen at this visit", []),
    ("Bruising not seen by GP", ["bruising", "child_not_seen"]),
    ("Child not seen, bruising n/a", ["child_not_seen"]),
])
def test_findings(text, expected):
    assert tag_concerns(text, VOCAB) == expected


@pytest.mark.parametrize("text, expected", [
    ("referal to mash made", ["referral_to_csc"]),
    ("reffered to MASH", ["referral_to_csc"]),
    ("refered to social care by HV", ["referral_to_csc"]),
    ("cp medical n/a", []),
    ("cp medical n/a, referred to MASH", ["referral_to_csc"]),
    ("CP medical n/a for parents", ["cp_medical"]),  # not ending its clause: not the answer
])
def test_escalations(text, expected):
    assert detect_escalations("other", text, VOCAB) == expected
