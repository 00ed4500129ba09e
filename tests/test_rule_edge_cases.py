"""Edge cases of the rules found by adversarial QA: the end of the review when the child died, attended
appointments that mention a missed one, "no further action" in free text, negated assessment requests,
partial-date concerns, configuration values, and explanation texts."""
import datetime as dt

import pandas as pd
import pytest

from review.config import CaseConfig
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.timeline import _case_dates, CaseDates

RULES = load_rules()

#: s13: a late escalation more than `response_max_days` (90) after the injury is not reported as its response;
#: the partial-date late actions read here come up to a year later, so the cap is lifted for them
LONG_WAIT = load_rules()
LONG_WAIT["rules"]["injury_not_escalated"]["params"]["response_max_days"] = 1000
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
GP = {"agency": "GP", "agency_kind": "health"}


def flags_of(rule_id, rows, case=None, **kw):
    return detect(make_timeline(rows, **kw), case, RULES, only=[rule_id])


def config(death=None, review=None, dob="2023-01-01"):
    day = lambda d: pd.Timestamp(d).date() if d else None  # noqa: E731
    return CaseConfig(case_dir=".", case_id="C1", date_of_birth=day(dob), date_of_death=day(death),
                      review_date=day(review))


# --- A6: the end of the review is the date of death when the child died --------------------------------
def request(date):
    return {"date": date, "contact_type": "referral_decision", **CSC, "description": "single assessment to be completed"}


def test_assessment_wait_ends_at_death_not_at_the_later_review_date():
    rows = [request("2023-03-01")]
    assert flags_of("assessment_wait", rows, config(death="2023-03-20", review="2024-01-15")).empty
    # without the death the 42 days ran out before the review date: a flag
    assert len(flags_of("assessment_wait", rows, config(review="2024-01-15"))) == 1


def test_review_end_is_the_earlier_of_death_and_review_date_in_timeline_and_rules():
    death, review = dt.date(2023, 3, 20), dt.date(2024, 1, 15)
    for case in (config(death="2023-03-20", review="2024-01-15"), config(death="2024-01-15", review="2023-03-20")):
        assert _case_dates(case, ["C1"])["review_end"][0] == min(death, review)
    table = pd.DataFrame({"case_id": ["A", "B", "C"], "date_of_birth": pd.to_datetime(["2023-01-01"] * 3),
                          "date_of_death": pd.to_datetime(["2023-03-20", None, "2024-02-01"]),
                          "review_date": pd.to_datetime(["2024-01-15", "2024-01-15", "2024-01-15"])})
    ends = CaseDates(table).take(["A", "B", "C"])["review_end"]
    assert [str(d) for d in ends] == ["2023-03-20", "2024-01-15", "2024-01-15"]


def test_strategy_discussion_after_death_expects_no_conference():
    rows = [{"date": "2023-03-16", "agency": "Police", "agency_kind": "police", "contact_type": "strategy_discussion",
             "escalation": "strategy_discussion"}]
    case = config(death="2023-03-15", review="2024-01-15")
    assert flags_of("strategy_no_conference", rows, case).empty
    assert len(flags_of("strategy_no_conference", rows, config(review="2024-01-15"))) == 1


def test_deadline_after_death_is_not_missed_but_one_before_it_is():
    rows = [{"date": "2023-03-01", "agency": "Police", "agency_kind": "police", "contact_type": "strategy_discussion",
             "escalation": "strategy_discussion"}]
    # 15 working days from 1 Mar 2023 is 22 Mar 2023
    assert flags_of("strategy_no_conference", rows, config(death="2023-03-21", review="2024-01-15")).empty
    flags = flags_of("strategy_no_conference", rows, config(death="2023-03-22", review="2024-01-15"))
    assert list(flags["expected_by"]) == [pd.Timestamp("2023-03-22")]


def test_injury_on_the_day_of_death_can_still_be_flagged():
    rows = [{"date": "2023-03-15", "agency": "Hospital", "contact_type": "ae_attendance", "concerns": "bruising"}]
    flags = flags_of("nonmobile_injury", rows, config(death="2023-03-15", review="2024-01-15"))
    assert len(flags) == 1


def test_contact_after_death_does_not_trigger_child_not_seen():
    rows = [
        {"date": "2023-01-02", "child_seen": True, "concerns": "neglect", "open_concerns": "neglect"},
        {"date": "2023-03-15", "contact_type": "phone_call", **CSC, "child_seen": False, "open_concerns": "neglect"},
    ]
    assert len(flags_of("child_not_seen", rows, config(review="2024-01-15"))) >= 1
    assert flags_of("child_not_seen", rows, config(death="2023-03-01", review="2024-01-15")).query(
        "trigger_date > '2023-03-01'").empty


# --- A1: a contact at which the child was seen is not a missed appointment ----------------------------
def wnb(date, **kw):
    return {"date": date, **GP, "contact_type": "was_not_brought", "concerns": "was_not_brought", "child_seen": False, **kw}


def test_attended_appointment_mentioning_the_missed_one_is_the_follow_up():
    rows = [wnb("2023-03-01"),
            {"date": "2023-03-08", **GP, "contact_type": "gp_appointment", "concerns": "was_not_brought",
             "child_seen": True, "description": "Mother apologised that he was not brought last week."}]
    assert flags_of("was_not_brought", rows).empty


def test_two_attended_visits_tagged_was_not_brought_are_no_pattern():
    seen = {"contact_type": "gp_appointment", "child_seen": True, "description": "Father requested paternity DNA test."}
    rows = [wnb("2023-03-01", **seen), wnb("2023-03-20", **seen)]
    assert flags_of("was_not_brought", rows).empty


def test_two_missed_appointments_still_flag_and_unknown_seen_counts_as_missed():
    rows = [wnb("2023-03-01"), wnb("2023-03-20", child_seen=pd.NA)]
    flags = flags_of("was_not_brought", rows)
    assert len(flags) == 1 and "2 appointments" in flags.iloc[0]["explanation"]


# --- A8: "no further action" recorded by social care ends the conference requirement -------------------
def strategy(date="2023-03-01"):
    return {"date": date, "agency": "Police", "agency_kind": "police", "contact_type": "strategy_discussion",
            "escalation": "strategy_discussion"}


@pytest.mark.parametrize("text, flagged", [
    ("Section 47 concluded: concerns not substantiated. No further action. NFA - case closed.", False),
    ("Outcome of enquiries: NFA.", False),
    ("Enquiry complete; case closed to children's social care.", False),
    ("NFA not agreed by the team manager; enquiries continue.", True),
    ("Section 47 enquiries continue; conference to be arranged.", True),
])
def test_no_further_action_in_the_text_of_a_social_care_row(text, flagged):
    rows = [strategy(), {"date": "2023-03-10", "contact_type": "s47_enquiry", **CSC, "description": text}]
    assert (len(flags_of("strategy_no_conference", rows)) == 1) is flagged


def test_no_further_action_by_another_agency_or_after_the_deadline_does_not_end_it():
    police_nfa = {"date": "2023-03-10", "agency": "Police", "agency_kind": "police", "contact_type": "other",
                  "description": "No further action by police."}
    late_nfa = {"date": "2023-04-20", "contact_type": "s47_enquiry", **CSC, "description": "No further action."}
    assert len(flags_of("strategy_no_conference", [strategy(), police_nfa])) == 1
    assert len(flags_of("strategy_no_conference", [strategy(), late_nfa])) == 1


@pytest.mark.parametrize("text, flagged", [
    ("Section 47 enquiry to be initiated. Police: no further action on the criminal investigation at this stage.", True),
    ("Police NFA. Section 47 enquiries continue.", True),
    ("No further action by police, CPS advice not needed.", True),
    ("Crime: NFA", True),
    ("Outcome: NFA. Police investigation continues.", False),  # social care's NFA, police's news in another sentence
    ("Social care NFA but police to continue the criminal investigation", False),
])
def test_no_further_action_naming_another_agency_in_a_social_care_row_is_not_social_cares(text, flagged):
    rows = [strategy(), {"date": "2023-03-10", "contact_type": "home_visit", **CSC, "description": text}]
    assert (len(flags_of("strategy_no_conference", rows)) == 1) is flagged


def test_police_nfa_recorded_in_social_cares_own_strategy_row_does_not_end_the_requirement():
    rows = [{"date": "2023-05-03", "contact_type": "strategy_discussion", **CSC,
             "description": "Strategy discussion held with police and health. Section 47 enquiry to be initiated. "
                            "Police: no further action on the criminal investigation at this stage."},
            {"date": "2023-05-10", "contact_type": "home_visit", **CSC, "description": "S47 continuing, ICPC to be arranged."}]
    assert len(flags_of("strategy_no_conference", rows)) == 1


@pytest.mark.parametrize("keywords", [
    ["no further action", "nfa", "case closed", "closed to social care", "closed to children's social care"],
    ["assessment"],
])
def test_text_mentions_finds_exactly_what_the_row_by_row_reading_finds(keywords):
    """The whole-word search that picks the texts to read never drops a mention `_mentioned` finds, and
    substrings of other words ("infant", "reassessment", "carefully") are no mention."""
    from review.rules import prepare
    from review.rules.base import _mentioned, text_mentions

    texts = [
        "Infant seen; carefully examined", "NFA", "nfa'd by team manager", "N.F.A.", "NFA not agreed",
        "No-further-action", "Case_closed", "Closed to Children’s Social Care", "closed to childrens social  care",
        "closed to social, care", "Reassessment booked", "Assessments to follow", "ASSESSMENT: not required",
        "Café visit, NFA", "Police: NFA", "Strategy. NFA", "", "action plan reviewed with social care",
        "Ñfa", "nfa\ncase closed", "closed to social care (ref 1)", "zz NFA",
    ]
    rows = [{"date": "2023-03-01", **CSC, "contact_type": "home_visit", "description": d, "action": a}
            for d in texts for a in ("", "Case closed.", "Infant")]
    ctx = prepare(make_timeline(rows), None, RULES["settings"])
    got = text_mentions(ctx, pd.Series(True, index=ctx.timeline.index), keywords, ("not agreed", "not required"),
                        ("police",))
    tl = ctx.timeline
    expected = [_mentioned(str(d) + " . " + str(a), keywords, ("not agreed", "not required"), ("police",))
                for d, a in zip(tl["description"].fillna(""), tl["action"].fillna(""))]
    assert got.tolist() == expected
    assert any(expected) and not all(expected)


def test_text_mentions_reads_no_text_without_a_keyword_as_whole_words(monkeypatch):
    import review.rules.base as base
    from review.rules import prepare

    read = []
    monkeypatch.setattr(base, "_mentioned", lambda text, *args: read.append(text) or True)
    texts = ["Infant seen", "Action plan reviewed with children's social care manager", "Caseload closed today",
             "Unfair conference", "Outcome: NFA"]
    ctx = prepare(make_timeline([{"date": "2023-03-01", **CSC, "description": t} for t in texts]), None, RULES["settings"])
    keywords = ["no further action", "nfa", "case closed", "closed to children's social care"]
    hits = base.text_mentions(ctx, pd.Series(True, index=ctx.timeline.index), keywords)
    assert read == ["Outcome: NFA . "]
    assert hits.tolist() == [t == "Outcome: NFA" for t in ctx.timeline["description"]]


# --- A9: a text saying no assessment is needed is not an assessment request ----------------------------
@pytest.mark.parametrize("text, flagged", [
    ("No further action: threshold for assessment not met, no assessment required.", False),
    ("Assessment is not needed at this time.", False),
    ("No need for an assessment.", False),
    ("Referral accepted: single assessment to be completed.", True),
    ("Assessments to be arranged by the locality team.", True),
    ("No assessment required for the sibling; child and family assessment for Kai to be completed.", True),
])
def test_negated_assessment_is_no_request(text, flagged):
    rows = [{"date": "2023-03-01", "contact_type": "referral_decision", **CSC, "description": text},
            {"date": "2023-06-01", "contact_type": "phone_call", **CSC}]
    assert (len(flags_of("assessment_wait", rows)) == 1) is flagged


# --- B1: age display counts a month on the birth day clamped to the month's end (as DateOffset) ---------
@pytest.mark.parametrize("dob, day, display", [
    ("2023-01-31", "2023-02-27", "0m 27d"),
    ("2023-01-31", "2023-02-28", "1m 0d"),
    ("2023-01-31", "2023-03-01", "1m 1d"),
    ("2023-01-31", "2023-03-31", "2m 0d"),
    ("2023-03-31", "2023-04-30", "1m 0d"),
    ("2020-02-29", "2021-02-28", "1y 0m 0d"),
    ("2020-02-29", "2022-02-28", "2y 0m 0d"),
    ("2020-02-29", "2024-02-28", "3y 11m 30d"),
    ("2020-02-29", "2024-02-29", "4y 0m 0d"),
])
def test_age_display_uses_the_clamped_month(dob, day, display):
    import numpy as np

    from review.timeline import child_ages

    _, text = child_ages(np.array([day], dtype="datetime64[D]"), np.datetime64(dob))
    assert text[0] == display
    # the same convention as the rules' calendar months (pd.DateOffset)
    months = int(display.split("y ")[0]) * 12 + int(display.split("y ")[-1].split("m")[0]) if "y" in display \
        else int(display.split("m")[0])
    assert pd.Timestamp(dob) + pd.DateOffset(months=months) <= pd.Timestamp(day)
    assert pd.Timestamp(dob) + pd.DateOffset(months=months + 1) > pd.Timestamp(day)


def test_injury_on_the_second_birthday_of_a_leap_day_child_is_shown_as_two_years():
    rows = [{"date": "2022-02-28", "agency": "Hospital", "contact_type": "ae_attendance", "concerns": "bruising"}]
    assert flags_of("injury_not_escalated", rows, dob="2020-02-29").empty  # two years old by DateOffset


# --- C1/C2: rule settings a rule could not use are a ConfigError naming the file, rule and key -------------
def write_rules(folder, text):
    (folder / "rules.yml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("text, message", [
    ("rules:\n  injury_not_escalated: {within_days: .inf}\n", "rules.injury_not_escalated.within_days must be a finite"),
    ("rules:\n  injury_not_escalated: {within_days: .nan}\n", "rules.injury_not_escalated.within_days must be a finite"),
    ("rules:\n  injury_not_escalated: {within_days: 100000000}\n", "rules.injury_not_escalated.within_days must be at most"),
    ("rules:\n  injury_not_escalated: {max_age_months: 5000}\n", "rules.injury_not_escalated.max_age_months must be at most 1200"),
    ("rules:\n  referral_no_decision: {within_working_days: 0.5}\n", "within_working_days must be a whole number"),
    ("rules:\n  was_not_brought: {min_missed: 2.5}\n", "rules.was_not_brought.min_missed must be a whole number"),
    ("rules:\n  information_not_shared: {trigger: Decision}\n", "rules.information_not_shared.trigger: unknown value 'Decision'"),
    ("rules:\n  injury_not_escalated: {injury_tags: [brusing]}\n", "rules.injury_not_escalated.injury_tags: unknown value 'brusing'"),
    ("rules:\n  injury_not_escalated: {escalations: [referal_to_csc]}\n", "unknown value 'referal_to_csc'"),
    ("rules:\n  was_not_brought: {agency_kinds: [heath]}\n", "rules.was_not_brought.agency_kinds: unknown value 'heath'"),
    ("rules:\n  assessment_wait: {done_contact_types: [assesment]}\n", "unknown value 'assesment'"),
    ("rules:\n  injury_not_escalated: {injury_tags: [1]}\n", "must be a list of names"),
    ("settings:\n  response_latency: {by_tag: {brusing: 2}}\n", "settings.response_latency.by_tag: unknown value 'brusing'"),
    ("settings:\n  response_latency: {by_tag: {bruising: .inf}}\n", "settings.response_latency.by_tag.bruising must be a finite"),
    ("settings:\n  decision_contact_types: [case_closed]\n", "settings.decision_contact_types: unknown value"),
    ("settings:\n  knowledge_window_days: 1.0e+9\n", "settings.knowledge_window_days must be at most"),
])
def test_unusable_rule_settings_are_config_errors(tmp_path, text, message):
    from review.errors import ConfigError

    write_rules(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_rules(tmp_path)
    assert message in str(info.value)
    assert str(tmp_path / "rules.yml") in str(info.value)


@pytest.mark.parametrize("text, key, value", [
    ("rules:\n  injury_not_escalated: {within_days: 3.0}\n", "within_days", 3),
    ("rules:\n  nonmobile_injury: {nonmobile_below_age_months: 5.5}\n", "nonmobile_below_age_months", 5.5),
    ("rules:\n  information_not_shared: {trigger: decision}\n", "trigger", "decision"),
    ("rules:\n  assessment_wait: {done_contact_types: [assessment, cp_medical, s47_enquiry]}\n", "done_contact_types",
     ["assessment", "cp_medical", "s47_enquiry"]),
])
def test_valid_rule_settings_are_kept(tmp_path, text, key, value):
    write_rules(tmp_path, text)
    rules = load_rules(tmp_path)
    rule_id = text.split("\n")[1].split(":")[0].strip()
    got = rules["rules"][rule_id]["params"][key]
    assert got == value and type(got) is type(value)


def test_package_defaults_pass_their_own_validation():
    from review.rules.settings import CHOICES, _check_type, package_rules

    rules = package_rules()
    for rule_id, spec in rules["rules"].items():
        for key, value in spec["params"].items():
            assert _check_type(value, value, f"rules.{rule_id}.{key}", "rules.yml") == value
    assert set(CHOICES) - {"by_tag"} <= {k for spec in rules["rules"].values() for k in spec["params"]} | set(rules["settings"])


def test_mobile_from_before_date_of_birth_is_a_config_error(tmp_path):
    from review.config import load_case_config
    from review.errors import ConfigError

    (tmp_path / "case.yml").write_text("case_id: c1\ndate_of_birth: '2023-01-10'\nmobile_from: '2022-09-01'\n",
                                       encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_case_config(tmp_path)
    assert "mobile_from" in str(info.value) and "case.yml" in str(info.value)


# --- A7, D2, D3: child_not_seen with partial-date concerns and sightings -------------------------------
def concern_rows(concern_date, precision, contact_date):
    return [
        {"date": "2022-12-15", "agency": "GP", "child_seen": True},
        {"date": concern_date, "date_precision": precision, "agency": "GP", "contact_type": "other",
         "concerns": "domestic_abuse", "open_concerns": "domestic_abuse"},
        {"date": contact_date, "agency": "GP", "contact_type": "phone_call", "child_seen": False,
         "open_concerns": "domestic_abuse"},
    ]


@pytest.mark.parametrize("concern_date, precision, contact_date, flagged", [
    ("2023-01-01", "year", "2023-03-01", False),   # the concern may have come after the call
    ("2023-01-01", "month", "2023-02-20", False),  # on 31 January at the latest: 20 days
    ("2023-01-01", "month", "2023-03-15", True),   # 43 days after 31 January
    ("2023-01-01", "day", "2023-02-20", True),     # an exact concern on 1 January: 50 days
])
def test_open_concerns_clock_never_starts_on_a_made_up_first_day(concern_date, precision, contact_date, flagged):
    flags = flags_of("child_not_seen", concern_rows(concern_date, precision, contact_date), dob="2020-01-01")
    assert (len(flags) == 1) is flagged
    if flagged and precision == "month":
        flag = flags.iloc[0]
        assert flag["expected_by"] == pd.Timestamp("2023-01-31") + pd.Timedelta(days=42)
        assert "43 days" in flag["explanation"]


def test_an_exact_concern_after_a_partial_one_starts_the_clock():
    rows = concern_rows("2023-01-01", "year", "2023-06-01")
    rows.insert(2, {"date": "2023-03-01", "agency": "GP", "contact_type": "other", "concerns": "neglect",
                    "open_concerns": "domestic_abuse; neglect"})
    flags = flags_of("child_not_seen", rows, dob="2020-01-01")
    assert list(flags["expected_by"]) == [pd.Timestamp("2023-03-01") + pd.Timedelta(days=42)]


def test_explanation_shows_a_partial_sighting_at_its_precision_and_never_calls_the_opening_a_sighting():
    seen_in_january = [
        {"date": "2023-01-01", "date_precision": "month", "agency": "GP", "child_seen": True,
         "concerns": "neglect", "open_concerns": "neglect"},
        {"date": "2023-03-15", "agency": "GP", "contact_type": "phone_call", "child_seen": False, "open_concerns": "neglect"},
    ]
    text = flags_of("child_not_seen", seen_in_january, dob="2020-01-01").iloc[0]["explanation"]
    # the sighting at its precision; the day the gap is counted from is named only as that (s9: the
    # explanation says the gap starts at a partial date, as the censored flag's does)
    assert "last recorded sighting Jan 2023, a partial date: counted from its latest possible day, 31 Jan 2023" in text
    assert "last recorded sighting 31 Jan" not in text and "for at least 43 days" in text
    never_seen = [
        {"date": "2023-03-01", "agency": "GP", "contact_type": "other", "concerns": "neglect", "open_concerns": "neglect"},
        {"date": "2023-05-30", "agency": "GP", "contact_type": "phone_call", "child_seen": False, "open_concerns": "neglect"},
    ]
    text = flags_of("child_not_seen", never_seen, dob="2020-01-01").iloc[0]["explanation"]
    assert "not seen since 1 Mar" not in text and "last recorded sighting" not in text
    assert "no sighting recorded since concerns were open, counted from 1 Mar 2023" in text


# --- D1: a partial-date late action is shown at its precision ------------------------------------------
@pytest.mark.parametrize("precision, date, shown", [
    ("month", "2023-04-01", "is recorded for Apr 2023 (referral to children's social care, Children's Social Care), "
                            "after the deadline (date not exact)"),
    ("year", "2024-01-01", "is recorded for 2024 (referral to children's social care, Children's Social Care), "
                           "after the deadline (date not exact)"),
    ("approximate", "2023-06-15", "is recorded for c. 15 Jun 2023 (referral to children's social care, Children's "
                                  "Social Care), after the deadline (date not exact)"),
])
def test_partial_late_action_is_shown_at_its_precision(precision, date, shown):
    rows = [{"date": "2023-03-10", "agency": "Health Visiting", "contact_type": "home_visit", "concerns": "bruising"},
            {"date": date, "date_precision": precision, **CSC, "contact_type": "referral", "escalation": "referral_to_csc"}]
    flag = detect(make_timeline(rows), None, LONG_WAIT, only=["injury_not_escalated"]).iloc[0]
    # s13: "the first escalation" was any later escalation by any agency: now named so
    assert flag["explanation"].endswith("the next escalation by any agency " + shown
                                        + "; nothing in the records links it to this injury.")
    assert pd.isna(flag["delay_days"])


def test_exact_late_action_keeps_its_day_and_delay():
    rows = [{"date": "2023-03-10", "agency": "Health Visiting", "contact_type": "home_visit", "concerns": "bruising"},
            {"date": "2023-03-15", **CSC, "contact_type": "referral", "escalation": "referral_to_csc"}]
    assert flags_of("injury_not_escalated", rows).iloc[0]["explanation"].endswith(
        "the next escalation by any agency came on 15 Mar 2023 (referral to children's social care, Children's Social "
        "Care), 3 calendar days after the deadline; nothing in the records links it to this injury.")
