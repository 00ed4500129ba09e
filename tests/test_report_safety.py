"""The report is safe to hand over and to rebuild: a damaged decisions.csv stops the build instead of losing
decisions, `build --out` never deletes what is not the report's, the anonymised view names nobody (file
names and case id included), rejected flags are not counted as standing, `verify` notices files and
manifest edits the build did not make, and the workbook says when it had to cut text.
"""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from review import decisions as decisions_module
from review.build import build_report, verify_report
from review.cli import main
from review.decisions import apply_decisions, load_decisions, read_decisions_file
from review.errors import ConfigError, DecisionError
from review.export import EXCEL_CELL_LIMIT, _write_sheet, headline_counts, plural, write_html
from review.redact import Redactor

CSV = ("Date,Type of contact,Details of contact,Outcome\n01/03/2023,Home visit,Kerry Brook seen at home,Seen\n"
       "15/04/2023,A&E attendance,Bruising to face,No action\n20/05/2023,Clinic,Weight check,Seen\n"
       "05/06/2023,Referral,Referral received about bruising; decision: no further action,NFA\n")
HEADER = "flag_id,decision,rationale,author,date\n"


def write_case(folder: Path, case_id: str = "SAFE1", *, people: dict | None = None, file_name: str = "gp.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = {"case_id": case_id, "date_of_birth": "2023-02-14", "mobile_from": "2023-10-20", "review_date": "2024-03-31"}
    if people:
        config["people"] = people
    (folder / "case.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / file_name).write_text(CSV, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """(case folder, report folder) of one real build, copied by the tests that change it."""
    root = tmp_path_factory.mktemp("safety")
    case = write_case(root / "case")
    out = root / "report"
    build_report(case, out, progress=False)
    return case, out


@pytest.fixture
def own_report(report, tmp_path):
    case, out = report
    copy = tmp_path / "report"
    shutil.copytree(out, copy)
    return case, copy


# ---------------------------------------------------------------------------------------------------
# 1. decisions.csv is read strictly
# ---------------------------------------------------------------------------------------------------
def test_an_unclosed_quote_is_an_error_naming_the_row_and_column_not_a_swallowed_decision(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + 'F1,accepted,"Small bruise (1cm on cheek),QA,2024-08-01\n'
                    "F2,rejected,duplicate of flag 1,QA,2024-08-01\n", encoding="utf-8")
    with pytest.raises(DecisionError) as caught:
        read_decisions_file(path)
    assert caught.value.row == 2 and caught.value.column == "rationale"
    assert "unterminated quoted field" in str(caught.value) and "decisions.csv" in str(caught.value)


def test_text_after_a_closing_quote_is_an_error(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + 'F1,accepted,"ok" really,QA,2024-08-01\n', encoding="utf-8")
    with pytest.raises(DecisionError) as caught:
        read_decisions_file(path)
    assert (caught.value.row, caught.value.column) == (2, "rationale")


def test_extra_cells_are_reported_not_dropped(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + "F1,accepted,ok,QA,2024-08-01,extra,cells\n", encoding="utf-8")
    with pytest.raises(DecisionError, match="extra cell.*'extra', 'cells'") as caught:
        read_decisions_file(path)
    assert caught.value.row == 2


def test_blank_trailing_cells_are_harmless(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + "F1,accepted,ok,QA,2024-08-01,,\n", encoding="utf-8")
    assert read_decisions_file(path)["decision"].tolist() == ["accepted"]


def test_a_decisions_csv_that_is_a_folder_is_a_decisions_error_exit_7(tmp_path, capsys):
    case = write_case(tmp_path / "case")
    (case / "decisions.csv").mkdir()
    assert main(["build", str(case), "--out", str(tmp_path / "out"), "--no-progress"]) == 7
    err = capsys.readouterr().err
    assert "decisions.csv: is a folder" in err and "internal error" not in err


def test_a_damaged_decisions_csv_stops_the_build_with_exit_7(tmp_path, capsys):
    case = write_case(tmp_path / "case")
    (case / "decisions.csv").write_text(HEADER + 'F1,accepted,"unclosed,QA,2024-08-01\n', encoding="utf-8")
    assert main(["build", str(case), "--out", str(tmp_path / "out"), "--no-progress"]) == 7
    assert "row 2, column 'rationale'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_added_row_on_a_rule_flag_is_a_problem_and_does_not_decide_the_flag(tmp_path):
    (tmp_path / "decisions.csv").write_text(
        "flag_id,decision,rationale,author,date,rule_id,trigger_event_id,evidence_event_ids\n"
        "R1,added,dup of the rule flag,QA,2024-08-01,some_rule,E1,\n", encoding="utf-8")
    flags = pd.DataFrame({"flag_id": ["R1"], "rule_id": ["some_rule"], "severity": ["high"], "trigger_event_id": ["E1"]})
    decisions, problems = load_decisions(tmp_path, flags)
    assert problems["flag_id"].tolist() == ["R1"]
    assert "id of a flag the rules raised" in problems["problem"].iloc[0]
    decided = apply_decisions(flags, decisions)
    assert decided["decision"].tolist() == ["pending"] and len(decided) == 1


# ---------------------------------------------------------------------------------------------------
# 2. build --out only replaces a report
# ---------------------------------------------------------------------------------------------------
def test_a_folder_with_a_foreign_manifest_is_refused_and_left_alone(report, tmp_path):
    case, _ = report
    webapp = tmp_path / "webapp"
    (webapp / "src").mkdir(parents=True)
    (webapp / "manifest.json").write_text('{"name": "My PWA", "start_url": "/"}')
    (webapp / "src" / "app.js").write_text("code")
    before = sorted(p.relative_to(webapp).as_posix() for p in webapp.rglob("*"))
    with pytest.raises(ConfigError, match="not a review report.*not written by review build"):
        build_report(case, webapp, progress=False)
    assert sorted(p.relative_to(webapp).as_posix() for p in webapp.rglob("*")) == before


def test_a_rebuild_keeps_the_users_files_and_drops_the_old_outputs(own_report, capsys):
    case, out = own_report
    (out / "my_notes").mkdir()
    (out / "my_notes" / "n.txt").write_text("notes")
    (out / "old_findings.csv").write_text("mine")
    (out / "figures" / "annotated.png").write_bytes(b"png")
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["outputs"]["stale_output.csv"] = {"bytes": 1, "sha256": "0" * 64}  # an output an older build made
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "stale_output.csv").write_text("x")
    assert main(["build", str(case), "--out", str(out), "--no-progress"]) == 0
    assert (out / "my_notes" / "n.txt").read_text() == "notes"
    assert (out / "old_findings.csv").read_text() == "mine"
    assert (out / "figures" / "annotated.png").read_bytes() == b"png"
    assert not (out / "stale_output.csv").exists()
    assert "kept 3 files" in capsys.readouterr().out


@pytest.mark.parametrize("where", ["under_a_file", "proc"])
def test_an_impossible_output_location_is_one_clean_error_exit_2(report, tmp_path, capsys, where):
    case, _ = report
    # a file outside the case folder (one inside it is refused first, as inside the case folder: s15)
    (tmp_path / "a_file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "a_file" / "x" if where == "under_a_file" else Path("/proc/review-test-out")
    assert main(["build", str(case), "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "cannot write the report there" in err and "internal error" not in err


# ---------------------------------------------------------------------------------------------------
# 3. the anonymised view names nobody, file names and case id included
# ---------------------------------------------------------------------------------------------------
def test_names_joined_by_underscores_or_dots_are_redacted():
    redactor = Redactor(people={"Chloe Ashdown": "Mother", "Kai Ashdown": "Child A"})
    assert redactor.text("chloe_ashdown_gp.csv") == "Mother_gp.csv"
    assert redactor.text("chloe.ashdown@nhs.net") == "[email]"  # an e-mail address is "[email]" (s10 QA; was "Mother@nhs.net")
    assert redactor.text("CSPR-Ashdown-2024") == "CSPR-[name]-2024"
    assert redactor.text("Ashdownfield school") == "Ashdownfield school"  # still whole words only


def test_a_redacted_build_leaks_no_name_through_file_names_or_case_id_and_verifies(tmp_path, capsys):
    case = write_case(tmp_path / "case", "CSPR-Brook-2024", people={"Kerry Brook": "Mother"},
                      file_name="kerry_brook_gp.csv")
    out = tmp_path / "out"
    assert main(["build", str(case), "--out", str(out), "--redact", "--no-progress"]) == 0
    for path in out.rglob("*"):
        if path.suffix in (".html", ".json", ".csv", ".svg"):
            text = path.read_text(encoding="utf-8-sig")
        elif path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as zf:
                text = "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xml"))
        else:
            continue
        assert "brook" not in text.lower() and "kerry" not in text.lower(), path.name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["case_id"] == "CSPR-Mother-2024" and "Mother_gp.csv" in manifest["inputs"]
    capsys.readouterr()
    assert main(["verify", str(out), "--case", str(case)]) == 0, capsys.readouterr().out


# ---------------------------------------------------------------------------------------------------
# 4. rejected flags are counted apart
# ---------------------------------------------------------------------------------------------------
def _decided_flags() -> pd.DataFrame:
    return pd.DataFrame({"flag_id": ["F1", "F2", "F3"], "rule_id": ["r"] * 3, "severity": ["high", "high", "medium"],
                         "trigger_event_id": ["E1", "E2", "E3"], "decision": ["rejected", "accepted", "pending"],
                         "rationale": ["not a concern", "agreed", ""]})


def _timeline() -> pd.DataFrame:
    return pd.DataFrame({"event_id": ["E1", "E2", "E3"], "seq": [1, 2, 3], "agency": ["GP"] * 3,
                         "date": pd.to_datetime(["2023-03-01", "2023-04-01", "2023-05-01"]),
                         "description": ["a", "b", "c"]})


def test_the_headline_counts_rejected_flags_apart():
    line = headline_counts(_timeline(), _decided_flags())[-1]
    assert line == ("3 candidate missed escalation points flagged: 1 rejected by the reviewers, 2 not rejected "
                    "(1 accepted, 1 pending; 1 high, 1 medium)")


def test_the_html_flags_table_marks_each_decision_and_does_not_shade_rows_cited_only_by_rejected_flags(tmp_path):
    from types import SimpleNamespace

    from review.config import CaseConfig

    config = CaseConfig(case_dir=tmp_path, case_id="X", date_of_birth=pd.Timestamp("2023-01-01").date())
    path = write_html(tmp_path / "r.html", config, SimpleNamespace(timeline=_timeline(), flags=_decided_flags()))
    text = path.read_text(encoding="utf-8")
    for cls in ("decision-reject", "decision-accept", "decision-pending"):
        assert f'<td class="{cls}">' in text
    assert '<tr class="sev-high rejected" id="flag-' in text  # (each flag's row an anchor since s13-prov)
    chronology = text[text.index('id="chronology"'):]
    assert chronology.count('<tr class="sev-high">') == 2  # E2 and E3; E1 is cited by a rejected flag only


def test_the_manifest_counts_the_decisions(report):
    counts = json.loads((report[1] / "manifest.json").read_text())["counts"]
    assert set(counts["flag_decisions"]) == {"accepted", "added", "pending", "rejected"}
    assert sum(counts["flag_decisions"].values()) == counts["flags"]


# ---------------------------------------------------------------------------------------------------
# 5 and 8. verify
# ---------------------------------------------------------------------------------------------------
def test_verify_names_files_the_build_did_not_write_and_fails(own_report, capsys):
    case, out = own_report
    (out / "flags_FINAL_v2.csv").write_text("forged")
    (out / "notebooks").mkdir()
    (out / "notebooks" / "case.ipynb").write_text("{}")  # written by `review notebooks`: expected
    assert main(["verify", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "flags_FINAL_v2.csv" in printed and "unexpected" in printed and "case.ipynb" not in printed


def test_verify_detects_an_edited_manifest(own_report):
    case, out = own_report
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["counts"]["flags"] += 3
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    # the copy sits elsewhere than the report built beside the case: the manifest's case_dir is relative to
    # the report (sixteenth session), so the case is named
    result = verify_report(out, case_dir=case)
    assert not result.ok
    assert ("manifest.json", "DIFFERENT") in [(f, s) for f, s, *_ in result.files]
    assert any("counts.flags" in cause for cause in result.causes)


def test_verify_of_an_untouched_report_compares_the_manifest_too(report):
    result = verify_report(report[1])
    assert result.ok and "manifest.json" in [f for f, *_ in result.files]


def test_verify_without_a_readable_case_folder_does_not_call_the_outputs_missing(own_report, tmp_path, capsys):
    _, out = own_report
    assert main(["verify", str(out), "--case", str(tmp_path / "gone")]) == 1
    printed = capsys.readouterr().out
    assert " missing " not in printed and "not rebuilt" in printed and "could not be rebuilt" in printed


# ---------------------------------------------------------------------------------------------------
# 7 and 10. workbook limits, wording, charts
# ---------------------------------------------------------------------------------------------------
def test_text_over_the_excel_limit_is_cut_with_a_marker():
    wb = openpyxl.Workbook()
    truncated = []
    ws = _write_sheet(wb, "T", pd.DataFrame({"text": ["x" * 40_005, "short"]}), full_text_in="chronology.csv",
                      truncated=truncated)
    value = ws["A2"].value
    assert len(value) == EXCEL_CELL_LIMIT
    assert value.endswith("… [truncated: 40,005 characters; full text in chronology.csv]")
    assert truncated == [("T", "A2", 40_005)] and ws["A3"].value == "short"


def test_plurals():
    assert plural(1, "contact") == "1 contact" and plural(2, "agency", "agencies") == "2 agencies"
    assert headline_counts(_timeline().iloc[:1])[0].startswith("1 contact recorded by 1 agency between")


def test_the_contact_density_colour_bar_shows_whole_contacts(report):
    from review import charts
    from review.build import _load_and_analyse

    _, analysis = _load_and_analyse(report[0])
    fig = charts.plot_contact_density(analysis.timeline)
    colour_bar = fig.axes[1]
    ticks = [t for t in colour_bar.get_yticks() if colour_bar.get_ylim()[0] <= t <= colour_bar.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)


def test_decisions_module_keeps_the_formula_defence_on_write(tmp_path):
    decisions_module.record_decision(tmp_path, "F1", "accepted", "=HYPERLINK(\"x\")", "QA", "2024-08-01")
    assert "'=HYPERLINK" in (tmp_path / "decisions.csv").read_text(encoding="utf-8")
    assert read_decisions_file(tmp_path / "decisions.csv")["rationale"].tolist() == ['=HYPERLINK("x")']
