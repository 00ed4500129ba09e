"""The bundled synthetic sample case (data/cases/sample): generated deterministically by
scripts/make_sample_case.py, with a ground truth whose provenance points at real rows.

The readers here are deliberately independent of review.ingest (plain csv / openpyxl / calamine /
python-docx), so that they check the files themselves; the ingest and rules tests at the end are skipped
when those modules are not importable.
"""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "cases" / "sample"
SCRIPT = ROOT / "scripts" / "make_sample_case.py"
CSV_ENCODINGS = {"health_visiting.csv": ("cp1252", ","), "police_cait.csv": ("utf-8-sig", ";")}


def _generator():
    spec = importlib.util.spec_from_file_location("make_sample_case", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen():
    return _generator()


@pytest.fixture(scope="module")
def ground_truth():
    return yaml.safe_load((CASE / "ground_truth.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def case_yml():
    return yaml.safe_load((CASE / "case.yml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------------
# Independent readers: {(sheet, row as the spreadsheet shows it): [cell, ...]}
# ---------------------------------------------------------------------------------------------------
def _cell(value):
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def read_rows(path: Path) -> dict[tuple[str, int], list[str]]:
    suffix = path.suffix.lower()
    out: dict[tuple[str, int], list[str]] = {}
    if suffix == ".csv":
        encoding, delimiter = CSV_ENCODINGS[path.name]
        text = path.read_bytes().decode(encoding)
        for n, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            out[("", n)] = row
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                out[(ws.title, row[0].row)] = [_cell(c.value) for c in row]
    elif suffix in (".xls", ".ods"):
        import python_calamine

        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            for n, row in enumerate(wb.get_sheet_by_name(name).to_python(skip_empty_area=False), start=1):
                out[(name, n)] = [_cell(v) for v in row]
    elif suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        for t, table in enumerate(document.tables, start=1):
            for n, row in enumerate(table.rows, start=1):
                out[(f"table {t}", n)] = [c.text for c in row.cells]
    else:
        raise AssertionError(f"unexpected file {path}")
    return out


def file_contents(path: Path):
    """What a reviewer sees in a file, for comparing two generations (zip formats differ in bytes)."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".yml", ".md"):
        return path.read_bytes()
    contents = read_rows(path)
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path)
        merged = {ws.title: sorted(str(r) for r in ws.merged_cells.ranges) for ws in wb.worksheets}
        formats = {
            ws.title: [c.number_format for row in ws.iter_rows() for c in row if c.value is not None]
            for ws in wb.worksheets
        }
        return contents, merged, formats, wb.sheetnames
    if suffix == ".docx":
        import docx

        return contents, [p.text for p in docx.Document(str(path)).paragraphs]
    return contents


def case_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------------------------------
def test_generator_is_deterministic(gen, tmp_path):
    gen.generate(tmp_path)
    committed = [p.relative_to(CASE) for p in case_files(CASE)]
    regenerated = [p.relative_to(tmp_path) for p in case_files(tmp_path)]
    assert regenerated == committed, "the generator writes a different set of files than is committed"
    for rel in committed:
        assert file_contents(tmp_path / rel) == file_contents(CASE / rel), f"{rel} differs from a fresh generation"


def test_generator_twice_same_contents(gen, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    gen.generate(a)
    gen.generate(b)
    for p in case_files(a):
        rel = p.relative_to(a)
        assert file_contents(p) == file_contents(b / rel), rel


# ---------------------------------------------------------------------------------------------------
# The case folder
# ---------------------------------------------------------------------------------------------------
def test_case_yml_declares_every_file(case_yml):
    assert case_yml["case_id"] == "sample"
    dob = dt.date.fromisoformat(case_yml["date_of_birth"])
    death = dt.date.fromisoformat(case_yml["date_of_death"])
    assert 16 <= (death - dob).days / 30.4375 <= 18  # about 17 months of life
    assert dob < dt.date.fromisoformat(case_yml["mobile_from"]) < death
    declared = {f["path"] for f in case_yml["files"]}
    on_disk = {p.name for p in CASE.iterdir() if p.suffix in (".xlsx", ".xls", ".ods", ".csv", ".docx")}
    assert declared == on_disk
    for f in case_yml["files"]:
        if f.get("profile"):
            assert (CASE / "profiles" / f"{f['profile']}.yml").is_file()
    assert {"Mother", "Mother's partner", "Maternal grandmother"} <= set(case_yml["people"].values())


def test_formats_per_agency(case_yml):
    suffixes = sorted(Path(f["path"]).suffix for f in case_yml["files"])
    assert suffixes == sorted([".xlsx", ".csv", ".xlsx", ".ods", ".xls", ".xlsx", ".csv", ".docx"])
    hv = (CASE / "health_visiting.csv").read_bytes()
    hv.decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        hv.decode("utf-8")  # really cp1252, not ASCII-compatible UTF-8
    assert (CASE / "police_cait.csv").read_bytes().startswith(b"\xef\xbb\xbfDate;Time;")
    from openpyxl import load_workbook

    gp = load_workbook(CASE / "gp_larkfield_medical_practice.xlsx").active
    assert gp.merged_cells.ranges, "GP: same-day entries share a merged date cell"
    assert gp["A4"].value == "Date"
    hosp = load_workbook(CASE / "northgate_university_hospital.xlsx")
    assert hosp.sheetnames == ["2023", "2024"]
    rows = read_rows(CASE / "northgate_university_hospital.xlsx")
    assert sum(1 for (sheet, _), cells in rows.items() if cells[:2] == ["Date", "Time"]) == 3  # 2 headers + 1 repeat
    csc = read_rows(CASE / "childrens_social_care.xlsx")
    dates = [cells[0] for (_, n), cells in csc.items() if n > 1]
    assert "Mar 2024" in dates and "early May 2024" in dates and "5th April 2023" not in dates
    assert any(d.endswith(("st April 2023", "th April 2023")) for d in dates)
    import docx

    document = docx.Document(str(CASE / "little_acorns_childrens_centre.docx"))
    assert len(document.tables) == 2
    assert [c.text for c in document.tables[0].rows[0].cells] == [c.text for c in document.tables[1].rows[0].cells]
    assert document.tables[0].rows[0].cells[0].text == "Start Date"


HEADER_WORDS = {"Date", "Visit date", "Date of contact", "When", "Start Date"}


def data_rows(path: Path) -> int:
    """Non-blank rows below each sheet's (or table's) header row that do not repeat the header."""
    count = 0
    started: set[str] = set()
    for (sheet, _n), cells in sorted(read_rows(path).items()):
        first = cells[0] if cells else ""
        if first in HEADER_WORDS:
            started.add(sheet)
        elif sheet in started and any(c.strip() for c in cells):
            count += 1
    return count


def test_size_and_agencies(ground_truth, case_yml):
    total = 0
    for f in case_yml["files"]:
        rows = data_rows(CASE / f["path"])
        assert rows >= 4, f["path"]
        total += rows
    assert total == ground_truth["contacts"]
    assert 60 <= ground_truth["contacts"] <= 100
    assert len({f["agency"] for f in case_yml["files"]}) >= 8
    health = [f for f in case_yml["files"] if f["path"].split("_")[0] in ("gp", "health", "northgate", "st", "child")]
    assert sum(data_rows(CASE / f["path"]) for f in health) >= 34  # many contacts with health professionals


# ---------------------------------------------------------------------------------------------------
# Ground truth
# ---------------------------------------------------------------------------------------------------
RULE_IDS = {
    "nonmobile_injury", "injury_not_escalated", "repeated_injury_or_ae", "referral_no_decision",
    "strategy_no_conference", "was_not_brought", "child_not_seen", "information_not_shared",
    "closure_with_open_concerns", "assessment_wait",
}


def _row(ref):
    rows = read_rows(CASE / ref["file"])
    key = (ref["sheet"], ref["row"])
    assert key in rows, f"{ref} is not a row of the file"
    return rows[key]


def _date_cell_matches(cells, iso: str) -> bool:
    d = dt.date.fromisoformat(iso)
    shown = {iso, d.strftime("%d/%m/%Y")}
    return any(c.startswith(tuple(shown)) for c in cells) or any(
        c.startswith(f"{d.day}") and d.strftime("%B %Y") in c for c in cells
    )


def test_ground_truth_counts(ground_truth):
    missed = ground_truth["missed"]
    assert len(missed) >= 8
    assert len({m["rule_id"] for m in missed}) >= 6
    assert {m["rule_id"] for m in missed} <= RULE_IDS
    assert len({m["id"] for m in missed + ground_truth["escalated"]}) == len(missed) + len(ground_truth["escalated"])
    assert len(ground_truth["escalated"]) >= 3


def test_ground_truth_rows_hold_the_expected_text(ground_truth):
    for m in ground_truth["missed"]:
        cells = _row(m["trigger"])
        assert any(m["trigger_event"]["text"] in c for c in cells), (m["id"], cells)
        if "decision" in m:
            assert any(m["decision_event"]["text"] in c for c in _row(m["decision"])), m["id"]
        for ref in m.get("also_triggers", []) + m.get("duplicate_triggers", []):
            _row(ref)
    for p in ground_truth["escalated"]:
        assert any(p["trigger_event"]["text"] in c for c in _row(p["trigger"])), p["id"]
        assert any(p["escalation_event"]["text"] in c for c in _row(p["escalation"])), p["id"]


def test_ground_truth_dates(ground_truth):
    """The trigger row carries the trigger date (GP rows under a merged cell show it on the range's first row)."""
    for m in ground_truth["missed"] + ground_truth["escalated"]:
        ref = m["trigger"]
        cells = _row(ref)
        if ref["file"].startswith("gp_") and not cells[0]:
            continue
        assert _date_cell_matches(cells, m["trigger_event"]["date"]), (m["id"], cells[:2])


def test_planted_margins(gen):
    """The working-day and day margins the README promises (weekends and bank holidays counted)."""
    wd = gen.working_days_between
    d = dt.date.fromisoformat
    assert wd(d("2024-04-30"), d("2024-05-08")) == 5  # referral_no_decision: threshold 1
    assert wd(d("2023-09-14"), d("2023-10-19")) == 25  # strategy_no_conference: threshold 15
    assert wd(d("2024-05-09"), d("2024-05-23")) == 10  # properly escalated
    assert wd(d("2023-09-12"), d("2023-09-13")) == 1  # properly escalated


# ---------------------------------------------------------------------------------------------------
# Ingest (review validate) and rules, when available
# ---------------------------------------------------------------------------------------------------
def test_review_validate_accepts_every_row(ground_truth):
    load = pytest.importorskip("review.ingest.load", reason="review.ingest.load_contacts not built yet")
    from review.config import load_case_config
    from review.schema import validate

    contacts, report = load.load_contacts(load_case_config(CASE))
    assert report.balanced
    assert report.rows_rejected == 0, report.rejections_frame().to_string()
    assert report.rows_accepted == ground_truth["contacts"] == len(contacts)
    assert not [w for f in report.files for w in f.warnings], report.rejections_frame().to_string()
    assert validate(contacts).empty
    assert contacts["agency"].nunique() >= 8
    assert contacts.loc[contacts["date_precision"] != "day", "date_text"].tolist() == ["Mar 2024", "early May 2024"]
    # negations are not concerns: "no bruising seen today"
    hv = contacts[(contacts["source_file"] == "health_visiting.csv") & contacts["description"].str.contains("No bruising seen")]
    assert len(hv) == 1 and "bruising" not in hv["concerns"].iloc[0]


def test_review_validate_cli_exit_zero(capsys):
    pytest.importorskip("review.ingest.load", reason="review.ingest.load_contacts not built yet")
    from review.cli import main

    assert main(["validate", str(CASE)]) == 0
    assert "0 rejected" in capsys.readouterr().out


def _flags_with_provenance():
    pipeline = pytest.importorskip("review.pipeline", reason="review.pipeline not built yet")
    case = pipeline.load_case(CASE)
    analysis = pipeline.analyse(case)
    tl = analysis.timeline.set_index("event_id")
    flags = analysis.flags
    prov = {
        eid: (tl.at[eid, "source_file"], tl.at[eid, "source_sheet"], int(tl.at[eid, "source_row"]))
        for eid in flags["trigger_event_id"]
    }
    return {(rule, *prov[eid]) for rule, eid in zip(flags["rule_id"], flags["trigger_event_id"])}


def _key(rule, ref):
    return (rule, ref["file"], ref["sheet"], ref["row"])


def test_rules_find_every_planted_point_and_spare_the_escalated(ground_truth):
    """Golden check against the rule engine: every planted missed point is flagged at its trigger (or at one
    of the rows recording the same failure), and no properly escalated concern is flagged under its rule."""
    found = _flags_with_provenance()
    missing = []
    for m in ground_truth["missed"]:
        refs = [m["trigger"], *m.get("also_triggers", []), *m.get("duplicate_triggers", [])]
        if "decision" in m:
            refs.append(m["decision"])  # information_not_shared may be configured to trigger on the decision
        if not any(_key(m["rule_id"], r) in found for r in refs):
            missing.append(m["id"])
        for rule in m.get("also_flagged_by", []):
            if _key(rule, m["trigger"]) not in found:
                missing.append(f"{m['id']}/{rule}")
    assert not missing, f"planted missed escalation points not flagged: {missing}"
    wrongly = [p["id"] for p in ground_truth["escalated"] if _key(p["rule_id"], p["trigger"]) in found]
    assert not wrongly, f"properly escalated concerns flagged: {wrongly}"


def test_rules_raise_no_flag_outside_the_ground_truth(ground_truth):
    """Precision on the sample case: every flag is one the ground truth expects (a planted trigger, a rule it
    is also expected to raise there, a further trigger of the same failure, or a duplicate row of the event)."""
    found = _flags_with_provenance()
    expected = set()
    for m in ground_truth["missed"]:
        refs = [m["trigger"], *m.get("also_triggers", []), *m.get("duplicate_triggers", [])]
        if "decision" in m:
            refs.append(m["decision"])
        expected |= {_key(m["rule_id"], r) for r in refs}
        expected |= {_key(rule, m["trigger"]) for rule in m.get("also_flagged_by", [])}
    unexpected = sorted(found - expected)
    assert not unexpected, f"flags not in ground_truth.yml (false positives, or the story needs updating): {unexpected}"
