"""Contact types and agency kinds (QA pass 2): a type cell the vocabulary does not know is typed from the
description (with one warning per file, the cell kept as another column); a description's type words about
another event (a bare "phone", "after hospital admission", "A&E letter") do not type it; hospitals and
practices by their other names are health; attendance dates are date columns; long chart titles wrap."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from review.config import load_case_config, load_vocab
from review.ingest.headers import detect_header, load_profile
from review.ingest.load import load_contacts
from review.ingest.tables import RawTable
from review.vocab import classify_contact_type, description_contact_type, normalise_agency

VOCAB = load_vocab()
CONFERENCE = "Initial child protection conference. Leo made subject to a child protection plan under physical abuse."


def make_csv_case(folder: Path, name: str, text: str, agency: str = "Children's Social Care") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = {"case_id": "T", "date_of_birth": "2019-06-01", "review_date": "2023-06-30",
              "files": [{"path": name, "agency": agency}]}
    (folder / "case.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / name).write_text(text, encoding="utf-8")
    return folder


# -- 1. a type cell the vocabulary does not know -------------------------------------------------------------
@pytest.mark.parametrize("cell", ["CP conference", "ICPC", "RCPC", "Case conference", "Initial CP conference",
                                  "Review child protection conference"])
def test_conference_type_cells_are_cp_conferences(cell):
    assert classify_contact_type(cell, "", VOCAB) == "cp_conference"


@pytest.mark.parametrize("cell", ["Core group meeting", "Core group", "CGM"])
def test_core_group_type_cells(cell):
    assert classify_contact_type(cell, "", VOCAB) == "core_group"


def test_an_unknown_type_cell_is_typed_from_the_description_warned_once_and_kept(tmp_path):
    case = make_csv_case(tmp_path, "csc.csv", "Date,Contact type,Details of contact,Outcome\n"
                         f"20/02/2023,CP conference,{CONFERENCE},CP plan\n"
                         f"21/02/2023,Meeting,{CONFERENCE},CP plan\n"
                         f"22/02/2023,,{CONFERENCE},CP plan\n"
                         "26/02/2023,Contact,Referral received from HV re bruise,\n"
                         "27/02/2023,Meeting,Nothing about the type here,\n"
                         "28/02/2023,Home visit,Referral discussed,\n")
    contacts, report = load_contacts(load_case_config(case))
    assert contacts["contact_type"].tolist() == ["cp_conference"] * 3 + ["referral", "other", "home_visit"]
    assert contacts["escalation"].tolist()[:3] == ["cp_conference"] * 3
    # the cell stays in view (as another column) when it was not read as the type
    extra = [json.loads(e) if e else {} for e in contacts["extra"]]
    # (s19) social care's own "Contact" is its record of a referral coming in (vocab.yml agency_type_cells.referral):
    # read as the type, neither kept nor warned about
    assert extra == [{}, {"Contact type": "Meeting"}, {}, {}, {"Contact type": "Meeting"}, {}]
    warnings = [w for f in report.files for w in f.warnings if "name no type" in w.message]
    assert len(warnings) == 1
    assert warnings[0].column == "Contact type" and warnings[0].row == 3
    assert "'Meeting'" in warnings[0].message and "rows 3, 6" in warnings[0].message


def test_the_conference_puts_the_child_on_a_plan(tmp_path):
    from review.pipeline import analyse, load_case

    case = make_csv_case(tmp_path, "csc.csv", "Date,Contact type,Details of contact,Outcome\n"
                         f"20/02/2023,Meeting,{CONFERENCE},CP plan\n")
    analysis = analyse(load_case(case))
    assert analysis.timeline["contact_type"].tolist() == ["cp_conference"]
    assert (analysis.periods["kind"] == "cp_plan").any()


# -- 2. type words about another event in a description ---------------------------------------------------------
@pytest.mark.parametrize("text, wrong", [
    ("Second overdose in 2 weeks, ibuprofen x 20. States girlfriend is controlling, checks his phone", "phone_call"),
    ("Self-inflicted laceration to left forearm. Tanya (girlfriend) hit him with phone, bruise to cheek", "phone_call"),
    ("Return to school after hospital admission for overdose", "admission"),
    ("Seen in school following her admission to ward last month", "admission"),
    ("History of A&E attendances discussed", "ae_attendance"),
    ("A&E letter re buckle fracture right wrist", "ae_attendance"),
    ("Letter re A&E attendance on 3/4", "ae_attendance"),
    ("Discharged from ward", "admission"),
])
def test_a_description_word_about_another_event_does_not_type_the_row(text, wrong):
    assert classify_contact_type("", text, VOCAB) != wrong


@pytest.mark.parametrize("text, expected", [
    ("A&E letter re buckle fracture right wrist", "letter"),
    ("Discharge summary received from Northgate", "letter"),
    ("Discharged from ward", "discharge"),
    ("Phone call from mum about the rash", "phone_call"),
    ("Telephone call to school", "phone_call"),
    ("Mum phoned, worried about a rash", "phone_call"),
    ("Rang school", "phone_call"),
    ("Attended A&E after a fall", "ae_attendance"),
    ("Admitted to paeds ward after overdose", "admission"),
    ("Post discharge home visit", "home_visit"),
    ("Following referral home visit completed", "home_visit"),
    ("Initial assessment started following GP referral", "assessment"),
])
def test_a_description_still_names_its_own_contact(text, expected):
    assert classify_contact_type("", text, VOCAB) == expected
    assert description_contact_type(text, VOCAB) == expected


@pytest.mark.parametrize("cell", ["Phone", "Telephone", "Phone call"])
def test_a_type_cell_still_reads_the_bare_word(cell):
    assert classify_contact_type(cell, "checks his phone", VOCAB) == "phone_call"


def test_a_letter_about_an_attendance_is_not_counted_as_one(tmp_path):
    case = make_csv_case(tmp_path, "gp.csv", "Date,Details,Outcome\n"
                         "02/08/2022,A&E letter re buckle fracture right wrist,Filed\n"
                         "03/08/2022,Return to school after hospital admission,OK\n", agency="Meadow Lane Surgery")
    contacts, _ = load_contacts(load_case_config(case))
    assert contacts["contact_type"].tolist() == ["letter", "other"]


# -- 3. agency kinds -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Westbridge Royal Infirmary", "Riverside Medical Centre", "Meadow Lane Surgery",
                                  "Northgate Health Centre", "Royal Free Hospital"])
def test_hospitals_and_practices_are_health(name):
    assert normalise_agency(name, VOCAB)[1] == "health"


# -- 4. attendance dates ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("header", ["Attendance date", "Date of attendance", "Arrival date", "Date seen"])
def test_generic_profile_reads_attendance_dates(header):
    table = RawTable(file="ed.csv", sheet="", rows=[[header, "Presenting complaint"], ["03/04/2021", "Overdose"]],
                     row_numbers=[1, 2])
    match = detect_header(table, load_profile(None))
    assert match is not None and match.header_of("date") == header


def test_an_ed_csv_with_an_attendance_date_is_read(tmp_path):
    case = make_csv_case(tmp_path, "ed.csv", "Attendance date,Presenting complaint,Outcome,Seen by\n"
                         "03/04/2021,Overdose of 12 paracetamol,Discharged home,ED SHO\n", agency="Northshire ED")
    contacts, report = load_contacts(load_case_config(case))
    assert len(contacts) == 1 and contacts["date"].iloc[0] == pd.Timestamp("2021-04-03")


# -- 5. long chart titles ---------------------------------------------------------------------------------------
def test_a_long_title_wraps_to_the_figure_width():
    from matplotlib.figure import Figure

    from review.charts import _suptitle, alt_text, house_style

    title = ("Time from concern to the next escalation by any agency: 0 later than expected, 1 with no escalation "
             "within 90 days, 9 not escalated before the child's death (within 90 days) (of 10)")
    with house_style():
        fig = Figure(figsize=(11.69, 4))
        _suptitle(fig, title)
        fig.canvas.draw()
        box = fig._suptitle.get_window_extent()
    assert "\n" in fig._suptitle.get_text()
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width
    assert alt_text(fig) == title
    with house_style():
        short = Figure(figsize=(11.69, 4))
        _suptitle(short, "Contacts per agency per month")
    assert short._suptitle.get_text() == "Contacts per agency per month"
