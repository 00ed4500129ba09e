"""The child criminal exploitation case "Tyrese" (s21; a boy of 15 in county lines, modelled on the Child
Safeguarding Practice Review Panel's "It was hard to escape", 2020): the missed points and noise its QA left.

1. return_interview_or_nrm_late's NRM clock starts at the first record strong enough to be reasonable grounds
   (a trap house, PWITS, debt bondage), not at a weak sign alone ("seen with older males"), which the explanation
   keeps as context; a case with weak signs only raises no NRM flag.
2. "Found by Eastshire Police in Hartsford" and "Collected by officers" are the police seeing the child.
3. The NRM flag's lists of records are capped ("and N more"), deterministically.
4. enquiry_incomplete's no_education_at_strategy: a strategy discussion about extra-familial harm without the
   child's school or PRU ("School/PRU not invited", "(CSC Exploitation Team, police)").
5. A PRU's record of the child's debt-bondage disclosure is exploitation, and social care's receipt of another
   agency's letter does not answer it.
The package and the row-by-row baseline raise the same flags throughout."""
from __future__ import annotations

import copy
import datetime as dt

import pandas as pd
import pytest

from _baseline import baseline_rowwise
from review.pipeline import load_vocab
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.sightings import by_police, inferred_sightings, read_sighting, seen_mask, with_child_names
from review.vocab import tag_concerns

VOCAB = load_vocab()
RULES = load_rules()
NRM, EXP, ENQ, CNS = "return_interview_or_nrm_late", "exploitation_not_referred", "enquiry_incomplete", "child_not_seen"
DOB = "2008-06-14"
POLICE = {"agency": "Westshire Police", "agency_kind": "police"}
CSC = {"agency": "Brackmoor Children's Social Care", "agency_kind": "social care"}
PRU = {"agency": "Brackmoor Pupil Referral Unit", "agency_kind": "education"}
YJS = {"agency": "Brackmoor Youth Justice Service", "agency_kind": "youth justice"}


def row(date, who, description, action="", contact_type="other", concerns=None, escalation=""):
    """A contact, its concerns tagged from its text as ingest tags them (unless given)."""
    tags = ";".join(tag_concerns(description + " . " + action, VOCAB)) if concerns is None else concerns
    return {"date": date, **who, "contact_type": contact_type, "description": description, "action": action,
            "concerns": tags, "escalation": escalation}


def flags(rows, rule, rules=None):
    return detect(make_timeline(rows, dob=DOB), None, RULES if rules is None else rules, only=[rule])


def nrm_flags(rows, rules=None):
    f = flags(rows, NRM, rules)
    return f[f["explanation"].str.contains("National Referral Mechanism", regex=False)]


def baseline(rows, rules=None) -> list[dict]:
    timeline = make_timeline(rows, dob=DOB)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    _, out = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2008, 6, 14), "review_date": None}},
                                  RULES if rules is None else rules)
    return out


def assert_same(rows, rule, rules=None):
    """The package and the baseline raise the same flags of `rule` (ids, triggers, responses, deadlines)."""
    package = flags(rows, rule, rules)
    base = [f for f in baseline(rows, rules) if f["rule_id"] == rule]
    assert sorted(package["flag_id"]) == sorted(f["flag_id"] for f in base)
    assert sorted(zip(package["trigger_event_id"], package["actual_action_event_id"].fillna(""),
                      (e.date() for e in package["expected_by"]))) == \
        sorted((f["trigger_event_id"], f["actual_action_event_id"] or "", f["expected_by"]) for f in base)
    return package


# --- 1. the NRM clock on the first strong record -----------------------------------------------------------------

OLDER_MALES = row("2023-01-28", POLICE, "Missing episode. Seen with older males on the Marlowe estate.",
                  "Returned home.")  # e001: a weak sign alone
PHONES = row("2023-02-10", POLICE, "Stop and search: two phones and a large amount of cash.", "NFA.")  # e002: weak
TRAP = row("2023-04-14", POLICE, "Found in a trap house in Hartsford.", "Returned home. PPN to MASH.")  # e003
NRM_MADE = row("2024-04-08", CSC, "NRM referral submitted by CSC as first responder.")  # e004


def test_the_nrm_clock_starts_at_the_first_strong_record_the_weak_ones_its_context():
    rows = [OLDER_MALES, PHONES, TRAP, NRM_MADE]
    assert {"exploitation"} <= set(make_timeline(rows, dob=DOB)["concerns"].iloc[0].split(";"))
    f = nrm_flags(rows)
    assert len(f) == 1
    flag = f.iloc[0]
    assert flag.trigger_event_id == "C1-e003"  # before: C1-e001, the older males of 28 Jan 2023
    assert flag.expected_by.date() == dt.date(2023, 5, 14)
    assert flag.actual_action_event_id == "C1-e004"
    assert {"C1-e001", "C1-e002", "C1-e003"} <= set(flag.evidence_event_ids.split("; "))
    assert ("earlier, weaker signs of exploitation (no reasonable grounds alone) recorded by Westshire Police on "
            "28 Jan 2023; by Westshire Police on 10 Feb 2023") in flag.explanation
    assert_same(rows, NRM)


@pytest.mark.parametrize("strong", [
    "Arrested for possession with intent to supply Class A.",
    "Tyrese says he has a drug debt and must work it off: debt bondage.",
    "Stopped in Hartsford, county lines concerns.",
    "Made to carry drugs for older males.",  # a weak sign with a strong one is strong
])
def test_a_strong_record_is_the_trigger(strong):
    rows = [OLDER_MALES, row("2023-03-01", POLICE, strong)]
    assert nrm_flags(rows)["trigger_event_id"].tolist() == ["C1-e002"]
    assert_same(rows, NRM)


def test_weak_signs_alone_raise_no_nrm_flag_but_still_the_referral_to_social_care():
    rows = [OLDER_MALES, PHONES]
    assert nrm_flags(rows).empty  # before: one, from 28 Jan 2023
    assert not flags(rows, EXP).empty  # the referral to children's social care is still expected
    assert_same(rows, NRM)


def test_a_record_tagged_by_its_concerns_cell_alone_is_the_agencys_judgement():
    cell = row("2023-03-01", POLICE, "Missing overnight, returned home.", concerns="exploitation")
    assert nrm_flags([cell])["trigger_event_id"].tolist() == ["C1-e001"]


def test_an_empty_weak_list_restores_the_first_record():
    rules = copy.deepcopy(RULES)
    rules["rules"][NRM]["params"]["nrm_weak_keywords"] = []
    assert nrm_flags([OLDER_MALES, TRAP], rules)["trigger_event_id"].tolist() == ["C1-e001"]
    assert_same([OLDER_MALES, TRAP], NRM, rules)


# --- 3. the lists capped ----------------------------------------------------------------------------------------

def test_the_later_records_are_listed_up_to_three_then_counted():
    later = [row(f"2023-05-{d:02d}", POLICE, "County lines concerns, found out of area.") for d in range(1, 8)]
    rows = [TRAP, *later]
    flag = nrm_flags(rows).iloc[0]
    assert flag.explanation.count("by Westshire Police on") == 3
    assert ("later records of a risk of exploitation by Westshire Police on 1 May 2023; by Westshire Police on "
            "2 May 2023; by Westshire Police on 3 May 2023 and 4 more") in flag.explanation
    assert len(flag.evidence_event_ids.split("; ")) == 8  # the evidence keeps them all
    again = nrm_flags(list(rows)).iloc[0]
    assert again.explanation == flag.explanation
    rules = copy.deepcopy(RULES)
    rules["rules"][NRM]["params"]["nrm_listed_max"] = None
    assert nrm_flags(rows, rules).iloc[0].explanation.count("by Westshire Police on") == 7
    assert_same(rows, NRM)


# --- 2. the police seeing the child ---------------------------------------------------------------------------

TYRESE = with_child_names("", "Tyrese Hollins")


def _both(contact_type, description, action="", key=TYRESE):
    one = read_sighting(contact_type, "", description, action, vocab=key)
    frame = pd.DataFrame([dict(contact_type=contact_type, concerns="", description=description, action=action)] * 2)
    frame["child_seen"] = pd.array([pd.NA, pd.NA], dtype="boolean")
    table = [None if v is pd.NA else bool(v) for v in inferred_sightings(frame, key)]
    assert table == [one, one]
    return one


@pytest.mark.parametrize("description, action, expected", [
    ("Tyrese missing 12/04. Found by Eastshire Police in Hartsford.", "Returned home.", True),  # before: None
    ("Found by the police in Hartsford.", "", True),  # before: None
    ("Missing overnight.", "Collected by officers and returned home.", True),  # before: None
    ("Missing overnight.", "Returned home. Collected by Westshire officers from Hartsford.", True),
    ("Brought home by British Transport Police officers at 02:00.", "", True),
    ("Tyrese returned home by police.", "", True),
    # still not the child: someone else, something else, a member of the public, negated
    ("Mum collected by police from the station.", "", None),
    ("CCTV collected by officers.", "", None),
    ("Found by a member of the public.", "", None),
    ("Found by Dad. Police informed.", "", None),
    ("Not found by Eastshire Police.", "", None),
])
def test_the_police_finding_or_collecting_the_child_is_a_sighting(description, action, expected):
    assert _both("police_callout", description, action) is expected


def test_by_police_leaves_out_a_force_name_and_gives_an_opening_clause_its_subject():
    assert by_police("Found by Eastshire Police in Hartsford") == "Found by Police in Hartsford"
    assert by_police("Returned home. Collected by officers.") == "Returned home. child Collected by officers."
    assert by_police("Found by police in Hartsford") == "Found by police in Hartsford"
    assert by_police("Mum collected by police") == "Mum collected by police"
    assert by_police(None) == ""


def test_the_timelines_sightings_read_a_force_named_finding_as_the_police_found_one():
    def rows(found):
        return [row("2023-03-01", CSC, "Child in need visit: child seen.", contact_type="home_visit",
                    concerns="exploitation"),
                row("2023-04-14", POLICE, "Missing from home. " + found, "Returned home.", contact_type="police_callout",
                    concerns="missing"),
                row("2023-05-20", CSC, "Home visit: no answer.", contact_type="home_visit", concerns="exploitation")]
    named, plain = rows("Found by Eastshire Police in Hartsford."), rows("Found by police in Hartsford.")
    collected = rows("Collected by officers from Hartsford.")
    assert seen_mask(make_timeline(named, dob=DOB)).tolist() == [True, True, False]  # before: [True, False, False]
    assert seen_mask(make_timeline(plain, dob=DOB)).tolist() == [True, True, False]
    assert seen_mask(make_timeline(collected, dob=DOB)).tolist() == [True, True, False]
    assert seen_mask(make_timeline(rows("Located by a friend."), dob=DOB)).tolist() == [True, False, False]
    # (the rule itself on this small case: the package and the baseline disagree already at main, with "Found by
    # police" too: reported, not this test's point)


# --- 4. education absent from a strategy discussion about extra-familial harm ------------------------------------

def _strategy(date, text, who=CSC):
    return row(date, who, text, contact_type="strategy_discussion")


def test_a_strategy_discussion_about_exploitation_without_the_school_is_flagged():
    rows = [TRAP, _strategy("2023-04-18", "Strategy discussion (CSC Exploitation Team, police). School/PRU not invited."),
            _strategy("2023-04-25", "Strategy discussion (CSC Exploitation Team, police, YJS)."),
            _strategy("2023-05-02", "Strategy discussion (CSC, police, PRU DSL)."),
            _strategy("2023-05-09", "Strategy discussion held. Attendees: SW, DS Khan, head of year.")]
    f = assert_same(rows, ENQ)
    edu = f[f["explanation"].str.contains("education provider", regex=False)]
    assert edu["trigger_event_id"].tolist() == ["C1-e002", "C1-e003"]
    assert set(edu["severity"]) == {"medium"}
    said = edu.set_index("trigger_event_id")["explanation"]
    assert "records the child's school or education provider as absent or not invited" in said["C1-e002"]
    assert "lists its attendees with no school or education provider among them" in said["C1-e003"]


def test_no_education_flag_without_extra_familial_harm_out_of_age_or_with_the_school_there():
    plain = _strategy("2023-04-18", "Strategy discussion (CSC, police). School not invited.")
    assert flags([plain], ENQ).pipe(lambda f: f[f["explanation"].str.contains("education provider")]).empty
    # the PRU recorded the day's discussion itself: it was there
    rows = [TRAP, _strategy("2023-04-18", "Strategy discussion (CSC Exploitation Team, police)."),
            _strategy("2023-04-18", "Attended strategy discussion re Tyrese.", who=PRU)]
    assert flags(rows, ENQ).pipe(lambda f: f[f["explanation"].str.contains("education provider")]).empty
    assert_same(rows, ENQ)
    # a bracket that lists no one is no list
    rows = [TRAP, _strategy("2023-04-18", "Strategy discussion (virtual).")]
    assert flags(rows, ENQ).empty
    # an adult of 19: no school
    old = [row("2027-09-01", POLICE, "Found in a trap house in Hartsford."),
           _strategy("2027-09-03", "Strategy discussion (CSC, police). College not invited.")]
    assert flags(old, ENQ).empty
    assert_same(old, ENQ)


# --- 5. the PRU's record of a debt-bondage disclosure --------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Tyrese disclosed to his key worker that he owes money to the people he works for.",
    "Tyrese told staff he is working for someone and gets paid, won't say who.",
    "Says he owes the olders money.",
    "He is working for the olders and gets paid to deliver.",
])
def test_a_debt_or_paid_work_for_someone_is_exploitation(text):
    assert "exploitation" in tag_concerns(text, VOCAB)


@pytest.mark.parametrize("text", ["Mum owes money to the landlord.", "Tyrese has a Saturday job at the bakery."])
def test_a_debt_or_a_job_alone_is_not(text):
    assert "exploitation" not in tag_concerns(text, VOCAB)


DISCLOSURE = row("2023-09-12", PRU, "Tyrese disclosed to his key worker that he owes money to the people he works for.",
                 "DSL informed.")  # e001
LETTER = row("2023-09-13", CSC, "Letter received from YJS re court outcome.")  # e002
PRU_REFERRAL = row("2023-10-03", CSC, "Referral received from PRU re Tyrese's disclosure.")  # e003


def test_a_receipt_of_another_agencys_letter_does_not_answer_the_disclosure():
    rows = [DISCLOSURE, LETTER, PRU_REFERRAL]
    f = assert_same(rows, EXP)
    assert f["trigger_event_id"].tolist() == ["C1-e001"]
    assert f["actual_action_event_id"].tolist() == ["C1-e003"]  # before: answered in time by the YJS letter
    # ... as before with the setting off
    rules = copy.deepcopy(RULES)
    rules["rules"][EXP]["params"]["receipts_sender_kind_only"] = False
    assert flags(rows, EXP, rules).empty
    assert_same(rows, EXP, rules)


def test_a_receipt_from_the_same_kind_or_naming_no_sender_still_answers():
    for receipt in ("Referral received from Brackmoor PRU: Tyrese owes money.", "Referral received re Tyrese.",
                    "School referral re debt disclosure."):
        rows = [DISCLOSURE, row("2023-09-13", CSC, receipt)]
        assert flags(rows, EXP).empty, receipt
        assert_same(rows, EXP)
    # the police's PPN answers the police's record, not the PRU's
    police = row("2023-09-12", POLICE, "Found in a trap house in Hartsford.")
    ppn = row("2023-09-13", CSC, "PPN: found in a trap house.")
    assert flags([police, ppn], EXP).empty
    assert flags([DISCLOSURE, ppn], EXP)["trigger_event_id"].tolist() == ["C1-e001"]
    assert_same([DISCLOSURE, ppn], EXP)
