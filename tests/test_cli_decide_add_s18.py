"""s18 (QA4 22): there was no command-line way to add a finding no rule raised: `review decide` only accepted or
rejected a flag, and the QA reviewer had to call `review.decisions.record_decision(..., "added", ...)` by hand.
Now `review decide CASE --add --rule RULE_ID --contact EVENT_ID [--evidence ID ...] --rationale ...` records
it, with notebook 03's checks (`check_decision`): an unknown rule or contact is refused, naming the choices.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from review.cli import main
from review.pipeline import analyse, load_case

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"


@pytest.fixture
def case(tmp_path) -> Path:
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    with (copy / "case.yml").open("a", encoding="utf-8") as handle:
        handle.write("lead_reviewer: Jane Okafor\n")
    return copy


def _file(case: Path) -> pd.DataFrame:
    return pd.read_csv(case / "decisions.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_decide_add_records_a_finding_the_flags_then_show(case, capsys):
    timeline = analyse(load_case(case)).timeline
    gp = timeline[timeline["source_file"].astype(str).str.startswith("gp_")].iloc[:2]
    contact, other = gp["event_id"].astype(str).tolist()
    assert main(["decide", str(case), "--add", "--rule", "was_not_brought", "--contact", contact,
                 "--evidence", contact, other, "--rationale", "Not brought twice; no follow-up", "--date",
                 "2024-08-01"]) == 0
    out = capsys.readouterr().out
    assert "finding added:was_not_brought:" in out and f"contact {contact}, " in out
    [row] = _file(case).to_dict("records")
    assert (row["decision"], row["rule_id"], row["trigger_event_id"]) == ("added", "was_not_brought", contact)
    assert set(row["evidence_event_ids"].split("; ")) == {contact, other}
    assert row["author"] == "Jane Okafor" and row["flag_id"].startswith("added:was_not_brought:")
    assert row["trigger_content_id"]  # kept on its contact's content, as notebook 03 records it

    flags = analyse(load_case(case)).flags
    added = flags[flags["flag_id"] == row["flag_id"]]
    assert len(added) == 1 and added["trigger_event_id"].iloc[0] == contact


@pytest.mark.parametrize("options, message", [
    (["--rule", "wnb", "--contact", "{contact}"], "an added finding needs its rule: one of nonmobile_injury"),
    (["--rule", "was_not_brought", "--contact", "{contact}x"], "did you mean {contact}?"),
])
def test_an_unknown_rule_or_contact_is_refused(case, capsys, options, message):
    contact = str(analyse(load_case(case)).timeline["event_id"].iloc[0])
    options = [o.format(contact=contact) for o in options]
    assert main(["decide", str(case), "--add", *options, "--rationale", "x"]) == 7
    assert message.format(contact=contact) in capsys.readouterr().err
    assert not (case / "decisions.csv").exists()


@pytest.mark.parametrize("argv, message", [
    (["3", "--add", "--rule", "was_not_brought", "--contact", "E1"], "--add records a new finding, not a decision on flag '3'"),
    (["--add", "--rule", "was_not_brought"], "--add needs --rule RULE_ID (the rule the finding falls under) and --contact"),
    (["--accept"], "--accept needs the flag"),
    (["1", "--reject", "--rule", "was_not_brought"], "--rule, --contact and --evidence describe a finding you add"),
])
def test_the_arguments_of_an_added_finding_are_checked_first(case, capsys, argv, message):
    assert main(["decide", str(case), *argv, "--rationale", "x"]) == 2
    assert message in capsys.readouterr().err
