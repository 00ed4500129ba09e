"""A row typed as a meeting, an assessment, a decision or a closure whose text says it did not take place
("Strategy discussion not held", "ICPC postponed", "assessment not started", "case not closed") is not that
meeting, assessment, decision or closure (`review.rules.base.types_held`, `review.vocab.denies`), in every
rule that reads contact types, not only `strategy_no_conference` and `assessment_wait` (tests/test_rules_s8.py,
section 2):

0. `types_held` reads each contact type once per prepared timeline (several rules ask about the same types);
1. `closure_with_open_concerns` took any row of an `assessed_by` type for the concern's assessment: a
   "Strategy discussion not held" row between the concern and the closure suppressed the flag; and it took
   any row of a closure type for a closure: "Case closure deferred: concerns to be assessed" was flagged as
   the case closed with the concerns open (once `denies` could read "closure" / "closed": section 4);
2. `referral_no_decision` took any social care row of a decision type for the decision on the referral, even
   "Strategy meeting cancelled", "Assessment not started", "ICPC postponed";
3. `information_not_shared` and `agency_knowledge` took every exact-date row of a decision type for a decision
   point, even "ICPC postponed", "Case not closed", "Discharge postponed": flags on a decision that was never
   made, a knowledge row for it, and its `decision` label naming the type where the text named the decision;
4. `strategy_no_conference`'s closure check took any social care row typed `case_closure` for the closure
   that ends the requirement, even "Case not closed", "Closure deferred", "NFA not agreed"; the vocabulary
   had no word for "closed" / "closure" alone (not contact type keywords: ingest would type contacts
   differently), now in vocab.yml `denial_words`.

Each section checks the row-by-row baseline (benchmarks/baseline_rowwise.py) reads the rows alike.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
HOSPITAL = {"agency": "Hospital", "agency_kind": "health"}


def flags_of(rule_id, rows, case=None):
    return detect(make_timeline(rows), case, RULES, only=[rule_id])


def baseline_flags(rule_id, rows, review_date=None):
    """The row-by-row baseline's (flag_id, actual action, expected by) of `rule_id` on the timeline of `rows`."""
    timeline = make_timeline(rows)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    case = {"date_of_birth": dt.date(2023, 1, 1), "review_date": review_date}
    _, base = baseline_rowwise.run(base_rows, {"C1": case}, RULES)
    return sorted((f["flag_id"], f["actual_action_event_id"] or "", pd.Timestamp(f["expected_by"]))
                  for f in base if f["rule_id"] == rule_id)


def package_flags(rule_id, rows):
    flags = flags_of(rule_id, rows)
    if flags.empty:
        return []
    return sorted(zip(flags["flag_id"], flags["actual_action_event_id"].fillna(""), flags["expected_by"]))


def bruise(date, **kw):
    return {"date": date, "contact_type": "ae_attendance", "description": "Bruising to left arm, explanation vague",
            "concerns": "bruising", **HOSPITAL, **kw}


def closure(date, text="Case closed to children's social care.", **kw):
    return {"date": date, "contact_type": "case_closure", "description": text, **CSC, **kw}


# closure rows that say the case was not closed, and rows that record it closed
NOT_CLOSED = ["Case not closed", "Closure deferred", "NFA not agreed", "Case closure deferred pending core group",
              "Decision not to close the case", "Step down not agreed by team manager",
              "Not closed: remains open to child in need"]
CLOSED = ["Case closed to children's social care.", "Closure agreed by manager", "NFA", "Manager agreed to close"]


# --- 0. each type read once per prepared timeline ----------------------------------------------------------
def test_types_held_reads_each_type_once_per_context(monkeypatch):
    from review.rules import base

    rows = [{"date": "2023-09-01", "contact_type": "cp_conference", "description": "ICPC postponed", **CSC},
            {"date": "2023-09-02", "contact_type": "cp_conference", "description": "ICPC held", **CSC}]
    ctx = base.prepare(make_timeline(rows), None, RULES["settings"])
    calls = []
    real = base._texts_denying
    monkeypatch.setattr(base, "_texts_denying", lambda *a: calls.append(a[2]) or real(*a))
    for _ in range(3):
        assert base.types_held(ctx, ["cp_conference", "case_closure"]).tolist() == [False, True]
    assert calls == ["cp_conference"]  # no case_closure row: nothing to read
    held = base.types_held(ctx, ["cp_conference"])
    held[:] = True  # the caller's copy: the kept mask is not changed
    assert base.types_held(ctx, ["cp_conference"]).tolist() == [False, True]


# --- 1. closure_with_open_concerns: a meeting / assessment that did not take place assessed nothing -------
# (contact type, text saying it did not take place, text saying it did): rows as ingest reads them, with no
# escalation (the type's escalation dropped when the text denies it)
NOT_ASSESSED = [
    ("strategy_discussion", "Strategy discussion not held", "Strategy discussion held with police and health"),
    ("strategy_discussion", "Strategy meeting cancelled", "Strategy meeting with police"),
    ("cp_conference", "ICPC postponed", "ICPC held: child made subject of a plan"),
    ("assessment", "Assessment not started", "Single assessment completed"),
    ("s47_enquiry", "Section 47 enquiry not progressed", "Section 47 enquiry completed"),
    ("cp_medical", "CP medical declined by mother", "CP medical: bruising consistent with the explanation"),
]


def assessing(date, contact_type, text):
    return {"date": date, "contact_type": contact_type, "description": text, **CSC}


@pytest.mark.parametrize("contact_type, denied, held", NOT_ASSESSED)
def test_closure_with_a_concern_assessed_by_a_meeting_not_held_is_flagged(contact_type, denied, held):
    rows = [bruise("2023-09-01"), assessing("2023-09-05", contact_type, denied), closure("2023-09-10")]
    flags = flags_of("closure_with_open_concerns", rows)
    assert list(flags["trigger_event_id"]) == ["C1-e003"]
    assert "with no assessment since" in flags.iloc[0].explanation
    # the same row recording the meeting / assessment held: the concern was assessed
    rows[1] = assessing("2023-09-05", contact_type, held)
    assert flags_of("closure_with_open_concerns", rows).empty


def test_closure_concern_assessed_by_a_later_meeting_held():
    rows = [bruise("2023-09-01"), assessing("2023-09-04", "strategy_discussion", "Strategy discussion not held"),
            assessing("2023-09-07", "strategy_discussion", "Strategy discussion held"), closure("2023-09-10")]
    assert flags_of("closure_with_open_concerns", rows).empty


def test_closure_assessed_by_a_denied_type_with_its_escalation_still_not_assessed():
    """`assessed_by` names escalations too, but the escalation of a row's own type whose text says it did not
    take place is none, even when its cell names it (ingest's reading of the same text would not: the cell
    was filled by hand or by a profile; `held_escalations`, session 10: before, this row assessed the
    concern and the closure was not flagged)."""
    rows = [bruise("2023-09-01"), {**assessing("2023-09-05", "strategy_discussion", "Strategy discussion not held"),
                                   "escalation": "strategy_discussion"}, closure("2023-09-10")]
    assert list(flags_of("closure_with_open_concerns", rows)["trigger_event_id"]) == ["C1-e003"]
    # another escalation of the row still assessed it
    rows[1] = {**rows[1], "description": "Strategy discussion not held; CP medical completed",
               "escalation": "cp_medical; strategy_discussion"}
    assert flags_of("closure_with_open_concerns", rows).empty


@pytest.mark.parametrize("contact_type, denied, held", NOT_ASSESSED[::2])
def test_baseline_agrees_on_closure_assessments(contact_type, denied, held):
    for text in (denied, held):
        rows = [bruise("2023-09-01"), assessing("2023-09-05", contact_type, text), closure("2023-09-10")]
        assert baseline_flags("closure_with_open_concerns", rows) == package_flags("closure_with_open_concerns", rows)
    assert len(package_flags("closure_with_open_concerns", rows[:1] + [
        assessing("2023-09-05", contact_type, denied), closure("2023-09-10")])) == 1


# --- 1 (continued). closure_with_open_concerns: a closure row saying the case was not closed is no closure --
@pytest.mark.parametrize("text", NOT_CLOSED + ["Case closure deferred: concerns to be assessed"])
def test_closure_row_saying_not_closed_raises_no_closure_flag(text):
    rows = [bruise("2023-09-01"), closure("2023-09-10", text)]
    assert flags_of("closure_with_open_concerns", rows).empty


@pytest.mark.parametrize("text", CLOSED)
def test_closure_row_recording_the_closure_is_flagged(text):
    rows = [bruise("2023-09-01"), closure("2023-09-10", text)]
    assert list(flags_of("closure_with_open_concerns", rows)["trigger_event_id"]) == ["C1-e002"]


def test_the_later_closure_is_flagged():
    rows = [bruise("2023-09-01"), closure("2023-09-10", "Closure deferred"), closure("2023-09-20")]
    assert list(flags_of("closure_with_open_concerns", rows)["trigger_event_id"]) == ["C1-e003"]


@pytest.mark.parametrize("text", NOT_CLOSED[:2] + CLOSED[:1])
def test_baseline_agrees_on_closures(text):
    rows = [bruise("2023-09-01"), closure("2023-09-10", text), closure("2023-09-20")]
    assert baseline_flags("closure_with_open_concerns", rows) == package_flags("closure_with_open_concerns", rows)


# --- 2. referral_no_decision: a decision-typed row that did not take place is no decision ------------------
def referral(date, **kw):
    return {"date": date, "contact_type": "referral", "agency": "GP", "agency_kind": "health",
            "description": "Referral to children's social care: bruising", "escalation": "referral_to_csc", **kw}


NO_DECISION = [
    ("strategy_discussion", "Strategy meeting cancelled"),
    ("strategy_discussion", "Strategy discussion did not take place"),
    ("assessment", "Assessment not started"),
    ("cp_conference", "ICPC postponed"),
    ("s47_enquiry", "Section 47 enquiry not progressed"),
    ("referral_decision", "MASH decision deferred"),
    ("case_closure", "Closure deferred"),
]


@pytest.mark.parametrize("contact_type, text", NO_DECISION)
def test_decision_type_that_did_not_take_place_is_no_decision(contact_type, text):
    # Monday 4 Sep 2023: due Tuesday 5 Sep
    rows = [referral("2023-09-04"), {"date": "2023-09-05", "contact_type": contact_type, "description": text, **CSC}]
    flags = flags_of("referral_no_decision", rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert flags.iloc[0].actual_action_event_id == ""


@pytest.mark.parametrize("contact_type, text", NO_DECISION[:3])
def test_the_decision_that_came_later_is_the_late_action(contact_type, text):
    rows = [referral("2023-09-04"), {"date": "2023-09-05", "contact_type": contact_type, "description": text, **CSC},
            {"date": "2023-09-07", "contact_type": "referral_decision", "description": "Referral screened by MASH",
             **CSC}]
    flags = flags_of("referral_no_decision", rows)
    assert len(flags) == 1
    assert flags.iloc[0].actual_action_event_id == "C1-e003" and flags.iloc[0].delay_days == 2


@pytest.mark.parametrize("contact_type, text", [
    ("strategy_discussion", "Strategy meeting held with police"), ("assessment", "Single assessment started"),
    ("referral_decision", "Referral screened by MASH: single assessment to be completed"),
    ("strategy_discussion", "Police and health attended"),  # names no denial
])
def test_decision_type_that_took_place_is_the_decision(contact_type, text):
    rows = [referral("2023-09-04"), {"date": "2023-09-05", "contact_type": contact_type, "description": text, **CSC}]
    assert flags_of("referral_no_decision", rows).empty


@pytest.mark.parametrize("contact_type, text", NO_DECISION[::3] + [("assessment", "Single assessment started")])
def test_baseline_agrees_on_referral_decisions(contact_type, text):
    rows = [referral("2023-09-04"), {"date": "2023-09-05", "contact_type": contact_type, "description": text, **CSC},
            {"date": "2023-09-07", "contact_type": "referral_decision", "description": "Referral screened", **CSC}]
    assert baseline_flags("referral_no_decision", rows) == package_flags("referral_no_decision", rows)


# --- 3. information_not_shared / agency_knowledge: a decision that did not take place is no decision point --
def police_decision(date, contact_type, text, **kw):
    return {"date": date, "contact_type": contact_type, "description": text, "agency": "Police",
            "agency_kind": "police", **kw}


NOT_DECIDED = [("cp_conference", "ICPC postponed"), ("cp_conference", "Child protection conference did not go ahead"),
               ("case_closure", "Case not closed"), ("case_closure", "Closure deferred"),
               ("discharge", "Discharge postponed"), ("referral_decision", "MASH decision deferred")]
DECIDED = [("cp_conference", "ICPC held"), ("case_closure", "Case closed"), ("discharge", "Discharged home"),
           ("referral_decision", "MASH decision: single assessment")]


@pytest.mark.parametrize("contact_type, text", NOT_DECIDED)
def test_decision_that_did_not_take_place_is_no_decision_point(contact_type, text):
    from review.rules import agency_knowledge

    rows = [bruise("2023-09-01"), police_decision("2023-09-10", contact_type, text)]
    assert flags_of("information_not_shared", rows).empty
    assert agency_knowledge(make_timeline(rows), RULES).empty


@pytest.mark.parametrize("contact_type, text", DECIDED)
def test_decision_that_took_place_is_a_decision_point(contact_type, text):
    from review.rules import agency_knowledge

    rows = [bruise("2023-09-01"), police_decision("2023-09-10", contact_type, text)]
    flags = flags_of("information_not_shared", rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert f"before its decision ({contact_type.replace('_', ' ')})" in flags.iloc[0].explanation
    knowledge = agency_knowledge(make_timeline(rows), RULES)
    assert list(knowledge["decision_event_id"]) == ["C1-e002"]
    assert list(knowledge["missing_concerns"]) == ["bruising"]


def test_the_first_decision_that_took_place_is_the_flags():
    rows = [bruise("2023-09-01"), police_decision("2023-09-10", "cp_conference", "ICPC postponed"),
            police_decision("2023-09-20", "cp_conference", "ICPC held")]
    flags = flags_of("information_not_shared", rows)
    assert len(flags) == 1 and flags.iloc[0].expected_by == pd.Timestamp("2023-09-20")


def test_a_denied_type_naming_a_decision_keyword_is_that_decision():
    """"ICPC postponed; child returned home": no conference, but the return home is a decision, and its
    label says so (not the conference it names)."""
    from review.rules import agency_knowledge

    # (social care's record: the police's record of a return home is no decision since s15,
    # settings.return_home_not_agency_kinds)
    social_care = {"agency": "Children's Social Care", "agency_kind": "social care"}
    rows = [bruise("2023-09-01"),
            police_decision("2023-09-10", "cp_conference", "ICPC postponed. Child returned home to mother", **social_care)]
    flags = flags_of("information_not_shared", rows)
    assert len(flags) == 1 and "before its decision (returned home)" in flags.iloc[0].explanation
    assert list(agency_knowledge(make_timeline(rows), RULES)["decision"]) == ["returned_home"]
    rows[1] = police_decision("2023-09-10", "cp_conference", "ICPC held. Child returned home to mother")
    assert "before its decision (cp conference)" in flags_of("information_not_shared", rows).iloc[0].explanation


@pytest.mark.parametrize("trigger", ["concern", "decision"])
def test_decision_trigger_skips_a_decision_not_taken(trigger):
    rules = load_rules()
    rules["rules"]["information_not_shared"]["params"]["trigger"] = trigger
    rows = [bruise("2023-09-01"), police_decision("2023-09-10", "cp_conference", "ICPC postponed"),
            police_decision("2023-09-20", "case_closure", "Case closed")]
    flags = detect(make_timeline(rows), None, rules, only=["information_not_shared"])
    assert len(flags) == 1
    assert flags.iloc[0].trigger_event_id == ("C1-e001" if trigger == "concern" else "C1-e003")


@pytest.mark.parametrize("contact_type, text", NOT_DECIDED[::2] + DECIDED[:1])
def test_baseline_agrees_on_decision_points(contact_type, text):
    rows = [bruise("2023-09-01"), police_decision("2023-09-10", contact_type, text),
            police_decision("2023-09-20", "cp_conference", "ICPC held")]
    assert baseline_flags("information_not_shared", rows) == package_flags("information_not_shared", rows)


# --- 4. strategy_no_conference: a closure row saying the case was not closed ends nothing -----------------
def strategy(date, text="Strategy discussion held with police and health.", **kw):
    return {"date": date, "contact_type": "strategy_discussion", "description": text,
            "escalation": "strategy_discussion", **CSC, **kw}


@pytest.mark.parametrize("text", NOT_CLOSED)
def test_closure_row_saying_not_closed_does_not_end_the_requirement(text):
    rows = [strategy("2023-09-01"), closure("2023-09-05", text)]
    flags = flags_of("strategy_no_conference", rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]


@pytest.mark.parametrize("text", CLOSED)
def test_closure_row_recording_the_closure_ends_the_requirement(text):
    assert flags_of("strategy_no_conference", [strategy("2023-09-01"), closure("2023-09-05", text)]).empty


def test_a_later_closure_in_the_window_still_ends_it():
    rows = [strategy("2023-09-01"), closure("2023-09-05", "Closure deferred"), closure("2023-09-12")]
    assert flags_of("strategy_no_conference", rows).empty


def test_denial_words_name_a_closure_for_denies_only():
    """"closed" / "closure" name a closure for `denies`, but are not contact type keywords: ingest types a
    contact as before ("Clinic closed" is no closure)."""
    from review.config import package_data
    from review.vocab import classify_contact_type, compile_vocab, denies

    vocab = package_data("vocab.yml")
    assert {"closure", "closed"} <= set(compile_vocab(vocab).denial_words("case_closure"))
    assert "closure" in vocab["denial_words"]["case_closure"]
    for text in NOT_CLOSED:
        assert denies("case_closure", text, vocab), text
    for text in CLOSED + ["Case to remain open"]:  # the last names no closure: it denies none
        assert not denies("case_closure", text, vocab), text
    assert classify_contact_type("Clinic closed", "", vocab) != "case_closure"
    assert classify_contact_type("Closure", "", vocab) == classify_contact_type("Closure", "", {
        k: v for k, v in vocab.items() if k != "denial_words"})


def test_denial_words_are_checked():
    from review.config import package_data
    from review.errors import ConfigError
    from review.vocab import compile_vocab

    vocab = package_data("vocab.yml")
    with pytest.raises(ConfigError, match="denial_words: unknown contact type or escalation 'case_closed'"):
        compile_vocab({**vocab, "denial_words": {"case_closed": ["closed"]}})
    with pytest.raises(ConfigError, match="denial_words must be a mapping"):
        compile_vocab({**vocab, "denial_words": ["closed"]})


def test_a_case_vocabulary_adds_denial_words(tmp_path):
    from review.config import load_vocab
    from review.vocab import denies

    (tmp_path / "case.yml").write_text("case_id: C1\ndate_of_birth: 2022-01-01\n", encoding="utf-8")
    (tmp_path / "vocab.yml").write_text("denial_words:\n  case_closure: [shut]\n", encoding="utf-8")
    vocab = load_vocab(tmp_path)
    assert denies("case_closure", "Case not shut", vocab)
    assert denies("case_closure", "Case not closed", vocab)  # the package's words kept


@pytest.mark.parametrize("text", NOT_CLOSED[:3] + CLOSED[:1])
def test_baseline_agrees_on_closures_ending_the_requirement(text):
    rows = [strategy("2023-09-01"), closure("2023-09-05", text)]
    assert baseline_flags("strategy_no_conference", rows) == package_flags("strategy_no_conference", rows)


def test_baseline_reads_a_denied_closure_row_as_the_package_does():
    """A closure row that the type's words deny ends nothing, even if its text would pass the closure keywords'
    own negation reading ("postponed" is no closure_negation): the package reads closure rows by type only."""
    rows = [strategy("2023-09-01"), closure("2023-09-05", "No further action postponed")]
    got = package_flags("strategy_no_conference", rows)
    assert len(got) == 1 and baseline_flags("strategy_no_conference", rows) == got
