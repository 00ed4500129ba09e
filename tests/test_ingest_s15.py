"""Ingest defects of the fifteenth session: a renamed column of a profile that declares its header_row is
one rejection of the sheet (the case still builds), unmapped columns are kept in the sheet's order, and
the generic profile reads the headers of a typical police or health chronology."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from review.cli import main
from review.config import load_case_config
from review.errors import ConfigError
from review.export import other_columns_text
from review.ingest.headers import ProfileColumnsMissing, detect_header, load_profile
from review.ingest.load import load_contacts
from review.ingest.tables import RawTable

ROWS = [["01/02/2023", "Home visit, child seen and weighed", "none"],
        ["08/02/2023", "Mother phoned about a rash", "GP appointment offered"],
        ["15/02/2023", "Clinic, immunisations given", "none"]]


def make_case(folder: Path, files, profiles: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = {"case_id": "C1", "date_of_birth": "2022-06-01", "review_date": "2023-12-31", "files": files}
    (folder / "case.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    for name, text in (profiles or {}).items():
        (folder / "profiles").mkdir(exist_ok=True)
        (folder / "profiles" / f"{name}.yml").write_text(text, encoding="utf-8")
    return folder


def write_xlsx(path: Path, rows, title: str = "Chronology") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


# ---------------------------------------------------------------------------------------------------
# 1. a renamed column with header_row declared: one rejection for the sheet, the other files still read
# ---------------------------------------------------------------------------------------------------
def two_file_case(folder: Path, profile: str) -> Path:
    make_case(folder, [{"path": "gp.xlsx", "agency": "GP", "profile": "gp"},
                       {"path": "hv.xlsx", "agency": "Health Visiting"}], {"gp": profile})
    write_xlsx(folder / "gp.xlsx", [["GP chronology for C1"], [], ["Date of entry", "Details", "Outcome"], *ROWS])
    write_xlsx(folder / "hv.xlsx", [["Date", "Details", "Outcome"], *ROWS])
    return folder


def test_header_row_profile_with_a_renamed_column_rejects_its_sheet_once_and_reads_the_other_files(tmp_path):
    case = two_file_case(tmp_path, "header_row: 3\ncolumns: {date: Date, description: Details}\n")
    contacts, report = load_contacts(load_case_config(case))
    gp, hv = report.files
    assert len(contacts) == 3 and set(contacts["source_file"]) == {"hv.xlsx"}
    assert hv.rows_accepted == 3 and not hv.rejections
    assert gp.rows_read == gp.rows_rejected == 5 and gp.rows_accepted == 0 and report.balanced
    (rejection,) = gp.rejections
    assert (rejection.row, rejection.column, rejection.count) == (3, "Date of entry", 5)
    assert rejection.reason == (
        "profile 'gp' reads its date from 'Date', which the header row does not have: did you mean 'Date of "
        "entry'? Row 3, the profile's header_row, holds 'Date of entry', 'Details', 'Outcome'. Without those "
        "columns no row of the sheet is read: rename the column in the file, or set the profile's `columns:` "
        "(profiles/gp.yml) to the header as written: rows 1 and 3-6 (5 rows) rejected")


def test_validate_and_build_go_on_with_the_other_files(tmp_path, capsys):
    case = two_file_case(tmp_path / "case", "header_row: 3\ncolumns: {date: Date, description: Details}\n")
    assert main(["validate", str(case)]) == 1
    output = capsys.readouterr().out
    lines = [line for line in output.splitlines() if line.startswith("  gp.xlsx")]
    assert len(lines) == 1
    assert lines[0].startswith("  gp.xlsx, sheet 'Chronology', row 3, column 'Date of entry': profile 'gp' reads its date")
    assert lines[0].endswith("rows 1 and 3-6 (5 rows) rejected")
    assert main(["build", str(case), "--out", str(tmp_path / "out")]) in (0, 1)
    assert "3 contacts" in capsys.readouterr().out
    assert (tmp_path / "out" / "chronology.csv").is_file()


def test_header_row_that_is_not_the_header_names_the_row_that_is(tmp_path):
    make_case(tmp_path, [{"path": "gp.xlsx", "profile": "gp"}],
              {"gp": "header_row: 1\ncolumns: {date: Date, description: Details}\n"})
    write_xlsx(tmp_path / "gp.xlsx", [["GP chronology for C1"], [], ["Date", "Details", "Outcome"], *ROWS])
    _, report = load_contacts(load_case_config(tmp_path))
    (rejection,) = report.files[0].rejections
    assert rejection.row == 1 and rejection.column is None
    assert "Row 1, the profile's header_row, holds 'GP chronology for C1'." in rejection.reason
    assert "Row 3 has the profile's columns: set the profile's `header_row:` to 3 (profiles/gp.yml)" in rejection.reason


def test_header_row_with_a_renamed_explicit_non_date_column_is_one_rejection(tmp_path):
    make_case(tmp_path, [{"path": "gp.xlsx", "profile": "gp"}],
              {"gp": "header_row: 1\ncolumns: {date: Date, description: Consultation details}\n"})
    write_xlsx(tmp_path / "gp.xlsx", [["Date", "Details of consultation", "Outcome"], *ROWS])
    _, report = load_contacts(load_case_config(tmp_path))
    (rejection,) = report.files[0].rejections
    assert (rejection.row, rejection.column, rejection.count) == (1, "Details of consultation", 4)
    assert "reads its description from 'Consultation details'" in rejection.reason
    assert "did you mean 'Details of consultation'?" in rejection.reason


def test_detect_header_still_raises_a_config_error_carrying_the_mismatch():
    profile = load_profile(None)
    from dataclasses import replace
    profile = replace(profile, header_row=1, columns={"date": "Date"})
    table = RawTable(file="gp.xlsx", sheet="S", rows=[["Date of entry", "Details"], ["01/02/2023", "x"]],
                     row_numbers=[1, 2])
    with pytest.raises(ConfigError) as error:
        detect_header(table, profile)
    assert isinstance(error.value, ProfileColumnsMissing)
    assert error.value.mismatch.closest == {"date": "Date of entry"} and error.value.mismatch.declared_row


def test_header_row_past_the_end_still_stops_the_case(tmp_path):
    make_case(tmp_path, [{"path": "gp.xlsx", "profile": "gp"}], {"gp": "header_row: 40\n"})
    write_xlsx(tmp_path / "gp.xlsx", [["Date", "Details"], *[r[:2] for r in ROWS]])
    with pytest.raises(ConfigError, match="header_row 40 is past the end"):
        load_contacts(load_case_config(tmp_path))


# ---------------------------------------------------------------------------------------------------
# 2. "Other columns" in the sheet's left-to-right order, not alphabetical
# ---------------------------------------------------------------------------------------------------
def test_other_columns_keep_the_sheets_column_order(tmp_path):
    make_case(tmp_path, [{"path": "police.xlsx", "agency": "Police"}])
    write_xlsx(tmp_path / "police.xlsx", [
        # (s19: "Officer" names the practitioner now, profiles.yml role; "Shift" is a column no field names)
        ["Date", "Zulu ref", "Details", "Shift", "Beat", "Action"],
        ["01/02/2023", "Z-1", "Call to the address, child present", "PC 1234", "B7", "none"],
        ["02/02/2023", None, "Follow-up visit", "DS Okoro", "A2", "none"],
    ])
    contacts, report = load_contacts(load_case_config(tmp_path))
    assert list(json.loads(contacts["extra"].iloc[0])) == ["Zulu ref", "Shift", "Beat"]
    assert contacts["extra"].iloc[0] == '{"Zulu ref": "Z-1", "Shift": "PC 1234", "Beat": "B7"}'
    assert other_columns_text(contacts["extra"].iloc[1]) == "Shift: DS Okoro; Beat: A2"
    assert report.files[0].unmapped_columns == ["Zulu ref", "Shift", "Beat"]


def test_the_built_chronology_shows_other_columns_in_the_sheets_order(tmp_path, capsys):
    make_case(tmp_path / "case", [{"path": "police.xlsx", "agency": "Police"}])
    write_xlsx(tmp_path / "case" / "police.xlsx", [
        ["Date", "Details", "Occurrence number", "Attending unit", "Area"],  # (s19: "Attending officer" is the role)
        ["01/02/2023", "Call to the address", "OC-77", "PC 1234", "North"],
    ])
    assert main(["build", str(tmp_path / "case"), "--out", str(tmp_path / "out")]) in (0, 1)
    import csv
    with open(tmp_path / "out" / "chronology.csv", encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["Other columns"] == "Occurrence number: OC-77; Attending unit: PC 1234; Area: North"


# ---------------------------------------------------------------------------------------------------
# 3. the headers of a typical police or health chronology map with no profile
# ---------------------------------------------------------------------------------------------------
GENERIC_HEADERS = [
    ("Date of entry", "date"), ("Entry date", "date"), ("Date entered", "date"), ("Date of visit", "date"),
    ("Visit date", "date"), ("Appointment date", "date"), ("Date of appointment", "date"),
    ("Consultation date", "date"), ("Date of consultation", "date"),
    ("Time of incident", "time"), ("Incident time", "time"), ("Time of occurrence", "time"),
    ("Occurrence time", "time"), ("Time of entry", "time"), ("Entry time", "time"),
    ("Incident Type", "contact_type"), ("Type of incident", "contact_type"), ("Event type", "contact_type"),
    ("Occurrence type", "contact_type"), ("Type of occurrence", "contact_type"), ("Entry type", "contact_type"),
    ("Type of entry", "contact_type"), ("Visit type", "contact_type"), ("Appointment type", "contact_type"),
    ("Consultation type", "contact_type"),
    ("Recorded by", "role"), ("Entered by", "role"), ("Logged by", "role"),
    ("Details of incident", "description"), ("Incident summary", "description"),
    ("Summary of incident", "description"), ("Entry details", "description"), ("Details of entry", "description"),
    ("Actions taken", "action"),
]


@pytest.mark.parametrize("header, field", GENERIC_HEADERS, ids=[h for h, _ in GENERIC_HEADERS])
def test_generic_profile_reads_the_header(header, field):
    others = {"date": ["Date", "01/02/2023"], "description": ["Details", "Call to the address"]}
    others.pop(field, None)
    columns = [[header, "Text of it" if field not in ("date", "time") else ("10:30" if field == "time" else "02/02/2023")],
               *others.values()]
    table = RawTable(file="police.xlsx", sheet="Log", rows=[[c[0] for c in columns], [c[1] for c in columns]],
                     row_numbers=[1, 2])
    match = detect_header(table, load_profile(None))
    assert match is not None and match.header_of(field) == header and not match.unmapped


def test_the_new_headers_name_one_field_each():
    lookup = load_profile(None).lookup()
    from review.ingest.headers import normalise_header
    assert {lookup[normalise_header(h)][0] for h, _ in GENERIC_HEADERS} <= {f for _, f in GENERIC_HEADERS}
    assert all(lookup[normalise_header(h)][0] == f for h, f in GENERIC_HEADERS)


def test_a_police_chronology_with_these_headers_is_read_with_no_profile(tmp_path):
    make_case(tmp_path, [{"path": "police.xlsx", "agency": "Police"}])
    write_xlsx(tmp_path / "police.xlsx", [
        ["Date of entry", "Time of incident", "Incident Type", "Summary of incident", "Actions taken", "Recorded by"],
        ["01/02/2023", "22:10", "Domestic incident", "Neighbour reported shouting; child present", "DASH completed", "PC 1234"],
        ["03/02/2023", "09:00", "Welfare check", "Officers attended, child seen", "none", "PC 88"],
    ])
    contacts, report = load_contacts(load_case_config(tmp_path))
    (sheet,) = report.files
    assert sheet.rows_accepted == 2 and not sheet.rejections and sheet.unmapped_columns == []
    assert sheet.columns == {"date": "Date of entry", "time": "Time of incident", "role": "Recorded by",
                             "contact_type": "Incident Type", "description": "Summary of incident",
                             "action": "Actions taken"}
    assert contacts["role"].tolist() == ["PC 1234", "PC 88"]
    assert contacts["description"].iloc[0] == "Neighbour reported shouting; child present"


def test_a_date_of_contact_beside_a_date_of_entry_is_still_the_date(tmp_path):
    make_case(tmp_path, [{"path": "gp.xlsx", "agency": "GP"}])
    write_xlsx(tmp_path / "gp.xlsx", [["Date of entry", "Date of contact", "Details"],
                                      ["05/02/2023", "01/02/2023", "Home visit"]])
    contacts, report = load_contacts(load_case_config(tmp_path))
    assert report.files[0].columns["date"] == "Date of contact"
    assert str(contacts["date"].iloc[0])[:10] == "2023-02-01"
    assert report.files[0].unmapped_columns == ["Date of entry"]
