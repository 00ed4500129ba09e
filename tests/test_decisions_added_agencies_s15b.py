"""A finding the reviewers added names the agencies of its trigger and evidence contacts, as a rule's flag
does (`agencies`): its Agencies cell in `review flags` and flags.csv was blank (s15 QA pass 2)."""
import pandas as pd

from review.decisions import apply_decisions, load_decisions, record_decision
from review.schema import FLAG_COLUMNS, conform

FLAGS = conform(pd.DataFrame({"flag_id": ["injury_not_escalated-aaaaaaaaaaaa"], "rule_id": ["injury_not_escalated"],
                              "trigger_event_id": ["e1"], "agencies": ["GP"]}), FLAG_COLUMNS)
TIMELINE = pd.DataFrame({"event_id": ["e1", "e9", "e10", "e11"],
                         "date": pd.to_datetime(["2023-05-01", "2023-06-01", "2023-06-02", "2023-06-03"]),
                         "agency": ["GP", "Nursery", "Police", "Nursery"]})


def _added(tmp_path, trigger, evidence):
    record_decision(tmp_path, "", "added", "Disclosure not referred", "AB", date="2024-05-01",
                    rule_id="injury_not_escalated", trigger_event_id=trigger, evidence_event_ids=evidence)
    decisions, problems = load_decisions(tmp_path, FLAGS)
    assert problems.empty
    applied = apply_decisions(FLAGS, decisions, TIMELINE)
    return applied[applied["source"] == "reviewer"].iloc[0]


def test_an_added_finding_names_its_trigger_contacts_agency(tmp_path):
    assert _added(tmp_path, "e9", "e9")["agencies"] == "Nursery"  # was ""


def test_an_added_finding_names_its_evidence_contacts_agencies_distinct_and_sorted(tmp_path):
    assert _added(tmp_path, "e9", "e9; e10; e11")["agencies"] == "Nursery; Police"


def test_an_added_finding_on_a_contact_not_in_the_timeline_names_none(tmp_path):
    assert _added(tmp_path, "e404", "e404")["agencies"] == ""
