"""`review thematic --redact` (s18): an organisation built on a family's street or name ("Tanner Street Surgery"
where the family lives on Tanner Street, "Harlow Family Centre" for the Harlow family) was printed as named in
the thematic tables and charts while the case's own anonymised report hid it. Each case's own redaction of its
organisations is kept in the store (`organisations_shown`) and applied, with the case's number."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from review.cli import main
from review.config import load_case_config
from review.redact import organisations_shown
from review.store import build_all, read_store

ROWS = "Date,Details\n05/03/2024,Baby check. Weight low.\n19/03/2024,Was not brought to review\n02/04/2024,Seen\n"


def _case(folder, case_id, case_yml_extra, files):
    folder.mkdir(parents=True)
    entries = "".join(f"  - {{path: {name}, agency: {agency}}}\n" for name, agency in files)
    (folder / "case.yml").write_text(f"case_id: {case_id}\ndate_of_birth: 2024-01-10\n{case_yml_extra}files:\n{entries}",
                                     encoding="utf-8")
    for name, _ in files:
        (folder / name).write_text(ROWS, encoding="utf-8")


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("thematic_orgs")
    _case(root / "cases" / "harlow", "CSPR-H-2024",
          "child_name: Lily Harlow\npeople: {Kerry Harlow: Mother}\naddresses: ['14 Tanner Street, Redbridge Vale']\n",
          [("gp_tanner_street_surgery.csv", "Tanner Street Surgery"), ("hv.csv", "Harlow Family Centre"),
           ("ed.csv", "Redvale General Hospital")])
    _case(root / "cases" / "other", "CSPR-O-2024",
          "child_name: Ava Okoro\npeople: {Grace Okoro: Mother}\naddresses: ['9 Linden Close']\n",
          [("gp.csv", "Tanner Street Surgery"), ("ed.csv", "Redvale General Hospital")])
    (root / "declarations.csv").write_text(
        "organisation,year,standard,declared_status\n"
        "Tanner Street Surgery,2023/24,Escalation and child protection procedures,compliant\n"
        "Redvale General Hospital,2023/24,Escalation and child protection procedures,compliant\n", encoding="utf-8")
    summary = build_all(root / "cases", root / "store", progress=False)
    assert len(summary.failed) == 0
    return root


def _run(root, out, *extra):
    return main(["thematic", "--store", str(root / "store"), "--declarations", str(root / "declarations.csv"),
                 "--out", str(out), "--formats", "svg", *extra])


def test_the_store_keeps_each_cases_redacted_organisations(root):
    cases = read_store(root / "store", "cases", columns=["case_id", "organisations_shown"]).set_index("case_id")
    assert json.loads(cases.loc["CSPR-H-2024", "organisations_shown"]) == {
        "Harlow Family Centre": "[family centre]", "Tanner Street Surgery": "[surgery]"}
    assert cases.loc["CSPR-O-2024", "organisations_shown"] == ""  # not on its family's street


def test_organisations_shown_only_redacts_names_built_on_the_family(root):
    config = load_case_config(root / "cases" / "harlow")
    assert organisations_shown(config, ["Tanner Street Surgery", "Tanner St Surgery", "Harlow Family Centre",
                                        "Redvale General Hospital", "Redbridge Road Clinic", None]) == {
        "Harlow Family Centre": "[family centre]", "Tanner St Surgery": "[surgery]",
        "Tanner Street Surgery": "[surgery]"}
    other = load_case_config(root / "cases" / "other")
    assert organisations_shown(other, ["Tanner Street Surgery", "Okoro Road Practice"]) == {
        "Okoro Road Practice": "[name] Road Practice"}


def test_thematic_redact_shows_them_as_the_cases_report_does(root, tmp_path, capsys):
    named, redacted = tmp_path / "named", tmp_path / "redacted"
    assert _run(root, named) == 0 and _run(root, redacted, "--redact") == 0
    for path in sorted(redacted.iterdir()):
        if path.suffix in (".csv", ".svg", ".json", ".txt"):
            text = path.read_text(encoding="utf-8")
            # before: "Tanner Street Surgery" and "Harlow Family Centre" of the Harlow case in the tables and charts
            assert "Harlow" not in text, path.name
    by_org = pd.read_csv(redacted / "flags_by_organisation.csv").set_index("organisation")
    plain = pd.read_csv(named / "flags_by_organisation.csv").set_index("organisation")
    pseudonym = pd.read_csv(redacted / "cases_ranked.csv")["case_id"].tolist()
    harlow = [c for c in pseudonym if f"[surgery] ({c})" in by_org.index]
    assert len(harlow) == 1
    assert f"[family centre] ({harlow[0]})" in by_org.index
    # the other case's contacts with the same surgery keep its name: the family does not live on its street
    assert by_org.loc["Tanner Street Surgery", "contacts"] == 3
    assert by_org.loc[f"[surgery] ({harlow[0]})", "contacts"] == 3
    assert plain.loc["Tanner Street Surgery", "contacts"] == 6
    assert by_org["contacts"].sum() == plain["contacts"].sum() and by_org["flags"].sum() == plain["flags"].sum()
    assert "Redvale General Hospital" in by_org.index  # not built on a family's street or name: named
    # the assurance comparison is counted as the named one, the surgery shown as the case's report shows it
    shown = pd.read_csv(redacted / "assurance_vs_evidence.csv")
    counted = pd.read_csv(named / "assurance_vs_evidence.csv")
    assert shown["contacts"].tolist() == counted["contacts"].tolist()
    assert shown["flags"].tolist() == counted["flags"].tolist()
    assert sorted(shown["organisation"]) == sorted(["Redvale General Hospital", f"[surgery] ({harlow[0]})"])
    capsys.readouterr()
    assert main(["verify", str(redacted), "--store", str(root / "store"),
                 "--declarations", str(root / "declarations.csv")]) == 0, capsys.readouterr().out
