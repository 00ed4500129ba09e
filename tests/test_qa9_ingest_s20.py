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
