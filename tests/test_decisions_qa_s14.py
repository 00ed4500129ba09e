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
def _excel_cp1252(path: Path, flag_id: str = "injury_not_escalated-d887680e896a") -> None:
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
