"""Missing episodes as a realistic case records them (s17, the QA reviewer's case of a girl of 14): episodes are
counted, not records (social care's record of the police's notification, the return-home-interview service's
record naming the episode's day in its text or an Episode date column, link to the police's record of it); a
record of having learned of past episodes is no new episode; a repeated episode expects a strategy discussion,
which a referral alone does not answer; the response-latency sheet reads social care's receipt and the
police's notification as the rule does. The package and the row-by-row baseline agree."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from _baseline import baseline_flags, baseline_pairs, package_pairs
from review.pipeline import load_vocab
from review.rules import detect, load_rules
from review.rules.exploitation_not_referred import episode_named_day
from review.rules.latency import response_latency
from review.rules.testing import make_timeline
from review.vocab import tag_concerns

VOCAB = load_vocab()
RULES = load_rules()
RULE = "exploitation_not_referred"
PARAMS = RULES["rules"][RULE]["params"]
POLICE = {"agency": "Westmoor Police", "agency_kind": "police"}
SCHOOL = {"agency": "Westmoor Academy", "agency_kind": "education"}
CSC = {"agency": "Westmoor Children's Social Care", "agency_kind": "social care"}
RHI = {"agency": "Compass Return Home Service", "agency_kind": "other"}


def row(date, who, description, action="", contact_type="other", escalation="", extra=""):
    text = description + " . " + action
    return {"date": date, **who, "contact_type": contact_type, "description": description, "action": action,
            "concerns": ";".join(tag_concerns(text, VOCAB)), "escalation": escalation, "extra": extra}


def flags_of(rows):
    flags = detect(make_timeline(rows), None, RULES, only=[RULE])
    return flags.sort_values("trigger_event_id").reset_index(drop=True)


def agree(rows):
    assert package_pairs(rows, RULE) == baseline_pairs(rows, RULE)


EPISODE = row("2037-03-03 23:40", POLICE, "Mother reported Kayleigh missing at 23:40, not returned from school. Located 02:15 "
              "on 04/03 at a friend's house.", "Returned home to mother. Return home interview requested.",
              contact_type="police_callout")
NOTIFIED = row("2037-03-05", CSC, "Police notification: Kayleigh missing overnight 03/03, found at a friend's house.",
               "No further action - parents protective, RHI offered.", contact_type="letter")
RHI_OFFERED = row("2037-03-10", RHI, "Return home interview offered for 03/03 episode. Kayleigh declined to engage.",
                  "Closed - declined.", extra=json.dumps({"Episode date": "03/03/2037"}))


# --- 1. one episode, several records --------------------------------------------------------------------------

def test_other_agencies_records_of_one_episode_are_one_episode():
    # before: the return home interview of 10/03 was a second episode, "repeated (2 or more within 90 days)"
    rows = [EPISODE, NOTIFIED, RHI_OFFERED]
    flags = flags_of(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]  # the police's record only
    assert list(flags["severity"]) == ["medium"]  # one episode: not repeated
    assert "repeated" not in flags["explanation"].iloc[0]
    assert flags["actual_action_event_id"].iloc[0] == "C1-e002"  # social care's receipt proves the referral
    agree(rows)


def test_an_episode_date_column_alone_names_the_episode():
    rhi = row("2037-03-10", RHI, "RHI offered, Kayleigh declined.", "None.",
              extra=json.dumps({"Episode date": "03/03/2037"}))
    rows = [EPISODE, rhi]
    assert list(flags_of(rows)["severity"]) == ["medium"]
    agree(rows)


def test_another_agencys_record_naming_the_episode_day_is_no_new_episode():
    school = row("2037-03-04", SCHOOL, "Mum phoned: Kayleigh went missing overnight 03/03, police found her.")
    rows = [EPISODE, school]
    flags = flags_of(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    agree(rows)


def test_a_record_naming_an_episode_no_one_else_recorded_is_that_episode():
    # the school's record of an episode the police did not record is the episode (on its own day's trigger)
    school = row("2037-03-10", SCHOOL, "Mum told us Kayleigh went missing overnight 07/03.")
    flags = flags_of([school])
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    agree([school])


def test_the_return_home_interview_service_is_the_response_not_a_trigger():
    # an interview recording an episode no one else recorded: counted (a second episode), but no trigger
    rhi = row("2037-03-20", RHI, "Return home interview for 18/03 episode. Kayleigh engaged.", "Report to Early Help.")
    rows = [EPISODE, rhi]
    flags = flags_of(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    agree(rows)


def test_distinct_episodes_still_count():
    second = row("2037-03-14 01:10", POLICE, "Kayleigh reported missing by mother 21:00 13/03. Returned of own accord.",
                 "PPN submitted to MASH.", contact_type="police_callout")
    rows = [EPISODE, second]
    flags = flags_of(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001", "C1-e002"]
    assert "repeated (2 or more within 90 days)" in flags["explanation"].iloc[1]
    agree(rows)


@pytest.mark.parametrize("description, action, extra, expected", [
    ("Police notification: Kayleigh missing overnight 03/03, found at a friend's house.", "", "", dt.date(2037, 3, 3)),
    ("Return home interview offered for 03/03 episode.", "", "", dt.date(2037, 3, 3)),
    ("Police email: missing 15-16/05, found in adult male's car.", "", "", dt.date(2037, 5, 15)),
    ("RHI offered, declined.", "", json.dumps({"Episode date": "03/03/2037"}), dt.date(2037, 3, 3)),
    ("Went missing overnight 28/02.", "", "", dt.date(2037, 2, 28)),
    ("Seen in clinic 01/03. Missing since yesterday.", "", "", None),  # the date is not in the missing sentence
    ("Missing overnight 03/03 and again 05/03.", "", "", None),  # two days: not one episode
    ("Missing overnight 03/09.", "", "", None),  # 3 Sep 2036 (after the row in 2037): beyond episode_named_max_days
    ("Missing overnight 03/09/2037.", "", "", None),  # after the row
])
def test_episode_named_day(description, action, extra, expected):
    got = episode_named_day(description, action, extra, dt.date(2037, 3, 10) if expected != dt.date(2037, 5, 15)
                            else dt.date(2037, 5, 18), PARAMS["episode_named_max_days"], PARAMS["episode_words"],
                            PARAMS["episode_date_columns"])
    assert got == expected


# --- 2. learning of past episodes -----------------------------------------------------------------------------

def test_learning_of_past_episodes_is_no_new_episode():
    learned = row("2037-09-16", SCHOOL, "Phoned CSC duty to ask if Kayleigh is known - told she has an allocated "
                  "worker; first we had heard of any missing episodes.", "Consent form sent for Early Help.",
                  contact_type="phone_call")
    assert "missing" in learned["concerns"]  # still a concern the school knew of (information_not_shared's)
    assert flags_of([learned]).empty
    agree([learned])


def test_a_new_episode_beside_a_learned_one_is_still_an_episode():
    both = row("2037-09-16", SCHOOL, "Kayleigh went missing from school at lunchtime. Mum says we had not heard of "
               "her earlier episodes.")
    assert list(flags_of([both])["trigger_event_id"]) == ["C1-e001"]
    agree([both])


# --- 3. repeated episodes expect a strategy discussion --------------------------------------------------------

REFERRED = [row("2037-03-01 22:00", POLICE, "Kayleigh reported missing by mother. Located 23:30.", "PPN submitted to MASH.",
                contact_type="police_callout"),
            row("2037-03-20 22:00", POLICE, "Third missing episode this month. Found intoxicated.", "PPN submitted to MASH.",
                contact_type="police_callout")]


def test_a_referred_repeat_episode_without_a_strategy_discussion_is_flagged_with_that_expected():
    flags = flags_of(REFERRED)
    assert list(flags["trigger_event_id"]) == ["C1-e002"]  # the first episode was referred in time
    flag = flags.iloc[0]
    assert flag["expected_action"] == PARAMS["repeat_expected_action"]
    assert "no strategy discussion is recorded within 5 working days (by 27 Mar 2037)" in flag["explanation"]
    assert flag["severity"] == "high"
    agree(REFERRED)


def test_a_strategy_discussion_in_time_answers_a_repeat_episode():
    rows = REFERRED + [row("2037-03-24", CSC, "Strategy discussion (CSC, police). Repeat missing, CSE risk.",
                           contact_type="strategy_discussion", escalation="strategy_discussion")]
    assert flags_of(rows).empty
    agree(rows)
    late = REFERRED + [row("2037-04-10", CSC, "Strategy discussion (CSC, police).", contact_type="strategy_discussion",
                           escalation="strategy_discussion")]
    flags = flags_of(late)
    assert list(flags["actual_action_event_id"]) == ["C1-e003"]
    assert "the next strategy discussion came on 10 Apr 2037" in flags["explanation"].iloc[0]
    agree(late)


def test_without_repeat_expected_a_referral_answers_a_repeat_episode():
    rules = json.loads(json.dumps(RULES, default=str))
    rules["rules"][RULE]["params"]["repeat_expected_escalations"] = []
    flags = detect(make_timeline(REFERRED), None, rules, only=[RULE])
    assert flags.empty
    assert [f for f in baseline_flags(REFERRED, rules) if f["rule_id"] == RULE] == []


# --- 4. the latency sheet reads the response as the rule does -------------------------------------------------

def test_latency_counts_social_cares_receipt_as_the_referral():
    # before: the 03/03 episode had no escalation at all in the sheet while the rule named 5 Mar's receipt
    timeline = make_timeline([EPISODE, NOTIFIED])
    latency = response_latency(timeline, rules=RULES).set_index("event_id")
    assert latency.loc["C1-e001", "first_escalation_event_id"] == "C1-e002"
    assert latency.loc["C1-e001", "first_escalation"] == "referral_to_csc"
    assert latency.loc["C1-e001", "latency_days"] == 2
    flags = flags_of([EPISODE, NOTIFIED])
    assert flags["actual_action_event_id"].iloc[0] == "C1-e002"


def test_latency_counts_the_polices_notification_in_words():
    timeline = make_timeline([REFERRED[0]])
    latency = response_latency(timeline, rules=RULES).set_index("event_id")
    assert latency.loc["C1-e001", "first_escalation_event_id"] == "C1-e001"
    assert latency.loc["C1-e001", "latency_days"] == 0


def test_latency_names_the_referral_not_its_receipt_the_same_day():
    referral = row("2037-03-05 10:45", SCHOOL, "Kayleigh disclosed an older boyfriend aged 22.", "Referral to CSC made.",
                   contact_type="referral", escalation="referral_to_csc")
    receipt = row("2037-03-05", CSC, "Referral received from Westmoor Academy re CSE concerns.", contact_type="referral")
    latency = response_latency(make_timeline([referral, receipt]), rules=RULES).set_index("event_id")
    assert latency.loc["C1-e001", "first_escalation_event_id"] == "C1-e001"
