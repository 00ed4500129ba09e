"""A row typed as a meeting, an assessment, a decision or a closure whose text says it did not take place
("Strategy discussion not held", "ICPC postponed", "assessment not started", "case not closed") is not that
meeting, assessment, decision or closure (`review.rules.base.types_held`, `review.vocab.denies`), in every
rule that reads contact types, not only `strategy_no_conference` and `assessment_wait` (tests/test_rules_s8.py,
section 2):

0. `types_held` reads each contact type once per prepared timeline (several rules ask about the same types);
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
    """The row-by-row baseline's (flag_id, actual action) of `rule_id` on the timeline of `rows`."""
    timeline = make_timeline(rows)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    case = {"date_of_birth": dt.date(2023, 1, 1), "review_date": review_date}
    _, base = baseline_rowwise.run(base_rows, {"C1": case}, RULES)
    return sorted((f["flag_id"], f["actual_action_event_id"] or "") for f in base if f["rule_id"] == rule_id)


def package_flags(rule_id, rows):
    flags = flags_of(rule_id, rows)
    if flags.empty:
        return []
    return sorted(zip(flags["flag_id"], flags["actual_action_event_id"].fillna("")))


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
