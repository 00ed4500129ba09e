"""`child_not_seen`'s flag at the first contact past the limit (not censored) counts a gap from a partial-date
sighting, or from a partial-date row that opened the stretch, at its latest possible day (`_last_seen`,
`_run_since`), but its explanation did not say so: "for 20 days (last seen March 2023 ...)" read as a made-up
count. It now says the date is partial and that the gap is a minimum, as the censored flag at the end of the
review says it (tests/test_child_not_seen_censored.py)."""
from __future__ import annotations

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}


def conference(date, **kw):
    return {"date": date, "contact_type": "cp_conference", "on_cp_plan": True, "description": "Plan reviewed",
            **CSC, **kw}


def contact(date, **kw):
    return {"date": date, "contact_type": "home_visit", "on_cp_plan": True, **CSC, **kw}


def explanations(rows):
    flags = detect(make_timeline(rows), None, RULES, only=["child_not_seen"])
    return list(flags["explanation"])


def test_a_gap_from_a_partial_date_sighting_says_so():
    rows = [conference("2023-03-01"), contact("2023-03-01", child_seen=True, date_precision="month"),
            contact("2023-04-20")]
    assert explanations(rows) == [
        "When Children's Social Care had contact on 20 Apr 2023, no agency had recorded seeing the child on a child"
        " protection plan for at least 20 days (last recorded sighting Mar 2023, a partial date: counted from its"
        " latest possible day, 31 Mar 2023; standard 14 days); none is recorded."]  # s13: was "had not been seen"


def test_a_gap_from_a_stretch_a_partial_date_row_opened_says_so():
    rows = [contact("2023-01-01", child_seen=True, on_cp_plan=False), conference("2023-03-01", date_precision="month"),
            contact("2023-04-20")]
    (text,) = explanations(rows)
    assert ("for at least 20 days (no sighting recorded since the plan started, recorded for Mar 2023, a partial"
            " date: counted from its latest possible day, 31 Mar 2023;") in text


def test_open_concerns_gap_from_a_partial_sighting_says_so():
    rows = [{"date": "2023-03-01", "concerns": "neglect", "open_concerns": "neglect", "child_seen": True,
             "date_precision": "month", **CSC},
            {"date": "2023-05-20", "open_concerns": "neglect", **CSC}]
    (text,) = explanations(rows)
    assert "no agency had recorded seeing the child with concerns open for at least 50 days" in text
    assert "last recorded sighting Mar 2023, a partial date: counted from its latest possible day, 31 Mar 2023" in text


def test_an_exact_gap_reads_as_before():
    assert explanations([conference("2023-03-01", child_seen=True), contact("2023-04-20")]) == [
        "When Children's Social Care had contact on 20 Apr 2023, no agency had recorded seeing the child on a child"
        " protection plan for 50 days (last recorded sighting 1 Mar 2023; standard 14 days); none is recorded."]
    assert explanations([conference("2023-03-01"), contact("2023-04-20")]) == [
        "When Children's Social Care had contact on 20 Apr 2023, no agency had recorded seeing the child on a child"
        " protection plan for 50 days (no sighting recorded since the plan started, counted from 1 Mar 2023;"
        " standard 14 days); none is recorded."]
