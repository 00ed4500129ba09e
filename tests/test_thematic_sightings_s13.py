"""Who saw the child, across cases: `sightings_by_agency_kind`, `sightings_by_case` and their place in the
thematic report (tables, charts, manifest, verify, redaction)."""
import json

import pandas as pd
import pytest

from review.thematic import (SIGHTING_COUNTS, has_sightings, plot_longest_unseen, plot_sightings_by_agency_kind,
                             sightings_by_agency_kind, sightings_by_case, thematic_tables)


def _timeline(rows):
    frame = pd.DataFrame(rows, columns=["case_id", "event_id", "date", "agency_kind", "organisation", "child_seen",
                                        "child_seen_inferred"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["child_seen"] = frame["child_seen"].astype("boolean")
    frame["child_seen_inferred"] = frame["child_seen_inferred"].astype("boolean")
    return frame


ROWS = [
    # case A: health sees the child (recorded and read), social care records not seen / reads not seen
    ("A", "a1", "2007-01-01", "health", "Trust 1", True, None),
    ("A", "a2", "2007-01-10", "health", "Trust 1", None, True),
    ("A", "a3", "2007-01-20", "social care", "Council", False, None),
    ("A", "a4", "2007-03-01", "health", "Trust 1", True, None),
    ("A", "a5", "2007-03-05", "social care", "Council", None, False),
    ("A", "a6", "2007-03-09", "police", "Police", None, None),
    # case B: never seen over a month
    ("B", "b1", "2008-01-01", "police", "Police", None, None),
    ("B", "b2", "2008-02-01", "social care", "Council", False, None),
    # case C: one contact only
    ("C", "c1", "2009-05-05", "", "Somewhere", True, None),
]


def test_sightings_by_agency_kind_counts_each_contact_once_by_its_status():
    table = sightings_by_agency_kind(_timeline(ROWS)).set_index("agency_kind")
    assert list(table.reset_index().columns) == ["agency_kind", "contacts", *SIGHTING_COUNTS, "seen_share",
                                                 "recorded_share", "face_to_face", "face_to_face_missed",
                                                 "face_to_face_seen_share", "cases"]
    assert table["face_to_face"].isna().all()  # no contact_type column: not known
    health = table.loc["health"]
    assert (health["contacts"], health["seen_recorded"], health["seen_read"], health["unknown"]) == (3, 2, 1, 0)
    assert health["seen_share"] == pytest.approx(1.0) and health["recorded_share"] == pytest.approx(2 / 3)
    social = table.loc["social care"]
    assert (social["contacts"], social["not_seen_recorded"], social["not_seen_read"], social["cases"]) == (3, 2, 1, 2)
    assert social["seen_share"] == 0 and social["recorded_share"] == pytest.approx(2 / 3)
    police = table.loc["police"]
    assert (police["contacts"], police["unknown"], police["seen_share"]) == (2, 2, 0)
    assert table.loc["(unknown)", "seen_recorded"] == 1  # a blank agency kind is named, not dropped
    # the kinds that least often saw the child first (ties by name)
    assert list(table.index) == ["police", "social care", "(unknown)", "health"]
    assert int(table["contacts"].sum()) == len(ROWS)


def test_a_contact_table_without_the_timelines_reading_counts_recorded_cells_only():
    contacts = _timeline(ROWS).drop(columns=["child_seen_inferred"])
    table = sightings_by_agency_kind(contacts).set_index("agency_kind")
    assert table.loc["health", "seen_read"] == 0 and table.loc["health", "unknown"] == 1
    assert table.loc["social care", "not_seen_read"] == 0


def test_sightings_by_case_gives_the_longest_period_no_agency_saw_the_child():
    table = sightings_by_case(_timeline(ROWS), cases=["A", "B", "C", "D"]).set_index("case_id")
    a = table.loc["A"]
    # sightings on 1 Jan, 10 Jan and 1 Mar, last contact 9 Mar: the longest gap is 10 Jan -> 1 Mar
    assert (a["contacts"], a["seen"], a["longest_unseen_days"]) == (6, 3, 50)
    assert a["longest_unseen_from"] == pd.Timestamp("2007-01-10") and a["longest_unseen_to"] == pd.Timestamp("2007-03-01")
    b = table.loc["B"]  # never seen: its whole span
    assert (b["seen"], b["longest_unseen_days"]) == (0, 31) and b["seen_share"] == 0
    assert table.loc["C", "longest_unseen_days"] == 0  # one contact: no period
    d = table.loc["D"]  # a case without contacts is listed, with nothing to measure
    assert d["contacts"] == 0 and pd.isna(d["longest_unseen_days"]) and pd.isna(d["seen_share"])
    assert list(table.index) == ["A", "B", "C", "D"]  # longest first, the unmeasured last


def test_the_period_before_the_first_sighting_counts_too():
    rows = [("E", "e1", "2010-01-01", "police", "P", None, None),
            ("E", "e2", "2010-04-11", "health", "T", True, None),
            ("E", "e3", "2010-04-20", "health", "T", True, None)]
    row = sightings_by_case(_timeline(rows)).iloc[0]
    assert row["longest_unseen_days"] == 100 and row["longest_unseen_from"] == pd.Timestamp("2010-01-01")


def test_thematic_tables_add_the_sighting_tables_only_when_the_timeline_says_whether_the_child_was_seen():
    timeline = _timeline(ROWS)
    flags = pd.DataFrame(columns=["case_id", "rule_id", "failing_category", "severity", "trigger_event_id"])
    latency = pd.DataFrame(columns=["case_id", "event_id", "agency_kind", "latency_days", "within_expected",
                                    "first_escalation_event_id", "first_escalation_kind"])
    assert has_sightings(timeline)
    tables = thematic_tables(flags, timeline, latency, cases=["A", "B", "C"])
    assert {"sightings_by_agency_kind", "sightings_by_case"} <= set(tables)
    bare = timeline[["case_id", "event_id", "date", "agency_kind", "organisation"]]
    assert not has_sightings(bare)
    assert "sightings_by_agency_kind" not in thematic_tables(flags, bare, latency)


def test_the_charts_say_what_they_show():
    fig = plot_sightings_by_agency_kind(sightings_by_agency_kind(_timeline(ROWS)))
    assert "health saw the child at 3 of 3 contacts (100%)" in fig.review_alt_text
    assert "police saw the child at 0 of 2 contacts (0%)" in fig.review_alt_text
    gids = {p.get_gid() for ax in fig.axes for p in ax.patches}
    assert "sighting:seen_read:health" in gids and "sighting:not_seen_read:social care" in gids
    fig = plot_longest_unseen(sightings_by_case(_timeline(ROWS)))
    assert "A 50 days" in fig.review_alt_text and "B 31 days (never seen)" in fig.review_alt_text


def test_the_thematic_report_writes_the_sighting_tables_and_verifies(tmp_path):
    from review.store import write_store_from_synth
    from review.thematic_report import verify_thematic, write_thematic

    store, out = tmp_path / "store", tmp_path / "out"
    write_store_from_synth(store, 6, 11, contacts_per_case=60)
    done = write_thematic(store, out, formats=("svg",))
    by_kind = pd.read_csv(out / "sightings_by_agency_kind.csv")
    assert by_kind["contacts"].sum() == done["contacts"]
    assert (by_kind[list(SIGHTING_COUNTS)].sum(axis=1) == by_kind["contacts"]).all()
    by_case = pd.read_csv(out / "sightings_by_case.csv")
    assert len(by_case) == 6 and (by_case["longest_unseen_days"] >= 0).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"sightings_by_agency_kind.csv", "sightings_by_case.svg"} <= set(manifest["outputs"])
    assert verify_thematic(out).ok

    redacted = tmp_path / "redacted"
    write_thematic(store, redacted, formats=("svg",), redact=True)
    ids = pd.read_csv(redacted / "sightings_by_case.csv")["case_id"].astype(str)
    assert ids.str.startswith("case ").all()
    assert "C0000" not in (redacted / "sightings_by_case.svg").read_text()
    # a case's own dates to the month: its first or last contact must not tell which case is which
    dates = pd.read_csv(redacted / "sightings_by_case.csv", dtype=str)
    for column in ("first_contact", "last_contact", "longest_unseen_from", "longest_unseen_to"):
        assert dates[column].dropna().str.fullmatch(r"\d{4}-\d{2}").all(), column
    assert verify_thematic(redacted, store_dir=store).ok


def test_a_store_analysed_before_sightings_were_read_still_gives_the_tables(tmp_path):
    """A store written without timelines (`review synth --store --no-analyse`) has recorded cells only."""
    from review.store import write_store_from_synth
    from review.thematic_report import thematic_contacts

    store = tmp_path / "store"
    write_store_from_synth(store, 3, 5, contacts_per_case=50, analyse=False)
    contacts = thematic_contacts(store)
    assert len(contacts) == 150 and contacts["child_seen_inferred"].isna().all()
    table = sightings_by_agency_kind(contacts)
    assert table["seen_read"].sum() == 0 and table["contacts"].sum() == 150


def test_a_partial_date_counts_so_that_no_gap_is_longer_than_certain():
    """As the rules read a sighting (child_not_seen): a gap runs from the latest day the sighting before it
    could fall on to the earliest day of the next."""
    rows = [("G", "g1", "2022-01-01", "health", "T", True, None),
            ("G", "g2", "2022-03-01", "health", "T", True, None),  # "Mar 2022"
            ("G", "g3", "2022-06-30", "health", "T", True, None)]
    frame = _timeline(rows).assign(date_precision=["day", "month", "day"])
    row = sightings_by_case(frame).iloc[0]
    assert row["longest_unseen_days"] == 91
    assert (row["longest_unseen_from"], row["longest_unseen_to"]) == (pd.Timestamp("2022-03-31"),
                                                                      pd.Timestamp("2022-06-30"))
    # a sighting dated only "2022" may fall anywhere in the year: no gap within it is certain
    rows = [("F", "f1", "2022-01-05", "police", "P", False, None), ("F", "f2", "2022-01-01", "police", "P", True, None),
            ("F", "f3", "2022-04-10", "health", "T", True, None), ("F", "f4", "2022-09-01", "police", "P", None, None)]
    frame = _timeline(rows).assign(date_precision=["day", "year", "day", "day"])
    assert sightings_by_case(frame).iloc[0]["longest_unseen_days"] == 0


def test_phone_calls_and_letters_do_not_rank_an_agency_kind_as_seeing_the_child_least():
    """A kind whose contacts are mostly calls and letters is not 'least seen': the order is by the share seen
    at face-to-face contacts (visits, appointments, attendances), where the child is there to be seen."""
    rows = [("H", "h1", "2020-01-01", "housing", "HA", None, None),  # a letter
            ("H", "h2", "2020-01-02", "housing", "HA", None, None),  # a call
            ("H", "h3", "2020-01-03", "housing", "HA", True, None),  # a visit, child seen
            ("H", "h4", "2020-01-04", "health", "T", True, None),
            ("H", "h5", "2020-01-05", "health", "T", False, None)]
    frame = _timeline(rows).assign(contact_type=["letter", "phone_call", "home_visit", "clinic_appointment",
                                                 "home_visit"])
    table = sightings_by_agency_kind(frame)
    assert list(table["agency_kind"]) == ["health", "housing"]  # by seen_share alone housing (1/3) would lead
    housing = table.set_index("agency_kind").loc["housing"]
    assert housing["face_to_face"] == 1 and housing["face_to_face_seen_share"] == 1.0
    assert housing["seen_share"] == pytest.approx(1 / 3)
    fig = plot_sightings_by_agency_kind(table)
    assert "health saw the child at 1 of 2 contacts (50%), 50% of its face-to-face contacts" in fig.review_alt_text


def test_the_assurance_headline_says_how_many_declarations_had_nothing_to_set_beside_them():
    from review.thematic import assurance_summary

    assurance = pd.DataFrame({"disagreement": [True, False, False, False, False],
                              "assessment": ["disagree: declared compliant, failings found", "consistent",
                                             "organisation not in the cases", "organisation not in the cases",
                                             "no evidence (no contacts)"]})
    assert assurance_summary(assurance)[0] == ("1 of 2 assessable declarations disagree with the evidence (5 declared; "
                                               "not assessable: 2 organisation not in the cases, 1 no contacts that "
                                               "year)")
