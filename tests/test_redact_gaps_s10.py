"""The anonymised view's gaps found by QA (s10): ages in days or weeks, a day and month with no date word,
school names, people's initials, the reviewer's name, and the paths in a redacted thematic manifest. Each
test also checks that ordinary text (clinical words, times, doses, scores) is left as it was."""
from __future__ import annotations

import json

import pytest

from review.cli import main
from review.redact import Redactor


# -- 6. the thematic manifest (review thematic --redact) --------------------------------------------------
@pytest.fixture(scope="module")
def area_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("s10") / "eastborough-cspr-ashdown"
    assert main(["synth", "--cases", "3", "--seed", "7", "--store", str(root / "store"), "--no-progress",
                 "--declarations", str(root / "eastborough_declarations.csv")]) == 0
    return root


def _thematic(root, out, *extra):
    return main(["thematic", "--store", str(root / "store"), "--declarations",
                 str(root / "eastborough_declarations.csv"), "--out", str(out), "--formats", "svg", *extra])


def test_redacted_thematic_manifest_holds_no_path(area_store, tmp_path, capsys):
    named, redacted = tmp_path / "named", tmp_path / "redacted"
    assert _thematic(area_store, named) == 0 and _thematic(area_store, redacted, "--redact") == 0
    plain = json.loads((named / "manifest.json").read_text(encoding="utf-8"))
    assert "eastborough-cspr-ashdown" in plain["store"]["path"]  # the named view keeps it, for verify
    text = (redacted / "manifest.json").read_text(encoding="utf-8")
    assert "eastborough" not in text.lower() and "ashdown" not in text.lower()
    manifest = json.loads(text)
    assert manifest["store"]["path"] is None and manifest["declarations"]["path"] is None
    assert manifest["declarations"]["sha256"] == plain["declarations"]["sha256"]  # what went in is still checked
    capsys.readouterr()
    # verify cannot find the store alone: a clear error, then it verifies when given the paths
    assert main(["verify", str(redacted)]) != 0
    assert "give it with --store" in capsys.readouterr().out
    assert main(["verify", str(redacted), "--store", str(area_store / "store"),
                 "--declarations", str(area_store / "eastborough_declarations.csv")]) == 0, capsys.readouterr().out


def _redactor(**extra) -> Redactor:
    return Redactor(people={"Kerry Brook": "Mother", "Alfie Brook": "Child A", **extra})


#: ordinary text that none of the changes below may touch
ORDINARY = [
    "Paracetamol 120mg given at 14:30, 1/2 tablet at night.",
    "GCS 15/15, BP 120/80, Apgar 9/10, power 4/5, EPDS 14/20.",
    "3/4 of feeds taken; cough for 3 days; seen 3/7 ago; 2/12 history; review in 2/52.",
    "24/7 care; 14/7 history of vomiting; weight 4.8 kg; temp 37.5.",
    "Child seen by HV and SW; referred to MASH; NFA; seen in A&E (ED); CP plan; GP letter.",
    "School Nurse visited. The Nursery said the Primary School had no concerns.",
    "Royal College of Nursing guidance followed.",
    "Bruise approx 3 days old to the left cheek; fracture 2-3 weeks old on xray.",
    "Booking at 12/52, scan at 20/52, born at 34 weeks.",
    "Mother aged 23; sibling aged 3 years; child aged 7 months.",
    "CT head: subdural bleed (SDH) and retinal haemorrhages (RH); skeletal survey (SS) clear; BMI (18).",
    "MUM TOLD HV SHE WAS FINE. GP OOH CALLED.",
    "Ref: 21/06; case no 03/04; PIN 03/04.",  # references, not dates
    "Sunday School, Forest School and the Virtual School Head; Police College; School Holiday.",
    "Symptoms 3 days old; the photos were 2 weeks old.",
    "6/52 check done; follow up at 2/52; seen at 2/52 post discharge.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_clinical_text_is_left(text):
    assert _redactor().text(text) == text


# -- 1. ages in days or weeks: in whole months, as the view gives the child's age ("0m 17d" -> "0m") --------
@pytest.mark.parametrize("text, expected", [
    ("aged 17 days", "aged under 1 month"),
    ("Baby aged 10 weeks, seen at home", "Baby aged 2 months, seen at home"),
    ("6 weeks old", "1 month old"),
    ("Child 17 days old at the visit", "Child under 1 month old at the visit"),
    ("at 3/52 baby feeding well", "at <1/12 baby feeding well"),
    ("aged 6/52", "aged 1/12"),
    ("a 10-day-old baby", "an under-1-month-old baby"),
    ("a 9-week-old baby", "a 2-month-old baby"),
    ("aged 6 weeks 3 days", "aged 1 month"),
    ("6w 3d old", "1m old"),
    ("Age: 5 days", "Age: under 1 month"),
    ("HV noted baby 17 days old", "HV noted baby under 1 month old"),  # "noted" is no injury's word
    ("Bruise to cheek; baby 17 days old", "Bruise to cheek; baby under 1 month old"),  # another clause
])
def test_ages_in_days_or_weeks_are_given_in_whole_months(text, expected):
    assert _redactor().text(text) == expected


def test_ages_in_days_are_kept_in_the_view_that_keeps_days():
    assert Redactor(people={}, date_resolution="day").text("aged 17 days") == "aged 17 days"


# -- 2. a day and month with no date word ---------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("review 21/06", "review Jun"),
    ("Child seen (14/3) by GP", "Child seen (Mar) by GP"),
    ("seen on 14/3", "seen in Mar"),
    ("on the 3rd", "on [day]"),
    ("seen the 3rd.", "seen [day]."),
    ("visited 14th at home", "visited [day] at home"),
    ("Strategy meeting 03/04, CP medical 05/04", "Strategy meeting Apr, CP medical Apr"),
])
def test_a_bare_day_and_month_is_given_to_the_month(text, expected):
    assert _redactor().text(text) == expected


@pytest.mark.parametrize("text", ["seen 31/02", "1/2 tablet", "3/52", "at 14:30", "Apgar 9/10", "24/7",
                                  "21/06/2023 is a full date"])
def test_what_is_no_bare_day_and_month_is_left_or_read_as_before(text):
    out = _redactor().text(text)
    assert out == text or (text.startswith("21/06/2023") and out == "Jun 2023 is a full date")


# -- 3. schools -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("St Mary's Primary School reported concerns", "[primary school] reported concerns"),
    ("attends Brookford Academy", "attends [school]"),
    ("Hillside Nursery staff noted a bruise", "[nursery] staff noted a bruise"),
    ("Attended Little Stars Day Nursery today", "Attended [nursery] today"),
    ("St Joseph's RC Primary School and Oakfield High School", "[primary school] and [secondary school]"),
    ("Hillside School Nurse visited", "[school] Nurse visited"),
])
def test_school_names_are_generalised(text, expected):
    assert _redactor().text(text) == expected


# -- 4. initials ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("seen by SW JB", "seen by SW [initials]"),
    ("Mother (TR) said she was coping", "Mother ([initials]) said she was coping"),
    ("KL (HV) visited", "[initials] (HV) visited"),
    ("discussed with JB and KL", "discussed with [initials] and [initials]"),
    ("Advice given. JB", "Advice given. [initials]"),
    ("seen by J.B. She was calm", "seen by [initials]. She was calm"),
    ("KB attended with AB", "Mother attended with Child A"),  # listed people's initials: their pseudonyms
    ("social worker (QP) visited", "social worker ([initials]) visited"),
    ("Ms Smith (QP) rang", "Ms [name] ([initials]) rang"),  # s13: an unlisted name after "Ms" is hidden too
    ("By JB; seen by Dr QP", "By [initials]; seen by Dr [initials]"),
    ("with JB & KL", "with [initials] & [initials]"),
    ("JB/HV", "[initials]/HV"),
])
def test_initials_are_replaced(text, expected):
    assert _redactor().text(text) == expected


def test_a_role_cell_that_is_only_initials_is_replaced():
    import pandas as pd

    frame = pd.DataFrame({"role": ["JB", "SW", "Health visitor", "KB"], "agency": ["CGL", "NPS", "GP", "HV"]})
    out = _redactor().frame(frame)
    assert out["role"].tolist() == ["[initials]", "SW", "Health visitor", "Mother"]
    assert out["agency"].tolist() == ["CGL", "NPS", "GP", "HV"]  # agencies' acronyms are not initials


@pytest.mark.parametrize("text", ["HV", "SW", "Seen in A&E, NFA", "(HV)", "(BMI 18)", "referred to MASH",
                                  "discussed with GP and HV", "MMR and BCG given"])
def test_abbreviations_are_not_initials(text):
    assert _redactor().text(text) == text


def test_a_pseudonym_in_capitals_is_not_taken_for_initials():
    redactor = Redactor(people={"Jean Smith": "MGM"})
    assert redactor.text("Jean Smith (HV) said") == "MGM (HV) said"
    assert redactor.text("seen with MGM") == "seen with MGM"


# -- 5. the reviewer named in case.yml ------------------------------------------------------------------
def test_the_reviewers_named_in_case_yml_are_replaced_in_every_redacted_output(tmp_path):
    import shutil
    import zipfile
    from pathlib import Path

    from review.config import load_case_config
    from review.decisions import record_decision

    case = tmp_path / "case"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "cases" / "sample", case)
    with open(case / "case.yml", "a", encoding="utf-8") as handle:
        handle.write("lead_reviewer: Jane Okafor\nreviewers:\n  - Tom Ellery\n")
    config = load_case_config(case)
    assert config.reviewers == {"Jane Okafor": "Lead reviewer", "Tom Ellery": "Reviewer"}
    assert Redactor.from_case(config).text("Jane Okafor and TE met; JO agreed") == \
        "Lead reviewer and Reviewer met; Lead reviewer agreed"
    record_decision(case, "nonmobile_injury-000000000000", "rejected", "Discussed by Jane Okafor with the panel.",
                    "Jane Okafor")
    record_decision(case, "nonmobile_injury-000000000001", "rejected", "Agreed by the panel.", "Priya Natt")
    out = tmp_path / "out"
    assert main(["build", str(case), "--out", str(out), "--no-progress", "--redact"]) == 0
    for path in sorted(out.rglob("*")):
        if not path.is_file() or path.suffix in (".png", ".pdf"):
            continue
        data = path.read_bytes()
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(n) for n in archive.namelist())
        for name in (b"Okafor", b"Ellery", b"Priya", b"Natt"):
            assert name not in data, (path.name, name)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["case_config"]["values"]["lead_reviewer"] == "[redacted]"
    assert manifest["case_config"]["values"]["reviewers"] == "[redacted]"
    decisions = (out / "chronology.csv").read_text(encoding="utf-8")  # the named text around is intact
    assert "Child seen" in decisions
    import openpyxl

    rows = list(openpyxl.load_workbook(out / "chronology.xlsx", read_only=True)["Decisions"].iter_rows(values_only=True))
    shown = {(r[2], r[3]) for r in rows[1:]}
    assert ("Discussed by Lead reviewer with the panel.", "Lead reviewer") in shown
    assert ("Agreed by the panel.", "[reviewer]") in shown  # an author case.yml does not name


def test_a_decision_author_written_as_a_role_is_kept():
    redactor = _redactor()
    assert redactor.author("Lead reviewer") == "Lead reviewer"
    assert redactor.author("Kerry Brook") == "Mother"
    assert redactor.author("Priya Natt") == "[reviewer]"
    assert Redactor(people={}, active=False).author("Priya Natt") == "Priya Natt"
