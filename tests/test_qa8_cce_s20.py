"""QA8 (child criminal exploitation case "tyrese", s20): the readings and rules its report found wrong.

D4 "Detail" and "Next steps" columns read; D5 an adult brother's record, or a row naming the case's child present,
is no other child's; D8 a notification "sent to Brackmoor CSC" answers exploitation_not_referred; D10 CAMHS
"Discharged back to GP after DNA" is a service closure; D11 a managed move to a pupil referral unit is no child
missing education, the health visitor named for under-5s only, "Pupil Referral Unit" no referral; D16 type cells
"Return home interview", "Exclusion", "Court" known, a quoted street name redacted."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from review.config import load_case_config, package_data
from review.ingest import load_contacts
from review.ingest.identity import OtherChild, subject_other_child
from review.pipeline import analyse, load_case
from review.redact import Redactor
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import description_contact_type, type_cell_contact_type

from _baseline import baseline_rowwise

RULES = load_rules()
VOCAB = package_data("vocab.yml")


def _case(case_dir: Path, files: dict[str, list[list[str]]], people=None, dob="2008-06-14") -> Path:
    case_dir.mkdir(parents=True)
    raw = {"case_id": "th", "child_name": "Tyrese Hollins", "date_of_birth": dob, "review_date": "2024-06-30",
           "people": people or {"Tyrese Hollins": "Child", "Donna Hollins": "Mother", "Kyle Hollins": "Brother"},
           "files": [{"path": name, "agency": agency} for name, (agency, _) in files.items()]}
    (case_dir / "case.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    for name, (_, rows) in files.items():
        with open(case_dir / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return case_dir


# -- D4: "Next steps" is the action, "Detail" the description -------------------------------------------------


def test_a_next_steps_column_is_the_action_and_a_detail_column_the_description(tmp_path):
    case = _case(tmp_path / "c", {
        "yjs.csv": ("Brackmoor Youth Justice Service", [
            ["Date seen", "Worker", "Notes", "Next steps"],
            ["15/08/2023", "YJ worker", "High risk of child criminal exploitation.",
             "Shared with CSC exploitation team by email."]]),
        "csc.csv": ("Brackmoor Children's Social Care", [
            ["Date", "Worker", "Detail", "Contact / Referral outcome"],
            ["02/03/2023", "MASH", "Mother phoned MASH: lost control of him.", "Case closed - NFA."]]),
    })
    contacts, report = load_contacts(load_case_config(case))
    by_agency = contacts.set_index("agency")
    assert by_agency.loc["Brackmoor Youth Justice Service", "action"] == "Shared with CSC exploitation team by email."
    assert by_agency.loc["Brackmoor Children's Social Care", "description"] == "Mother phoned MASH: lost control of him."
    assert by_agency.loc["Brackmoor Children's Social Care", "action"] == "Case closed - NFA."


def test_next_steps_beside_an_action_column_follows_it_and_takes_nothing_from_it(tmp_path):
    case = _case(tmp_path / "c", {"yjs.csv": ("Brackmoor Youth Justice Service", [
        ["Date", "Details", "Action taken", "Next steps"],
        ["15/08/2023", "Seen at office.", "Risk assessment updated.", "Review in 4 weeks."]])})
    contacts, _ = load_contacts(load_case_config(case))
    assert contacts["description"].tolist() == ["Seen at office."]
    assert contacts["action"].tolist() == ["Risk assessment updated.\nNext steps: Review in 4 weeks."]


def test_the_youth_justice_services_shared_concern_is_no_exploitation_flag(tmp_path):
    case = _case(tmp_path / "c", {"yjs.csv": ("Brackmoor Youth Justice Service", [
        ["Date seen", "Worker", "Notes", "Next steps"],
        ["15/08/2023", "YJ worker", "AssetPlus: sells for a man from Hartsford. High risk of child criminal "
                                    "exploitation.", "Shared with CSC exploitation team by email."],
        ["16/08/2023", "YJ worker", "AssetPlus: High risk of child criminal exploitation.", "Monitor."]])})
    flags = analyse(load_case(case)).flags
    exploitation = flags[flags["rule_id"] == "exploitation_not_referred"] if len(flags) else flags
    # the 15/08 row shared the concern with social care in its Next steps; the 16/08 row's "Monitor." did not
    days = set(pd.to_datetime(exploitation["trigger_date"]).dt.date)
    assert dt.date(2023, 8, 15) not in days and dt.date(2023, 8, 16) in days


# -- D5: an adult brother's row, a row naming the case's child present --------------------------------------------

KYLE = (OtherChild(("kyle", "hollins"), "Kyle Hollins", "Brother"),)
CHILD = ("tyrese", "hollins")


@pytest.mark.parametrize("text, expected", [
    # an age of 18 or more in the note, or after the name: an adult, whatever case.yml's role word
    ("Kyle Hollins (19, brother) arrested for supply of Class A.", None),
    ("Kyle Hollins, aged 19, arrested.", None),
    ("Jayden (aged 20, half-brother) found alone.", None),
    # the case's child named present or seen: kept (with a warning)
    ("Kyle Hollins (7, brother) found home alone; Tyrese was also present.", ("Kyle Hollins", True)),
    ("Kyle Hollins found home alone. Tyrese seen at home.", ("Kyle Hollins", True)),
    # still another child's record
    ("Kyle Hollins (aged 7, brother) found home alone while mother out searching for Tyrese.", ("Kyle Hollins", False)),
    ("Kyle Hollins (18 months, brother) found in a cold flat.", ("Kyle Hollins", False)),
    ("Kyle Hollins, 25 Calder Walk, found home alone.", ("Kyle Hollins", False)),  # an address, no age
    ("Jayden (aged 4, half-brother) found alone.", ("Jayden", False)),
])
def test_an_adult_or_a_row_naming_the_child_present_is_no_other_childs(text, expected):
    reading = subject_other_child(text, KYLE, CHILD)
    assert (None if reading is None else (reading[0], reading[2])) == expected


def test_the_adult_brothers_warrant_at_the_family_home_is_kept(tmp_path):
    case = _case(tmp_path / "c", {"police.csv": ("Westshire Police", [
        ["Date", "Occurrence Type", "Summary", "Action Taken"],
        ["10/01/2024", "Warrant", "Kyle Hollins (19, brother) arrested for supply of Class A. Warrant executed at the "
                                  "family home; Tyrese present.", "NFA re Tyrese."],
        ["11/01/2024", "Concern", "Kyle Hollins (aged 7, brother) found home alone.", "Words of advice."]])})
    contacts, report = load_contacts(load_case_config(case))
    assert contacts["source_row"].tolist() == [2]
    assert [r.row for r in report.files[0].rejections] == [3]


# -- D8: a notification sent to <Place> CSC ------------------------------------------------------------------------


def _police_missing(tmp_path, action):
    return _case(tmp_path / "c", {"police.csv": ("Westshire Police", [
        ["Date", "Occurrence Type", "Summary", "Action Taken"],
        ["03/12/2022", "Missing person", "Tyrese reported missing by mother. Returned home next day.", action]])})


@pytest.mark.parametrize("action, flagged", [
    ("Missing episode closed. RHI request sent to Brackmoor CSC.", False),
    ("Referral sent to Westshire MASH.", False),
    ("RHI request to be sent to Brackmoor CSC.", True),  # only planned
    ("Not sent to Brackmoor CSC.", True),
    ("Missing episode closed.", True),
])
def test_a_notification_sent_to_the_councils_csc_answers_a_missing_episode(tmp_path, action, flagged):
    flags = analyse(load_case(_police_missing(tmp_path, action))).flags
    raised = len(flags) and (flags["rule_id"] == "exploitation_not_referred").any()
    assert bool(raised) == flagged


@pytest.mark.parametrize("action, informed, flagged", [
    ("RHI request sent to Brackmoor CSC.", "", False),  # its text says it was sent
    ("RHI request to be sent to Brackmoor CSC.", "", True),
    # an "Information shared with" cell alone (the synthetic store's record shared with every agency) is no referral
    ("Missing episode closed.", "Children's social care", True),
])
def test_the_baseline_reads_a_notification_sent_to_csc_as_the_package_does(action, informed, flagged):
    police = dict(agency="Westshire Police", agency_kind="police", contact_type="police_callout", concerns="missing",
                  description="Tyrese reported missing by mother.")
    timeline = make_timeline([dict(police, date="2022-12-03", action=action, informed_agencies=informed)],
                             dob="2008-06-14")
    package = detect(timeline, None, RULES, only=["exploitation_not_referred"])
    rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        rows.append(r)
    _, base = baseline_rowwise.run(rows, {"C1": {"date_of_birth": dt.date(2008, 6, 14), "review_date": None}}, RULES)
    base = [f for f in base if f["rule_id"] == "exploitation_not_referred"]
    assert sorted(package["flag_id"] if len(package) else []) == sorted(f["flag_id"] for f in base)
    assert bool(len(base)) == flagged


# -- D10: CAMHS discharging to the GP after a DNA ----------------------------------------------------------------


def _camhs(action):
    return [
        dict(date="2024-02-15", agency="Westshire Police", agency_kind="police", contact_type="arrest",
             concerns="substance_misuse", description="Arrested with drugs and a knife.", action="RUI."),
        dict(date="2024-02-27", agency="Westshire CAMHS", agency_kind="health", contact_type="was_not_brought",
             concerns="was_not_brought", description="Tyrese did not attend. Mum phoned - he refused to come.",
             action=action),
    ]


@pytest.mark.parametrize("action, closed", [
    ("Discharged back to GP after DNA.", True),
    ("Discharged to GP care.", True),
    ("Discharged after DNA.", True),
    ("New appointment offered.", False),
    ("GP letter sent.", False),
])
def test_camhs_discharging_to_the_gp_after_a_dna_is_a_closure(action, closed):
    flags = detect(make_timeline(_camhs(action), dob="2008-06-14"), None, RULES, only=["closure_with_open_concerns"])
    assert bool(len(flags)) == closed


def test_the_was_not_brought_discharge_variant_reads_discharged_back_to_gp():
    # the discharge of was_not_brought's variant discharged: a was_not_brought row naming one of its discharge_words
    from review.rules.base import _mentioned

    words = [str(w) for w in RULES["rules"]["was_not_brought"]["params"]["discharge_words"]]
    assert _mentioned("Tyrese did not attend. . Discharged back to GP after DNA.", words, ())
    assert not _mentioned("Tyrese did not attend. . New appointment offered.", words, ())


# -- D11: a managed move to a pupil referral unit ---------------------------------------------------------------

ACADEMY = "Brackmoor Academy"


def _school(leaving_text, dob="2008-06-14", days=("2023-01-17", "2023-03-03")):
    return make_timeline([
        dict(date=days[0], agency=ACADEMY, agency_kind="education", concerns="exploitation",
             description="Seen on CCTV getting into a car with older males.", action="DSL logged. Monitor."),
        dict(date=days[1], agency=ACADEMY, agency_kind="education", description=leaving_text,
             action="Safeguarding file to follow."),
    ], dob=dob)


@pytest.mark.parametrize("text, flagged", [
    ("Tyrese taken off roll; transfer to Riverside Pupil Referral Unit.", False),
    ("Removed from roll: managed move to Oakfield High.", False),
    ("Taken off roll; transfer to new school, destination not known.", True),
    ("Taken off roll; no forwarding school.", True),
])
def test_a_move_to_a_named_school_or_pru_is_no_child_missing_education(text, flagged):
    timeline = _school(text)
    flags = detect(timeline, None, RULES, only=["withdrawn_with_concerns"])
    assert bool(len(flags)) == flagged
    rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        rows.append(r)
    _, base = baseline_rowwise.run(rows, {"C1": {"date_of_birth": dt.date(2008, 6, 14), "review_date": None}}, RULES)
    assert sorted(flags["flag_id"] if len(flags) else []) == \
        sorted(f["flag_id"] for f in base if f["rule_id"] == "withdrawn_with_concerns")


def test_the_health_visitor_is_named_for_an_under_five_only():
    text = "Taken off roll; no forwarding school."
    older = detect(_school(text), None, RULES, only=["withdrawn_with_concerns"]).iloc[0]
    assert "(or the school nurse)" in older.expected_action and "health visitor" not in older.expected_action
    assert "no notification to children's social care or the school nurse" in older.explanation
    young = detect(_school(text, dob="2020-06-14"), None, RULES, only=["withdrawn_with_concerns"]).iloc[0]
    assert "(or the health visitor)" in young.expected_action and "school nurse" not in young.expected_action
    assert "no notification to children's social care or the health visitor" in young.explanation


def test_a_pupil_referral_unit_is_a_place_not_a_referral():
    assert description_contact_type("Tyrese taken off roll; transfer to Riverside Pupil Referral Unit.", VOCAB) == ""
    assert description_contact_type("Referral to CAMHS made.", VOCAB) == "referral"


# -- D16: type cells; a street name in quotes ---------------------------------------------------------------------


@pytest.mark.parametrize("cell, expected", [
    ("Return home interview", "home_visit"), ("RHI", "home_visit"), ("Exclusion", "other"), ("Court", "other"),
    ("Court - referral to CSC", "referral"), ("Meeting", ""),
])
def test_common_type_cells_are_known(cell, expected):
    assert type_cell_contact_type(cell, VOCAB) == expected


@pytest.mark.parametrize("text", ["Return home interview requested.", "RHI requested. Intel submitted.",
                                  "Fixed-term exclusion for cannabis.", "Mother attended court with him."])
def test_those_words_type_no_description(text):
    assert description_contact_type(text, VOCAB) in ("", "other") and description_contact_type(text, VOCAB) != "home_visit"


def test_a_quoted_street_name_is_redacted_and_a_quoted_title_is_not(tmp_path):
    case = _case(tmp_path / "c", {"police.csv": ("Westshire Police", [["Date", "Summary"], ["15/02/2024", "x"]])})
    redactor = Redactor.from_case(load_case_config(case))
    out = redactor.text("Disclosed he was made to hold drugs by a man called 'Dee' to pay off a debt.")
    assert "Dee" not in out and "a man called '[name]'" in out
    assert "[name]" in redactor.text('He is known as "Trapz" on the estate.')
    assert redactor.text("Plays a game called 'Fortnite' all night.").endswith("called 'Fortnite' all night.")
