"""QA12 (SUDI case "Mason Reid", s21): the unborn child and the adults' records read as the child's.

D2 before the birth no record sees (or fails to see) the child: "Seen alone at 27 weeks" is the mother;
child_not_seen counts an unseen stretch from the birth at the earliest and no pre-birth contact triggers it.
D3 a missed antenatal appointment is no "child not brought" (was_not_brought does not flag it; the other rules
word it "a missed antenatal appointment") and an adult service's missed appointment (a father's drug and alcohol
service) is the parent's own: no was_not_brought tag, no missed contact.
D4/D5 before the birth the mother's pregnancy is no sexual activity of the child's and a blow to her ("pushed
her into a wall") is domestic abuse, not the child's non-accidental injury."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from review.pipeline import analyse, load_case
from review.rules import detect, load_rules
from review.rules.base import fmt_tags
from review.rules.testing import make_timeline
from review.timeline import adult_service_rows, before_birth, whose_concerns

from _baseline import baseline_flags
from test_child_not_seen_attribution_s18 import CSC as S18_CSC, HV, baseline_of, flags_of, row

RULES = load_rules()
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
POLICE = {"agency": "Police", "agency_kind": "police", "contact_type": "police_callout"}
MIDWIFE = {"agency": "Maternity", "agency_kind": "health", "contact_type": "clinic_appointment"}


def _case(case_dir: Path, files: dict) -> Path:
    case_dir.mkdir(parents=True)
    raw = {"case_id": "mr", "child_name": "Mason Reid", "child_sex": "male", "date_of_birth": "2023-06-12",
           "review_date": "2023-10-31",
           "people": {"Mason Reid": "Child", "Kayleigh Reid": "Mother", "Connor Doyle": "Father"},
           "files": [{"path": name, "agency": agency} for name, (agency, _) in files.items()]}
    (case_dir / "case.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    for name, (_, rows) in files.items():
        with open(case_dir / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([["Date", "Type", "Details", "Outcome"], *rows])
    return case_dir


def _analysis(tmp_path):
    return analyse(load_case(_case(tmp_path / "c", {
        "gp.csv": ("Ashby Road Surgery", [
            ["10/01/2023", "Consultation", "Kayleigh, 17. Positive pregnancy test.", "Refer to midwife."]]),
        "maternity.csv": ("Westmoor Hospitals Maternity", [
            ["31/01/2023", "Clinic appointment", "Antenatal appointment. Did not attend.", "Rebooked."],
            ["14/03/2023", "Clinic appointment", "Antenatal appointment. Did not attend.", "Rebooked."],
            ["20/03/2023", "Clinic appointment", "Seen alone at 27 weeks. Disclosed partner pushed her into a wall.",
             "Safeguarding midwife informed."],
            ["04/04/2023", "Clinic appointment", "Antenatal appointment. Did not attend.", "Letter to GP."],
            ["20/06/2023", "Home visit", "Mason seen and weighed.", "Discharge to HV."]]),
        "police.csv": ("Westmoor Police", [
            ["14/02/2023", "Domestic incident", "Kayleigh, 24 weeks pregnant, says Connor pushed her into a wall.",
             "DASH completed."]]),
        "pathways.csv": ("Pathways Drug and Alcohol Service", [
            ["03/08/2023", "Clinic appointment", "Connor did not attend.", "Rebooked."],
            ["17/08/2023", "Clinic appointment", "Connor did not attend.", "Rebooked."]]),
    })))


def test_prebirth_rows_see_no_child_and_hold_no_childs_concerns(tmp_path):
    a = _analysis(tmp_path)
    tl = a.timeline.set_index("description")
    seen_alone = tl.loc["Seen alone at 27 weeks. Disclosed partner pushed her into a wall."]
    assert pd.isna(seen_alone["child_seen_inferred"])  # the mother seen, not the unborn child
    assert seen_alone["concerns"] == "domestic_abuse"  # before: domestic_abuse; non_accidental
    assert "sexual_activity" not in str(tl.loc["Kayleigh, 17. Positive pregnancy test.", "concerns"])
    police = tl.loc["Kayleigh, 24 weeks pregnant, says Connor pushed her into a wall."]
    assert police["concerns"] == "domestic_abuse"  # before: domestic_abuse; non_accidental; sexual_activity
    assert bool(tl.loc["Mason seen and weighed.", "child_seen_inferred"]) is True  # after the birth: read
    # a missed antenatal appointment stays a concern of the pregnancy; the father's own missed appointments do not
    assert tl.loc["Antenatal appointment. Did not attend."]["concerns"].eq("was_not_brought").all()
    assert tl.loc["Connor did not attend."]["concerns"].fillna("").eq("").all()


def test_no_child_not_brought_flag_for_antenatal_or_an_adult_services_missed_appointments(tmp_path):
    flags = _analysis(tmp_path).flags
    assert "was_not_brought" not in set(flags["rule_id"])  # before: maternity (3 DNAs) and Pathways (2 DNAs)
    assert not flags["explanation"].str.contains("child not brought").any()
    assert not flags["explanation"].str.contains("non accidental").any()


def test_an_unseen_stretch_counts_from_the_birth_and_no_prebirth_contact_triggers_it():
    # born 1 Jan 2024 (the s18 helpers'): concerns open from October 2023, the child unborn
    rows = [row("2023-10-01", S18_CSC, None, "DA incident, mother 20 weeks pregnant.", "other", concerns="domestic_abuse"),
            row("2023-12-15", HV, False, "Antenatal contact.", concerns="domestic_abuse"),
            row("2024-01-20", HV, False, "Visit.", concerns="domestic_abuse"),
            row("2024-02-20", HV, False, "Visit.", concerns="domestic_abuse")]
    flags = flags_of(rows)
    stretch = flags[flags["explanation"].str.contains("no agency had recorded seeing the child")]
    # before: flagged on 15 Dec 2023 (75 days from the October concern, the child unborn); now counted from the
    # birth: 50 days on 20 Feb 2024
    assert stretch["trigger_event_id"].tolist() == ["C1-e004"]
    assert "for 50 days" in stretch["explanation"].iloc[0]
    assert "counted from 1 Jan 2024" in stretch["explanation"].iloc[0]
    assert "C1-e002" not in set(flags["trigger_event_id"])  # nor an unborn child's "unseen visit"
    assert baseline_of(rows) == [("C1-e003", "visit_not_seen"), ("C1-e004", "open_concerns"),
                                 ("C1-e004", "visit_not_seen")]
    assert sorted(flags["trigger_event_id"]) == [t for t, _ in baseline_of(rows)]


def test_missed_antenatal_appointments_are_no_was_not_brought_pattern_in_package_and_baseline():
    rows = [{**MIDWIFE, "date": d, "concerns": "was_not_brought", "contact_type": "was_not_brought",
             "description": "Antenatal appointment: DNA"} for d in ("2022-10-03", "2022-10-31", "2022-11-28")]
    after = [{**MIDWIFE, "date": d, "concerns": "was_not_brought", "contact_type": "was_not_brought",
              "description": "Postnatal check: DNA"} for d in ("2023-02-06", "2023-03-06")]
    assert detect(make_timeline(rows), None, RULES, only=["was_not_brought"]).empty
    assert not [f for f in baseline_flags(rows) if f["rule_id"] == "was_not_brought"]
    # the same after the birth: the child not brought
    flags = detect(make_timeline(rows + after), None, RULES, only=["was_not_brought"])
    assert flags["trigger_event_id"].tolist() == ["C1-e005"]
    assert sorted(f["trigger_event_id"] for f in baseline_flags(rows + after)
                  if f["rule_id"] == "was_not_brought") == ["C1-e005"]


def test_an_adult_services_missed_appointments_are_no_missed_contacts_in_package_and_baseline():
    pathways = {"agency": "Pathways Drug and Alcohol Service", "agency_kind": "health",
                "contact_type": "was_not_brought", "concerns": "was_not_brought", "description": "Did not attend."}
    rows = [{**pathways, "date": d} for d in ("2023-03-01", "2023-03-15", "2023-04-01")]
    assert detect(make_timeline(rows), None, RULES, only=["was_not_brought"]).empty
    assert not [f for f in baseline_flags(rows) if f["rule_id"] == "was_not_brought"]


def test_adult_service_names_and_whose_concerns():
    agency = pd.Series(["Pathways Drug and Alcohol Service", "Westshire Adult Mental Health Team", "Probation",
                        "Westmoor Health Visiting", "CAMHS", "Westmoor Hospitals Maternity"])
    assert adult_service_rows(agency, [""] * len(agency)).tolist() == [True, True, True, False, False, False]
    concerns = pd.Series(["non_accidental; sexual_activity", "child_not_seen; neglect", "was_not_brought",
                          "non_accidental; sexual_activity"], dtype="string")
    unborn = np.array([True, True, True, False])
    adult = np.array([False, False, False, False])
    assert whose_concerns(concerns, unborn, adult).tolist() == [
        "domestic_abuse", "neglect", "was_not_brought", "non_accidental; sexual_activity"]
    assert whose_concerns(concerns.iloc[[2]], np.array([False]), np.array([True])).tolist() == [""]


def test_before_birth_takes_a_partial_dates_latest_day():
    birth = np.array(["2023-06-12"] * 3, dtype="datetime64[D]")
    days = np.array(["2023-05-01", "2023-06-01", "2023-06-11"], dtype="datetime64[D]")
    precision = pd.Series(["month", "month", "day"])
    # May 2023 is certainly before the birth; "June 2023" may be after it
    assert before_birth(days, precision, birth).tolist() == [True, False, True]


def test_fmt_tags_words_a_missed_appointment_before_the_birth_as_antenatal():
    text = fmt_tags(pd.Series(["domestic_abuse; was_not_brought"] * 2, dtype="string"), unborn=[True, False])
    assert text.tolist() == ["domestic abuse, a missed antenatal appointment",
                             "domestic abuse, a missed appointment (child not brought)"]


def test_a_statutory_visit_alone_is_no_sign_the_child_is_looked_after():
    from review.rules.lac_visits_overdue import looked_after_evidence

    params = RULES["rules"]["lac_visits_overdue"]["params"]
    cues, supporting = params["record_cues"], params["record_supporting_cues"]
    rows = pd.DataFrame({"source_file": ["csc.csv"] * 2, "source_row": [2, 3],
                         "description": ["Statutory visit. Mason seen, asleep in pram.", "CP plan review."],
                         "action": ["", ""]})
    # before (QA12 D13): "The records say the child is looked after (csc.csv row 2: 'Statutory visit ...')"
    assert looked_after_evidence(rows, cues, supporting) == []
    placed = rows.assign(description=["Statutory visit. Mason seen.", "Mason placed in foster placement under s20."])
    assert looked_after_evidence(placed, cues, supporting) == [
        "csc.csv row 2: 'Statutory visit. Mason seen.'", "csc.csv row 3: 'Mason placed in foster placement under s20.'"]


def test_an_elliptical_not_seen_beside_the_child_named_seen_is_about_something_else():
    from review.config import package_data
    from review.sightings import read_sighting, with_child_names
    from review.vocab import tag_concerns

    vocab = package_data("vocab.yml")
    hv = ("New birth visit. Baby seen and weighed, 3.4 kg. Safe sleep advice given: moses basket 'at Nan's', baby "
          "sleeping in bed with mum. Not seen. EPDS 15.")
    assert "child_not_seen" not in tag_concerns(hv, vocab)  # before (QA12 D11): child_not_seen
    assert read_sighting("home_visit", "", hv) is True
    named = hv.replace("Baby seen", "Mason seen")
    assert read_sighting("home_visit", "", named, vocab=with_child_names("", "Mason Reid")) is True
    # a "not seen" that names its subject, or with no sighting of the child beside it, is still the child's
    for text in ("Home visit. Child not seen.", "Mother at home. Not seen.", "Baby not seen. Not seen.",
                 "Home visit, baby asleep upstairs. Not seen."):
        assert "child_not_seen" in tag_concerns(text, vocab), text
        assert read_sighting("home_visit", "child_not_seen", text) is False, text
