"""Twentieth session (QA9, defects 10 and 17): a looked-after child. case.yml `looked_after` periods; rule
`lac_visits_overdue` (the placing authority's statutory visits: within 1 week of a placement, then 6-weekly in
its first year, then 3-monthly; Care Planning, Placement and Case Review (England) Regulations 2010 reg. 28);
child_not_seen leaves a child living in a residential placement to it. Read the same by the package and the
row-by-row baseline."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig, LookedAfterPeriod, load_case_config
from review.errors import ConfigError
from review.rules import RULE_IDS, detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_rowwise

RULES = load_rules()
RULE = "lac_visits_overdue"
CSC = {"agency": "Westmere Children's Social Care", "agency_kind": "social care", "contact_type": "home_visit"}
SCHOOL = {"agency": "Hollybrook School", "agency_kind": "education", "contact_type": "other"}
GP = {"agency": "Fenwick Surgery", "agency_kind": "health", "contact_type": "clinic_appointment"}
RESIDENTIAL = LookedAfterPeriod(start=dt.date(2021, 9, 6), placing_authority="Westmere Children's Social Care",
                                placement="residential special school", placed_at="Hollybrook School")
LONG_TERM = LookedAfterPeriod(start=dt.date(2021, 9, 6), placing_authority="Westmere Children's Social Care",
                              placement="residential special school", placed_at="Hollybrook School", long_term=True)
FOSTER = LookedAfterPeriod(start=dt.date(2021, 9, 6), placing_authority="Westmere Children's Social Care",
                           placement="foster care")


def _visit(date, **kw):
    return dict(CSC, date=date, child_seen=True, description="Statutory visit. Child seen in his room.", **kw)


# Ollie's placing authority's record (QA9): placed 6 Sep 2021, visits 10 Sep 2021, 20 Jan 2022, 2 Nov 2022,
# 3 May 2023; a phone call and an e-mail between them saw no one
OLLIE = [
    dict(CSC, date="2021-09-06", child_seen=True, contact_type="other", description="Ollie placed at Hollybrook School."),
    _visit("2021-09-10"),
    _visit("2022-01-20"),
    dict(CSC, date="2022-05-30", contact_type="phone_call", child_seen=False, description="Phone call with school."),
    dict(SCHOOL, date="2022-06-15", child_seen=True, description="Ollie seen at morning care."),
    _visit("2022-11-02"),
    _visit("2023-05-03"),
]


def _case(periods=(RESIDENTIAL,), review="2023-07-31"):
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2010, 3, 10),
                      review_date=dt.date.fromisoformat(review), looked_after=tuple(periods), vocab={})


def _flags(rows, periods=(RESIDENTIAL,), rule=RULE, review="2023-07-31"):
    return detect(make_timeline(rows, dob="2010-03-10"), {"C1": _case(periods, review)}, RULES, only=[rule])


def _key(rule_id, flag_id, trigger, action, delay):
    delay = None if delay is None or pd.isna(delay) else float(delay)
    return (rule_id, flag_id, str(trigger), str(action or ""), delay)


def _package(rows, periods=(RESIDENTIAL,), rule=RULE, review="2023-07-31"):
    flags = _flags(rows, periods, rule, review)
    if flags.empty:
        return []
    return sorted(_key(*r) for r in zip(flags["rule_id"], flags["flag_id"], flags["trigger_event_id"],
                                         flags["actual_action_event_id"].fillna(""), flags["delay_days"]))


def _baseline(rows, periods=(RESIDENTIAL,), rule=RULE, review="2023-07-31"):
    timeline = make_timeline(rows, dob="2010-03-10")
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    case = {"date_of_birth": dt.date(2010, 3, 10), "review_date": dt.date.fromisoformat(review),
            "looked_after": tuple(periods)}
    _, flags = baseline_rowwise.run(base_rows, {"C1": case}, RULES)
    return sorted(_key(f["rule_id"], f["flag_id"], f["trigger_event_id"], f["actual_action_event_id"], f["delay_days"])
                  for f in flags if f["rule_id"] == rule)


def test_the_rule_is_registered_with_its_guidance():
    assert RULE in RULE_IDS and len(RULE_IDS) == len(set(RULE_IDS))  # the count is pinned in test_thematic_s9
    spec = RULES["rules"][RULE]
    assert "regulation 28" in spec["source"] and "Care Planning, Placement and Case Review" in spec["source"]
    assert (spec["params"]["first_visit_days"], spec["params"]["first_year_max_days"],
            spec["params"]["after_first_year_max_days"]) == (7, 42, 92)


def test_ollies_overdue_visits_are_flagged_at_the_late_visits_against_the_placing_authority():
    # (s21) a placement intended to last until Ollie is 18 (case.yml long_term: yes): 3-monthly after its first
    # year; one not stated so keeps six-weekly visits (reg. 28(3)(c)(ii); tests/test_lac_s21.py)
    flags = _flags(OLLIE, periods=(LONG_TERM,))
    assert list(flags["trigger_event_id"]) == ["C1-e003", "C1-e006", "C1-e007"]
    assert list(flags["trigger_date"]) == [pd.Timestamp(d) for d in ("2022-01-20", "2022-11-02", "2023-05-03")]
    assert list(flags["expected_by"]) == [pd.Timestamp(d) for d in ("2021-10-22", "2022-03-03", "2023-02-02")]
    assert list(flags["delay_days"].astype(float)) == [90.0, 244.0, 90.0]
    assert set(flags["agencies"]) == {"Westmere Children's Social Care"}
    assert set(flags["severity"]) == {"medium"}
    first = flags.iloc[0]
    assert first.explanation.startswith("The child was looked after by Westmere Children's Social Care (the placing "
                                        "authority) since 6 Sep 2021; placement: residential special school at "
                                        "Hollybrook School.")
    assert "at least every 42 days in the first year" in first.explanation
    assert "after it saw the child on 10 Sep 2021, it next saw the child on 20 Jan 2022, 132 days later: 90 days " \
           "overdue" in first.explanation
    # a visit from the second year on: 3 months
    assert "at least every 92 days after the first year" in flags.iloc[2].explanation
    # the evidence: the visit before the gap and the late one
    assert first.evidence_event_ids == "C1-e002; C1-e003"
    assert _package(OLLIE, periods=(LONG_TERM,)) == _baseline(OLLIE, periods=(LONG_TERM,))


def test_timely_visits_a_phone_call_and_other_agencies_sightings():
    timely = [OLLIE[0], _visit("2021-09-10"), _visit("2021-10-20"), _visit("2021-11-30"), _visit("2022-01-10")]
    assert _flags(timely, review="2022-02-15").empty
    # the phone call (child not seen) and the school's daily sightings are no statutory visits
    rows = [OLLIE[0], _visit("2021-09-10"),
            dict(CSC, date="2021-10-15", contact_type="phone_call", child_seen=False, description="Phone call."),
            dict(SCHOOL, date="2021-10-16", child_seen=True, description="Seen at morning care."),
            _visit("2021-11-30")]
    flags = _flags(rows, review="2021-12-31")
    assert list(flags["trigger_event_id"]) == ["C1-e005"] and list(flags["delay_days"]) == [39.0]
    assert _package(rows, review="2021-12-31") == _baseline(rows, review="2021-12-31")
    # a visit by a local authority's social care under another name is the placing authority's
    csc_short = [OLLIE[0], dict(_visit("2021-09-10"), agency="Westmere CSC"), dict(_visit("2021-10-20"), agency="Westmere CSC")]
    assert _flags(csc_short, review="2021-11-15").empty
    # another authority's social worker is not the placing authority
    other = [dict(SCHOOL, date="2021-09-06", description="Ollie arrived."),
             dict(_visit("2021-09-10"), agency="Eastshire Children's Social Care")]
    flags = _flags(other, review="2021-09-30")
    assert list(flags["trigger_event_id"]) == ["C1-e002"] and list(flags["expected_by"]) == [pd.Timestamp("2021-09-13")]
    assert "after the placement started on 6 Sep 2021, it recorded no visit" in flags["explanation"].iloc[0]
    assert _package(other, review="2021-09-30") == _baseline(other, review="2021-09-30")
    # a child not looked after: nothing
    assert _flags(OLLIE, periods=()).empty and _baseline(OLLIE, periods=()) == []


def test_first_visit_late_and_no_visit_by_the_end_of_the_review():
    rows = [dict(SCHOOL, date="2021-09-06", description="Ollie arrived."), _visit("2021-09-16"),
            _visit("2021-10-20"), dict(CSC, date="2022-01-05", contact_type="phone_call", child_seen=False,
                                       description="Call to school.")]
    flags = _flags(rows, review="2022-02-28")
    assert list(flags["trigger_event_id"]) == ["C1-e002", "C1-e004"]
    late, end = flags.iloc[0], flags.iloc[1]
    assert late.expected_by == pd.Timestamp("2021-09-13") and late.delay_days == 3
    assert "within 7 days of the placement starting" in late.explanation
    # no visit since 20 Oct 2021: due 1 Dec 2021, still none at the end of the review (no action, delay open)
    assert end.expected_by == pd.Timestamp("2021-12-01") and pd.isna(end.delay_days)
    assert end.actual_action_event_id in ("", None) or pd.isna(end.actual_action_event_id)
    assert "recorded no visit at which the child was seen by the end of the review on 28 Feb 2022, 131 days " \
           "later: 89 days overdue then" in end.explanation
    assert _package(rows, review="2022-02-28") == _baseline(rows, review="2022-02-28")
    # a placement that ended: counted to its end only
    ended = LookedAfterPeriod(start=dt.date(2021, 9, 6), end=dt.date(2021, 11, 1),
                              placing_authority="Westmere Children's Social Care", placement="foster care")
    assert list(_flags(rows, periods=(ended,), review="2022-02-28")["trigger_event_id"]) == ["C1-e002"]


# child_not_seen: a concern of the school's, then no sighting for 60 days, with the GP's unseen contact past it
UNSEEN = [
    dict(SCHOOL, date="2022-03-01", concerns="neglect", open_concerns="neglect", on_cp_plan=False, child_seen=True,
         description="Weight dropped, refusing meals."),
    dict(GP, date="2022-05-01", child_seen=False, open_concerns="neglect", on_cp_plan=False,
         description="Letter re repeat prescription."),
]


def test_child_not_seen_leaves_a_residential_placement_to_the_statutory_visits():
    assert list(_flags(UNSEEN, periods=(), rule="child_not_seen", review="2022-05-10")["trigger_event_id"]) == ["C1-e002"]
    # living in a residential placement: the care staff see the child daily
    assert _flags(UNSEEN, periods=(RESIDENTIAL,), rule="child_not_seen", review="2022-05-10").empty
    assert _baseline(UNSEEN, periods=(RESIDENTIAL,), rule="child_not_seen", review="2022-05-10") == []
    # in foster care (not residential), or after a residential placement ended, the standard stands
    assert not _flags(UNSEEN, periods=(FOSTER,), rule="child_not_seen", review="2022-05-10").empty
    ended = LookedAfterPeriod(start=dt.date(2021, 9, 6), end=dt.date(2022, 1, 31),
                              placing_authority="Westmere Children's Social Care", placement="residential school")
    assert _package(UNSEEN, periods=(ended,), rule="child_not_seen", review="2022-05-10") \
        == _baseline(UNSEEN, periods=(ended,), rule="child_not_seen", review="2022-05-10") != []


def _write_case(tmp_path, looked_after: str) -> Path:
    (tmp_path / "case.yml").write_text("case_id: C1\ndate_of_birth: 2010-03-10\n" + looked_after, encoding="utf-8")
    return tmp_path


def test_case_yml_looked_after(tmp_path):
    config = load_case_config(_write_case(tmp_path, (
        "looked_after:\n  from: 2021-09-06\n  placing_authority: Westmere Children's Social Care\n"
        "  placement: residential special school\n  placed_at: Hollybrook School\n  legal_status: s20\n")))
    assert config.looked_after == (RESIDENTIAL,)
    config = load_case_config(_write_case(tmp_path, (
        "looked_after:\n- from: 2022-01-01\n  to: 2022-06-30\n  placing_authority: Westmere CSC\n"
        "- from: 2020-05-01\n  to: 2020-08-31\n  placing_authority: Westmere CSC\n")))
    assert [p.start for p in config.looked_after] == [dt.date(2020, 5, 1), dt.date(2022, 1, 1)]
    assert load_case_config(_write_case(tmp_path, "")).looked_after == ()
    for bad, words in (("looked_after:\n  from: 2021-09-06\n", "placing_authority"),
                       ("looked_after:\n  placing_authority: X CSC\n", "no `from` date"),
                       ("looked_after:\n  from: 2021-09-06\n  placing_authority: X\n  carer: Y\n", "unknown key"),
                       ("looked_after:\n  from: 2021-09-06\n  to: 2021-01-01\n  placing_authority: X\n", "before it"),
                       ("looked_after: yes please\n", "must be a period")):
        with pytest.raises(ConfigError, match=words):
            load_case_config(_write_case(tmp_path, bad))


def _validate(case_dir: Path, capsys) -> str:
    from review.cli import main

    main(["validate", str(case_dir)])
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_validate_advises_looked_after_periods_the_records_speak_of(tmp_path, capsys):
    (tmp_path / "csc.csv").write_text(
        "Date,Contact type,Description,Child seen\n"
        "06/09/2021,Placement,Ollie placed at Hollybrook School under s20.,Yes\n"
        "10/09/2021,Visit,Statutory visit - Ollie seen in his room.,Yes\n", encoding="utf-8")
    files = "files:\n  - {path: csc.csv, agency: Westmere Children's Social Care}\n"
    _write_case(tmp_path, files)
    out = _validate(tmp_path, capsys)
    assert "The records say the child is looked after (csc.csv row 2: 'Ollie placed at Hollybrook School under " \
           "s20.'; csc.csv row 3:" in out
    assert "case.yml states no `looked_after` periods" in out
    # stated: no advice
    _write_case(tmp_path, files + "looked_after: {from: 2021-09-06, placing_authority: Westmere CSC}\n")
    assert "states no `looked_after`" not in _validate(tmp_path, capsys)
    # records that say nothing of it ("placed" alone, "2020", "Lacey"): none
    (tmp_path / "csc.csv").write_text("Date,Contact type,Description\n06/09/2020,Visit,Lacey placed the call. "
                                      "Seen at home.\n", encoding="utf-8")
    _write_case(tmp_path, files)
    assert "looked after" not in _validate(tmp_path, capsys)
