"""A flag whose trigger is a contact known only to its year or month showed its trigger date as a day
("01/01/2023" in the named view) or a month ("Jan 2023" / "2023-01" in the anonymised view) in flags.csv,
report.html, the workbook, the Word export and the charts' labels. Such a date now shows to its precision
("2023", "May 2023", "2023-05") everywhere, as the chronology shows it; and the Word export spells months
as report.html and the workbook do ("Apr 2023", not "April 2023")."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

import review.build as build_module
from review.charts import _date_label
from review.cli import main
from review.export import flag_date_precisions, save_figure, write_csv
from review.schema import FLAG_COLUMNS, conform

CASE_YML = """\
case_id: CSPR-Smith-2024
child_name: Amy Smith
date_of_birth: 2022-03-14
people: {Jo Smith: Mother}
"""
CHRONOLOGY = """\
Date,Agency,Practitioner,Type of contact,Details of contact,Outcome,Child seen
2023,GP,GP,clinic appointment,Amy seen (year only),None,yes
05/2023,GP,GP,clinic appointment,Amy seen (month only),None,yes
10/04/2023,GP,HV,home visit,Amy seen (a day),None,yes
"""
MARKS = ("(year only)", "(month only)", "(a day)")  # the flags' order: on the year, the month, the day


def _with_flags(load):
    """`build._load_and_analyse` with one flag triggered by each of the case's three contacts."""
    def wrapped(case_dir):
        case, analysis = load(case_dir)
        timeline = analysis.timeline
        rows = []
        for n, mark in enumerate(MARKS, start=1):
            event = timeline[timeline["description"].str.contains(mark, regex=False)].iloc[0]
            rows.append({"flag_id": f"child_not_seen-{n:012x}", "rule_id": "child_not_seen", "severity": "high",
                         "trigger_event_id": event["event_id"], "trigger_date": event["date"], "agencies": "GP",
                         "explanation": f"flag on the contact {mark}", "evidence_event_ids": event["event_id"],
                         "expected_action": "a sighting", "failing_category": "child not seen", "source": "test"})
        analysis.flags = conform(pd.DataFrame(rows), FLAG_COLUMNS)
        return case, analysis
    return wrapped


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("flag_dates")
    case = root / "case"
    case.mkdir()
    (case / "case.yml").write_text(CASE_YML, encoding="utf-8")
    (case / "gp.csv").write_text(CHRONOLOGY, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_module, "save_figure", lambda fig, stem, d: save_figure(fig, stem, d, ("svg",)))
        mp.setattr(build_module, "_load_and_analyse", _with_flags(build_module._load_and_analyse))
        build_module.build_report(case, root / "named", progress=False)
        build_module.build_report(case, root / "anonymised", redact=True, progress=False)
    return root


def _flag_dates(out: Path) -> dict:
    rows = list(csv.DictReader((out / "flags.csv").open(encoding="utf-8-sig")))
    sheet = openpyxl.load_workbook(out / "chronology.xlsx")["Flags"]
    column = [c.value for c in sheet[1]].index("Trigger date")
    cells = [row[column] for row in sheet.iter_rows(min_row=2, max_row=4)]
    html = (out / "report.html").read_text(encoding="utf-8")
    html = html[html.index('id="flags"'):html.index('id="chronology"')]
    shown_html = re.findall(r"<tr[^>]*><td[^>]*>\d+</td><td[^>]*>([^<]*)</td>", html)
    table = next(t for t in docx.Document(out / "chronology.docx").tables if t.rows[0].cells[1].text == "Rule")
    date_column = [c.text for c in table.rows[0].cells].index("Date")
    return {
        "order": [next(m for m in MARKS if m in r["Explanation"]) for r in rows],
        "csv": [r["Trigger date"] for r in rows],
        "xlsx": [(c.value.strftime("%Y-%m-%d"), c.number_format) for c in cells],
        "html": shown_html,
        "docx": [table.rows[i].cells[date_column].text for i in range(1, 4)],
    }


def test_the_anonymised_view_shows_a_flags_trigger_date_to_its_precision(built):
    shown = _flag_dates(built / "anonymised")
    assert shown["order"] == list(MARKS)
    assert shown["csv"] == ["2023", "2023-05", "2023-04"]
    assert shown["xlsx"] == [("2023-01-01", "yyyy"), ("2023-05-01", "mmm yyyy"), ("2023-04-01", "mmm yyyy")]
    assert shown["html"] == ["2023", "May 2023", "Apr 2023"]
    assert shown["docx"] == ["2023", "May 2023", "Apr 2023"]


def test_the_named_view_shows_a_flags_trigger_date_to_its_precision(built):
    shown = _flag_dates(built / "named")
    assert shown["order"] == list(MARKS)
    assert shown["csv"] == ["2023", "2023-05", "2023-04-10"]
    assert shown["xlsx"] == [("2023-01-01", "yyyy"), ("2023-05-01", "mmm yyyy"), ("2023-04-10", "dd/mm/yyyy")]
    assert shown["html"] == ["2023", "May 2023", "10/04/2023"]
    assert shown["docx"] == ["2023", "May 2023", "10/04/2023"]


def test_the_word_export_abbreviates_months_as_html_and_the_workbook_do(built):
    text = "\n".join(c.text for t in docx.Document(built / "anonymised" / "chronology.docx").tables
                     for r in t.rows for c in r.cells)
    assert "Apr 2023" in text and "May 2023" in text
    assert not re.search(r"\b(?:April|May|January) 2023\b", text.replace("May 2023", ""))
    assert "April 2023" not in text


def test_review_flags_prints_and_writes_a_trigger_date_to_its_precision(built, tmp_path, capsys, monkeypatch):
    import review.pipeline as pipeline

    analyse = pipeline.analyse
    monkeypatch.setattr(pipeline, "analyse", lambda case, **kw: _with_flags(lambda _: (case, analyse(case, **kw)))(None)[1])
    for redact, expected in (([], ["2023", "2023-05", "2023-04-10"]), (["--redact"], ["2023", "2023-05", "2023-04"])):
        out = tmp_path / f"flags{len(redact)}.csv"
        assert main(["flags", str(built / "case"), "--csv", str(out), *redact]) == 0
        printed = capsys.readouterr().out
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert [r["Trigger date"] for r in rows] == expected
        dates = re.findall(r"^\d+\s+child_not_seen\s+(\S+)", printed, re.MULTILINE)
        assert dates == expected


def test_flag_date_precisions_reads_each_dates_contact():
    timeline = pd.DataFrame({"event_id": ["E1", "E2", "E3"], "date_precision": ["year", "month", "day"]})
    table = pd.DataFrame({"trigger_event_id": ["E2", "E1", "E9"], "actual_action_event_id": ["", "E3", pd.NA]})
    assert flag_date_precisions(table, timeline) == {"trigger_date": ["month", "year", None],
                                                      "actual_action_date": [None, "day", None]}
    assert flag_date_precisions(table, None) == {}


def test_write_csv_shows_the_given_columns_to_their_precision(tmp_path):
    frame = pd.DataFrame({"when": pd.to_datetime(["2023-01-01", "2023-05-01", "2023-04-10"])})
    precisions = {"when": ["year", "month", "day"]}
    for resolution, expected in (("day", ["2023", "2023-05", "2023-04-10"]), ("month", ["2023", "2023-05", "2023-04"])):
        path = write_csv(tmp_path / f"{resolution}.csv", frame, date_resolution=resolution, precisions=precisions)
        assert [r["when"] for r in csv.DictReader(path.open(encoding="utf-8-sig"))] == expected


def test_chart_labels_show_a_date_to_its_precision():
    day = pd.Timestamp("2023-01-01")
    assert _date_label(day, "year", "%d %b %Y") == "2023"
    assert _date_label(day, "month", "%d %b %Y") == "Jan 2023"
    assert _date_label(day, "day", "%d %b %Y") == "01 Jan 2023"
    assert _date_label(day, None, "%b %Y") == "Jan 2023"
    assert _date_label(pd.NaT, "year", "%b %Y") == ""
