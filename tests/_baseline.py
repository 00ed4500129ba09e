"""Small rule tests run through the package and the row-by-row baseline (benchmarks/baseline_rowwise.py)
alike: rows as `review.rules.testing.make_timeline` takes them, one case "C1" born 1 January 2023."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

_BENCHMARKS = str(Path(__file__).resolve().parents[1] / "benchmarks")
if _BENCHMARKS not in sys.path:
    sys.path.insert(0, _BENCHMARKS)
import baseline_rowwise  # noqa: E402

RULES = load_rules()


def baseline_flags(rows, rules: dict | None = None, dob: str = "2023-01-01") -> list[dict]:
    """The baseline's flags (dicts) on the timeline of `rows`, its values as plain Python (`rules`: the
    package's by default; `dob`: the child's date of birth, ISO)."""
    timeline = make_timeline(rows, dob=dob)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    _, flags = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date.fromisoformat(dob), "review_date": None}},
                                    RULES if rules is None else rules)
    return flags


def package_pairs(rows, rule) -> list[tuple[str, str]]:
    """(trigger event, actual action event or "") of the package's flags of `rule`, sorted."""
    flags = detect(make_timeline(rows), None, RULES, only=[rule])
    if flags.empty:
        return []
    return sorted(zip(flags["trigger_event_id"], flags["actual_action_event_id"].fillna("")))


def baseline_pairs(rows, rule) -> list[tuple[str, str]]:
    """`package_pairs` from the baseline."""
    return sorted((f["trigger_event_id"], f["actual_action_event_id"] or "") for f in baseline_flags(rows)
                  if f["rule_id"] == rule)
