"""`review dask-rules` says how many of the store's cases it analysed and names the cases whose last build
failed (session 13 QA: "59 flags in 31 cases from Dask ..." with no word of the case left out)."""
from review.cli import main
from review.store import build_all
from review.synth import write_case_folders


def test_dask_rules_names_the_cases_whose_last_build_failed(tmp_path, capsys):
    cases, store = tmp_path / "cases", tmp_path / "store"
    write_case_folders(cases, 3, 2, 44)
    build_all(cases, store, progress=False)
    next((cases / "C000002").glob("*.xlsx")).write_text("garbage")
    assert build_all(cases, store, progress=False).failed["case_id"].tolist() == ["C000002"]
    capsys.readouterr()
    assert main(["dask-rules", "--store", str(store), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "of the 2 cases of the store analysed" in out
    assert "1 case(s) of the store failed on their last build and are not analysed: C000002" in out
