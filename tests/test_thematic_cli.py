"""`review synth`, `review build-all` and `review thematic` end to end on small synthetic data."""
from __future__ import annotations

import pandas as pd
import pytest

from review.cli import main


def test_synth_writes_case_folders_with_ground_truth(tmp_path, capsys):
    assert main(["synth", "--cases", "2", "--seed", "3", "--out", str(tmp_path / "cases"), "--no-progress"]) == 0
    folders = sorted(p.name for p in (tmp_path / "cases").iterdir() if p.is_dir())
    assert folders == ["C000001", "C000002"]
    assert (tmp_path / "cases" / "C000001" / "case.yml").exists()
    assert len(list((tmp_path / "cases" / "C000001").glob("*.xlsx"))) >= 3
    assert "planted missed escalations" in capsys.readouterr().out


def test_thematic_writes_tables_and_charts(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["synth", "--cases", "8", "--seed", "5", "--store", str(store), "--no-progress",
                 "--declarations", str(tmp_path / "declarations.csv")]) == 0
    out = tmp_path / "thematic"
    assert main(["thematic", "--store", str(store), "--declarations", str(tmp_path / "declarations.csv"),
                 "--out", str(out), "--formats", "png"]) == 0
    for name in ("flags_by_rule_id", "flags_by_failing_category", "flags_by_agency_kind", "flags_by_organisation",
                 "latency_by_agency_kind", "cases_ranked", "assurance_vs_evidence"):
        assert (out / f"{name}.csv").exists(), name
        assert (out / f"{name}.png").exists(), name
    ranked = pd.read_csv(out / "cases_ranked.csv")
    assert len(ranked) == 8 and ranked["rank"].tolist() == list(range(1, 9))
    assert "assessable declarations disagree" in capsys.readouterr().out
    other = tmp_path / "other.csv"
    other.write_text("Organisation,Year,Standard,Status\nNowhere NHS Trust,2022,Information sharing,compliant\n")
    assert main(["thematic", "--store", str(store), "--declarations", str(other), "--out", str(out),
                 "--formats", "png"]) == 0
    assert "declared organisation 'Nowhere NHS Trust' is not in the cases" in capsys.readouterr().out


def test_thematic_reports_a_bad_declarations_file_in_one_line(tmp_path, capsys):
    store = tmp_path / "store"
    main(["synth", "--cases", "2", "--seed", "5", "--store", str(store), "--no-progress", "--no-analyse"])
    bad = tmp_path / "d.csv"
    bad.write_text("organisation,year,standard,status\nX,2020,Information sharing,perhaps\n")
    assert main(["thematic", "--store", str(store), "--declarations", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "d.csv" in err[0] and "row 2" in err[0] and "'status'" in err[0]


@pytest.mark.slow
def test_build_all_cli_over_synthetic_case_folders(tmp_path, capsys):
    pytest.importorskip("review.pipeline")
    main(["synth", "--cases", "3", "--seed", "9", "--out", str(tmp_path / "cases"), "--no-progress"])
    (tmp_path / "cases" / "broken").mkdir()
    (tmp_path / "cases" / "broken" / "case.yml").write_text("case_id: B\n")  # no date of birth
    code = main(["build-all", str(tmp_path / "cases"), "--store", str(tmp_path / "store"), "--no-progress"])
    out = capsys.readouterr().out
    assert code == 1 and "3 built" in out and "1 failed" in out and "FAILED broken (ingest): case.yml: missing required key" in out
    code = main(["build-all", str(tmp_path / "cases"), "--store", str(tmp_path / "store"), "--no-progress"])
    assert "3 already complete" in capsys.readouterr().out


def test_thematic_leaves_out_the_flags_reviewers_rejected(tmp_path, capsys):
    from review.store import build_all, read_store
    from review.synth import write_case_folders

    write_case_folders(tmp_path / "cases", 6, seed=21, contacts_per_case=80)
    store = tmp_path / "store"
    build_all(tmp_path / "cases", store, progress=False)
    flags = read_store(store, "flags")
    assert len(flags) >= 2
    victim = flags.iloc[0]
    (tmp_path / "cases" / victim["case_id"] / "decisions.csv").write_text(
        f"flag_id,decision,rationale,author,date\n{victim['flag_id']},rejected,a birthmark (documented),AB,2025-01-02\n",
        encoding="utf-8")
    build_all(tmp_path / "cases", store, progress=False)  # the decision is kept with the case
    capsys.readouterr()
    assert main(["thematic", "--store", str(store), "--out", str(tmp_path / "t"), "--formats", "png"]) == 0
    assert "1 flag(s) the reviewers rejected are not counted" in capsys.readouterr().out
    assert pd.read_csv(tmp_path / "t" / "flags_by_rule_id.csv")["flags"].sum() == len(flags) - 1
    assert main(["thematic", "--store", str(store), "--out", str(tmp_path / "all"), "--formats", "png",
                 "--include-rejected"]) == 0
    assert pd.read_csv(tmp_path / "all" / "flags_by_rule_id.csv")["flags"].sum() == len(flags)


def test_thematic_on_a_store_whose_every_case_failed_says_so(tmp_path, capsys):
    (tmp_path / "cases" / "bad").mkdir(parents=True)
    (tmp_path / "cases" / "bad" / "case.yml").write_text("case_id: [\n", encoding="utf-8")
    assert main(["build-all", str(tmp_path / "cases"), "--store", str(tmp_path / "store"), "--no-progress"]) == 1
    assert main(["thematic", "--store", str(tmp_path / "store"), "--out", str(tmp_path / "t")]) == 2
    assert "the store holds no complete cases (1 failed: failures.csv lists them)" in capsys.readouterr().err


def test_a_thematic_report_verifies_and_names_what_changed_since(tmp_path, capsys):
    """`review thematic` writes manifest.json; `review verify` runs it again and compares every file, and
    names the cases rebuilt from other inputs, the cases added and a changed declarations file."""
    import json
    import shutil

    cases, store, out = tmp_path / "cases", tmp_path / "store", tmp_path / "thematic"
    assert main(["synth", "--cases", "3", "--seed", "8", "--out", str(cases), "--no-progress"]) == 0
    assert main(["build-all", str(cases), "--store", str(store), "--no-progress"]) == 0
    declarations = tmp_path / "declarations.csv"
    declarations.write_text("Organisation,Year,Standard,Status\nNowhere NHS Trust,2022,Information sharing,compliant\n")
    assert main(["thematic", "--store", str(store), "--declarations", str(declarations), "--out", str(out),
                 "--formats", "png"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "thematic" and manifest["store"]["cases"] == 3
    assert {"flags_by_rule_id.csv", "assurance_vs_evidence.png"} <= set(manifest["outputs"])
    capsys.readouterr()
    assert main(["verify", str(out)]) == 0
    assert "OK: all" in capsys.readouterr().out

    # a case's chronology changes and the store is rebuilt; a case is added; the declarations change
    case = sorted(p for p in cases.iterdir() if p.is_dir())[0]
    chronology = sorted(case.glob("*.csv"))[0]
    lines = chronology.read_text(encoding="utf-8").splitlines()
    chronology.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # its last contact removed
    shutil.copytree(case, cases / "C000099")
    (cases / "C000099" / "case.yml").write_text(
        (cases / "C000099" / "case.yml").read_text(encoding="utf-8").replace(case.name, "C000099"), encoding="utf-8")
    assert main(["build-all", str(cases), "--store", str(store), "--no-progress"]) == 0
    declarations.write_text("Organisation,Year,Standard,Status\nNowhere NHS Trust,2022,Information sharing,not compliant\n")
    capsys.readouterr()
    assert main(["verify", str(out)]) == 1
    said = capsys.readouterr().out
    assert "DIFFERENT" in said and "FAILED" in said
    assert f"1 case(s) rebuilt from other inputs: {case.name}" in said
    assert "1 case(s) in the store that were not: C000099" in said
    assert "the declarations file changed" in said


def test_verify_of_a_thematic_report_whose_store_is_gone(tmp_path, capsys):
    store, out = tmp_path / "store", tmp_path / "thematic"
    assert main(["synth", "--cases", "2", "--seed", "5", "--store", str(store), "--no-progress"]) == 0
    assert main(["thematic", "--store", str(store), "--out", str(out), "--formats", "png"]) == 0
    moved = tmp_path / "moved"
    store.rename(moved)
    capsys.readouterr()
    assert main(["verify", str(out)]) == 1
    assert "is not there (give it with --store)" in capsys.readouterr().out
    assert main(["verify", str(out), "--store", str(moved)]) == 0
