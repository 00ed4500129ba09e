"""was_not_brought (s16): a follow-up by the agency (the child seen, or an escalation), timely or late, ends a
pattern of missed contacts: the next trigger counts only the missed contacts after it, so two flags never
share a missed contact, in the package and in the row-by-row baseline."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from review.config import CaseConfig
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
GP = {"agency": "GP", "agency_kind": "health"}


def missed(date):
    return {"date": date, "contact_type": "was_not_brought", "description": "DNA, child not brought",
            "concerns": "was_not_brought", **GP}


def seen(date):
    return {"date": date, "contact_type": "clinic_appointment", "description": "Reviewed in clinic",
            "child_seen": True, **GP}


def case():
    return CaseConfig(case_dir=".", case_id="C1", date_of_birth=dt.date(2020, 1, 1), review_date=dt.date(2024, 12, 31))


def package(rows):
    flags = detect(make_timeline(rows, dob="2020-01-01"), case(), RULES, only=["was_not_brought"])
    return sorted(zip(flags["trigger_event_id"], flags["evidence_event_ids"]))


def baseline(rows):
    timeline = make_timeline(rows, dob="2020-01-01")
    plain = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        plain.append(r)
    info = {"C1": {"date_of_birth": dt.date(2020, 1, 1), "review_date": dt.date(2024, 12, 31)}}
    _, flags = baseline_rowwise.run(plain, info, RULES)
    return sorted(f["trigger_event_id"] for f in flags if f["rule_id"] == "was_not_brought")


def test_a_late_follow_up_ends_the_pattern_the_next_one_counts_only_later_missed_contacts():
    # e001, e002 missed -> flagged at e002 (the follow-up on 1 Mar is late); then e004 and e005 missed: a new
    # pattern of its own two, not sharing e001/e002 although they lie in e005's 90 days
    rows = [missed("2023-01-05"), missed("2023-01-20"), seen("2023-03-01"), missed("2023-03-10"),
            missed("2023-03-20")]
    assert package(rows) == [("C1-e002", "C1-e001; C1-e002"), ("C1-e005", "C1-e004; C1-e005")]
    assert baseline(rows) == ["C1-e002", "C1-e005"]


def test_one_missed_contact_after_the_follow_up_is_no_pattern():
    # before: e004 counted e001, e002 and itself (3 in 90 days) and was flagged with the first flag's evidence
    rows = [missed("2023-01-05"), missed("2023-01-20"), seen("2023-03-01"), missed("2023-03-10")]
    assert package(rows) == [("C1-e002", "C1-e001; C1-e002")]
    assert baseline(rows) == ["C1-e002"]


def test_without_a_follow_up_the_pattern_still_counts_all_its_missed_contacts():
    rows = [missed("2023-01-05"), missed("2023-01-20"), missed("2023-03-10")]
    flags = package(rows)
    assert len(flags) == 1 and flags[0][1] == "C1-e001; C1-e002; C1-e003"
    assert baseline(rows) == ["C1-e002"]
