"""A row reporting earlier missed contacts is no missed contact of its own (settings.missed_contact_types):
"Discharged from physiotherapy caseload following 3 WNB" (a discharge) and the GP's "Letter from community
dental service: Tyler was not brought twice" (a letter), both tagged was_not_brought, are neither a new
missed appointment for was_not_brought nor a concern of their own for information_not_shared, though the
letter shows the GP knew. An untyped row "DNA" and an appointment row "WNB" tagged was_not_brought are missed
contacts. The package and the row-by-row baseline agree."""
from __future__ import annotations

import copy

from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from tests._baseline import baseline_flags

RULES = load_rules()
PHYSIO = {"agency": "Physiotherapy", "agency_kind": "health"}
GP = {"agency": "Mill Lane Medical Practice", "agency_kind": "health"}
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}


def row(date, contact_type, text, who, concerns="was_not_brought"):
    return {"date": date, "contact_type": contact_type, "description": text, "concerns": concerns, **who}


def flags(rows, rule, rules=RULES):
    return detect(make_timeline(rows), None, rules, only=[rule])


def baseline(rows, rule, rules=None):
    return sorted(f["trigger_event_id"] for f in baseline_flags(rows, rules) if f["rule_id"] == rule)


def package(rows, rule, rules=RULES):
    got = flags(rows, rule, rules)
    return [] if got.empty else sorted(got["trigger_event_id"])


PHYSIO_ROWS = [
    row("2023-05-10", "was_not_brought", "Was not brought. No contact from family.", PHYSIO),
    row("2023-06-14", "was_not_brought", "Was not brought. Second consecutive WNB.", PHYSIO),
    row("2023-07-12", "was_not_brought", "WNB. Letter to GP and mum.", PHYSIO),
    row("2023-09-06", "discharge", "Discharged from physiotherapy caseload following 3 WNB.", PHYSIO),
]


def test_a_discharge_following_missed_appointments_is_not_a_fourth_missed_appointment():
    got = flags(PHYSIO_ROWS, "was_not_brought")
    assert len(got) == 1
    assert got.iloc[0].evidence_event_ids == "C1-e001; C1-e002; C1-e003"
    assert "not brought to 3 appointments with Physiotherapy within 90 days" in got.iloc[0].explanation
    assert "6 Sep 2023" not in got.iloc[0].explanation
    assert package(PHYSIO_ROWS, "was_not_brought") == baseline(PHYSIO_ROWS, "was_not_brought")


def test_a_letter_reporting_another_services_missed_appointments_is_no_missed_appointment_of_the_gp():
    rows = [row("2023-04-10", "was_not_brought", "DNA.", GP),
            row("2023-04-25", "letter", "Letter from community dental service: Tyler was not brought twice.", GP)]
    assert flags(rows, "was_not_brought").empty
    assert baseline(rows, "was_not_brought") == []


def test_an_untyped_dna_and_an_appointment_wnb_are_missed_contacts():
    rows = [row("2023-04-10", "other", "DNA", GP), row("2023-05-01", "clinic_appointment", "WNB", GP)]
    got = flags(rows, "was_not_brought")
    assert list(got["evidence_event_ids"]) == ["C1-e001; C1-e002"]
    assert package(rows, "was_not_brought") == baseline(rows, "was_not_brought")


def test_the_types_are_a_setting():
    rules = copy.deepcopy(RULES)
    rules["settings"]["missed_contact_types"] = ["clinic_appointment", "home_visit", "other", "letter"]
    rows = [row("2023-04-10", "was_not_brought", "DNA.", GP),
            row("2023-04-25", "letter", "Letter from community dental service: not brought twice.", GP)]
    assert len(flags(rows, "was_not_brought", rules)) == 1
    assert package(rows, "was_not_brought", rules) == baseline(rows, "was_not_brought", rules)


def test_a_discharge_reporting_missed_appointments_is_no_concern_of_its_own_to_share():
    """The physio's discharge in September is within 90 days of social care's conference; its missed
    appointments (May to July) are not: no flag says physio "recorded a missed appointment" on 6 Sep."""
    rows = PHYSIO_ROWS + [row("2023-11-21", "cp_conference", "Initial child protection conference.", CSC, "")]
    assert flags(rows, "information_not_shared").empty
    assert baseline(rows, "information_not_shared") == []
    # a missed appointment itself in the window is still a concern the conference should have known of
    rows = PHYSIO_ROWS + [row("2023-10-01", "was_not_brought", "Was not brought.", PHYSIO), rows[-1]]
    got = flags(rows, "information_not_shared")
    assert list(got["trigger_event_id"]) == ["C1-e005"]
    assert "recorded a missed appointment (child not brought) on 1 Oct 2023" in got.iloc[0].explanation
    assert package(rows, "information_not_shared") == baseline(rows, "information_not_shared")


def test_a_letter_reporting_missed_appointments_still_shows_its_agency_knew():
    dental = {"agency": "Community Dental", "agency_kind": "health"}
    rows = [row("2023-03-21", "was_not_brought", "Was not brought.", dental),
            row("2023-04-25", "letter", "Letter from community dental service: was not brought.", CSC),
            row("2023-06-14", "cp_conference", "Review child protection conference.", CSC, "")]
    assert flags(rows, "information_not_shared").empty
    assert baseline(rows, "information_not_shared") == []
    without = [rows[0], rows[2]]
    assert list(flags(without, "information_not_shared")["trigger_event_id"]) == ["C1-e001"]
    assert package(without, "information_not_shared") == baseline(without, "information_not_shared")


def test_the_setting_is_checked_against_the_contact_types(tmp_path):
    import pytest

    from review.errors import ConfigError

    (tmp_path / "rules.yml").write_text("settings:\n  missed_contact_types: [clinic_apointment]\n")
    with pytest.raises(ConfigError):
        load_rules(tmp_path)
    (tmp_path / "rules.yml").write_text("settings:\n  missed_contact_types: [clinic_appointment, letter]\n")
    assert load_rules(tmp_path)["settings"]["missed_contact_types"] == ["clinic_appointment", "letter"]
