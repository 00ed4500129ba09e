"""One event recorded more than once is one event: a record entered twice in one agency's sheet is one
event group (timeline), and the injury pattern counts injury episodes, not reports (one injury recorded
by two hospitals the same day, or by the GP reading the discharge letter, counts once), while a real
second injury, even a day later, still counts."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from review.config import CaseConfig
from review.rules import detect, load_rules
from review.schema import CONTACT_COLUMNS, conform
from review.store import case_configs, timeline_many
from review.timeline import build_timeline, link_events

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
CASE = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2020, 1, 1),
                  review_date=dt.date(2024, 6, 30))

GP = dict(agency="GP", agency_kind="health", organisation="Practice", source_file="gp.xlsx")
NORTHGATE = dict(agency="Northgate Hospital", agency_kind="health", organisation="Northgate", source_file="ng.xlsx")
ST_BRENDANS = dict(agency="St Brendan's Hospital", agency_kind="health", organisation="St B", source_file="sb.xlsx")
CSC = dict(agency="Children's Social Care", agency_kind="social care", organisation="Council", source_file="csc.xlsx")


def contact(event_id, date, agency, contact_type="clinic_appointment", description="", row=2, **extra):
    return dict(
        case_id="c1", event_id=event_id, date=date, date_precision=extra.pop("date_precision", "day"),
        contact_type=contact_type, description=description, source_row=row, **agency, **extra,
    )


def contacts(*rows):
    return conform(pd.DataFrame(list(rows)), CONTACT_COLUMNS)


def groups_of(*rows):
    return build_timeline(contacts(*rows), CASE).set_index("event_id")["event_group"]


def flags_of(rule_id, *rows):
    return detect(build_timeline(contacts(*rows), CASE), CASE, RULES, only=[rule_id])


# --- a record entered twice (timeline) ----------------------------------------------------------------
MISSED = dict(description="Was not brought to appointment.", concerns="was_not_brought", child_seen=False)


def test_a_record_entered_twice_is_one_event_group_and_both_rows_stay():
    timeline = build_timeline(contacts(
        contact("b", "2023-03-01", GP, row=3, **MISSED),
        contact("a", "2023-03-01", GP, row=2, **MISSED),
        contact("c", "2023-03-01", GP, row=4, **MISSED),  # three copies: one group
    ), CASE)
    assert len(timeline) == 3
    assert timeline.set_index("event_id")["event_group"].to_dict() == {"a": "a", "b": "a", "c": "a"}


def test_copies_in_two_files_of_one_agency_are_linked():
    groups = groups_of(contact("a", "2023-03-01", GP, row=2, **MISSED),
                       contact("b", "2023-03-01", {**GP, "source_file": "gp_resent.xlsx"}, row=2, **MISSED))
    assert groups["b"] == "a"


@pytest.mark.parametrize("change", [
    {"action": "Letter sent to parent"},
    {"child_seen": pd.NA},
    {"concerns": ""},
    {"date": "2023-03-01 14:00", "time_known": True},
    {"sequence": 2},
    {"contact_type": "phone_call"},
    {"role": "Practice nurse"},
])
def test_rows_differing_in_any_recorded_cell_are_two_contacts(change):
    first = contact("a", "2023-03-01 09:00", GP, row=2, time_known=True, sequence=1, **MISSED)
    second = {**first, "event_id": "b", "source_row": 3, **change}
    groups = groups_of(first, second)
    assert groups["a"] == "a" and groups["b"] == "b"


@pytest.mark.parametrize("precision", ["month", "year"])
def test_vague_dates_and_blank_texts_are_never_linked(precision):
    vague = dict(date_precision=precision, **MISSED)
    groups = groups_of(contact("a", "2023-03-01", GP, row=2, **vague), contact("b", "2023-03-01", GP, row=3, **vague))
    assert groups["a"] == "a" and groups["b"] == "b"
    groups = groups_of(contact("a", "2023-03-01", GP, row=2), contact("b", "2023-03-01", GP, row=3))
    assert groups["a"] == "a" and groups["b"] == "b"


def test_identical_rows_found_the_same_in_and_out_of_order():
    """build_timeline (rows in chronology order: only runs of neighbours are searched) and link_events on
    the rows shuffled (a hash over all rows) give the same groups, on a table large enough for the Arrow
    paths."""
    rng = np.random.default_rng(7)
    n = 6000
    agencies = [GP, CSC, NORTHGATE]
    rows = [contact(f"e{i:05d}", f"2023-{1 + i % 12:02d}-{1 + int(rng.integers(0, 3)):02d}",
                    agencies[int(rng.integers(0, 3))], row=i + 2,
                    description=["Seen.", "Was not brought.", "Phone call."][int(rng.integers(0, 3))],
                    action=["", "Rebook."][int(rng.integers(0, 2))])
            for i in range(n)]
    frame = contacts(*rows)
    frame["case_id"] = pd.array([f"c{i % 40}" for i in range(n)], dtype="string")
    cases = {f"c{k}": CASE for k in range(40)}
    timeline = build_timeline(frame, cases)
    linked = timeline["event_group"] != timeline["event_id"]
    assert linked.sum() > 100
    shuffled = timeline.sample(frac=1, random_state=3)
    again = link_events(shuffled)
    assert again.to_dict() == shuffled["event_group"].to_dict()


def test_one_missed_appointment_entered_twice_is_not_a_pattern():
    assert flags_of("was_not_brought", contact("a", "2023-03-01", GP, row=2, **MISSED),
                    contact("b", "2023-03-01", GP, row=3, **MISSED)).empty


# --- injury episodes (repeated_injury_or_ae) -------------------------------------------------------------
def bruise(event_id, date, agency, contact_type="ae_attendance", description="Attended with a bruise.", **kw):
    return contact(event_id, date, agency, contact_type, description, concerns=kw.pop("concerns", "bruising"), **kw)


def injury_flags(*rows):
    flags = flags_of("repeated_injury_or_ae", *rows)
    return flags[flags["explanation"].str.contains(" injuries within ")]


def test_one_injury_entered_twice_is_not_a_pattern():
    assert injury_flags(bruise("a", "2023-03-01", GP, row=2), bruise("b", "2023-03-01", GP, row=3)).empty


def test_two_hospitals_records_of_one_transfer_the_same_day_are_one_injury():
    assert injury_flags(
        bruise("a", "2023-03-01", NORTHGATE, description="Attended ED with a bruise to the forehead after a fall."),
        bruise("b", "2023-03-01", ST_BRENDANS, description="Transferred from Northgate ED: bruising to forehead."),
    ).empty


def test_an_attendance_and_the_admission_that_followed_are_one_injury():
    assert injury_flags(bruise("a", "2023-03-01 10:00", NORTHGATE),
                        bruise("b", "2023-03-01 15:00", NORTHGATE, "admission", "Admitted for observation.")).empty


@pytest.mark.parametrize("days_later, flagged", [(0, False), (7, False), (8, True)])
def test_the_gps_record_of_the_discharge_letter_is_the_same_injury(days_later, flagged):
    letter_day = (pd.Timestamp("2023-03-01") + pd.Timedelta(days=days_later)).strftime("%Y-%m-%d")
    flags = injury_flags(bruise("a", "2023-03-01", NORTHGATE),
                         bruise("b", letter_day, GP, "letter", "A&E letter: bruise to forehead."))
    assert (len(flags) == 1) is flagged
    # a discharge letter is a follow-up of the injury (review.rules.episodes, s14): one episode within
    # settings.injury_episodes.followup_window_days, also after correspondence_window_days
    assert injury_flags(bruise("a", "2023-03-01", NORTHGATE),
                        bruise("b", letter_day, GP, "letter", "A&E discharge letter: bruise to forehead.")).empty


def test_a_letter_recorded_by_the_agency_that_saw_the_injury_counts_again():
    """Only another agency's record of a letter is taken as a report of the same injury."""
    flags = injury_flags(bruise("a", "2023-03-01", GP, "clinic_appointment"),
                         bruise("b", "2023-03-02", GP, "letter", "Letter to health visitor about the bruise."))
    assert len(flags) == 1


def test_a_real_second_injury_a_day_later_still_counts():
    flags = injury_flags(bruise("a", "2023-03-01", NORTHGATE),
                         bruise("b", "2023-03-02", GP, "clinic_appointment", "Burn to hand.", concerns="burn"))
    assert len(flags) == 1
    assert flags.iloc[0].explanation.startswith("2 injuries within 90 days (1 Mar 2023 to 2 Mar 2023")
    # the same kind of injury seen again the next day (not a letter about the first) counts too
    assert len(injury_flags(bruise("a", "2023-03-01", NORTHGATE),
                            bruise("b", "2023-03-02", GP, "clinic_appointment", "New bruise on arm."))) == 1


def test_two_kinds_of_injury_the_same_day_are_two_injuries():
    flags = injury_flags(bruise("a", "2023-03-01", NORTHGATE),
                         bruise("b", "2023-03-01", GP, "clinic_appointment", "Burn to hand.", concerns="burn"))
    assert len(flags) == 1


def test_a_letter_never_joins_two_injuries_into_one():
    """The letter joins only the latest report before it (the GP's), so the hospital's bruise and the
    GP's bruise two days later stay two injuries: one flag, triggered by the second."""
    flags = injury_flags(
        bruise("a", "2023-03-01", NORTHGATE),
        bruise("b", "2023-03-03", GP, "clinic_appointment", "Another bruise, on the back."),
        bruise("c", "2023-03-04", CSC, "letter", "Letter from GP: bruising."),
    )
    assert flags["trigger_event_id"].tolist() == ["b"]
    assert flags.iloc[0].explanation.startswith("2 injuries within 90 days (1 Mar 2023 to 3 Mar 2023")


def test_a_letter_with_no_earlier_report_counts_as_an_injury():
    flags = injury_flags(bruise("a", "2023-03-01", GP, "letter", "Letter from nursery: bruise on arm."),
                         bruise("b", "2023-03-20", NORTHGATE))
    assert flags["trigger_event_id"].tolist() == ["b"]


def test_a_pattern_is_flagged_once_not_again_by_the_letter_about_its_last_injury():
    flags = injury_flags(
        bruise("a", "2023-02-10", GP, "clinic_appointment", "Bruise on shin."),
        bruise("b", "2023-03-01", NORTHGATE),
        bruise("c", "2023-03-02", GP, "letter", "A&E discharge letter: bruise."),
    )
    assert flags["trigger_event_id"].tolist() == ["b"]
    assert flags.iloc[0].evidence_event_ids == "a; b"


def test_ae_attendances_are_still_counted_one_per_attendance():
    """The A&E variant counts attendances (event groups): two attendances on consecutive days at the same
    hospital are two, and so are two hospitals' attendances of a transfer."""
    def attendance(event_id, date, agency, text):
        return contact(event_id, date, agency, "ae_attendance", text)

    flags = flags_of("repeated_injury_or_ae",
                     attendance("a", "2023-03-01", NORTHGATE, "Attended with fever."),
                     attendance("b", "2023-03-02", NORTHGATE, "Attended with a cough, reviewed."),
                     attendance("c", "2023-05-01", NORTHGATE, "Attended with a rash."))
    assert flags["explanation"].str.startswith("3 A&E attendances").tolist() == [True]


def test_episodes_equal_the_row_by_row_baseline():
    """Random cases of injury reports, letters and copies: the package's flags equal the row-by-row
    reference (benchmarks/baseline_rowwise.py) for every rule."""
    rng = np.random.default_rng(11)
    agencies = [GP, NORTHGATE, ST_BRENDANS, CSC]
    types = ["ae_attendance", "clinic_appointment", "letter", "discharge", "admission", "home_visit",
             "cp_conference", "strategy_discussion"]
    tags = ["bruising", "burn", "bruising; head_injury", "fracture", ""]
    rows, cases = [], []
    for k in range(60):
        case_id = f"C{k:03d}"
        cases.append({"case_id": case_id, "date_of_birth": pd.Timestamp("2021-01-01"), "mobile_from": pd.NaT,
                      "review_date": pd.Timestamp("2024-06-30")})
        for i in range(int(rng.integers(2, 12))):
            agency = agencies[int(rng.integers(0, len(agencies)))]
            # mostly within two weeks (same-day and letter joins), some months apart (windows, meetings)
            offset = int(rng.integers(0, 14)) if rng.random() < 0.7 else int(rng.integers(0, 200))
            day = (pd.Timestamp("2023-03-01") + pd.Timedelta(days=offset)).strftime("%Y-%m-%d")
            row = contact(f"{case_id}-{i:02d}", day, agency,
                          types[int(rng.integers(0, len(types)))], f"Report {int(rng.integers(0, 3))}",
                          row=i + 2, concerns=tags[int(rng.integers(0, len(tags)))])
            row["case_id"] = case_id
            rows.append(row)
            if rng.random() < 0.15:  # entered twice
                rows.append({**row, "event_id": row["event_id"] + "x", "source_row": 100 + i})
    frame = contacts(*rows)
    cases = pd.DataFrame(cases).astype({"case_id": "string"})
    timeline = timeline_many(frame, cases)
    flags = detect(timeline, case_configs(cases), RULES)
    base_rows, info = baseline_rowwise.rows_and_cases(frame, cases)
    base_timeline, base_flags = baseline_rowwise.run(base_rows, info, RULES)
    by_id = {r["event_id"]: r["event_group"] for r in base_timeline}
    assert timeline.set_index("event_id")["event_group"].to_dict() == by_id
    expected = sorted(zip(flags["rule_id"], flags["flag_id"], flags["trigger_event_id"]))
    got = sorted((f["rule_id"], f["flag_id"], f["trigger_event_id"]) for f in base_flags)
    assert got == expected
    assert (flags["rule_id"] == "repeated_injury_or_ae").sum() > 5


# --- meetings restate injuries (a child protection conference, a core group, a strategy discussion) --------
def test_a_conference_that_discusses_an_earlier_injury_is_not_another_injury():
    flags = injury_flags(
        bruise("a", "2023-03-01", NORTHGATE, description="Burn to the hand, treated."),
        bruise("b", "2023-04-05", CSC, "cp_conference", "ICPC: the burn to the hand in March discussed."),
    )
    assert flags.empty


def test_a_meeting_with_no_earlier_report_of_that_injury_counts_it():
    flags = injury_flags(
        bruise("a", "2023-03-01", NORTHGATE, description="Bruise to the forehead."),
        bruise("b", "2023-04-05", CSC, "strategy_discussion", "Police report a burn to the hand last week.",
               concerns="burn"),
    )
    assert len(flags) == 1
    assert flags.iloc[0].explanation.startswith("2 injuries within 90 days")


def test_an_injury_from_before_the_window_is_not_brought_into_it_by_its_conference():
    """The burn of 1 Mar is restated at the conference of 5 Apr; a bruise on 15 Jun has 1 Mar outside its
    90 days: one injury in its window, not two (the conference is not a second injury)."""
    flags = injury_flags(
        bruise("a", "2023-03-01", NORTHGATE, description="Burn to the hand, treated.", concerns="burn"),
        bruise("b", "2023-04-05", CSC, "cp_conference", "ICPC: the burn discussed.", concerns="burn"),
        bruise("c", "2023-06-15", GP, "clinic_appointment", "Bruise on the arm."),
    )
    assert flags.empty
