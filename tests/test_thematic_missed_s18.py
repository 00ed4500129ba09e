"""A planned face-to-face contact that did not take place (not brought, no access) is a contact at which the
child was not seen in "who saw the child" (s18, thsight item 1)."""
from __future__ import annotations

import pandas as pd

from review.thematic import missed_face_to_face, plot_sightings_by_agency_kind, sightings_by_agency_kind


def _timeline(rows):
    frame = pd.DataFrame(rows, columns=["case_id", "agency_kind", "contact_type", "concerns", "child_seen",
                                        "child_seen_inferred"])
    frame["date"] = pd.Timestamp("2024-01-01")
    frame["child_seen"] = frame["child_seen"].astype("boolean")
    frame["child_seen_inferred"] = frame["child_seen_inferred"].astype("boolean")
    return frame


# 10 health visits at which the baby was seen, then the same two no-access visits recorded two ways
SEEN = [("c1", "health", "home_visit", "", True, None)] * 10
ATTENDED_NO = [("c1", "health", "was_not_brought", "was_not_brought", None, False)] * 2  # "Attended: No"
CHILD_SEEN_NO = [("c1", "health", "home_visit", "was_not_brought", False, None)] * 2     # "Child seen: No"


def test_a_no_access_visit_typed_was_not_brought_counts_as_unseen_face_to_face():
    table = sightings_by_agency_kind(_timeline(SEEN + ATTENDED_NO)).set_index("agency_kind")
    health = table.loc["health"]
    assert health["face_to_face"] == 12
    assert health["face_to_face_missed"] == 2
    assert health["face_to_face_seen_share"] == 10 / 12  # was 10 / 10 = 100%: the missed visits dropped out


def test_the_same_visits_recorded_as_child_seen_no_give_the_same_share():
    attended = sightings_by_agency_kind(_timeline(SEEN + ATTENDED_NO)).iloc[0]
    child_seen = sightings_by_agency_kind(_timeline(SEEN + CHILD_SEEN_NO)).iloc[0]
    for column in ("face_to_face", "face_to_face_missed", "face_to_face_seen_share"):
        assert attended[column] == child_seen[column], column


def test_a_letter_or_a_phone_call_about_a_missed_appointment_is_no_missed_contact():
    rows = _timeline([
        ("c1", "health", "letter", "was_not_brought", None, None),       # "DNA letter sent to mum"
        ("c1", "health", "phone_call", "was_not_brought", False, None),  # "Phoned mum re WNB"
        ("c1", "health", "clinic_appointment", "was_not_brought", None, False),  # "6-8 week check. DNA."
        ("c1", "health", "other", "neglect; was_not_brought", None, False),      # an untyped "WNB" row
        ("c1", "health", "was_not_brought", "", None, False),
    ])
    assert missed_face_to_face(rows).tolist() == [False, False, True, True, True]
    table = sightings_by_agency_kind(rows).iloc[0]
    assert table["face_to_face"] == 3 and table["face_to_face_missed"] == 3
    assert table["face_to_face_seen_share"] == 0.0


def test_a_missed_contact_at_which_the_child_was_seen_after_all_is_seen_not_missed():
    # a row typed was_not_brought whose Child seen cell says Yes: a sighting, not a missed contact
    rows = _timeline([("c1", "health", "was_not_brought", "was_not_brought", True, None),
                      ("c1", "health", "home_visit", "", True, None)])
    table = sightings_by_agency_kind(rows).iloc[0]
    assert table["face_to_face_missed"] == 0
    assert table["face_to_face"] == 1 and table["face_to_face_seen_share"] == 1.0


def test_the_kind_with_unseen_missed_contacts_comes_first_and_the_chart_says_so():
    rows = _timeline(SEEN + ATTENDED_NO + [("c1", "social care", "home_visit", "", True, None)] * 3
                     + [("c1", "social care", "home_visit", "", False, None)])
    table = sightings_by_agency_kind(rows)
    assert table["agency_kind"].tolist() == ["social care", "health"]  # 75% before 83%
    fig = plot_sightings_by_agency_kind(table)
    assert "health saw the child at 10 of 12 contacts (83%), 83% of its face-to-face contacts (2 of them missed" \
        in fig.review_alt_text


def test_no_contact_type_column_leaves_the_missed_count_unknown():
    rows = _timeline(SEEN).drop(columns=["contact_type"])
    table = sightings_by_agency_kind(rows)
    assert table["face_to_face_missed"].isna().all()


def test_sightings_by_case_counts_a_missed_contact_among_the_contacts_and_not_seen():
    from review.thematic import sightings_by_case

    rows = _timeline(SEEN[:2] + ATTENDED_NO)
    rows["date"] = pd.to_datetime(["2024-01-01", "2024-03-01", "2024-01-20", "2024-02-10"])
    table = sightings_by_case(rows).iloc[0]
    assert table["contacts"] == 4 and table["seen"] == 2 and table["seen_share"] == 0.5
    assert table["longest_unseen_days"] == 60  # the missed visits between are no sighting
