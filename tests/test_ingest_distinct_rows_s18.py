"""The fields ingest reads once per distinct row content (s18: every cell but the date, time and sequence)
are what reading each row on its own gives: the contact table, and every warning and note naming rows."""
import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import review.ingest.load as load
from review.config import load_case_config
from review.ingest.load import load_contacts

HEADER = ["Date", "Agency", "Type of contact", "Attended", "Child seen", "Details", "Outcome", "Shared with", "Station"]
#: rows that repeat (the same content on other dates), with an agency and a recipient in no vocabulary, a type
#: cell no type, Attended cells read neither way and cells saying the child attended a clinic appointment
CONTENT = [
    ["Westmere Health Visiting", "Clinic appointment", "Attended", "", "Weighed and measured", "", "", ""],
    ["Eastborough Youth Offending Service", "Meeting", "", "Yes", "Meeting about school", "Plan agreed",
     "Brightwater Trust", "Station 12"],
    ["Westmere Health Visiting", "Clinic appointment", "Cancelled by clinic", "", "Clinic cancelled", "", "", ""],
    ["Westmere Health Visiting", "Home visit", "", "Yes", "Visit to the home", "Referral to children's social care",
     "Children's social care", ""],
]


def rows(count: int) -> list[list[str]]:
    """`count` data rows cycling through CONTENT, dated one day apart ("dd/mm/yyyy" text)."""
    start = dt.date(2019, 1, 7)
    return [[(start + dt.timedelta(days=k)).strftime("%d/%m/%Y"), *CONTENT[(k * 7) % len(CONTENT) if k % 5 else 1]]
            for k in range(count)]


def write_case(folder: Path, files: dict[str, list[list[object]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        if name.endswith(".csv"):
            text = "\n".join(",".join(f'"{v}"' for v in row) for row in [HEADER, *body]) + "\n"
            (folder / name).write_text(text, encoding="utf-8")
        else:
            book = openpyxl.Workbook()
            for row in [HEADER, *body]:
                book.active.append(row)
            book.save(folder / name)
    entries = "".join(f"  - {{path: {name}}}\n" for name in files)
    (folder / "case.yml").write_text(
        f"case_id: C1\ndate_of_birth: 2018-11-20\nreview_date: 2020-06-30\nfiles:\n{entries}", encoding="utf-8"
    )
    return folder


def read(case: Path, monkeypatch, share: float):
    """load_contacts with DISTINCT_CONTENT_SHARE set to `share` (0: per distinct content whenever a cell allows;
    above 1: never), and how many sheets were read per distinct content."""
    monkeypatch.setattr(load, "DISTINCT_CONTENT_SHARE", share)
    used = []
    original = load._ColumnBuilder._distinct_content

    def spy(self, rows):
        content = original(self, rows)
        used.append(self.codes is not None and len(content) < len(rows))
        return content

    monkeypatch.setattr(load._ColumnBuilder, "_distinct_content", spy)
    contacts, report = load_contacts(load_case_config(case))
    monkeypatch.undo()
    return contacts, report, used


def test_fields_read_per_distinct_content_are_those_read_row_by_row(tmp_path, monkeypatch):
    case = write_case(tmp_path / "case", {"agency.csv": rows(40), "agency.xlsx": rows(23)})
    contacts, report, used = read(case, monkeypatch, 0.0)
    plain, plain_report, plain_used = read(case, monkeypatch, 1.5)
    assert used == [True, True] and plain_used == [False, False]
    pd.testing.assert_frame_equal(contacts, plain)
    assert dataclasses.asdict(report) == dataclasses.asdict(plain_report)
    # the warnings and notes name every row of a repeated content, not only its first
    messages = [w.message for f in report.files if f.file == "agency.csv" for w in f.warnings]
    attendance = next(m for m in messages if m.startswith("attendance value(s) 'Cancelled by clinic'"))
    cancelled = [k + 2 for k, row in enumerate(rows(40)) if row[3] == "Cancelled by clinic"]
    assert len(cancelled) > 1 and f"rows {', '.join(map(str, cancelled[:10]))}" in attendance
    notes = [n for f in report.files if f.file == "agency.csv" for n in f.notes]
    seen = next(n for n in notes if "attended a clinic appointment in person" in n)
    attended = [k + 2 for k, row in enumerate(rows(40)) if row[3] == "Attended"]
    assert seen.startswith(f"{len(attended)} row(s)") and len(attended) > 1
    agencies = contacts.loc[contacts["source_file"] == "agency.csv", "agency"].tolist()
    assert agencies == [row[1] for row in rows(40)]


def test_a_number_among_the_content_cells_reads_every_row_on_its_own(tmp_path, monkeypatch):
    # 1 and True are equal keys but read differently (Station "1" and "True"): the sheet is read row by row
    body = [[dt.datetime(2019, 2, 1 + k), "Westmere Police", "Home visit", "", "Yes", "Visit to the home", "", "",
             1 if k % 2 else True] for k in range(10)]
    case = write_case(tmp_path / "case", {"police.xlsx": body})
    contacts, report, used = read(case, monkeypatch, 0.0)
    assert used == [False]
    assert contacts["extra"].tolist() == ['{"Station": true}', '{"Station": 1}'] * 5
    plain, plain_report, _ = read(case, monkeypatch, 1.5)
    pd.testing.assert_frame_equal(contacts, plain)
    assert dataclasses.asdict(report) == dataclasses.asdict(plain_report)


@pytest.mark.parametrize("count", [1, 2, 3])
def test_few_rows_read_alike_either_way(tmp_path, monkeypatch, count):
    case = write_case(tmp_path / "case", {"agency.csv": rows(count)})
    contacts, report, _ = read(case, monkeypatch, 0.0)
    plain, plain_report, _ = read(case, monkeypatch, 1.5)
    pd.testing.assert_frame_equal(contacts, plain)
    assert dataclasses.asdict(report) == dataclasses.asdict(plain_report)
