"""Sightings of an adolescent (s20, QA10 problem 2, Tyrese's child_not_seen #1, #18, #24, #30):

- social care's record of another agency's notification ("Police notification: missing 12-14/04, found in
  Hartsford", "PPN received: ... located with older males") is the police's sighting, not social care's: unknown;
  a sentence of the row's own after it is still read ("Notification from police. ... Home visit: Tyrese seen");
- the police's "Located 04:30 on the Marlowe estate", "Located 14/04 02:10 at a flat", an interview "with mother
  as appropriate adult", a return home interview at which "Tyrese would not talk", an A&E "Wound sutured" whatever
  notification follows, and a YJS assessment "Tyrese says ..." shared on "by email" are sightings;
- a phone call, a letter, an e-mail stay no sighting.
Both the row-by-row reading (the baseline's) and the table's are checked, and must agree.
"""
import pandas as pd
import pytest

from review.sightings import inferred_sightings, read_sighting, untimed, with_child_names

TYRESE = with_child_names("", "Tyrese Hollins")


def _both(contact_type, description, action, key=TYRESE):
    row = read_sighting(contact_type, "", description, action, vocab=key)
    frame = pd.DataFrame([dict(contact_type=contact_type, concerns="", description=description, action=action)] * 2)
    frame["child_seen"] = pd.array([pd.NA, pd.NA], dtype="boolean")
    table = [None if v is pd.NA else bool(v) for v in inferred_sightings(frame, key)]
    assert table == [row, row]
    return row


@pytest.mark.parametrize("contact_type, description, action, expected", [
    # another agency's notification: not this agency's sighting
    ("referral", "Police notification: missing 12-14/04, found in Hartsford with cash and two phones. County lines "
     "concerns.", "Referred to Exploitation Team. Strategy discussion to be arranged.", None),
    ("referral", "Police notification: missing 27-30/09, found in Hartsford.", "RHI to be offered.", None),
    ("referral", "PPN received: missing episode 28/01, located with older males on the Marlowe estate.",
     "MASH: threshold not met.", None),
    ("referral", "Notification from police: Tyrese found in Hartsford.", "", None),
    # ... but the row's own sentence after it is read
    ("referral", "Notification from police: Tyrese found in Hartsford. Home visit same day: Tyrese seen.", "", True),
    # the police's own finding
    ("police_callout", "Tyrese reported missing by mother, second time. Located 04:30 on the Marlowe estate in the "
     "company of older males.", "Returned home. PPN submitted to MASH.", True),
    ("police_callout", "Tyrese Hollins (14) reported missing 12/04 by mother. Located 14/04 02:10 at a flat in "
     "Hartsford, Eastshire, with cash and two mobile phones.", "Collected by Westshire officers and returned home.",
     True),
    ("arrest", "Arrested in Brackmoor town centre for possession with intent to supply Class A, two phones. "
     "Interviewed with mother as appropriate adult.", "Released under investigation.", True),
    # in person though silent; a phone call is not
    ("home_visit", "Return home interview for 27/09 episode, 17 days after return. Tyrese would not talk.",
     "Continue CIN.", True),
    ("phone_call", "Phone call to mum. Tyrese would not talk.", "", None),
    ("home_visit", "Return home interview by phone. Tyrese would not talk.", "", None),
    # a wound treated at A&E, whatever notification follows; not on a letter
    ("ae_attendance", "Stab wound to left thigh\nTriage notes: Brought in by friends who left. Police informed.",
     "Wound sutured. Discharged 05:30 home alone. Safeguarding liaison notified - no referral.", True),
    ("letter", "Letter to mum re missed appointment. Wound sutured last week.", "", None),
    # the child's words at an assessment, the record shared on by e-mail; an e-mail from school is not
    ("assessment", "AssetPlus: Tyrese says he sells for 'a man from Hartsford' to pay back money.",
     "Shared with CSC exploitation team by email.", True),
    ("assessment", "Email from school: Tyrese says he is being bullied.", "", None),
    ("assessment", "Tyrese says he is being bullied. Assessment by phone.", "", None),
])
def test_notifications_and_adolescent_sightings(contact_type, description, action, expected):
    assert _both(contact_type, description, action) is expected


def test_a_date_before_the_time_is_read_as_if_not_there():
    assert untimed("Located 14/04 02:10 at a flat") == "Located at a flat"
    assert untimed("Located 02:15 on 04/03 in a car") == "Located in a car"
    assert untimed("Missing 14/04, located at home") == "Missing 14/04, located at home"


def test_a_notification_row_no_longer_ends_a_stretch_unseen():
    """The whole reading on a small table: social care's notification row reads unknown, the police's located row
    seen, so `seen_mask` has the police's row alone."""
    from review.sightings import seen_mask

    frame = pd.DataFrame(dict(
        contact_type=["police_callout", "referral"], concerns=["", ""],
        description=["Reported missing. Located 14/04 02:10 at a flat in Hartsford.",
                     "Police notification: missing 12-14/04, found in Hartsford."],
        action=["Returned home.", "Strategy discussion to be arranged."]))
    frame["child_seen"] = pd.array([pd.NA, pd.NA], dtype="boolean")
    frame["child_seen_inferred"] = inferred_sightings(frame, TYRESE)
    assert seen_mask(frame).tolist() == [True, False]


@pytest.mark.parametrize("contact_type, description, action, expected", [
    ("police_callout", "Tyrese reported missing by mother at 23:10. Returned home 14:00 next day.",
     "Missing episode closed. Prevention interview by PCSO.", True),
    ("police_callout", "Tyrese reported missing by mother.", "Prevention interview to be arranged.", None),
    ("phone_call", "Prevention interview by PCSO by phone.", "", None),
    ("police_callout", "Missing since 27/09. Found by police in Hartsford in a car.", "Returned home.", True),
    ("police_callout", "Missing since 27/09. Still missing, not found by police.", "", None),
])
def test_a_prevention_interview_held_and_found_by_police(contact_type, description, action, expected):
    assert _both(contact_type, description, action) is expected
