"""Ingest defects found by the sixteenth session's QA pass (a disabled 6-year-old, a neglect case moving
between local authorities, a baby of a 17-year-old mother): the agencies' own names for community health
services and short breaks, their column headers, two local authorities with alike names, and a pregnancy's
contacts before the birth."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from review.cli import main
from review.config import load_case_config
from review.ingest.load import load_contacts
from review.config import load_vocab
from review.vocab import normalise_agency

from test_bad_input import make_case, write_csv, write_xlsx


def validate(case_dir: Path, capsys) -> str:
    code = main(["validate", str(case_dir)])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert code == 0 and "Traceback" not in output, output
    return output


@pytest.mark.parametrize("name, kind", [
    ("Westshire Community Paediatrics", "health"),
    ("Children's Physiotherapy", "health"),
    ("Clearview Opticians", "health"),
    ("Speech and Language Therapy", "health"),
    ("Oakwood Short Breaks", "social care"),
    ("Disabled Children's Team", "social care"),
    ("Brookfield Primary School", "education"),
])
def test_community_health_services_and_short_breaks_have_their_kind(name, kind):
    assert normalise_agency(name, load_vocab())[1] == kind


def test_appointment_and_arrival_columns_are_dates(tmp_path):
    make_case(tmp_path)
    write_csv(tmp_path / "physio.csv", [["Appt date", "Therapist", "Notes"], ["03/02/2023", "J Smith", "Seen, stretches"]])
    write_xlsx(tmp_path / "ed.xlsx", [["Arrival", "Presenting complaint", "Clinical findings"],
                                      ["05/03/2023 14:20", "Fall", "Bruise to forehead"]])
    contacts, reports = load_contacts(load_case_config(tmp_path))
    assert len(contacts) == 2 and not any(f.rows_rejected for f in reports.files)
    ed = contacts[contacts["source_file"] == "ed.xlsx"].iloc[0]
    assert str(ed["date"])[:10] == "2023-03-05"
    # the clinical findings are read too, after the presenting complaint
    assert "Fall" in ed["description"] and "Bruise to forehead" in ed["description"]


def test_a_schools_concern_log_column_is_its_narrative_when_there_is_no_description(tmp_path):
    make_case(tmp_path)
    write_csv(tmp_path / "academy.csv", [["Date of entry", "Logged by", "Concern", "Actions"],
                                         ["10/03/2023", "DSL", "Tyler hungry and took food from bins", "Breakfast club"]])
    write_csv(tmp_path / "primary.csv", [["Date", "Concern type", "What was seen / said", "Action"],
                                         ["11/03/2023", "Neglect", "Head lice again and same clothes all week", "Call home"]])
    contacts, _ = load_contacts(load_case_config(tmp_path))
    academy = contacts[contacts["source_file"] == "academy.csv"].iloc[0]
    primary = contacts[contacts["source_file"] == "primary.csv"].iloc[0]
    assert academy["description"] == "Tyler hungry and took food from bins"
    assert primary["description"] == "Head lice again and same clothes all week"
    assert "neglect" in str(primary["concerns"])


def test_a_concern_column_beside_a_description_stays_the_concerns(tmp_path):
    make_case(tmp_path)
    write_csv(tmp_path / "police.csv", [["Date", "Details", "Concern"],
                                        ["10/03/2023", "Attended address after 999 call", "Neglect"]])
    contacts, _ = load_contacts(load_case_config(tmp_path))
    row = contacts.iloc[0]
    assert row["description"] == "Attended address after 999 call" and "neglect" in str(row["concerns"])


def test_two_local_authorities_declared_in_case_yml_are_not_called_misspelt(tmp_path, capsys):
    make_case(tmp_path, files=[{"path": "east.csv", "agency": "Eastshire Children's Social Care"},
                               {"path": "west.csv", "agency": "Westshire Children's Social Care"}])
    write_csv(tmp_path / "east.csv", [["Date", "Details"], *[[f"0{d}/03/2023", "Visit"] for d in range(1, 6)]])
    write_csv(tmp_path / "west.csv", [["Date", "Details"], ["10/10/2023", "Transfer in received"]])
    assert "misspelt" not in validate(tmp_path, capsys)


def test_undeclared_lookalike_agency_is_still_warned_with_both_ways_out(tmp_path, capsys):
    make_case(tmp_path)
    rows = [["Date", "Agency", "Details"], *[[f"0{d}/03/2023", "Westshire Health Visiting", "Visit"] for d in range(1, 6)],
            ["10/03/2023", "Westshire Health Visting", "Visit"]]
    write_csv(tmp_path / "hv.csv", rows)
    output = validate(tmp_path, capsys)
    assert "'Westshire Health Visting' (1 row(s)) looks like 'Westshire Health Visiting'" in output
    assert "declare 'Westshire Health Visting' there as an agency of its own" in output


def test_a_pregnancys_contacts_get_one_warning_an_older_date_its_own(tmp_path, capsys):
    make_case(tmp_path)  # born 01/06/2022
    write_csv(tmp_path / "midwifery.csv", [["Date", "Details"], ["01/01/2021", "Old note"],
                                           ["15/10/2021", "Booking appointment"], ["20/01/2022", "Antenatal check"],
                                           ["02/06/2022", "Postnatal visit"]])
    output = validate(tmp_path, capsys)
    assert "row 2, column 'Date': dated 01/01/2021, before the child's date of birth" in output
    assert ("midwifery.csv, column 'Date': 2 row(s) dated in the 40 weeks before the child's date of birth "
            "(01/06/2022): read as antenatal or pre-birth contacts (rows 3, 4)") in output
    assert "dated 15/10/2021" not in output and "dated 20/01/2022" not in output


def test_a_transfer_in_conference_is_a_child_protection_conference(tmp_path):
    make_case(tmp_path)
    write_csv(tmp_path / "csc.csv", [["Date", "Contact type", "Details"],
                                     ["29/11/2023", "Transfer-in conference", "Child made subject of CP plan"]])
    contacts, _ = load_contacts(load_case_config(tmp_path))
    assert contacts.iloc[0]["contact_type"] == "cp_conference"
    assert yaml.safe_load((tmp_path / "case.yml").read_text())["case_id"] == "C1"


def test_an_emergency_department_by_its_short_name_is_health():
    assert normalise_agency("Westshire ED", load_vocab())[1] == "health"
    assert normalise_agency("Ed Smith Children's Social Care", load_vocab())[1] == "social care"


def test_the_longest_unseen_period_is_given_in_days_without_a_time():
    import pandas as pd

    from review.thematic import sightings_by_case

    timeline = pd.DataFrame({
        "case_id": ["C1"] * 3, "date": pd.to_datetime(["2023-01-02 10:30", "2023-03-05 14:15", "2023-07-20 02:15"]),
        "date_precision": ["day"] * 3, "child_seen": pd.array([True, False, True], dtype="boolean"),
    })
    table = sightings_by_case(timeline).set_index("case_id")
    assert str(table.loc["C1", "longest_unseen_from"]) == "2023-01-02 00:00:00"
    assert str(table.loc["C1", "longest_unseen_to"]) == "2023-07-20 00:00:00"
    assert table.loc["C1", "longest_unseen_days"] == 199
