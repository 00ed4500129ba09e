"""Fuzzing ingest: whatever an agency's spreadsheet holds, ingest raises nothing but a ReviewError and
never loses a row.

Hypothesis generates cell values (text, unicode, numbers, dates, blanks, formula-looking and very long
strings), header variants (case, punctuation, synonyms, extra and missing columns) and sheet shapes
(title rows, blank rows), writes them as csv and as xlsx, and runs `load_contacts` on them. For every
file and sheet: rows_read == rows_accepted + rows_rejected, accepted == the contacts returned, every
row the reader saw is read, skipped or the header, and every accepted or rejected row is one we wrote.
"""
from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.config import FileSpec, load_case_config
from review.errors import ReviewError
from review.ingest.load import load_contacts
from review.ingest.readers import read_tables

SETTINGS = settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", 40)), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# XML cannot hold most control characters: openpyxl refuses them, so the xlsx variant drops them
_XML_SAFE = st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(map(chr, range(32))) + "\ufffe\uffff")
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
_FORMULAS = st.sampled_from(["=1+1", "=SUM(A1:A3)", "+44 1234", "-5", "@cmd", "=HYPERLINK(\"http://x\")",
                             "=cmd|'/c calc'!A1", "\t=1", "=)(", "=A1/0", "= ", "=\"x\""])
_DATES_AS_TEXT = st.sampled_from(["01/02/2023", "31/02/2023", "2023-02-01", "1/2/23", "Feb 2023", "2023", "c. 12/06/2023",
                                  "early May 2023", "?22 May 2023", "13/13/2013", "00/00/0000", "01/02/1007",
                                  "05/04/2023 14:30", "week commencing 06/03/2023", "N/A", "unknown", "39173"])
CELLS = st.one_of(
    st.none(),
    _TEXT,
    _DATES_AS_TEXT,
    _FORMULAS,
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 12, 31)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)),
    st.booleans(),
    st.text(alphabet="ab é\n", min_size=1000, max_size=6000),  # very long narrative
)
DATE_HEADERS = st.sampled_from(["Date", "DATE", "date.", " Date of contact ", "Date (dd/mm/yyyy)", "Date/Time",
                                "Contact date", "Date of Contact*", "Event date"])
OTHER_HEADERS = st.lists(
    st.sampled_from(["Details", "Details of contact", "Description", "Notes", "Time", "Agency", "Outcome",
                     "Action", "Practitioner", "Type of contact", "Child seen", "Child seen alone", "Shared with",
                     "Source of information", "Sequence", "Concerns", "Extra column", "Comments", "", "Date",
                     "Organisation", "Role", "End date"]),
    min_size=0, max_size=7,
)


@st.composite
def sheets(draw):
    """(rows as written, first data row index): optional title rows, a header, data rows, blank rows."""
    has_date = draw(st.booleans()) or draw(st.booleans())  # mostly with a date column
    headers = draw(OTHER_HEADERS)
    if has_date:
        headers.insert(draw(st.integers(0, len(headers))), draw(DATE_HEADERS))
    if not headers:
        headers = ["Details"]
    width = len(headers)
    titles = draw(st.lists(st.lists(st.one_of(st.none(), _TEXT), min_size=1, max_size=2), max_size=3))
    body = draw(st.lists(st.lists(CELLS, min_size=width, max_size=width), max_size=12))
    blanks = draw(st.lists(st.integers(0, len(body)), max_size=3))
    for at in sorted(blanks, reverse=True):
        body.insert(at, [None] * width)
    return titles + [headers] + body


def _case(folder: Path, name: str) -> None:
    (folder / "case.yml").write_text(
        yaml.safe_dump({"case_id": "F1", "date_of_birth": "2022-06-01", "review_date": "2024-01-01",
                        "files": [{"path": name, "agency": "Fuzz agency"}]}),
        encoding="utf-8",
    )


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _write_csv(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([[_csv_text(v) for v in row] for row in rows])


def _xml_safe(value):
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r").replace("\ufffe", "").replace("\uffff", "")
    return value


def _write_xlsx(path: Path, rows) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Fuzz"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=_xml_safe(value))
    wb.save(path)


def _check(folder: Path, name: str, written_rows: int) -> None:
    _case(folder, name)
    config = load_case_config(folder)
    try:
        contacts, report = load_contacts(config)
    except ReviewError as exc:  # a clear error is fine; anything else is a bug
        assert str(exc).strip() and "\n" not in str(exc).strip(), str(exc)
        return
    assert report.rows_accepted == len(contacts)
    tables = read_tables(folder / name, FileSpec(path=name), config)
    by_sheet = {t.sheet: t for t in tables}
    for f in report.files:
        assert f.rows_read == f.rows_accepted + f.rows_rejected, f
        table = by_sheet[f.sheet]
        assert f.rows_read + f.rows_skipped + (f.header_row is not None) == len(table.rows), f
        accepted = set(contacts.loc[contacts["source_sheet"] == f.sheet, "source_row"].astype(int))
        rejected = [r.row for r in f.rejections]
        assert len(rejected) == len(set(rejected)), "a row rejected twice"
        assert not accepted & set(rejected), "a row both accepted and rejected"
        assert all(1 <= r <= written_rows for r in accepted | set(rejected))
    if len(contacts):
        assert contacts["event_id"].is_unique


@SETTINGS
@given(rows=sheets())
def test_fuzzed_csv_is_read_or_refused_cleanly_and_loses_no_row(rows):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_csv(folder / "agency.csv", rows)
        _check(folder, "agency.csv", len(rows))


@SETTINGS
@given(rows=sheets())
def test_fuzzed_xlsx_is_read_or_refused_cleanly_and_loses_no_row(rows):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_xlsx(folder / "agency.xlsx", rows)
        _check(folder, "agency.xlsx", len(rows))


@SETTINGS
@given(data=st.binary(min_size=1, max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".ods", ".docx"]))
def test_random_bytes_never_crash_ingest(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / f"agency{suffix}").write_bytes(data)
        _case(folder, f"agency{suffix}")
        try:
            contacts, report = load_contacts(load_case_config(folder))
        except ReviewError:
            return
        assert report.balanced and report.rows_accepted == len(contacts)


@pytest.mark.parametrize("prefix", [b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html>", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_truncated_or_mislabelled_containers_give_a_review_error(tmp_path, prefix):
    (tmp_path / "agency.xlsx").write_bytes(prefix + b"\x00garbage" * 50)
    _case(tmp_path, "agency.xlsx")
    with pytest.raises(ReviewError):
        load_contacts(load_case_config(tmp_path))
