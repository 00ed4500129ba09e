"""Adversarial QA of the anonymised view (s10): what realistic chronology entries still leaked (telephone
numbers, e-mail addresses, street addresses case.yml does not list, schools named by their phase without
"School", initials after a role in brackets) and what ordinary text the view damaged (agencies' and
clinical abbreviations taken for initials: "ICPC" -> "[initials]PC", "by SVD", "with PV bleeding"). Each
fix is tested both ways: what must change and what must stay."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from review.config import load_case_config
from review.redact import Redactor

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    """As the build makes it: from the case's config (the sample case: Kai, Chloe and Maureen Ashdown,
    Dean Fowler, Ryan Keane; Brontë Court)."""
    return Redactor.from_case(load_case_config(SAMPLE))


# -- damage: abbreviations are no initials -------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "S47 enquiry initiated. ICPC held; child made subject of CP plan.",
    "RCPC 3 months later: plan continued.",
    "Care plan: ICPC -> RCPC in 3 months; CG every 6 weeks.",
    "Born at 39+2 weeks by SVD, birth weight 3.45kg, Apgar 9/10 at 1 min, 10/10 at 5 mins.",
    "Baby delivered by LSCS at 37/40; Apgar 7/10 and 9/10.",
    "Mother seen in EPAU at 8/40 with PV bleeding; USS viable IUP.",
    "Mum diagnosed with PND by GP; started on Sertraline 50 mg.",
    "Mother presented with GAD and PTSD; referred by GP to CMHT.",
    "Mum with FII concerns raised by Paeds consultant.",
    "Reported by BTP at the station; child with MGF at time.",
    "A neighbour arrested for ABH; RUI.",
    "MW: BBA at home 03:40; baby transferred by ambulance.",
    "PCSO and EWO visited; Calpol 2.5ml at 14:30; 1/2 tablet; 24/7 care; S47; ICPC.",
])
def test_abbreviations_are_not_taken_for_initials(redactor, text):
    assert redactor.text(text) == text


# -- leaks: initials after a role in brackets ----------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Reviewing Officer (IRO) PD chaired.", "Reviewing Officer (IRO) [initials] chaired."),
    ("completed by Nursery Nurse (NN) KT: ASQ normal", "completed by Nursery Nurse (NN) [initials]: ASQ normal"),
    ("seen by SW JB", "seen by SW [initials]"),  # as before
    ("JB/HV", "[initials]/HV"),
    ("KL (HV) visited", "[initials] (HV) visited"),
])
def test_initials_beside_a_role(redactor, text, expected):
    assert redactor.text(text) == expected


@pytest.mark.parametrize("text", ["Health visitor (HV) NBV done", "Social worker (SW) NFA", "(GP) OOH seen",
                                  "Nursery Nurse (NN) visited"])
def test_a_role_in_brackets_then_an_abbreviation_is_left(redactor, text):
    assert redactor.text(text) == text


# -- leaks: telephone numbers ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Chloe's mobile 07700 900123 - no answer.", "Mother's mobile [phone number] - no answer."),
    ("Telephone call from Maureen Ashdown (MGM) on 01632 960123.",
     "Telephone call from Maternal grandmother (MGM) on [phone number]."),
    ("Tel: 0161 496 0000 Mob: +44 7700 900 456.", "Tel: [phone number] Mob: [phone number]."),
    ("Contact mum on 07700900789 if any concerns.", "Contact mum on [phone number] if any concerns."),
    ("Called SW on 01632 960 456 ext 2345.", "Called SW on [phone number] ext 2345."),
    ("ring (01632) 960123", "ring [phone number]"),
    ("Code 0161-496-0000", "Code [phone number]"),
])
def test_telephone_numbers_are_replaced(redactor, text, expected):
    assert redactor.text(text) == expected


@pytest.mark.parametrize("text", [
    "Seen at 0900 and 1430; ref 0123 456.", "Case 01234567; Police 01/23/4567/23.",  # s11: labelled, "[reference]"
    "Weight 0.75 kg; 0-19 service; 0-5 years.", "Numbers 100 200 3000.", "NHS 111 called at 23:10; 999 at 07:45.",
    "Police log 23000456789 - concern for welfare.",
])
def test_numbers_that_are_no_telephone_number_are_left(redactor, text):
    assert redactor.text(text) == text


# -- leaks: e-mail addresses ----------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Email sent to chloe.ashdown@gmail.com.", "Email sent to [email]."),
    ("Email from Dean (deanf88@hotmail.co.uk) stating he will attend.",
     "Email from Mother's partner ([email]) stating he will attend."),
    ("Email to ashdownc@eastborough.gov.uk cc SW team.", "Email to [email] cc SW team."),
    ("Email: sjones@nhs.net; tel 0300 123 4567.", "Email: [email]; tel [phone number]."),
])
def test_email_addresses_are_replaced(redactor, text, expected):
    assert redactor.text(text) == expected


@pytest.mark.parametrize("text", ["Mum @ home", "seen @ 14:30", "1 @ 5ml", "Contact via @kerrybrook"])
def test_an_at_sign_alone_is_no_email(text):
    assert Redactor(people={"Chloe Ashdown": "Mother"}).text(text) == text


# -- leaks: street addresses case.yml does not list -----------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Kai placed with MGM at 22 Elm Road, Eastborough EB2 3PL.",
     "Child placed with MGM at [address], Eastborough [postcode]."),
    ("Mother moved to 5a Beech Grove, Eastborough.", "Mother moved to [address], Eastborough."),
    ("Child living at 4 Oak Tree Close with grandparents.", "Child living at [address] with grandparents."),
    ("Visit to 7b Mill Lane; no answer.", "Visit to [address]; no answer."),
    ("Mum at 14, Church Lane until 2022.", "Mum at [address] until 2022."),
    ("Visit 10 Downing Street.", "Visit [address]."),
    ("Solicitor: Smith & Co, 12 High Street, Eastborough.", "Solicitor: Smith & Co, [address], Eastborough."),  # the sentence's full stop is kept
    ("Flat 3, 14 Brontë Court", "Flat 3, 14 [address]"),  # a listed address, as before
])
def test_street_addresses_are_replaced(redactor, text, expected):
    assert redactor.text(text) == expected


@pytest.mark.parametrize("text", [
    "Attended 2 Family Court hearings; 1 Crown Court appearance.", "Seen in Room 3 Oak Ward; Bed 12 Rainbow Ward.",
    "At 2 Strategy Meetings; 4 Weeks Later.", "Item 3, Place of Safety order.", "Invoice £12 High Street shop.",
    "Completed 4 Home Visits in 6 Weeks.",
])
def test_text_that_is_no_street_address_is_left(redactor, text):
    assert redactor.text(text) == text


# -- leaks: schools named by their phase alone ----------------------------------------------------------
def test_schools_named_without_school_are_their_kind():
    r = Redactor(people={"Chloe Ashdown": "Mother"})
    assert r.text("Tyler attends Oakfield Primary.") == "Tyler attends [primary school]."
    assert r.text("Mia moved to Westfield Secondary in Year 9.") == "Mia moved to [secondary school] in Year 9."
    assert r.text("Referral from St Joseph's Catholic Primary re behaviour") == "Referral from [primary school] re behaviour"
    assert r.text("Oakfield Primary's DSL rang") == "[primary school]'s DSL rang"
    assert r.text("Hillside Juniors DSL concerned.") == "[primary school] DSL concerned."


def test_one_school_written_with_and_without_school_has_one_label():
    timeline = pd.DataFrame({"seq": [1, 2, 3], "summary": [
        "Oakfield Primary rang", "Greenfield Infants rang", "Oakfield Primary School rang again"]})
    r = Redactor(people={"Chloe Ashdown": "Mother"}).learn_schools(timeline)
    assert [r.text(t) for t in timeline["summary"]] == [
        "[primary school 1] rang", "[primary school 2] rang", "[primary school 1] rang again"]


@pytest.mark.parametrize("text", [
    "Referred to Primary Mental Health Worker (PMHW).", "NHS Primary Care Trust records reviewed.",
    "Anaemia Secondary to iron deficiency.", "Transition from Primary to Secondary school planned.",
    "The Primary said no concerns. Attends Catholic Primary.", "Eastborough Primary Care Network pharmacist",
    "Seen by Secondary Care Mental Health team.", "Diagnosis: Primary", "Risk level High; Mia at Hillcrest High.",
])
def test_phase_words_that_name_no_school_are_left(text):
    assert Redactor(people={"Chloe Ashdown": "Mother"}).text(text) == text


# -- determinism ---------------------------------------------------------------------------------------
def test_the_same_text_gives_the_same_output(redactor):
    texts = ["Chloe's mobile 07700 900123; email chloe.ashdown@gmail.com; 22 Elm Road; Oakfield Primary; "
             "Reviewing Officer (IRO) PD; ICPC by SVD with PV bleeding"] * 2
    again = Redactor.from_case(load_case_config(SAMPLE))
    outputs = {redactor.text(t) for t in texts} | {again.text(t) for t in texts}
    assert len(outputs) == 1
    out = outputs.pop()
    for leak in ("07700", "chloe", "Elm Road", "Oakfield", " PD"):
        assert leak not in out
    for kept in ("ICPC", "SVD", "PV bleeding", "(IRO)"):
        assert kept in out
    frame = pd.DataFrame({"summary": texts + ["Kai seen"]})
    assert redactor.frame(frame)["summary"].tolist() == [out, out, "Child seen"]


# -- leaks: ages in days written other ways; damage: "a under 1 month" -----------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Age at incident: 23 days.", "Age at incident: under 1 month."),
    ("Age on admission: 6 weeks", "Age on admission: 1 month"),
    ("Baby of 19 days brought to ED.", "Baby of under 1 month brought to ED."),
    ("The baby was twelve days old.", "The baby was under 1 month old."),
    ("a three-week-old baby seen at home", "an under-1-month-old baby seen at home"),
    ("Kai is a 3 week old boy.", "Child is an under 1 month old boy."),
    ("On his 10th day of life mum called 111.", "On his 1st month of life mum called 111."),
    ("Primary birth visit at 14 days.", "Primary birth visit at under 1 month."),
])
def test_more_ages_in_days_are_given_in_whole_months(redactor, text, expected):
    assert redactor.text(text) == expected


@pytest.mark.parametrize("text", [
    "Bruises two weeks old on the back.", "for two weeks; review in three days", "Child of 3 siblings.",
    "Born at 34 weeks; birth at 39 weeks.", "Age: 3 years; aged 7 months.", "a 3 year old boy",
    "On the 10th day of admission bloods were repeated.",
])
def test_what_is_no_age_in_days_is_left(redactor, text):
    assert redactor.text(text) == text


# -- initials: "and LM SW"; "SM (Service Manager)" -------------------------------------------------------
def test_initials_after_and_before_a_role(redactor):
    assert redactor.text("Kai seen by JT (HV) and LM SW; ok") == "Child seen by [initials] (HV) and [initials] SW; ok"
    assert redactor.text("Case discussed with TM KW and SM (Service Manager).") == \
        "Case discussed with TM [initials] and SM (Service Manager)."
    assert redactor.text("seen by GP and HV") == "seen by GP and HV"
