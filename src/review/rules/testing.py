"""Small hand-made timelines for tests and worked examples of the rules.

`make_timeline` turns a few dicts into a table with the TIMELINE_COLUMNS contract, computing the derived
columns the rules read (age, mobility, sequence, event groups) the simple way.
"""
from __future__ import annotations

import pandas as pd

from ..schema import TIMELINE_COLUMNS, conform

DEFAULTS = {
    "agency": "Health Visiting",
    "agency_kind": "health",
    "contact_type": "home_visit",
    "date_precision": "day",
    "concerns": "",
    "escalation": "",
    "informed_agencies": "",
    "description": "",
    "action": "",
}


def make_timeline(rows: list[dict], *, dob: str = "2023-01-01", mobile_from: str | None = None,
                  case_id: str = "C1") -> pd.DataFrame:
    """A timeline for one child from `rows` (each a dict of timeline columns; `date` required)."""
    records = []
    birth = pd.Timestamp(dob)
    mobile = pd.Timestamp(mobile_from) if mobile_from else birth + pd.DateOffset(months=6)
    for i, row in enumerate(rows):
        record = {**DEFAULTS, **row}
        record.setdefault("case_id", case_id)
        record.setdefault("event_id", f"{case_id}-e{i + 1:03d}")
        record.setdefault("source_file", "agency.csv")
        record.setdefault("source_sheet", "")
        record.setdefault("source_row", i + 2)
        date = pd.Timestamp(record["date"])
        record["date"] = date
        record.setdefault("age_days", (date.normalize() - birth).days)
        record.setdefault("child_mobile", date.normalize() >= mobile)
        record.setdefault("event_group", record["event_id"])
        record.setdefault("seq", i + 1)
        records.append(record)
    return conform(pd.DataFrame(records), TIMELINE_COLUMNS)
