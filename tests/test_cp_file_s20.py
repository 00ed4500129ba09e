"""cp_file_not_transferred (s20, QA7 Leah): a child leaving a school that held concerns (or with children's social
care involved) for another school, and no record of the child protection file sent or received within 5 working
days of the move, or of the start of the next term for a move in the holidays (KCSIE 2024, Part two); a receiving
school's "CP file not received" is that flag's evidence, or a flag of its own. The row-by-row baseline raises the
same flags."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from review.errors import ConfigError
from review.rules import RULE_IDS, detect, load_rules, merge_rules
from review.rules.cp_file_not_transferred import file_sent_day, next_term_start
from review.rules.testing import make_timeline

from _baseline import baseline_rowwise

RULE = "cp_file_not_transferred"
RULES = load_rules()
OLD = "Hillcrest Academy"
NEW = "Northfield Academy"


def row(date, text="", action="", agency=OLD, kind="education", concerns="", contact_type="other", **more):
    return {"date": date, "agency": agency, "agency_kind": kind, "contact_type": contact_type,
            "concerns": concerns, "description": text, "action": action, **more}


CONCERN = row("2021-02-08", "A friend reported the child said someone at home touches her", "Logged. Monitor.",
              concerns="sexual_abuse")  # e001
MOVE = row("2021-03-15", "Child left Hillcrest: family moved address. Transferring to Northfield Academy.",
           "Pupil records sent.")  # e002 (Monday)


def flags_of(rows, rules=None):
    return detect(make_timeline(rows, dob="2009-04-10"), None, rules or RULES, only=[RULE])


def test_an_in_year_move_with_concerns_and_no_cp_file_sent_is_flagged():
    flags = flags_of([CONCERN, MOVE])
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e002"
    assert flag.expected_by == pd.Timestamp("2021-03-22")  # 5 working days after Monday 15 Mar
    assert flag.evidence_event_ids == "C1-e001; C1-e002"
    assert flag.severity == "medium" and flag.failing_category == "communication"
    assert flag.explanation.startswith(f"{OLD} recorded the child leaving it for another school on 15 Mar 2021 "
                                       "while it held concerns: sexual abuse recorded by it")
    assert "within 5 working days of the move (an in-year transfer), by 22 Mar 2021" in flag.explanation
    # "Pupil records sent" is the pupil file, not the child protection file
    assert flag.explanation.endswith("none is recorded within 120 days of 15 Mar 2021.")


def test_a_file_sent_in_time_answers_it_and_a_date_in_the_text_is_the_day_it_was_sent():
    assert flags_of([CONCERN, MOVE, row("2021-03-17", "CP file sent to Northfield DSL via CPOMS")]).empty
    assert flags_of([CONCERN, row(MOVE["date"], MOVE["description"], "CP file sent 17/03/2021")]).empty
    # (a date after the end of the review, here the last record's day, is not read: the row's own day)
    later = row("2021-06-30", "Attendance 95% this term", agency=NEW)
    late = flags_of([CONCERN, row(MOVE["date"], MOVE["description"], "CP file sent 30/04/2021."), later])
    assert len(late) == 1
    assert late.iloc[0].actual_action_date == pd.Timestamp("2021-04-30") and late.iloc[0].delay_days == 39
    assert "the file's transfer came on 30 Apr 2021, 39 calendar days late." in late.iloc[0].explanation
    # a file still to be sent, or requested, is not sent
    assert len(flags_of([CONCERN, MOVE, row("2021-03-16", "CP file to follow")])) == 1
    assert len(flags_of([CONCERN, MOVE, row("2021-03-16", "Requested CP file by email", agency=NEW)])) == 1


def test_a_move_in_the_summer_holiday_is_due_in_the_first_days_of_the_next_term():
    primary = "Ashbrook Primary School"
    rows = [row("2020-02-24", "Disclosure: he comes into my room at night", "Referred to MASH", agency=primary,
                concerns="sexual_abuse"),
            row("2020-07-20", "Pupil records sent to Hillcrest Academy (Year 7 transfer).", "Records transferred",
                agency=primary)]
    flag = flags_of(rows).iloc[0]
    assert flag.expected_by == pd.Timestamp("2020-09-08")  # 5 working days after Tuesday 1 Sep 2020
    assert "within 5 working days of the start of the next term (1 Sep 2020), by 8 Sep 2020" in flag.explanation
    assert flags_of(rows + [row("2020-09-03", "Child protection file received from Ashbrook", agency=OLD)]).empty


def test_a_receiving_schools_file_not_received_is_the_leavings_evidence_or_a_flag_of_its_own():
    arrival = row("2021-04-19", "Child started Year 7 (in-year transfer from Hillcrest Academy).", "CP file awaited.",
                  agency=NEW)  # e003
    flags = flags_of([CONCERN, MOVE, arrival])
    assert list(flags["trigger_event_id"]) == ["C1-e002"]  # one move, one flag; the arrival is not a leaving
    assert flags.iloc[0].evidence_event_ids == "C1-e001; C1-e002; C1-e003"
    assert f"{NEW} recorded on 19 Apr 2021 that the child protection file had not been received" \
        in flags.iloc[0].explanation
    # no leaving school's record before it: the receiving school's record is a flag of its own
    alone = flags_of([row("2021-04-19", "Child joined Year 7. Child protection file not received from Ashbrook.",
                          "Requested CP file by email.", agency=NEW),
                      row("2021-05-03", "CP file received from Ashbrook", agency=NEW)])
    assert len(alone) == 1 and alone.iloc[0].trigger_event_id == "C1-e001"
    assert alone.iloc[0].actual_action_event_id == "C1-e002" and alone.iloc[0].delay_days == 14
    assert alone.iloc[0].explanation.startswith(f"{NEW} recorded on 19 Apr 2021 that the child's child protection "
                                                "file from the previous school or nursery had not been received")


def test_social_care_involvement_alone_is_a_file_to_send():
    s47 = row("2021-01-05", "Section 47 enquiry started", agency="Westmere Children's Social Care",
              kind="social care", contact_type="s47_enquiry", escalation="s47_enquiry")
    flags = flags_of([s47, MOVE])
    assert len(flags) == 1
    assert "children's social care was involved (5 Jan 2021)" in flags.iloc[0].explanation


def test_no_concerns_home_education_no_forwarding_school_and_arrivals_are_no_trigger():
    # nothing on record: no child protection file to send
    assert flags_of([MOVE]).empty
    # a move to home education or with no forwarding school has no school to send to (withdrawn_with_concerns)
    ehe = row("2021-03-15", "Mum emailed letter deregistering the child to electively home educate. Moving school "
                            "is not planned.", "Off-rolled. LA EHE team notified.")
    nursery = row("2021-03-15", "Mum is withdrawing the child; she is looking after her at home",
                  "Place ended. No forwarding nursery. Transfer to another nursery not known.")
    assert flags_of([CONCERN, ehe]).empty and flags_of([CONCERN, nursery]).empty
    # the receiving school's record of the child arriving is not a leaving
    assert flags_of([row("2021-03-20", "Self-harm seen", agency=NEW, concerns="self_harm"),
                     row("2021-04-19", "Child started Year 7 (in-year transfer from Hillcrest Academy).",
                         "CP file received", agency=NEW)]).empty
    # a partial-date or undated move is not placed (exact days only)
    assert flags_of([CONCERN, row("2021-03", MOVE["description"], date_precision="month")]).empty


def test_reading_helpers():
    assert file_sent_day("Left", "CP file sent 30/04/2021.", dt.date(2021, 3, 15), dt.date(2022, 1, 1)) == \
        dt.date(2021, 4, 30)
    # a date before the row, after the review, or two different dates: the row's own day
    assert file_sent_day("", "CP file sent 01/03/2021", dt.date(2021, 3, 15), None) is None
    assert file_sent_day("", "CP file sent 30/04/2021", dt.date(2021, 3, 15), dt.date(2021, 4, 1)) is None
    assert file_sent_day("CP file sent 20/03/2021", "CP records transferred 25/03/2021", dt.date(2021, 3, 15),
                         None) is None
    days = pd.Series(pd.to_datetime(["2020-07-20", "2021-03-15", "2021-12-20", "2022-01-02", "2021-04-01"]))
    starts = next_term_start(days, {"07-15": "09-01", "12-15": "01-04", "03-28": "04-14"})
    assert list(starts.dt.strftime("%Y-%m-%d").fillna("")) == ["2020-09-01", "", "2022-01-04", "2022-01-04",
                                                                "2021-04-14"]


def test_the_rule_is_registered_configurable_and_can_be_switched_off():
    assert RULE in RULE_IDS
    rules = load_rules()
    rules["rules"][RULE]["enabled"] = False
    assert detect(make_timeline([CONCERN, MOVE]), None, rules).query("rule_id == @RULE").empty
    longer = merge_rules(RULES, {"rules": {RULE: {"params": {"within_working_days": 40}}}}, "rules.yml")
    assert flags_of([CONCERN, MOVE, row("2021-04-30", "CP file sent")], longer).empty
    with pytest.raises(ConfigError, match="term_breaks"):
        merge_rules(RULES, {"rules": {RULE: {"params": {"term_breaks": {"07-15": "13-01"}}}}}, "rules.yml")
    with pytest.raises(ConfigError, match="involvement_escalations"):
        merge_rules(RULES, {"rules": {RULE: {"params": {"involvement_escalations": ["s47"]}}}}, "rules.yml")


@pytest.mark.parametrize("rows", [
    [CONCERN, MOVE],
    [CONCERN, row(MOVE["date"], MOVE["description"], "CP file sent 30/04/2021."), row("2021-06-30", "Attendance")],
    [CONCERN, MOVE, row("2021-03-17", "CP file sent to Northfield")],
    [CONCERN, MOVE, row("2021-04-19", "Child started Year 7 (in-year transfer from Hillcrest Academy).",
                        "CP file awaited.", agency=NEW)],
    [row("2021-04-19", "Child joined. Child protection file not received.", agency=NEW),
     row("2021-05-03", "CP file received", agency=NEW)],
    [row("2021-01-05", "Strategy discussion", agency="CSC", kind="social care", contact_type="strategy_discussion",
         escalation="strategy_discussion"),
     row("2020-07-20", "Pupil records sent (Year 7 transfer)"), row("2020-09-15", "CP file sent")],
])
def test_the_baseline_raises_the_same_flags(rows):
    timeline = make_timeline(rows, dob="2009-04-10")
    package = detect(timeline, None, RULES, only=[RULE])
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    _, base = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2009, 4, 10), "review_date": None}},
                                   RULES)
    base = [f for f in base if f["rule_id"] == RULE]
    assert sorted(package["flag_id"]) == sorted(f["flag_id"] for f in base)
    assert sorted((str(a or ""), e.date(), None if pd.isna(d) else float(d)) for a, e, d in zip(
        package["actual_action_event_id"], package["expected_by"], package["delay_days"])) == \
        sorted((f["actual_action_event_id"] or "", f["expected_by"], f["delay_days"]) for f in base)
