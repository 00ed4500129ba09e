"""child_not_seen for a stretch (a child protection plan, or concerns open) still running at the end of the
review with no sighting since the limit passed: silence in the records is the "not seen" case (QA2 A10).
The flag is censored at the end of the review (the earlier of the date of death and the review date)."""
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig
from review.rules import detect, load_rules
from review.rules.base import legacy_flag_id
from review.rules.testing import make_timeline
from review.schema import FLAG_COLUMNS

RULES = load_rules()
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
GP = {"agency": "GP", "agency_kind": "health"}
ICPC = "Initial child protection conference: child made subject to a child protection plan (neglect)."
ENDED = "Review child protection conference: plan ended, child in need support."


def config(review="2024-06-30", death=None):
    day = lambda d: pd.Timestamp(d).date() if d else None  # noqa: E731
    return CaseConfig(case_dir=".", case_id="C1", date_of_birth=day("2020-01-01"), date_of_death=day(death),
                      review_date=day(review))


def flags_of(rows, case=None, order=None):
    timeline = make_timeline(rows, dob="2020-01-01")
    if order is not None:
        timeline = timeline.iloc[order].reset_index(drop=True)
    # (legacy_ids: the row-based id, the hash of the trigger's event id and the variant, is checked)
    return detect(timeline, case if case is not None else config(), RULES, only=["child_not_seen"], legacy_ids=True)


def at_end(flags):
    return flags[flags["explanation"].str.startswith("No sighting")]


def conference(date, text=ICPC, child_seen=True, **kw):
    return {"date": date, "contact_type": "cp_conference", "description": text, "child_seen": child_seen,
            "on_cp_plan": True, **CSC, **kw}


def contact(date, child_seen=pd.NA, **kw):
    return {"date": date, "contact_type": "phone_call", "child_seen": child_seen, "on_cp_plan": True, **CSC, **kw}


# --- the flag -------------------------------------------------------------------------------------------
def test_plan_with_no_contact_after_it_is_flagged_at_the_end_of_the_review():
    flags = flags_of([conference("2023-03-01")])
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e001"  # the last exact-date contact before the end: a timeline row
    assert flag.trigger_date == pd.Timestamp("2023-03-01")
    assert flag.expected_by == pd.Timestamp("2023-03-15")  # last sighting + 14 days
    assert flag.actual_action_event_id == "" and pd.isna(flag.actual_action_date) and pd.isna(flag.delay_days)
    assert flag.severity == "high" and flag.evidence_event_ids == "C1-e001"
    assert flag.legacy_flag_id == legacy_flag_id("child_not_seen", "C1-e001", "cp_plan_at_review_end")
    assert flag.legacy_flag_id != legacy_flag_id("child_not_seen", "C1-e001", "cp_plan")
    assert ("between the last sighting on 1 Mar 2023 and the end of the review on 30 Jun 2024: 487 days"
            in flag.explanation)
    assert "due by 15 Mar 2023" in flag.explanation
    assert list(flags.columns[: len(FLAG_COLUMNS)]) == list(FLAG_COLUMNS)


def test_plan_start_counts_when_the_child_was_not_seen_at_it():
    flags = flags_of([conference("2024-01-11", child_seen=False)])
    assert len(flags) == 1
    assert flags.iloc[0].expected_by == pd.Timestamp("2024-01-25")
    explanation = flags.iloc[0].explanation
    assert "between the start of the plan (counted from 11 Jan 2024) and the end of the review" in explanation


@pytest.mark.parametrize("review, flagged", [("2023-03-15", False), ("2023-03-16", True)])
def test_limit_must_have_passed_before_the_end_of_the_review(review, flagged):
    flags = flags_of([conference("2023-03-01")], config(review=review))
    assert (len(flags) == 1) is flagged


@pytest.mark.parametrize("death, flagged", [("2023-03-15", False), ("2023-03-16", True)])
def test_the_end_of_the_review_is_the_date_of_death_when_earlier(death, flagged):
    flags = flags_of([conference("2023-03-01")], config(review="2024-06-30", death=death))
    assert (len(flags) == 1) is flagged
    if flagged:
        assert "end of the review on 16 Mar 2023: 15 days" in flags.iloc[0].explanation


def test_a_later_contact_past_the_limit_already_flags_the_stretch():
    flags = flags_of([conference("2023-03-01"), contact("2023-03-20", child_seen=False)])
    assert list(flags["trigger_event_id"]) == ["C1-e002"]
    assert at_end(flags).empty


def test_a_new_gap_after_a_late_sighting_is_flagged_at_the_end():
    rows = [conference("2023-03-01"), contact("2023-03-20", child_seen=True), contact("2023-03-25")]
    flags = flags_of(rows)
    assert len(flags) == 2
    usual = flags[~flags.index.isin(at_end(flags).index)].iloc[0]
    assert usual.trigger_event_id == "C1-e002" and usual.actual_action_event_id == "C1-e002"
    end = at_end(flags).iloc[0]
    assert end.trigger_event_id == "C1-e003" and end.expected_by == pd.Timestamp("2023-04-03")
    assert "last sighting on 20 Mar 2023" in end.explanation


def test_seen_recently_enough_before_the_end_is_no_flag():
    rows = [conference("2023-03-01"), contact("2024-06-20", child_seen=True)]
    flags = flags_of(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e002"] and at_end(flags).empty  # the usual flag only


def test_plan_ended_on_the_last_contact_is_not_running_at_the_end():
    rows = [conference("2023-03-01"), conference("2023-03-10", text=ENDED, child_seen=False)]
    assert flags_of(rows).empty


def test_plan_confirmed_on_the_last_contact_is_running_at_the_end():
    rows = [conference("2023-03-01"), conference("2023-03-10", text="Review conference: child to remain subject "
                                                                      "to a child protection plan.", child_seen=False)]
    flags = flags_of(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e002"] and len(at_end(flags)) == 1


def test_stretch_over_before_the_end_is_not_flagged():
    rows = [conference("2023-03-01"), contact("2023-03-10", child_seen=False, on_cp_plan=False)]
    assert flags_of(rows).empty


def test_contacts_after_the_review_date_do_not_hide_the_gap():
    # the plan closes at the review date; a contact after it is outside the review
    rows = [conference("2023-03-01"), contact("2023-08-01", on_cp_plan=False)]
    flags = flags_of(rows, config(review="2023-06-30"))
    assert list(at_end(flags)["trigger_event_id"]) == ["C1-e001"]


# --- open concerns ----------------------------------------------------------------------------------------
def concern(date, child_seen=True):
    return {"date": date, "contact_type": "clinic_appointment", "child_seen": child_seen, "concerns": "neglect",
            "open_concerns": "neglect", "on_cp_plan": False, **GP}


def unseen_call(date):  # a health visitor's phone call: a contact at which the child was not seen
    return {"date": date, "contact_type": "phone_call", "child_seen": False, "open_concerns": "neglect",
            "on_cp_plan": False, "agency": "Health Visiting", "agency_kind": "health"}


@pytest.mark.parametrize("review, flagged", [("2024-06-12", False), ("2024-06-13", True)])
def test_open_concerns_at_the_end_of_the_review_boundary(review, flagged):
    flags = flags_of([concern("2024-05-01"), unseen_call("2024-05-10")], config(review=review))
    assert (len(flags) == 1) is flagged
    if flagged:
        flag = flags.iloc[0]
        assert flag.severity == "medium" and flag.expected_by == pd.Timestamp("2024-06-12")
        # (s18) the health visitor's call, at which the child went unseen, not the GP's sighting that began it
        assert flag.legacy_flag_id == legacy_flag_id("child_not_seen", "C1-e002", "open_concerns_at_review_end")
        assert "the child with concerns open is recorded between the last sighting on 1 May 2024" in flag.explanation


def test_open_concerns_with_no_contact_missing_the_child_are_no_agencys_failing():
    # (s18) the GP saw the child; no agency had a contact after it: no contact of an agency that did not see the
    # child to flag (the GP's sighting is no failing of the GP's)
    assert flags_of([concern("2024-05-01")], config(review="2024-06-13")).empty


def test_concerns_lapsed_before_the_end_of_the_review_are_not_running():
    # concerns stay open 90 days after they were last recorded (the timeline's window): lapsed by 30 Jun 2024
    assert flags_of([concern("2024-03-01"), unseen_call("2024-03-10")]).empty
    assert len(flags_of([concern("2024-04-01"), unseen_call("2024-04-10")])) == 1


# --- partial dates ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("review, flagged", [("2024-02-14", False), ("2024-02-15", True)])
def test_partial_sighting_counts_at_the_latest_day_of_its_period(review, flagged):
    rows = [conference("2023-12-01"), contact("2024-01-01", child_seen=True, date_precision="month")]
    flags = flags_of(rows, config(review=review))
    assert (len(at_end(flags)) == 1) is flagged
    if flagged:
        flag = at_end(flags).iloc[0]
        # (s18) the plan holder's contact of January 2024, at which the gap begins: the conference of 1 Dec 2023
        # came before that sighting, outside the unseen stretch
        assert flag.trigger_event_id == "C1-e002"
        assert flag.expected_by == pd.Timestamp("2024-02-14")
        assert ("last sighting, recorded for Jan 2024 (a partial date: counted from its latest possible day, "
                "31 Jan 2024)") in flag.explanation


def test_stretch_opened_by_a_partial_date_row_counts_from_its_latest_day():
    rows = [contact("2023-01-01", child_seen=True, on_cp_plan=False),
            conference("2023-03-01", child_seen=False, date_precision="month"), contact("2023-04-05")]
    flags = flags_of(rows, config(review="2023-04-15"))
    assert list(flags["trigger_event_id"]) == ["C1-e003"]
    assert flags.iloc[0].expected_by == pd.Timestamp("2023-04-14")  # 31 Mar + 14 days, never 1 Mar + 14


def test_without_a_review_date_a_partial_last_contact_ends_the_records_at_its_first_day():
    case = CaseConfig(case_dir=".", case_id="C1", date_of_birth=pd.Timestamp("2020-01-01").date())
    # "April 2023": the records end on 1 Apr 2023 for certain (31 days after the sighting)
    flags = flags_of([conference("2023-03-01"), contact("2023-04-01", date_precision="month")], case)
    assert len(flags) == 1 and "end of the review on 1 Apr 2023: 31 days" in flags.iloc[0].explanation
    # "March 2023": 1 Mar, nothing certain beyond it
    assert flags_of([conference("2023-03-01"), contact("2023-03-01", date_precision="month")], case).empty


def test_stretch_with_no_exact_date_contact_is_flagged_at_its_last_row():
    # recorded only as "March 2023": unseen since 31 Mar 2023 at the latest (tests/test_rules_s8.py, section 3)
    flags = flags_of([conference("2023-03-01", date_precision="month")])
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert flags.iloc[0].expected_by == pd.Timestamp("2023-04-14")
    assert "a partial date" in flags.iloc[0].explanation


# --- determinism and the baseline ---------------------------------------------------------------------------
def test_flags_do_not_depend_on_row_order():
    rows = [conference("2023-03-01"), contact("2023-03-20", child_seen=True), contact("2023-03-25"),
            contact("2023-03-25", agency="Police", agency_kind="police")]
    first = flags_of(rows)
    again = flags_of(rows, order=[3, 1, 2, 0])
    pd.testing.assert_frame_equal(first, again)
    assert first["flag_id"].is_unique


def test_baseline_flags_the_stretches_running_at_the_end_as_the_package_does():
    """Synthetic cases cut short before their review date, each given a plan or a recent concern: the
    row-by-row baseline's child_not_seen flags equal the package's, censored ones included."""
    from review.store import case_configs, timeline_many
    from review.synth import synth_contacts

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import baseline_rowwise

    contacts, cases, _ = synth_contacts(24, 5)
    review_dates = cases.set_index("case_id")["review_date"]
    review = contacts["case_id"].map(review_dates)
    contacts = contacts[contacts["date"] <= review - pd.Timedelta(days=120)].reset_index(drop=True)
    last = contacts.sort_values(["case_id", "date", "event_id"]).groupby("case_id").tail(1).reset_index(drop=True)
    added = last.copy()
    added["event_id"] = added["event_id"] + "-added"
    added["contact_type"] = "cp_conference"
    added["description"] = ICPC
    added["action"] = ""
    added["escalation"] = ""
    added["concerns"] = "neglect"
    added["date"] = added["date"] + pd.Timedelta(days=1)
    added["child_seen"] = pd.array([i % 3 != 0 for i in range(len(added))], dtype="boolean")
    odd = added.index % 2 == 1  # half the cases: a concern only, recorded 60 days before the review date
    added.loc[odd, "contact_type"] = "clinic_appointment"
    added.loc[odd, "description"] = "Seen in clinic, neglect concerns noted."
    added.loc[odd, "date"] = added.loc[odd, "case_id"].map(review_dates) - pd.Timedelta(days=60)
    contacts = pd.concat([contacts, added], ignore_index=True)

    flags = detect(timeline_many(contacts, cases), case_configs(cases), RULES, only=["child_not_seen"])
    rows, info = baseline_rowwise.rows_and_cases(contacts, cases)
    _, base = baseline_rowwise.run(rows, info, RULES)

    def key(flag_id, trigger, expected_by, action, delay):
        return (flag_id, str(trigger), pd.Timestamp(expected_by).date(), str(action or ""),
                None if delay is None or pd.isna(delay) else float(delay))

    expected = sorted(key(*r) for r in zip(flags["flag_id"], flags["trigger_event_id"], flags["expected_by"],
                                           flags["actual_action_event_id"], flags["delay_days"]))
    got = sorted(key(f["flag_id"], f["trigger_event_id"], f["expected_by"], f["actual_action_event_id"],
                     f["delay_days"]) for f in base if f["rule_id"] == "child_not_seen")
    assert got == expected
    ended = at_end(flags)
    assert len(ended) >= 6  # the comparison covers plans and open concerns running at the end
    assert ended["explanation"].str.contains("on a child protection plan").any()
    assert ended["explanation"].str.contains("with concerns open").any()
