"""`review thematic --redact`: case ids can name the family ("CSPR-Ashdown-2024"), and the thematic
tables, charts and manifest printed them. With --redact every case id is "case 01", "case 02", ... in
every table, chart and the manifest, numbered in an order drawn from the cases' inputs (not the ids'
alphabetical order), the same for the same store; organisation names and agency kinds stay."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from review.cli import main
from review.thematic_report import case_pseudonyms


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("thematic_redact")
    assert main(["synth", "--cases", "8", "--seed", "5", "--store", str(root / "store"), "--no-progress",
                 "--declarations", str(root / "declarations.csv")]) == 0
    return root


def _run(store, out, *extra):
    return main(["thematic", "--store", str(store / "store"), "--declarations", str(store / "declarations.csv"),
                 "--out", str(out), "--formats", "svg", *extra])


def _texts(folder):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".svg", ".json")}


def test_redacted_thematic_outputs_name_no_case(store, tmp_path, capsys):
    named, redacted = tmp_path / "named", tmp_path / "redacted"
    assert _run(store, named) == 0 and _run(store, redacted, "--redact") == 0
    real = pd.read_csv(named / "cases_ranked.csv")["case_id"].astype(str).tolist()
    assert len(real) == 8 and all(re.fullmatch(r"C\d{6}", c) for c in real)
    texts = _texts(redacted)
    assert {"cases_ranked.csv", "cases_ranked.svg", "manifest.json"} <= set(texts)
    for name, text in texts.items():
        leaked = [c for c in real if c in text]
        assert not leaked, (name, leaked)
    ranked = pd.read_csv(redacted / "cases_ranked.csv")
    assert sorted(ranked["case_id"]) == [f"case {n:02d}" for n in range(1, 9)]
    # the case ranking is the same, under other names
    plain = pd.read_csv(named / "cases_ranked.csv")
    assert ranked[["unescalated_concerns", "flags"]].values.tolist() == plain[["unescalated_concerns", "flags"]].values.tolist()
    assert "case 0" in texts["cases_ranked.svg"]
    manifest = json.loads(texts["manifest.json"])
    assert sorted(manifest["store"]["inputs"]) == [f"case {n:02d}" for n in range(1, 9)]
    assert manifest["options"]["redact"] is True
    # organisation names and agency kinds stay: they are what a thematic review compares
    for name in ("flags_by_organisation.csv", "flags_by_agency_kind.csv", "assurance_vs_evidence.csv"):
        assert (redacted / name).read_text(encoding="utf-8") == (named / name).read_text(encoding="utf-8"), name
    assert "C0000" not in capsys.readouterr().out.split("--redact")[-1]


def test_redacted_thematic_is_deterministic_and_verifies(store, tmp_path, capsys):
    first, second = tmp_path / "a", tmp_path / "b"
    assert _run(store, first, "--redact") == 0 and _run(store, second, "--redact") == 0
    assert _texts(first) == _texts(second)
    capsys.readouterr()
    # a redacted manifest records no paths (s10): verify is given the store and the declarations
    assert main(["verify", str(first), "--store", str(store / "store"),
                 "--declarations", str(store / "declarations.csv")]) == 0, capsys.readouterr().out


def test_case_pseudonyms_do_not_follow_the_ids_order():
    inputs = {f"CSPR-{name}-2024": f"hash-{name}" for name in ("Ashdown", "Brook", "Cole", "Dean", "Evans", "Fox")}
    names = case_pseudonyms(inputs)
    assert sorted(names.values()) == [f"case {n:02d}" for n in range(1, 7)]
    assert [names[c] for c in sorted(inputs)] != sorted(names.values())  # not numbered alphabetically
    assert case_pseudonyms(dict(reversed(list(inputs.items())))) == names  # the same store, the same numbers
    assert case_pseudonyms(inputs, ["CSPR-Zed-2024"])["CSPR-Zed-2024"] == "case 07"  # an id the inputs lack: after
