"""A second table below the first on one sheet (s16 QA): a GP's table, a blank row, then "Hospital | Date of
attendance | Outcome | Presenting complaint" and its rows. The second header row is recognised and the rows
below it are read with its columns, with their file, sheet and row; a note says where the second table starts.
Before, its rows were rejected ("unreadable date 'Hospital'", "unreadable date 'Westshire ED'") or its header
row was ("unreadable date 'Date of attendance'")."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from review.config import CaseConfig, FileSpec
from review.ingest.headers import load_profile
from review.ingest.load import contacts_from_table
from review.ingest.tables import RawTable

CASE = CaseConfig(case_dir=Path("."), case_id="T-2ND", child_name="Mia Grant", date_of_birth=dt.date(2024, 1, 29))
SPEC = FileSpec(path="gp.xlsx", agency="Orchard Surgery")

GP = [["Date", "Agency", "Details", "Outcome"],
      ["12/03/2024", "GP", "Seen, bruise to arm.", "No action"],
      ["20/03/2024", "GP", "Routine immunisations.", "Given"],
      [None, None, None, None]]


def _read(rows):
    table = RawTable(file="gp.xlsx", sheet="GP record", rows=rows, row_numbers=list(range(1, len(rows) + 1)))
    return contacts_from_table(table, SPEC, load_profile(None), CASE, {})


def test_a_second_table_in_another_column_order_is_read_with_its_own_header():
    contacts, report = _read(GP + [
        ["Hospital contacts", None, None, None],
        ["Hospital", "Date of attendance", "Outcome", "Presenting complaint"],
        ["Westshire ED", "25/03/2024", "Discharged home", "Fractured femur, baby not mobile, no explanation."],
        ["Westshire ED", "28/03/2024", "Discharged", "Reattendance: vomiting"],
    ])
    assert not report.rejections, report.rejections
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (4, 4, 0)
    assert report.header_row == 1 and report.columns["date"] == "Date"
    hospital = contacts[contacts["source_row"] >= 7]
    assert hospital["source_row"].tolist() == [7, 8]
    assert hospital["date"].dt.date.tolist() == [dt.date(2024, 3, 25), dt.date(2024, 3, 28)]
    assert hospital["description"].tolist() == ["Fractured femur, baby not mobile, no explanation.",
                                                "Reattendance: vomiting"]
    assert hospital["action"].tolist() == ["Discharged home", "Discharged"]
    assert set(hospital["source_file"]) == {"gp.xlsx"} and set(hospital["source_sheet"]) == {"GP record"}
    # the first table's rows are read with its own columns, as before
    assert contacts[contacts["source_row"] < 7]["description"].tolist() == ["Seen, bruise to arm.", "Routine immunisations."]
    assert any("second table from row 6" in note and "'Date of attendance'" in note for note in report.notes), report.notes


def test_a_second_table_in_the_same_column_order_does_not_reject_its_header_row():
    contacts, report = _read(GP + [
        ["Date of attendance", "Hospital", "Presenting complaint", "Outcome"],
        ["25/03/2024", "Westshire ED", "Fractured femur", "Discharged"],
    ])
    assert not report.rejections, report.rejections
    assert contacts["source_row"].tolist() == [2, 3, 6]
    assert contacts["description"].tolist()[-1] == "Fractured femur"
    assert report.rows_read == report.rows_accepted == 3
    assert any("second table from row 5" in note for note in report.notes), report.notes


def test_a_repeated_header_and_a_text_date_are_not_a_second_table():
    contacts, report = _read(GP[:3] + [
        ["Date", "Agency", "Details", "Outcome"],  # the header repeated (a page break): skipped, as before
        ["unknown", "GP", "Letter from hospital filed.", "Filed"],  # a date not known: rejected, as before
        ["27/03/2024", "GP", "Review.", "Seen"],
    ])
    assert contacts["source_row"].tolist() == [2, 3, 6]
    assert [r.row for r in report.rejections] == [5]
    assert any("repeated header row(s) skipped (row 4)" in note for note in report.notes), report.notes
    assert not any("second table" in note for note in report.notes)
