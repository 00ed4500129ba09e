"""chronology.xlsx is for people: every sheet has readable headers (the chronology's wording where the
column is the same), and a contact's date known only to the month, the year or approximately is shown so
(never as an exact dd/mm/yyyy), on every sheet, with the real date kept in the cell and its precision in a
column beside it."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from review import export

CSV = ("Date,Details,Outcome\n"
       "Mar 2007,\"Bruise on left cheek noted, mother says fell against cot.\",No action\n"
       "2007,Letter re missed appointments.,\n"
       "c. Jun 2007,Bruising to arm noted.,No action\n"
       "c. 20/07/2007,Burn to hand. Mother vague about how.,No action\n"
       "12/09/2007,Bruising to ear.,Referral to children's social care\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from review.build import build_report

    root = tmp_path_factory.mktemp("sheets")
    case = root / "case"
    case.mkdir()
    (case / "case.yml").write_text("case_id: QA12\ndate_of_birth: 2006-11-20\nreview_date: 2008-03-31\n"
                                   "files:\n  - {path: gp.csv, agency: Riverside GP Surgery}\n", encoding="utf-8")
    (case / "gp.csv").write_text(CSV, encoding="utf-8")
    build_report(case, root / "out", progress=False)
    return root / "out"


def _sheet(out: Path, name: str):
    return openpyxl.load_workbook(out / "chronology.xlsx")[name]


def _header(ws, row: int = 1) -> list:
    return [c.value for c in ws[row] if c.value is not None]


def test_no_sheet_has_a_raw_column_name_as_header(built):
    wb = openpyxl.load_workbook(built / "chronology.xlsx")
    for ws in wb:
        for header in _header(ws):
            assert not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", header), (ws.title, header)
            assert header[:1] == header[:1].upper(), (ws.title, header)


def test_each_sheet_names_its_columns_in_the_chronologys_words(built):
    assert _header(_sheet(built, "Response latency")) == [
        "Event id", "Date", "Date precision", "Agency", "Agency kind", "Concerns", "Expected within (days)",
        "Next escalation by any agency (event id)", "Next escalation date", "Next escalation date precision",
        "Next escalation by any agency", "Latency (days)", "Within expected time", "Flagged",
        "Child died before the response window ended",
        "Latency at least (days; no escalation before the child's death)", "Case id"]
    assert _header(_sheet(built, "Agency knowledge")) == [
        "Decision (event id)", "Date", "Date precision", "Deciding agency", "Decision (contact type)",
        "Concerns known to the deciding agency", "Concerns known to any agency",
        "Concerns not known to the deciding agency", "Case id", "Missing concerns held by",
        "Missing concerns' event ids"]
    assert _header(_sheet(built, "Decisions")) == [
        "Flag id", "Reviewer decision", "Rationale", "Decided by", "Decision date", "Rule", "Trigger event id",
        "Evidence event ids", "Row in decisions.csv", "In force (the flag's latest decision)"]
    quality = _sheet(built, "Data quality")
    assert _header(quality) == ["Source file", "Source sheet", "Hidden sheet", "Header row", "Rows read",
                                "Rows accepted", "Rows rejected", "Rows skipped", "Columns not analysed", "Notes"]
    assert quality.cell(row=2, column=3).value == "no"  # a yes/no, as the chronology's
    assert _header(quality, 5) == ["Source file", "Source sheet", "Source row", "Column", "Kind", "Reason"]
    assert _header(_sheet(built, "Sources")) == ["File", "Role", "Bytes", "SHA-256"]
    flags = _header(_sheet(built, "Flags"))
    assert flags[flags.index("Trigger date") + 1] == "Trigger date precision"
    assert flags[flags.index("Actual action date") + 1] == "Actual action date precision"
    # the same column has the same header on every sheet as on the chronology's
    chronology = set(_header(_sheet(built, "Integrated chronology")))
    assert {"Event id", "Date", "Date precision", "Agency", "Agency kind", "Concerns"} <= chronology


def test_the_csv_files_keep_their_column_names(built):
    assert (built / "flags.csv").read_text(encoding="utf-8-sig").splitlines()[0].startswith('"#","Flag id","Rule"')
    # since the thirteenth session flags.csv ends with the trigger date's precision (its other columns keep
    # their place): see tests/test_readings_dates_s13.py
    header = (built / "flags.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    # (then the trigger's source file, sheet and row: tests/test_provenance_s13.py)
    assert '"Source (guidance)","Trigger date precision","Trigger source file"' in header


#: what each contact's date shows: (date in the cell, number format, precision)
SHOWN = {
    "Mar 2007": ("2007-03-01", "mmm yyyy", "month"),
    "2007": ("2007-01-01", "yyyy", "year"),
    "c. Jun 2007": ("2007-06-01", '"c. "mmm yyyy', "approximate"),
    "c. 20/07/2007": ("2007-07-20", '"c. "dd/mm/yyyy', "approximate"),
    "12/09/2007": ("2007-09-12", "dd/mm/yyyy", "day"),
}


def _dates(ws, column: str) -> list[tuple]:
    header = [c.value for c in ws[1]]
    date, precision = header.index(column), header.index(f"{column} precision")
    return [(r[date].value.date().isoformat(), r[date].number_format, r[precision].value)
            for r in ws.iter_rows(min_row=2) if r[date].value is not None]


def test_the_chronology_shows_an_approximate_date_as_approximate(built):
    ws = _sheet(built, "Integrated chronology")
    header = [c.value for c in ws[1]]
    written = header.index("Date as written")
    shown = {r[written].value: (r[header.index("Date")].value.date().isoformat(), r[header.index("Date")].number_format,
                                r[header.index("Date precision")].value) for r in ws.iter_rows(min_row=2)}
    assert shown == SHOWN


def test_the_response_latency_sheet_shows_each_date_to_its_precision(built):
    shown = _dates(_sheet(built, "Response latency"), "Date")
    assert shown == [SHOWN["Mar 2007"], SHOWN["c. Jun 2007"], SHOWN["c. 20/07/2007"], SHOWN["12/09/2007"]]
    assert set(_dates(_sheet(built, "Response latency"), "Next escalation date")) == {SHOWN["12/09/2007"]}


def test_an_approximate_date_is_never_a_bare_day_on_any_sheet(built):
    """Every cell holding an approximate contact's date (20/07/2007) says "c." in its format."""
    wb = openpyxl.load_workbook(built / "chronology.xlsx")
    seen = 0
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if hasattr(cell.value, "year") and cell.value.date().isoformat() == "2007-07-20":
                    assert cell.number_format.startswith('"c. "'), (ws.title, cell.coordinate)
                    seen += 1
    assert seen >= 2  # the chronology and the response latency


def test_precision_format_matches_the_reports_display():
    import datetime as dt

    day = dt.datetime(2007, 6, 1)
    for precision, text in (("month", None), ("year", None), ("approximate", "c. Jun 2007"),
                            ("approximate", "c. 01/06/2007")):
        fmt = export.precision_format(precision, False, text)
        shown = export._event_date(day, precision, False, text)
        # the number format renders as report.html writes the date
        rendered = (fmt.replace('"c. "', "c. ").replace("dd", "%d").replace("mmm", "%b").replace("mm", "%m")
                    .replace("yyyy", "%Y"))
        assert day.strftime(rendered) == shown
    assert export.precision_format("day") is None
    assert export.precision_format("approximate", True, "c. 20/07/2007") == "mmm yyyy"  # the anonymised view


def test_report_html_data_quality_tables_have_readable_headers(built):
    html = (built / "report.html").read_text(encoding="utf-8")
    section = html[html.index('id="data-quality"'):]
    assert '<th scope="col">Rows read</th>' in section and '<th scope="col">SHA-256</th>' in section
    assert "rows_read" not in section and ">sha256<" not in section


def test_the_workbook_is_byte_identical_on_a_rebuild(built, tmp_path):
    from review.build import build_report

    build_report(built.parent / "case", tmp_path / "again", progress=False)
    assert (tmp_path / "again" / "chronology.xlsx").read_bytes() == (built / "chronology.xlsx").read_bytes()
    assert (tmp_path / "again" / "report.html").read_bytes() == (built / "report.html").read_bytes()
