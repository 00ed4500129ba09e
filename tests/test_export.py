"""review.export: the workbook reopens with real dates, inert formulas and every row's provenance; the HTML
escapes everything; CSVs are injection-safe; figures and zips are byte-identical across runs."""
from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from matplotlib.figure import Figure

from review import export
from review.ingest.report import FileReport, IngestReport

from test_build_helpers import synthetic_analysis, synthetic_config


@pytest.fixture(scope="module")
def analysis():
    return synthetic_analysis(60)


def _report() -> IngestReport:
    report = IngestReport(case_id="synthetic")
    f = FileReport(file="health.xlsx", sheet="Chronology", rows_read=3, rows_accepted=2, header_row=4)
    f.reject(9, "Date", "=1+1 is not a date")
    f.warn(7, "Date", "out of order")
    report.files.append(f)
    return report


SOURCES = [{"file": "health.xlsx", "role": "chronology", "bytes": 10, "sha256": "ab" * 32}]


@pytest.fixture(scope="module")
def workbook(analysis, tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "chronology.xlsx"
    export.write_workbook(path, analysis, synthetic_config(), _report(), SOURCES)
    return path, openpyxl.load_workbook(path)


def test_workbook_has_the_sheets(workbook):
    _, wb = workbook
    for name in ("Integrated chronology", "Flags", "Decisions", "Response latency", "Data quality", "Sources"):
        assert name in wb.sheetnames
    for ws in wb.worksheets:
        if ws.title != "Data quality" or True:
            assert ws.freeze_panes == "A2"
        assert ws["A1"].font.bold


def test_chronology_dates_are_real_excel_dates(workbook, analysis):
    _, wb = workbook
    ws = wb["Integrated chronology"]
    headers = [c.value for c in ws[1]]
    col = headers.index("Date") + 1
    cells = [ws.cell(row=r, column=col) for r in range(2, ws.max_row + 1)]
    assert all(isinstance(c.value, dt.datetime) and c.is_date for c in cells)
    assert {c.number_format for c in cells} <= {"dd/mm/yyyy", "dd/mm/yyyy hh:mm"}
    expected = sorted(analysis.timeline["date"].dt.to_pydatetime())
    assert [c.value for c in cells] == expected
    assert ws.auto_filter.ref.startswith("A1:")


def test_every_input_row_is_present_with_provenance(workbook, analysis):
    _, wb = workbook
    ws = wb["Integrated chronology"]
    rows = list(ws.iter_rows(values_only=True))
    headers, body = rows[0], rows[1:]
    assert len(body) == len(analysis.timeline)
    index = {h: i for i, h in enumerate(headers)}
    got = {(r[index["Event id"]], r[index["Source file"]], r[index["Source sheet"]], r[index["Source row"]]) for r in body}
    want = {(r.event_id, r.source_file, r.source_sheet, int(r.source_row)) for r in analysis.timeline.itertuples()}
    assert got == want


def test_formula_like_text_is_written_inert(workbook):
    path, wb = workbook
    hostile = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[1:2] in ("=", "+", "-", "@"):
                    hostile.append(cell)
    assert hostile, "the synthetic tables contain formula-like text"
    for cell in hostile:
        assert cell.value.startswith("'") and cell.data_type == "s"
    with zipfile.ZipFile(path) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets  # no formula anywhere in the workbook


def test_flagged_rows_are_highlighted_and_numbered(workbook, analysis):
    _, wb = workbook
    ws = wb["Integrated chronology"]
    headers = [c.value for c in ws[1]]
    flag_col = headers.index("Flags (# in flags table)") + 1
    triggers = set(analysis.flags["trigger_event_id"])
    event_col = headers.index("Event id") + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=event_col).value in triggers:
            assert ws.cell(row=r, column=flag_col).value.startswith("#")
            assert ws.cell(row=r, column=1).fill.fgColor.rgb.endswith("FBE0CF")


def test_flags_sheet_carries_reviewer_decisions(workbook, analysis):
    _, wb = workbook
    rows = list(wb["Flags"].iter_rows(values_only=True))
    headers, body = rows[0], rows[1:]
    assert [r[0] for r in body] == list(range(1, len(analysis.flags) + 1))
    decision = headers.index("Reviewer decision")
    assert body[0][decision] == "accept"
    assert {r[decision] for r in body[1:]} == {"pending"}


def test_data_quality_lists_every_rejection_and_sources_have_hashes(workbook):
    _, wb = workbook
    values = [v for row in wb["Data quality"].iter_rows(values_only=True) for v in row if v is not None]
    assert "health.xlsx" in values
    assert "'=1+1 is not a date" in values and "out of order" in values
    sources = list(wb["Sources"].iter_rows(values_only=True))
    assert sources[1][sources[0].index("SHA-256")] == "ab" * 32


def test_workbook_is_byte_identical_across_runs(analysis, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export.write_workbook(a, analysis, synthetic_config(), _report(), SOURCES)
    export.write_workbook(b, analysis, synthetic_config(), _report(), SOURCES)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(2024, 7, 31, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:modified[^>]*>([^<]*)<", core) == ["2024-07-31T00:00:00Z"]


def test_source_date_epoch_sets_the_metadata_date(analysis, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert export.source_date(synthetic_config()) == dt.datetime(2023, 11, 14, 22, 13, 20)


def test_csv_is_injection_safe(tmp_path):
    frame = pd.DataFrame({"text": ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"],
                          "date": pd.to_datetime(["2024-01-02"] * 8)})
    path = export.write_csv(tmp_path / "x.csv", frame)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    texts = [r[0] for r in rows[1:]]
    assert texts[:6] == ["'=cmd|' /C calc'!A0", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx"]
    assert texts[6:] == ["plain", "a=b"]
    assert rows[1][1] == "2024-01-02"


def test_html_escapes_everything_and_is_self_contained(analysis, tmp_path):
    fig = Figure(figsize=(2, 1))
    fig.add_subplot().set_title("<script>alert('t')</script>")
    svg = export.figure_svg(fig)
    path = export.write_html(tmp_path / "report.html", synthetic_config(), analysis,
                             [("Caption <b>", svg, "alt \" onerror=alert(1) <x>")], _report(), SOURCES)
    text = path.read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # the hostile description, shown as text
    assert "&lt;b&gt;in time&lt;/b&gt;" in text  # flag explanations are escaped too
    assert 'aria-label="alt &quot; onerror=alert(1) &lt;x&gt;"' in text
    assert "Caption &lt;b&gt;" in text
    # nothing fetched (a link within the page, "#flag-...", fetches nothing: since s13-prov flag numbers link)
    assert not re.search(r"""(src|href|action)\s*=\s*["'](?!data:|#)""", text, re.IGNORECASE)
    assert "<link" not in text and "@import" not in text
    assert text.count("<svg ") == 1 and "base64," not in text  # the chart inline
    assert "Content-Security-Policy" in text
    assert re.search(r"\d+ contacts with health professionals across \d+ organisations", text)


def test_headline_counts_read_in_plain_english(analysis):
    lines = export.headline_counts(analysis.timeline, analysis.flags)
    health = analysis.timeline[analysis.timeline["agency_kind"] == "health"]
    assert f"{len(health)} contacts with health professionals across {health['organisation'].nunique()} organisations" in lines


def test_save_figure_is_byte_identical_and_stays_in_out_dir(tmp_path):
    def make():
        fig = Figure(figsize=(3, 2))
        ax = fig.add_subplot()
        ax.plot([0, 1, 2], [1, 0, 1], marker="o")
        ax.set_title("Deterministic")
        return fig

    first = export.save_figure(make(), "../../escape", tmp_path / "a")
    second = export.save_figure(make(), "../../escape", tmp_path / "b")
    assert [p.suffix for p in first] == [".png", ".svg", ".pdf"]
    assert all(p.parent == tmp_path / "a" for p in first)
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    svg = first[1].read_text()
    assert "<dc:date>" not in svg
    assert b"CreationDate" not in first[2].read_bytes()


def test_safe_name_never_has_path_parts():
    assert export.safe_name("../../etc/passwd") == "etc_passwd"
    assert export.safe_name("..") == "output"
    assert "/" not in export.safe_name("a/b\\c")
