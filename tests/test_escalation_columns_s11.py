"""The chronology exports show an escalation cell filled by hand whose row's text says that escalation did
not take place ("Referral to MASH not made" with the cell referral_to_csc) as not taken place: every count
and chart reads only the escalations that took place (`review.rules.base.held_escalations`), and the exports
keep the cell as recorded (provenance) with, beside it,

* chronology.csv and the workbook's "Integrated chronology" sheet: the column
  "Escalation not taken place (read from the text)" with the recorded escalations read as not taken place;
* report.html's chronology table: the Escalation cell with each such escalation marked
  "referral_to_csc (not taken place)", and a note under the table.

Ingest never fills such a cell itself, so the rows are built through the Python API (`make_timeline`).
"""
from __future__ import annotations

import csv
import shutil

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from review import build
from review.export import (
    NOT_HELD_MARK,
    chronology_export,
    chronology_table,
    escalations_not_held,
    marked_escalations,
    write_html,
    write_workbook,
)
from review.pipeline import Analysis, Case, analyse, load_case
from review.rules.base import held_escalation_column
from review.rules.testing import make_timeline
from tests._baseline import RULES
from tests.test_held_outputs_s10 import CONFIG, CSC, SAMPLE, row
from tests.test_held_outputs_s10 import _case as held_case
from tests.test_held_outputs_s10 import rows as held_rows

HEADER = "Escalation not taken place (read from the text)"


def rows():
    """Those of tests/test_held_outputs_s10.py, and a row of two cells of which one took place."""
    return held_rows() + [row("2023-09-07", "strategy_discussion", "Referred to MASH. Strategy discussion cancelled",
                              CSC, "referral_to_csc; strategy_discussion")]


EXPECTED = {"C1-e001": "strategy_discussion", "C1-e002": "", "C1-e003": "referral_to_csc", "C1-e004": "",
            "C1-e005": "", "C1-e006": "strategy_discussion"}


def by_event(table) -> dict:
    return dict(zip(table["event_id"], table["escalation_not_held"]))


def test_escalations_not_held_read_from_the_text():
    timeline = make_timeline(rows())
    assert dict(zip(timeline["event_id"], escalations_not_held(timeline, rules=RULES))) == EXPECTED


def test_escalations_not_held_with_the_reading_given():
    timeline = make_timeline(rows())
    timeline.index = [10 * i for i in range(len(timeline))]
    held = held_escalation_column(timeline, RULES)
    out = escalations_not_held(timeline, held)
    assert out.index.equals(timeline.index)
    assert dict(zip(timeline["event_id"], out)) == EXPECTED
    # booleans in row order read a row as all of its cell or none of it
    booleans = np.array([True, True, False, True, False, False])
    assert escalations_not_held(timeline, booleans).tolist() == [
        "", "", "referral_to_csc", "", "", "referral_to_csc; strategy_discussion"]
    # a reading of some of the rows: the rows it does not give are read as no escalation
    some = pd.Series(["strategy_discussion"], index=[0])
    assert escalations_not_held(timeline, some).tolist()[:2] == ["", "strategy_discussion"]
    with pytest.raises(ValueError):
        escalations_not_held(timeline, np.array(["", ""], dtype=object))


def test_no_cell_filled_reads_nothing():
    timeline = make_timeline([row("2023-09-04", "phone_call", "Referral to MASH not made", escalation="")])
    # not even the rules: a reading of the wrong length is never looked at
    assert escalations_not_held(timeline, np.array([], dtype=object)).tolist() == [""]


def test_marked_escalations():
    assert marked_escalations("referral_to_csc", "referral_to_csc") == "referral_to_csc (not taken place)"
    assert (marked_escalations("referral_to_csc; strategy_discussion", "strategy_discussion")
            == "referral_to_csc; strategy_discussion (not taken place)")
    assert marked_escalations("referral_to_csc", "") == "referral_to_csc"
    assert marked_escalations(pd.NA, pd.NA) == ""
    assert NOT_HELD_MARK == " (not taken place)"


def test_chronology_table_keeps_the_cell_and_gives_the_reading_beside_it():
    timeline = make_timeline(rows())
    table = chronology_table(timeline.iloc[::-1], rules=RULES)  # any order in: the chronology's order out
    assert table["seq"].tolist() == [1, 2, 3, 4, 5, 6]
    headers = [h for _, h in chronology_export(timeline)]
    assert headers[headers.index("Escalation") + 1] == HEADER
    assert table["escalation"].tolist() == [r["escalation"] for r in rows()]  # as recorded
    assert table["escalation_not_held"].tolist() == list(EXPECTED.values())


def _analysis(timeline, held=None):
    return Analysis(timeline=timeline, periods=None, flags=None, response_latency=None, knowledge=None,
                    agency_summary=None, decisions=None, decision_problems=None, held_escalations=held)


def test_workbook_and_html_show_the_reading(tmp_path):
    timeline = make_timeline(rows())
    write_workbook(tmp_path / "c.xlsx", _analysis(timeline), CONFIG)
    ws = load_workbook(tmp_path / "c.xlsx")["Integrated chronology"]
    values = [[c.value for c in r] for r in ws.iter_rows()]
    col, esc = values[0].index(HEADER), values[0].index("Escalation")
    assert [r[esc] or "" for r in values[1:]] == [r["escalation"] for r in rows()]
    assert [r[col] or "" for r in values[1:]] == list(EXPECTED.values())

    html = write_html(tmp_path / "r.html", CONFIG, _analysis(timeline)).read_text(encoding="utf-8")
    assert "<td>referral_to_csc (not taken place)</td>" in html
    assert "<td>strategy_discussion (not taken place)</td>" in html
    assert "<td>referral_to_csc; strategy_discussion (not taken place)</td>" in html
    assert "<td>referral_to_csc</td>" in html  # the referral that took place, unmarked
    assert "3 rows have an escalation marked" in html


def test_html_takes_the_analysis_reading(tmp_path):
    """The reading given is the one shown (the same as every count), not a second reading of the text."""
    timeline = make_timeline(rows())
    held = pd.Series(timeline["escalation"].to_numpy(dtype=object), index=timeline.index)  # all held
    html = write_html(tmp_path / "r.html", CONFIG, _analysis(timeline, held)).read_text(encoding="utf-8")
    assert NOT_HELD_MARK not in html and "escalation marked" not in html


def _case(tmp_path) -> Case:
    return held_case(tmp_path, rows())


@pytest.mark.parametrize("redact", [False, True])
def test_build_outputs_show_the_reading(tmp_path, monkeypatch, redact):
    (tmp_path / "case").mkdir()  # the report folder beside it: one inside the case folder is refused (s15)
    case = _case(tmp_path / "case")
    analysis = analyse(case, RULES)
    monkeypatch.setattr(build, "_load_and_analyse", lambda case_dir: (case, analysis))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build.build_report(tmp_path / "case", tmp_path / "out", progress=False, redact=redact)
    with open(tmp_path / "out" / "chronology.csv", encoding="utf-8-sig", newline="") as fh:
        records = list(csv.DictReader(fh))
    assert [r["Escalation"] for r in records] == [r["escalation"] for r in rows()]
    assert [r[HEADER] for r in records] == list(EXPECTED.values())
    ws = load_workbook(tmp_path / "out" / "chronology.xlsx")["Integrated chronology"]
    values = [[c.value for c in r] for r in ws.iter_rows()]
    col = values[0].index(HEADER)
    assert [r[col] or "" for r in values[1:]] == list(EXPECTED.values())
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert html.count(NOT_HELD_MARK) == 3
    # the build is deterministic
    first = (tmp_path / "out" / "chronology.csv").read_bytes()
    shutil.rmtree(tmp_path / "out")
    build.build_report(tmp_path / "case", tmp_path / "out", progress=False, redact=redact)
    assert (tmp_path / "out" / "chronology.csv").read_bytes() == first


@pytest.mark.skipif(not (SAMPLE / "case.yml").is_file(), reason="no sample case")
def test_sample_has_no_escalation_not_held(tmp_path):
    case_dir = tmp_path / "sample"
    shutil.copytree(SAMPLE, case_dir)
    analysis = analyse(load_case(case_dir))
    table = chronology_table(analysis.timeline, analysis.flags, held=analysis.held_escalations)
    assert len(table) == 99 and (table["escalation_not_held"] == "").all()
    assert int((table["escalation"] != "").sum()) == 24
