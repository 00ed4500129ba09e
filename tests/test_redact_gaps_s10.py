"""The anonymised view's gaps found by QA (s10): ages in days or weeks, a day and month with no date word,
school names, people's initials, the reviewer's name, and the paths in a redacted thematic manifest. Each
test also checks that ordinary text (clinical words, times, doses, scores) is left as it was."""
from __future__ import annotations

import json

import pytest

from review.cli import main
from review.redact import Redactor


# -- 6. the thematic manifest (review thematic --redact) --------------------------------------------------
@pytest.fixture(scope="module")
def area_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("s10") / "eastborough-cspr-ashdown"
    assert main(["synth", "--cases", "3", "--seed", "7", "--store", str(root / "store"), "--no-progress",
                 "--declarations", str(root / "eastborough_declarations.csv")]) == 0
    return root


def _thematic(root, out, *extra):
    return main(["thematic", "--store", str(root / "store"), "--declarations",
                 str(root / "eastborough_declarations.csv"), "--out", str(out), "--formats", "svg", *extra])


def test_redacted_thematic_manifest_holds_no_path(area_store, tmp_path, capsys):
    named, redacted = tmp_path / "named", tmp_path / "redacted"
    assert _thematic(area_store, named) == 0 and _thematic(area_store, redacted, "--redact") == 0
    plain = json.loads((named / "manifest.json").read_text(encoding="utf-8"))
    assert "eastborough-cspr-ashdown" in plain["store"]["path"]  # the named view keeps it, for verify
    text = (redacted / "manifest.json").read_text(encoding="utf-8")
    assert "eastborough" not in text.lower() and "ashdown" not in text.lower()
    manifest = json.loads(text)
    assert manifest["store"]["path"] is None and manifest["declarations"]["path"] is None
    assert manifest["declarations"]["sha256"] == plain["declarations"]["sha256"]  # what went in is still checked
    capsys.readouterr()
    # verify cannot find the store alone: a clear error, then it verifies when given the paths
    assert main(["verify", str(redacted)]) != 0
    assert "give it with --store" in capsys.readouterr().out
    assert main(["verify", str(redacted), "--store", str(area_store / "store"),
                 "--declarations", str(area_store / "eastborough_declarations.csv")]) == 0, capsys.readouterr().out
