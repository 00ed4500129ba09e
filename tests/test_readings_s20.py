"""Session 20, QA7 readings: a child's words of fear of an adult at home or of punishment (emotional_abuse), a
young child's genito-urinary symptoms NICE CG89 lists as "consider" (anogenital_symptoms, counted under 13),
cuts a child old enough made counted as self-harm and no "other injury", social care's "Contact from <agency>"
a receipt, a notification received typed as the letter it is, and a child back at nursery seen there."""
from __future__ import annotations

import pytest

from _baseline import baseline_flags
from review.config import load_case_config, package_data
from review.ingest import load_contacts
from review.rules import detect, load_rules
from review.rules.latency import response_latency
from review.rules.testing import make_timeline
from review.sightings import read_sighting, with_child_names
from review.vocab import classify_contact_type, tag_concerns

VOCAB = package_data("vocab.yml")


def tags(text) -> set:
    return set(tag_concerns(text, VOCAB))


# -- emotional_abuse: the child's own words -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    'Leah attended drop-in alone, tearful, said "I don\'t like being at home when Gary is there".',
    "Jordan said 'I am a bad boy so I don't get tea'.",
    "Located at a friend's address. Said she \"did not want to go home\" and would not say why.",
    "Tyler told teacher he is scared to go home.",
    "Ellie says she feels unsafe at home.",
    "Leah said she is scared of her stepdad.",
    "Tyler frightened of mum's boyfriend.",
])
def test_a_childs_words_of_fear_or_punishment_are_emotional_abuse(text):
    assert "emotional_abuse" in tags(text)


@pytest.mark.parametrize("text", [
    "Mum does not want to go home",  # the adult's own words
    "Mum is frightened of her partner",  # the adult's fear
    "Jade scared of the dark",  # no adult
    "Jade scared of dogs",
    "Not scared of dad, happy at home",  # negated
    "Tyler scared of him",  # who he is the words do not say
    "Happy to go home with mum",
])
def test_no_emotional_abuse_without_the_childs_fear_of_an_adult(text):
    assert "emotional_abuse" not in tags(text)


def test_the_bad_boy_record_is_neglect_too():
    assert {"emotional_abuse", "neglect"} <= tags("Jordan said 'mum locks the fridge' and 'I am a bad boy so I don't get tea'.")


def test_fear_of_a_named_adult_reads_case_yml_people(tmp_path):
    (tmp_path / "case.yml").write_text(
        "case_id: C1\nchild_name: Leah Corrigan\ndate_of_birth: '2009-04-10'\nreview_date: '2022-12-31'\n"
        "people: {Leah Corrigan: Child, Kerry Corrigan: Mother, Gary Holt: Mother's partner}\n"
        "files:\n- {path: records.csv, agency: Westmere School Nursing}\n", encoding="utf-8")
    (tmp_path / "records.csv").write_text(
        'Date,Details\n12/01/2021,"Leah said she is scared of Gary."\n13/01/2021,"Leah said she is scared of spiders."\n',
        encoding="utf-8")
    contacts, _ = load_contacts(load_case_config(tmp_path))
    assert [str(c or "") for c in contacts["concerns"]] == ["emotional_abuse", ""]


def test_emotional_abuse_is_expected_an_escalation_within_2_days():
    rows = [{"date": "2034-01-12", "agency": "Westmere School Nursing", "agency_kind": "health",
             "contact_type": "clinic_appointment", "description": "said I don't like being at home when Gary is there",
             "action": "", "concerns": "emotional_abuse", "escalation": ""}]
    latency = response_latency(make_timeline(rows))
    assert latency["expected_days"].tolist() == [2]


# -- anogenital_symptoms: NICE CG89 "consider", under 13 ------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Mum: dysuria again, 2nd UTI. Antibiotics.",
    "Recurrent UTI, 3rd in 4 months. Dipstick positive. Mum and mum's partner present. Also vaginal soreness.",
    "Leah (11) with vaginal discharge and soreness for 2 weeks. Mother present. Swab taken.",
])
def test_recurrent_dysuria_and_genital_symptoms_are_read(text):
    assert "anogenital_symptoms" in tags(text)


@pytest.mark.parametrize("text", [
    "Mum reports Leah (10) has burning passing urine and frequency. ?UTI. Nitrofurantoin prescribed.",  # a first UTI
    "No vaginal discharge. Abdomen soft.",  # negated
    "Mother has vaginal discharge",  # the adult's
])
def test_no_anogenital_symptoms(text):
    assert "anogenital_symptoms" not in tags(text)


def _gp_then_closure(date, closed, description, concerns):
    return [
        {"date": date, "agency": "Riverside Surgery", "agency_kind": "health", "contact_type": "clinic_appointment",
         "description": description, "action": "", "concerns": concerns, "escalation": ""},
        {"date": closed, "agency": "Westmere Children's Social Care", "agency_kind": "social care",
         "contact_type": "case_closure", "description": "Case closed.", "action": "", "concerns": "",
         "escalation": ""},
    ]


@pytest.mark.parametrize("date, closed, flagged", [
    ("2034-03-02", "2034-03-12", True),  # 11: counted
    ("2037-03-02", "2037-03-12", False),  # 14: a young person's own sexual health, not counted
])
def test_anogenital_symptoms_count_before_a_closure_only_under_13(date, closed, flagged):
    rows = _gp_then_closure(date, closed, "Recurrent UTI, vaginal soreness.", "anogenital_symptoms")
    flags = detect(make_timeline(rows), None, load_rules(), only=["closure_with_open_concerns"])
    assert (not flags.empty) == flagged
    if flagged:
        assert "anogenital symptoms" in flags["explanation"].iloc[0]
    base = [f for f in baseline_flags(rows) if f["rule_id"] == "closure_with_open_concerns"]
    assert bool(base) == flagged


# -- cuts a child made: self-harm, not an injury to explain, in a child old enough -----------------------------

def test_cuts_to_her_forearms_read_both_tags_and_an_adults_are_none():
    assert tags("Contact from Northfield Academy: Leah (12) has cuts to her forearms, low mood.") \
        == {"other_injury", "self_harm"}
    assert not tags("Mum has cuts to her forearms") & {"other_injury", "self_harm"}
    # an adult disclosing cuts to her own forearms (the pronoun inside the keyword agreeing): hers, not the child's
    assert not tags("Mum disclosed cuts to her forearms") & {"other_injury", "self_harm"}
    assert tags("Dad disclosed cuts to her forearms") == {"other_injury", "self_harm"}  # "her": the child's


@pytest.mark.parametrize("date, closed, named, not_named", [
    ("2035-11-05", "2035-11-08", "self harm", "other injury"),  # 12: the cuts are her self-harm
    ("2027-03-02", "2027-03-05", "other injury", None),  # 4: still an injury to explain
])
def test_self_harm_wins_over_the_cuts_injury_by_age(date, closed, named, not_named):
    rows = _gp_then_closure(date, closed, "Has cuts to her forearms, low mood.", "other_injury; self_harm")
    flags = detect(make_timeline(rows), None, load_rules(), only=["closure_with_open_concerns"])
    assert len(flags) == 1
    explanation = flags["explanation"].iloc[0]
    assert named in explanation
    if not_named:
        assert not_named not in explanation
    base = [f for f in baseline_flags(rows) if f["rule_id"] == "closure_with_open_concerns"]
    assert len(base) == 1


def test_social_care_contact_from_a_school_is_a_receipt_not_a_self_harm_episode_to_refer():
    rows = [
        {"date": "2035-11-04", "agency": "Northfield Academy", "agency_kind": "education", "contact_type": "other",
         "description": "Cuts seen on Leah's forearms, some fresh. Self-harm.", "action": "DSL contacted MASH.",
         "concerns": "self_harm", "escalation": ""},
        {"date": "2035-11-05", "agency": "Westmere Children's Social Care", "agency_kind": "social care",
         "contact_type": "referral", "description": "Contact from Northfield Academy: Leah (12) has cuts to her forearms, low mood.",
         "action": "Advice to school: refer to CAMHS via GP. NFA.", "concerns": "other_injury; self_harm",
         "escalation": ""},
    ]
    flags = detect(make_timeline(rows), None, load_rules(), only=["self_harm_not_referred"])
    # before: "Westmere Children's Social Care recorded repeated self-harm ... no referral to children's social care"
    assert "C1-e002" not in set(flags["trigger_event_id"]) if not flags.empty else True
    base = [f["trigger_event_id"] for f in baseline_flags(rows) if f["rule_id"] == "self_harm_not_referred"]
    assert "C1-e002" not in base
    assert sorted(base) == (sorted(flags["trigger_event_id"]) if not flags.empty else [])


# -- Amara: the death notification, the return to nursery ------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Notification from police: Amara brought to Westbridge General Hospital by ambulance in cardiac arrest and "
     "has died. Mother and partner arrested.", "letter"),
    ("Email from school: bruise to cheek, home visit arranged", "letter"),
    ("Home visit. Notification from police discussed", "home_visit"),  # the visit named first
    ("Cardiac arrest. Brought in by ambulance, CPR in progress.", "ae_attendance"),
    ("Referral from school: bruise to cheek", "referral"),
])
def test_a_notification_received_is_a_letter(text, expected):
    assert classify_contact_type("", text, VOCAB) == expected


@pytest.mark.parametrize("text, seen", [
    ("Amara returned after a week off with a fading black eye. Mum says she fell from the sofa onto a toy.", True),
    ("Amara returned to nursery today.", True),
    ("Amara returned home with mum.", None),  # a return home: who saw her the words do not say
    ("Mum returned after a week away.", None),
])
def test_a_child_back_at_nursery_is_seen(text, seen):
    assert read_sighting("other", "", text, "", with_child_names("", "Amara Lowe")) is seen
