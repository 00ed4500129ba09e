"""The anonymised view must not let a reader work out the child's date of birth.

It used to show every contact's exact date beside the child's exact age ("14/03/2023", "1m 0d"), so
that date minus age gave the date of birth, and the birth itself as a dated contact. The view now gives
every date to the month, the child's age in whole months and the intervals between contacts in whole
months; the flags' delays (the findings) stay in days. Checked here on the sample case's redacted build:
no output (tables, workbook cells and properties, Word, HTML, chart text and positions, manifest) holds
a contact's date to the day, and an exhaustive search over every date of birth consistent with what the
view shows (months, ages, intervals, and the flags' delays in days between the contacts they link)
cannot narrow the date of birth below several days.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import review.build as build_module
from review.export import figure_svg
from review.redact import Redactor, month_age, month_table, month_text
from review.timeline import child_ages

from test_privacy import output_texts, svg_and_pdf_charts

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cases" / "sample"


# ---------------------------------------------------------------------------------------------------
# text and tables to the month
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Seen on 14/03/2023 at home", "Seen in Mar 2023 at home"),
        ("On 17 May 2023 a bruise was seen", "In May 2023 a bruise was seen"),
        ("fall from bed on 16/01/2024).", "fall from bed in Jan 2024)."),
        ("group from 24/05/2023, 5th April 2023, April 5th, 2023", "group from May 2023, April 2023, April 2023"),
        ("2023-02-14T08:12:00Z", "2023-02"),
        ("2023-02-14 08:12", "2023-02"),
        ("14-Feb-23 and 3rd of June", "Feb 2023 and June"),
        ("in a child aged 3m 3d (1y 0m 13d)", "in a child aged 3m (1y 0m)"),
        ("31/02/2016 cannot be read", "Feb 2016 cannot be read"),
    ],
)
def test_dates_to_the_day_in_text_are_given_to_the_month(text, expected):
    assert month_text(text) == expected


@pytest.mark.parametrize("text", ["Apgar 9/10", "score 5/6/7", "3 may attend", "v1.2.3 at 10.30", "March 2024",
                                  "early May 2024", "Ref 122/05/2016", "version 2023-13-45", "3 weeks later"])
def test_text_that_is_not_a_date_to_the_day_is_left_alone(text):
    assert month_text(text) == text


def test_dates_in_file_names_are_found_between_underscores():
    redactor = Redactor(people={"Kai Ashdown": "Child A"}, date_of_birth=dt.date(2023, 2, 14))
    assert redactor.text("kai_14-02-2023.csv") == "Child A_[date of birth].csv"  # "_" hid the date of birth
    assert redactor.text("2023-02-14_gp.csv") == "[date of birth]_gp.csv"
    assert redactor.text("gp_2023-05-17.csv") == "gp_2023-05.csv"
    assert redactor.text("Ref 122/05/2016 x14/02/2023") == "Ref [reference] x14/02/2023"  # inside a number or word (s11: a labelled reference)


def test_ages_are_given_in_whole_months():
    assert [month_age(a) for a in ["7m 12d", "1y 0m 3d", "0m 0d", "-45d", ""]] == ["7m", "1y 0m", "0m", "before birth", ""]


def test_a_timeline_to_the_month():
    timeline = pd.DataFrame({
        "date": pd.to_datetime(["2023-02-14 08:12", "2023-03-06 00:00", "2024-01-01 00:00"]),
        "date_precision": pd.array(["day", "day", "year"], dtype="string"),
        "date_text": pd.array(["14/02/2023", "06/03/2023", "2024"], dtype="string"),
        "time_known": pd.array([True, False, False], dtype="boolean"),
        "age_days": pd.array([0, 20, 321], dtype="Int64"),
        "age_display": pd.array(["0m 0d", "0m 20d", "10m 18d"], dtype="string"),
        "days_since_previous_contact": pd.array([None, 20.0, 301.0], dtype="Float64"),
    })
    out = month_table(timeline)
    assert out["date"].tolist() == [pd.Timestamp("2023-02-01"), pd.Timestamp("2023-03-01"), pd.Timestamp("2024-01-01")]
    assert out["date_precision"].tolist() == ["month", "month", "year"]
    assert out["date_text"].tolist() == ["Feb 2023", "Mar 2023", "2024"]
    assert out["time_known"].tolist() == [False, False, False]
    assert out["age_display"].tolist() == ["0m", "0m", "10m"]
    assert "age_days" not in out and "days_since_previous_contact" not in out
    assert out["months_since_previous_contact"].tolist()[1:] == [0, 9]


def test_the_redactor_gives_dates_to_the_month_unless_told_to_keep_the_day():
    people = {"Kerry Brook": "Mother"}
    assert Redactor(people=people).text("Kerry seen 14/03/2023") == "Mother seen Mar 2023"
    assert Redactor(people=people, date_resolution="day").text("Kerry seen 14/03/2023") == "Mother seen 14/03/2023"
    assert Redactor(people=people).describe()["dates"] == "month"


# ---------------------------------------------------------------------------------------------------
# the sample case's redacted build
# ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("dates") / "report"
    with svg_and_pdf_charts():
        manifest = build_module.build_report(SAMPLE, out, redact=True, progress=False)
    case, analysis = build_module._load_and_analyse(SAMPLE)
    return out, manifest, case, analysis


def _written(day: dt.date) -> list[str]:
    """The ways a date is written in the outputs (and in the agencies' text)."""
    return [f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day:%Y}", f"{day:%Y-%m-%d}", f"{day.day} {day:%b %Y}",
            f"{day:%d %b %Y}", f"{day.day} {day:%B %Y}", f"{day:%d.%m.%Y}", f"{day:%d/%m/%y}"]


def test_no_output_holds_a_contact_date_or_the_date_of_birth_to_the_day(sample):
    out, _, case, analysis = sample
    days = {d.date() for d in analysis.timeline["date"].dropna()} | {case.config.date_of_birth, case.config.review_date}
    days = {d for d in days if d.day != 1}  # the first of a month is how a month is stored
    texts = output_texts(out)
    assert {Path(name.split("!")[0]).suffix for name in texts} >= {".xlsx", ".docx", ".csv", ".html", ".svg", ".pdf", ".json"}
    written = sorted({w for d in days for w in _written(d)}, key=len, reverse=True)
    pattern = re.compile(rf"(?<![\w/.\-])(?:{'|'.join(map(re.escape, written))})(?![\w/]|[.\-]\d)")
    found = {name: hits for name, text in texts.items() if (hits := pattern.findall(text))}
    assert found == {}


def test_the_tables_give_months_and_ages_in_whole_months(sample):
    out = sample[0]
    rows = list(csv.DictReader((out / "chronology.csv").open(encoding="utf-8-sig")))
    assert rows and all(re.fullmatch(r"\d{4}-\d{2}", r["Date"]) for r in rows)
    # a contact dated to its month or year: the range of ages over that period ("9m–10m")
    assert all(re.fullmatch(r"((\d+y )?\d+m|before birth)(–(\d+y )?\d+m)?|", r["Child's age"]) for r in rows)
    assert {r["Date precision"] for r in rows} <= {"month", "year"}
    assert "Days since previous contact" not in rows[0] and "Months since child seen" in rows[0]
    flags = list(csv.DictReader((out / "flags.csv").open(encoding="utf-8-sig")))
    for flag in flags:
        for column in ("Trigger date", "Expected by", "Actual action date"):
            assert re.fullmatch(r"(\d{4}-\d{2})?", flag[column]), (column, flag[column])
        assert not re.search(r"\d+m \d+d|\b\d{1,2} [A-Z][a-z]{2} \d{4}\b", flag["Explanation"]), flag["Explanation"]
    assert any(flag["Delay (calendar days)"] for flag in flags)  # the findings keep their delays in days


def test_every_date_in_the_workbook_is_a_month(sample):
    workbook = openpyxl.load_workbook(sample[0] / "chronology.xlsx")
    dates = [cell for ws in workbook for row in ws.iter_rows() for cell in row if isinstance(cell.value, dt.datetime)]
    assert dates
    assert all(c.value.day == 1 and c.value.time() == dt.time() and c.number_format == "mmm yyyy" for c in dates)
    assert workbook.properties.created.day == 1 and workbook.properties.modified.day == 1


def test_the_manifest_gives_the_case_dates_to_the_month(sample):
    out, manifest, case, _ = sample
    values = manifest["case_config"]["values"]
    assert values["date_of_birth"] == "[redacted]"
    assert values["date_of_death"] == f"{case.config.date_of_death:%Y-%m}" and values["review_date"] == f"{case.config.review_date:%Y-%m}"
    assert dt.datetime.fromtimestamp(manifest["source_date_epoch"], dt.timezone.utc).day == 1
    assert manifest["view"]["dates"] == "month"
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == json.loads(json.dumps(manifest, default=str))


def test_the_word_file_and_the_html_show_months(sample):
    out = sample[0]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Period under review: Feb 2023 to Jul 2024." in html
    assert "Dates are given to the month" in html
    texts = output_texts(out)
    assert "Feb 2023" in texts["chronology.docx!word/document.xml"]  # abbreviated as in report.html (s9; was "February 2023")
    assert not re.search(r"\b\d{2}/\d{2}/\d{4}\b", texts["chronology.docx!word/document.xml"])


def test_the_swimlane_does_not_depend_on_the_day_of_birth(sample):
    """The chart's positions and its age axis come from the months only: moving the date of birth within its
    month (and nothing else) draws the same chart."""
    from review.charts import plot_swimlane

    _, _, case, analysis = sample
    config = case.config
    view = build_module._view(analysis, Redactor.from_case(config))
    drawn = []
    for day in (1, 14, 28):
        moved = dataclasses.replace(config, date_of_birth=config.date_of_birth.replace(day=day))
        drawn.append(figure_svg(plot_swimlane(view.timeline, view.flags, view.periods, moved, date_resolution="month")))
    assert drawn[0] == drawn[1] == drawn[2]


def _whole_months(days: list[dt.date], birth: dt.date) -> list[str]:
    _, shown = child_ages(np.array(days, dtype="datetime64[D]"), np.datetime64(birth))
    return [month_age(s) for s in shown]


def test_an_exhaustive_search_cannot_narrow_the_date_of_birth_to_the_day(sample):
    """What a reader can combine: each contact's month and the child's age then (chronology.csv), the months
    between contacts and from each concern to its escalation, and, as the strongest reader would, the
    exact number of days between every two contacts a flag links (its delay and its rule's deadline). For
    each possible date of birth, each contact's possible days are narrowed until nothing changes; the
    dates of birth left are those the view cannot tell apart."""
    out, _, case, analysis = sample
    rows = list(csv.DictReader((out / "chronology.csv").open(encoding="utf-8-sig")))
    latency = list(openpyxl.load_workbook(out / "chronology.xlsx")["Response latency"].values)
    seq_of = {row["Event id"]: int(row["Seq"]) - 1 for row in rows}
    named = analysis.timeline.sort_values("seq")
    day_of = {e: d.date() for e, d in zip(named["event_id"], named["date"])}
    named_seq = {e: int(s) - 1 for e, s in zip(named["event_id"], named["seq"])}

    links = []  # (i, j, least, most): the days from contact i to contact j
    last_seen = None
    for i, row in enumerate(rows):
        for column, j in (("Months since previous contact", i - 1), ("Months since child seen", last_seen)):
            if row[column] != "" and j is not None and j >= 0:
                months = int(row[column])
                links.append((j, i, int(months * 30.4375), int((months + 1) * 30.4375)))
        # a sighting recorded, or read from a blank cell's row (the months since the child was seen count
        # from either: review.sightings)
        if row["Child seen"] == "yes" or (row["Child seen"] == ""
                                          and row.get("Child seen (read from the text; not recorded)") == "yes"):
            last_seen = i
    head = latency[0]
    for values in latency[1:]:
        entry = dict(zip(head, values))
        if entry["Latency (months)"] is not None and entry["Next escalation by any agency (event id)"] in seq_of:
            months = int(entry["Latency (months)"])
            links.append((seq_of[entry["Event id"]], seq_of[entry["Next escalation by any agency (event id)"]],
                          int(months * 30.4375), int((months + 1) * 30.4375)))
    for flag in analysis.flags.itertuples():
        if pd.notna(flag.delay_days) and flag.actual_action_event_id in named_seq:
            days = (day_of[flag.actual_action_event_id] - day_of[flag.trigger_event_id]).days
            links.append((named_seq[flag.trigger_event_id], named_seq[flag.actual_action_event_id], days, days))
    assert len(links) > 100

    def possible(birth: dt.date) -> bool:
        domains = []
        for row in rows:
            first = dt.date.fromisoformat(row["Date"] + "-01")
            days = [first + dt.timedelta(days=k) for k in range(pd.Timestamp(first).days_in_month)]
            if "–" in row["Child's age"]:  # dated to its month: the ages over the month, whatever its day
                ends = _whole_months([days[0], days[-1]], birth)
                shown = ends[0] if ends[0] == ends[1] else "–".join(ends)
                domains.append(set(days) if shown == row["Child's age"] else set())
            else:
                domains.append({d for d, age in zip(days, _whole_months(days, birth)) if age == row["Child's age"]})
            if not domains[-1]:
                return False
        changed = True
        while changed:
            changed = False
            for i, j, least, most in links:
                later = {d for d in domains[j] if any(least <= (d - p).days <= most for p in domains[i])}
                earlier = {p for p in domains[i] if any(least <= (d - p).days <= most for d in later)}
                if not later or not earlier:
                    return False
                if later != domains[j] or earlier != domains[i]:
                    domains[i], domains[j], changed = earlier, later, True
        return True

    dob = case.config.date_of_birth
    left = [dob + dt.timedelta(days=k) for k in range(-40, 41) if possible(dob + dt.timedelta(days=k))]
    assert dob in left
    assert len(left) >= 5, left  # 6 on the sample: from the flags' delays in days, which the findings need
