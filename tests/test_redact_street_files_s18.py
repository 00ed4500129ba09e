"""The anonymised view (s18): a listed street in a file's name, its words joined by "_" or "-"
("gp_tanner_street_surgery.xlsx" was kept whole); two organisations of one kind named after the family's streets
numbered ("[surgery 1]", "[surgery 2]", not "[surgery]" twice); and a time written in a message (a rejected row's
reason, a warning) dropped as the date columns drop theirs ("has time 10:30:00" -> "has time [time]")."""
from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest

from review.cli import main
from review.redact import Redactor

ADDRESSES = ("14 Tanner Street, Redbridge Vale", "27 Mill Lane")


def _redactor() -> Redactor:
    return Redactor(people={"Lily Harlow": "Child", "Kerry Harlow": "Mother"}, addresses=ADDRESSES)


@pytest.mark.parametrize(("written", "shown"), [
    ("gp_tanner_street_surgery.xlsx", "gp_surgery.xlsx"),
    ("gp_tanner_street_surgery.xlsx, sheet Chronology, row 7", "gp_surgery.xlsx, sheet Chronology, row 7"),
    ("GP-Tanner-St-Surgery.csv", "GP-surgery.csv"),
    ("mill_lane_medical_practice.ods", "medical_practice.ods"),
    ("14_tanner_street_notes.csv", "address_notes.csv"),
    ("tanner_street_childrens_centre.docx", "childrens_centre.docx"),
    ("profiles/tanner_st_medical_practice.yml", "profiles/medical_practice.yml"),
    # not the family's street, or not a file's name: as before
    ("gp_tanner_road_surgery.xlsx", "gp_tanner_road_surgery.xlsx"),
    ("Tanner Street Surgery rang", "[surgery] rang"),
])
def test_a_listed_street_in_a_files_name(written, shown):
    redactor = _redactor()
    assert redactor.text(written) == shown
    assert redactor.path(written) == shown


def test_a_profiles_name_without_an_extension():
    assert _redactor().path("tanner_street_surgery") == "surgery"
    assert _redactor().path("tanner_street") == "address"
    assert _redactor().text("tanner_street") == "tanner_street"  # (in text, only a file's name is read so)


def test_two_surgeries_on_the_familys_streets_are_numbered_in_the_order_the_case_names_them():
    redactor = _redactor()
    # before learning: the kind alone, as before
    assert redactor.text("Tanner Street Surgery and Mill Lane Surgery") == "[surgery] and [surgery]"
    chronology = pd.DataFrame({"seq": [2, 1, 3],
                               "description": ["Tanner St Surgery rang", "Seen at Mill Lane Surgery", "Seen"],
                               "source_file": ["gp_tanner_street_surgery.xlsx", "hv.csv", "hv.csv"]})
    redactor.learn_schools(chronology)
    assert redactor.text("Tanner Street Surgery and Mill Lane Surgery") == "[surgery 2] and [surgery 1]"
    assert redactor.text("TANNER STREET SURGERY") == "[surgery 2]"
    assert redactor.path("gp_tanner_street_surgery.xlsx") == "gp_surgery_2.xlsx"
    assert redactor.text("Mill Lane Medical Practice") == "[medical practice]"  # one of its kind: not numbered
    # the same case always gives the same numbers
    again = _redactor().learn_schools(chronology)
    assert again.text("Mill Lane Surgery") == "[surgery 1]"


def test_one_surgery_named_two_ways_keeps_one_label():
    redactor = _redactor().learn_schools(["Tanner Street Surgery rang", "Tanner St Surgery wrote",
                                          "Seen at Mill Lane Clinic"])
    assert redactor.text("Tanner St. Surgery") == "[surgery]"
    assert redactor.text("Mill Lane Clinic") == "[clinic]"


@pytest.mark.parametrize(("message", "shown"), [
    ("the date '14/03/2024 10:30' has time 10:30:00 but the time column says 11:15:00",
     "the date 'Mar 2024' has time [time] but the time column says [time]"),
    ("unreadable time '25:61' for date '15/03/2024'", "unreadable time '[time]' for date 'Mar 2024'"),
    ("time '10:30pm' given for 'March 2024', which has no day", "time '[time]' given for 'March 2024', which has no day"),
    ("'2024-03-14T10:30:00' is after the review date", "'2024-03' is after the review date"),
    # no time: as before
    ("5 merged cell range(s) filled from their top-left cell (A5:C5, D5:D6)",
     "5 merged cell range(s) filled from their top-left cell (A5:C5, D5:D6)"),
    ("weight 10.30 kg", "weight 10.30 kg"),
])
def test_a_message_drops_a_written_time(message, shown):
    redactor = _redactor()
    frame = pd.DataFrame({"reason": [message], "description": ["Call at 10:30"]})
    out = redactor.frame(frame)
    assert out["reason"].tolist() == [shown]
    assert out["description"].tolist() == ["Call at 10:30"]  # the agencies' text: a time in prose is kept
    assert Redactor(active=False).frame(frame)["reason"].tolist() == [message]


def test_an_iso_date_and_time_in_text_is_no_reference():
    # before: "[reference]:30:00" (the reference shape took "2024-03-14T10")
    assert _redactor().text("seen 2024-03-14T10:30:00") == "seen 2024-03"


def _case(folder):
    folder.mkdir()
    (folder / "case.yml").write_text(
        "case_id: T1\nchild_name: Lily Harlow\ndate_of_birth: 2024-01-10\npeople: {Kerry Harlow: Mother}\n"
        "addresses: ['14 Tanner Street']\nfiles:\n  - {path: gp_tanner_street_surgery.csv, agency: Tanner Street Surgery}\n",
        encoding="utf-8")
    (folder / "gp_tanner_street_surgery.csv").write_text(
        "Date,Time,Details\n14/03/2024 10:30,11:15,Seen\n15/03/2024,25:61,Seen again\n16/03/2024,,Call at 10:30\n"
        "18/03/2024,,Seen at Tanner Street Surgery\n", encoding="utf-8")
    return folder


def _texts(out_dir) -> str:
    texts = []
    for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")]
        elif path.suffix in (".csv", ".html", ".json", ".svg", ".txt"):
            texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


def test_build_redact_shows_no_street_and_no_time_in_messages(tmp_path, capsys):
    case = _case(tmp_path / "c")
    out = tmp_path / "out"
    assert main(["build", str(case), "--out", str(out), "--redact"]) == 0
    shown = _texts(out)
    assert "tanner" not in shown.casefold()
    assert "gp_surgery.csv" in shown and "[surgery]" in shown
    assert "has time [time] but the time column says [time]" in shown and "11:15" not in shown
    assert "Call at 10:30" in shown  # the agency's text
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    # the inputs under their redacted names, with their hashes: `review verify --case` redacts the names alike
    assert list(manifest["inputs"]) == ["case.yml", "gp_surgery.csv"]
    assert len(manifest["inputs"]["gp_surgery.csv"]["sha256"]) == 64
    assert manifest["case_config"]["values"]["files"][0]["path"] == "gp_surgery.csv"
    capsys.readouterr()
    assert main(["verify", str(out), "--case", str(case)]) == 0
    # the named view is as it was
    named = tmp_path / "named"
    assert main(["build", str(case), "--out", str(named)]) == 0
    shown = _texts(named)
    assert "gp_tanner_street_surgery.csv" in shown and "has time 10:30:00 but the time column says 11:15:00" in shown
