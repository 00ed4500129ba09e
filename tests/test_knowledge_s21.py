"""Session 21 (task F, knowledge): a decision on a record about another person of the family (a sibling's warrant,
"NFA re Tyrese") is no decision about the child; a receipt without "from" ("Police notification received re DA
incident") names its sender; readings of "feel unsafe", "older boys" and a parent's arrest for PWITS; the
timeline's order of partial dates."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.knowledge import (agency_knowledge, names_sender, other_subject_decision, subject_names)
from review.rules.testing import make_timeline

from _baseline import baseline_rowwise

RULES = load_rules()
DOB = "2008-06-14"
PEOPLE = {"Tyrese Hollins": "Child", "Donna Hollins": "Mother", "Kyle Hollins": "Brother"}
SAFEGUARDING = tuple(RULES["settings"]["decision_other_subject_safeguarding_words"])
KEYWORDS = list(RULES["settings"]["decision_keywords"])


def _case(people=PEOPLE):
    return SimpleNamespace(case_id="C1", child_name="Tyrese Hollins", people=people,
                           date_of_birth=dt.date(2008, 6, 14))


def _flags(rows, people=PEOPLE, only="information_not_shared"):
    """(the package's flags of `only`, the baseline's flag ids of it) of `rows`, case.yml naming `people`."""
    timeline = make_timeline(rows, dob=DOB)
    package = detect(timeline, _case(people) if people else None, RULES, only=[only])
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    info = {"date_of_birth": dt.date(2008, 6, 14), "review_date": None}
    if people:
        info.update(people=people, child_name="Tyrese Hollins")
    _, base = baseline_rowwise.run(base_rows, {"C1": info}, RULES)
    return package, sorted(f["flag_id"] for f in base if f["rule_id"] == only)


# -- 1. a decision on a record about another person ------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # the brother's warrant: "NFA re Tyrese" is his disposal there as a suspect or witness
    ("Kyle Hollins (19, brother) arrested on warrant. Warrant executed at the family home; Tyrese present. . "
     "NFA re Tyrese.", True),
    ("Warrant for Kyle Hollins (brother) executed. . No further action.", True),
    ("Donna Hollins arrested for shoplifting. . NFA.", True),
    # the child named in it only as present there: still the brother's record
    ("Warrant executed for Kyle Hollins (brother) at the family home, Tyrese present. . NFA re Tyrese.", True),
    ("Kyle Hollins arrested, Tyrese was also present. . NFA.", True),
    # the decision names the child and his safeguarding: a decision about him
    ("Kyle Hollins (19, brother) arrested on warrant. Tyrese present. . NFA re Tyrese, no safeguarding concerns.",
     False),
    ("Kyle Hollins arrested. . NFA re Tyrese; referral to CSC not required.", False),
    ("Tyrese present when Kyle Hollins was arrested. . NFA.", True),
    # the child's own record, or one naming him otherwise than present
    ("Tyrese stopped and searched with Kyle. . NFA.", False),
    ("Kyle Hollins (19, brother) assaulted Tyrese at home. . NFA.", False),  # the child harmed: his record too
    ("Stop and search. . NFA.", False),
    # a name written without its capital is no name ("kyle" is read as a word only with its capital)
    ("kyle arrested. . NFA.", False),
])
def test_a_decision_on_another_persons_record(text, expected):
    others, child = subject_names(PEOPLE, "Tyrese Hollins")
    assert (others, child) == (("donna", "kyle"), "tyrese")
    assert other_subject_decision(text, others, child, SAFEGUARDING, KEYWORDS) is expected


SCHOOL = dict(agency="Brackmoor Academy", agency_kind="education", contact_type="other", concerns="exploitation",
              description="Tyrese seen getting into cars with older males; new phone and cash.", action="Logged.")
POLICE_FIRST = dict(date="2023-12-01", agency="Westshire Police", agency_kind="police", contact_type="police_callout",
                    description="Tyrese stopped and searched in the town centre, nothing found.",
                    action="Words of advice.")


def _warrant(action):
    return dict(date="2024-01-10", agency="Westshire Police", agency_kind="police", contact_type="police_callout",
                description="Kyle Hollins (19, brother) arrested on warrant. Warrant executed at the family home; "
                            "Tyrese present.", action=action)


def test_nfa_re_the_child_on_his_brothers_warrant_is_no_decision_about_him():
    rows = [POLICE_FIRST, dict(SCHOOL, date="2024-01-05"), _warrant("NFA re Tyrese.")]
    package, base = _flags(rows)
    assert package.empty and base == []
    # the knowledge table has no decision point there
    knowledge = agency_knowledge(make_timeline(rows, dob=DOB), RULES, _case())
    assert knowledge.empty
    # without case.yml's people (no brother known) the row stays a decision, as before
    package, base = _flags(rows, people=None)
    assert package["trigger_event_id"].tolist() == ["C1-e002"] and base == package["flag_id"].tolist()
    assert "before its decision (no further action) on 10 Jan 2024" in package["explanation"].iloc[0]


def test_a_decision_naming_the_childs_safeguarding_on_the_same_record_is_still_one():
    rows = [POLICE_FIRST, dict(SCHOOL, date="2024-01-05"),
            _warrant("NFA re Tyrese - no safeguarding concerns identified for him.")]
    package, base = _flags(rows)
    assert package["trigger_event_id"].tolist() == ["C1-e002"]
    assert base == package["flag_id"].tolist()


# -- 2. a receipt without "from" --------------------------------------------------------------------------------

CUES = tuple(RULES["rules"]["information_not_shared"]["params"]["sender_cues"])


@pytest.mark.parametrize("text, agency, kind, expected", [
    ("Police notification received re DA incident at the family home. NFA.", "Westshire Police", "police", True),
    ("Notification received re DA incident attended by Westshire Police.", "Westshire Police", "police", True),
    ("Notification from police received: DA incident.", "Westshire Police", "police", True),
    ("PPN received re DA incident.", "Westshire Police", "police", False),  # no sender named
    ("Referral received re DA, police informed.", "Westshire Police", "police", False),  # a recipient
    ("PPN received re DA; copy to police.", "Westshire Police", "police", False),
    ("Police attended. DA incident.", "Westshire Police", "police", False),  # no receipt
    ("School email received re hunger.", "Kingsway Academy", "education", False),  # no word of the name
    ("Kingsway Academy email received re hunger.", "Kingsway Academy", "education", True),
    ("Police notification received re DA incident.", "Eastshire Children's Social Care", "social care", False),
])
def test_a_receipt_names_its_sender_without_from(text, agency, kind, expected):
    assert names_sender(text, agency, kind, "social care", CUES) is expected


@pytest.mark.parametrize("text, receiver, expected", [
    # social care's own "Social care referral received" names no other social care as its sender
    ("Social care referral received re neglect.", "social care", False),
    ("Eastshire CSC notification received re neglect.", "social care", True),
    ("Social care referral received re neglect.", "police", True),
])
def test_a_receipt_naming_only_the_receivers_own_kind_names_no_other_agency(text, receiver, expected):
    assert names_sender(text, "Eastshire Children's Social Care", "social care", receiver, CUES) is expected


def test_social_cares_receipt_of_the_polices_own_notification_is_known_to_the_police():
    police = dict(agency="Westshire Police", agency_kind="police", contact_type="police_callout")
    rows = [dict(police, date="2024-01-02", description="Called to the family home: verbal argument between adults.",
                 action="Words of advice."),
            dict(date="2024-01-04", agency="Brackmoor Children's Social Care", agency_kind="social care",
                 contact_type="other", concerns="domestic_abuse",
                 description="Police notification received re DA incident at the family home.", action="Logged."),
            dict(police, date="2024-01-20", description="Tyrese reported by mother as out late; returned.",
                 action="No further action.")]
    package, base = _flags(rows, people=None)
    assert package.empty and base == []
    # a receipt naming no sender: the police are not known to have sent it
    rows[1] = dict(rows[1], description="Notification received re DA incident at the family home.")
    package, base = _flags(rows, people=None)
    assert package["trigger_event_id"].tolist() == ["C1-e002"] and base == package["flag_id"].tolist()


# -- 3. readings --------------------------------------------------------------------------------------------------

from review.config import package_data  # noqa: E402
from review.vocab import tag_concerns  # noqa: E402

VOCAB = package_data("vocab.yml")


@pytest.mark.parametrize("text, tags", [
    # the child's own words that they feel unsafe: emotional abuse's "feel frightened or in danger" (no flag of its own)
    ("Tyrese says he feels unsafe.", {"emotional_abuse"}),
    ("I feel unsafe.", {"emotional_abuse"}),
    ("Feels unsafe walking home past the estate.", {"emotional_abuse"}),
    ("Feels unsafe at home.", {"emotional_abuse"}),
    ("Says he does not feel unsafe.", set()),
    ("Denies feeling unsafe.", set()),
    ("Mum feels unsafe.", set()),  # the adult's (adults_concerns)
    ("Staff feel unsafe around him.", set()),  # a practitioner's, no concern of the child's
    ("SW felt unsafe at the address due to the dog.", set()),
    # older boys, older lads: as older males
    ("Reported by peers to be hanging around with older boys from the estate.", {"exploitation"}),
    ("Seen with older lads in the park late at night.", {"exploitation"}),
    ("Bullied by older boys at school.", set()),
    # an adult's drug supply or weapon offence is the adult's, no exploitation of the child's
    ("Mother arrested for PWITS.", set()),
    ("Adult male arrested for supplying drugs at the address.", set()),
    ("Mother arrested for possession of a bladed article.", set()),
    ("Mother arrested for supply of Class A.", set()),
    ("Mother arrested for PWITS; Class A drugs found in the kitchen.", {"substance_misuse"}),  # by their own words
    # the child's own still is
    ("Tyrese arrested for PWITS.", {"exploitation"}),
    ("Mother reports Tyrese arrested for PWITS.", {"exploitation"}),
    ("Found with a bladed article.", {"exploitation"}),
    # other signs stay the child's whoever the clause names
    ("Mum worried he is with older males.", {"exploitation"}),
    ("Mother says county lines.", {"exploitation"}),
])
def test_readings(text, tags):
    found = set(tag_concerns(text, VOCAB)) & {"emotional_abuse", "exploitation", "substance_misuse"}
    assert found == tags


def test_a_parents_arrest_for_pwits_named_in_case_yml_is_no_exploitation_flag(tmp_path):
    import csv

    import yaml

    from review.pipeline import analyse, load_case

    case = tmp_path / "c"
    case.mkdir()
    (case / "case.yml").write_text(yaml.safe_dump({
        "case_id": "th", "child_name": "Tyrese Hollins", "date_of_birth": DOB, "review_date": "2024-06-30",
        "people": PEOPLE, "files": [{"path": "police.csv", "agency": "Westshire Police"}]}), encoding="utf-8")
    with open(case / "police.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([
            ["Date", "Occurrence Type", "Summary", "Action Taken"],
            ["10/01/2024", "Warrant", "Donna Hollins arrested for PWITS at the family home.", "Charged."],
            ["20/01/2024", "Concern", "Tyrese arrested for PWITS in Hartsford.", "Bailed."]])
    analysis = analyse(load_case(case))
    assert analysis.timeline["concerns"].fillna("").tolist() == ["", "exploitation"]
    flags = analysis.flags
    days = set(pd.to_datetime(flags.loc[flags["rule_id"] == "exploitation_not_referred", "trigger_date"]).dt.date)
    assert days == {dt.date(2024, 1, 20)}


# -- 4. a partial date among its file's rows of the same day ------------------------------------------------------

def _contacts(rows):
    from pathlib import Path

    from review.config import CaseConfig
    from review.schema import CONTACT_COLUMNS, conform
    from review.timeline import build_timeline

    frame = conform(pd.DataFrame([dict(case_id="c1", contact_type="home_visit", description="", **r) for r in rows]),
                    CONTACT_COLUMNS)
    case = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2006, 1, 31))
    return frame, build_timeline(frame, case)


HV = dict(agency="Health Visiting", agency_kind="health", source_file="hv.csv")
GP = dict(agency="GP", agency_kind="health", source_file="gp.csv")
CSC = dict(agency="Children's Social Care", agency_kind="social care", source_file="csc.csv")


def test_a_partial_date_keeps_its_files_order_among_the_files_rows_of_its_first_day():
    rows = [
        dict(HV, event_id="hv-mar", date="2007-03-01", date_precision="month", source_row=2),
        dict(HV, event_id="hv-1mar", date="2007-03-01", date_precision="day", source_row=3),
        dict(HV, event_id="hv-5mar", date="2007-03-05", date_precision="day", source_row=4),
        dict(GP, event_id="gp-1mar", date="2007-03-01", date_precision="day", source_row=2),
        dict(CSC, event_id="csc-mar", date="2007-03-01", date_precision="month", source_row=2),
        dict(CSC, event_id="csc-feb", date="2007-02-27", date_precision="day", source_row=3),
    ]
    frame, timeline = _contacts(rows)
    # the date order stands (a partial date at its period's start); on 1 Mar the files with an exact row first,
    # each in its own order (health visiting's "Mar 2007" above its "01/03/2007", as its file has them), then
    # social care's month alone
    assert timeline["event_id"].tolist() == ["csc-feb", "gp-1mar", "hv-mar", "hv-1mar", "csc-mar", "hv-5mar"]
    assert timeline["date"].is_monotonic_increasing
    # whatever the input order
    for order in ([5, 4, 3, 2, 1, 0], [2, 0, 4, 1, 5, 3]):
        _, shuffled = _contacts([rows[i] for i in order])
        assert shuffled["event_id"].tolist() == timeline["event_id"].tolist()
    # the row-by-row baseline orders them the same way
    base = [dict(r, date=pd.Timestamp(r["date"]).to_pydatetime()) for r in
            frame.astype(object).where(frame.notna(), None).to_dict("records")]
    built = baseline_rowwise.build_timeline(base, {"date_of_birth": dt.date(2006, 1, 31), "review_date": None})
    assert [r["event_id"] for r in built] == timeline["event_id"].tolist()


def test_a_files_rows_of_one_day_and_one_precision_keep_the_files_order():
    rows = [dict(HV, event_id=f"hv{i}", date="2007-03-01", date_precision=p, source_row=r)
            for i, (p, r) in enumerate([("month", 5), ("month", 2), ("year", 3), ("day", 4)])]
    _, timeline = _contacts(rows)
    assert timeline["event_id"].tolist() == ["hv1", "hv2", "hv3", "hv0"]  # by row: 2, 3, 4, 5
