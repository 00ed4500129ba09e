"""The anonymised view of files' names and of the manifest (s16 QA): a word of a file's name that is a listed
person's given name or surname is replaced whatever else it could mean ("health_visiting_poppy.xlsx" with
"Poppy Mason: Sibling" listed), and the redacted manifest names the case's profiles as it names the schools
they are named after ("meadowbank" -> "primary_school"); `review verify` still re-runs such a build."""
from __future__ import annotations

import json
import textwrap

import pandas as pd

from review.build import build_report, verify_report
from review.redact import Redactor

PEOPLE = {"Tyler Mason": "Child A", "Poppy Mason": "Sibling", "Tara Smith": "Mother"}


def test_a_given_name_that_is_also_a_word_is_replaced_in_a_file_name():
    redactor = Redactor(people=PEOPLE)
    assert redactor.text("health_visiting_poppy.xlsx") == "health_visiting_Sibling.xlsx"
    assert redactor.text("health_visiting_tara.xls") == "health_visiting_Mother.xls"  # (as before)
    assert redactor.text("HEALTH_VISITING_POPPY.XLSX") == "HEALTH_VISITING_SIBLING.XLSX"
    # a surname shared by several listed people: which one is not guessed
    assert redactor.text("mason-family.csv") == "[name]-family.csv"
    # the full name joined by "_" is still one person
    assert redactor.text("poppy_mason_hv.xlsx") == "Sibling_hv.xlsx"
    # in a message naming the file, and only in the file's name: the word elsewhere keeps its meaning
    assert (redactor.text("health_visiting_poppy.xlsx, sheet 'HV', row 4: a poppy field")
            == "health_visiting_Sibling.xlsx, sheet 'HV', row 4: a poppy field")
    assert redactor.text("gp_notes.csv") == "gp_notes.csv"


def test_a_source_file_column_is_redacted_and_the_named_view_is_not():
    frame = pd.DataFrame({"source_file": ["health_visiting_poppy.xlsx", "gp.ods"]})
    assert Redactor(people=PEOPLE).frame(frame)["source_file"].tolist() == ["health_visiting_Sibling.xlsx", "gp.ods"]
    named = Redactor(people=PEOPLE, active=False)
    assert named.text("health_visiting_poppy.xlsx") == "health_visiting_poppy.xlsx"
    assert named.path("profiles/meadowbank.yml") == "profiles/meadowbank.yml"


def test_a_profile_named_after_a_school_is_named_by_its_kind():
    redactor = Redactor(people=PEOPLE)
    redactor.learn_schools(pd.DataFrame({"description": ["Meadowbank Primary School called", "Kingsway Academy rang"]}))
    assert redactor.path("meadowbank") == "primary_school"
    assert redactor.path("profiles/meadowbank.yml") == "profiles/primary_school.yml"
    assert redactor.path("profiles/kingsway.yml") == "profiles/school.yml"
    assert redactor.path("profiles/poppy.yml") == "profiles/Sibling.yml"
    assert redactor.path("profiles/generic.yml") == "profiles/generic.yml"


def _case(folder):
    folder.mkdir()
    (folder / "case.yml").write_text(textwrap.dedent("""\
        case_id: QA-FILES
        child_name: Tyler Mason
        date_of_birth: 2014-09-15
        review_date: 2024-02-29
        people: {Tyler Mason: Child, Poppy Mason: Sibling, Donna Mason: Mother}
        files:
          - {path: meadowbank_primary.csv, agency: Meadowbank Primary School, profile: meadowbank}
          - {path: health_visiting_poppy.csv, agency: Eastshire Health Visiting}
        """), encoding="utf-8")
    (folder / "profiles").mkdir()
    (folder / "profiles" / "meadowbank.yml").write_text(
        "columns: {date: Date, contact_type: 'Concern type', description: 'What was seen / said', action: Action}\n",
        encoding="utf-8")
    (folder / "meadowbank_primary.csv").write_text(
        "Date,Concern type,What was seen / said,Action\n"
        "12/09/2023,Welfare,Tyler hungry and without a coat at Meadowbank Primary School.,Logged with the DSL.\n"
        "03/10/2023,Attendance,Tyler absent all week.,Phoned Donna.\n", encoding="utf-8")
    (folder / "health_visiting_poppy.csv").write_text(
        "Date,Contact,Notes,Action\n"
        "05/06/2023,Home visit,Poppy seen at home with Donna. Home cluttered.,Revisit in 4 weeks.\n", encoding="utf-8")
    return folder


def test_the_redacted_build_names_no_sibling_nor_school_in_files_or_manifest_and_verifies(tmp_path):
    case = _case(tmp_path / "case")
    out = tmp_path / "report"
    manifest = build_report(case, out, redact=True, progress=False)

    assert "health_visiting_Sibling.csv" in manifest["inputs"]
    assert "profiles/primary_school.yml" in manifest["inputs"]
    files = manifest["case_config"]["values"]["files"]
    assert [f.get("profile") for f in files] == ["primary_school", None]
    assert [f["path"] for f in files] == ["primary_school.csv", "health_visiting_Sibling.csv"]
    chronology = pd.read_csv(out / "chronology.csv")
    source = [c for c in chronology.columns if c.casefold().replace("_", " ") == "source file"][0]
    assert set(chronology[source]) == {"primary_school.csv", "health_visiting_Sibling.csv"}
    for name in ("manifest.json", "chronology.csv", "report.html", "flags.csv"):
        text = (out / name).read_text(encoding="utf-8").casefold()
        assert "poppy" not in text and "meadowbank" not in text, name
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["case_dir"] is None

    result = verify_report(out, case_dir=case)
    assert result.error is None
    assert not [c for c in result.causes if "input file" in c], result.causes
    assert result.ok, result.table()

    (case / "profiles" / "meadowbank.yml").write_text(
        (case / "profiles" / "meadowbank.yml").read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    edited = verify_report(out, case_dir=case)
    inputs = [c for c in edited.causes if "input file" in c]
    assert len(inputs) == 1 and inputs[0].startswith("input file changed: profiles/primary_school.yml"), inputs
