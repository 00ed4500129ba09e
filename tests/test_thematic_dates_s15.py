"""s15: thematic sightings_by_case gives first_contact and last_contact as days, never one with a time of day
("2020-09-07" beside "2021-10-24 01:30:00" before)."""
from __future__ import annotations

import pandas as pd

from review import thematic


def test_first_and_last_contact_are_days_without_a_time():
    timeline = pd.DataFrame({
        "case_id": ["A", "A", "A"],
        "event_id": ["e1", "e2", "e3"],
        "date": pd.Series([pd.Timestamp("2020-09-07"), pd.Timestamp("2021-03-01 10:15"), pd.Timestamp("2021-10-24 01:30")]),
        "date_precision": ["day", "day", "day"],
        "child_seen": [True, False, True],
        "child_seen_inferred": [True, False, True],
        "contact_type": ["home_visit", "phone_call", "ae_attendance"],
        "description": ["Visit", "Call", "A&E"],
        "action": ["", "", ""],
    })
    table = thematic.sightings_by_case(timeline)
    row = table.set_index("case_id").loc["A"]
    assert pd.Timestamp(row["first_contact"]) == pd.Timestamp("2020-09-07")
    assert pd.Timestamp(row["last_contact"]) == pd.Timestamp("2021-10-24")  # before: 2021-10-24 01:30:00
