"""s12: an explanation shows a partial date as the chronology does, never a day it does not give. Before,
a late action dated "mid April 2023" read "recorded for about 11 Apr 2023", a month "April 2023", and the
date lists of was_not_brought / repeated_injury_or_ae showed an approximate date at its period's start (the
day less 31 days): "about 30 Jan 2023" for "c. 01/03/2023". Now: "c. Apr 2023", "Apr 2023", "2023",
"c. 1 Mar 2023"; charts' labels alike."""
from __future__ import annotations

import pandas as pd
import pytest

from review.charts import _date_label, _precision_of
from review.rules import detect, load_rules
from review.rules.base import APPROXIMATE_MONTH, fmt_date, shown_precisions
from review.rules.testing import make_timeline

RULES = load_rules()

#: s13: a late escalation more than `response_max_days` (90) after the injury is not reported as its response;
#: the partial-date late actions read here come up to a year later, so the cap is lifted for them
LONG_WAIT = load_rules()
LONG_WAIT["rules"]["injury_not_escalated"]["params"]["response_max_days"] = 1000
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}


def flags_of(rule_id, rows, **kw):
    return detect(make_timeline(rows, **kw), None, RULES, only=[rule_id])


def test_fmt_date_shows_each_precision_as_the_chronology_does():
    dates = pd.Series(pd.to_datetime(["2007-06-11"] * 5 + [None]))
    precision = pd.Series(["day", "month", "year", "approximate", APPROXIMATE_MONTH, "approximate"])
    assert fmt_date(dates, precision).tolist() == ["11 Jun 2007", "Jun 2007", "2007", "c. 11 Jun 2007", "c. Jun 2007", ""]


def test_shown_precisions_reads_an_approximate_month_from_the_date_as_written():
    shown = shown_precisions(["approximate", "approximate", "approximate", "month", "day", None, "approximate"],
                             ["c. June 2007", "mid June 2007", "c. 11/06/2007", "June 2007", "11/06/2007", "", "Xmas 2007"])
    assert list(shown) == [APPROXIMATE_MONTH, APPROXIMATE_MONTH, "approximate", "month", "day", "", APPROXIMATE_MONTH]
    assert list(shown_precisions(["approximate"], None)) == ["approximate"]  # no text: the day, marked c.


def _late(precision, date, text=None):
    action = {"date": date, "date_precision": precision, **CSC, "contact_type": "referral", "escalation": "referral_to_csc"}
    if text is not None:
        action["date_text"] = text
    rows = [{"date": "2023-03-10", "agency": "Health Visiting", "contact_type": "home_visit", "concerns": "bruising",
             "date_text": "10/03/2023"}, action]
    return detect(make_timeline(rows), None, LONG_WAIT, only=["injury_not_escalated"]).iloc[0]["explanation"]


@pytest.mark.parametrize("precision, date, text, shown", [
    ("approximate", "2023-05-11", "mid May 2023", "c. May 2023"),         # before: about 11 May 2023
    ("approximate", "2023-05-01", "c. May 2023", "c. May 2023"),          # before: about 1 May 2023
    ("approximate", "2023-04-21", "end of April 2023", "c. Apr 2023"),    # before: about 21 Apr 2023
    ("approximate", "2023-05-01", "early May 23", "c. May 2023"),
    ("approximate", "2023-04-15", "c. 15/04/2023", "c. 15 Apr 2023"),     # an approximate day keeps its day
    ("approximate", "2023-04-15", None, "c. 15 Apr 2023"),
    ("month", "2023-04-01", "April 2023", "Apr 2023"),                    # before: April 2023
    ("year", "2024-01-01", "2024", "2024"),
])
def test_a_late_partial_action_reads_as_written(precision, date, text, shown):
    explanation = _late(precision, date, text)
    # s13: the late action is named as what it is, the next escalation by any agency
    assert f"; the next escalation by any agency is recorded for {shown} (" in explanation
    assert explanation.endswith(", after the deadline (date not exact); nothing in the records links it to this injury.")
    assert "about" not in explanation


def test_christmas_reads_as_an_approximate_december():
    explanation = _late("approximate", "2023-12-21", "Xmas 2023")
    assert "is recorded for c. Dec 2023 (" in explanation and "21 Dec" not in explanation


def test_a_sighting_in_an_approximate_month_is_shown_as_that_month():
    rows = [{"date": "2023-01-11", "date_precision": "approximate", "date_text": "mid January 2023", "agency": "GP",
             "child_seen": True, "concerns": "neglect", "open_concerns": "neglect"},
            {"date": "2023-04-15", "agency": "GP", "contact_type": "phone_call", "child_seen": False,
             "open_concerns": "neglect"}]
    text = flags_of("child_not_seen", rows, dob="2020-01-01").iloc[0]["explanation"]
    # before: "last seen about 11 Jan 2023, a partial date: ..."
    assert "last recorded sighting c. Jan 2023, a partial date: counted from its latest possible day, 11 Feb 2023" in text
    assert "about" not in text and "11 Jan" not in text


@pytest.mark.parametrize("precision, date, text, shown, latest", [
    ("month", "2023-03-01", "March 2023", "Mar 2023", "31 Mar 2023"),
    ("approximate", "2023-03-11", "mid March 2023", "c. Mar 2023", "11 Apr 2023"),
])
def test_an_assessment_requested_at_a_partial_date_names_it_as_written(precision, date, text, shown, latest):
    rows = [{"date": date, "date_precision": precision, "date_text": text, "contact_type": "referral_decision", **CSC,
             "description": "single assessment to be completed"},
            {"date": "2023-09-01", "agency": "GP", "contact_type": "other"}]
    text = flags_of("assessment_wait", rows).iloc[0]["explanation"]
    assert f"({CSC['agency']}, {shown}, a partial date: counted from its latest possible day, {latest})" in text
    assert "about" not in text


def test_was_not_brought_lists_an_approximate_missed_appointment_at_its_day_not_its_periods_start():
    wnb = {"agency": "GP", "agency_kind": "health", "contact_type": "was_not_brought", "child_seen": False}
    rows = [{"date": "2023-03-01", "date_precision": "approximate", "date_text": "c. 01/03/2023", **wnb},
            {"date": "2023-04-15", "date_text": "15/04/2023", **wnb},
            {"date": "2023-06-30", "agency": "Health Visiting", "contact_type": "home_visit", "child_seen": True}]
    text = flags_of("was_not_brought", rows).iloc[0]["explanation"]
    # before: "(about 29 Jan 2023, 15 Apr 2023)": the approximate date less the 31-day span
    assert "(c. 1 Mar 2023, 15 Apr 2023)" in text


def test_repeated_injuries_name_the_first_at_its_month():
    injury = {"agency": "GP", "contact_type": "gp_appointment", "concerns": "bruising"}
    rows = [{"date": "2023-02-11", "date_precision": "approximate", "date_text": "mid Feb 2023", **injury},
            {"date": "2023-03-20", "date_text": "20/03/2023", **injury}]
    text = flags_of("repeated_injury_or_ae", rows).iloc[0]["explanation"]
    # before: "(about 11 Jan 2023 to 20 Mar 2023, ...": the period's start, a day no one recorded
    assert "(c. Feb 2023 to 20 Mar 2023," in text


def test_chart_labels_show_an_approximate_date_as_written():
    timeline = pd.DataFrame({"event_id": ["a", "b", "c"], "date_precision": ["approximate", "approximate", "month"],
                             "date_text": ["mid June 2007", "c. 11/06/2007", "June 2007"]})
    shown = _precision_of(timeline)
    day = pd.Timestamp("2007-06-11")
    assert [_date_label(day, shown[e], "%d %b %Y") for e in "abc"] == ["c. Jun 2007", "c. 11 Jun 2007", "Jun 2007"]
    assert _date_label(day, "approximate", "%b %Y") == "c. Jun 2007"  # the anonymised view: months only
