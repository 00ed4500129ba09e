"""Added findings recorded before content ids were kept, and accept/reject rows on an added finding, get the
content ids of the contacts they name from `review decisions migrate` (s16), so that they follow a later
resubmission; a row whose contact is not in the chronology is reported, not filled."""
from __future__ import annotations

from test_added_findings_s15 import INSERTED, ROWS, _added, _case, _event, _record

from review.cli import main
from review.decisions import DECISIONS_FILE, record_decision
from review.pipeline import analyse, load_case


def test_migrate_fills_the_content_ids_and_the_finding_then_follows_a_resubmission(tmp_path, capsys):
    folder = _case(tmp_path / "oak", ROWS)
    trigger, _ = _record(folder, None)  # recorded without the content ids
    analysis, added = _added(folder)
    record_decision(folder, added["flag_id"], "accepted", "Agreed at panel", "Jane Okafor", "2024-08-02",
                    rule_id="nonmobile_injury", trigger_event_id=trigger)
    assert "trigger_content_id" not in (folder / DECISIONS_FILE).read_text(encoding="utf-8-sig")

    assert main(["decisions", "migrate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "2 row(s) on a finding the reviewers added got the content ids" in out
    lines = (folder / DECISIONS_FILE).read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert "trigger_content_id" in header and "evidence_content_ids" in header
    for line in lines[1:]:  # both rows: the added finding and the acceptance
        cells = dict(zip(header, line.split(",")))
        assert len(cells["trigger_content_id"]) == 16 and cells["flag_id"] == added["flag_id"]

    # before: after a row inserted above, the finding named the tearful visit (the bruise's earlier row)
    _case(folder, ROWS[:1] + [INSERTED] + ROWS[1:])
    analysis, added = _added(folder)
    assert added["trigger_event_id"] == _event(analysis.timeline, "Bruise to left ear") != trigger
    assert added["decision"] == "accepted"
    assert main(["decisions", "migrate", str(folder)]) == 0  # the current rows written; the id kept
    capsys.readouterr()
    analysis, again = _added(folder)
    assert again["flag_id"] == added["flag_id"] and again["decision"] == "accepted"
    assert again["trigger_event_id"] == added["trigger_event_id"]


def test_a_finding_on_a_contact_not_in_the_chronology_is_reported(tmp_path, capsys):
    folder = _case(tmp_path / "oak", ROWS)
    record_decision(folder, "", "added", "Missed referral", "Jane Okafor", "2024-08-01", rule_id="nonmobile_injury",
                    trigger_event_id="E000000000000")
    assert main(["decisions", "migrate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"{folder / DECISIONS_FILE}, row 2: a row on a finding the reviewers added names a trigger contact" in out
    text = (folder / DECISIONS_FILE).read_text(encoding="utf-8-sig")
    header, row = text.splitlines()[:2]
    cells = dict(zip(header.split(","), row.split(",")))
    assert cells["trigger_content_id"] == "" and cells["trigger_event_id"] == "E000000000000"
    assert analyse(load_case(folder)).decision_problems["problem"].str.contains("E000000000000").any()


def test_review_decide_on_an_added_finding_records_its_content_ids(tmp_path, capsys):
    folder = _case(tmp_path / "oak", ROWS)
    _record(folder, analyse(load_case(folder)).timeline)
    _, added = _added(folder)
    assert main(["decide", str(folder), added["flag_id"], "--accept", "--rationale", "Agreed at panel",
                 "--reviewer", "Jane Okafor", "--date", "2024-08-02"]) == 0
    capsys.readouterr()
    lines = (folder / DECISIONS_FILE).read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    finding, decision = (dict(zip(header, line.split(","))) for line in lines[1:])
    assert decision["decision"] == "accepted" and len(decision["trigger_content_id"]) == 16
    assert decision["trigger_content_id"] == finding["trigger_content_id"]
