"""`build-all --prune` over a folder with no case folders (a drive not mounted, a wrong path) refuses,
instead of taking every stored case out."""
from review.cli import main
from review.store import build_all, complete_cases
from tests.test_national_qa_s9 import _one_row_case


def _store_of_two(tmp_path):
    cases, store = tmp_path / "cases", tmp_path / "store"
    for i in (1, 2):
        (cases / f"c{i}").mkdir(parents=True)
        (cases / f"c{i}" / "case.yml").write_text(f"case_id: C{i}\ndate_of_birth: 2019-06-01\n")
    build_all(cases, store, progress=False, process_case=_one_row_case)
    return cases, store


def test_prune_over_an_empty_folder_refuses_and_keeps_the_store(tmp_path, capsys):
    _, store = _store_of_two(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["build-all", str(empty), "--store", str(store), "--prune", "--no-progress"]) == 2
    assert "no case folders here: --prune would take every case out of the store" in capsys.readouterr().err
    assert sorted(complete_cases(store)) == ["C1", "C2"]


def test_without_prune_an_empty_folder_only_names_the_cases(tmp_path, capsys):
    _, store = _store_of_two(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["build-all", str(empty), "--store", str(store), "--no-progress"]) == 0
    assert sorted(complete_cases(store)) == ["C1", "C2"]


def test_prune_with_some_folders_left_still_prunes(tmp_path):
    import shutil

    cases, store = _store_of_two(tmp_path)
    shutil.rmtree(cases / "c2")
    summary = build_all(cases, store, progress=False, prune=True, process_case=_one_row_case)
    assert summary.removed == ["C2"] and sorted(complete_cases(store)) == ["C1"]
