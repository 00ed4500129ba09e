"""QA5 (s19): who saw the child, hospital stays, referrals.

- A hospital's, a paediatrician's or an ED's record whose text says the child was admitted ("Seen on the children's
  ward ... Admitted.") starts a hospital stay, which ends at a discharge, else at the child's next recorded
  whereabouts, else at the end of the review; child_not_seen counts the days of a stay as days seen (Jordan's
  false child_not_seen #10).
- A nursery's or a school's attendance register "Attended: Yes" week is a sighting (Amara's register).
- A report of who else has not seen the child ("Call from neighbour: boy not seen for months") is not this
  contact's sighting; a PPN to MASH is a referral to children's social care (Jordan's police 18 Jul, J5).
- A face-to-face GP or dental appointment recording an examination or an observation of the child is a sighting
  ("Looks thin", "Check-up. Multiple caries"); a phone consultation or a parent's own appointment is not.
The row-by-row reading (`read_sighting`, the baseline's) and the table's (`inferred_sightings`) agree.
"""
from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig, package_data
from review.rules import detect, load_rules
from review.schema import CONTACT_COLUMNS, conform
from review.sightings import attended_seen, inferred_sightings, read_sighting, sighting_status, with_child_names
from review.timeline import admitted_in_text, build_timeline, periods
from review.vocab import detect_escalation

JORDAN = with_child_names("", "Jordan Pryce")
RULES = load_rules()


# --- 1. an admission written in a record's text ----------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Seen on children's ward after police concern for welfare. CP medical completed. . Admitted. Discussed with CSC.",
    "Head injury . Admitted to ward 4 for observation",
    "Admitted for observation overnight",
    "Kept in overnight for obs",
    "Admitted to the children's ward under paediatrics",
])
def test_an_admission_to_a_ward_is_read_from_the_text(text):
    assert admitted_in_text(text)


@pytest.mark.parametrize("text", [
    "Not admitted . home with mother",
    "Child not admitted to ward",
    "Admission to ward not required, discharged home",
    "Mum admitted hitting him with a belt . ",
    "Mother admitted to the social worker that she had left him alone",
    "Admitted to the mother that the bruise was not accidental",
    "Seen in clinic . Review in 4 weeks",
])
def test_no_admission_is_read_where_the_text_records_none(text):
    assert not admitted_in_text(text)


CASE = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2013, 1, 1),
                  review_date=dt.date(2022, 9, 30))
PAEDS = dict(agency="Community Paediatrics", agency_kind="health", organisation="Riverside", source_file="p.docx")
CSC = dict(agency="Children's Social Care", agency_kind="social care", organisation="", source_file="csc.xlsx")
SCHOOL = dict(agency="Oakfield Primary", agency_kind="education", organisation="", source_file="school.xlsx")


def contact(event_id, date, agency, contact_type="other", description="", action="", row=2, **extra):
    return dict(case_id="c1", event_id=event_id, date=date, date_precision="day", contact_type=contact_type,
                description=description, action=action, source_row=row, **agency, **extra)


def contacts(*rows):
    return conform(pd.DataFrame(list(rows)), CONTACT_COLUMNS)


MEDICAL = "Seen on children's ward after police concern for welfare. Malnourished, weight 19.8kg."


def jordan_like(action="Admitted. Discussed with children's social care.", later=()):
    return contacts(
        contact("s1", "2022-06-20", SCHOOL, description="Jordan very thin, eating from bins at lunchtime.",
                child_seen=True, concerns="neglect; weight_loss"),
        contact("p1", "2022-07-19", PAEDS, "cp_medical", MEDICAL, action, concerns="neglect"),
        contact("c1", "2022-07-20", CSC, "strategy_discussion", "Strategy discussion with police and paediatrics.",
                "Section 47 enquiry", concerns="neglect"),
        *later,
    )


def test_a_cp_medical_saying_admitted_starts_a_stay_to_the_end_of_the_review():
    timeline = build_timeline(jordan_like(), CASE)
    stays = periods(timeline, CASE)
    stays = stays[stays["kind"] == "hospital"]
    assert stays[["start", "end", "evidence_event_ids"]].values.tolist() == [
        [pd.Timestamp("2022-07-19"), pd.Timestamp("2022-09-30"), "p1"]]  # no discharge, nothing after: the review end
    assert timeline.set_index("event_id")["in_hospital"].to_dict() == {"s1": False, "p1": True, "c1": True}


def test_the_stay_ends_at_the_childs_next_recorded_whereabouts():
    later = [contact("c2", "2022-08-10", CSC, "home_visit", "Home visit to foster placement.",
                     child_seen=True, concerns="neglect")]
    stays = periods(build_timeline(jordan_like(later=later), CASE), CASE)
    # the day before the child was seen at the foster placement
    assert stays.loc[stays["kind"] == "hospital", "end"].tolist() == [pd.Timestamp("2022-08-09")]


def test_without_admitted_in_the_text_there_is_no_stay():
    stays = periods(build_timeline(jordan_like("Discussed with children's social care."), CASE), CASE)
    assert (stays["kind"] == "hospital").sum() == 0


def test_a_discharge_or_a_conference_saying_admitted_starts_no_stay():
    frame = contacts(
        contact("d1", "2022-07-22", PAEDS, "discharge", "Discharge summary: admitted for observation 3 days.",
                "Discharged home"),
        contact("k1", "2022-08-01", CSC, "cp_conference", "Conference. Mum admitted to ward staff she had hit him.",
                "Admitted."),
    )
    stays = periods(build_timeline(frame, CASE), CASE)
    assert (stays["kind"] == "hospital").sum() == 0


def unseen_flags(frame):
    flags = detect(build_timeline(frame, CASE), CASE, RULES, only=["child_not_seen"])
    return flags[flags["rule_id"] == "child_not_seen"]


def test_child_not_seen_counts_the_days_in_hospital_as_seen():
    # was: "No sighting of the child with concerns open is recorded between the last sighting on 19 Jul 2022 and
    # the end of the review on 30 Sep 2022: 73 days" (Jordan #10); the child was on the ward
    assert unseen_flags(jordan_like()).empty
    # the same records with no admission: flagged, as before
    flags = unseen_flags(jordan_like("Discussed with children's social care."))
    assert len(flags) == 1 and "end of the review" in flags.iloc[0]["explanation"]


def test_a_gap_after_the_stay_is_counted_from_its_last_day_and_says_so():
    later = [contact("c2", "2022-07-25", CSC, "home_visit", "Home visit: no reply, child not seen.",
                     child_seen=False, concerns="neglect"),
             contact("c3", "2022-09-20", CSC, "phone_call", "Phoned mother, no answer.", concerns="neglect")]
    flags = unseen_flags(jordan_like(later=later))
    gap = flags[flags["explanation"].str.startswith("When")]
    assert len(gap) == 1
    assert "last recorded sighting 19 Jul 2022 (admitted; in hospital until 24 Jul 2022)" in gap.iloc[0]["explanation"]
    assert gap.iloc[0]["expected_by"] == pd.Timestamp("2022-09-04")  # 24 Jul + 42 days, not 19 Jul + 42


# --- 2. an attendance register's "Yes" week -------------------------------------------------------------
def test_a_nursery_register_yes_is_a_sighting_by_the_setting():
    assert attended_seen("other", "", "", "", agency_kind="education")
    assert attended_seen("other", "", "Week commencing 03/02/2020", "", agency_kind="education")
    # not a phone call or a letter, nor a health agency's "other" row (only its clinic appointments)
    assert not attended_seen("phone_call", "", "", "", agency_kind="education")
    assert not attended_seen("letter", "", "", "", agency_kind="education")
    assert not attended_seen("other", "", "", "", agency_kind="health")
    assert not attended_seen("other", "", "Telephone call re attendance", "", agency_kind="education")


def write_register(tmp_path, attended=("Yes", "No", "Present", "Absent")):
    (tmp_path / "case.yml").write_text(textwrap.dedent("""\
        case_id: N1
        child_name: Amara Lowe
        date_of_birth: '2019-01-20'
        review_date: '2020-05-21'
        files:
        - path: nursery.csv
          agency: Little Stars Day Nursery
        """), encoding="utf-8")
    rows = "".join(f"{d},3,{a}\n" for d, a in zip(("30/09/2019", "07/10/2019", "14/10/2019", "21/10/2019"), attended))
    (tmp_path / "nursery.csv").write_text("Date,Sessions booked,Attended\n" + rows, encoding="utf-8")
    return tmp_path


def test_an_attendance_register_read_from_a_case_folder(tmp_path):
    from review.pipeline import analyse, load_case

    case = load_case(write_register(tmp_path))
    timeline = analyse(case).timeline.sort_values("date")
    assert (timeline["agency_kind"] == "education").all()
    # was: Yes weeks blank (not a sighting), No weeks missed and not seen; "Present" reads as "Yes", "Absent" as "No"
    assert [None if v is pd.NA else bool(v) for v in timeline["child_seen"]] == [True, None, True, None]
    assert sighting_status(timeline).tolist() == ["seen", "not seen (read from the text)", "seen",
                                                  "not seen (read from the text)"]
    assert timeline["contact_type"].tolist()[1::2] == ["was_not_brought", "was_not_brought"]


# --- 3. someone else's "not seen"; a PPN ----------------------------------------------------------------
POLICE = ("Call from neighbour: boy at address not seen for months, shouting heard. Officers attended. Jordan (9) "
          "found in bedroom, extremely thin, soiled bedding.")


@pytest.mark.parametrize("contact_type, concerns, description, action, expected", [
    ("police_callout", "child_not_seen; neglect", POLICE, "PPN submitted to MASH.", True),  # was False
    ("police_callout", "child_not_seen", "Caller reports child not seen. Officers attended, no reply.", "", None),
    ("home_visit", "child_not_seen", "School say Jordan not seen for 3 weeks. Home visit, Jordan seen in his room.",
     "", True),
    # this contact's own "not seen" still denies
    ("home_visit", "child_not_seen", "Home visit. Child not seen, mother said asleep.", "", False),
    ("home_visit", "child_not_seen", "Child not seen.", "Mum says he is at nan's.", False),
    ("home_visit", "child_not_seen", "Neighbour says boy not seen for months. Home visit: child not seen.", "", False),
])
def test_someone_elses_not_seen_is_not_this_contacts_denial(contact_type, concerns, description, action, expected):
    assert read_sighting(contact_type, concerns, description, action, vocab=JORDAN) is expected
    frame = pd.DataFrame([dict(contact_type=contact_type, concerns=concerns, description=description, action=action)]
                         * 2)
    frame["child_seen"] = pd.array([pd.NA, pd.NA], dtype="boolean")
    read = inferred_sightings(frame, JORDAN)
    assert [None if v is pd.NA else bool(v) for v in read] == [expected, expected]


@pytest.mark.parametrize("text, expected", [
    ("Police protection powers used. PPN submitted to MASH.", True),
    ("Submitted a PPN to MASH re neglect", True),
    ("Merlin raised for children's social care", True),
    ("PPN received: concern for welfare", False),  # social care's receipt, not a referral it made
    ("PPN not submitted", False),
])
def test_a_ppn_to_mash_is_a_referral_to_childrens_social_care(text, expected):
    found = detect_escalation("police_callout", text, package_data("vocab.yml")) or ""
    assert ("referral_to_csc" in found.split("; ")) is expected


# --- 4. an examination or observation at a face-to-face appointment -------------------------------------
@pytest.mark.parametrize("contact_type, concerns, description, action, expected", [
    ("clinic_appointment", "weight_loss", "Mum reports Jordan fussy eater, autistic, will only eat beige foods. "
     "Weight 23.0kg. Looks thin.", "Dietary advice. Review 4 weeks.", True),
    ("clinic_appointment", "neglect", "Check-up. Multiple caries, poor oral hygiene. Needs treatment under GA (ASD).",
     "Referred for GA list", True),
    ("clinic_appointment", "", "O/E chest clear, ears clear.", "", True),
    # a parent's own appointment, a phone consultation, one with no examination, a missed one
    ("clinic_appointment", "", "Mum attended re low mood. Looks tired.", "Sertraline started", None),
    ("clinic_appointment", "", "Telephone consultation with mum. Looks thin per mum.", "", None),
    ("phone_call", "", "Tel consult with mum, says he looks thin.", "", None),
    ("clinic_appointment", "", "No examination done, prescription issued.", "", None),
    ("clinic_appointment", "", "Repeat prescription issued.", "", None),
    ("was_not_brought", "was_not_brought", "Did not attend dental check up.", "", False),
])
def test_a_clinics_examination_of_the_child_is_a_sighting(contact_type, concerns, description, action, expected):
    assert read_sighting(contact_type, concerns, description, action, vocab=JORDAN) is expected
    frame = pd.DataFrame([dict(contact_type=contact_type, concerns=concerns, description=description,
                               action=action)])
    frame["child_seen"] = pd.array([pd.NA], dtype="boolean")
    value = inferred_sightings(frame, JORDAN)[0]
    assert (None if value is pd.NA else bool(value)) is expected
