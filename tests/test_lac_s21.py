"""Twenty-first session (lac): a looked-after child through the case store, the actions expected of a
looked-after child's case, a social worker named in an e-mail's recipient, reg. 28's visits after a placement's
first year.

1. The case store's case table keeps case.yml `looked_after` (`review.store.looked_after_json`), so a case analysed
   again from the store (`analyse_cases`, the Dask path, the row-by-row baseline) gives `review build`'s flags.
2. injury_not_escalated, exploitation_not_referred and sexual_harm_not_referred expect a looked-after child's record
   shared with its social worker at the placing authority, not a referral to children's social care; the sharing
   answers (`lac_visits_overdue.looked_after_share_params`). Package and row-by-row baseline agree.
3. A recipient named "Kerry Holt (social worker)" / "Kerry Holt, SW" reaches children's social care
   (`review.vocab.recipient_role`): a mother's e-mail to the social worker reached social care.
4. Reg. 28(3)(c): after a placement's first year, 3-monthly visits only for one intended to last until the child is
   18 (case.yml looked_after `long_term`, the placement's words, else six-weekly).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from review.config import CaseConfig, LookedAfterPeriod, load_case_config
from review.errors import ConfigError
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_rowwise

RULES = load_rules()
CSC_NAME = "Westmere Children's Social Care"


# -- 1. the store keeps looked_after ----------------------------------------------------------------------------
def _folder(case_dir: Path, case_id: str, looked_after) -> Path:
    case_dir.mkdir(parents=True)
    raw = {"case_id": case_id, "child_name": "Ollie Brent", "date_of_birth": "2010-03-10", "review_date": "2023-07-31",
           "child_sex": "male", "additional_needs": ["autism"],
           "files": [{"path": "csc.csv", "agency": CSC_NAME}, {"path": "school.csv", "agency": "Hollybrook School"}]}
    if looked_after:
        raw["looked_after"] = looked_after
    (case_dir / "case.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    csc = [["Date", "Type of contact", "Details", "Action / outcome", "Child seen"],
           ["06/09/2021", "Placement", "Ollie placed at Hollybrook School.", "", "Yes"],
           ["10/09/2021", "Home visit", "Statutory visit. Ollie seen in his room.", "", "Yes"],
           ["20/01/2022", "Home visit", "Statutory visit. Ollie seen in his room.", "", "Yes"],
           ["02/11/2022", "Home visit", "Statutory visit. Ollie seen in his room.", "", "Yes"],
           ["03/05/2023", "Home visit", "Statutory visit. Ollie seen in his room.", "", "Yes"]]
    school = [["Date", "Type of contact", "Details", "Action / outcome", "Child seen"],
              ["15/06/2022", "Other", "Ollie seen at morning care. Bruise to his arm, says a staff member grabbed him.",
               "Recorded on incident log.", "Yes"],
              ["20/06/2022", "Other", "Ollie seen at morning care.", "", "Yes"]]
    for name, rows in (("csc.csv", csc), ("school.csv", school)):
        with open(case_dir / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return case_dir


LAC_YML = {"from": "2021-09-06", "placing_authority": CSC_NAME, "placement": "residential special school",
           "placed_at": "Hollybrook School"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from review.store import build_all

    root = tmp_path_factory.mktemp("s21lac")
    _folder(root / "cases" / "ollie", "ollie", LAC_YML)
    _folder(root / "cases" / "twice", "twice", [dict(LAC_YML, to="2022-06-30", long_term=False),
                                                 {"from": "2022-09-01", "placing_authority": "Westmere CSC",
                                                  "placement": "long-term foster care"}])
    _folder(root / "cases" / "home", "home", None)
    build_all(root / "cases", root / "store", progress=False)
    return root


def _by_case(flags: pd.DataFrame, names) -> dict:
    return {name: sorted(flags[flags["case_id"] == name]["flag_id"]) for name in names}


def test_the_store_keeps_the_looked_after_periods(built):
    from review.store import case_configs, looked_after_json, read_store

    cases = read_store(built / "store", "cases").set_index("case_id")
    kept = json.loads(cases.loc["ollie", "looked_after"])
    assert kept == [{"from": "2021-09-06", "to": None, "placing_authority": CSC_NAME,
                     "placement": "residential special school", "placed_at": "Hollybrook School", "long_term": None}]
    assert cases.loc["home", "looked_after"] in ("", None) or pd.isna(cases.loc["home", "looked_after"])
    configs = case_configs(cases.reset_index())
    for name in ("ollie", "twice", "home"):
        assert configs[name].looked_after == load_case_config(built / "cases" / name).looked_after
        # deterministic: the same text every time
        assert looked_after_json(configs[name]) == (cases.loc[name, "looked_after"] if name != "home" else "")
    assert configs["twice"].looked_after[0].long_term is False


def test_the_store_and_dask_give_the_build_s_flags_for_a_looked_after_child(built):
    from review.pipeline import analyse, load_case
    from review.store import analyse_cases, read_store

    store, names = built / "store", ("ollie", "twice", "home")
    single = {name: sorted(analyse(load_case(built / "cases" / name)).flags["flag_id"]) for name in names}
    assert any(f.startswith("lac_visits_overdue") for f in single["ollie"])
    assert not any(f.startswith("lac_visits_overdue") for f in single["home"])
    assert _by_case(read_store(store, "flags"), names) == single  # build-all's own
    contacts, cases = read_store(store, "contacts"), read_store(store, "cases")
    again = analyse_cases(contacts, cases)["flags"]
    assert _by_case(again, names) == single
    # the looked-after sharing too: the school's injury asks the record shared with the social worker, as the build
    built_actions = analyse(load_case(built / "cases" / "ollie")).flags.set_index("flag_id")["expected_action"]
    again_actions = again[again["case_id"] == "ollie"].set_index("flag_id")["expected_action"]
    assert again_actions.sort_index().to_dict() == built_actions.sort_index().to_dict()
    assert any(str(a).startswith("record shared with the child's social worker") for a in again_actions)
    # an older store (no looked_after kept): the rule did not run
    older = analyse_cases(contacts, cases.drop(columns="looked_after"))["flags"]
    assert not any(f.startswith("lac_visits_overdue") for f in older["flag_id"])
    # the row-by-row baseline reads the store's periods too
    rows, info = baseline_rowwise.rows_and_cases(contacts, cases)
    assert info["ollie"]["looked_after"] == load_case_config(built / "cases" / "ollie").looked_after

    pytest.importorskip("distributed")
    from review.distributed import analyse_store, dask_client

    with dask_client(n_workers=1, processes=False) as client:
        flags = analyse_store(store, client=client, tables=("flags",))["flags"]
    assert _by_case(flags, names) == single


# -- 2. injury, exploitation, sexual harm of a looked-after child: shared with the social worker -------------------
DOB = "2010-03-10"
PLACED = LookedAfterPeriod(start=dt.date(2021, 9, 6), placing_authority=CSC_NAME,
                           placement="residential special school", placed_at="Hollybrook School")
SCHOOL = {"agency": "Hollybrook School", "agency_kind": "education", "contact_type": "other"}
POLICE = {"agency": "Westmere Police", "agency_kind": "police", "contact_type": "other"}
END = {"date": "2022-12-31", **SCHOOL, "description": "End of term report."}
SHARED_WITH = (f"record shared with the child's social worker at {CSC_NAME} (the placing authority; the child is "
               "looked after)")


def _config(periods, review="2022-12-31"):
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2010, 3, 10),
                      review_date=dt.date.fromisoformat(review), looked_after=tuple(periods), vocab={})


def _run(rows, rule, periods=(PLACED,), rules=RULES):
    """(package flags, package keys, baseline keys) of `rule`: (trigger, action, delay)."""
    timeline = make_timeline(rows, dob=DOB)
    flags = detect(timeline, {"C1": _config(periods)}, rules, only=[rule]).reset_index(drop=True)
    package = sorted((str(t), str(a or ""), None if pd.isna(d) else float(d)) for t, a, d in zip(
        flags["trigger_event_id"], flags["actual_action_event_id"].fillna(""), flags["delay_days"]))
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    case = {"date_of_birth": dt.date(2010, 3, 10), "review_date": dt.date(2022, 12, 31), "looked_after": tuple(periods)}
    _, found = baseline_rowwise.run(base_rows, {"C1": case}, rules)
    base = sorted((str(f["trigger_event_id"]), str(f["actual_action_event_id"] or ""),
                   None if f["delay_days"] is None or pd.isna(f["delay_days"]) else float(f["delay_days"]))
                  for f in found if f["rule_id"] == rule)
    return flags, package, base


def _concern(rule, action="Recorded on incident log."):
    """A looked-after child's concern for `rule`, by the school (the police for exploitation), then a later row."""
    first = {"injury_not_escalated": {**SCHOOL, "concerns": "non_accidental",
                                      "description": "Ollie says a member of staff hit him. Red mark to cheek."},
             "exploitation_not_referred": {**POLICE, "concerns": "exploitation",
                                           "description": "Ollie found with older males, suspected county lines."},
             "sexual_harm_not_referred": {**SCHOOL, "concerns": "sexualised_behaviour",
                                          "description": "Ollie displaying sexualised behaviour towards peers."}}[rule]
    return [{"date": "2022-05-10", **first, "action": action}, END]


RULES_2 = ("injury_not_escalated", "exploitation_not_referred", "sexual_harm_not_referred")


@pytest.mark.parametrize("rule", RULES_2)
def test_a_looked_after_childs_concern_expects_the_record_shared_with_the_social_worker(rule):
    flags, package, base = _run(_concern(rule), rule)
    assert list(flags["trigger_event_id"]) == ["C1-e001"] and package == base
    row = flags.iloc[0]
    assert row.expected_action.startswith(SHARED_WITH)
    assert "referral to children's social care" not in row.expected_action
    assert "no referral to children's social care is asked" in row.explanation
    # not looked after: the referral is still asked
    flags, package, base = _run(_concern(rule), rule, periods=())
    assert list(flags["trigger_event_id"]) == ["C1-e001"] and package == base
    assert "referral to children's social care" in flags.iloc[0].expected_action
    assert "looked after" not in flags.iloc[0].expected_action


@pytest.mark.parametrize("rule", RULES_2)
@pytest.mark.parametrize("action", ["SW updated by phone.", "Informed the social worker by email.",
                                    "Incident report e-mailed to Westmere CSC."])
def test_sharing_with_the_social_worker_answers(rule, action):
    flags, package, base = _run(_concern(rule, action), rule)
    assert flags.empty and package == base == []
    # a child not looked after: telling a social worker is no referral (exploitation_not_referred reads a record
    # sent to a social worker as shared with social care for any child, as before s21)
    if action.startswith("SW") and rule != "exploitation_not_referred":
        flags, package, base = _run(_concern(rule, action), rule, periods=())
        assert list(flags["trigger_event_id"]) == ["C1-e001"] and package == base


@pytest.mark.parametrize("rule", RULES_2)
def test_a_late_share_is_the_late_action_and_a_period_that_ended_asks_the_referral(rule):
    rows = _concern(rule)[:1] + [{"date": "2022-05-20", **rows_agency(rule), "description": "Follow-up.",
                                  "action": "Social worker informed."}, END]
    flags, package, base = _run(rows, rule)
    assert list(flags["trigger_event_id"]) == ["C1-e001"] and package == base
    assert flags.iloc[0].actual_action_event_id == "C1-e002"
    ended = LookedAfterPeriod(start=dt.date(2021, 9, 6), end=dt.date(2022, 3, 31), placing_authority=CSC_NAME)
    flags, package, base = _run(_concern(rule), rule, periods=(ended,))
    assert "referral to children's social care" in flags.iloc[0].expected_action and package == base


def rows_agency(rule):
    return POLICE if rule == "exploitation_not_referred" else SCHOOL


@pytest.mark.parametrize("rule", ["injury_not_escalated", "sexual_harm_not_referred"])
def test_looked_after_sharing_can_be_switched_off(rule):
    import copy

    rules = copy.deepcopy(RULES)
    rules["rules"][rule]["params"]["looked_after_share"] = False
    flags, package, base = _run(_concern(rule, "SW updated by phone."), rule, rules=rules)
    assert list(flags["trigger_event_id"]) == ["C1-e001"] and package == base
    assert "referral to children's social care" in flags.iloc[0].expected_action


# -- 3. a social worker named in a recipient is social care --------------------------------------------------------
@pytest.mark.parametrize("name, label", [
    ("Kerry Holt (social worker)", "Children's social care"),
    ("Kerry Holt, SW", "Children's social care"),
    ("Kerry Holt (SW)", "Children's social care"),
    ("K Holt - allocated SW", "Children's social care"),
    ("Kerry Holt (the child's allocated social worker)", "Children's social care"),
    ("Social worker", "Children's social care"),
    ("Jo Bloggs (HV)", "Health visiting"),
    # no role: a person's name, a name whose words are an agency's, a role inside a name
    ("Kerry Holt", None), ("Holt, Kerry", None), ("Kerry Holt (mother)", None), ("Westmere CSC", None),
    ("SW London NHS Trust", None), ("Social Worker Training Ltd", None),
])
def test_a_recipient_named_with_a_role(name, label):
    from review.config import load_vocab
    from review.vocab import compile_vocab, informed_reaches, recipient_role

    vocab = compile_vocab(load_vocab(None))
    assert recipient_role(name, vocab) == label
    reaches = informed_reaches(name, CSC_NAME, "social care", vocab)
    assert reaches is (label == "Children's social care")


def test_a_mothers_email_to_the_social_worker_reaches_social_care(tmp_path):
    from review.pipeline import analyse, load_case

    case_dir = tmp_path / "c"
    case_dir.mkdir()
    (case_dir / "case.yml").write_text(yaml.safe_dump({
        "case_id": "ollie", "date_of_birth": "2010-03-10", "child_name": "Ollie Brennan", "review_date": "2023-07-31",
        "people": {"Dawn Brennan": "Mother"},
        "files": [{"path": "emails.csv", "agency": "Parent emails"}, {"path": "csc.csv", "agency": CSC_NAME}]}),
        encoding="utf-8")
    (case_dir / "emails.csv").write_text(
        "Date sent,From,To,Subject,Email text\n"
        '06/10/2022 20:30,Dawn Brennan (mother),Kerry Holt (social worker),Weight,"He has lost so much weight, he is '
        'not being fed properly and has bruises on his arms."\n', encoding="utf-8")
    (case_dir / "csc.csv").write_text("Date,Type of contact,Details,Action / outcome,Child seen\n"
                                      "20/10/2022,Case closure,Case closed. No further action.,Closed,No\n",
                                      encoding="utf-8")
    case = load_case(case_dir)
    emails = case.contacts[case.contacts["source_file"] == "emails.csv"].iloc[0]
    assert emails["informed_agencies"] == "Kerry Holt (social worker)"  # kept as written
    # no "an agency in no vocabulary" warning for her
    assert not any("Kerry Holt" in w.message for f in case.report.files for w in f.warnings)
    knowledge = analyse(case).knowledge
    closure = knowledge.iloc[0]
    assert closure["deciding_agency"] == CSC_NAME
    # before s21 the concerns were missing from social care's knowledge at its closure
    assert closure["missing_concerns"] in ("", None) or pd.isna(closure["missing_concerns"])
    assert "neglect" in closure["concerns_known_to_agency"]


def test_a_looked_after_childs_record_copied_to_the_social_worker_by_name_answers():
    rows = _concern("sexual_harm_not_referred")
    rows[0]["informed_agencies"] = "Kerry Holt, SW"
    flags, package, base = _run(rows, "sexual_harm_not_referred")
    assert flags.empty and package == base == []
    rows[0]["informed_agencies"] = "Kerry Holt"
    flags, package, base = _run(rows, "sexual_harm_not_referred")
    assert list(flags["trigger_event_id"]) == ["C1-e001"] and package == base


# -- 4. reg. 28: after the first year, 3-monthly only for a placement intended to last until 18 ---------------------
VISIT = {"agency": CSC_NAME, "agency_kind": "social care", "contact_type": "home_visit", "child_seen": True,
         "description": "Statutory visit. Child seen in his room."}
# placed 6 Sep 2021, visits 10 Sep 2021, 20 Jan 2022, 2 Nov 2022 (after the first year), 3 May 2023
OLLIE = [dict(VISIT, date="2021-09-06", contact_type="other", description="Ollie placed at Hollybrook School."),
         dict(VISIT, date="2021-09-10"), dict(VISIT, date="2022-01-20"), dict(VISIT, date="2022-11-02"),
         dict(VISIT, date="2023-05-03")]


def _lac(period, rules=RULES):
    case = CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2010, 3, 10),
                      review_date=dt.date(2023, 7, 31), looked_after=(period,), vocab={})
    timeline = make_timeline(OLLIE, dob=DOB)
    flags = detect(timeline, {"C1": case}, rules, only=["lac_visits_overdue"]).reset_index(drop=True)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    _, found = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2010, 3, 10),
                                                       "review_date": dt.date(2023, 7, 31), "looked_after": (period,)}},
                                    rules)
    package = sorted((f, str(e)[:10]) for f, e in zip(flags["flag_id"], flags["expected_by"]))
    base = sorted((f["flag_id"], str(f["expected_by"])[:10]) for f in found if f["rule_id"] == "lac_visits_overdue")
    assert package == base
    return flags


def _after_first_year(flags):
    """(trigger, expected by, delay) of the flags on the gaps from the visit of 2 Nov 2022 (after the first year)."""
    return sorted(((t, str(e)[:10], None if pd.isna(d) else float(d))
                   for t, e, d, x in zip(flags["trigger_event_id"], flags["expected_by"], flags["delay_days"],
                                         flags["explanation"]) if "after the first year" in x), key=lambda f: f[1])


def test_a_placement_not_stated_as_long_term_keeps_six_weekly_visits_after_its_first_year():
    flags = _lac(PLACED)  # residential special school, long_term not stated
    # 2 Nov 2022 -> 3 May 2023: 182 days, 42 allowed (due 14 Dec 2022): 140 overdue; then none to the review's end
    assert _after_first_year(flags) == [("C1-e005", "2022-12-14", 140.0), ("C1-e005", "2023-06-14", None)]
    text = flags["explanation"][flags["explanation"].str.contains("after the first year")].iloc[0]
    assert ("at least every 42 days after the first year of the placement, which is not intended to last until the "
            "child is 18 (case.yml looked_after does not say whether it is (long_term), read as not: rules.yml "
            "unstated_long_term)") in text
    # said so in case.yml: the same, naming it
    flags = _lac(LookedAfterPeriod(start=PLACED.start, placing_authority=CSC_NAME, placement="foster care",
                                   long_term=False))
    assert [d for _, _, d in _after_first_year(flags)] == [140.0, None]
    assert "(case.yml looked_after long_term: no)" in " ".join(flags["explanation"])


@pytest.mark.parametrize("period, why", [
    (LookedAfterPeriod(start=PLACED.start, placing_authority=CSC_NAME, placement="residential special school",
                       long_term=True), "case.yml looked_after long_term: yes"),
    (LookedAfterPeriod(start=PLACED.start, placing_authority=CSC_NAME, placement="long-term foster care"),
     "its placement: long-term foster care"),
    (LookedAfterPeriod(start=PLACED.start, placing_authority=CSC_NAME, placement="permanent placement"),
     "its placement: permanent placement"),
])
def test_a_placement_intended_to_last_until_18_is_visited_three_monthly_after_its_first_year(period, why):
    flags = _lac(period)
    # 182 days, 92 allowed (due 2 Feb 2023): 90 overdue; 3 May -> 31 Jul 2023 is 89 days: in time
    assert _after_first_year(flags) == [("C1-e005", "2023-02-02", 90.0)]
    assert f"which is intended to last until the child is 18 ({why})" in " ".join(flags["explanation"])


def test_the_rules_yml_overrides():
    import copy

    rules = copy.deepcopy(RULES)
    params = rules["rules"]["lac_visits_overdue"]["params"]
    assert (params["after_first_year_max_days"], params["not_long_term_max_days"], params["unstated_long_term"]) == \
        (92, 42, False)
    params["unstated_long_term"] = True  # the reading before s21: an unstated placement 3-monthly
    assert [d for _, _, d in _after_first_year(_lac(PLACED, rules))] == [90.0]
    rules = copy.deepcopy(RULES)
    rules["rules"]["lac_visits_overdue"]["params"]["after_first_year_max_days"] = 42  # six weeks throughout
    long_term = LookedAfterPeriod(start=PLACED.start, placing_authority=CSC_NAME, long_term=True)
    assert [d for _, _, d in _after_first_year(_lac(long_term, rules))] == [140.0, None]


def _case_yml(tmp_path, period: str) -> Path:
    (tmp_path / "case.yml").write_text("case_id: C1\ndate_of_birth: 2010-03-10\nlooked_after:\n  from: 2021-09-06\n"
                                       f"  placing_authority: Westmere CSC\n{period}", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("written, read", [("  long_term: yes\n", True), ("  long_term: no\n", False),
                                           ("  long_term: true\n", True), ("", None)])
def test_case_yml_long_term(tmp_path, written, read):
    assert load_case_config(_case_yml(tmp_path, written)).looked_after[0].long_term is read


def test_case_yml_long_term_of_another_value_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="long_term 'maybe' is neither yes nor no"):
        load_case_config(_case_yml(tmp_path, "  long_term: maybe\n"))
