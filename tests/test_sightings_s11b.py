"""Sightings read from the row when the Child seen cell is empty (review.sightings): the reading of many
realistic texts, the recorded cell always winning and kept apart from the reading, and the effect on
child_not_seen end to end (a chronology with no Child seen column)."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from review.pipeline import analyse, load_case
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.sightings import inferred_sightings, read_sighting

RULES = load_rules()

SEEN = [
    ("assessment", "", "Initial assessment completed. Child seen."),
    ("home_visit", "", "Home visit by social worker. Child seen and spoken to; appeared well cared for."),
    ("clinic_appointment", "", "Seen and examined by GP, chest clear, no concerns."),
    ("clinic_appointment", "", "Baby examined: weight 6.2kg, on the 25th centile."),
    ("home_visit", "", "Child observed playing on the floor, interacting well with mother."),
    ("home_visit", "", "Child seen alone in his bedroom, said he is happy at home."),
    ("home_visit", "", "No concerns noted. Child seen."),
    ("home_visit", "", "Mother not at home; child seen at nursery later that day."),
    ("other", "", "Early help visit. Mother says she is coping; Kai seen playing."),
    ("clinic_appointment", "", "Developmental check: seen with mother, weighed and measured."),
    ("ae_attendance", "", "Attended A&E with mother after a fall from the sofa. Small bruise to forehead."),
    ("ae_attendance", "", "Brought to the emergency department by ambulance."),
    ("admission", "", "Admitted to the children's ward with bronchiolitis."),
    ("cp_medical", "", "Child protection medical undertaken by the paediatrician."),
    # a cue wins over a was_not_brought tag: the appointment missed earlier is mentioned, the child is seen
    ("clinic_appointment", "was_not_brought", "Previous DNA noted. Child seen and examined today."),
]
NOT_SEEN = [
    ("home_visit", "child_not_seen", "Home visit: child asleep, not seen."),
    ("home_visit", "child_not_seen", "Child not seen - mother said he was at his grandmother's."),
    ("home_visit", "child_not_seen", "Unannounced visit. Unable to see child, mother would not open the door."),
    ("clinic_appointment", "was_not_brought", "Was not brought to the clinic appointment."),
    ("clinic_appointment", "was_not_brought", "Did not attend. Letter sent offering a new appointment."),
    ("was_not_brought", "was_not_brought", "DNA"),
    ("was_not_brought", "", "Appointment missed."),
    # the text's denial wins over a type the child is usually present at
    ("ae_attendance", "child_not_seen", "Mother attended A&E alone; child not seen."),
]
UNKNOWN = [
    ("clinic_appointment", "", "Child not examined as mother declined."),
    ("clinic_appointment", "", "Child seen: no"),
    ("phone_call", "", "Telephone call with mother about housing."),
    ("home_visit", "", "Home visit, no answer at the door. Card left."),
    ("letter", "", "Letter to GP requesting a report for the conference."),
    ("ae_attendance", "", "Letter from A&E received about the attendance on 3/4."),
    ("ae_attendance", "", "Notification of A&E attendance received from the hospital."),
    ("admission", "", "Discharge summary received: admitted 2 days with gastroenteritis."),
    ("strategy_discussion", "", "Strategy discussion held; section 47 enquiry agreed."),
    ("referral", "", "Referral received from the school about attendance."),
]


@pytest.mark.parametrize("contact_type, concerns, text", SEEN)
def test_rows_recording_a_sighting_read_as_seen(contact_type, concerns, text):
    assert read_sighting(contact_type, concerns, text) is True


@pytest.mark.parametrize("contact_type, concerns, text", NOT_SEEN)
def test_rows_recording_the_child_not_seen_read_as_not_seen(contact_type, concerns, text):
    assert read_sighting(contact_type, concerns, text) is False


@pytest.mark.parametrize("contact_type, concerns, text", UNKNOWN)
def test_rows_saying_nothing_of_a_sighting_stay_unknown(contact_type, concerns, text):
    assert read_sighting(contact_type, concerns, text) is None


def test_the_action_is_read_too():
    assert read_sighting("home_visit", "", "Home visit with mother.", "Child seen; to visit again in 10 days.") is True


def test_ingest_tags_the_denials_the_reading_relies_on(tmp_path):
    """The not-seen and was-not-brought denials come from ingest's concern tags, read from the text."""
    case = _case(tmp_path, [
        ("01/03/2023", "Home visit", "Home visit: child asleep, not seen."),
        ("02/03/2023", "Clinic", "Was not brought to the clinic appointment."),
        ("03/03/2023", "Clinic", "Bruising: not seen on examination. Seen and examined by GP."),
    ])
    tl = analyse(load_case(case)).timeline.sort_values("date")
    assert tl["child_seen"].isna().all()  # nothing recorded: the column is not made up
    assert list(tl["child_seen_inferred"].astype(object)) == [False, False, True]


def test_a_recorded_cell_wins_and_the_reading_is_kept_apart():
    frame = pd.DataFrame({
        "child_seen": pd.array([False, True, pd.NA, pd.NA], dtype="boolean"),
        "contact_type": ["ae_attendance", "home_visit", "ae_attendance", "home_visit"],
        "concerns": ["", "child_not_seen", "", ""],
        "description": ["A&E attendance.", "Child not seen.", "A&E attendance.", "Home visit."],
        "action": ["", "", "", ""],
    })
    out = inferred_sightings(frame)
    assert list(out.astype(object)) == [pd.NA, pd.NA, True, pd.NA]
    assert list(frame["child_seen"].astype(object)) == [False, True, pd.NA, pd.NA]  # untouched


def test_each_distinct_row_is_read_once_and_gives_the_row_by_row_reading():
    rows = SEEN + NOT_SEEN + UNKNOWN
    frame = pd.DataFrame({
        "child_seen": pd.array([pd.NA] * (3 * len(rows)), dtype="boolean"),
        "contact_type": [r[0] for r in rows] * 3,
        "concerns": [r[1] for r in rows] * 3,
        "description": [r[2] for r in rows] * 3,
        "action": [""] * (3 * len(rows)),
    })
    got = [None if pd.isna(v) else bool(v) for v in inferred_sightings(frame).astype(object)]
    assert got == [read_sighting(*r) for r in rows] * 3


# --- end to end -----------------------------------------------------------------------------------
PLAN = {"agency": "Children's Social Care", "agency_kind": "social care"}
HOSPITAL = {"agency": "Northgate Hospital", "agency_kind": "health"}


def _plan_rows(middle):
    """A child on a plan from 1 March (conference), contacts in `middle`, a core group on 29 April."""
    return ([{"date": "2023-03-01", "contact_type": "cp_conference", "child_seen": True, **PLAN,
              "description": "Initial child protection conference: child made subject of a child protection plan."}]
            + middle
            + [{"date": "2023-04-29", "contact_type": "core_group", **PLAN, "description": "Core group meeting."}])


def _not_seen(rows, *, read=True):
    """The gap flags of child_not_seen (the child on a plan throughout); `read=False`: as before the rows
    were read (no child_seen_inferred)."""
    tl = make_timeline([{**r, "on_cp_plan": True} for r in rows])
    if not read:
        tl["child_seen_inferred"] = pd.array([pd.NA] * len(tl), dtype="boolean")
    flags = detect(tl, None, RULES, only=["child_not_seen"])
    return flags[flags["variant"].isin(["cp_plan", "cp_plan_at_review_end"])] if "variant" in flags else flags[
        flags["explanation"].str.contains("no agency had recorded seeing the child|without a sighting recorded by any agency")]


def test_a_and_e_attendances_without_a_child_seen_cell_are_sightings():
    middle = [{"date": "2023-03-10", "contact_type": "ae_attendance", **HOSPITAL,
               "description": "Attended A&E with mother: fall from the sofa, small bruise to forehead."},
              {"date": "2023-03-20", "contact_type": "ae_attendance", **HOSPITAL,
               "description": "Re-attended A&E: vomiting. Discharged home."},
              {"date": "2023-03-30", "contact_type": "home_visit", **PLAN,
               "description": "Home visit. Initial assessment completed. Child seen."},
              {"date": "2023-04-10", "contact_type": "clinic_appointment", **HOSPITAL,
               "description": "Fracture clinic: seen and examined."},
              {"date": "2023-04-20", "contact_type": "home_visit", **PLAN,
               "description": "Child seen alone in his bedroom."}]
    assert _not_seen(_plan_rows(middle)).empty
    # the same rows, read only by their (empty) Child seen cells: the false "not seen" flag of before
    before = _not_seen(_plan_rows(middle), read=False)
    assert len(before) == 1
    assert "no agency had recorded seeing the child on a child protection plan for 19 days (last recorded sighting 1 Mar 2023" in before.iloc[0].explanation


def test_the_gap_flag_still_fires_when_nobody_saw_the_child():
    middle = [{"date": "2023-03-10", "contact_type": "home_visit", "concerns": "child_not_seen", **PLAN,
               "description": "Home visit: child asleep, not seen."},
              {"date": "2023-03-20", "contact_type": "phone_call", **PLAN,
               "description": "Telephone call with mother."},
              {"date": "2023-03-30", "contact_type": "ae_attendance", **PLAN,
               "description": "Notification of A&E attendance received from the hospital."}]
    flags = _not_seen(_plan_rows(middle))
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e003"  # the first contact past 14 days (20 March)
    assert "no sighting recorded" in flag.explanation or "last recorded sighting 1 Mar 2023" in flag.explanation


def test_a_recorded_no_wins_over_an_a_and_e_type():
    middle = [{"date": "2023-03-10", "contact_type": "ae_attendance", "child_seen": False, **HOSPITAL,
               "description": "Mother attended A&E with her own injury."},
              {"date": "2023-03-20", "contact_type": "phone_call", **PLAN, "description": "Call to mother."}]
    assert len(_not_seen(_plan_rows(middle))) == 1


def test_days_since_child_seen_counts_the_read_sightings(tmp_path):
    case = _case(tmp_path, [
        ("01/03/2023", "Home visit", "Child seen and examined."),
        ("20/03/2023", "A&E attendance", "Attended A&E with mother: fall from sofa."),
        ("25/03/2023", "Telephone", "Telephone call with mother."),
    ])
    tl = analyse(load_case(case)).timeline.sort_values("date")
    assert list(tl["days_since_child_seen"].astype(object)) == [pd.NA, 19, 5]


def test_the_row_by_row_baseline_reads_and_flags_the_same_with_blank_cells():
    """The synthetic chronologies fill Child seen on every visit and attendance: with a third of the cells
    blanked the reading decides many sightings, and the baseline gives the same readings and flags."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import baseline_rowwise

    from review.store import case_configs, timeline_many
    from review.synth import synth_contacts

    contacts, cases, _ = synth_contacts(60, 11)
    contacts = contacts.copy()
    blank = pd.util.hash_pandas_object(contacts["event_id"], index=False).to_numpy() % 3 == 0
    seen = contacts["child_seen"].copy()
    seen[blank] = pd.NA
    contacts["child_seen"] = seen
    timeline = timeline_many(contacts, cases)
    flags = detect(timeline, case_configs(cases), RULES)
    rows, info = baseline_rowwise.rows_and_cases(contacts, cases)
    base, base_flags = baseline_rowwise.run(rows, info, RULES)
    assert [r["event_id"] for r in base] == list(timeline["event_id"])
    expected = [None if pd.isna(v) else bool(v) for v in timeline["child_seen_inferred"].astype(object)]
    assert [r["child_seen_inferred"] for r in base] == expected
    assert sum(v is True for v in expected) > 50 and sum(v is False for v in expected) > 5
    since = [None if pd.isna(v) else v for v in timeline["days_since_child_seen"].astype(object)]
    assert [r["days_since_child_seen"] for r in base] == since
    for rule_id in ("child_not_seen", "was_not_brought"):
        lib = flags[flags["rule_id"] == rule_id]
        want = sorted(zip(lib["flag_id"], lib["actual_action_event_id"].fillna("")))
        got = sorted((f["flag_id"], f["actual_action_event_id"] or "") for f in base_flags if f["rule_id"] == rule_id)
        assert got == want, rule_id


def _case(tmp_path, rows) -> Path:
    """A case folder with one csv of no Child seen column."""
    folder = tmp_path / "case"
    folder.mkdir()
    lines = ["Date,Agency,Type of contact,Details of contact"]
    lines += [f'{d},Northgate Hospital,{t},"{text}"' for d, t, text in rows]
    (folder / "hospital.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "case.yml").write_text("case_id: T1\ndate_of_birth: 2022-06-01\nreview_date: 2023-12-31\n",
                                     encoding="utf-8")
    return folder
