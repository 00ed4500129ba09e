"""information_not_shared and agency_knowledge (s20, QA7 Leah (b) 2 and (c) 4, Jordan (b) 1, Amara (c) 3):
information a record says is still to come has not been shared by that record; a record in words to suspect
neglect must itself reach the decider; a strategy discussion shares what its participants held; a police
decision by its words on its first day with the child is not asked what had reached it. Each fixture is run
through the row-by-row baseline too."""
from __future__ import annotations

import copy

import pandas as pd

from review.rules import agency_knowledge, detect, load_rules
from review.rules.knowledge import promised
from review.rules.testing import make_timeline

from _baseline import baseline_pairs, package_pairs

RULE = "information_not_shared"
RULES = load_rules()
CSC = {"agency": "Westmere Children's Social Care", "agency_kind": "social care"}
POLICE = {"agency": "Westmere Police", "agency_kind": "police"}
SCHOOL = {"agency": "Ashbrook Primary School", "agency_kind": "education"}
GP = {"agency": "Brookside Surgery", "agency_kind": "health"}
OLD = {"child_mobile": True}
CUES = RULES["rules"][RULE]["params"]["pending_cues"]
WORDS = RULES["rules"][RULE]["params"]["pending_information_words"]


def row(date, who, contact_type, description, concerns="", action="", **kw):
    return {"date": date, **who, "contact_type": contact_type, "description": description, "action": action,
            "concerns": concerns, **OLD, **kw}


def flags_of(rows, rules=RULES):
    return detect(make_timeline(rows), None, rules, only=[RULE])


def same_as_baseline(rows):
    assert package_pairs(rows, RULE) == baseline_pairs(rows, RULE)


# -- information still to come (Leah (b) 2) ------------------------------------------------------------------

def test_promised_reads_a_sentence_naming_information_still_to_come():
    assert promised("Joint s47 agreed. PNC/ViSOR information to follow to CSC.", CUES, WORDS) == \
        "PNC/ViSOR information to follow to CSC"
    assert promised("No CP medical. Police checks on Gary Holt awaited.", CUES, WORDS) == \
        "Police checks on Gary Holt awaited"
    # a request for a meeting or an interview is no information still to come
    assert promised("Returned home. Return home interview requested.", CUES, WORDS) == ""
    assert promised("ABE interview to be arranged.", CUES, WORDS) == ""
    # the cue and the information in different sentences
    assert promised("Information shared with school. Visit requested.", CUES, WORDS) == ""


LEAH = [row("2020-02-24", CSC, "referral", "Referral from school: Leah disclosed that mother's partner comes into "
            "her room at night.", "sexual_abuse", "Threshold met for s47. Strategy discussion to be held."),
        row("2020-02-25", POLICE, "strategy_discussion", "Strategy discussion with CSC. PNC: partner convicted 2017 "
            "of making indecent images of children, registered sex offender.", "risk_to_children",
            "Joint s47 agreed. PNC/ViSOR information to follow to CSC.", escalation="strategy_discussion"),
        row("2020-03-10", CSC, "case_closure", "Section 47 outcome: concerns not substantiated.", "",
            "Closed - NFA")]


def test_a_promise_to_follow_is_not_the_information():
    """The police's strategy discussion row promised the PNC/ViSOR information "to follow": before s20 its
    strategy discussion counted as reaching social care, which closed the s47 without it."""
    flags = flags_of(LEAH)
    assert list(flags["trigger_event_id"]) == ["C1-e002"]
    flag = flags.iloc[0]
    assert flag.expected_by == pd.Timestamp("2020-03-10")
    assert flag.explanation == (
        "Westmere Police recorded risk to children on 25 Feb 2020 with the information still to come (\"PNC/ViSOR "
        "information to follow to CSC\"); there is no record that it reached Westmere Children's Social Care in the 14 "
        "days before its decision (case closure) on 10 Mar 2020.")
    knowledge = agency_knowledge(make_timeline(LEAH), RULES)
    closure = knowledge[knowledge["decision_event_id"] == "C1-e003"].iloc[0]
    assert closure.missing_concerns == "risk_to_children" and closure.missing_from == "Westmere Police"
    same_as_baseline(LEAH)


def test_a_promise_kept_by_a_later_record_or_a_receipt_is_shared():
    sent = LEAH[:2] + [row("2020-03-03", POLICE, "other", "PNC and ViSOR records emailed to the social worker.",
                           "", "", informed_agencies="Children's social care")] + LEAH[2:]
    assert flags_of(sent).empty
    same_as_baseline(sent)
    received = LEAH[:2] + [row("2020-03-05", CSC, "other", "Information received from Westmere Police: PNC "
                               "record of partner.", "", "Noted on file.")] + LEAH[2:]
    assert flags_of(received).empty
    same_as_baseline(received)
    # a later promise is no delivery
    again = LEAH[:2] + [row("2020-03-04", POLICE, "other", "ViSOR checks still awaited.", "risk_to_children",
                            "", informed_agencies="Children's social care")] + LEAH[2:]
    assert list(flags_of(again)["trigger_event_id"]) == ["C1-e002"]
    same_as_baseline(again)
    # sent after the decision: still flagged
    late = LEAH + [row("2020-03-20", POLICE, "other", "PNC information emailed to CSC.", "", "",
                       informed_agencies="Children's social care")]
    assert list(flags_of(late)["trigger_event_id"]) == ["C1-e002"]


def test_without_the_promise_the_strategy_discussion_reached_social_care():
    plain = copy.deepcopy(LEAH)
    plain[1]["action"] = "Joint s47 agreed. ABE interview to be arranged."
    assert flags_of(plain).empty
    same_as_baseline(plain)


# -- a record in words to suspect neglect (Jordan (b) 1) ------------------------------------------------------

JORDAN = [row("2021-10-05", CSC, "referral", "Referral received from school: weight loss, hunger, poor hygiene.",
              "neglect; weight_loss", "Progress to Child and Family assessment"),
          row("2021-11-11", SCHOOL, "other", "Weight check: dropped from 25th to below 2nd centile. Jordan eating "
              "food from bins at lunchtime.", "neglect; weight_loss", "Advised mum to see GP."),
          row("2021-11-24", CSC, "assessment", "Child and Family assessment completed.", "",
              "Closed - step down to early help")]


def test_a_record_to_suspect_neglect_must_itself_reach_the_decider():
    """Social care's own referral of "weight loss, hunger" made the condition known; the school's later fall
    below the 2nd centile and eating from bins never reached its open assessment."""
    flags = flags_of(JORDAN)
    assert list(flags["trigger_event_id"]) == ["C1-e002"]
    assert "Ashbrook Primary School recorded neglect, weight loss on 11 Nov 2021" in flags.iloc[0].explanation
    same_as_baseline(JORDAN)


def test_a_record_of_the_condition_below_the_suspect_level_stays_known():
    mild = copy.deepcopy(JORDAN)
    mild[1]["description"] = "Weight check: looks thinner, says he is hungry."
    assert flags_of(mild).empty
    same_as_baseline(mild)
    # negated: no level to suspect neglect
    negated = copy.deepcopy(JORDAN)
    negated[1]["description"] = "Weight check in school: malnourished not evident. Looks thinner."
    assert flags_of(negated).empty
    same_as_baseline(negated)
    # the suspect record sent to social care reached it
    told = copy.deepcopy(JORDAN)
    told[1]["informed_agencies"] = "Children's social care"
    assert flags_of(told).empty
    same_as_baseline(told)


def test_the_suspect_words_are_neglect_not_escalateds_own_list():
    rules = load_rules()
    neglect = rules["rules"]["neglect_not_escalated"]["params"]
    assert rules["rules"][RULE]["params"]["suspect_keywords"] == neglect["suspect_keywords"]
    assert rules["rules"][RULE]["params"]["suspect_negations"] == neglect["suspect_negations"]


def test_a_case_override_of_the_neglect_suspect_words_is_read_by_both(tmp_path):
    (tmp_path / "rules.yml").write_text(
        "rules:\n  neglect_not_escalated:\n    params:\n      suspect_keywords: [eating food from bins]\n",
        encoding="utf-8")
    rules = load_rules(tmp_path)
    assert rules["rules"][RULE]["params"]["suspect_keywords"] == ["eating food from bins"]


# -- a strategy discussion shares its participants' records (Leah (c) 4) ---------------------------------------

LEAH_POLICE = [
    row("2020-01-14", SCHOOL, "other", "Leah drew a picture of a man and a girl in bed.", "sexualised_behaviour",
        "DSL informed. Logged. Monitor."),
    row("2020-02-24", SCHOOL, "other", "Leah disclosed that mother's partner comes into her room at night.",
        "sexual_abuse", "Referral to children's social care made.", escalation="referral_to_csc",
        informed_agencies="Children's social care"),
    row("2020-02-24", CSC, "referral", "Referral from school: possible sexual abuse by mother's partner.",
        "sexual_abuse", "Threshold met for s47."),
    row("2020-02-25", CSC, "strategy_discussion", "Strategy discussion by phone with police.", "",
        "Section 47 enquiry started.", escalation="strategy_discussion"),
    row("2020-02-25", POLICE, "strategy_discussion", "Strategy discussion with CSC re disclosure.", "",
        "Joint s47 agreed.", escalation="strategy_discussion"),
    row("2020-03-04", POLICE, "home_visit", "Victim retracted account.", "", "Filed - evidential difficulties. NFA."),
]


def test_what_social_care_held_at_the_strategy_discussion_reached_the_police():
    flags = flags_of(LEAH_POLICE)
    police = flags[flags["expected_action"].str.contains("Westmere Police")]
    assert len(police) == 1
    # the school's earlier monitoring record never reached the police; the disclosure and its referral did
    assert police.iloc[0].explanation == (
        "Ashbrook Primary School recorded sexualised behaviour on 14 Jan 2020 and there is no record it reached "
        "Westmere Police before its decision (no further action) on 4 Mar 2020.")
    same_as_baseline(LEAH_POLICE)


def test_without_a_meeting_the_same_day_nothing_was_shared():
    apart = copy.deepcopy(LEAH_POLICE)
    apart[4]["date"] = "2020-02-27"  # the police's strategy discussion on another day: no shared meeting
    flags = flags_of(apart)
    police = flags[flags["expected_action"].str.contains("Westmere Police")]
    assert "recorded sexual abuse on 24 Feb 2020" in police.iloc[0].explanation
    same_as_baseline(apart)


# -- a police decision on its first day with the child (Amara (c) 3) ----------------------------------------

AMARA = [row("2019-10-07", SCHOOL, "other", "Bruise to forehead.", "bruising", "Logged."),
         row("2019-11-04", CSC, "referral", "Referral: bruising to arms.", "bruising", "Assessment."),
         row("2019-12-14", POLICE, "police_callout", "Domestic incident, child present.", "domestic_abuse",
             "DASH medium. Child present - no referral made to children's services.")]


def test_a_police_call_out_on_its_first_day_with_the_child_is_not_asked():
    assert flags_of(AMARA).empty
    same_as_baseline(AMARA)


def test_a_later_police_decision_is_still_asked():
    later = [AMARA[0], row("2019-10-20", POLICE, "phone_call", "Welfare call.", "", "Logged."), *AMARA[1:]]
    assert list(flags_of(later)["trigger_event_id"]) == ["C1-e001"]
    same_as_baseline(later)
    # and another agency's first-day decision by its words still is
    gp = copy.deepcopy(AMARA)
    gp[2] = row("2019-12-14", GP, "clinic_appointment", "Seen with mother.", "", "No safeguarding concerns. NFA.")
    assert list(flags_of(gp)["trigger_event_id"]) == ["C1-e001"]
    same_as_baseline(gp)
