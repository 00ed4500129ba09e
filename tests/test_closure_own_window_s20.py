"""closure_with_open_concerns (QA7 Jordan (b) 2, s20): a health service closing its own case weighs the concerns
it recorded itself over `service_own_window_days` (180), not only the common 30-day window. Jordan's school
nursing closed its case ("Case closed", 3 Feb 2022) 84 days after its own weight-loss and hunger record (11 Nov
2021) and was flagged only for another agency's missed appointment. Other agencies' records, and social care's
closures, keep the 30 days. Each check runs the row-by-row baseline too."""
from __future__ import annotations

from _baseline import RULES
from review.rules import merge_rules
from test_closure_s19 import CSC, PAEDS, RULE, SCHOOL_NURSING, both, flags_of, weight_loss, wnb

CLOSED = {"date": "2022-02-03", "contact_type": "other", "description": "Informed Jordan now EHE. No longer on school "
          "nursing caseload.", "action": "Case closed", **SCHOOL_NURSING}


def test_the_service_own_record_84_days_before_its_closure_is_weighed():
    rows = [weight_loss("2021-11-11"), wnb("2022-01-14", **PAEDS), CLOSED]
    assert both(rows) == [("C1-e003", "")]
    flag = flags_of(rows).iloc[0]
    assert ("although a missed appointment (child not brought) had been recorded by Riverside Community Paediatrics "
            "in the previous 30 days, and neglect, weight loss by School Nursing Service itself in the previous 180 "
            "days (2 records)") in flag.explanation
    assert set(flag.evidence_event_ids.split("; ")) == {"C1-e001", "C1-e002", "C1-e003"}
    # its own record alone is enough
    alone = [weight_loss("2021-11-11"), CLOSED]
    assert both(alone) == [("C1-e002", "")]
    assert ("although neglect, weight loss had been recorded by School Nursing Service itself in the previous 180 "
            "days (1 record)") in flags_of(alone).iloc[0].explanation


def test_not_another_agencys_old_record_nor_one_older_than_180_days_nor_social_cares_closure():
    old_paeds = dict(weight_loss("2021-11-11"), **PAEDS)
    assert both([old_paeds, CLOSED]) == []
    assert both([weight_loss("2021-08-01"), CLOSED]) == []  # 186 days before
    csc_closure = {"date": "2022-02-03", "contact_type": "case_closure", "description": "Case closed.", **CSC}
    social_care_own = dict(weight_loss("2021-11-11"), **CSC)
    assert both([social_care_own, csc_closure]) == []


def test_an_assessment_since_closes_the_concern_and_the_window_is_configurable():
    assessment = {"date": "2021-12-01", "contact_type": "assessment", "description": "Child and Family assessment.",
                  "escalation": "assessment", **CSC}
    assert both([weight_loss("2021-11-11"), assessment, CLOSED]) == []
    assert RULES["rules"][RULE]["params"]["service_own_window_days"] == 180
    short = merge_rules(RULES, {"rules": {RULE: {"service_own_window_days": 60}}}, "rules.yml")
    assert both([weight_loss("2021-11-11"), CLOSED], short) == []
    off = merge_rules(RULES, {"rules": {RULE: {"service_own_window_days": 0}}}, "rules.yml")
    assert both([weight_loss("2021-11-11"), CLOSED], off) == []
