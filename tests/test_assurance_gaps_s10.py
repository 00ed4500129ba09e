"""Declared compliance: the year column as people fill it in (s10). A date in the year column is the
financial year it falls in (declarations are made for financial years, 1 April - 31 March); "FY18/19" is
2018/19; an empty year is an error naming the file, row and column (never 'nan'); a file with no year
column whose name gives one year ("declarations_2008.csv") declares that year, and a note says so."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from review.thematic import DeclarationsError, _year_period, assurance_vs_evidence, read_declarations

HEADER = "Organisation,Year,Standard,Status\n"


@pytest.mark.parametrize("written, label", [
    ("31/03/2008", "2007/08"), ("2008-03-31", "2007/08"), ("01/04/2008", "2008/09"), ("31.03.2008", "2007/08"),
    ("FY18/19", "2018/19"), ("FY 18-19", "2018/19"), ("FY2018/19", "2018/19"), ("2018/19", "2018/19"),
    ("2018", "2018"),
])
def test_year_cells_written_as_dates_or_short_financial_years(tmp_path, written, label):
    path = tmp_path / "d.csv"
    path.write_text(HEADER + f"Trust X,{written},Information sharing,Compliant\n", encoding="utf-8")
    frame = read_declarations(path)
    assert frame["year"].tolist() == [label]


def test_a_date_cell_is_the_financial_year_it_falls_in(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Organisation", "Year", "Standard", "Status"])
    ws.append(["Trust X", dt.datetime(2008, 3, 31), "Information sharing", "Compliant"])  # the year's end
    ws.append(["Trust Y", dt.datetime(2008, 4, 1), "Information sharing", "Compliant"])  # the next year's start
    wb.save(tmp_path / "d.xlsx")
    frame = read_declarations(tmp_path / "d.xlsx")
    assert frame[["organisation", "year"]].values.tolist() == [["Trust X", "2007/08"], ["Trust Y", "2008/09"]]


@pytest.mark.parametrize("written", ["31/02/2008", "FY18", "18/19", "FY18/20"])
def test_what_is_no_year_is_still_named(tmp_path, written):
    path = tmp_path / "d.csv"
    path.write_text(HEADER + f"Trust X,{written},Information sharing,Compliant\n", encoding="utf-8")
    with pytest.raises(DeclarationsError) as info:
        read_declarations(path)
    assert f"row 2, column 'Year': year {written!r} is not a year" in str(info.value)
    assert _year_period(written) is None


def test_an_empty_year_is_an_error_naming_file_row_and_column_never_nan(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(HEADER + "Trust X,2018/19,Information sharing,Compliant\n"
                    "Trust Y,,Information sharing,Compliant\n", encoding="utf-8")
    with pytest.raises(DeclarationsError) as info:
        read_declarations(path)
    message = str(info.value)
    assert message.startswith(f"{path}, row 3, column 'Year': year is empty")
    assert not re.search(r"\bnan\b", message, re.IGNORECASE)


def test_an_empty_year_in_a_declarations_table_given_directly_names_the_row():
    declarations = pd.DataFrame({"organisation": ["Trust X", "Trust Y"], "year": ["2018/19", float("nan")],
                                 "standard": ["Information sharing"] * 2, "declared_status": ["compliant"] * 2,
                                 "source_sheet": ["", ""], "source_row": [2, 3]})
    timeline = pd.DataFrame({"case_id": ["c"], "event_id": ["E1"], "organisation": ["Trust X"],
                             "agency_kind": ["health"], "date": pd.to_datetime(["2018-06-01"])})
    flags = pd.DataFrame({"case_id": pd.Series([], dtype="string"), "trigger_event_id": pd.Series([], dtype="string"),
                          "trigger_date": pd.to_datetime(pd.Series([], dtype="string")),
                          "failing_category": pd.Series([], dtype="string"),
                          "rule_id": pd.Series([], dtype="string")})
    with pytest.raises(DeclarationsError) as info:
        assurance_vs_evidence(declarations, flags, timeline)
    assert "a declaration (row 3) has no year" in str(info.value)
    assert not re.search(r"\bnan\b", str(info.value), re.IGNORECASE)


def test_no_year_column_the_one_year_in_the_file_name_is_used_and_said(tmp_path):
    path = tmp_path / "declarations_2008-09.csv"
    path.write_text("Organisation,Standard,Status\nTrust X,Information sharing,Compliant\n", encoding="utf-8")
    frame = read_declarations(path)
    assert frame["year"].tolist() == ["2008/09"]
    assert "no year column, the year 2008/09 taken from the file's name 'declarations_2008-09.csv'" in \
        "\n".join(frame.attrs["notes"])
    plain = tmp_path / "declarations_2008.csv"
    plain.write_text("Organisation,Standard,Status\nTrust X,Information sharing,Compliant\n", encoding="utf-8")
    assert read_declarations(plain)["year"].tolist() == ["2008"]


@pytest.mark.parametrize("name, hint", [
    ("declarations.csv", "or name the file by the one year it declares"),
    ("declarations_2007_and_2008.csv", "gives more than one year: 2007, 2008"),
])
def test_no_year_column_and_no_single_year_in_the_file_name_is_a_clear_error(tmp_path, name, hint):
    path = tmp_path / name
    path.write_text("Organisation,Standard,Status\nTrust X,Information sharing,Compliant\n", encoding="utf-8")
    with pytest.raises(DeclarationsError) as info:
        read_declarations(path)
    message = str(info.value)
    assert message.startswith(f"{path}, row 1: missing column(s) year") and hint in message
