"""Every file the tool writes is safe to open: no formula runs, no script runs, nothing lands outside
the chosen folder, and case.yml cannot point the tool outside the case folder.

A hostile case (real pipeline, no stand-ins): formula-like text (= + - @ tab CR, OWASP "CSV injection")
in every kind of field, an agency called "=Evil agency" and one with a "/", a description holding
<script>alert(1)</script>, and a case_id of "../../evil". Checked: every sheet of chronology.xlsx,
chronology.csv, flags.csv, decisions.csv, `review flags --csv`, the thematic csvs; report.html and the
SVGs it embeds; where `review build` and `review build-all` write; paths and symlinks in case.yml.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

import review.build as build_module
from review.build import build_report
from review.cli import main
from review.config import load_case_config
from review.errors import ConfigError
from review.export import FORMULA_PREFIXES, save_figure
from review.ingest.load import load_contacts

HOSTILE_ROWS = [
    ["Date", "Agency", "Practitioner", "Type of contact", "Details of contact", "Outcome"],
    ["01/03/2023", "=Evil agency", "=cmd|'/c calc'!A1", "Home visit",
     '=HYPERLINK("http://evil.example","click") mother seen with baby', "+1 follow up"],
    ["15/04/2023", "Police/Met", "@SUM(1)", "A&E attendance",
     "Bruising to face of baby <script>alert(1)</script> <img src=x onerror=alert(2)>", "-2 no action"],
    ["20/05/2023", "GP", "\tTabbed name", "Clinic", "\r=1+1 carriage return", "@admin"],
    ["01/06/2023", "Health Visiting", "HV", "Home visit", "Seen at home, bruise on arm", "=2+3"],
    ["05/06/2023", "Children's Social Care", "SW", "Referral",
     "Referral received about bruising; decision: no further action", "-NFA"],
]


def write_hostile_case(folder: Path, case_id: str = "../../evil") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yml").write_text(yaml.safe_dump({
        "case_id": case_id, "date_of_birth": "2023-02-14", "mobile_from": "2023-10-20", "review_date": "2024-03-31",
    }), encoding="utf-8")
    with open(folder / "gp.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(HOSTILE_ROWS)
    return folder


def dangerous(text: str) -> bool:
    """A cell a spreadsheet would run: starts with = + - @ tab or CR and is not simply a number."""
    if not isinstance(text, str) or not text.startswith(FORMULA_PREFIXES):
        return False
    try:
        float(text)
        return False
    except ValueError:
        return True


def csv_cells(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("safe")
    case_dir = write_hostile_case(root / "case")
    work = root / "work"
    work.mkdir()
    before = {p for p in root.rglob("*")}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(work)
        # SVG only: text is what can carry a payload, and PNG/PDF rendering is most of a build's time
        mp.setattr(build_module, "save_figure", lambda fig, stem, out_dir: save_figure(fig, stem, out_dir, ("svg",)))
        manifest = build_report(case_dir, None, progress=False)  # default out: reports/<safe case_id>
    created = {p for p in root.rglob("*")} - before
    return case_dir, work / "reports" / "evil", manifest, created, root


def test_hostile_case_ingests_every_row(built):
    case_dir = built[0]
    contacts, report = load_contacts(load_case_config(case_dir))
    assert len(contacts) == len(HOSTILE_ROWS) - 1 and report.rows_rejected == 0


def test_a_case_id_with_path_parts_cannot_write_outside_the_reports_folder(built):
    _, out, manifest, created, root = built
    assert out.is_dir() and (out / "manifest.json").is_file()
    reports = (root / "work" / "reports").resolve()
    assert created, "nothing was written"
    outside = [p for p in created if reports not in p.resolve().parents and p.resolve() != reports]
    assert outside == []
    assert not (root.parent / "evil").exists() and not (root / "evil").exists()
    assert all("/" not in name.strip("/").split("/", 1)[0] or name.startswith("figures/") for name in manifest["outputs"])
    assert all(not name.startswith(("/", "..")) and ".." not in Path(name).parts for name in manifest["outputs"])


def test_every_sheet_of_the_workbook_holds_no_formula_and_no_formula_like_text(built):
    out = built[1]
    with zipfile.ZipFile(out / "chronology.xlsx") as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name
    wb = openpyxl.load_workbook(out / "chronology.xlsx")
    seen_payload = False
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                assert not dangerous(cell.value), (ws.title, cell.coordinate, cell.value)
                seen_payload |= isinstance(cell.value, str) and cell.value.startswith("'=HYPERLINK")
    assert seen_payload, "the payload should be kept, made inert, not dropped"
    assert len(wb.sheetnames) >= 4


@pytest.mark.parametrize("name", ["chronology.csv", "flags.csv"])
def test_build_csvs_are_injection_safe(built, name):
    cells = csv_cells(built[1] / name)
    assert [c for c in cells if dangerous(c)] == []
    if name == "chronology.csv":
        assert any(c.startswith("'=HYPERLINK") for c in cells)
        assert "'=Evil agency" in cells or any(c.startswith("'=Evil") for c in cells)


def test_flags_command_csv_is_injection_safe(built, tmp_path, capsys):
    case_dir = built[0]
    assert main(["flags", str(case_dir), "--csv", str(tmp_path / "flags.csv")]) == 0
    capsys.readouterr()
    assert [c for c in csv_cells(tmp_path / "flags.csv") if dangerous(c)] == []


def test_decisions_csv_is_injection_safe_and_round_trips(built, tmp_path):
    from review.decisions import load_decisions, record_decision
    from review.pipeline import analyse, load_case

    case_dir = tmp_path / "case"
    write_hostile_case(case_dir, case_id="D1")
    flags = analyse(load_case(case_dir)).flags
    assert len(flags)
    flag_id = flags["flag_id"].iloc[0]
    rationale = "=cmd|'/c calc'!A1 then +1 and @x"
    record_decision(case_dir, flag_id, "accepted", rationale, "@reviewer", "2024-04-01")
    assert [c for c in csv_cells(case_dir / "decisions.csv") if dangerous(c)] == []
    decisions, problems = load_decisions(case_dir, flags)
    assert decisions["rationale"].tolist()[-1] == rationale  # what the reviewer wrote, not the quote


def test_thematic_csvs_are_injection_safe(built, tmp_path, capsys):
    cases = tmp_path / "cases"
    write_hostile_case(cases / "one", case_id="T1")
    write_hostile_case(cases / "two", case_id="=T2")
    assert main(["build-all", str(cases), "--store", str(tmp_path / "store"), "--no-progress"]) == 0
    assert main(["thematic", "--store", str(tmp_path / "store"), "--out", str(tmp_path / "thematic"),
                 "--formats", "svg"]) == 0
    capsys.readouterr()
    written = sorted((tmp_path / "thematic").glob("*.csv"))
    assert written
    cells = [c for path in written for c in csv_cells(path)]
    assert [c for c in cells if dangerous(c)] == []
    assert any(c.startswith("'=Evil") or c == "'=T2" for c in cells), "the hostile values should reach a table"
    # the store's part files are named from the case_id but stay inside the store
    parts = [p for p in (tmp_path / "store").rglob("*.parquet")]
    assert parts and all((tmp_path / "store").resolve() in p.resolve().parents for p in parts)


def test_html_report_shows_markup_as_text_and_runs_nothing(built):
    text = (built[1] / "report.html").read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "default-src 'none'" in text  # CSP: no script, no network even if something slipped through
    charts = re.findall(r"<svg .*?</svg>", text, re.DOTALL)  # inline, their text as text
    assert charts
    for svg in charts:
        assert "<script" not in svg.lower() and "onerror=" not in svg.lower()
    for path in (built[1] / "figures").glob("*.svg"):
        content = path.read_text(encoding="utf-8").lower()
        assert "<script" not in content and "<img" not in content, path.name


# ---------------------------------------------------------------------------------------------------
# case.yml paths stay inside the case folder
# ---------------------------------------------------------------------------------------------------
@pytest.fixture
def outside(tmp_path):
    secret = tmp_path / "outside"
    secret.mkdir()
    with open(secret / "secret.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["Date", "Details"], ["01/02/2023", "SECRET ROW"]])
    (secret / "evil.yml").write_text("columns: {date: Date, description: Details}\n")
    return secret


def _case(folder: Path, **config) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yml").write_text(yaml.safe_dump({"case_id": "P1", "date_of_birth": "2022-06-01", **config}))
    return folder


def _refused(case_dir: Path, capsys) -> str:
    with pytest.raises(ConfigError):
        load_contacts(load_case_config(case_dir))
    assert main(["validate", str(case_dir)]) == 2
    err = capsys.readouterr()
    assert "Traceback" not in err.out + err.err and "SECRET" not in err.out + err.err
    return err.err


def test_a_symlinked_spreadsheet_in_a_scanned_folder_is_refused(tmp_path, outside, capsys):
    case_dir = _case(tmp_path / "case")
    (case_dir / "gp.csv").symlink_to(outside / "secret.csv")
    assert "outside the case folder" in _refused(case_dir, capsys)


def test_a_declared_path_through_a_symlinked_folder_is_refused(tmp_path, outside, capsys):
    case_dir = _case(tmp_path / "case", files=[{"path": "link/secret.csv"}])
    (case_dir / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ConfigError, match="outside the case folder"):
        load_case_config(case_dir)


@pytest.mark.parametrize("how", ["dotdot", "symlink"])
def test_a_profile_cannot_be_read_from_outside_the_case_folder(tmp_path, outside, capsys, how):
    if how == "dotdot":
        case_dir = _case(tmp_path / "case", files=[{"path": "gp.csv", "profile": "../../outside/evil"}])
    else:
        case_dir = _case(tmp_path / "case", files=[{"path": "gp.csv", "profile": "evil"}])
        (case_dir / "profiles").mkdir()
        (case_dir / "profiles" / "evil.yml").symlink_to(outside / "evil.yml")
    with open(case_dir / "gp.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["Date", "Details"], ["01/02/2023", "Visit"]])
    assert "outside the case folder" in _refused(case_dir, capsys)


def test_notebooks_default_folder_is_confined_to_reports(tmp_path, monkeypatch):
    import review.notebooks as notebooks_module

    case_dir = write_hostile_case(tmp_path / "case")
    seen = {}

    def fake_run(case, out_dir, **kwargs):
        seen["out"] = Path(out_dir)
        return []

    monkeypatch.setattr(notebooks_module, "run_notebooks", fake_run)
    monkeypatch.chdir(tmp_path)
    assert main(["notebooks", str(case_dir)]) == 0
    reports = (tmp_path / "reports").resolve()
    assert reports in (tmp_path / seen["out"]).resolve().parents


@pytest.mark.parametrize("name", ["vocab.yml", "rules.yml", "decisions.csv"])
def test_case_side_files_symlinked_outside_the_case_folder_are_refused(tmp_path, name):
    from review.config import case_file
    from review.errors import ConfigError

    outside = tmp_path / "elsewhere" / name
    outside.parent.mkdir()
    outside.write_text("secret: 1\n", encoding="utf-8")
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    (case_dir / name).symlink_to(outside)
    with pytest.raises(ConfigError, match="outside the case folder"):
        case_file(case_dir, name)
    if name == "rules.yml":
        from review.rules import load_rules

        with pytest.raises(ConfigError):
            load_rules(case_dir)
    if name == "decisions.csv":
        from review.decisions import load_decisions

        with pytest.raises(ConfigError):
            load_decisions(case_dir)
