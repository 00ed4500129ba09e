"""The same event from two agencies, one row of no type family (QA3 defect 9): social care's "other" row recording
the police's welfare check and the police's own record of it are one event group (texts alike and sharing at least
LINK_UNTYPED_SHARED_WORDS words), the row-by-row baseline links them alike, and their conflicting child-seen values
are both kept and reported as a data-quality warning on each row naming the other."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from review.rules.testing import make_timeline
from review.sightings import inferred_sightings, sighting_conflicts, with_child_names
from review.timeline import LINK_UNTYPED_SHARED_WORDS, link_events

_BENCHMARKS = str(Path(__file__).resolve().parents[1] / "benchmarks")
if _BENCHMARKS not in sys.path:
    sys.path.insert(0, _BENCHMARKS)
import baseline_rowwise  # noqa: E402

CSC = {"agency": "Westbridge Children's Social Care", "agency_kind": "social care",
       "source_file": "westbridge_csc_chronology.xlsx", "source_sheet": "Chronology"}
POLICE = {"agency": "Westbridge Police", "agency_kind": "police", "source_file": "police_incidents.csv",
          "source_sheet": ""}
CSC_CHECK = ("Police welfare check completed by PC 2231: Amara seen asleep in her cot, mother said all fine, no "
             "concerns noted by officers.")
POLICE_CHECK = ("Welfare check at request of children's social care. Attended Flat 9 Harrow Court. Amara seen asleep "
                "in her cot, mother said all fine. No concerns noted by officers.")


def rows(csc_text=CSC_CHECK, police_text=POLICE_CHECK, csc_type="other", police_type="police_callout",
         police_day="2020-04-02 15:30"):
    return [
        {"date": "2020-04-01", "contact_type": "referral", "description": "Fifth referral from grandmother.", **CSC,
         "source_row": 16},
        {"date": "2020-04-02", "contact_type": csc_type, "description": csc_text, "child_seen": False, **CSC,
         "source_row": 17},
        {"date": police_day, "contact_type": police_type, "description": police_text, **POLICE, "source_row": 4},
    ]


def groups(timeline_rows) -> list[str]:
    return link_events(make_timeline(timeline_rows)).tolist()


def baseline_groups(timeline_rows) -> list[str]:
    out = []
    for r in make_timeline(timeline_rows).astype(object).where(lambda f: f.notna(), None).to_dict("records"):
        r["_day"] = pd.Timestamp(r["date"]).date()
        out.append(r)
    baseline_rowwise._link_events(out)
    return [r["event_group"] for r in out]


def test_social_cares_record_of_the_police_welfare_check_links_to_the_polices():
    got = groups(rows())
    assert got == ["C1-e001", "C1-e002", "C1-e002"]
    assert baseline_groups(rows()) == got


def test_an_untyped_row_links_to_another_untyped_one_and_not_within_one_agency():
    assert groups(rows(police_type="other")) == ["C1-e001", "C1-e002", "C1-e002"]
    same_agency = rows()
    same_agency[2] = {**same_agency[2], **CSC}
    assert groups(same_agency) == ["C1-e001", "C1-e002", "C1-e003"]
    assert baseline_groups(same_agency) == ["C1-e001", "C1-e002", "C1-e003"]


def test_an_untyped_row_needs_its_words_shared_as_well_as_alike():
    # "Bruise to left cheek" is in the home visit's text (token-set ratio 100) but shares 4 words: no link
    short = rows(csc_text="Bruise to left cheek noted.", police_type="home_visit",
                 police_text="Home visit: bruise to left cheek noted, mother says she fell.")
    assert LINK_UNTYPED_SHARED_WORDS > 4
    assert groups(short) == ["C1-e001", "C1-e002", "C1-e003"]
    assert baseline_groups(short) == ["C1-e001", "C1-e002", "C1-e003"]
    # two days apart, or texts unlike: no link either
    assert groups(rows(police_day="2020-04-04 10:00")) == ["C1-e001", "C1-e002", "C1-e003"]
    other = rows(police_text="Arrest of Jason Hale for assault at Flat 9 Harrow Court; Amara at her grandmother's.")
    assert groups(other) == ["C1-e001", "C1-e002", "C1-e003"]
    assert baseline_groups(other) == ["C1-e001", "C1-e002", "C1-e003"]


def test_typed_rows_of_two_families_still_never_link():
    assert groups(rows(csc_type="home_visit")) == ["C1-e001", "C1-e002", "C1-e003"]
    assert baseline_groups(rows(csc_type="home_visit")) == ["C1-e001", "C1-e002", "C1-e003"]


def timeline_of(timeline_rows) -> pd.DataFrame:
    timeline = make_timeline(timeline_rows)
    timeline["event_group"] = link_events(timeline)
    timeline["child_seen_inferred"] = inferred_sightings(timeline, with_child_names("", "Amara Lowe"))
    return timeline


def plain(values) -> list:
    return [None if pd.isna(v) else bool(v) for v in values.astype(object)]


def test_conflicting_child_seen_in_one_event_is_a_warning_on_each_row_naming_the_other():
    timeline = timeline_of(rows())
    # neither record overwritten: social care's recorded No, the police's reading of its text
    assert plain(timeline["child_seen"])[1:] == [False, None]
    assert plain(timeline["child_seen_inferred"])[1:] == [None, True]
    warnings = sighting_conflicts(timeline)
    assert warnings[["file", "sheet", "row", "column", "kind"]].astype(object).values.tolist() == [
        ["westbridge_csc_chronology.xlsx", "Chronology", 17, "Child seen", "warning"],
        ["police_incidents.csv", "", 4, "Child seen", "warning"],
    ]
    first, second = warnings["reason"]
    assert "event group C1-e002" in first and "this row says 'not seen'" in first
    assert "police_incidents.csv, row 4 (Westbridge Police) says 'seen (read from the text)'" in first
    assert "this row says 'seen (read from the text)'" in second
    assert ("westbridge_csc_chronology.xlsx, sheet 'Chronology', row 17 (Westbridge Children's Social Care) says "
            "'not seen'") in second
    assert str(warnings["row"].dtype) == "Int64"


def test_no_warning_when_the_event_agrees_or_is_not_linked():
    agreeing = rows()
    agreeing[1] = {**agreeing[1], "child_seen": True}
    assert sighting_conflicts(timeline_of(agreeing)).empty
    apart = rows(police_day="2020-04-04 10:00")
    assert sighting_conflicts(timeline_of(apart)).empty
    assert list(sighting_conflicts(timeline_of(apart)).columns) == ["file", "sheet", "row", "column", "kind", "reason"]


def test_the_baseline_timeline_links_the_welfare_check_too():
    base_rows = []
    for r in make_timeline(rows()).astype(object).where(lambda f: f.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    timeline, _ = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2019, 1, 20), "review_date": None}},
                                       __import__("review.rules", fromlist=["load_rules"]).load_rules())
    assert [r["event_group"] for r in timeline] == ["C1-e001", "C1-e002", "C1-e002"]
