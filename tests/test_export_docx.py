"""The Word chronology: layout, content, flags cross-references, anonymised view, deterministic bytes."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from review.config import CaseConfig
from review.export_docx import chronology_docx_bytes, write_chronology_docx
from review.schema import FLAG_COLUMNS, TIMELINE_COLUMNS, conform

CASE = CaseConfig(
    case_dir=Path("."),
    case_id="case-07",
    date_of_birth=dt.date(2016, 5, 22),
    review_date=dt.date(2016, 12, 31),
    child_name="Alfie Brook",
    people={"Kerry Brook": "Mother"},
)


def timeline() -> pd.DataFrame:
    rows = [
        ("e1", "2016-05-22", "day", False, "0m 0d", "Maternity", "Midwife", "Hospital notes", "Alfie born 22/05/2016.", "", "mw.xlsx", "Sheet1", 4),
        ("e2", "2016-06-01 14:30", "day", True, "0m 10d", "Health Visiting", "HV", "HV records", "Bruise to cheek; Kerry says he fell.", "Advice given", "hv.docx", "table 1", 3),
        ("e3", "2016-07-01", "month", False, "1m 9d", "GP", "", "GP notes", "Seen \x0bfor jabs.", "", "gp.csv", "", 12),
        ("e4", "2016-08-03", "approximate", False, "2m 12d", "Police", "", "", "Call-out to address.", "", "police.xlsx", "Log", 2),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["event_id", "date", "date_precision", "time_known", "age_display", "agency", "role",
                 "source_of_information", "description", "action", "source_file", "source_sheet", "source_row"],
    )
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    frame["seq"] = range(1, len(frame) + 1)
    frame["case_id"] = "case-07"
    return conform(frame, TIMELINE_COLUMNS)


def flags() -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {"flag_id": "f1", "rule_id": "nonmobile_injury", "severity": "high", "trigger_event_id": "e2",
             "trigger_date": pd.Timestamp("2016-06-01"), "evidence_event_ids": "e2", "delay_days": None,
             "explanation": "Bruise in a non-mobile baby (Kerry's son) not referred.", "agencies": "Health Visiting",
             "expected_action": "referral to children's social care", "expected_by": pd.Timestamp("2016-06-02"),
             "decision": "accepted", "rationale": "Agreed by panel", "decided_by": "Lead reviewer",
             "decided_on": "2024-02-01"},
            {"flag_id": "f2", "rule_id": "child_not_seen", "severity": "medium", "trigger_event_id": "e4",
             "trigger_date": pd.Timestamp("2016-08-03"), "evidence_event_ids": "e2; e4", "delay_days": 12.0,
             "explanation": "Child not seen.", "agencies": "Police", "decision": "", "rationale": ""},
        ]
    )
    return conform(frame, FLAG_COLUMNS)


@pytest.fixture
def written(tmp_path):
    return write_chronology_docx(timeline(), flags(), tmp_path / "out" / "chronology.docx", CASE)


def table_texts(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_page_is_landscape_a4_with_narrow_margins(written):
    section = docx.Document(written).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert round(section.left_margin.mm, 1) == 12.7 and round(section.top_margin.mm, 1) == 12.7


def test_title_and_case_summary_come_first(written):
    text = "\n".join(p.text for p in docx.Document(written).paragraphs)
    assert "Integrated chronology: case case-07" in text
    assert "Child: Alfie Brook" in text and "Date of birth: 22/05/2016" in text
    assert "Period covered: 22/05/2016 to 31/12/2016" in text
    assert "Events: 4 from 4 agencies" in text and "Flags: 2" in text


def test_one_row_per_event_with_dates_precision_ages_sources_details_and_flag_numbers(written):
    chronology, _ = docx.Document(written).tables
    rows = table_texts(chronology)
    assert rows[0] == ["No.", "Date", "Age", "Agency", "Source of information", "Details", "Flags"]
    assert len(rows) == 5
    assert rows[1][:3] == ["1", "22/05/2016", "0m 0d"]
    assert rows[2][1] == "01/06/2016 14:30"
    assert rows[3][1] == "Jul 2016"  # months abbreviated as in report.html and the workbook (s9; was "July 2016")
    assert rows[4][1] == "c. 03/08/2016"
    assert rows[2][3] == "Health Visiting\nHV"
    assert rows[2][4] == "HV records\nhv.docx › table 1 › row 3"
    assert rows[2][5] == "Bruise to cheek; Kerry says he fell.\nAction: Advice given"
    assert rows[3][5] == "Seen for jabs."  # a control character from a spreadsheet is dropped
    assert [r[6] for r in rows[1:]] == ["", "1, 2", "", "2"]


def test_the_header_row_repeats_on_every_page(written):
    for table in docx.Document(written).tables:
        first, second = table.rows[0]._tr, table.rows[1]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        assert second.trPr is None or second.trPr.find(qn("w:tblHeader")) is None


def test_the_flags_table_follows_with_events_delay_and_decision(written):
    _, flag_table = docx.Document(written).tables
    rows = table_texts(flag_table)
    assert rows[0] == ["No.", "Rule", "Date", "Events", "Agencies", "Delay", "Explanation", "Decision"]
    assert rows[1][:6] == ["1", "nonmobile_injury\nhigh", "01/06/2016", "2", "Health Visiting", "no action recorded"]
    assert rows[1][6].startswith("Bruise in a non-mobile baby") and "Expected: referral" in rows[1][6]
    assert rows[1][7] == "accepted\nAgreed by panel\n(Lead reviewer, 01/02/2024)"
    assert rows[2][3] == "2, 4" and rows[2][5] == "12 calendar days" and rows[2][7] == "not yet decided"


def test_no_flags_gives_a_sentence_instead_of_a_table(tmp_path):
    path = write_chronology_docx(timeline(), None, tmp_path / "c.docx", CASE)
    document = docx.Document(path)
    assert len(document.tables) == 1
    assert any("No rule proposed" in p.text for p in document.paragraphs)


def test_the_anonymised_view_pseudonymises_every_cell_and_hides_the_date_of_birth(tmp_path):
    path = write_chronology_docx(timeline(), flags(), tmp_path / "anon.docx", CASE, names=False)
    document = docx.Document(path)
    everything = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert "Kerry" not in everything and "Alfie" not in everything and "22/05/2016" not in everything
    assert "Child: Child A" in everything and "Mother says he fell" in everything
    assert "Mother's son" in everything and "View: anonymised" in everything


def test_two_builds_give_identical_bytes_with_fixed_properties_and_zip_entries(tmp_path):
    first = chronology_docx_bytes(timeline(), flags(), CASE)
    second = chronology_docx_bytes(timeline(), flags(), CASE)
    assert first == second
    path = tmp_path / "d.docx"
    path.write_bytes(first)
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert not any("thumbnail" in i.filename for i in infos)
    props = docx.Document(path).core_properties
    assert props.author == "review" and props.revision == 1
    assert {d.replace(tzinfo=None) for d in (props.created, props.modified, props.last_printed)} == {dt.datetime(2000, 1, 1)}


def test_the_written_file_replaces_an_old_one_and_matches_the_bytes(tmp_path):
    path = tmp_path / "c.docx"
    path.write_bytes(b"old")
    write_chronology_docx(timeline(), flags(), path, CASE)
    assert path.read_bytes() == chronology_docx_bytes(timeline(), flags(), CASE)
    assert [p.name for p in tmp_path.iterdir()] == ["c.docx"]


def test_the_footer_names_the_case_and_the_view(tmp_path):
    path = write_chronology_docx(timeline(), flags(), tmp_path / "a.docx", CASE, names=False)
    footer = docx.Document(path).sections[0].footer.paragraphs[0]
    assert footer.text.startswith("Case case-07 · anonymised view · Page ")
    assert [f.get(qn("w:instr")) for f in footer._p.findall(qn("w:fldSimple"))] == ["PAGE", "NUMPAGES"]


def test_the_exported_chronology_reads_back_through_the_word_reader(written):
    from review.ingest.docx_reader import read_docx

    chronology, flag_table = read_docx(written, "chronology.docx")
    assert chronology.rows[0][:3] == ["No.", "Date", "Age"]
    assert len(chronology.rows) == 5 and len(flag_table.rows) == 3
    assert not any("continues" in note for note in flag_table.notes)
