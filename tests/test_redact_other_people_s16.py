"""s16: the people whose rows ingest rejects as not the case's child, in the anonymised view. The redactor was given
their names only and called every one "Another child", a family adult too (a "Patient" named "Sian Jones
(mother)"). Ingest now says whom the rows are about (`IngestReport.other_people`), and the anonymised view says
"Another child", "Another adult" (by date of birth) or "Another person"."""
from __future__ import annotations

from pathlib import Path

import yaml

from review.build import _redactor
from review.config import load_case_config
from review.ingest import load_contacts
from review.redact import Redactor


def _case(case_dir: Path, header: list[str], rows: list[list]) -> Path:
    case_dir.mkdir(parents=True, exist_ok=True)
    raw = {"case_id": "sib", "date_of_birth": "2019-03-01", "child_name": "Mia Grant", "review_date": "2021-12-31"}
    (case_dir / "case.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    (case_dir / "gp.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return case_dir


def test_a_family_adult_rejected_under_patient_is_another_person(tmp_path):
    case_dir = _case(tmp_path / "m", ["Patient", "Date", "Agency", "Details"], [
        ["Mia Grant", "01/04/2021", "GP", "Seen with Sian Jones"],
        ["Sian Jones (mother)", "02/04/2021", "GP", "Low mood"],
    ])
    config = load_case_config(case_dir)
    contacts, report = load_contacts(config)
    assert report.other_children == ["Sian Jones"]
    assert report.other_people == {"Sian Jones": "person"}
    redactor = _redactor(config, True, report)
    # before: "Seen with Another child"
    assert redactor.text("Seen with Sian Jones") == "Seen with Another person"
    assert redactor.text("Sian said") == "Another person said"


def test_other_children_and_adults_by_date_of_birth_are_named_so(tmp_path):
    case_dir = _case(tmp_path / "m", ["Child", "Date of birth", "Date", "Agency", "Details"], [
        ["Mia Grant", "01/03/2019", "01/04/2021", "HV", "Seen"],
        ["Leo Grant", "15/10/2020", "02/04/2021", "HV", "Seen"],
        ["Tara Grant", "15/10/1990", "03/04/2021", "HV", "Seen"],  # an adult's date of birth beside another name
    ])
    config = load_case_config(case_dir)
    _, report = load_contacts(config)
    assert report.other_people == {"Leo Grant": "child", "Tara Grant": "adult"}
    redactor = _redactor(config, True, report)
    assert redactor.text("Leo Grant seen") == "Another child seen"
    assert redactor.text("Tara Grant seen") == "Another adult seen"  # before: "Another child seen"


def test_from_case_takes_names_alone_or_whom_they_are(tmp_path):
    case_dir = _case(tmp_path / "m", ["Date", "Agency", "Details"], [["01/04/2021", "HV", "Seen"]])
    config = load_case_config(case_dir)
    assert Redactor.from_case(config, other_children=["Leo Grant"]).text("Leo Grant") == "Another child"
    redactor = Redactor.from_case(config, other_children={"Leo Grant": "child", "Sian Jones": "person",
                                                          "Tara Smith": "adult"})
    assert [redactor.text(n) for n in ("Leo Grant", "Sian Jones", "Tara Smith")] == [
        "Another child", "Another person", "Another adult"]
