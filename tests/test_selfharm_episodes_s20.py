"""Session 20: self_harm_not_referred counts self-harm episodes, not records (QA7, Leah (c) 2). The school's
"cuts seen on her forearms" and the GP's "cutting forearms for 3 months" six days later are one episode: no
"repeated" flag, and a referral any agency made for the episode from its first record on answers its later
records. Another method, or the same beyond episode_link_days, is another episode. Package and baseline alike."""
import copy

import pytest

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULE = "self_harm_not_referred"


def _rules(**params):
    rules = load_rules()
    # the baseline's case C1 is born in 2023: no minimum age (as tests/test_selfharm_rule_s15.py)
    rules["rules"][RULE]["params"]["min_age_years"] = None
    rules["rules"][RULE]["params"].update(params)
    return rules


RULES = _rules()
SCHOOL = {"agency": "Northfield Academy", "agency_kind": "education", "contact_type": "other"}
GP = {"agency": "Riverside Surgery", "agency_kind": "health", "contact_type": "clinic_appointment"}
ED = {"agency": "Westmere ED", "agency_kind": "health", "contact_type": "ae_attendance"}


def row(date, where, description, action="", concerns="self_harm", **kw):
    return {"date": date, **where, "concerns": concerns, "description": description, "action": action, **kw}


def flags_of(rows, rules=RULES):
    return detect(make_timeline(rows), None, rules, only=[RULE]).reset_index(drop=True)


def both(rows, rules=RULES):
    """(package, baseline) flags as sorted (trigger, variant, action) tuples."""
    lib = flags_of(rows, rules)
    # (the variant from the expected action: the package's flags name it there)
    variant = ["repeated" if "repeated self-harm" in str(e) else "mental_health" for e in lib.get("expected_action", [])]
    package = [] if lib.empty else sorted(zip(lib["trigger_event_id"], variant,
                                              lib["actual_action_event_id"].fillna("")))
    base = sorted((f["trigger_event_id"], f["variant"], f["actual_action_event_id"] or "")
                  for f in baseline_flags(rows, rules) if f["rule_id"] == RULE)
    return package, base


# Leah: the school's record (MASH contacted, CAMHS only advised) and the GP's of the same cutting six days later
LEAH = [
    row("2023-11-04", SCHOOL, "Cuts seen on Leah's forearms, some fresh. Leah said she does it when she can't cope.",
        "DSL informed mother and contacted MASH; advised to refer to CAMHS via GP.", escalation="referral_to_csc"),
    row("2023-11-10", GP, "Leah (12) low mood, cutting forearms for 3 months, says she hates herself.",
        "Referral to CAMHS sent."),
]


def test_two_records_of_one_cutting_are_one_episode_not_repeated():
    package, base = both(LEAH)
    assert package == base == []


def test_without_linking_the_two_records_were_repeated_self_harm():
    # episode_link_days null: each record an episode, as before s20 (the GP's a "repeated" flag)
    rules = _rules(episode_link_days=None)
    package, base = both(LEAH, rules)
    assert package == base == [("C1-e002", "repeated", "")]


def test_an_overdose_days_after_cutting_is_another_episode():
    rows = [LEAH[0], row("2023-11-07", ED, "Overdose: took 12 paracetamol tablets.",
                         "Seen by CAMHS liaison, psychosocial assessment done.")]
    package, base = both(rows)
    # the school's MASH contact was for the cutting: the overdose's repeated self-harm is unanswered
    assert package == base == [("C1-e002", "repeated", "")]
    flag = flags_of(rows).iloc[0]
    assert flag.explanation.startswith("Westmere ED recorded repeated self-harm (2 or more episodes within 90 days)")


def test_the_same_method_beyond_the_link_window_is_another_episode():
    rows = [LEAH[0], {**LEAH[1], "date": "2023-11-20"}]
    package, base = both(rows)
    # (the school's own record waited 16 days for the GP's CAMHS referral: its mental health flag, late)
    assert package == base == [("C1-e001", "mental_health", "C1-e002"), ("C1-e002", "repeated", "")]


def test_a_response_earlier_in_the_episode_answers_its_later_record():
    # the ED's psychosocial assessment of the cuts answers the GP's record of the same cuts three days on
    rows = [row("2023-05-01", ED, "Superficial cuts to forearm, self-inflicted.",
                "Psychosocial assessment by CAMHS liaison before discharge... seen by CAMHS liaison."),
            row("2023-05-04", GP, "Cuts to forearm healing. Low mood.", "Advice given.")]
    package, base = both(rows)
    assert package == base == []
    # not when the GP's record is another episode (beyond the window): its own mental health response is missing
    apart = [rows[0], {**rows[1], "date": "2023-05-20"}]
    package, base = both(apart)
    assert ("C1-e002", "mental_health", "") in package and package == base


def test_link_window_and_methods_come_from_the_rules_config():
    params = load_rules()["rules"][RULE]["params"]
    assert params["episode_link_days"] == 7
    assert "overdose" in params["episode_methods"] and "cutting" in params["episode_methods"]
    # a wider window joins the 20 Nov record to the 4 Nov one
    rows = [LEAH[0], {**LEAH[1], "date": "2023-11-20"}]
    rules = _rules(episode_link_days=21)
    assert both(rows, rules) == ([("C1-e001", "mental_health", "C1-e002")],) * 2
    # with no methods, the overdose three days on joins the cutting's episode
    rules = _rules(episode_methods={})
    rows = [LEAH[0], row("2023-11-07", ED, "Overdose: took 12 paracetamol tablets.",
                         "Seen by CAMHS liaison, psychosocial assessment done.")]
    assert both(rows, copy.deepcopy(rules)) == ([], [])


@pytest.mark.parametrize("days", [0, 3, 7])
def test_records_within_the_window_count_once(days):
    import pandas as pd

    second = (pd.Timestamp("2023-11-04") + pd.Timedelta(days=days)).date().isoformat()
    rows = [LEAH[0], {**LEAH[1], "date": second}]
    assert both(rows) == ([], [])


def test_a_record_of_a_new_act_is_an_episode_of_its_own():
    # five days after the GP's record of the cutting, "cut her arms again last night": a new act, repeated
    rows = [LEAH[1], row("2023-11-15", GP, "Seen in clinic: cut her arms again last night.", "Safety plan.")]
    package, base = both(rows)
    assert ("C1-e002", "repeated", "") in package and package == base
    # a follow-up "seen again" is no new act
    rows = [LEAH[1], row("2023-11-15", GP, "Seen again re the cuts to her forearms, healing.", "Safety plan.")]
    assert both(rows) == ([], [])
