"""withdrawn_with_concerns (s20, QA7 Amara (c) 4): the register's week of the withdrawal ("c. 4 Mar", not
attended) is the leaving itself, not one more absence before it; and another agency's record informing social
care weeks later (the police's welfare check "Result passed to MASH") is no late notification of the child's
leaving: "none by the nursery is recorded", the other record named as another agency's. The setting's own late
notification is still its late response. Package and baseline alike."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from review.rules import detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_flags

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_withdrawn_with_concerns_s19 import NURSERY, RULE, STORY, row  # noqa: E402

RULES = load_rules()
POLICE = {"agency": "Westbridge Police", "kind": "police", "contact_type": "police_callout"}


def week_absent(date):
    """A register's week not attended, dated approximately (the week's Monday)."""
    return row(date, "", contact_type="was_not_brought", concerns="was_not_brought", date_precision="approximate")


def flags_of(rows):
    return detect(make_timeline(rows), None, RULES, only=[RULE]).reset_index(drop=True)


def both_actions(rows):
    package = flags_of(rows)
    base = [f for f in baseline_flags(rows) if f["rule_id"] == RULE]
    return (sorted(zip(package["flag_id"], package["actual_action_event_id"].fillna(""))),
            sorted((f["flag_id"], f["actual_action_event_id"] or "") for f in base))


def test_the_week_of_the_withdrawal_is_not_an_absence_before_it():
    rows = STORY + [week_absent("2024-03-04")]  # e007: the register's week of 4 Mar, the leaving's day
    flag = flags_of(rows).iloc[0]
    assert "2 absences recorded before it (15 Jan 2024, 12 Feb 2024)" in flag.explanation
    assert "C1-e007" not in flag.evidence_event_ids.split("; ")
    # a week before the leaving still counts
    rows = STORY + [week_absent("2024-02-26")]
    flag = flags_of(rows).iloc[0]
    assert "3 absences recorded before it (15 Jan 2024, 12 Feb 2024, c. 26 Feb 2024)" in flag.explanation


def test_another_agencys_later_record_informing_social_care_is_no_late_notification():
    rows = STORY + [row("2024-04-05", "Welfare check at request of children's social care. Child seen asleep.",
                        "Result passed to MASH.", informed_agencies="Children's social care", agency=POLICE["agency"],
                        kind=POLICE["kind"], contact_type=POLICE["contact_type"])]
    flag = flags_of(rows).iloc[0]
    assert pd.isna(flag.actual_action_event_id) or flag.actual_action_event_id in ("", None)
    assert "next such notification came on" not in flag.explanation
    assert flag.explanation.endswith(
        f"none by {NURSERY} is recorded within 90 days of 4 Mar 2024 (the next record informing children's social "
        "care, Westbridge Police's of 5 Apr 2024, is another agency's, not a notification of the child's leaving).")
    package, base = both_actions(rows)
    assert package == base and [a for _, a in package] == [""]


def test_the_settings_own_late_notification_is_still_its_late_response():
    rows = STORY + [row("2024-03-20", "DSL informed health visitor of withdrawal")]
    flag = flags_of(rows).iloc[0]
    assert flag.actual_action_event_id == "C1-e007"
    assert "the next such notification came on 20 Mar 2024" in flag.explanation
    package, base = both_actions(rows)
    assert package == base and [a for _, a in package] == ["C1-e007"]
