"""A decision follows its flag when a better contact-type reading changes the flag's id (s16): the flag id is
made from the trigger contact's content, its contact type included, so a new reading of the type cell gives
the flag a new id. A decision recorded on the earlier id is carried over to the flag of the same rule whose
trigger is the same contact (same file, sheet, row and text), and the carry-over is reported (old id -> new id);
when several flags could be the one, nothing is guessed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from review.cli import main
from review.decisions import (AMBIGUOUS_NOTE, DECISIONS_FILE, NOT_RAISED_PROBLEM, _carried_over, migrate_decisions,
                              read_decisions_file, record_decision)
from review.pipeline import analyse, load_case
from review.rules.base import content_anchor, content_key, flag_id

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"
OLD_READING = ("  home_visit:\n  - 3-month contact\n", "  clinic_appointment:\n  - 3-month contact\n")
OLD_ID, NEW_ID = "injury_not_escalated-8005be9aed6c", "injury_not_escalated-6c36c0b5a668"


def _sample_decided_on_the_old_reading(tmp_path: Path, *, trigger: bool = True) -> Path:
    """The sample with a decision recorded while '3-month contact' was read as a clinic appointment (the earlier
    release's reading), then the case read as it is now (a home visit)."""
    case = tmp_path / "sample"
    shutil.copytree(SAMPLE, case)
    vocab = (case / "vocab.yml").read_text(encoding="utf-8")
    (case / "vocab.yml").write_text(vocab.replace(*OLD_READING), encoding="utf-8")
    flags = analyse(load_case(case)).flags
    flag = flags[flags["flag_id"] == OLD_ID].iloc[0]
    record_decision(case, OLD_ID, "rejected", "Same bruising as the non-mobile injury flag", "Jane Okafor",
                    "2024-08-01", rule_id=flag["rule_id"], trigger_event_id=flag["trigger_event_id"] if trigger else "",
                    evidence_event_ids=flag["evidence_event_ids"])
    (case / "vocab.yml").write_text(vocab, encoding="utf-8")
    return case


def test_a_decision_on_the_id_of_the_earlier_type_reading_is_carried_over(tmp_path):
    case = _sample_decided_on_the_old_reading(tmp_path)
    analysis = analyse(load_case(case))
    assert len(analysis.timeline) == 99 and (analysis.flags["source"] != "reviewer").sum() == 22
    flag = analysis.flags.set_index("flag_id").loc[NEW_ID]
    # before: pending, and the rejection listed as "on a flag the rules no longer raise"
    assert flag["decision"] == "rejected" and flag["decided_by"] == "Jane Okafor"
    problems = analysis.decision_problems
    assert not problems["problem"].str.startswith(NOT_RAISED_PROBLEM[:40]).any()
    carried = problems[problems["problem"].str.contains("carried over", regex=False)]
    assert carried[["row", "flag_id"]].astype(object).values.tolist() == [[2, NEW_ID]]
    text = carried["problem"].iloc[0]
    assert OLD_ID in text and NEW_ID in text and flag["trigger_event_id"] in text and "home_visit" in text
    # the other flags of the case are untouched
    assert (analysis.flags["decision"] == "rejected").sum() == 1


def test_the_carry_over_is_reported_by_the_build_and_written_by_migrate(tmp_path, capsys):
    case = _sample_decided_on_the_old_reading(tmp_path)
    out = tmp_path / "report"
    assert main(["build", str(case), "--out", str(out), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "22 flags (1 rejected by the reviewers)" in printed
    assert f"decision carried over: decisions.csv, row 2: {OLD_ID} -> {NEW_ID}" in printed
    assert f"carried over to flag {NEW_ID}" in (out / "report.html").read_text(encoding="utf-8")

    analysis = analyse(load_case(case))
    summary = migrate_decisions(case, analysis.decisions, analysis.flags)
    assert summary["changed"] and summary["moved"] == 1 and summary["not_raised"] == 0
    text = (case / DECISIONS_FILE).read_text(encoding="utf-8-sig")
    assert f"{NEW_ID},rejected" in text and text.splitlines()[1].split(",")[-2] == OLD_ID  # earlier_flag_id
    assert read_decisions_file(case / DECISIONS_FILE)["flag_id"].tolist() == [NEW_ID]


def test_without_the_recorded_trigger_the_content_still_tells_the_flag(tmp_path):
    case = _sample_decided_on_the_old_reading(tmp_path, trigger=False)
    analysis = analyse(load_case(case))
    assert analysis.flags.set_index("flag_id").loc[NEW_ID, "decision"] == "rejected"


def test_an_edited_trigger_text_is_not_carried_over(tmp_path):
    case = _sample_decided_on_the_old_reading(tmp_path)
    path = case / "health_visiting.csv"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Small bruise (approx 1 cm)", b"Small bruise (approx 2 cm)"))
    analysis = analyse(load_case(case))
    assert not (analysis.flags["decision"] == "rejected").any()
    problems = analysis.decision_problems["problem"]
    assert problems.str.startswith(NOT_RAISED_PROBLEM[:40]).sum() == 1
    assert not problems.str.contains("carried over", regex=False).any()


def _twins() -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Two contacts alike but for their rows and their types (read as 'other' both, earlier: one old id could
    be either's), each the trigger of a flag of the same rule; and the id the first had under the earlier reading."""
    texts = dict(case_id="C9", agency="Eastborough Health Visiting", date=pd.Timestamp("2023-05-17"),
                 date_precision="day", description="Small bruise on his left cheek.", action="None")
    timeline = pd.DataFrame([dict(texts, event_id="E1", contact_type="home_visit", source_file="hv.csv",
                                  source_sheet="", source_row=2),
                             dict(texts, event_id="E2", contact_type="clinic_appointment", source_file="hv.csv",
                                  source_sheet="", source_row=3)])
    key = {e: content_key(*(row[c] for c in ("case_id", "agency", "date", "date_precision", "contact_type",
                                                "description", "action")))
           for e, row in timeline.set_index("event_id").iterrows()}
    flags = pd.DataFrame({"flag_id": [flag_id("injury_not_escalated", content_anchor(key[e], 1)) for e in ("E1", "E2")],
                          "rule_id": "injury_not_escalated", "trigger_event_id": ["E1", "E2"], "flag_variant": ""})
    earlier = key["E1"].replace("home_visit", "other")
    return timeline, flags, flag_id("injury_not_escalated", content_anchor(earlier, 1))


def _decided(tmp_path: Path, old: str, trigger: str) -> pd.DataFrame:
    path = tmp_path / DECISIONS_FILE
    path.write_text(f"flag_id,decision,rationale,author,date,rule_id,trigger_event_id,evidence_event_ids\n"
                    f"{old},accepted,missed,QA,2024-01-02,injury_not_escalated,{trigger},\n", encoding="utf-8")
    return read_decisions_file(path)


def test_two_contacts_that_could_be_the_trigger_are_reported_not_guessed(tmp_path):
    timeline, flags, old = _twins()
    decisions, notes = _carried_over(_decided(tmp_path, old, ""), flags, timeline, set(flags["flag_id"]))
    assert decisions["flag_id"].tolist() == [old]  # stays on its earlier id: in force for no flag
    assert [n["problem"] for n in notes] == [AMBIGUOUS_NOTE.format(old=old, candidates=", ".join(sorted(flags["flag_id"])))]
    assert notes[0]["row"] == 2 and notes[0]["file"] == DECISIONS_FILE


def test_the_recorded_row_tells_two_such_contacts_apart(tmp_path):
    timeline, flags, old = _twins()
    for trigger, new in zip(flags["trigger_event_id"], flags["flag_id"]):
        decisions, notes = _carried_over(_decided(tmp_path, old, trigger), flags, timeline, set(flags["flag_id"]))
        assert decisions["flag_id"].tolist() == [new] and decisions["current"].all()
        assert len(notes) == 1 and f"carried over to flag {new}" in notes[0]["problem"]
