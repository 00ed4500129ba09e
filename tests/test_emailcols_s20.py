"""QA10 problem 4 (case "Ollie"): an e-mail log's bare "From" / "To" columns ("Date sent | From | To | Subject |
Email text") are its source of information and informed agencies; a "From | To" pair in a sheet with no e-mail
header (a placement sheet's dates) is not."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from review.config import CaseConfig, load_case_config
from review.ingest.headers import detect_header, load_profile
from review.ingest.tables import RawTable


def _table(rows) -> RawTable:
    return RawTable("f.xlsx", "S", [list(r) for r in rows], list(range(1, len(rows) + 1)))


def _case(case_dir: Path, files) -> CaseConfig:
    config = {"case_id": "C1", "date_of_birth": "2010-03-10", "files": files}
    (case_dir / "case.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return load_case_config(case_dir)


def _extra(value) -> dict:
    if isinstance(value, dict):
        return value
    return json.loads(value) if isinstance(value, str) and value else {}


@pytest.fixture
def load_contacts():
    from review.ingest.load import load_contacts

    return load_contacts


def test_an_email_logs_bare_from_and_to_are_the_sender_and_recipients(tmp_path, load_contacts):
    # Ollie's parent_emails.csv layout (before: From/To kept under Other columns, "shared with" empty)
    (tmp_path / "parent_emails.csv").write_text(
        "Date sent,From,To,Subject,Email text\n"
        "12/02/2022 21:04,Dawn Brennan (mother),Hollybrook School,Ollie's arms,Ollie came home with bruises.\n"
        "06/10/2022 20:30,Dawn Brennan (mother),Kerry Holt (social worker),Weight,He has lost so much weight.\n",
        encoding="utf-8")
    contacts, report = load_contacts(_case(tmp_path, [{"path": "parent_emails.csv", "agency": "Parent emails"}]))
    assert len(contacts) == 2
    assert report.files[0].columns["source_of_information"] == "From"
    assert report.files[0].columns["informed_agencies"] == "To"
    assert contacts["source_of_information"].tolist() == ["Dawn Brennan (mother)"] * 2
    assert contacts["informed_agencies"].tolist() == ["Hollybrook School", "Kerry Holt (social worker)"]
    assert not contacts["extra"].map(_extra).map(lambda e: "From" in e or "To" in e).any()


@pytest.mark.parametrize("headers", [
    ["Date", "From", "To", "Description"],  # a placement sheet: From/To are its dates
    ["Date", "From", "To", "Subject", "Description"],  # "Subject" alone is no e-mail header (the child's name)
])
def test_a_from_to_pair_in_a_sheet_with_no_email_header_is_not_read(headers):
    row = [dt.datetime(2022, 2, 1), dt.datetime(2022, 2, 1), dt.datetime(2022, 3, 15)] + ["x"] * (len(headers) - 3)
    match = detect_header(_table([headers, row]), load_profile("generic"))
    assert "source_of_information" not in match.columns and "informed_agencies" not in match.columns
    assert {"From", "To"} <= set(match.unmapped.values())


def test_an_email_logs_named_sender_column_wins_over_a_bare_from():
    # a column already holding the field keeps it; the bare From/To is read only for a field no column holds
    match = detect_header(_table([["Date sent", "Sender", "From", "To", "Email text"],
                                  [dt.datetime(2022, 2, 1), "Mother", "Home", "School", "Bruises."]]),
                          load_profile("generic"))
    assert match.columns["source_of_information"] == 1
    assert match.columns["informed_agencies"] == 3
    assert "From" in match.unmapped.values()
