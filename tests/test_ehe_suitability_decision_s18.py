"""An elective home education team's judgement that the education at home is suitable is a decision about the
child (s18, QA4 defect 8): ehe_team.csv's "Provision deemed 'suitable' provisionally" was typed other and was no
decision point, so no agency's concerns were tested against it. rules.yml settings
suitability_decision_agency_kinds (education) and suitability_decision_keywords."""
from __future__ import annotations

from pathlib import Path

from review.pipeline import analyse, load_case

EHE = ("Date,Officer,Contact type,Notes,Outcome\n"
       "21st Apr 2022,EHE officer R Dale,Report,Written report received from mother: 2 pages.,{outcome}\n")
PAEDS = "Date,Type,Details,Outcome\n15/03/2022,WNB,Jordan was not brought to clinic.,Discharged to GP\n"


def _analysis(tmp_path: Path, outcome: str, agency: str = "Local Authority Elective Home Education Team"):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "ehe.csv").write_text(EHE.format(outcome=outcome), encoding="utf-8")
    (folder / "paeds.csv").write_text(PAEDS, encoding="utf-8")
    (folder / "case.yml").write_text(
        "case_id: jp\ndate_of_birth: 2013-03-04\nreview_date: 2022-09-30\nfiles:\n"
        f"  - {{path: ehe.csv, agency: {agency}}}\n"
        "  - {path: paeds.csv, agency: Riverside Community Paediatrics}\n", encoding="utf-8")
    return analyse(load_case(folder))


def test_provision_deemed_suitable_is_the_ehe_teams_decision(tmp_path):
    analysis = _analysis(tmp_path, "Provision deemed 'suitable' provisionally. Next review 6 months.")
    knowledge = analysis.knowledge
    ehe = knowledge[knowledge["deciding_agency"] == "Local Authority Elective Home Education Team"]
    assert list(ehe["decision"]) == ["education_deemed_suitable"]  # before: no decision point
    assert "was_not_brought" in ehe["missing_concerns"].iloc[0]
    shared = analysis.flags[analysis.flags["rule_id"] == "information_not_shared"]
    assert list(shared["explanation"]) == [
        "Riverside Community Paediatrics recorded a missed appointment (child not brought) on 15 Mar 2022 and there "
        "is no record it reached Local Authority Elective Home Education Team before its decision (education deemed "
        "suitable) on 21 Apr 2022."]


def test_a_negated_judgement_is_no_decision(tmp_path):
    analysis = _analysis(tmp_path, "Provision not deemed suitable. School attendance order considered.")
    assert analysis.knowledge.empty or not (
        analysis.knowledge["deciding_agency"] == "Local Authority Elective Home Education Team").any()


def test_only_an_education_agencys_judgement_is_a_decision(tmp_path):
    # a health agency's "considered suitable" (a wheelchair, a room) decides nothing about the child's education
    analysis = _analysis(tmp_path, "Equipment considered suitable.", agency="Westshire Wheelchair Service")
    assert analysis.knowledge.empty or not (
        analysis.knowledge["deciding_agency"] == "Westshire Wheelchair Service").any()
