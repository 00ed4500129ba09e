"""Columns no field maps are kept and shown, and a sheet read without a description column is warned of;
# (s19: "Officer" is read as the practitioner now, so the unmapped column these tests keep is "Station")
the header names agencies use for their date and narrative are recognised; and a sheet whose header is
not recognised gets advice that fits it (a csv has no sheets to name)."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from review.cli import main
from review.config import load_case_config
from review.export import chronology_export, other_columns, other_columns_text
from review.ingest.load import load_contacts

POLICE_ROWS = [
    "04/05/2019,Neighbour reported shouting; partner smashed phone. Baby present.,PC 1234 Reeve,DASH completed - no referral",
    "12/09/2019,Call from hospital re injured baby,DS Okoro,Strategy discussion attended",
]


def write_case(folder: Path, files: dict[str, str], entries: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    entries = entries or "".join(f"  - {{path: {name}, agency: Westmere Police}}\n" for name in files)
    (folder / "case.yml").write_text(
        f"case_id: C1\ndate_of_birth: 2018-11-20\nreview_date: 2020-06-30\nfiles:\n{entries}", encoding="utf-8"
    )
    return folder


def police_case(folder: Path, narrative_header: str) -> Path:
    text = "\n".join([f"Date,{narrative_header},Station,Action taken", *POLICE_ROWS]) + "\n"
    return write_case(folder, {"police.csv": text})


def load(case_dir: Path):
    return load_contacts(load_case_config(case_dir))


# --- header names ---------------------------------------------------------------------------------
@pytest.mark.parametrize("header", ["Occurrence", "Narrative", "Entry", "Record", "Summary of contact"])
def test_a_narrative_under_these_headers_is_the_description(tmp_path, header):
    contacts, report = load(police_case(tmp_path / "case", header))
    (sheet,) = report.files
    assert sheet.columns["description"] == header
    assert contacts["description"].tolist()[0].startswith("Neighbour reported shouting")
    assert sheet.unmapped_columns == ["Station"]
    assert "domestic_abuse" in contacts["concerns"].iloc[0]  # read by the rules now


def test_entry_or_record_beside_a_details_column_stays_an_other_column(tmp_path):
    # beside Details, a Record column is a record type or number: kept in `extra`, not appended to the text
    text = "Date,Details,Record,Action\n04/05/2019,Bruise to cheek seen,R-1234,GP letter\n"
    contacts, report = load(write_case(tmp_path / "case", {"gp.csv": text}))
    (sheet,) = report.files
    assert sheet.columns["description"] == "Details" and sheet.unmapped_columns == ["Record"]
    assert contacts["description"].iloc[0] == "Bruise to cheek seen"
    assert json.loads(contacts["extra"].iloc[0]) == {"Record": "R-1234"}


@pytest.mark.parametrize("header", ["Incident Date", "Incident Date/Time", "Entry on", "Date of incident",
                                    "Date recorded"])
def test_these_headers_are_the_date_column(tmp_path, header):
    text = f"{header},Details\n14/02/2021,Child present at domestic incident\n02/03/2021,Repeat call\n"
    contacts, report = load(write_case(tmp_path / "case", {"police.csv": text}))
    (sheet,) = report.files
    assert sheet.columns["date"] == header and sheet.rows_accepted == 2
    assert contacts["date"].dt.strftime("%Y-%m-%d").tolist() == ["2021-02-14", "2021-03-02"]


def test_date_recorded_beside_a_date_column_is_not_the_date(tmp_path):
    text = "Date,Date recorded,Details\n14/02/2021,20/02/2021,Visit\n"
    contacts, report = load(write_case(tmp_path / "case", {"gp.csv": text}))
    assert report.files[0].columns["date"] == "Date" and report.files[0].unmapped_columns == ["Date recorded"]
    assert contacts["date"].dt.strftime("%Y-%m-%d").tolist() == ["2021-02-14"]


# --- the note on a header not recognised -----------------------------------------------------------
def test_a_csv_without_a_date_column_is_advised_a_profile_not_sheets(tmp_path):
    text = "Logged;Kind;Text\n14/02/21;Domestic;Shouting heard, child present at the address\n02/03/21;Visit;Seen\n"
    case_dir = write_case(tmp_path / "case", {"police_niche_extract.csv": text})
    _, report = load(case_dir)
    (note,) = [n for n in report.files[0].notes if "no header row recognised" in n]
    assert "sheets:" not in note
    assert ("`columns: {date: 'Logged', description: 'Text'}` in profiles/police_niche_extract.yml" in note
            and "`profile: police_niche_extract` on its entry under `files:` in case.yml" in note)
    # the advice, followed, reads every row
    (case_dir / "profiles").mkdir()
    (case_dir / "profiles" / "police_niche_extract.yml").write_text(
        "columns: {date: 'Logged', description: 'Text'}\n", encoding="utf-8")
    (case_dir / "case.yml").write_text(
        "case_id: C1\ndate_of_birth: 2018-11-20\nfiles:\n"
        "  - {path: police_niche_extract.csv, agency: Ashford Police, profile: police_niche_extract}\n",
        encoding="utf-8")
    contacts, report = load(case_dir)
    assert report.files[0].rows_accepted == 2 and report.files[0].rows_rejected == 0


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)


def test_a_workbook_sheet_without_a_date_column_gets_both_kinds_of_advice(tmp_path):
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    write_xlsx(case_dir / "nursery.xlsx", {
        "Log": [["Logged", "Staff", "What was seen"], ["03/02/2020", "JB", "Bruise on arm, mum says fell"]],
        "Key": [["Abbreviation", "Meaning"], ["JB", "Jo Bloggs, key worker"]],
    })
    (case_dir / "case.yml").write_text(
        "case_id: C1\ndate_of_birth: 2018-11-20\nfiles:\n  - {path: nursery.xlsx, agency: Little Owls Nursery}\n",
        encoding="utf-8")
    _, report = load(case_dir)
    notes = {f.sheet: next(n for n in f.notes if "no header row recognised" in n) for f in report.files}
    # a column of dates: a profile first, `sheets:` if the sheet is no chronology
    assert "`columns: {date: 'Logged', description: 'What was seen'}` in profiles/nursery.yml" in notes["Log"]
    assert notes["Log"].endswith("or, if the sheet holds no contacts, name the sheets to read under `sheets:` there")
    # no dates: `sheets:` first, then a profile with the date column to fill in
    assert "if the sheet holds no contacts (a key, a cover sheet), name the sheets to read under `sheets:`" in notes["Key"]
    assert "date: <the header of its date column>" in notes["Key"]


# --- other columns in the outputs ----------------------------------------------------------------
def test_other_columns_text_is_readable():
    assert other_columns_text('{"Occurrence": "smashed  phone\\nBaby present", "Station": "PC 1"}') == \
        "Occurrence: smashed phone Baby present; Station: PC 1"
    assert other_columns_text("") == "" and other_columns_text(pd.NA) == "" and other_columns_text(None) == ""
    assert other_columns_text("not json") == "not json"
    assert other_columns_text('{"Seen": null, "Ward": 4}') == "Ward: 4"
    frame = pd.DataFrame({"extra": pd.array(['{"A": "x"}', "", pd.NA, '{"A": "x"}'], dtype="string")})
    assert other_columns(frame).tolist() == ["A: x", "", "", "A: x"]
    assert other_columns(pd.DataFrame({"x": [1]})).tolist() == [""]


def unrecognised_narrative_case(tmp_path: Path) -> Path:
    return police_case(tmp_path / "case", "Log text")


def test_build_shows_and_warns_of_a_narrative_no_rule_reads(tmp_path, capsys):
    case_dir = unrecognised_narrative_case(tmp_path)
    out = tmp_path / "out"
    assert main(["build", str(case_dir), "--out", str(out), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    warning = ("police.csv: no description column, so no concern or escalation is read from its narrative; "
               "not analysed: 'Log text', 'Station'")
    assert f"  warning: {warning}" in printed
    assert "1 sheet with columns no rule reads" in printed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["columns_not_analysed"][0].startswith(warning)
    assert manifest["counts"]["sheets_with_columns_not_analysed"] == 1

    chronology = pd.read_csv(out / "chronology.csv", dtype=str, keep_default_na=False)
    assert "Other columns" in chronology.columns
    assert chronology["Other columns"].tolist() == [
        "Log text: Neighbour reported shouting; partner smashed phone. Baby present.; Station: PC 1234 Reeve",
        "Log text: Call from hospital re injured baby; Station: DS Okoro",
    ]
    wb = openpyxl.load_workbook(out / "chronology.xlsx")
    rows = list(wb["Integrated chronology"].iter_rows(values_only=True))
    column = rows[0].index("Other columns")
    assert rows[1][column].startswith("Log text: Neighbour reported shouting")
    quality = list(wb["Data quality"].iter_rows(values_only=True))
    assert "Columns not analysed" in quality[0]
    assert quality[1][quality[0].index("Columns not analysed")] == "'Log text', 'Station'; no description column"

    html = (out / "report.html").read_text(encoding="utf-8")
    summary = html[html.index('<section id="summary">'):html.index("</section>", html.index('<section id="summary">'))]
    assert "Not analysed: police.csv: no description column" in summary
    chronology_html = html[html.index('<section id="chronology">'):]
    assert "<th scope=\"col\">Other columns</th>" in chronology_html and "partner smashed phone" in chronology_html

    with zipfile.ZipFile(out / "chronology.docx") as docx:
        document = docx.read("word/document.xml").decode("utf-8")
    assert "Other columns: Log text: Neighbour reported shouting" in document


def test_the_anonymised_build_redacts_the_other_columns(tmp_path, capsys):
    case_dir = tmp_path / "case"
    text = "Date,Log text,Action taken\n04/05/2019,Kelly Thornbury says partner smashed phone,DASH\n"
    write_case(case_dir, {"police.csv": text})
    with (case_dir / "case.yml").open("a", encoding="utf-8") as f:
        f.write("people: {Kelly Thornbury: Mother}\n")
    out = tmp_path / "out"
    assert main(["build", str(case_dir), "--out", str(out), "--no-progress", "--redact"]) == 0
    chronology = pd.read_csv(out / "chronology.csv", dtype=str, keep_default_na=False)
    assert chronology["Other columns"].tolist() == ["Log text: Mother says partner smashed phone"]
    for name in ("chronology.csv", "report.html", "manifest.json"):
        assert "Thornbury" not in (out / name).read_text(encoding="utf-8")


def test_a_sheet_with_a_description_column_is_not_warned_of(tmp_path, capsys):
    case_dir = police_case(tmp_path / "case", "Occurrence")
    out = tmp_path / "out"
    assert main(["build", str(case_dir), "--out", str(out), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "warning:" not in printed and "1 sheet with columns no rule reads" in printed  # Station
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["columns_not_analysed"] == []
    chronology = pd.read_csv(out / "chronology.csv", dtype=str, keep_default_na=False)
    assert chronology["Other columns"].tolist() == ["Station: PC 1234 Reeve", "Station: DS Okoro"]
    assert chronology["Description"].iloc[0].startswith("Neighbour reported shouting")


def test_the_chronology_gives_other_columns_after_analysis():
    export = chronology_export()
    columns = [c for c, _ in export]
    assert columns[columns.index("analysis") + 1] == "other_columns"
    assert dict(export)["other_columns"] == "Other columns"
