"""Who saw the child (s20, QA7 Leah (c) 1 and the Jordan police row):

- a face-to-face clinic record that opens with the child ("Leah (11) with vaginal discharge", "Leah attended
  drop-in alone"), a sample or a test taken ("Swab taken", "Dipstick positive") with a parent present, and a child
  starting at a school ("Leah started Year 7") are sightings; a parent attending without the child, a phone call,
  a letter, a possessive, "Discussed Leah with mother", "not started" are not;
- a "not seen" that is a neighbour's report ("Call from neighbour: boy at address not seen for months") tags no
  child_not_seen, while a social worker's own "child not seen" after a parent's explanation ("Mother said Kai was
  asleep upstairs and declined to wake him: child not seen") still does.
"""
import pandas as pd
import pytest

from review.config import load_vocab
from review.sightings import inferred_sightings, read_sighting, with_child_names
from review.vocab import tag_concerns

LEAH = with_child_names("", "Leah Corrigan")


def _both(contact_type, concerns, description, action, key=LEAH):
    """The row-by-row reading and the table's, of two copies of the row (they must agree)."""
    row = read_sighting(contact_type, concerns, description, action, vocab=key)
    frame = pd.DataFrame([dict(contact_type=contact_type, concerns=concerns, description=description,
                               action=action)] * 2)
    frame["child_seen"] = pd.array([pd.NA, pd.NA], dtype="boolean")
    table = [None if v is pd.NA else bool(v) for v in inferred_sightings(frame, key)]
    assert table == [row, row]
    return row


@pytest.mark.parametrize("contact_type, concerns, description, action, expected", [
    # QA7 Leah: the GP's face-to-face consultations and the school nurse's drop-in saw her
    ("clinic_appointment", "", "Leah (11) with vaginal discharge and soreness for 2 weeks. Mother present. "
     "Swab taken.", "Review with results", True),
    ("clinic_appointment", "", "Recurrent UTI, 3rd in 4 months. Dipstick positive. Mum and mum's partner present. "
     "Also vaginal soreness.", "Refer paediatric urology. MSU sent.", True),
    ("clinic_appointment", "", "Leah attended drop-in alone, tearful, said she does not like being at home.",
     "Advice given. Follow up in 2 weeks.", True),
    ("clinic_appointment", "", "Leah presents with a rash on her arms.", "", True),
    ("clinic_appointment", "", "Child with cough for 3 days.", "", True),
    # not: a missed one, the child named but not opening a clause, a possessive, a parent's own appointment,
    # a phone consultation, a phone call, a sample still to come
    ("clinic_appointment", "was_not_brought", "Leah did not attend follow-up drop-in.", "", False),
    ("clinic_appointment", "", "Leah did not attend follow-up drop-in.", "", None),
    ("clinic_appointment", "", "Discussed Leah with mother.", "", None),
    ("clinic_appointment", "", "Leah's mum attended with low mood.", "", None),
    ("clinic_appointment", "", "Mum attended re low mood. Looks tired.", "Sertraline started", None),
    ("clinic_appointment", "", "Mum attended without Leah. Swab result discussed.", "", None),
    ("clinic_appointment", "", "Telephone consultation. Leah with rash.", "", None),
    ("phone_call", "", "Mum reports Leah (10) has burning passing urine. Swab taken last week.", "", None),
    ("clinic_appointment", "", "Urine sample to be dropped in.", "", None),
    # a child opening a clause is read only on a clinic appointment: a home visit's text is not a patient's record
    ("home_visit", "", "Leah with mother at the shops.", "", None),
])
def test_a_clinic_record_of_the_child_in_the_room_is_a_sighting(contact_type, concerns, description, action,
                                                                 expected):
    assert _both(contact_type, concerns, description, action) is expected


@pytest.mark.parametrize("contact_type, description, expected", [
    ("other", "Leah started Year 7 (in-year transfer from Hillcrest Academy).", True),
    ("other", "Leah started at Northfield Academy today.", True),
    ("other", "Leah has not started school.", None),
    ("phone_call", "Mum phoned: Leah started at Northfield.", None),
    ("letter", "Letter from school: Leah started Year 7.", None),
    ("other", "Sibling started at Northfield.", None),
])
def test_the_child_starting_at_a_school_is_a_sighting(contact_type, description, expected):
    assert _both(contact_type, "", description, "CP file awaited.") is expected


JORDAN_POLICE = ("Call from neighbour: boy at address not seen for months, shouting heard, child seen at window very "
                 "thin. Officers attended. Jordan (9) found in bedroom, extremely thin, soiled bedding, no food in "
                 "kitchen. Mother Kerry Pryce present.")


@pytest.mark.parametrize("text, tagged", [
    (JORDAN_POLICE, False),
    ("Caller reports child not seen. Officers attended, no reply.", False),
    ("Member of public reports child not seen.", False),
    # the social worker's own "not seen", after a parent's explanation: still this contact's
    ("Statutory visit. Mother said Kai was asleep upstairs and declined to wake him: child not seen.", True),
    ("Unannounced visit. Mother said Kai was staying at his grandmother's over Christmas: child not seen.", True),
    ("Neighbour reported a loud argument. Officers attended: mother and partner both intoxicated. Mother said the "
     "child was asleep upstairs; child not seen by officers.", True),
    ("Home visit. Mother said child was asleep.", True),
    ("Mother refused visit at door, said Jordan 'does not cope with strangers'. Child not seen.", True),
    ("Neighbour says boy not seen for months. Home visit: child not seen.", True),
    ("Child not seen.", True),
])
def test_a_neighbours_not_seen_is_no_child_not_seen_of_this_contact(text, tagged):
    tags = tag_concerns(text, load_vocab())
    assert ("child_not_seen" in tags) is tagged
    # the tag and the sighting agree: a dropped tag is no denial, a kept one is
    seen = read_sighting("home_visit", "; ".join(tags), text)
    if tagged:
        assert seen is False
    else:
        assert seen is not False


def test_the_timeline_reads_the_police_row_and_the_gp_consultation(tmp_path):
    header = "Date,Agency,Type of contact,Details,Action / outcome"
    rows = [f"18/07/2022,Westshire Police,Concern for welfare,\"{JORDAN_POLICE}\",PPN submitted to MASH.",
            "15/09/2020,Riverside Surgery,Face to face consultation,\"Leah (11) with vaginal discharge. Mother "
            "present. Swab taken.\",Review with results",
            "16/09/2020,Riverside Surgery,Telephone consultation,\"Mum: Leah (11) with discharge.\",Advice"]
    (tmp_path / "chronology.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "case.yml").write_text("case_id: c20\nchild_name: Leah Corrigan\ndate_of_birth: 2009-04-10\n"
                                       "review_date: 2022-09-30\n", encoding="utf-8")
    from review.pipeline import analyse, load_case

    timeline = analyse(load_case(tmp_path)).timeline.sort_values("date").reset_index(drop=True)
    assert timeline["contact_type"].tolist() == ["clinic_appointment", "phone_call", "police_callout"]
    seen = [None if v is pd.NA else bool(v) for v in timeline["child_seen_inferred"]]
    assert seen == [True, None, True]
    police = timeline.iloc[2]
    assert "child_not_seen" not in str(police["concerns"])  # was: child_not_seen; neglect; weight_loss
    assert "neglect" in str(police["concerns"])


@pytest.mark.parametrize("description, expected", [
    ("Child seen: no", None),
    ("Leah attended: no", None),
    ("Leah attended: yes", True),
    ("Leah presents with cough, not examined.", True),
])
def test_a_clinic_subject_is_read_with_its_negation(description, expected):
    assert _both("clinic_appointment", "", description, "") is expected


# --- child_not_seen: a stretch ended by a sighting, with no agency holding the case ---------------------
def test_a_stretch_no_agency_held_is_not_flagged_at_the_sighting_that_ended_it():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_child_not_seen_attribution_s18 import GP, HV, OPENED, baseline_of, flags_of, row

    police = {"agency": "Redvale Police", "agency_kind": "police"}
    # the police's concern alone kept the case open (the police see no child on a caseload): the GP's sighting on
    # day 43 ended the stretch; no agency failed to see the child, and the GP that saw it is not blamed (QA7 Leah
    # #7: was a flag at the GP's consultation naming the GP)
    opened = row("2024-03-12", police, True, "Domestic incident, child present.", "police_callout",
                 concerns="domestic_abuse")
    rows = [opened, row("2024-04-24", GP, True, "8 week check. Lily seen.", "clinic_appointment")]
    assert flags_of(rows).empty
    assert baseline_of(rows) == []
    # with the health visitor's concern (an agency holding the case) the stretch is still flagged, against it
    rows = [OPENED, row("2024-04-24", GP, True, "8 week check. Lily seen.", "clinic_appointment")]
    flags = flags_of(rows)
    assert list(flags["agencies"]) == [HV["agency"]]
    assert baseline_of(rows) == [("C1-e002", "open_concerns_seen_late")]
