"""Session 20 (QA7, Amara (c) 2): repeated_injury_or_ae counts one injury recorded again once
(`review.rules.episodes.same_injury`): the health visitor's "small bruise below left eye" and the GP's "black eye"
the next day are one injury; a month-dated scanned note of "a small burn on her hand ..., already healing" a few
days after the burn to her hand was reported is that burn. Not another body region, not a "new bruise", not the
same place days later. Package and baseline alike."""
import pytest

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULE = "repeated_injury_or_ae"
RULES = load_rules()
NURSERY = {"agency": "Little Stars Day Nursery", "agency_kind": "education", "contact_type": "other"}
HV = {"agency": "Westbridge Health Visiting", "agency_kind": "health", "contact_type": "home_visit"}
GP = {"agency": "Riverside Surgery", "agency_kind": "health", "contact_type": "clinic_appointment"}


def row(date, where, description, concerns="bruising", **kw):
    return {"date": date, **where, "concerns": concerns, "description": description, "action": "Monitor.", **kw}


def count_of(rows, rules=RULES):
    """The injuries the package's one flag counts, and the baseline's flags (the same trigger)."""
    flags = detect(make_timeline(rows), None, rules, only=[RULE]).reset_index(drop=True)
    base = [f for f in baseline_flags(rows, rules) if f["rule_id"] == RULE]
    assert sorted(flags["flag_id"]) == sorted(f["flag_id"] for f in base)
    assert len(flags) == 1, flags["explanation"].tolist()
    return int(flags.iloc[0].explanation.split(" ")[0])


FOREHEAD = row("2023-12-01", NURSERY, "Bruise to forehead at drop off.")
EYE = row("2024-01-14", HV, "Small bruise below left eye; mother said she fell off the sofa onto a toy.")


def test_the_same_black_eye_recorded_next_day_by_another_agency_is_one_injury():
    rows = [FOREHEAD, EYE, row("2024-01-15", GP, "Black eye and bruises on her back seen.")]
    assert count_of(rows) == 2  # was 3


@pytest.mark.parametrize("later", [
    row("2024-01-19", GP, "Black eye seen."),  # 5 days later: beyond same_injury_window_days (3)
    row("2024-01-15", GP, "New bruise below the right eye."),  # named a new injury
    row("2024-01-15", GP, "Bruise to her shin."),  # another body region
    row("2024-01-15", GP, "Burn to her eye.", concerns="burn"),  # another kind of injury
])
def test_another_injury_counts_again(later):
    assert count_of([FOREHEAD, EYE, later]) == 3


def test_a_month_dated_note_of_the_healing_burn_is_that_burn():
    rows = [row("2024-02-25", GP, "Burn mark on her hand reported by aunt.", concerns="burn"),
            row("2024-03-01", GP, "Mother phoned: small burn on her hand from the oven door, already healing.",
                concerns="burn", date_precision="month"),
            row("2024-04-10", NURSERY, "Bruise to her shin.")]  # completes the pattern
    assert count_of(rows) == 2  # was 3
    # without a follow-up word it is counted again (a month-dated record may be another burn)
    other = [rows[0], {**rows[1], "description": "Mother phoned: small burn on her hand from the oven door."}, rows[2]]
    assert count_of(other) == 3
    rules = load_rules()
    rules["rules"][RULE]["params"]["partial_followups"] = False
    assert count_of(rows, rules) == 3


def test_the_window_and_partial_followups_come_from_the_rules_config():
    params = RULES["rules"][RULE]["params"]
    assert params["same_injury_window_days"] == 3 and params["partial_followups"] is True
    rules = load_rules()
    rules["rules"][RULE]["params"]["same_injury_window_days"] = None
    rows = [FOREHEAD, EYE, row("2024-01-15", GP, "Black eye and bruises on her back seen.")]
    assert count_of(rows, rules) == 3
    rules["rules"][RULE]["params"]["same_injury_window_days"] = 7
    assert count_of([FOREHEAD, EYE, row("2024-01-19", GP, "Black eye seen.")], rules) == 2
