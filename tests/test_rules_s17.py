"""Session 17, rule readings, each checked in the package and the row-by-row baseline
(benchmarks/baseline_rowwise.py) alike:

* nonmobile_injury names the referring agency's own referral, not social care's receipt of it recorded the same
  day, as its response;
* transfer_in_conference_late takes the receiving local authority's conference recorded under another of its
  social care names ("Westshire Children's Services" notified, "Westshire CSC" conference), not another
  authority's, and a refusal ("refused") anywhere in the notification's sentence stops it, as "declined" did;
* self_harm_not_referred: a CAMHS contact recording the referral going nowhere ("Referral declined", "does not
  meet threshold, signposted back to GP") is no response, but the flag's evidence; a CAMHS referral its record's
  text dates ("Referral to CAMHS sent 20/03/2037") answers from that day, as a referral to social care does;
* self_harm_not_referred reads a parent's report of self-harm with the case's own people (case.yml `people`:
  "Sian says she self-harmed", Sian the mother) and the child's own name ("Jade says she self-harmed"), as
  ingest reads whose it is;
* information_not_shared: checked, its explanation names no end of the review where the child died (nothing to
  change: its flags carry no search for an action that a death could cut short).
"""
from __future__ import annotations


import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.base import keyword_referral_day, referral_text_dates
from review.rules.self_harm_not_referred import case_reporters, reported_child_self_harm
from review.rules.transfer_in_conference_late import local_authority
from review.rules.testing import make_timeline

from _baseline import baseline_flags, baseline_rowwise

RULES = load_rules()
CSC = {"agency": "Eastborough Children's Social Care", "agency_kind": "social care"}
ED = {"agency": "Riverside General Hospital", "agency_kind": "health"}


def _flags(rows, rule, rules=RULES, **kw):
    return detect(make_timeline(rows, **kw), None, rules, only=[rule])


def _pairs(flags):
    return sorted(zip(flags["flag_id"], flags["actual_action_event_id"].fillna(""))) if len(flags) else []


def _baseline_pairs(rows, rule, rules=None):
    return sorted((f["flag_id"], f["actual_action_event_id"] or "") for f in baseline_flags(rows, rules)
                  if f["rule_id"] == rule)


# nonmobile_injury: the referring agency's own referral, not the receipt of the same day --------------------------
def _bruise_rows():
    # a 3-month-old's bruise seen in ED on 2 May; social care's record of receiving the referral is entered
    # before the hospital's own referral row of 3 May; the CP medical on 5 May makes the flag late
    return [
        {"date": "2023-04-02", "contact_type": "ae_attendance", "concerns": "bruising",
         "description": "Bruise to cheek, 3-month-old, not mobile.", "action": "Discharged home", **ED},
        {"date": "2023-04-03", "contact_type": "referral", "description": "Referral from ED re cheek bruise received.",
         **CSC},
        {"date": "2023-04-03", "contact_type": "letter", "description": "Referral to MASH sent re bruise to cheek.",
         "escalation": "referral_to_csc", **ED},
        {"date": "2023-04-05", "contact_type": "cp_medical", "description": "Child protection medical completed.",
         "escalation": "cp_medical", **ED},
    ]


def test_nonmobile_injury_names_the_referring_agency_s_referral_not_the_receipt_of_the_same_day():
    # the CP medical the same day as the bruise: the referral of the next day is the late part, the action named
    rows = _bruise_rows()[:3] + [{**_bruise_rows()[3], "date": "2023-04-02"}]
    flags = _flags(rows, "nonmobile_injury")
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]
    flag = flags.iloc[0]
    # the hospital's own referral (e003), not the receipt (e002) the timeline puts first on 3 Apr (before s17)
    assert flag.actual_action_event_id == "C1-e003"
    assert flag.delay_days == 1
    assert _pairs(flags) == _baseline_pairs(rows, "nonmobile_injury")


def test_nonmobile_injury_a_receipt_alone_is_still_the_referral_and_named_so():
    rows = [r for r in _bruise_rows() if r.get("escalation") != "referral_to_csc"]
    rows[-1] = {**rows[-1], "date": "2023-09-01", "contact_type": "home_visit", "escalation": "",
                "description": "Child seen."}
    flags = _flags(rows, "nonmobile_injury")
    flag = flags.iloc[0]
    assert "the next referral by any agency came on 3 Apr 2023 (referral received, Eastborough Children's Social Care)" \
        in flag.explanation
    assert _pairs(flags) == _baseline_pairs(rows, "nonmobile_injury")


def test_nonmobile_injury_the_referral_is_named_when_only_the_medical_is_missing():
    rows = _bruise_rows()[:3] + [{"date": "2023-09-01", "contact_type": "home_visit", "description": "Child seen.", **CSC}]
    flags = _flags(rows, "nonmobile_injury")
    flag = flags.iloc[0]
    assert ("the next referral by any agency came on 3 Apr 2023 (referral to children's social care, Riverside "
            "General Hospital)") in flag.explanation
    assert _pairs(flags) == _baseline_pairs(rows, "nonmobile_injury")


# transfer_in_conference_late: the same local authority under another name; "refused" anywhere ------------------
TRANSFER = "transfer_in_conference_late"
# (s18) the one list: settings.authority_words (the rule's own authority_words is null, read as it)
AUTHORITY_WORDS = RULES["settings"]["authority_words"]


def _transfer_rows(conference_agency, kind="social care", text="Transfer-in notification from Eastshire received: "
                   "Tyler, CP plan (neglect)."):
    return [
        {"date": "2037-10-10", "agency": "Westshire Children's Services", "agency_kind": "social care",
         "contact_type": "letter", "description": text},
        {"date": "2037-10-24", "agency": conference_agency, "agency_kind": kind, "contact_type": "cp_conference",
         "description": "Transfer-in child protection conference held, CP plan continued."},
        {"date": "2038-02-20", "agency": "GP", "agency_kind": "health", "contact_type": "clinic_appointment"},
    ]


@pytest.mark.parametrize("name, authority", [
    ("Westshire Children's Services", "westshire"),
    ("Westshire Children's Social Care", "westshire"),
    ("Westshire CSC", "westshire"),
    ("Westshire County Council Childrens Services", "westshire"),
    ("London Borough of Westshire", "westshire"),
    ("North Westshire CSC", "north westshire"),
    ("Eastshire CSC", "eastshire"),
    ("Children's Social Care", "childrens social care"),  # no authority named: only itself
])
def test_local_authority_of_a_social_care_name(name, authority):
    assert local_authority(name, AUTHORITY_WORDS) == authority


@pytest.mark.parametrize("conference_agency, kind, answered", [
    ("Westshire Children's Services", "social care", True),    # the same name, as before
    ("Westshire Children's Social Care", "social care", True),  # before s17: flagged, "none is recorded"
    ("Westshire CSC", "social care", True),
    ("Eastshire CSC", "social care", False),       # the sending authority's review conference
    ("North Westshire CSC", "social care", False),  # another authority
    ("Westshire Police", "police", False),          # not of the social care kind
])
def test_a_conference_by_the_same_local_authority_under_another_name_answers(conference_agency, kind, answered):
    rows = _transfer_rows(conference_agency, kind)
    flags = _flags(rows, TRANSFER, dob="2030-01-01")
    assert flags.empty == answered
    assert _pairs(flags) == _baseline_pairs(rows, TRANSFER)


def test_a_later_notification_under_another_name_of_the_same_authority_is_the_same_transfer():
    rows = _transfer_rows("Westshire CSC")
    rows[1] = {**rows[0], "date": "2037-10-12", "agency": "Westshire CSC",
               "description": "Transfer-in request from Eastshire: chased, CP plan."}
    rows.insert(2, {**_transfer_rows("Westshire CSC")[1], "date": "2037-12-01"})
    flags = _flags(rows, TRANSFER, dob="2030-01-01")
    assert flags["trigger_event_id"].tolist() == ["C1-e001"]  # one late conference: the first notification's flag
    assert flags.iloc[0].actual_action_event_id == "C1-e003"
    assert _pairs(flags) == _baseline_pairs(rows, TRANSFER)


@pytest.mark.parametrize("text, notified", [
    ("Transfer-in request from Eastshire refused, CP plan (neglect).", False),  # before s17: a notification
    ("Transfer-in request from Eastshire for Tyler, CP plan: refused by Westshire.", False),
    ("Transfer-in request refused, CP plan.", False),  # straight after the keyword, as before
    ("Transfer-in notification from Eastshire received: Tyler, CP plan. Mother refused entry at first visit.", True),
])
def test_refused_anywhere_in_the_notification_s_sentence_is_no_notification(text, notified):
    rows = _transfer_rows("Westshire CSC", text=text)
    rows[1] = {**rows[1], "date": "2038-01-20"}  # late: a notification is flagged
    flags = _flags(rows, TRANSFER, dob="2030-01-01")
    assert (not flags.empty) == notified
    assert _pairs(flags) == _baseline_pairs(rows, TRANSFER)


# self_harm_not_referred: a CAMHS record of the referral going nowhere is no response -----------------------------
SELF_HARM = "self_harm_not_referred"
GP = {"agency": "Riverside GP", "agency_kind": "health", "contact_type": "clinic_appointment"}
CAMHS = {"agency": "Eastborough CAMHS", "agency_kind": "health", "contact_type": "clinic_appointment"}
CAMHS_LONG = {"agency": "Child and Adolescent Mental Health Service", "agency_kind": "health", "contact_type": "letter"}
# the baseline's case C1 is born 1 Jan 2023: a teenager's rows are 14 years on; a later row keeps the review open
LATER = {"date": "2037-09-01", **GP, "description": "Routine review."}


def self_harm(date="2037-03-01", action="Advice given."):
    return {"date": date, **GP, "concerns": "self_harm", "description": "Self-harmed last night, cuts to forearm.",
            "action": action}


def camhs(text, date="2037-03-04", who=CAMHS):
    return {"date": date, **who, "description": text, "action": ""}


@pytest.mark.parametrize("text, who, answered", [
    # the referral went nowhere: no response (before s17 each answered the self-harm, "whatever its text")
    ("Referral declined - does not meet threshold, signposted back to GP.", CAMHS, False),
    ("Referral not accepted.", CAMHS, False),
    ("Referral received. Did not meet the threshold for CAMHS; returned to referrer.", CAMHS_LONG, False),
    ("Referral declined, not seen by CAMHS clinician.", CAMHS, False),
    ("Eastborough CAMHS: referral declined, signposted to Kooth.", CAMHS, False),  # naming CAMHS by its words too
    # assessed, or seen: the response, as before
    ("Seen by CAMHS duty worker: does not meet threshold for ongoing input, signposted to school counsellor.",
     CAMHS, True),
    ("Assessed in clinic, no further CAMHS input, signposted to GP.", CAMHS, True),
    ("CAMHS assessment", CAMHS, True),
    ("Seen with mum, low mood, safety plan agreed", CAMHS, True),
    ("Referral accepted, choice appointment booked.", CAMHS, True),
])
def test_a_camhs_record_of_the_referral_going_nowhere_is_no_response(text, who, answered):
    rows = [self_harm(), camhs(text, who=who), LATER]
    flags = _flags(rows, SELF_HARM)
    assert flags.empty == answered
    assert _pairs(flags) == _baseline_pairs(rows, SELF_HARM)


def test_the_declined_camhs_record_is_the_flag_s_evidence_and_named():
    rows = [self_harm(), camhs("Referral declined - does not meet threshold, signposted back to GP."), LATER]
    flag = _flags(rows, SELF_HARM).iloc[0]
    assert flag.trigger_event_id == "C1-e001" and flag.actual_action_event_id == ""
    assert flag.evidence_event_ids == "C1-e001; C1-e002"
    assert flag.explanation.endswith("none is recorded within 90 days of 1 Mar 2037. Eastborough CAMHS recorded on "
                                     "4 Mar 2037 that the referral was not taken up, with no assessment: no response.")


def test_a_declined_camhs_record_then_a_late_assessment():
    rows = [self_harm(), camhs("Referral declined."), camhs("Seen by CAMHS after GP re-referral.", date="2037-03-20"),
            LATER]
    flag = _flags(rows, SELF_HARM).iloc[0]
    assert flag.actual_action_event_id == "C1-e003" and flag.delay_days == 12
    assert flag.evidence_event_ids == "C1-e001; C1-e002"
    assert _pairs(_flags(rows, SELF_HARM)) == _baseline_pairs(rows, SELF_HARM)


# self_harm_not_referred: a CAMHS referral its record's text dates answers from that day --------------------------
@pytest.mark.parametrize("text, days", [
    ("Referral to CAMHS sent 20/03/2037.", ["2037-03-20"]),
    ("CAMHS referral sent 20/03/2037", ["2037-03-20"]),
    ("Referred to CAMHS on 20/03/37", ["2037-03-20"]),
    ("Referral to MASH sent 20.03.37.", ["2037-03-20"]),  # (any referral: a full stop may end the sentence)
])
def test_referral_text_dates(text, days):
    assert [str(d) for d in referral_text_dates(text)] == days


@pytest.mark.parametrize("text, about, found", [
    ("Referral to CAMHS sent 20/03/2037.", True, True),
    ("CAMHS: referral sent 20/03/2037", True, True),
    ("Seen by CAMHS, referral to MASH sent 20/03/2037.", True, False),  # another clause's referral: MASH's
    ("Referral to MASH sent 20/03/2037.", True, False),
])
def test_referral_text_dates_about_camhs(text, about, found):
    keywords = RULES["rules"][SELF_HARM]["params"]["mental_health_keywords"]
    assert bool(referral_text_dates(text, keywords if about else None)) == found


def test_keyword_referral_day_is_none_when_the_rest_of_the_text_answers_on_its_own_day():
    import datetime as dt

    keywords = RULES["rules"][SELF_HARM]["params"]["mental_health_keywords"]
    day, last = dt.date(2037, 3, 1), dt.date(2037, 12, 31)
    assert keyword_referral_day("Referral to CAMHS sent 20/03/2037.", "", day, last, keywords) == dt.date(2037, 3, 20)
    assert keyword_referral_day("Seen by CAMHS liaison in ED; referral to CAMHS community team sent 20/03/2037.", "",
                                day, last, keywords) is None
    assert keyword_referral_day("Referral to CAMHS sent 20/02/2037.", "", day, last, keywords) is None  # before


@pytest.mark.parametrize("action, late_by", [
    ("Referral to CAMHS sent 20/03/2037.", 12),   # before s17: answered on 1 Mar (the record's day), no flag
    ("CAMHS referral sent 20/03/2037", 12),
    ("Referred to CAMHS on 20/03/37", 12),
    ("Referral to CAMHS sent 05/03/2037.", None),  # within the 7 days: no flag
    ("Referral to CAMHS sent.", None),             # no date: the record's own day, as before
    ("Seen by CAMHS liaison; referral to CAMHS community team sent 20/03/2037.", None),  # seen on its own day
    ("Seen by CAMHS liaison, referral to MASH sent 20/03/2037.", None),
])
def test_a_camhs_referral_dated_in_its_text_answers_from_that_day(action, late_by):
    rows = [self_harm(action=action), LATER]
    flags = _flags(rows, SELF_HARM)
    assert len(flags) == (late_by is not None)
    if late_by is not None:
        flag = flags.iloc[0]
        assert flag.actual_action_event_id == "C1-e001" and flag.delay_days == late_by
        assert "(referral dated 20 Mar 2037 in the record's text of 1 Mar 2037), 12 calendar days late." \
            in flag.explanation
    assert _pairs(flags) == _baseline_pairs(rows, SELF_HARM)


def test_an_earlier_record_of_a_camhs_referral_dated_after_the_self_harm_answers_it():
    rows = [{"date": "2037-02-27", **GP, "description": "Referral to CAMHS made on 3 March 2037 (low mood).",
             "action": ""}, self_harm(), LATER]
    assert _flags(rows, SELF_HARM).empty  # before s17: flagged, the record of 27 Feb being before the self-harm
    assert _baseline_pairs(rows, SELF_HARM) == []


# self_harm_not_referred: a parent's report read with the case's people and the child's name --------------------
OWN = tuple(RULES["rules"][SELF_HARM]["params"]["parent_own_words"])
PEOPLE = {"Sian Wren": "Mother", "Gary Wren": "Father", "Sophie Wren": "Sister", "Alex Hart": "Mother's partner",
          "Alex Wren": "Paternal grandmother"}


def test_case_reporters_are_the_adults_ingest_reads():
    adults, child = case_reporters(PEOPLE, "Jade Wren")
    assert dict(adults) == {"sian": "female", "gary": "male", "alex": "either"}  # not Sophie: no adult's role
    assert child == "jade"
    assert case_reporters(None, None) == ((), "")


@pytest.mark.parametrize("text, sex, childs", [
    ("Sian says she self-harmed last night", "female", True),     # before s17: not read (Sian not in the vocabulary)
    ("Sian says she self-harmed last night", None, True),
    ("Sian says she self-harmed last night", "male", False),      # a boy: "she" is Sian
    ("Sian says she has self-harmed in the past herself", "female", False),
    ("Gary said that he has self harmed", "male", True),
    ("Gary said that he has self harmed", "female", False),
    ("Alex reports he self-harmed", "male", True),                # a name of both genders agrees with either
    ("Sian says he self-harmed", "male", False),                  # "he" after the mother: not read
    ("Jade says she self-harmed last night", "female", True),     # the child's own name
    ("Jade says she self-harmed herself", None, True),            # the child's, whatever words follow
    ("Jade says he self-harmed", "female", False),                # "he" is no girl
    ("Mum says she self-harmed last night", "female", True),      # the package's words, as before
    ("Lisa says she self-harmed last night", "female", False),    # a name case.yml does not list: no adult
])
def test_a_report_by_the_case_s_people_or_the_child(text, sex, childs):
    adults, child = case_reporters(PEOPLE, "Jade Wren")
    assert reported_child_self_harm(text + " . ", OWN, sex, adults, child) is childs


def test_without_the_case_s_people_sian_is_not_read():
    assert reported_child_self_harm("Sian says she self-harmed last night . ", OWN, "female") is False


def _case_folder(tmp_path, text, sex="female", people=PEOPLE):
    import textwrap

    case = tmp_path / "case"
    case.mkdir(exist_ok=True)
    lines = "".join(f"  {name}: {role}\n" for name, role in people.items())
    (case / "case.yml").write_text(textwrap.dedent("""\
        case_id: C1
        child_name: Jade Wren
        date_of_birth: '2009-03-01'
        review_date: '2023-12-31'
        """) + f"child_sex: {sex}\n" + ("people:\n" + lines if people else ""), encoding="utf-8")
    (case / "chronology.csv").write_text(
        "Date,Agency,Type of contact,Details,Action / outcome,Child seen\n"
        f'12/06/2023,Riverside GP,Appointment,"{text}",Advice given.,Yes\n'
        "01/09/2023,Riverside GP,Appointment,Routine review.,,Yes\n", encoding="utf-8")
    return case


@pytest.mark.parametrize("text, sex, flagged", [
    ("Sian says she self-harmed last night", "female", True),   # before s17: no flag (the mother's, unread)
    ("Sian says she self-harmed last night", "male", False),
    ("Sian says she has self-harmed in the past herself", "female", False),
    ("Gary says he self-harmed last night", "male", True),
    ("Jade says she self-harmed last night", "female", True),   # ingest: the child's (self_harm), as before
])
def test_a_report_by_a_parent_named_in_case_yml_in_a_case(tmp_path, text, sex, flagged):
    from review.pipeline import analyse, load_case

    analysis = analyse(load_case(_case_folder(tmp_path, text, sex)))
    flags = analysis.flags[analysis.flags["rule_id"] == SELF_HARM]
    assert (len(flags) == 1) == flagged
    tags = analysis.timeline["concerns"].iloc[0]
    # ingest reads the words with the case's people: Sian's and Gary's words are the parent's, Jade's the child's
    assert ("self_harm" in tags) == text.startswith("Jade")


def test_the_baseline_reads_the_case_s_people_alike():
    import datetime as dt

    rows = [{"date": "2037-03-01", **GP, "concerns": "parental_mental_health",
             "description": "Sian says she self-harmed last night", "action": "Advice given."}, LATER]
    timeline = make_timeline(rows)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    info = {"date_of_birth": dt.date(2023, 1, 1), "review_date": None, "child_sex": "female", "people": PEOPLE,
            "child_name": "Jade Wren"}
    _, base = baseline_rowwise.run(base_rows, {"C1": info}, RULES)
    base = sorted(f["flag_id"] for f in base if f["rule_id"] == SELF_HARM)

    from review.config import CaseConfig

    config = CaseConfig(case_dir=".", case_id="C1", date_of_birth=dt.date(2023, 1, 1), child_sex="female",
                        people=PEOPLE, child_name="Jade Wren")
    package = detect(timeline, config, RULES, only=[SELF_HARM])
    assert len(base) == 1 and sorted(package["flag_id"]) == base
    # without the case's people neither reads Sian as the mother reporting the child's self-harm
    assert detect(timeline, CaseConfig(case_dir=".", case_id="C1", date_of_birth=dt.date(2023, 1, 1),
                                       child_sex="female"), RULES, only=[SELF_HARM]).empty


# information_not_shared: no "end of the review" to replace by the death ---------------------------------------
def test_information_not_shared_names_no_end_of_the_review_when_the_child_died():
    import datetime as dt

    from review.config import CaseConfig

    rows = [
        {"date": "2023-03-01", "agency": "Police", "agency_kind": "police", "contact_type": "other",
         "concerns": "domestic_abuse", "description": "DA incident at home, child present"},
        {"date": "2023-03-12", **CSC, "contact_type": "case_closure", "description": "Case closed, NFA"},
    ]
    for death in (None, dt.date(2023, 3, 20)):
        config = CaseConfig(case_dir=".", case_id="C1", date_of_birth=dt.date(2022, 1, 1), date_of_death=death,
                            review_date=dt.date(2023, 12, 31))
        flags = detect(make_timeline(rows, dob="2022-01-01"), config, RULES, only=["information_not_shared"])
        assert flags["explanation"].tolist() == [
            "Police recorded domestic abuse on 1 Mar 2023 and there is no record it reached Eastborough Children's "
            "Social Care before its decision (case closure) on 12 Mar 2023."]
        assert flags["delay_days"].isna().all() and not flags["delay_censored"].any()
