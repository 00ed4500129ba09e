"""A corpus of bad agency files, built here, through `review validate`: one clear message each.

Every case checks, through the command line (in process, and once in a subprocess): the exit code the
README's "When things go wrong" table gives, one message naming the file (and sheet, row and column
where they apply), no Python traceback, and rows read == accepted + rejected wherever rows were read.
The lower-level tests (test_ingest_errors, test_ingest_readers, test_ingest_checks) cover the same
readers and checks one function at a time; this file is the reviewer's view of them.
"""
from __future__ import annotations

import json
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from review.cli import main
from review.config import load_case_config
from review.errors import EncryptedFileError, FileTooLargeError, IngestError, UnsafeFileError
from review.ingest import readers
from review.ingest.load import load_contacts
from review.ingest.plausibility import MONTH_FIRST_NOTE

DOB = "2022-06-01"
REVIEW = "2023-12-31"


# ---------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------
def make_case(folder: Path, **config) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    values = {"case_id": "C1", "date_of_birth": DOB, "review_date": REVIEW, **config}
    (folder / "case.yml").write_text(yaml.safe_dump(values), encoding="utf-8")
    return folder


def write_xlsx(path: Path, rows, title: str = "Chronology") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_csv(path: Path, rows, encoding: str = "utf-8") -> Path:
    text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def validate(case_dir: Path, capsys, *extra) -> tuple[int, str]:
    code = main(["validate", str(case_dir), *extra])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output and "internal error" not in output, output
    return code, output


def validate_json(case_dir: Path, capsys) -> tuple[int, dict]:
    code, output = validate(case_dir, capsys, "--json")
    report = json.loads(output)
    for f in report["files"]:
        assert f["rows_read"] == f["rows_accepted"] + f["rows_rejected"], f
    assert report["rows_read"] == report["rows_accepted"] + report["rows_rejected"]
    return code, report


def error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output  # one line, nothing else
    assert lines[0].startswith("review: error: "), output
    return lines[0]


def balanced(case_dir: Path):
    contacts, report = load_contacts(load_case_config(case_dir))
    assert report.balanced, report.to_frame()
    assert report.rows_accepted == len(contacts)
    return contacts, report


GOOD_ROWS = [["Date", "Details", "Outcome"], ["01/02/2023", "Home visit", "Child seen"], ["03/02/2023", "Phone call", "None"]]


# ---------------------------------------------------------------------------------------------------
# files that cannot be read at all: exit 2..5, one line naming the file
# ---------------------------------------------------------------------------------------------------
def _encrypted(case_dir: Path) -> str:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512
    (case_dir / "locked.xlsx").write_bytes(ole)
    return "locked.xlsx"


def _html_xls(case_dir: Path) -> str:
    (case_dir / "police.xls").write_text(
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>Date</td><td>Details</td></tr>"
        "<tr><td>01/02/2023</td><td>Call-out</td></tr></table></body></html>", encoding="utf-8")
    return "police.xls"


def _too_big(case_dir: Path) -> str:
    write_csv(case_dir / "big.csv", GOOD_ROWS + [["02/02/2023", "x" * 200, "y"]] * 200)
    make_case(case_dir, max_file_mb=0.01)
    return "big.csv"


def _bomb_with_a_lying_directory(case_dir: Path) -> str:
    """A real workbook plus a member whose central directory claims 4 GB: the check reads the zip's
    directory, before any parser inflates anything."""
    path = write_xlsx(case_dir / "bomb.xlsx", GOOD_ROWS)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/image1.bin", b"\x00" * 10_000)
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02", 0, len(data))  # the last member's central directory entry
    assert data[central + 46: central + 46 + 19] == b"xl/media/image1.bin"
    struct.pack_into("<I", data, central + 24, 0xF0000000)  # uncompressed size: 3.75 GB
    path.write_bytes(bytes(data))
    return "bomb.xlsx"


def _xxe(case_dir: Path) -> str:
    path = write_xlsx(case_dir / "xxe.xlsx", GOOD_ROWS)
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&xxe;</t></si></sst>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return "xxe.xlsx"


def _billion_laughs_in_utf16(case_dir: Path) -> str:
    path = write_xlsx(case_dir / "laughs.xlsx", GOOD_ROWS)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("docProps/custom.xml", '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'.encode("utf-16-le"))
    return "laughs.xlsx"


def _corrupt(case_dir: Path) -> str:
    data = write_xlsx(case_dir / "tmp.xlsx", GOOD_ROWS).read_bytes()
    (case_dir / "tmp.xlsx").unlink()
    (case_dir / "hospital.xlsx").write_bytes(data[: len(data) // 2])
    return "hospital.xlsx"


def _all_cells_empty_xlsx(case_dir: Path) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 20):
        for c in range(1, 6):
            ws.cell(row=r, column=c, value="   " if (r + c) % 2 else None).number_format = "dd/mm/yyyy"
    wb.save(case_dir / "blank.xlsx")
    return "blank.xlsx"


def _all_cells_empty_csv(case_dir: Path) -> str:
    (case_dir / "blank.csv").write_text(",,,\n , ,,\n,,,\n", encoding="utf-8")
    return "blank.csv"


@pytest.mark.parametrize(
    "write, error, words",
    [
        (_encrypted, EncryptedFileError, "password-protected"),
        (_html_xls, IngestError, "HTML page, not a spreadsheet"),
        (_too_big, FileTooLargeError, "over the limit of 0.01 MB"),
        (_bomb_with_a_lying_directory, UnsafeFileError, "zip bomb"),
        (_xxe, UnsafeFileError, "XML entities"),
        (_billion_laughs_in_utf16, UnsafeFileError, "XML entities"),
        (_corrupt, IngestError, "corrupt"),
        (_all_cells_empty_xlsx, IngestError, "empty"),
        (_all_cells_empty_csv, IngestError, "holds no data"),
    ],
    ids=["encrypted", "html_named_xls", "over_size_limit", "zip_bomb", "xxe", "entities_utf16", "corrupt",
         "every_cell_empty_xlsx", "every_cell_empty_csv"],
)
def test_unreadable_file_one_line_naming_the_file_and_its_exit_code(tmp_path, capsys, write, error, words):
    make_case(tmp_path)
    name = write(tmp_path)
    with pytest.raises(error) as caught:
        load_contacts(load_case_config(tmp_path))
    assert type(caught.value) is error
    code, output = validate(tmp_path, capsys)
    assert code == error.exit_code
    line = error_line(output)
    assert line.startswith(f"review: error: {name}: ") and words in line, line


def test_exit_codes_are_distinct_per_kind_of_problem():
    codes = [IngestError.exit_code, EncryptedFileError.exit_code, FileTooLargeError.exit_code, UnsafeFileError.exit_code]
    assert codes == [2, 3, 4, 5]


def test_a_real_zip_bomb_is_refused_before_any_parser_opens_it(tmp_path, capsys, monkeypatch):
    """An honest archive (true sizes) that inflates over the limit at an extreme ratio."""
    monkeypatch.setattr(readers, "MAX_INFLATED_MB", 4)
    path = write_xlsx(tmp_path / "zeros.xlsx", GOOD_ROWS)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/zeros.bin", b"\x00" * (6 * 1024 * 1024))
    make_case(tmp_path)

    def no_parsing(*args, **kwargs):
        raise AssertionError("a parser opened the zip bomb")

    import python_calamine

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", no_parsing)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", no_parsing)
    code, output = validate(tmp_path, capsys)
    assert code == 5 and "zeros.xlsx: refused: the archive inflates to 6 MB" in error_line(output)


def test_a_zip_bomb_that_understates_its_sizes_is_refused_before_any_parser_opens_it(tmp_path, capsys, monkeypatch):
    """The directory says 1 kB, the stream inflates to 40 MB: the parser would trust the stream."""
    path = write_xlsx(tmp_path / "liar.xlsx", GOOD_ROWS)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/zeros.bin", b"\x00" * (40 * 1024 * 1024))
    data = bytearray(path.read_bytes())
    local = data.rfind(b"PK\x03\x04")
    central = data.rfind(b"PK\x01\x02")
    assert data[local + 30: local + 30 + 18] == b"xl/media/zeros.bin" == data[central + 46: central + 46 + 18]
    struct.pack_into("<I", data, local + 22, 1000)
    struct.pack_into("<I", data, central + 24, 1000)
    path.write_bytes(bytes(data))
    make_case(tmp_path)
    import python_calamine

    def no_parsing(*args, **kwargs):
        raise AssertionError("a parser opened the zip bomb")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", no_parsing)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", no_parsing)
    code, output = validate(tmp_path, capsys)
    assert code == 5
    assert "liar.xlsx: refused: the part 'xl/media/zeros.bin' declares 1000 bytes but inflates to more" in error_line(output)


def test_an_external_entity_is_never_resolved(tmp_path):
    """Whatever the check, the secret behind the entity must not reach the contacts."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    make_case(tmp_path / "case")
    _xxe(tmp_path / "case")
    with pytest.raises(UnsafeFileError) as caught:
        load_contacts(load_case_config(tmp_path / "case"))
    assert "TOP-SECRET" not in str(caught.value)


def test_cli_in_a_subprocess_prints_no_traceback(tmp_path):
    make_case(tmp_path)
    _xxe(tmp_path)
    result = subprocess.run([sys.executable, "-m", "review.cli", "validate", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 5
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip().startswith("review: error: xxe.xlsx: refused")


# ---------------------------------------------------------------------------------------------------
# files that are read, with rows rejected or warned about: exit 0/1, every row accounted for
# ---------------------------------------------------------------------------------------------------
def test_missing_date_column_rejects_every_row_naming_file_and_row(tmp_path, capsys):
    make_case(tmp_path)
    write_csv(tmp_path / "gp.csv", [["Contact", "Details"], ["Home visit", "Seen"], ["Phone call", "Mother"]])
    code, report = validate_json(tmp_path, capsys)
    assert code == 1 and report["rows_read"] == 3 and report["rows_rejected"] == 3  # the would-be header too
    code, output = validate(tmp_path, capsys)
    # once for the file, with its rows (s17: it was one line per row)
    assert "gp.csv, row 1: no header row found" in output and "rows 1-3 (3 rows) rejected" in output
    assert output.count("no header row found") == 1
    assert "no date column; the first row holds 'Contact', 'Details'" in output


def test_wrong_header_row_in_a_profile_is_reported_with_its_row(tmp_path, capsys):
    make_case(tmp_path, files=[{"path": "gp.xlsx", "profile": "gp"}])
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "gp.yml").write_text("header_row: 1\ncolumns: {date: Date, description: Details}\n")
    write_xlsx(tmp_path / "gp.xlsx", [["GP chronology for C1"], [None], GOOD_ROWS[0], *GOOD_ROWS[1:]])
    code, output = validate(tmp_path, capsys)
    # s15: the sheet's rows are rejected once (exit 1), no longer an error stopping the case (exit 2), and
    # the row that does have the profile's columns is named as the header_row to declare
    assert code == 1
    assert ("gp.xlsx, sheet 'Chronology', row 1: profile 'gp' reads its date from 'Date' and its description "
            "from 'Details', which the header row does not have. Row 1, the profile's header_row, holds "
            "'GP chronology for C1'. Row 3 has the profile's columns: set the profile's `header_row:` to 3") in output
    assert "rows 1 and 3-5 (4 rows) rejected" in output


def test_header_below_the_scanned_rows_rejects_rows_with_a_fix(tmp_path, capsys):
    make_case(tmp_path)
    write_xlsx(tmp_path / "gp.xlsx", [[f"note {i}"] for i in range(35)] + GOOD_ROWS)
    code, report = validate_json(tmp_path, capsys)
    assert code == 1 and report["rows_accepted"] == 0
    assert any("no header row" in r["reason"] for f in report["files"] for r in f["rejections"])


def test_us_style_dates_in_a_uk_file_get_a_sheet_warning_naming_file_sheet_and_column(tmp_path, capsys):
    make_case(tmp_path)
    # month-first dates, in order, inside the case period; read day-first some are impossible, the rest
    # jump about and some fall after the review date
    us = ["01/05/2023", "01/19/2023", "02/03/2023", "02/14/2023", "03/02/2023", "03/20/2023", "04/11/2023",
          "05/12/2023", "06/25/2023", "07/04/2023", "08/09/2023", "09/30/2023"]
    write_xlsx(tmp_path / "hv.xlsx", [["Date of contact", "Details"], *[[d, f"Visit {i}"] for i, d in enumerate(us)]],
               title="HV")
    code, output = validate(tmp_path, capsys)
    assert code == 1  # 03/20/2023 etc. are impossible day-first: rejected, not guessed
    warning = [line for line in output.splitlines() if MONTH_FIRST_NOTE in line]
    assert len(warning) == 1, output
    assert warning[0].strip().startswith("hv.xlsx, sheet 'HV', column 'Date of contact': ")
    validate_json(tmp_path, capsys)


def test_us_style_dates_with_every_day_under_13_are_still_caught_by_the_sequence(tmp_path, capsys):
    make_case(tmp_path, review_date=None)
    us = [f"{m:02d}/{d:02d}/2023" for m in range(1, 13) for d in (3, 9)]  # every one is valid day-first
    write_csv(tmp_path / "school.csv", [["Date", "Details"], *[[d, "Note"] for d in us]])
    code, output = validate(tmp_path, capsys)
    assert code == 0 and MONTH_FIRST_NOTE in output and "school.csv, column 'Date'" in output


def test_uk_dates_are_not_mistaken_for_us_dates(tmp_path, capsys):
    make_case(tmp_path)
    uk = [f"{d:02d}/{m:02d}/2023" for m in range(1, 13) for d in (3, 9)]
    write_csv(tmp_path / "school.csv", [["Date", "Details"], *[[d, "Note"] for d in uk]])
    code, output = validate(tmp_path, capsys)
    # no warning about a date (the file's agency, its name 'school', is warned about as in no vocabulary)
    assert code == 0 and MONTH_FIRST_NOTE not in output and "column 'Date'" not in output


def test_dates_before_birth_and_after_the_review_date_are_listed_by_validate(tmp_path, capsys):
    make_case(tmp_path)
    write_csv(tmp_path / "gp.csv", [["Date", "Details"], ["01/01/2021", "Old note"], ["01/02/2023", "Visit"],
                                    ["05/01/2024", "After the review"]])
    code, output = validate(tmp_path, capsys)
    assert code == 0  # warnings do not reject
    assert "gp.csv, row 2, column 'Date': dated 01/01/2021, before the child's date of birth (01/06/2022)" in output
    assert "gp.csv, row 4, column 'Date': dated 05/01/2024, after the end of the review period (31/12/2023)" in output


def test_a_sheet_mostly_after_the_review_date_gets_one_sheet_warning(tmp_path, capsys):
    make_case(tmp_path)
    write_csv(tmp_path / "gp.csv", [["Date", "Details"], *[[f"{d:02d}/03/2025", "Visit"] for d in range(1, 9)]])
    code, output = validate(tmp_path, capsys)
    assert code == 0
    assert "gp.csv, column 'Date': 8 of 8 dates in this sheet are after the review date (31/12/2023)" in output


def test_duplicated_rows_are_warned_about_and_kept(tmp_path, capsys):
    make_case(tmp_path)
    rows = [["Date", "Details", "Outcome"], ["01/02/2023", "Home visit", "Seen"], ["02/02/2023", "Call", ""],
            ["01/02/2023", "Home visit", "Seen"], ["01/02/2023", "Home visit", "Seen"]]
    write_xlsx(tmp_path / "hv.xlsx", rows)
    contacts, _ = balanced(tmp_path)
    assert len(contacts) == 4  # nothing dropped
    code, output = validate(tmp_path, capsys)
    assert code == 0
    assert "hv.xlsx, sheet 'Chronology', row 4: duplicate of row 2" in output
    assert "hv.xlsx, sheet 'Chronology', row 5: duplicate of row 2" in output


def test_fifty_thousand_rows_are_all_accounted_for_in_reasonable_time(tmp_path):
    make_case(tmp_path)
    rows = [["Date", "Time", "Details", "Outcome"]]
    for i in range(50_000):
        day = 1 + i % 28
        rows.append([f"{day:02d}/{1 + (i // 28) % 12:02d}/2023" if i % 997 else "31/02/2023", f"{i % 24:02d}:00",
                     f"Contact {i}", "" if i % 5 else "Seen"])
    write_csv(tmp_path / "big.csv", rows)
    start = time.perf_counter()
    contacts, report = balanced(tmp_path)
    elapsed = time.perf_counter() - start
    assert report.rows_read == 50_000
    assert report.rows_rejected == len(range(0, 50_000, 997))  # 31/02 is not a date: rejected, not guessed
    assert len(contacts) == 50_000 - report.rows_rejected
    assert elapsed < 60, elapsed


def test_formulas_give_their_cached_values_and_uncached_ones_reject_the_row_with_the_cell(tmp_path, capsys):
    make_case(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws.append(["Date", "Details", "Outcome"])
    ws.append(["01/02/2023", "Visit", "=1+1"])  # openpyxl stores no result: uncached
    ws.append(["02/02/2023", '="Call "&"back"', "ok"])
    ws.append(["03/02/2023", "Letter", "ok"])
    wb.save(tmp_path / "gp.xlsx")
    _set_cached_value(tmp_path / "gp.xlsx", "B3", "Call back")
    contacts, report = balanced(tmp_path)
    assert contacts["description"].tolist() == ["Call back", "Letter"]
    code, output = validate(tmp_path, capsys)
    assert code == 1
    assert "gp.xlsx, sheet 'Log', row 2, column 'Outcome': formula =1+1 has no saved value" in output


def _set_cached_value(path: Path, ref: str, value: str) -> None:
    """What Excel would store: the formula's result beside it."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index(f'<c r="{ref}"')
    end = sheet.index("</c>", start)
    cell = sheet[start:end].replace(f'<c r="{ref}"', f'<c r="{ref}" t="str"').replace("<v></v>", "") + f"<v>{value}</v>"
    parts["xl/worksheets/sheet1.xml"] = (sheet[:start] + cell + sheet[end:]).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_a_header_only_sheet_reads_no_rows(tmp_path, capsys):
    make_case(tmp_path)
    write_xlsx(tmp_path / "gp.xlsx", [GOOD_ROWS[0], [None, None, None], ["", " ", None]])
    code, report = validate_json(tmp_path, capsys)
    assert code == 0 and report["rows_read"] == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_csv_in_utf16_is_read(tmp_path, capsys, encoding):
    make_case(tmp_path)
    rows = [["Date", "Details"], ["01/02/2023", "Visite à domicile – Zoë"], ["02/02/2023", "Call"]]
    write_csv(tmp_path / "gp.csv", rows, encoding=encoding)
    contacts, _ = balanced(tmp_path)
    assert contacts["description"].tolist() == ["Visite à domicile – Zoë", "Call"]
    code, _ = validate(tmp_path, capsys)
    assert code == 0


def test_readme_lists_every_exit_code_the_tool_uses():
    import re

    import review.errors as errors
    from review.cli import CLOSED_PIPE, INTERNAL_ERROR

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## When things go wrong"):]
    section = section[: section.index("\n## ", 3)]
    listed = {int(code) for code in re.findall(r"^\| (\d+) \|", section, re.M)}
    import review.decisions  # noqa: F401  every module that defines an error class, imported
    import review.store  # noqa: F401
    import review.thematic  # noqa: F401

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    used = {cls.exit_code for cls in [errors.ReviewError, *subclasses(errors.ReviewError)]}
    assert used | {0, 1, INTERNAL_ERROR, 130, CLOSED_PIPE} == listed


def test_one_stray_value_in_the_last_cell_is_refused_not_a_crash(tmp_path):
    """The parser allocates A1 to the last value: XFD1048576 would be 17 billion cells (an abort, not an
    exception). Run in a subprocess so that a regression fails this test instead of killing the run."""
    make_case(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in GOOD_ROWS:
        ws.append(row)
    ws["XFD1048576"] = "stray"
    wb.save(tmp_path / "gp.xlsx")
    result = subprocess.run([sys.executable, "-m", "review.cli", "validate", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == FileTooLargeError.exit_code, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "backtrace" not in result.stderr
    assert result.stderr.strip().startswith(
        "review: error: gp.xlsx, sheet 'Sheet': the sheet's used range is A1:XFD1048576 (1,048,576 rows x 16,384 columns)")


def test_formatting_far_from_the_data_is_not_a_used_range(tmp_path, capsys):
    from openpyxl.styles import Font

    make_case(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in GOOD_ROWS:
        ws.append(row)
    ws["XFD1048576"].font = Font(bold=True)  # formatted, no value: the parser skips it
    wb.save(tmp_path / "gp.xlsx")
    code, report = validate_json(tmp_path, capsys)
    assert code == 0 and report["rows_accepted"] == 2


def test_a_csv_line_of_many_commas_does_not_widen_every_row(tmp_path, capsys):
    make_case(tmp_path)
    lines = ["Date,Details" + "," * 200_000] + ["01/02/2023,Visit"] * 5_000
    (tmp_path / "gp.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, report = validate_json(tmp_path, capsys)
    assert code == 0 and report["rows_accepted"] == 5_000


def test_a_csv_with_a_stray_value_far_to_the_right_is_refused_not_exhausting_memory(tmp_path, capsys):
    make_case(tmp_path)
    lines = ["Date,Details"] + ["01/02/2023,Visit"] * 20_000 + ["01/02/2023,Visit" + "," * 3_000 + "stray"]
    (tmp_path / "gp.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = validate(tmp_path, capsys)
    assert code == FileTooLargeError.exit_code
    assert "gp.csv: the file is 20,002 rows x 3,002 columns (row 20002 is the widest), too large to read" in error_line(output)


def test_real_excel_dates_stored_day_and_month_swapped_get_the_sheet_warning(tmp_path, capsys):
    """A US-locale program turned "03/01/2023" (3 January) into a real date, 1 March: every cell is a
    valid date; only the sequence gives it away."""
    import datetime as dt

    make_case(tmp_path, review_date=None)
    true_dates = [dt.datetime(2023, m, d) for m in range(1, 13) for d in (3, 9)]
    swapped = [dt.datetime(t.year, t.day, t.month) for t in true_dates]
    write_xlsx(tmp_path / "hv.xlsx", [["Date", "Details"], *[[d, "Visit"] for d in swapped]])
    code, output = validate(tmp_path, capsys)
    assert code == 0 and "hv.xlsx, sheet 'Chronology', column 'Date': " + MONTH_FIRST_NOTE in output
