"""Small hand-made timelines for tests and worked examples of the rules.

`make_timeline` turns a few dicts into a table with the TIMELINE_COLUMNS contract, computing the derived
columns the rules read (age, sequence, event groups, open concerns where no row gives them) the simple way,
and the child's mobility as the timeline does (`review.timeline.child_mobile`).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from ..schema import TIMELINE_COLUMNS, conform
from ..sightings import inferred_sightings
from ..timeline import (CONCERN_WINDOW_DAYS, _open_concerns, child_mobile, child_mobile_recorded, mobility_threshold,
                        recorded_mobility)

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
    """A timeline for one child from `rows` (each a dict of timeline columns; `date` required).

    child_mobile, unless a row gives it, is the timeline's (`review.timeline.child_mobile` with
    `review.timeline.mobility_threshold`: `mobile_from`, else the default months of age from `dob`): NA
    for an undated row and for a month, year or approximate date whose period the child became mobile in;
    without `mobile_from`, not mobile from a row stating so until one states mobility
    (`review.timeline.child_mobile_recorded`, reading the rows in the order given)."""
    records = []
    birth = pd.Timestamp(dob)
    threshold = mobility_threshold(SimpleNamespace(mobile_from=mobile_from, date_of_birth=birth.date()))
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
        record.setdefault("event_group", record["event_id"])
        record.setdefault("seq", i + 1)
        records.append(record)
    given = [r.get("child_mobile", _NOT_GIVEN) for r in records]
    for record in records:
        record.pop("child_mobile", None)
    frame = conform(pd.DataFrame(records), TIMELINE_COLUMNS)
    days = frame["date"].to_numpy(dtype="datetime64[ns]")
    mobile = child_mobile(days, threshold, frame["date_precision"])
    # the records' own words ("not yet rolling or sitting"), as the timeline reads them; rows in the given order
    mobile = child_mobile_recorded(mobile, recorded_mobility(frame["description"], frame["action"]),
                                   np.zeros(len(frame), dtype="int64"), days,
                                   np.full(len(frame), bool(mobile_from)))
    values = [m if g is _NOT_GIVEN else g for m, g in zip(mobile.astype(object), given)]
    frame["child_mobile"] = pd.array([pd.NA if v is None or pd.isna(v) else bool(v) for v in values], dtype="boolean")
    if not any("child_seen_inferred" in r for r in records):  # the timeline's reading of rows with no cell
        frame["child_seen_inferred"] = inferred_sightings(frame)
    if not any("open_concerns" in r for r in records):
        frame["open_concerns"] = derived_open_concerns(frame)
    return frame


def derived_open_concerns(frame: pd.DataFrame, window_days: int = CONCERN_WINDOW_DAYS) -> pd.Series:
    """The timeline's ``open_concerns`` of a one-case hand-made timeline (`review.timeline._open_concerns`: the
    concern tags recorded at a row or an earlier one within `window_days`), for rows that give none (s21): left
    blank, a social care concern of 1 March was not open on 14 April for the rules, while the row-by-row
    baseline, which builds its own timeline from the rows, read it open, and the two disagreed on cases a real
    timeline never makes. Rows are read in timeline order (by day, undated last), the result in the given order."""
    days = frame["date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")  # as `review.timeline._days_of`
    undated = np.isnat(days)
    order = np.lexsort((np.where(undated, 0, days.astype("int64")), undated))
    ordered = _open_concerns(frame["concerns"].iloc[order].reset_index(drop=True), days[order],
                             np.zeros(len(frame), dtype="int64"), window_days)
    out = np.empty(len(frame), dtype=object)
    out[order] = ordered
    return pd.Series(out, index=frame.index, dtype=frame["open_concerns"].dtype)


_NOT_GIVEN = object()
