"""A Sequence cell too large for the Int64 column is a warning and an empty sequence, not a crash
(hypothesis found a csv with 2**63 in it: ingest raised an OverflowError building the table)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from review.config import load_case_config
from review.ingest.load import load_contacts


def make_case(folder: Path, sequences: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yml").write_text(yaml.safe_dump(
        {"case_id": "SEQ", "date_of_birth": "2020-01-01", "review_date": "2021-06-01",
         "files": [{"path": "gp.csv"}]}), encoding="utf-8")
    lines = ["Date,Sequence,Agency,Details"] + [f"0{i + 1}/02/2021,{s},GP,Seen {i}" for i, s in enumerate(sequences)]
    (folder / "gp.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("huge", [str(2**63), str(-(2**63)), "1e30", str(10**40)])
def test_a_sequence_too_large_is_left_empty_with_a_warning(tmp_path, huge):
    contacts, report = load_contacts(load_case_config(make_case(tmp_path / "case", ["1", huge, "3"])))
    assert len(contacts) == 3  # no row lost
    assert contacts["sequence"].isna().tolist() == [False, True, False]
    assert contacts["sequence"].dropna().tolist() == [1, 3]
    warnings = [w for f in report.files for w in f.warnings if w.column == "Sequence"]
    assert len(warnings) == 1 and warnings[0].row == 3 and "too large" in warnings[0].message


def test_the_largest_sequence_that_fits_is_kept(tmp_path):
    contacts, _ = load_contacts(load_case_config(make_case(tmp_path / "case", ["1", str(2**63 - 1)])))
    assert contacts["sequence"].tolist() == [1, 2**63 - 1]
