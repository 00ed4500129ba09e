"""QA9 (case "Ollie") ingest and redaction defects: a group heading merged across sub-headers over columns
merged down both header rows (D8); staff initials, "GP. Weight" and a home address naming an agency in the
redacted outputs (D15); an e-mail file's From/To columns (D13)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

import yaml

from review.config import CaseConfig, load_case_config
from review.ingest.headers import detect_header, load_profile
from review.ingest.tables import RawTable


def _table(rows) -> RawTable:
    return RawTable("f.xlsx", "S", [list(r) for r in rows], list(range(1, len(rows) + 1)))


# ---------------------------------------------------------------------------------------------------
# D8: two-row header, a group heading over sub-headers, the other columns merged down both rows
# ---------------------------------------------------------------------------------------------------
def test_a_group_heading_over_sub_headers_that_name_no_field_is_still_a_two_row_header():
    table = _table([
        ["Care log", None, None, None, None],
        ["Date", "Log entry", "Physical intervention", "Physical intervention", "Action taken"],
        ["Date", "Log entry", "Hold type", "Duration (mins)", "Action taken"],  # A, B, E merged down, filled
        [dt.datetime(2022, 3, 1), "Incident at bedtime.", "Prone hold", 35, "Debrief not completed"],
    ])
    match = detect_header(table, load_profile("generic"))
    assert (match.top, match.index) == (1, 2)
    assert match.headers == ("Date", "Log entry", "Physical intervention Hold type",
                             "Physical intervention Duration (mins)", "Action taken")
    assert set(match.unmapped.values()) >= {"Physical intervention Hold type", "Physical intervention Duration (mins)"}


@pytest.mark.parametrize("lower", [
    # a repeated header row (the columns merged down are the header again, no group): one row
    ["Date", "Log entry", "Physical intervention", "Physical intervention", "Action taken"],
    # sub-headers that repeat each other: no group's sub-headers
    ["Date", "Log entry", "Hold", "Hold", "Action taken"],
    # a row with its own text under a column that is no group: not the header's second row
    ["Date", "Seen at school", "Hold type", "Duration", "Action taken"],
])
def test_a_row_that_is_no_group_sub_header_row_is_not_joined_to_the_header(lower):
    table = _table([
        ["Date", "Log entry", "Physical intervention", "Physical intervention", "Action taken"],
        lower,
        [dt.datetime(2022, 3, 1), "Incident at bedtime.", "Prone hold", 35, "Debrief not completed"],
    ])
    match = detect_header(table, load_profile("generic"))
    assert match.top is None and match.index == 0


@pytest.fixture
def load_contacts():
    from review.ingest.load import load_contacts

    return load_contacts


def _case(case_dir: Path, files) -> CaseConfig:
    config = {"case_id": "C1", "date_of_birth": "2010-03-10", "files": files}
    (case_dir / "case.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return load_case_config(case_dir)


def test_a_merged_care_log_header_keeps_its_restraint_sub_headers(tmp_path, load_contacts):
    """QA9 hollybrook_school_care_log.xlsx: A5:A6, B5:B6, C5:C6 merged down, F5:G5 "Physical intervention"
    merged across "Hold type" / "Duration (mins)". Before: row 6 was skipped as a repeated header and the
    columns were 'Physical intervention' / 'Physical intervention (G)'."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Residential care and incident log"])
    ws.append([])
    ws.append(["Date", "Staff", "Details", "Physical intervention", None, "Action taken"])
    ws.append([None, None, None, "Hold type", "Duration (mins)", None])
    for col in "ABCF":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("D3:E3")
    ws.append([dt.datetime(2021, 10, 14), "R. Dace", "Head-banging on bedroom wall.", "Standing hold", 6, "Body map"])
    ws.append([dt.datetime(2023, 1, 16), "S. Lowe", "Self-injuring at bedtime.", "Prone hold", 35, "Debrief not completed"])
    wb.save(tmp_path / "log.xlsx")
    contacts, report = load_contacts(_case(tmp_path, [{"path": "log.xlsx", "agency": "Hollybrook School"}]))
    assert report.rows_rejected == 0 and len(contacts) == 2
    assert contacts["source_row"].tolist() == [5, 6]
    sheet = report.files[0]
    assert sheet.header_row == 4
    assert any(note.startswith("header in two rows (3 and 4)") for note in sheet.notes), sheet.notes
    assert not any("repeated header" in str(w.message) for w in sheet.warnings)
    # the restraint fields are kept under Other columns, named by group and sub-header, never lost
    assert [e.get("Physical intervention Hold type") for e in contacts["extra"].map(_extra)] == ["Standing hold", "Prone hold"]
    assert [str(e.get("Physical intervention Duration (mins)")) for e in contacts["extra"].map(_extra)] == ["6", "35"]
    assert contacts["description"].tolist()[0].startswith("Head-banging on bedroom wall.")


def _extra(value):
    import json

    return value if isinstance(value, dict) else json.loads(value) if value else {}


# ---------------------------------------------------------------------------------------------------
# D15: redaction of staff initials in the Role column, "GP. Weight", a residential school listed as the home
# ---------------------------------------------------------------------------------------------------
def _redactor():
    import pandas as pd  # noqa: F401

    from review.redact import Redactor

    case = CaseConfig(case_dir=Path("."), case_id="ollie", date_of_birth=dt.date(2010, 3, 10),
                      child_name="Ollie Brennan",
                      people={"Dawn Brennan": "Mother", "T. Marsh": "Residential care worker"},
                      addresses=["Hollybrook School, Moor Lane"])
    return Redactor.from_case(case)


@pytest.mark.parametrize("role, expected", [
    ("R. Dace", "[name]"), ("K. Patel", "[name]"), ("S. Lowe", "[name]"), ("S.Lowe", "[name]"),
    ("K Patel (night staff)", "[name] (night staff)"), ("K. Patel, Head of Care", "[name], Head of Care"),
    ("A. B. Smith", "[name]"),
    # a listed person keeps their pseudonym; roles and services are no names
    ("T. Marsh", "Residential care worker"), ("Head of Care", "Head of Care"), ("R. Team", "R. Team"),
    ("Social worker 1", "Social worker 1"), ("SW", "SW"), ("CAMHS LD nurse", "CAMHS LD nurse"),
])
def test_a_role_cell_of_initial_and_surname_is_a_name(role, expected):
    import pandas as pd

    out = _redactor().frame(pd.DataFrame({"role": [role]}))
    assert out["role"].tolist() == [expected]


def test_staff_initials_are_hidden_in_every_redacted_output_of_a_build(tmp_path):
    """QA9: "R. Dace" stayed in the Role column of the redacted chronology.csv, .xlsx and .docx."""
    from review.cli import main

    case = tmp_path / "case"
    case.mkdir()
    (case / "log.csv").write_text(
        "Date,Staff,Details,Outcome\n"
        "14/10/2021,R. Dace,Bruise to forehead noted at morning care.,Body map completed\n"
        "22/11/2021,K. Patel,Bruising to both upper arms.,No further action\n", encoding="utf-8")
    (case / "case.yml").write_text(yaml.safe_dump({
        "case_id": "ollie", "date_of_birth": "2010-03-10", "child_name": "Ollie Brennan",
        "addresses": ["Hollybrook School, Moor Lane"],
        "files": [{"path": "log.csv", "agency": "Hollybrook School"}]}), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(case), "--redact", "--out", str(out)]) == 0
    import zipfile

    texts = {"chronology.csv": (out / "chronology.csv").read_text(encoding="utf-8"),
             "report.html": (out / "report.html").read_text(encoding="utf-8")}
    for name in ("chronology.xlsx", "chronology.docx"):
        with zipfile.ZipFile(out / name) as z:
            texts[name] = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    for name, text in texts.items():
        assert "Dace" not in text and "Patel" not in text, name
        assert "Hollybrook" not in text, name
    assert "[name]" in texts["chronology.csv"]
    # the school that is the child's home is shown as a school in the agency column, not as an address
    assert "[school]" in texts["chronology.csv"] and "[address]" not in texts["chronology.csv"]


@pytest.mark.parametrize("text, expected", [
    # the full stop after a service's abbreviation ends a sentence: the clinical word after it is kept
    ("Re-referred by GP. Weight 36.1kg.", "Re-referred by GP. Weight 36.1kg."),
    ("Letter to GP. Bruising noted.", "Letter to GP. Bruising noted."),
    # and a listed person's name after it is their pseudonym (before: "new SW. [name] in class")
    ("Statutory visit by new SW. Ollie in class", "Statutory visit by new SW. Child A in class"),
    # a name after it is still hidden; so after a person's title with its full stop, and without a stop
    ("Seen by SW. Smith", "Seen by SW. [name]"),
    ("Seen by HV. Mark", "Seen by HV. [name]"),
    ("Dr. Weight reviewed", "Dr. [name] reviewed"),
    ("GP Weight", "GP [name]"),
    ("Dr A Shah", "Dr [name]"),
])
def test_a_word_after_an_abbreviation_and_a_full_stop(text, expected):
    assert _redactor().text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Hollybrook School", "[school]"),
    ("Placement at Hollybrook School", "Placement at [school]"),
    # the whole address, or where the child lives, is the address
    ("Hollybrook School, Moor Lane", "[address]"),
    ("lives at Hollybrook School", "lives at [address]"),
])
def test_a_residential_school_listed_as_the_home_address_is_a_school(text, expected):
    assert _redactor().text(text) == expected


# ---------------------------------------------------------------------------------------------------
# D13: an e-mail log's To and From columns
# ---------------------------------------------------------------------------------------------------
def test_an_email_logs_to_column_is_who_was_told_and_from_the_source(tmp_path, load_contacts):
    (tmp_path / "emails.csv").write_text(
        "Date sent,Sender,Sent to,Subject,Email text\n"
        "12/02/2022,Mother,Hollybrook School,Arms,He came home with bruises on both arms.\n"
        "13/02/2022,Hollybrook School,Mother,RE: Arms,He is settled.\n", encoding="utf-8")
    contacts, report = load_contacts(_case(tmp_path, [{"path": "emails.csv", "agency": "Parent emails"}]))
    assert len(contacts) == 2
    assert report.files[0].columns["informed_agencies"] == "Sent to"
    assert report.files[0].columns["source_of_information"] == "Sender"
    assert contacts["informed_agencies"].tolist()[0] == "Hollybrook School"
    assert contacts["source_of_information"].tolist() == ["Mother", "Hollybrook School"]
    # (before: both kept under Other columns, read by no rule)
    assert not contacts["extra"].map(_extra).map(lambda e: "Sent to" in e or "Sender" in e).any()


def test_a_from_to_pair_of_dates_is_not_read_as_sender_and_recipients(tmp_path, load_contacts):
    # a placement sheet's "From | To" are the placement's dates: not who was told ("03; 15; 2022" before)
    (tmp_path / "placements.csv").write_text(
        "Date,From,To,Description\n"
        "01/02/2022,01/02/2022,15/03/2022,Placement with foster carers\n", encoding="utf-8")
    contacts, report = load_contacts(_case(tmp_path, [{"path": "placements.csv", "agency": "Social care"}]))
    assert "informed_agencies" not in report.files[0].columns
    assert "source_of_information" not in report.files[0].columns
    assert contacts["informed_agencies"].fillna("").tolist() == [""]
    extra = contacts["extra"].map(_extra).tolist()[0]
    assert "From" in extra and "To" in extra  # kept under Other columns, never lost


def test_a_to_column_beside_a_shared_with_column_is_not_read_as_it(tmp_path, load_contacts):
    (tmp_path / "log.csv").write_text(
        "Date,Details,Shared with,To\n"
        "12/02/2022,Bruise to arm seen.,Westshire Children's Social Care,Ward 3\n", encoding="utf-8")
    contacts, report = load_contacts(_case(tmp_path, [{"path": "log.csv", "agency": "Hospital"}]))
    assert report.files[0].columns["informed_agencies"] == "Shared with"
