"""Session 20 (QA7, Amara (c) 1): repeat_referrals_closed raises one flag per unanswered pattern, as
repeated_injury_or_ae does (s19): a closed referral that continues the pattern of the previous flagged one (in its
window, no strategy discussion between) is listed in that flag, not a flag of its own, so the pattern no longer
grows by one flag per referral. The flag keeps the first flagged referral's id; a reviewer's acceptance of a
merged-away flag is carried to it (decisions MERGED_NOTE), a rejection listed (MERGED_REJECT_NOTE). Package and
baseline alike."""
from pathlib import Path

import pandas as pd

from review.decisions import MERGED_NOTE, MERGED_REJECT_NOTE, _evidence_ids, record_decision
from review.pipeline import analyse, load_case
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULES = load_rules()
RULE = "repeat_referrals_closed"
CSC = {"agency": "Westbridge Children's Social Care", "agency_kind": "social care"}


def referral(date, text):
    return {"date": date, "contact_type": "referral", "concerns": "bruising", "description": text, **CSC}


def closed(date, action="Mother's explanation plausible. No concerns. Case closed - NFA."):
    return {"date": date, "contact_type": "home_visit", "description": "Announced home visit. Mother and partner present.",
            "action": action, "child_seen": True, **CSC}


def strategy(date):
    return {"date": date, "contact_type": "strategy_discussion", "escalation": "strategy_discussion",
            "description": "Strategy discussion held with police and health.", **CSC}


FIVE = [referral("2023-09-12", "Referral from maternal grandmother with photos of bruising to her cheek."),
        closed("2023-09-16"),
        referral("2023-10-28", "Referral from maternal aunt with photographs of bruises to both upper arms."),
        closed("2023-11-04"),
        referral("2024-01-15", "Third referral from maternal grandmother: photos of a black eye."),
        closed("2024-01-17"),
        referral("2024-02-25", "Fourth referral, from maternal aunt: burn to hand."),
        closed("2024-02-25"),
        referral("2024-04-01", "Fifth referral from grandmother: bruising to her back."),
        closed("2024-04-02"),
        strategy("2024-05-21")]


def _flags(rows):
    return detect(make_timeline(rows), None, RULES, only=[RULE]).reset_index(drop=True)


def _pairs(rows):
    flags = _flags(rows)
    return sorted(zip(flags["trigger_event_id"], flags["actual_action_event_id"].fillna(""))) if len(flags) else []


def _baseline(rows):
    return sorted((f["trigger_event_id"], f["actual_action_event_id"] or "")
                  for f in baseline_flags(rows) if f["rule_id"] == RULE)


def test_five_closed_referrals_are_one_flag_with_one_count():
    flags = _flags(FIVE)
    assert len(flags) == 1  # was 3: on the 3rd, 4th and 5th referrals
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e005" and flag.expected_by == pd.Timestamp("2024-01-17")
    assert flag.actual_action_event_id == "C1-e011" and flag.delay_days == 125
    # every referral and closure of the pattern is its evidence
    assert set(flag.evidence_event_ids.split("; ")) == {f"C1-e{i:03d}" for i in range(1, 11)}
    assert flag.explanation == (
        "Westbridge Children's Social Care closed the referral of 15 Jan 2024 on 17 Jan 2024 (child aged 379 days) "
        "with no strategy discussion, section 47 enquiry or the child seen alone: 5 referrals about the child, each "
        "within 365 days of one before it, were each so closed (12 Sep 2023, 28 Oct 2023, 15 Jan 2024, 25 Feb 2024, "
        "1 Apr 2024; 5 from family or the public): 3 by this closure, when the pattern was complete, and 2 more since "
        "with none in between (the latest, the referral of 1 Apr 2024, closed on 2 Apr 2024); a strategy discussion "
        "came on 21 May 2024, 125 calendar days late.")
    assert _pairs(FIVE) == _baseline(FIVE) == [("C1-e005", "C1-e011")]


def test_a_strategy_discussion_between_flagged_referrals_starts_a_new_pattern():
    rows = FIVE[:8] + [strategy("2024-03-01")] + FIVE[8:10]
    # the 4th referral's flag is answered on 1 Mar; the 5th (closed 2 Apr, 5 such within a year) is a new flag
    assert _pairs(rows) == _baseline(rows) == [("C1-e005", "C1-e009"), ("C1-e010", "")]
    flags = _flags(rows)
    assert "each within 365 days of one before it" in flags.iloc[0].explanation
    assert "5 referrals about the child within 365 days were each so closed" in flags.iloc[1].explanation


def test_a_single_flag_pattern_reads_as_before():
    rows = FIVE[:6]
    flag = _flags(rows).iloc[0]
    assert "3 referrals about the child within 365 days were each so closed (12 Sep 2023, 28 Oct 2023, 15 Jan 2024; " \
           "3 from family or the public); none is recorded." in flag.explanation
    assert "when the pattern was complete" not in flag.explanation


def _case(tmp_path: Path) -> Path:
    header = "Date,Agency,Type of contact,Details,Action / outcome"
    lines = []
    for r in FIVE:
        date = pd.Timestamp(r["date"]).strftime("%d/%m/%Y")
        kind = {"referral": "Referral", "home_visit": "Home visit", "strategy_discussion": "Strategy discussion"}[r["contact_type"]]
        lines.append(f'{date},Westbridge Children\'s Social Care,{kind},"{r["description"]}","{r.get("action", "")}"')
    case = tmp_path / "rr"
    case.mkdir(parents=True)
    (case / "csc.csv").write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    (case / "case.yml").write_text("case_id: rr20\ndate_of_birth: 2023-01-01\nreview_date: 2024-12-31\n"
                                   "files:\n  - path: csc.csv\n", encoding="utf-8")
    return case


def _merged_away(analysis, referral_text: str) -> tuple[str, str]:
    """(the id the flag on the referral of `referral_text` had before s20, that referral's event id)."""
    flags = analysis.flags[analysis.flags["rule_id"] == RULE]
    timeline = analysis.timeline
    event = timeline.loc[timeline["description"].astype(str).str.startswith(referral_text), "event_id"].iloc[0]
    # (the rule raises no variants)
    earlier = {old: new for old, by in _evidence_ids(flags.assign(flag_variant=""), timeline).items()
               for new, e in by.items() if e == event}
    [(old, _)] = earlier.items()
    return old, str(event)


def test_a_decision_on_a_merged_away_flag_is_carried_or_listed(tmp_path):
    case = _case(tmp_path)
    analysis = analyse(load_case(case))
    flags = analysis.flags[analysis.flags["rule_id"] == RULE]
    assert len(flags) == 1
    kept = flags["flag_id"].iloc[0]
    fourth, fourth_event = _merged_away(analysis, "Fourth referral")
    fifth, fifth_event = _merged_away(analysis, "Fifth referral")
    assert kept not in (fourth, fifth)
    record_decision(case, fourth, "accepted", "closed again without a strategy discussion", "Ruth Adeyemi",
                    "2024-08-01", rule_id=RULE, trigger_event_id=fourth_event, evidence_event_ids=fourth_event)
    analysis = analyse(load_case(case))
    flag = analysis.flags.set_index("flag_id").loc[kept]
    assert flag["decision"] == "accepted" and flag["decided_by"] == "Ruth Adeyemi"
    problems = analysis.decision_problems["problem"].astype(str).tolist()
    assert MERGED_NOTE.format(old=fourth, event=fourth_event, new=kept) in problems
    # a rejection is listed, not carried (the flag now lists other referrals too)
    case2 = _case(tmp_path / "two")
    record_decision(case2, fifth, "rejected", "one referral", "Ruth Adeyemi", "2024-08-01", rule_id=RULE,
                    trigger_event_id=fifth_event, evidence_event_ids=fifth_event)
    analysis = analyse(load_case(case2))
    assert analysis.flags.set_index("flag_id").loc[kept, "decision"] == "pending"
    assert MERGED_REJECT_NOTE.format(old=fifth, event=fifth_event, new=kept) in \
        analysis.decision_problems["problem"].astype(str).tolist()
