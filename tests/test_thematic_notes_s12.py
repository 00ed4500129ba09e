"""The thematic report carries the notes on how the declarations file was read (the year column's
convention, "2007/08" or "2008", and the dates read by it; years taken from a file's name; repeated
declarations): they were printed on the console and shown in notebook 05 only, so a reader of the report
folder could not tell how a date in the year column had been read."""
from __future__ import annotations

import csv
import json

import pytest

from review.cli import main
from review.thematic import read_declarations
from review.thematic_report import ASSURANCE_NOTES, thematic_file_names, verify_thematic, write_thematic


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("thematic_notes")
    assert main(["synth", "--cases", "3", "--seed", "5", "--store", str(root / "store"), "--no-progress",
                 "--declarations", str(root / "synth.csv")]) == 0
    rows = list(csv.DictReader((root / "synth.csv").open(encoding="utf-8")))
    first, second = rows[0], rows[1]
    # calendar years, one year cell written as a date, and one declaration repeated word for word
    with (root / "declarations.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["organisation", "year", "standard", "declared_status"])
        out.writerow([first["organisation"], "2016", first["standard"], first["declared_status"]])
        out.writerow([second["organisation"], "31/03/2017", second["standard"], second["declared_status"]])
        out.writerow([first["organisation"], "2016", first["standard"], first["declared_status"]])
    # no year column: the one year the file's name gives
    with (root / "eastborough_2016.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["organisation", "standard", "declared_status"])
        out.writerow([first["organisation"], first["standard"], first["declared_status"]])
    return root


def test_the_notes_on_the_declarations_are_a_file_of_the_report(store, tmp_path):
    declarations = store / "declarations.csv"
    notes = read_declarations(declarations).attrs["notes"]
    assert any("31/03/2017 as 2017" in n and "calendar" in n for n in notes)
    assert any("repeated word for word" in n for n in notes)
    done = write_thematic(store / "store", tmp_path / "th", declarations=declarations, formats=("svg",))
    text = (tmp_path / "th" / ASSURANCE_NOTES).read_text(encoding="utf-8")
    for note in notes:
        assert f"- {note}\n" in text
    assert "How the declarations file was read (declarations.csv):\n" \
           "- years declared: calendar year(s) 2016, 2017 (January - December)\n" in text
    # and what the console says of the comparison
    assert "assessable declarations disagree with the evidence" in text
    assert ASSURANCE_NOTES in done["manifest"]["outputs"]
    assert ASSURANCE_NOTES in thematic_file_names()


def test_a_redacted_report_leaves_the_file_name_out_of_the_notes(store, tmp_path):
    declarations = store / "eastborough_2016.csv"
    assert any("'eastborough_2016.csv'" in n for n in read_declarations(declarations).attrs["notes"])
    write_thematic(store / "store", tmp_path / "named", declarations=declarations, formats=("svg",))
    write_thematic(store / "store", tmp_path / "redacted", declarations=declarations, formats=("svg",), redact=True)
    named = (tmp_path / "named" / ASSURANCE_NOTES).read_text(encoding="utf-8")
    redacted = (tmp_path / "redacted" / ASSURANCE_NOTES).read_text(encoding="utf-8")
    assert "the year 2016 taken from the file's name 'eastborough_2016.csv'" in named
    assert "eastborough" not in redacted.lower()
    assert "the year 2016 taken from the file's name (not shown with --redact)" in redacted


def test_without_declarations_there_is_no_notes_file(store, tmp_path):
    done = write_thematic(store / "store", tmp_path / "th", formats=("svg",))
    assert not (tmp_path / "th" / ASSURANCE_NOTES).exists()
    assert ASSURANCE_NOTES not in done["manifest"]["outputs"]


def test_the_notes_are_byte_identical_on_a_rerun_and_verify(store, tmp_path):
    declarations = store / "declarations.csv"
    for name in ("a", "b"):
        write_thematic(store / "store", tmp_path / name, declarations=declarations, formats=("svg",))
    assert (tmp_path / "a" / ASSURANCE_NOTES).read_bytes() == (tmp_path / "b" / ASSURANCE_NOTES).read_bytes()
    assert json.loads((tmp_path / "a" / "manifest.json").read_text())["outputs"][ASSURANCE_NOTES] == \
        json.loads((tmp_path / "b" / "manifest.json").read_text())["outputs"][ASSURANCE_NOTES]
    result = verify_thematic(tmp_path / "a")
    assert result.ok, (result.causes, result.files)
    # a notes file changed by hand is a difference
    (tmp_path / "a" / ASSURANCE_NOTES).write_text("edited\n", encoding="utf-8")
    result = verify_thematic(tmp_path / "a")
    assert not result.ok
    assert [f for f, status, _, _ in result.files if status != "identical"] == [ASSURANCE_NOTES]


def test_the_years_line_says_calendar_or_financial():
    import pandas as pd

    from review.thematic_report import _years_read

    frame = pd.DataFrame({"year": pd.array(["2007/08", "2008", "2007/08", "2006/07"], dtype="string")})
    assert _years_read(frame) == ("years declared: calendar year(s) 2008 (January - December); "
                                  "financial year(s) 2006/07, 2007/08 (1 April - 31 March)")
