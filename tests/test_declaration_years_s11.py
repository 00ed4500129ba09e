"""Declared compliance: a date in the year column follows the file's own convention (s11). Before, it was
always the financial year it falls in, even in a file whose other rows say 2007, 2008 (calendar years):
"31/03/2008" read 2007/08 there, so the declaration was compared with the wrong twelve months.
Now: the file's other years all financial ("2007/08", "FY07/08") -> the financial year the date falls in;
all calendar ("2007") -> its calendar year; no other year, or both kinds -> the financial year (as before).
A note says which reading was used and for which cells."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from review.thematic import _dates_convention, _year_period, assurance_vs_evidence, read_declarations

HEADER = "Organisation,Year,Standard,Status\n"


def read(tmp_path, *lines):
    path = tmp_path / "d.csv"
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return read_declarations(path)


def test_calendar_file_reads_a_date_as_its_calendar_year(tmp_path):
    frame = read(tmp_path, "Trust X,2007,Information sharing,Compliant",
                 "Trust Y,31/03/2008,Information sharing,Compliant",
                 "Trust Z,2008-04-01,Information sharing,Compliant")
    assert frame["year"].tolist() == ["2007", "2008", "2008"]  # before: 2007, 2007/08, 2008/09
    notes = [n for n in frame.attrs["notes"] if "written as a date" in n]
    assert notes == ["2 year cell(s) written as a date (31/03/2008 as 2008, 2008-04-01 as 2008) read as the "
                     "calendar year each falls in, as the file's other years are calendar years (e.g. 2007)"]


@pytest.mark.parametrize("other", ["2007/08", "FY07/08", "2007-2008"])
def test_financial_file_reads_a_date_as_the_financial_year(tmp_path, other):
    frame = read(tmp_path, f"Trust X,{other},Information sharing,Compliant",
                 "Trust Y,31/03/2008,Information sharing,Compliant")
    assert frame["year"].tolist() == ["2007/08", "2007/08"]
    note, = [n for n in frame.attrs["notes"] if "written as a date" in n]
    assert "read as the financial year each falls in" in note and f"(e.g. {other})" in note


def test_no_evidence_keeps_the_financial_year_and_says_so(tmp_path):
    frame = read(tmp_path, "Trust Y,31/03/2008,Information sharing,Compliant")
    assert frame["year"].tolist() == ["2007/08"]
    note, = [n for n in frame.attrs["notes"] if "written as a date" in n]
    assert "(1 April - 31 March, the default)" in note and "no other year" in note


def test_both_ways_keeps_the_financial_year_and_says_so(tmp_path):
    frame = read(tmp_path, "Trust X,2007,Information sharing,Compliant",
                 "Trust W,2007/08,Information sharing,Compliant",
                 "Trust Y,31/03/2008,Information sharing,Compliant")
    assert frame["year"].tolist() == ["2007", "2007/08", "2007/08"]
    note, = [n for n in frame.attrs["notes"] if "written as a date" in n]
    assert "both as calendar and as financial years" in note


def test_no_date_no_note(tmp_path):
    frame = read(tmp_path, "Trust X,2007,Information sharing,Compliant")
    assert not [n for n in frame.attrs["notes"] if "written as a date" in n]


def test_date_cells_of_a_workbook_follow_its_other_sheets(tmp_path):
    """The convention is the file's: a calendar year on one sheet reads the date cells of another."""
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    first.title = "Trusts"
    first.append(["Organisation", "Year", "Standard", "Status"])
    first.append(["Trust X", 2007, "Information sharing", "Compliant"])  # a number cell: a calendar year
    second = wb.create_sheet("Schools")
    second.append(["Organisation", "Year", "Standard", "Status"])
    second.append(["School Y", dt.datetime(2008, 3, 31), "Information sharing", "Compliant"])
    wb.save(tmp_path / "d.xlsx")
    frame = read_declarations(tmp_path / "d.xlsx")
    assert frame[["organisation", "year"]].values.tolist() == [["Trust X", "2007"], ["School Y", "2008"]]
    assert any("31/03/2008 as 2008" in n for n in frame.attrs["notes"])


def test_a_sheet_named_by_a_financial_year_is_evidence(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    first.title = "2007-08"  # a sheet per year with no year column: its name is its year
    first.append(["Organisation", "Standard", "Status"])
    first.append(["Trust X", "Information sharing", "Compliant"])
    second = wb.create_sheet("Other")
    second.append(["Organisation", "Year", "Standard", "Status"])
    second.append(["School Y", dt.datetime(2009, 3, 31), "Information sharing", "Compliant"])
    wb.save(tmp_path / "d.xlsx")
    frame = read_declarations(tmp_path / "d.xlsx")
    assert frame["year"].tolist() == ["2007/08", "2008/09"]


def test_dates_convention():
    assert _dates_convention(["2007", 2008, "31/03/2008"]) == (False, "calendar (e.g. 2007)")
    assert _dates_convention(["FY07/08", dt.date(2008, 3, 31)]) == (True, "financial (e.g. FY07/08)")
    assert _dates_convention([dt.date(2008, 3, 31), "Year", None]) == (None, "none")
    assert _dates_convention(["2007", "2007/08"]) == (None, "mixed")
    assert _year_period("31/03/2008", dates_financial=False) == (2008, False)
    assert _year_period("31/03/2008") == (2007, True)


def test_assurance_vs_evidence_reads_a_date_given_by_hand_the_same_way():
    """A declarations table built through the API with a date among calendar years."""
    # (a named practice: "GP" alone is a generic agency word, kept apart per case since s18, and declared matches none)
    declarations = pd.DataFrame({"organisation": ["Oak Surgery", "Oak Surgery"], "year": ["2017", dt.date(2018, 3, 31)],
                                 "standard": ["Information sharing"] * 2,
                                 "declared_status": ["compliant"] * 2, "source_row": [2, 3]})
    timeline = pd.DataFrame({"case_id": ["c", "c"], "event_id": ["E1", "E2"], "organisation": ["Oak Surgery"] * 2,
                             "agency_kind": ["health"] * 2, "date": pd.to_datetime(["2018-02-01", "2018-06-01"])})
    flags = pd.DataFrame({"case_id": pd.Series([], dtype="string"), "trigger_event_id": pd.Series([], dtype="string"),
                          "trigger_date": pd.to_datetime(pd.Series([], dtype="string")),
                          "failing_category": pd.Series([], dtype="string"),
                          "rule_id": pd.Series([], dtype="string")})
    out = assurance_vs_evidence(declarations, flags, timeline)
    contacts = dict(zip(out["year"].astype(str), out["contacts"]))
    # calendar 2018 holds both contacts (the financial year 2017/18 would hold only the first)
    assert contacts == {"2017": 0, "2018-03-31": 2}
