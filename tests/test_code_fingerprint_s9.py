"""The package's code and data are part of what a build depends on: a store built by other code is built
again, and a report's manifest says which code wrote it."""
import review.config as config
import review.store as store_module
from review.build import package_versions
from review.store import build_all, case_input_hash
from review.synth import write_case_folders


def test_the_fingerprint_covers_the_package_files():
    fingerprint = config.code_fingerprint()
    assert len(fingerprint) == 16 and int(fingerprint, 16) >= 0
    assert config.code_fingerprint() == fingerprint  # once per process
    assert package_versions()["review code"] == fingerprint


def test_other_code_rebuilds_the_cases(tmp_path, monkeypatch):
    cases, store = tmp_path / "cases", tmp_path / "store"
    write_case_folders(cases, 2, 1, 44)
    first = build_all(cases, store, progress=False)
    assert len(first.built) == 2
    assert len(build_all(cases, store, progress=False).built) == 0  # same code, same inputs: nothing to do
    before = case_input_hash(cases / sorted(p.name for p in cases.iterdir())[0])
    # as after a change to the rules or the vocabulary with the version number unchanged
    monkeypatch.setattr(store_module, "code_fingerprint", lambda: "0" * 16)
    assert case_input_hash(cases / sorted(p.name for p in cases.iterdir())[0]) != before
    assert len(build_all(cases, store, progress=False).built) == 2
