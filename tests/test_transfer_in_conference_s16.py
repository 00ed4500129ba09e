"""transfer_in_conference_late: the receiving authority's transfer-in child protection conference within 15
working days of the notification of a child on a CP plan (Working Together 2023 ch. 4; inter-authority
transfer procedures)."""
import pandas as pd

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
RULE = "transfer_in_conference_late"
WEST = {"agency": "Westshire Children's Social Care", "agency_kind": "social care"}
EAST = {"agency": "Eastshire Children's Social Care", "agency_kind": "social care"}


def flags_of(rows, **kw):
    return detect(make_timeline(rows, dob="2014-09-15", **kw), None, RULES, only=[RULE])


def notification(date="2023-10-10", text="Transfer-in notification from Eastshire received: Tyler, CP plan (neglect).",
                 on_plan=True, **kw):
    return {"date": date, "contact_type": "letter", "description": text, "on_cp_plan": on_plan, **WEST, **kw}


def conference(date, who=WEST, text="Transfer-in child protection conference. Plan continues, neglect."):
    return {"date": date, "contact_type": "cp_conference", "escalation": "cp_conference", "description": text,
            "on_cp_plan": True, **who}


def later(date="2024-02-20"):
    """A contact after the deadline, so the review period does not end inside the window."""
    return {"date": date, "agency": "GP", "agency_kind": "health", "contact_type": "clinic_appointment",
            "on_cp_plan": True}


def test_late_conference_is_flagged_with_its_delay_and_high_past_twice_the_window():
    # 10 Oct 2023 + 15 working days = 31 Oct; the conference on 29 Nov is 36 working days after the notification
    flags = flags_of([notification(), conference("2023-11-29"), later()])
    assert len(flags) == 1
    f = flags.iloc[0]
    assert f["trigger_event_id"] == "C1-e001" and f["actual_action_event_id"] == "C1-e002"
    assert f["expected_by"] == pd.Timestamp("2023-10-31") and f["delay_days"] == 29
    assert f["severity"] == "high"
    assert "came on 29 Nov 2023, 29 calendar days late (36 working days after the notification)" in f["explanation"]


def test_late_within_twice_the_window_is_medium():
    flags = flags_of([notification(), conference("2023-11-07"), later()])  # 20 working days
    assert list(flags["severity"]) == ["medium"] and flags["delay_days"].iloc[0] == 7


def test_conference_in_time_is_not_flagged():
    # the 15th working day after 10 Oct 2023 is 31 Oct
    assert flags_of([notification(), conference("2023-10-31"), later()]).empty


def test_no_conference_before_the_review_end_is_flagged_missing():
    flags = flags_of([notification(), later("2024-02-20")])
    assert len(flags) == 1
    f = flags.iloc[0]
    assert f["actual_action_event_id"] == "" and pd.isna(f["delay_days"]) and f["severity"] == "high"
    assert "none is recorded by the end of the review period on 20 Feb 2024" in f["explanation"]


def test_deadline_after_the_review_end_is_not_flagged():
    # the records end on 20 Oct 2023, inside the 15 working days: not (yet) a missed point
    assert flags_of([notification(), later("2023-10-20")]).empty


def test_no_plan_open_and_none_in_the_text_is_not_flagged():
    rows = [notification(text="Transfer-in notification from Eastshire received: family known, CIN plan.",
                         on_plan=False), later()]
    assert flags_of(rows).empty


def test_a_plan_named_in_the_notification_is_enough():
    rows = [notification(text="Notification of transfer from Eastshire: Tyler and Poppy subject to CP plans.",
                         on_plan=False), later()]
    assert len(flags_of(rows)) == 1
    negated = [notification(text="Notification of transfer from Eastshire: Tyler is not subject to a CP plan.",
                            on_plan=False), later()]
    assert flags_of(negated).empty


def test_the_sending_authority_record_and_a_declined_transfer_are_no_trigger():
    sent = {**notification("2023-10-09", "Family moved. Transfer-in notification sent to Westshire CSC with CP plan."),
            **EAST}
    assert flags_of([sent, later()]).empty
    declined = notification(text="Transfer-in request declined: family not resident in Westshire. CP plan.")
    assert flags_of([declined, later()]).empty


def test_another_agency_conference_does_not_meet_it_and_a_reminder_is_the_same_transfer():
    school = {"agency": "Kingsway Academy", "agency_kind": "education"}
    rows = [notification(), conference("2023-10-20", who=EAST, text="Review child protection conference."),
            conference("2023-10-20", who=school, text="Transfer-in child protection conference attended."),
            notification("2023-10-24", "Transfer-in request from Eastshire chased: CP plan."), later()]
    flags = flags_of(rows)
    assert list(flags["trigger_date"]) == [pd.Timestamp("2023-10-10")]  # one flag, from the first notification
    assert flags["actual_action_event_id"].iloc[0] == ""


def test_a_case_rules_yml_can_change_the_window():
    rules = load_rules()
    rules["rules"][RULE]["params"]["working_days"] = 40
    flags = detect(make_timeline([notification(), conference("2023-11-29"), later()], dob="2014-09-15"), None,
                   rules, only=[RULE])
    assert flags.empty
