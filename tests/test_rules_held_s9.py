"""Whether a row of a meeting, assessment or decision type records it taking place (`review.vocab.denies`, the
rules' `types_held`, and ingest's escalation of the row's contact type, which now asks `denies` too): QA s9.

1. A participant's absence with a subject before it denies that participant's attendance, not the meeting:
   "Police unable to attend strategy discussion" was read as the strategy discussion not held ("Strategy
   discussion unable to proceed", "Unable to hold strategy discussion" still deny it).
2. A row that only plans or awaits it was read as held: "ICPC booked for 12/03", "Awaiting strategy
   discussion", "Strategy discussion to be arranged", "ICPC scheduled", "assessment pending".
3. A decision whose outcome is a refusal is a decision: "MASH decision: declined" was read as no decision.
4. A later affirmation after a postponement: "ICPC postponed to 3rd, held on 3rd" was read as not held.
5. `denies` reads a cue before the words only one word away (`_DENIAL_WINDOW`), ingest four
   (`negation_window`): kept for `denies` ("Father not invited to strategy discussion" is the meeting), and
   ingest's reading of a row's own contact type now uses `denies`, so the two agree on such a row.

Rows in the full-rule tests carry the escalation ingest gives them (`detect_escalation` of their type and text),
so the flags are those of a real build; the row-by-row baseline (benchmarks/baseline_rowwise.py) agrees.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from review.config import package_data
from review.rules import base, detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import compile_vocab, denies, detect_escalation

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
VOCAB = compile_vocab(package_data("vocab.yml"))
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}


def held(name, text):
    return not denies(name, text, VOCAB)


# --- text -> held or not -------------------------------------------------------------------------------------
HELD = [
    # 1. a participant's absence, with a subject
    ("strategy_discussion", "Police unable to attend strategy discussion"),
    ("strategy_discussion", "Police could not attend strategy discussion"),
    ("strategy_discussion", "Police were unable to attend strategy discussion"),
    ("strategy_discussion", "Health not able to attend strategy discussion"),
    ("strategy_discussion", "GP did not attend strategy discussion"),
    ("strategy_discussion", "Strategy discussion: police sent apologies"),
    ("cp_conference", "Father could not attend ICPC"),
    ("cp_conference", "Father absent from ICPC"),
    # 2. a plan for another meeting, after this one held
    ("strategy_discussion", "Strategy discussion held; ICPC booked"),
    ("strategy_discussion", "Strategy discussion held. ICPC to be arranged"),
    ("assessment", "Assessment completed pending manager sign off"),
    ("cp_conference", "ICPC held, awaiting minutes"),
    # 3. a decision's refusal is its outcome
    ("referral_decision", "MASH decision: declined"),
    ("referral_decision", "MASH decision declined"),
    ("referral_decision", "Referral decision - refused"),
    ("referral_decision", "Screening decision: rejected"),
    ("referral_decision", "Referral declined by MASH decision"),
    ("referral_decision", "Decision: NFA"),
    ("referral_decision", "Outcome: declined"),
    # 4. a later affirmation
    ("cp_conference", "ICPC postponed to 3rd, held on 3rd"),
    ("cp_conference", "ICPC cancelled, went ahead on 5th"),
    ("strategy_discussion", "Strategy meeting postponed; took place the next day"),
    ("strategy_discussion", "Strategy discussion cancelled. Reconvened 5th"),
    # 5. a cue further than one word before the words
    ("strategy_discussion", "Father not invited to strategy discussion"),
    ("cp_conference", "Mother refused to attend ICPC"),
]
NOT_HELD = [
    # 1. no subject, or the meeting itself could not go on
    ("strategy_discussion", "Unable to attend strategy discussion"),
    ("strategy_discussion", "Unable to hold strategy discussion"),
    ("strategy_discussion", "Strategy discussion unable to proceed"),
    ("strategy_discussion", "Strategy discussion could not go ahead"),
    ("strategy_discussion", "Police unable to attend, strategy discussion cancelled"),
    # 2. plans and waits
    ("cp_conference", "ICPC booked for 12/03"),
    ("strategy_discussion", "Awaiting strategy discussion"),
    ("strategy_discussion", "Strategy discussion to be arranged"),
    ("cp_conference", "ICPC scheduled"),
    ("cp_conference", "ICPC: booked for 12/03"),
    ("cp_conference", "ICPC - awaiting date"),
    ("cp_conference", "ICPC has been booked"),
    ("assessment", "assessment pending"),
    ("assessment", "Single assessment to be completed"),
    ("referral", "referral to be made"),
    ("strategy_discussion", "Strategy discussion planned for Monday"),
    ("cp_conference", "Strategy discussion held; ICPC booked"),
    # 3. a decision not made is still none
    ("referral_decision", "MASH decision deferred"),
    ("referral_decision", "MASH decision: none"),
    ("cp_medical", "CP medical declined by mother"),  # a refusal is an outcome of a decision only
    # 4. no affirmation of this meeting
    ("cp_conference", "ICPC postponed"),
    ("cp_conference", "ICPC postponed, to be held on 3rd"),
    ("cp_conference", "ICPC postponed; will be held on 3rd"),
    ("cp_conference", "ICPC postponed; strategy discussion held"),
    ("cp_conference", "ICPC has not been held"),
    ("cp_conference", "No initial child protection conference held"),
    # 5. a cue one word before the words
    ("strategy_discussion", "No strategy discussion"),
    ("cp_conference", "Decision not to hold an ICPC"),
]


@pytest.mark.parametrize("name, text", HELD)
def test_held(name, text):
    assert held(name, text)


@pytest.mark.parametrize("name, text", NOT_HELD)
def test_not_held(name, text):
    assert not held(name, text)


@pytest.mark.parametrize("name, text", [(n, t) for n, t in HELD + NOT_HELD if n in
                                        ("strategy_discussion", "cp_conference", "s47_enquiry", "cp_medical")])
def test_ingest_reads_a_row_s_own_type_as_denies_does(name, text):
    """5. The escalation of a row of the type (ingest) and the rules' `types_held` agree: "Father not invited
    to strategy discussion" is a strategy discussion in both (ingest read its cue four words away before),
    "ICPC booked for 12/03" a conference in neither."""
    assert (name in detect_escalation(name, text, VOCAB).split("; ")) == held(name, text)


def test_escalation_keywords_keep_ingest_s_window_and_requests():
    """Keyword escalations are read as before: a cue up to four words before negates them, and a request or
    an arrangement is the escalation of the agency making it (the plan cues are `denies`'s only)."""
    assert detect_escalation("other", "Not felt necessary to refer to social care", VOCAB) == ""
    assert detect_escalation("other", "CP medical requested", VOCAB) == "cp_medical"
    assert detect_escalation("other", "CP medical booked for 12/03", VOCAB) == "cp_medical"


def test_the_prefilter_keeps_the_plan_texts():
    """`_may_deny` (the rules' vectorised pre-filter) keeps every text the plan cues deny."""
    vocab = base._negating_vocab(())
    cues = base._negation_phrases(vocab)
    for name, text in NOT_HELD:
        if denies(name, text, vocab):
            pattern = base._denial_prefilter(vocab.denial_words(name), cues)
            assert base._may_deny(np.array([text], dtype=object), pattern)[0], text


def test_types_held_reads_the_rows():
    rows = [{"date": f"2023-09-{d:02d}", "contact_type": t, "description": text, **CSC}
            for d, (t, text) in enumerate([
                ("strategy_discussion", "Police unable to attend strategy discussion"),
                ("cp_conference", "ICPC booked for 12/03"),
                ("referral_decision", "MASH decision: declined"),
                ("cp_conference", "ICPC postponed to 3rd, held on 3rd"),
                ("assessment", "Assessment pending"),
            ], start=1)]
    ctx = base.prepare(make_timeline(rows), None, RULES["settings"])
    got = base.types_held(ctx, ["strategy_discussion", "cp_conference", "referral_decision", "assessment"])
    assert got.tolist() == [True, False, True, True, False]


def test_vocabulary_checks_denial_outcomes():
    from review.errors import ConfigError

    raw = dict(package_data("vocab.yml"))
    raw["denial_outcomes"] = {"mash_decision": ["declined"]}
    with pytest.raises(ConfigError, match="denial_outcomes: unknown contact type or escalation 'mash_decision'"):
        compile_vocab(raw)


# --- full rules ----------------------------------------------------------------------------------------------
def row(date, contact_type, text, **kw):
    """A row as ingest reads it: its escalation from its type and text."""
    return {"date": date, "contact_type": contact_type, "description": text,
            "escalation": detect_escalation(contact_type, text, VOCAB), **CSC, **kw}


def flags_of(rule_id, rows):
    return detect(make_timeline(rows), None, RULES, only=[rule_id])


def baseline_flags(rule_id, rows):
    timeline = make_timeline(rows)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    _, found = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2023, 1, 1)}}, RULES)
    return sorted((f["flag_id"], f["actual_action_event_id"] or "") for f in found if f["rule_id"] == rule_id)


def package_flags(rule_id, rows):
    flags = flags_of(rule_id, rows)
    return sorted(zip(flags["flag_id"], flags["actual_action_event_id"].fillna("")))


def test_strategy_discussion_a_participant_missed_starts_the_clock():
    """1. "Police unable to attend strategy discussion" is the strategy discussion: with no conference in 15
    working days it is flagged (it was read as no strategy discussion: no flag)."""
    rows = [row("2023-09-01", "strategy_discussion", "Police unable to attend strategy discussion")]
    flags = flags_of("strategy_no_conference", rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert flags.iloc[0].actual_action_event_id == ""
    assert baseline_flags("strategy_no_conference", rows) == package_flags("strategy_no_conference", rows)
    # the meeting itself not going ahead still starts nothing
    rows = [row("2023-09-01", "strategy_discussion", "Strategy discussion unable to proceed")]
    assert flags_of("strategy_no_conference", rows).empty


@pytest.mark.parametrize("text", ["ICPC booked for 12/03", "ICPC scheduled", "ICPC to be arranged"])
def test_a_conference_only_booked_does_not_meet_the_requirement(text):
    """2. A conference row that only books it is not the conference: the strategy discussion is flagged (the
    booking was taken for the conference held)."""
    rows = [row("2023-09-01", "strategy_discussion", "Strategy discussion held; ICPC booked"),
            row("2023-09-05", "cp_conference", text)]
    assert rows[0]["escalation"] == "strategy_discussion"
    flags = flags_of("strategy_no_conference", rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert flags.iloc[0].actual_action_event_id == ""
    assert baseline_flags("strategy_no_conference", rows) == package_flags("strategy_no_conference", rows)
    # the conference held meets it
    rows[1] = row("2023-09-12", "cp_conference", "ICPC held: child made subject of a plan")
    assert flags_of("strategy_no_conference", rows).empty


def test_a_conference_postponed_then_held_meets_the_requirement():
    """4. "ICPC postponed to 3rd, held on 3rd" is the conference (it was read as not held: flagged)."""
    rows = [row("2023-09-01", "strategy_discussion", "Strategy discussion held"),
            row("2023-09-15", "cp_conference", "ICPC postponed to 15th, held on 15th")]
    assert flags_of("strategy_no_conference", rows).empty
    assert baseline_flags("strategy_no_conference", rows) == []
    rows[1] = row("2023-09-15", "cp_conference", "ICPC postponed to 29th")
    assert len(flags_of("strategy_no_conference", rows)) == 1


def referral(date):
    return {"date": date, "contact_type": "referral", "agency": "GP", "agency_kind": "health",
            "description": "Referral to children's social care: bruising", "escalation": "referral_to_csc"}


@pytest.mark.parametrize("text", ["MASH decision: declined", "MASH decision - refused", "Referral decision declined"])
def test_a_referral_declined_was_decided_on(text):
    """3. A decision to decline the referral is the decision: no referral_no_decision flag (it was flagged as no
    decision)."""
    rows = [referral("2023-09-04"), row("2023-09-05", "referral_decision", text)]  # Monday: due Tuesday
    assert flags_of("referral_no_decision", rows).empty
    assert baseline_flags("referral_no_decision", rows) == []
    # a decision deferred is still none
    rows[1] = row("2023-09-05", "referral_decision", "MASH decision deferred")
    flags = flags_of("referral_no_decision", rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert baseline_flags("referral_no_decision", rows) == package_flags("referral_no_decision", rows)


def test_an_assessment_pending_is_not_the_assessment():
    """2. assessment_wait: "Assessment pending" does not end the wait (it was taken for the assessment)."""
    rows = [{**referral("2023-09-04"), "description": "Referral to children's social care for assessment"},
            row("2023-09-10", "assessment", "Assessment pending"),
            row("2023-11-30", "home_visit", "Home visit, child seen")]  # the review runs past the 42 days
    flags = flags_of("assessment_wait", rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert baseline_flags("assessment_wait", rows) == package_flags("assessment_wait", rows)
    rows[1] = row("2023-09-10", "assessment", "Single assessment completed")
    assert flags_of("assessment_wait", rows).empty


@pytest.mark.parametrize("seed", range(2))
def test_may_deny_keeps_every_text_the_new_cues_deny(seed, monkeypatch):
    """The fuzz test of tests/test_rules_qa_s8.py with the plan cues, the absences, the decision outcomes and
    the affirmations among its words: `_may_deny` never leaves out a text `denies` reads as denying."""
    import test_rules_qa_s8 as qa

    monkeypatch.setattr(qa, "CUES", qa.CUES + [
        "booked", "scheduled", "to be arranged", "awaiting", "pending", "to arrange", "planned", "will be held",
        "unable to proceed", "unable to attend", "could not attend", "sent apologies", "police", "held on 3rd",
        "went ahead", "took place", "to be held", "outstanding", "awaited", "has not been held"])
    vocab = base._negating_vocab(())
    cues = base._negation_phrases(vocab)
    texts = qa.random_texts(1500, seed + 40)
    texts = texts + [a + " . " + b for a, b in zip(texts[::2], texts[1::2])]
    array = np.array(texts, dtype=object)
    for name in qa.TYPES:
        maybe = base._may_deny(array, base._denial_prefilter(vocab.denial_words(name), cues))
        assert [t for t, m in zip(texts, maybe) if not m and denies(name, t, vocab)] == [], name
