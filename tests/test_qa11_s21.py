"""QA11 (perplexing presentations / FII case "Poppy Marsh", s21): the readings its report found wrong.

D6 a referral naming the council or a place before "Children's Social Care" / "MASH" is a referral to social care;
D16 `--redact` redacts the case id (it named the child: "qa11_poppy"); D10 "No referral to social care at this
stage" is a decision not to refer; D3 a child's own "I'm hungry" then eating is an appetite, no neglect; D4 "Food
diary not brought" is no missed appointment, nor is an appointment whose Child seen cell says Yes; D5 an ambulance
service's "999 call" is no police call-out and "On arrival Poppy sitting up" a sighting; D17 a school's "Concern" and
"Attendance", a school nurse's and a hospital's record kinds read without a warning; D18 "Crew" is the role."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
import yaml

from review.build import build_report
from review.config import load_case_config, load_vocab, package_data
from review.ingest import load_contacts
from review.redact import Redactor
from review.rules import detect
from review.rules.testing import make_timeline
from review.vocab import (
    classify_contact_type,
    detect_escalations,
    missed_appointment_type,
    shared_in_text,
    tag_concerns,
)

from _baseline import RULES, baseline_flags

VOCAB = package_data("vocab.yml")
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"


def _case(case_dir: Path, files: dict, case_id: str = "qa11s21", people=None) -> Path:
    case_dir.mkdir(parents=True)
    raw = {"case_id": case_id, "child_name": "Poppy Marsh", "date_of_birth": "2015-11-03", "review_date": "2023-06-30",
           "people": people or {"Poppy Marsh": "Child", "Kerry Marsh": "Mother", "Alfie Marsh": "Brother"},
           "files": [{"path": name, "agency": agency} for name, (agency, _) in files.items()]}
    (case_dir / "case.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    for name, (_, rows) in files.items():
        with open(case_dir / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return case_dir


# -- D6: a referral naming the council -------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Referral to Westvale Children's Social Care (MASH).",
    "Referral to Eastborough Children's Social Care.",
    "Referred to Eastborough MASH.",
    "Referral to Westvale Children\u2019s Services",
    "DSL contacted Westvale MASH by phone.",
    "Referred to St Helens CSC.",
])
def test_a_referral_naming_a_place_before_social_care_is_a_referral(text):
    # was: [] (the keywords are contiguous: "referral to children's social care")
    assert "referral_to_csc" in detect_escalations("other", text, load_vocab(SAMPLE))
    assert "referral_to_csc" in detect_escalations("other", text, VOCAB)


def test_a_declared_social_care_agencys_place_word_is_read_in_any_case():
    # the sample's vocab.yml declares "Eastborough Children's Social Care" ("Eastborough MASH")
    assert detect_escalations("other", "referred to eastborough mash", load_vocab(SAMPLE)) == ["referral_to_csc"]
    # an undeclared word in small letters is not guessed to be a place
    assert detect_escalations("other", "referred to westvale mash", VOCAB) == []


@pytest.mark.parametrize("text", [
    "No referral to Eastborough MASH.",
    "No referral to Westvale Children's Social Care needed.",
    "Referral from Eastborough MASH received.",
    "Referral received from Westvale Children's Social Care.",
    "Consider referral to Westvale MASH if attendance drops.",
])
def test_negations_receipts_and_plans_are_read_as_without_the_name(text):
    assert "referral_to_csc" not in detect_escalations("other", text, load_vocab(SAMPLE))


def test_a_service_is_no_place_and_the_plain_wording_is_unchanged():
    vocab = load_vocab(SAMPLE)
    # "School" is a service word (agency_kinds): not read away; "MASH referral" was a keyword already
    assert detect_escalations("other", "Hazelmere Primary School MASH referral made.", vocab) == ["referral_to_csc"]
    assert detect_escalations("other", "Referral to MASH.", vocab) == ["referral_to_csc"]
    assert detect_escalations("other", "Spoke to Police about the incident.", vocab) == []
    # sharing reads the place-named recipient as the destination alone
    assert shared_in_text("Info shared with Westvale Children's Social Care.", vocab) == ["Children's social care"]


@pytest.mark.parametrize("text, shared", [
    ("Referral to Westvale Children's Social Care (MASH).", ["Children's social care"]),  # was: []
    ("Referred to MASH.", ["Children's social care"]),  # was: []
    ("No referral to MASH.", []),
    ("Consider referral to MASH.", []),
    ("Referral to MASH not sent.", []),
    ("Referral from MASH received.", []),
    ("Referred to GP.", []),  # no referral to social care: its cues are not read
])
def test_a_referral_to_social_care_is_information_shared_with_it(text, shared):
    assert shared_in_text(text, load_vocab(SAMPLE), own=("Hazelmere Primary School", "education")) == shared


def test_a_schools_referral_naming_the_council_is_its_escalation_at_ingest(tmp_path):
    case = _case(tmp_path / "c", {"school.csv": ("Hazelmere Primary School", [
        ["Date", "Staff", "Type", "Details", "Action"],
        ["08/03/2022", "DSL", "Referral", "Attendance 62%; absences for illnesses staff never see.",
         "Referral to Westvale Children's Social Care (MASH)."],
        ["09/03/2022", "DSL", "Concern", "Poppy upset.", "No referral to Westvale MASH at this stage."]])})
    contacts, _ = load_contacts(load_case_config(case))
    assert contacts["escalation"].fillna("").tolist() == ["referral_to_csc", ""]
    assert contacts["informed_agencies"].fillna("").tolist() == ["Children's social care", ""]


# -- D16: the case id redacted ----------------------------------------------------------------------------------


def test_the_case_id_is_redacted_as_a_file_name_is():
    redactor = Redactor(people={"Poppy Marsh": "Child A", "Kerry Marsh": "Mother"}, case_id="qa11_poppy")
    assert redactor.text("Case qa11_poppy") == "Case qa11_Child A"  # was: "Case qa11_poppy" (an everyday word)
    assert redactor.text("reports/qa11_poppy/chronology.xlsx") == "reports/qa11_Child A/chronology.xlsx"
    assert redactor.text("a poppy field") == "a poppy field"  # the word elsewhere keeps its meaning
    assert redactor.text("qa11_poppy_2") == "qa11_poppy_2"  # another id (its words redacted only as names are)
    one_word = Redactor(people={"Poppy Marsh": "Child A"}, case_id="poppy")
    assert one_word.text("poppy") == "Child A"  # the case id printed alone (a title's)
    assert one_word.text("picked a poppy") == "picked a poppy"
    assert Redactor(people={"Poppy Marsh": "Child A"}, case_id="qa11_poppy", active=False).text(
        "Case qa11_poppy") == "Case qa11_poppy"


def _texts_of(path: Path) -> str:
    """Every text an output file holds (the XML parts of an xlsx or docx), casefolded; "" for an image or a pdf."""
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as zf:
            return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist()).casefold()
    if path.suffix in (".png", ".pdf"):
        return ""
    return path.read_text(encoding="utf-8", errors="replace").casefold()


def test_a_redacted_build_of_a_case_named_after_the_child_names_no_one(tmp_path):
    people = {"Poppy Marsh": "Child", "Kerry Marsh": "Mother", "Alfie Marsh": "Brother"}
    case = _case(tmp_path / "c", {
        "gp.csv": ("Brookfield Surgery", [
            ["Date", "Clinician", "Type of contact", "Consultation notes", "Action taken", "Child seen"],
            ["05/10/2020", "GP", "Appointment", "Kerry reports Poppy vomiting after meals.", "Food diary.", "Yes"],
            ["02/11/2020", "GP", "Appointment", "Food diary not brought. Mother requests referral.",
             "Referral to paediatrics.", "Yes"]]),
        "school.csv": ("Hazelmere Primary School", [
            ["Date", "Staff", "Type", "Details", "Action"],
            ["18/11/2021", "Class teacher", "Concern", "Poppy said 'I feel fine at school'. Alfie collected her.",
             "Logged; DSL informed."]]),
    }, case_id="qa11_poppy", people=people)
    out = tmp_path / "report"
    manifest = build_report(case, out, redact=True, progress=False)
    assert manifest["case_id"] != "qa11_poppy" and "poppy" not in manifest["case_id"].casefold()
    names = {w.casefold() for name in people for w in name.split()}
    leaks = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        text = _texts_of(path)
        found = sorted(n for n in names if n in text)
        if found:
            leaks[str(path.relative_to(out))] = found
    assert leaks == {}  # was: report.html, swimlane.svg, chronology.xlsx, chronology.docx, manifest.json ("poppy")


# -- D10: "No referral to social care" is a decision --------------------------------------------------------------


def _decision_rows(action):
    school = dict(agency="Hazelmere Primary School", agency_kind="education", contact_type="other")
    hospital = dict(agency="Kingsmere Royal Infirmary", agency_kind="health", contact_type="clinic_appointment")
    return [
        {**school, "date": "2023-03-01", "description": "Poppy said she is scared of going home; bruise on her arm.",
         "concerns": "bruising", "action": "Logged."},
        {**hospital, "date": "2023-03-20", "description": "Reviewed in clinic. Mother reports fainting.",
         "action": action},
    ]


def test_no_referral_to_social_care_is_a_decision_made_without_the_schools_concern():
    rows = _decision_rows("No referral to social care at this stage.")
    flags = detect(make_timeline(rows), None, RULES, only=["information_not_shared"])
    # the school's record that did not reach the hospital before its decision (was: none, no decision point)
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    assert "(no referral to social care) on 20 Mar 2023" in flags["explanation"].iloc[0]
    base = [f for f in baseline_flags(rows) if f["rule_id"] == "information_not_shared"]
    assert [f["trigger_event_id"] for f in base] == ["C1-e001"]
    none = detect(make_timeline(_decision_rows("Follow up in 3 months.")), None, RULES, only=["information_not_shared"])
    assert none.empty


# -- D3: hungry ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Poppy says her tummy 'doesn't hurt' and she is hungry; ate a sandwich.",
    "Says he is hungry. Ate all of his lunch.",
])
def test_a_childs_own_hunger_then_eating_is_an_appetite(text):
    assert "neglect" not in tag_concerns(text, VOCAB)  # was: neglect


@pytest.mark.parametrize("text", [
    "Child says she is always hungry.",
    "Tyler said he was hungry at school, ate two breakfasts.",
    "Says she is hungry, no breakfast.",
    "Said he was hungry; stealing food from peers.",
    "Arrived hungry.",
    "Tyler hungry and stealing food.",
])
def test_hunger_that_is_a_sign_stays_neglect(text):
    assert "neglect" in tag_concerns(text, VOCAB)


# -- D4: a thing not brought; an appointment the child was seen at ------------------------------------------------


@pytest.mark.parametrize("text", ["Food diary not brought. Mother requests a paediatric referral.",
                                  "Red book was not brought.", "Inhaler not brought in."])
def test_a_thing_not_brought_is_no_child_not_brought(text):
    assert "was_not_brought" not in tag_concerns(text, VOCAB)
    assert classify_contact_type("", text, VOCAB) != "was_not_brought"


@pytest.mark.parametrize("text", ["Poppy not brought.", "Child was not brought.", "Not brought."])
def test_the_child_not_brought_still_is(text):
    assert "was_not_brought" in tag_concerns(text, VOCAB)


def test_an_appointment_the_child_was_seen_at_is_no_missed_one(tmp_path):
    assert missed_appointment_type("clinic_appointment", "was_not_brought", VOCAB) == "was_not_brought"
    assert missed_appointment_type("clinic_appointment", "was_not_brought", VOCAB, seen=True) == "clinic_appointment"
    case = _case(tmp_path / "c", {"gp.csv": ("Brookfield Surgery", [
        ["Date", "Clinician", "Type of contact", "Consultation notes", "Action taken", "Child seen"],
        ["02/11/2020", "GP", "Appointment", "Food diary not brought. Mother requests referral.", "Referral.", "Yes"],
        ["09/11/2020", "GP", "Appointment", "DNA follow-up; seen later the same day as an emergency.", "", "Yes"],
        ["16/11/2020", "GP", "Appointment", "DNA.", "Letter to mother.", "No"]])})
    contacts, _ = load_contacts(load_case_config(case))
    assert contacts["contact_type"].tolist() == ["clinic_appointment", "clinic_appointment", "was_not_brought"]
    assert "was_not_brought" not in str(contacts["concerns"].iloc[0])


# -- D5: an ambulance's 999 call ---------------------------------------------------------------------------------


AMBULANCE = ("Midshire Ambulance Service", [
    ["Incident Date/Time", "Crew", "Details", "Disposal", "Shared with"],
    ["10/05/2021 07:42", "Paramedic", "999 call: mother reports Poppy 'unresponsive, fitting for 5 minutes'. On arrival "
     "Poppy sitting up, talking, obs normal.", "Conveyed to Kingsmere ED.", "Kingsmere Royal Infirmary"],
    ["21/05/2022 07:20", "Paramedic", "999 call: mother reports choking. On arrival Poppy well, sats 99%.",
     "Conveyed to Ashworth ED.", ""]])


def test_a_health_agencys_999_call_is_no_police_call_out():
    text = "999 call: mother reports Poppy unresponsive, fitting for 5 minutes."
    assert classify_contact_type("", text, VOCAB, agency=("Midshire Ambulance Service",)) == "other"  # was: police_callout
    assert classify_contact_type("", text, VOCAB, agency=("Westvale Police",)) == "police_callout"
    assert classify_contact_type("", "999 call: mother phoned about a domestic incident.", VOCAB,
                                 agency=("Midshire Ambulance Service",)) == "police_callout"


def test_the_ambulance_rows_are_read_with_their_crew_and_sightings(tmp_path):
    from review.pipeline import analyse, load_case
    from review.sightings import SEEN_READ, sighting_status

    case = _case(tmp_path / "c", {"ambulance.csv": AMBULANCE})
    contacts, report = load_contacts(load_case_config(case))
    assert contacts["contact_type"].tolist() == ["other", "other"]  # was: police_callout
    assert contacts["role"].tolist() == ["Paramedic", "Paramedic"]  # was: an unmapped column
    assert not any("Crew" in str(f.not_analysed()) for f in report.files)
    timeline = analyse(load_case(case)).timeline
    assert list(sighting_status(timeline)) == [SEEN_READ, SEEN_READ]  # was: unknown


# -- D17: type cells -----------------------------------------------------------------------------------------------


def test_school_and_health_record_kinds_are_read_without_a_warning(tmp_path):
    case = _case(tmp_path / "c", {
        "school.csv": ("Hazelmere Primary School", [
            ["Date", "Staff", "Type", "Details", "Action"],
            ["18/11/2021", "Class teacher", "Concern", "Poppy told her teacher she feels fine at school.", "Logged."],
            ["26/11/2021", "Attendance officer", "Attendance", "Mother phones most Mondays.", "Monitor."]]),
        "nursing.csv": ("Westvale School Nursing", [
            ["Date", "Role", "Type", "Details", "Outcome"],
            ["26/04/2021", "School nurse", "Health care plan meeting", "IHP requested by mother.", "IHP written."],
            ["07/02/2022", "School nurse", "School visit", "NG tube training for staff.", "Phoned GP."]]),
        "hospital.csv": ("Ashworth General Hospital", [
            ["Date", "Clinician", "Type of contact", "Summary", "Outcome"],
            ["11/01/2021", "Consultant paediatrician", "Results", "Bloods and ultrasound all normal.", "Letter to GP."],
            ["04/04/2022", "Safeguarding nurse", "Safeguarding note", "Checklist completed: no concerns.", "None."]]),
        "csc.csv": ("Westvale Children's Social Care", [
            ["Date", "Worker", "Type of contact", "Details", "Outcome"],
            ["12/04/2023", "SW", "Case note", "Sibling history noted.", "Manager informed."]]),
    })
    contacts, report = load_contacts(load_case_config(case))
    assert contacts["contact_type"].tolist() == ["other"] * 7
    warnings = [w.message for f in report.files for w in f.warnings]
    assert not [m for m in warnings if "type" in m.casefold() and "not" in m.casefold()], warnings
    # a police force's "Concern for welfare" is still its call-out
    assert classify_contact_type("Concern for welfare", "Welfare check.", VOCAB,
                                 agency=("Westvale Police",)) == "police_callout"
