"""QA pass on the reviewers' and regulator's journeys (s14): decisions.csv saved by Excel as cp1252, a
decision dated in the future, `review flags --csv` paths, decisions by people case.yml does not name, and
decisions on a flag the rules no longer raise, in every output."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from review.cli import main
from review.decisions import DECISIONS_FILE, load_decisions, read_decisions_file
from review.errors import DecisionError

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"
HEADER = "flag_id,decision,rationale,author,date,rule_id,trigger_event_id,evidence_event_ids"


@pytest.fixture
def case(tmp_path) -> Path:
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    with (copy / "case.yml").open("a", encoding="utf-8") as handle:
        handle.write("lead_reviewer: Jane Okafor\nreviewers:\n  - Tom Ellery\n")
    return copy


# --- decisions.csv saved by Excel as "CSV (Comma delimited)": cp1252, CRLF ------------------------------
def _excel_cp1252(path: Path, flag_id: str = "injury_not_escalated-6c36c0b5a668") -> None:
    text = (f"{HEADER}\r\n{flag_id},accepted,Head injury never referred \u2013 Bront\u00eb Court,Jane Okafor,"
            "01/08/2024,,,\r\n")
    path.write_bytes(text.encode("cp1252"))


def test_a_cp1252_decisions_file_is_read_as_excel_wrote_it(tmp_path):
    path = tmp_path / DECISIONS_FILE
    _excel_cp1252(path)
    decisions = read_decisions_file(path)
    assert decisions["rationale"].tolist() == ["Head injury never referred \u2013 Bront\u00eb Court"]
    assert decisions["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-08-01"]


@pytest.mark.parametrize("data, row, expected", [
    (b"\xef\xbb\xbf" + HEADER.encode() + b"\nx,accepted,Bront\xeb,A,2024-08-01,,,\n", 2,
     "marked as UTF-8 (byte order mark) but byte 0xEB is not UTF-8 at byte 17 of the row"),
    (HEADER.encode() + "\nx,accepted,Bront\u00eb,A,2024-08-01,,,\n".encode() + b"y,accepted,\x96 x,A,2024-08-01,,,\n",
     3, "some rows are UTF-8 and others are not"),
    (HEADER.encode() + b"\nx,accepted,a\x81b,A,2024-08-01,,,\n", 2, "byte 0x81 is neither UTF-8 nor cp1252"),
])
def test_an_ambiguous_decisions_file_names_the_row_and_byte_and_says_save_as_utf8(tmp_path, data, row, expected):
    path = tmp_path / DECISIONS_FILE
    path.write_bytes(data)
    with pytest.raises(DecisionError) as error:
        read_decisions_file(path)
    message = str(error.value)
    assert f"{DECISIONS_FILE}, row {row}:" in message
    assert expected in message
    assert 'save it as "CSV UTF-8 (Comma delimited)"' in message


def test_decide_on_a_cp1252_file_appends_and_writes_utf8(case, capsys):
    path = case / DECISIONS_FILE
    _excel_cp1252(path)
    assert main(["decide", str(case), "3", "--reject", "--rationale", "Seen by Zo\u00eb", "--reviewer", "Tom Ellery",
                 "--date", "2024-08-02"]) == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "never referred \u2013 Bront\u00eb Court" in text  # the Excel row, now in UTF-8
    assert text.count("\r\n") == 3  # Excel's line endings kept, on the new row too
    decisions, _ = load_decisions(case)
    assert decisions["rationale"].tolist()[-1] == "Seen by Zo\u00eb"


# --- review decide --date ------------------------------------------------------------------------------
def test_decide_refuses_a_date_after_today(case, capsys):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert main(["decide", str(case), "1", "--reject", "--rationale", "x", "--reviewer", "Jane Okafor",
                 "--date", tomorrow]) == 2
    err = capsys.readouterr().err
    assert f"--date {tomorrow} is after today" in err
    assert not (case / DECISIONS_FILE).exists()


# --- review flags --csv PATH ---------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["health_visiting.csv", "flags.csv", "sub/flags.csv", "."])
def test_flags_csv_refuses_a_path_in_the_case_folder(tmp_path, where, capsys):
    case = tmp_path / "case"
    shutil.copytree(SAMPLE, case)
    before = {p.relative_to(case).as_posix(): p.read_bytes() for p in case.rglob("*") if p.is_file()}
    assert main(["flags", str(case), "--csv", str(case / where)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "internal error" not in err
    assert "case folder" in err
    assert {p.relative_to(case).as_posix(): p.read_bytes() for p in case.rglob("*") if p.is_file()} == before


def test_flags_csv_bad_paths_are_one_line_errors(tmp_path, capsys):
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    for path, expected in ((tmp_path, "is a folder"), (afile / "flags.csv", "is a file, not a folder")):
        assert main(["flags", str(SAMPLE), "--csv", str(path)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and expected in err and str(path) in err


def test_flags_csv_is_readable_by_the_team_and_says_which_folders_it_created(tmp_path, capsys):
    out = tmp_path / "new" / "deeper" / "flags.csv"
    assert main(["flags", str(SAMPLE), "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"(created the missing folders {tmp_path / 'new'}, {tmp_path / 'new' / 'deeper'})" in printed
    assert out.stat().st_mode & 0o777 == 0o644
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".flags-")]


# --- authors case.yml does not name ---------------------------------------------------------------------
def test_an_author_case_yml_does_not_name_is_a_problem_and_a_known_one_is_spelt_as_case_yml_does(case, capsys):
    (case / DECISIONS_FILE).write_text(
        f"{HEADER}\n"
        "injury_not_escalated-6c36c0b5a668,rejected,Covered by flag 2,jane  OKAFOR,2024-08-01,,,\n"
        "injury_not_escalated-6d6b3d32dbd9,accepted,Never referred,Bob,2024-08-02,,,\n", encoding="utf-8")
    decisions, problems = load_decisions(case)
    assert decisions["author"].tolist() == ["Jane Okafor", "Bob"]
    assert problems[["row", "flag_id"]].values.tolist() == [[3, "injury_not_escalated-6d6b3d32dbd9"]]
    assert problems["problem"].iloc[0].startswith(
        "author 'Bob' is not one of the reviewers case.yml names (Jane Okafor, Tom Ellery)")

    assert main(["validate", str(case)]) in (0, 1)
    assert "decisions.csv, row 3: author 'Bob' is not one of the reviewers case.yml names" in capsys.readouterr().out


def test_without_reviewers_in_case_yml_any_author_is_taken_as_written(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(SAMPLE, case)
    (case / DECISIONS_FILE).write_text(f"{HEADER}\nx-1,rejected,r,Bob,2024-08-02,,,\n", encoding="utf-8")
    decisions, problems = load_decisions(case)
    assert decisions["author"].tolist() == ["Bob"] and problems.empty


# --- a decision on a flag the rules no longer raise, in every output -------------------------------------
def test_an_orphaned_decision_is_shown_in_full_and_not_in_force_in_every_output(case, tmp_path, capsys):
    import re

    import docx
    import openpyxl

    gone = "injury_not_escalated-0123456789ab"  # as when the trigger contact's text was edited on resubmission
    (case / DECISIONS_FILE).write_text(
        f"{HEADER}\n{gone},rejected,Covered by the non-mobile injury flag,Jane Okafor,2024-08-01,,,\n",
        encoding="utf-8")
    decisions, problems = load_decisions(case, flags=__import__("pandas").DataFrame({"flag_id": ["other-1"]}))
    assert decisions["current"].tolist() == [False]
    assert problems["problem"].tolist()[0].endswith("the decision applies to no current flag and is not in force")

    assert main(["flags", str(case)]) == 0
    printed = capsys.readouterr().out
    assert ('    decision: rejected by Jane Okafor on 2024-08-01: "Covered by the non-mobile injury flag"'
            in printed.split("problem with the reviewers' decisions")[1])

    out = tmp_path / "report"
    assert main(["build", str(case), "--out", str(out), "--no-progress"]) == 0
    workbook = openpyxl.load_workbook(out / "chronology.xlsx")
    rows = list(workbook["Decisions"].iter_rows(values_only=True))
    assert rows[1][0] == gone and rows[1][-1] == "no: applies to no current flag"
    problems_sheet = list(workbook["Decision problems"].iter_rows(values_only=True))
    assert problems_sheet[0][4:] == ("Decision", "Decided by", "Decision date", "Rationale")
    assert problems_sheet[1][4:6] == ("rejected", "Jane Okafor")
    assert problems_sheet[1][7] == "Covered by the non-mobile injury flag"

    html = (out / "report.html").read_text(encoding="utf-8")
    section = html[html.index("Problems with the reviewers' decisions"):html.index('<section id="chronology"')]
    assert re.search(r"<td>rejected</td><td>Jane Okafor</td><td>01/08/2024</td>"
                     r"<td>Covered by the non-mobile injury flag</td>", section)

    document = docx.Document(out / "chronology.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[-1] == "Decisions on flags the rules no longer raise"
    table = [[c.text for c in r.cells] for r in document.tables[-1].rows]
    assert table == [["Row", "Flag id", "Decision", "Decided by", "Date", "Rationale"],
                     ["2", gone, "rejected", "Jane Okafor", "01/08/2024", "Covered by the non-mobile injury flag"]]
