"""Leftovers of the s9 reading of a row as held (`review.vocab.denies`, `types_held`) and of escalation
keywords (`detect_escalations`):

1. A plan or a wait with a verb or "still" between: "Assessment is pending", "Assessment still pending",
   "Assessment remains outstanding" were read as the assessment (only "Assessment pending" was not).
2. "ICPC arranged" with nothing after "arranged" in its clause is a plan (`plan_last_cues`), as "ICPC arranged
   for 12/03" was: arranging a meeting is not holding it. "ICPC arranged and held same day" and "Strategy
   discussion arranged with police, S47 agreed" are still read as held.
3. "Assessment deferred, completed 5th" took place: "completed" affirms an assessment, a CP medical or an S47
   enquiry (`name_affirmations`), not a meeting ("ICPC postponed, report completed" is still not held).
4. "assessment not yet completed" was read as held ("not yet started" and "not yet held" were cues, not
   "not yet completed"); "Assessment pending sign off" / "awaiting manager sign off" were read as not held,
   though the work is done ("Assessment completed pending manager sign off" was already held).
5. Hindsight after the escalation's words: "A referral to MASH should have been made", "Referral to MASH
   should have been considered", "A CP medical ought to have been arranged" were escalations;
   `hindsight_next_cues` straight after the words deny them. After a clause mark or a comma they comment on
   an escalation made ("Referred to MASH, should have been sooner"), and a clause saying it came late
   (`hindsight_late_words`: "referred to mash should have been sooner") is one made, late.
6. Abbreviated and misspelt strategy discussions in a row of that type ("Strat disc cancelled",
   "stratergy meeting not held") were read as held: `denial_words`.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from review.config import package_data
from review.errors import ConfigError
from review.rules import base, detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import compile_vocab, denies, detect_escalation, detect_escalations

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
VOCAB = compile_vocab(package_data("vocab.yml"))
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}

NOT_HELD = [
    ("assessment", "Assessment is pending"),
    ("assessment", "Assessment still pending"),
    ("assessment", "assessment is still pending allocation"),
    ("assessment", "Assessment remains outstanding"),
    ("assessment", "Assessment is outstanding"),
    ("assessment", "Assessment pending allocation"),
    ("cp_conference", "ICPC arranged"),
    ("cp_conference", "ICPC arranged."),
    ("cp_conference", "ICPC has been arranged, mother informed"),
    ("cp_conference", "ICPC arranged for 12/03"),
    ("strategy_discussion", "Strategy discussion arranged"),
    ("cp_conference", "ICPC postponed, report completed"),
    ("cp_conference", "ICPC postponed, completed 5th"),
    ("assessment", "Assessment deferred, to be completed 5th"),
    ("assessment", "Assessment deferred, not yet completed"),
    ("assessment", "Assessment deferred; referral completed"),
    ("assessment", "assessment not yet completed"),
    ("cp_medical", "CP medical not yet done"),
    ("strategy_discussion", "Strategy discussion should have been held"),
    ("cp_medical", "CP medical should have been requested"),
    ("strategy_discussion", "Strat disc cancelled"),
    ("strategy_discussion", "stratergy meeting not held"),
]
HELD = [
    ("cp_conference", "ICPC arranged and held same day"),
    ("strategy_discussion", "Strategy discussion arranged with police, S47 agreed"),
    ("assessment", "Assessment deferred, completed 5th"),
    ("assessment", "Assessment deferred, completed on 5th"),
    ("assessment", "Assessment postponed, now completed"),
    ("cp_medical", "CP medical cancelled, completed next day"),
    ("s47_enquiry", "S47 enquiry postponed, concluded 5th"),
    ("assessment", "Assessment pending sign off"),
    ("assessment", "assessment pending manager sign off"),
    ("assessment", "Assessment awaiting manager sign off"),
    ("assessment", "Assessment completed pending manager sign off"),
    ("strategy_discussion", "Strategy discussion held, should have been sooner"),
    ("strategy_discussion", "Strategy discussion should have been held earlier, held 5th"),
    ("strategy_discussion", "Strat disc held with police"),
]


@pytest.mark.parametrize("name, text", NOT_HELD)
def test_not_held(name, text):
    assert denies(name, text, VOCAB)


@pytest.mark.parametrize("name, text", HELD)
def test_held(name, text):
    assert not denies(name, text, VOCAB)


@pytest.mark.parametrize("name, text", [(n, t) for n, t in HELD + NOT_HELD if n in ("strategy_discussion", "cp_conference",
                                                                                     "cp_medical", "s47_enquiry")])
def test_ingest_reads_a_row_s_own_type_alike(name, text):
    assert (name in detect_escalations(name, text, VOCAB)) == (not denies(name, text, VOCAB))


NO_ESCALATION = ["A referral to MASH should have been made", "Referral to MASH should have been considered",
                 "A CP medical ought to have been arranged", "CP medical would have been appropriate",
                 "a referral to social care should ideally have been made", "In hindsight a referral to MASH should have been made"]
ESCALATION = [
    ("Referred to MASH, should have been sooner", "referral_to_csc"),
    ("Referred to MASH; should have been sooner", "referral_to_csc"),
    ("Referred to MASH - should have been done", "referral_to_csc"),
    ("referral to mash made, should have been sooner", "referral_to_csc"),
    ("Referred to MASH but should have been sooner", "referral_to_csc"),
    ("referred to mash should have been sooner", "referral_to_csc"),
    ("Referral to MASH should have been made sooner", "referral_to_csc"),
    ("HV referred to social care. Mother should have been seen alone.", "referral_to_csc"),
    ("CP medical arranged", "cp_medical"),  # an escalation keyword is the request of the agency making it
]


@pytest.mark.parametrize("text", NO_ESCALATION)
def test_hindsight_after_the_words_names_no_escalation(text):
    assert detect_escalations("other", text, VOCAB) == []


@pytest.mark.parametrize("text, escalation", ESCALATION)
def test_a_comment_after_a_clause_mark_or_on_lateness_keeps_the_escalation(text, escalation):
    assert escalation in detect_escalations("other", text, VOCAB)


def test_the_hindsight_keeps_the_concerns():
    from review.vocab import tag_concerns

    assert tag_concerns("Bruise to arm; a referral to MASH should have been made", VOCAB) == ["bruising"]


def test_name_affirmations_are_checked():
    raw = package_data("vocab.yml")
    raw["name_affirmations"] = {"meeting_of_minds": ["completed"]}
    with pytest.raises(ConfigError, match="name_affirmations"):
        compile_vocab(raw)
    raw["name_affirmations"] = ["completed"]
    with pytest.raises(ConfigError, match="name_affirmations"):
        compile_vocab(raw)


def test_the_prefilter_keeps_the_new_cues():
    """`_may_deny` keeps every text these cues deny (`_negation_phrases` has the plan_last and hindsight cues)."""
    vocab = base._negating_vocab(())
    cues = base._negation_phrases(vocab)
    for name, text in NOT_HELD:
        pattern = base._denial_prefilter(vocab.denial_words(name), cues)
        assert base._may_deny(np.array([text, text + " . Follow-up booked."], dtype=object), pattern).all(), text


@pytest.mark.parametrize("seed", range(2))
def test_may_deny_fuzz_with_the_new_cues(seed, monkeypatch):
    import test_rules_qa_s8 as qa

    monkeypatch.setattr(qa, "CUES", qa.CUES + [
        "arranged", "has been arranged", "is pending", "still pending", "remains outstanding", "completed",
        "not yet completed", "should have been", "ought to have been", "sooner", "pending sign off",
        "awaiting manager sign off", "strat disc", "stratergy meeting", "held in abeyance", "held over", "overdue",
        "delayed", "n/a", "CIN meeting", "declined 5th"])
    vocab = base._negating_vocab(())
    cues = base._negation_phrases(vocab)
    texts = qa.random_texts(1500, seed + 80)
    texts = texts + [a + " . " + b for a, b in zip(texts[::2], texts[1::2])]
    array = np.array(texts, dtype=object)
    for name in qa.TYPES + ["cp_medical"]:
        maybe = base._may_deny(array, base._denial_prefilter(vocab.denial_words(name), cues))
        assert [t for t, m in zip(texts, maybe) if not m and denies(name, t, vocab)] == [], name


# --- whole rules, with the baseline -----------------------------------------------------------------------
def row(date, contact_type, text, **kw):
    return {"date": date, "contact_type": contact_type, "description": text,
            "escalation": detect_escalation(contact_type, text, VOCAB), **CSC, **kw}


def package_flags(rule_id, rows):
    flags = detect(make_timeline(rows), None, RULES, only=[rule_id])
    return sorted(zip(flags["flag_id"], flags["actual_action_event_id"].fillna("")))


def baseline_flags(rule_id, rows):
    timeline = make_timeline(rows)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    _, found = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2023, 1, 1)}}, RULES)
    return sorted((f["flag_id"], f["actual_action_event_id"] or "") for f in found if f["rule_id"] == rule_id)


def referral(date):
    return {"date": date, "contact_type": "referral", "agency": "GP", "agency_kind": "health",
            "description": "Referral to children's social care for assessment", "escalation": "referral_to_csc"}


@pytest.mark.parametrize("text, flagged", [("Assessment is still pending", True),
                                           ("Assessment deferred, completed 10th", False),
                                           ("Assessment pending sign off", False)])
def test_assessment_wait(text, flagged):
    rows = [referral("2023-09-04"), row("2023-09-10", "assessment", text),
            row("2023-11-30", "home_visit", "Home visit, child seen")]
    flags = package_flags("assessment_wait", rows)
    assert bool(flags) == flagged
    assert flags == baseline_flags("assessment_wait", rows)


def test_strategy_no_conference_an_icpc_only_arranged_is_no_conference():
    rows = [row("2023-09-01", "strategy_discussion", "Strategy discussion held"),
            row("2023-09-05", "cp_conference", "ICPC arranged")]
    assert rows[1]["escalation"] == ""
    flags = package_flags("strategy_no_conference", rows)
    assert len(flags) == 1 and flags[0][1] == ""
    assert flags == baseline_flags("strategy_no_conference", rows)


def test_injury_not_escalated_hindsight_is_no_escalation():
    """A bruise at 8 months; the social worker's row the next day says a referral should have been made: no
    escalation (it was taken for the referral). "Referred to MASH, should have been sooner" is one."""
    bruise = {"date": "2023-09-01", "contact_type": "home_visit", "description": "Bruise to left arm",
              "concerns": "bruising", "agency": "Health Visiting", "agency_kind": "health"}
    rows = [bruise, row("2023-09-02", "phone_call", "Discussed with HV, a referral to MASH should have been made")]
    assert rows[1]["escalation"] == ""
    assert len(package_flags("injury_not_escalated", rows)) == 1
    assert package_flags("injury_not_escalated", rows) == baseline_flags("injury_not_escalated", rows)
    rows[1] = row("2023-09-02", "phone_call", "Referred to MASH, should have been sooner")
    assert package_flags("injury_not_escalated", rows) == baseline_flags("injury_not_escalated", rows) == []
