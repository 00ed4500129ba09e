"""Defects of the rules found in review (s8):

1. the censored `child_not_seen` flag (open concerns still running at the end of the review) read concerns as
   open by the default 90-day concern window, not by the case's own (case.yml ``timeline:
   concern_window_days``), the window its timeline's ``open_concerns`` (and so the uncensored flag) used;
2. `strategy_no_conference` and `assessment_wait` took a row of the meeting's / assessment's contact type for
   the meeting or assessment happening even when its text said it did not ("Strategy discussion not held",
   "ICPC postponed", "assessment not started"): such a row must neither meet nor start a requirement;
3. a plan / open concerns recorded only with partial dates ("Mar 2007") and running to the end of the review
   was never flagged there (no exact-date row to trigger it): it is, when even the latest day each partial
   date could have been leaves the gap past the limit, the explanation saying the date is partial;
4. the analysis column (the review author's hindsight commentary) was read for escalations and concerns:
   "In hindsight a referral to children's social care should have been made" made the row a referral
   (suppressing the flag) and a concern it named was dated on the row's day. Neither is read from it now.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig
from review.rules import detect, load_rules
from review.rules.base import legacy_flag_id
from review.rules.testing import make_timeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import baseline_rowwise  # noqa: E402

RULES = load_rules()
GP = {"agency": "GP", "agency_kind": "health"}


def write_case(folder: Path, rows: list[list[str]], *, review_date: str, extra: str = "") -> Path:
    """A case folder with one csv chronology (Date, Agency, Type of contact, Details, Outcome, Analysis,
    Child seen) and its case.yml (`extra` appended to it)."""
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yml").write_text(
        f"case_id: S8\ndate_of_birth: 2022-01-01\nreview_date: {review_date}\n{extra}", encoding="utf-8")
    with open(folder / "chronology.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Agency", "Type of contact", "Details", "Outcome", "Analysis", "Child seen"])
        writer.writerows(rows)
    return folder


def analyse_folder(folder: Path):
    from review.pipeline import analyse, load_case

    return analyse(load_case(folder))


# --- 1. the censored child_not_seen flag and the case's concern window -----------------------------------
def concern_config(review: str, window: int | None) -> CaseConfig:
    raw = {"timeline": {"concern_window_days": window}} if window is not None else {}
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2020, 1, 1),
                      review_date=pd.Timestamp(review).date(), raw=raw)


def neglect_seen(date: str) -> dict:
    # (s18) the child not seen at the GP's contact: a stretch whose only contact saw the child is flagged at no
    # contact (the GP's sighting is no failing of the GP's: tests/test_child_not_seen_attribution_s18.py)
    return {"date": date, "contact_type": "clinic_appointment", "child_seen": False, "concerns": "neglect",
            "open_concerns": "neglect", "on_cp_plan": False, **GP}


@pytest.mark.parametrize(
    "review, window, flagged",
    [
        ("2024-03-15", None, True),   # the concern of 1 Jan is 74 days old at the end: open by the default 90 days
        ("2024-03-15", 30, False),    # ...but not by the case's 30-day window
        ("2024-04-20", None, False),  # 110 days old: closed by the default window
        ("2024-04-20", 120, True),    # ...still open by the case's 120-day window
    ],
)
def test_open_concerns_at_the_end_of_the_review_use_the_case_concern_window(review, window, flagged):
    timeline = make_timeline([neglect_seen("2024-01-01")], dob="2020-01-01")
    flags = detect(timeline, concern_config(review, window), RULES, only=["child_not_seen"])
    assert (len(flags) == 1) is flagged
    if flagged:
        assert flags.iloc[0].flag_id.startswith("child_not_seen-")
        assert "and the end of the review on" in flags.iloc[0].explanation


def test_concern_window_days_reads_case_yml_timeline_options():
    from review.rules.base import concern_window_days

    assert concern_window_days(None, "C1") == 90
    assert concern_window_days(concern_config("2024-01-01", None), "C1") == 90
    assert concern_window_days(concern_config("2024-01-01", 7), "C1") == 7
    assert concern_window_days({"C1": concern_config("2024-01-01", 7)}, "C2") == 90


def test_case_folder_concern_window_reaches_the_censored_flag_as_it_reaches_the_timeline(tmp_path):
    """End to end: case.yml's window makes the timeline's open concerns and the censored flag agree."""
    rows = [["01/01/2024", "GP", "GP appointment", "Neglect: child unkempt, nappy rash", "", "", "No"]]  # (s18)
    default = analyse_folder(write_case(tmp_path / "default", rows, review_date="2024-04-20"))
    longer = analyse_folder(write_case(tmp_path / "longer", rows, review_date="2024-04-20",
                                       extra="timeline:\n  concern_window_days: 120\n"))
    shorter = analyse_folder(write_case(tmp_path / "shorter", rows, review_date="2024-03-15",
                                        extra="timeline:\n  concern_window_days: 30\n"))
    at_end = lambda a: a.flags[a.flags["rule_id"].eq("child_not_seen")  # noqa: E731
                               & a.flags["explanation"].str.startswith("No sighting")]
    assert at_end(default).empty                       # 110 days > 90: not open at the end
    assert len(at_end(longer)) == 1                    # 110 days <= 120: open, unseen for 110 days > 42
    assert at_end(shorter).empty                       # 74 days > 30
    assert longer.timeline["open_concerns"].iloc[0] == "neglect"


def test_store_case_configs_carry_the_timeline_options():
    """A store's case table keeps each case's timeline options: the rules read its window from them (so the
    Dask path gives the flags build_all stored)."""
    from review.rules.base import concern_window_days
    from review.store import case_configs

    cases = pd.DataFrame({"case_id": ["C1", "C2", "C3"], "date_of_birth": pd.to_datetime(["2020-01-01"] * 3),
                          "review_date": pd.to_datetime(["2024-04-20"] * 3),
                          "timeline_options": ['{"concern_window_days":120}', "{}", ""]})
    configs = case_configs(cases)
    assert [concern_window_days(configs, c) for c in ("C1", "C2", "C3")] == [120, 90, 90]
    timeline = make_timeline([neglect_seen("2024-01-01")], dob="2020-01-01")
    assert len(detect(timeline, configs, RULES, only=["child_not_seen"])) == 1


def test_baseline_uses_the_case_concern_window():
    rows = [{"case_id": "C1", "event_id": "C1-e001", "date": dt.datetime(2024, 1, 1), "date_precision": "day",
             "agency": "GP", "agency_kind": "health", "contact_type": "clinic_appointment", "child_seen": False,
             "concerns": "neglect", "escalation": "", "description": "", "action": "", "source_row": 2}]  # (s18)
    for window, review, expected in ((None, dt.date(2024, 4, 20), 0), (120, dt.date(2024, 4, 20), 1),
                                     (30, dt.date(2024, 3, 15), 0)):
        case = {"date_of_birth": dt.date(2020, 1, 1), "review_date": review, "concern_window_days": window}
        _, flags = baseline_rowwise.run([dict(r) for r in rows], {"C1": case}, RULES)
        assert len([f for f in flags if f["rule_id"] == "child_not_seen"]) == expected, window


# --- 2. a row typed as the meeting / assessment whose text says it did not happen ------------------------
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}


def flags_of(rule_id, rows, case=None):
    return detect(make_timeline(rows), case, RULES, only=[rule_id])


def strategy(date, text="Strategy discussion held with police and health.", escalation="strategy_discussion", **kw):
    return {"date": date, "contact_type": "strategy_discussion", "description": text, "escalation": escalation,
            **CSC, **kw}


def conference(date, text="Initial child protection conference held.", escalation="cp_conference", **kw):
    return {"date": date, "contact_type": "cp_conference", "description": text, "escalation": escalation, **CSC, **kw}


# as ingest reads them (review.vocab.detect_escalation): the type's escalation is dropped when the text denies it
NOT_HELD = ["Strategy discussion not held", "strategy meeting cancelled", "Strategy discussion did not take place",
            "Strategy meeting postponed as police unavailable"]
POSTPONED = ["ICPC postponed", "Initial child protection conference adjourned", "ICPC cancelled",
             "ICPC rescheduled to next month", "Child protection conference did not go ahead"]


@pytest.mark.parametrize("text", NOT_HELD)
def test_strategy_discussion_not_held_starts_no_requirement(text):
    assert flags_of("strategy_no_conference", [strategy("2023-09-14", text, escalation="")]).empty


@pytest.mark.parametrize("text", NOT_HELD)
def test_strategy_discussion_not_held_does_not_restart_the_clock(text):
    rows = [strategy("2023-09-01"), strategy("2023-09-20", text, escalation=""), conference("2023-10-05")]
    flags = flags_of("strategy_no_conference", rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert flags.iloc[0].actual_action_event_id == "C1-e003"  # the conference, late


@pytest.mark.parametrize("text", POSTPONED)
def test_conference_postponed_does_not_meet_the_requirement(text):
    rows = [strategy("2023-09-14"), conference("2023-09-28", text, escalation=""), conference("2023-10-12")]
    flags = flags_of("strategy_no_conference", rows)
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.actual_action_event_id == "C1-e003" and flag.delay_days == 7  # the one held, 12 Oct (due 5 Oct)


def test_conference_typed_row_that_names_no_denial_still_counts():
    """The type still counts when the text says nothing against it (who attended; or a later line that
    says it was held after all)."""
    for text in ("Attended by police, health visitor and social worker.",
                 "ICPC postponed on 20 Sep. ICPC held today: child made subject of a plan."):
        rows = [strategy("2023-09-14"), conference("2023-09-28", text, escalation="")]
        assert flags_of("strategy_no_conference", rows).empty, text


def request(date, **kw):
    return {"date": date, "contact_type": "referral", "agency": "Health Visiting",
            "description": "Referral to the child development centre for a developmental assessment", **kw}


def assessment(date, text, **kw):
    return {"date": date, "contact_type": "assessment", "agency": "Child Development Centre", "description": text,
            **kw}


@pytest.mark.parametrize("text", ["Assessment not started", "Assessment has not yet started: waiting list",
                                  "Developmental assessment postponed", "Assessment appointment cancelled"])
def test_assessment_not_started_does_not_meet_the_wait(text):
    rows = [request("2023-06-14"), assessment("2023-06-20", text), {"date": "2023-09-01"}]
    flags = flags_of("assessment_wait", rows)
    assert len(flags) == 1 and flags.iloc[0].actual_action_event_id == ""


def test_assessment_held_meets_the_wait():
    rows = [request("2023-06-14"), assessment("2023-06-20", "Developmental assessment completed"), {"date": "2023-09-01"}]
    assert flags_of("assessment_wait", rows).empty


def test_cp_medical_declined_is_no_assessment():
    rows = [request("2023-06-14"), {"date": "2023-06-20", "contact_type": "cp_medical", "agency": "Hospital",
                                     "description": "CP medical declined by mother"}, {"date": "2023-09-01"}]
    assert len(flags_of("assessment_wait", rows)) == 1


def test_denies_reads_the_vocabulary_negation_machinery():
    from review.config import package_data
    from review.vocab import denies

    vocab = package_data("vocab.yml")
    assert denies("strategy_discussion", "Strategy discussion not held", vocab)
    assert denies("cp_conference", "ICPC postponed", vocab)
    assert denies("assessment", "assessment not started", vocab)
    assert not denies("strategy_discussion", "Strategy discussion held", vocab)
    assert not denies("strategy_discussion", "Police and health attended", vocab)  # names nothing: denies nothing
    assert not denies("assessment", "Referral: assessment required", vocab)


def test_the_new_words_live_in_the_vocabulary_file():
    from review.config import package_data

    cues = package_data("vocab.yml")["escalation_negation_post_cues"]
    assert {"postponed", "not started", "not take place"} <= set(cues)


def test_ingest_reads_the_denied_type_and_the_rules_agree(tmp_path):
    """End to end from a chronology: the not-held strategy discussion raises no flag; the postponed
    conference does not meet the held one's requirement."""
    rows = [["01/09/2023", "Children's Social Care", "Strategy discussion", "Strategy discussion held with police.",
             "S47 enquiry to start", "", "No"],
            ["20/09/2023", "Children's Social Care", "Strategy discussion", "Strategy discussion not held",
             "", "", "No"],
            ["22/09/2023", "Children's Social Care", "Child protection conference", "ICPC postponed", "", "", "No"]]
    analysis = analyse_folder(write_case(tmp_path / "case", rows, review_date="2023-12-31"))
    tl = analysis.timeline.set_index("description")
    assert tl.loc["Strategy discussion not held", "escalation"] == ""
    assert tl.loc["ICPC postponed", "escalation"] == ""
    flags = analysis.flags[analysis.flags["rule_id"] == "strategy_no_conference"]
    assert list(flags["trigger_date"]) == [pd.Timestamp("2023-09-01")]
    assert flags.iloc[0].actual_action_event_id == ""


@pytest.mark.parametrize("rule_id", ["strategy_no_conference", "assessment_wait"])
def test_baseline_agrees_on_denied_types(rule_id):
    rows = ([strategy("2023-09-01"), strategy("2023-09-20", NOT_HELD[0], escalation=""),
             conference("2023-10-02", POSTPONED[0], escalation=""), conference("2023-10-12")]
            if rule_id == "strategy_no_conference" else
            [request("2023-06-14"), assessment("2023-06-20", "Assessment not started"),
             assessment("2023-08-10", "Assessment completed"), {"date": "2023-09-01"}])
    timeline = make_timeline(rows)
    flags = detect(timeline, None, RULES, only=[rule_id])
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    _, base = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2023, 1, 1)}}, RULES)
    got = sorted((f["flag_id"], f["actual_action_event_id"]) for f in base if f["rule_id"] == rule_id)
    assert got == sorted(zip(flags["flag_id"], flags["actual_action_event_id"]))
    assert len(got) == 1


def test_many_distinct_texts_take_the_vectorised_search_first(monkeypatch):
    """From _DENIAL_SEARCH_FROM distinct texts on, a regex picks the texts naming the type before they are
    read: the same rows are held."""
    from review.rules import base

    rows = [strategy("2023-09-01"), strategy("2023-09-20", NOT_HELD[0], escalation=""),
            conference("2023-10-02", "Attended by police and health", escalation=""),
            conference("2023-10-03", POSTPONED[0], escalation=""), conference("2023-10-12")]
    timeline = make_timeline(rows)
    ctx = base.prepare(timeline, None, RULES["settings"])
    expected = base.types_held(ctx, ["strategy_discussion", "cp_conference"]).tolist()
    assert expected == [True, False, True, False, True]
    monkeypatch.setattr(base, "_DENIAL_SEARCH_FROM", 0)
    # a fresh context: the first is kept for the same timeline, and keeps what it read of each type
    ctx = base.prepare(make_timeline(rows), None, RULES["settings"])
    assert ("held", "cp_conference") not in ctx.extra
    assert base.types_held(ctx, ["strategy_discussion", "cp_conference"]).tolist() == expected


# --- 3. a stretch recorded only with partial dates, still running at the end of the review ------------------
ICPC = "Initial child protection conference: child made subject to a child protection plan (neglect)."


def plan_config(review: str | None) -> CaseConfig:
    return CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2005, 1, 1),
                      review_date=pd.Timestamp(review).date() if review else None)


def icpc(date, precision="month", child_seen=True, **kw):
    return {"date": date, "date_precision": precision, "contact_type": "cp_conference", "description": ICPC,
            "child_seen": child_seen, "on_cp_plan": True, **CSC, **kw}


def seen_flags(rows, review="2008-06-30"):
    # (legacy_ids: the row-based id, the hash of the trigger's event id and the variant, is checked)
    return detect(make_timeline(rows, dob="2005-01-01"), plan_config(review), RULES, only=["child_not_seen"],
                  legacy_ids=True)


def test_plan_recorded_only_as_a_month_is_flagged_at_the_end_of_the_review():
    flags = seen_flags([icpc("2007-03-01")])
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.trigger_event_id == "C1-e001"  # the stretch's last row: no exact-date row to take
    assert flag.legacy_flag_id == legacy_flag_id("child_not_seen", "C1-e001", "cp_plan_at_review_end")
    assert flag.trigger_date == pd.Timestamp("2007-03-01")  # the row's recorded date, as the timeline has it
    assert flag.expected_by == pd.Timestamp("2007-04-14")  # 31 Mar 2007 (the latest it could be) + 14 days
    assert flag.actual_action_event_id == "" and pd.isna(flag.delay_days)
    assert flag.explanation == (
        "No sighting of the child on a child protection plan is recorded between the last sighting, recorded for "
        "Mar 2007 (a partial date: counted from its latest possible day, 31 Mar 2007) and the end of the review "
        "on 30 Jun 2008: at least 457 days without a sighting recorded by any agency (standard 14 days, so one was due by "
        "14 Apr 2007 at the latest; last contact recorded: Children's Social Care, Mar 2007 (a partial date)).")


def test_plan_started_with_a_partial_date_and_no_sighting_says_so():
    explanation = seen_flags([icpc("2007-03-01", child_seen=False)]).iloc[0].explanation
    assert ("between the start of the plan (recorded for Mar 2007, a partial date: counted from its latest "
            "possible day, 31 Mar 2007) and the end of the review") in explanation


@pytest.mark.parametrize("review, flagged", [("2007-04-14", False), ("2007-04-15", True)])
def test_partial_stretch_is_flagged_only_when_the_latest_possible_day_leaves_the_gap_past_the_limit(review, flagged):
    # "March 2007": seen on 31 Mar at the latest; 14 days later is 14 Apr
    assert (len(seen_flags([icpc("2007-03-01")], review)) == 1) is flagged


@pytest.mark.parametrize("precision, date, due", [("year", "2007-01-01", "2008-01-14"),
                                                  ("approximate", "2007-03-10", "2007-04-24")])
def test_year_and_approximate_dates_count_from_their_latest_day(precision, date, due):
    # 2007: 31 Dec 2007; "about 10 Mar 2007": 10 Mar + 31 days (settings.approximate_span_days) = 10 Apr
    flags = seen_flags([icpc(date, precision)])
    assert list(flags["expected_by"]) == [pd.Timestamp(due)]
    assert "a partial date" in flags.iloc[0].explanation and "at least" in flags.iloc[0].explanation


@pytest.mark.parametrize("review, flagged", [("2007-05-12", False), ("2007-05-13", True)])
def test_open_concerns_recorded_only_as_a_month(review, flagged):
    # (s18) not seen at it: a stretch whose only contact saw the child is flagged at no contact
    concern = {"date": "2007-03-01", "date_precision": "month", "contact_type": "clinic_appointment",
               "child_seen": False, "concerns": "neglect", "open_concerns": "neglect", "on_cp_plan": False, **GP}
    flags = seen_flags([concern], review)
    assert (len(flags) == 1) is flagged
    if flagged:
        assert flags.iloc[0].legacy_flag_id == legacy_flag_id("child_not_seen", "C1-e001", "open_concerns_at_review_end")
        assert flags.iloc[0].expected_by == pd.Timestamp("2007-05-12")  # 31 Mar + 42 days


def test_partial_stretch_after_an_exact_contact_is_triggered_in_the_stretch():
    """An exact-date contact before the stretch (not on the plan) is not the stretch's trigger."""
    rows = [{"date": "2006-01-10", "contact_type": "clinic_appointment", "child_seen": True, "on_cp_plan": False,
             **GP}, icpc("2007-03-01")]
    flags = seen_flags(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e002"]
    assert "last contact recorded: Children's Social Care, Mar 2007 (a partial date)" in flags.iloc[0].explanation


def test_exact_contact_in_the_stretch_stays_the_trigger():
    rows = [icpc("2007-03-01", "day"), {"date": "2007-05-01", "date_precision": "month", "contact_type": "phone_call",
                                        "on_cp_plan": True, **CSC}]
    flags = seen_flags(rows)
    assert list(flags["trigger_event_id"]) == ["C1-e001"]
    assert flags.iloc[0].expected_by == pd.Timestamp("2007-03-15")
    assert "last sighting on 1 Mar 2007" in flags.iloc[0].explanation
    assert "at least" not in flags.iloc[0].explanation


def test_partial_stretch_without_a_review_date_is_not_flagged():
    # the records end on 1 Mar 2007 for certain (the earliest day of the last contact): nothing is certain after
    assert seen_flags([icpc("2007-03-01")], None).empty


def test_partial_stretch_flag_is_censored_by_the_death():
    case = CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2005, 1, 1),
                      review_date=dt.date(2008, 6, 30), date_of_death=dt.date(2007, 4, 10))
    assert detect(make_timeline([icpc("2007-03-01")], dob="2005-01-01"), case, RULES, only=["child_not_seen"]).empty


def test_partial_stretch_from_a_case_folder(tmp_path):
    rows = [["Mar 2023", "Children's Social Care", "Child protection conference",
             "Initial child protection conference: child made subject of a child protection plan", "", "", "Yes"]]
    analysis = analyse_folder(write_case(tmp_path / "case", rows, review_date="2023-12-31"))
    assert analysis.timeline["date_precision"].tolist() == ["month"]
    flags = analysis.flags[analysis.flags["rule_id"] == "child_not_seen"]
    assert len(flags) == 1 and flags.iloc[0].expected_by == pd.Timestamp("2023-04-14")
    assert "recorded for Mar 2023 (a partial date" in flags.iloc[0].explanation


def test_baseline_triggers_a_partial_stretch_at_the_same_row():
    """The baseline treats a partial date as its first day (benchmarks/RESULTS.md), but picks the same
    trigger: the stretch's last exact-date row, else its last row."""
    for rows in ([icpc("2007-03-01")],
                 [{"date": "2006-01-10", "contact_type": "clinic_appointment", "child_seen": True, "on_cp_plan": False,
                   **GP}, icpc("2007-03-01")]):
        timeline = make_timeline(rows, dob="2005-01-01")
        flags = detect(timeline, plan_config("2008-06-30"), RULES, only=["child_not_seen"])
        base_rows = []
        for r in timeline.drop(columns=["on_cp_plan", "open_concerns"]).astype(object).where(
                timeline.notna(), None).to_dict("records"):
            r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
            base_rows.append(r)
        _, base = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2005, 1, 1),
                                                          "review_date": dt.date(2008, 6, 30)}}, RULES)
        assert [f["flag_id"] for f in base if f["rule_id"] == "child_not_seen"] == list(flags["flag_id"])


# --- 4. hindsight in the analysis column ----------------------------------------------------------------------
HINDSIGHT = "In hindsight a referral to children's social care should have been made."


def hv_rows(analysis: str) -> list[list[str]]:
    return [["10/03/2022", "Health Visiting", "Home visit", "Bruise to left cheek seen on 10 week old baby.",
             "Advice given.", analysis, "Yes"],
            ["20/03/2022", "Health Visiting", "Home visit", "Weight check.", "", "", "Yes"]]


@pytest.mark.parametrize("analysis", [
    HINDSIGHT,
    "With hindsight, a strategy discussion should have been held and a CP medical arranged.",
    "It would have been good practice to make a safeguarding referral.",
    "On reflection: referral to MASH and child protection medical required.",
])
def test_hindsight_in_the_analysis_column_is_no_escalation(tmp_path, analysis):
    result = analyse_folder(write_case(tmp_path / "case", hv_rows(analysis), review_date="2022-06-30"))
    row = result.timeline.iloc[0]
    assert row["analysis"] == analysis          # kept verbatim, shown
    assert row["escalation"] == ""              # but no escalation
    assert row["concerns"] == "bruising"        # the bruise the description records
    fired = set(result.flags["rule_id"])
    assert {"nonmobile_injury", "injury_not_escalated"} <= fired  # the flag is not suppressed


def test_concern_named_only_in_the_analysis_column_is_not_dated_on_the_row(tmp_path):
    rows = [["01/04/2022", "GP", "GP appointment", "Cough, chest clear.", "", 
             "Taken with the bruising the health visitor saw in January, neglect and non-accidental injury "
             "should have been considered.", "Yes"]]
    result = analyse_folder(write_case(tmp_path / "case", rows, review_date="2022-06-30"))
    row = result.timeline.iloc[0]
    assert row["concerns"] == "" and row["escalation"] == ""
    assert result.flags.empty


def test_analysis_is_read_nowhere_by_the_rules_through_the_vocabulary(tmp_path):
    """The same chronology with and without its analysis column gives the same concerns, escalations and
    flags."""
    with_analysis = analyse_folder(write_case(tmp_path / "a", hv_rows(HINDSIGHT), review_date="2022-06-30"))
    without = analyse_folder(write_case(tmp_path / "b", hv_rows(""), review_date="2022-06-30"))
    for column in ("concerns", "escalation", "open_concerns", "on_cp_plan"):
        assert with_analysis.timeline[column].tolist() == without.timeline[column].tolist(), column
    assert sorted(with_analysis.flags["flag_id"]) == sorted(without.flags["flag_id"])


def test_contemporaneous_comments_can_be_read_as_description_through_a_profile(tmp_path):
    """A Comments column of notes made at the time: a profile names it a description, and it is analysed."""
    folder = write_case(tmp_path / "case", [["10/03/2022", "Health Visiting", "Home visit", "Weight check.", "",
                                             "Referred to children's social care today.", "Yes"]],
                        review_date="2022-06-30",
                        extra="files:\n  - {path: chronology.csv, profile: notes}\n")
    text = (folder / "chronology.csv").read_text(encoding="utf-8").replace(",Analysis,", ",Comments,", 1)
    (folder / "chronology.csv").write_text(text, encoding="utf-8")
    (folder / "profiles").mkdir()
    (folder / "profiles" / "notes.yml").write_text("fields:\n  description: [comments]\n", encoding="utf-8")
    row = analyse_folder(folder).timeline.iloc[0]
    assert row["escalation"] == "referral_to_csc"
    assert "Referred to children's social care today." in row["description"]


def test_ingest_baseline_ignores_the_analysis_column_too(tmp_path):
    from review.config import load_case_config, load_vocab
    from review.ingest import load_contacts
    from review.synth import write_agency_file

    rows = [[dt.datetime(2022, 3, 10), "Health Visiting", "", "Health visitor", "Home visit", "Yes", "", 
             "Bruise to left cheek.", "Advice given.", HINDSIGHT + " Neglect evident.", ""]]
    folder = tmp_path / "case"
    folder.mkdir()
    write_agency_file(folder / "all.xlsx", rows)
    (folder / "case.yml").write_text("case_id: S8\ndate_of_birth: 2022-01-01\nfiles:\n  - path: all.xlsx\n",
                                     encoding="utf-8")
    loaded, _ = load_contacts(load_case_config(folder))
    base = baseline_rowwise.read_chronology_rowwise(folder / "all.xlsx", load_vocab())
    assert loaded["analysis"].tolist() == [HINDSIGHT + " Neglect evident."]
    assert [(r["concerns"], r["escalation"]) for r in base] == list(zip(loaded["concerns"], loaded["escalation"]))
    assert base[0]["concerns"] == "bruising" and base[0]["escalation"] == ""


def test_hindsight_in_a_conference_analysis_neither_ends_nor_starts_a_plan(tmp_path):
    """The timeline's plan periods read a conference's outcome from its description and action: "With
    hindsight the plan should have ended earlier" ended the plan (cutting the unseen stretch short, so
    hiding child_not_seen flags)."""
    from review.timeline import periods

    rows = [["01/03/2023", "Children's Social Care", "Child protection conference",
             "Initial child protection conference: child made subject of a child protection plan.", "", "", "Yes"],
            ["20/04/2023", "Children's Social Care", "Child protection conference",
             "Review child protection conference: child to remain subject to a child protection plan.", "",
             "With hindsight the plan should have ended earlier.", "No"],
            ["01/06/2023", "Children's Social Care", "Child protection conference",
             "Review conference: child to remain subject to a child protection plan.", "",
             "In hindsight the child should not have been made subject of a plan.", "No"]]
    result = analyse_folder(write_case(tmp_path / "case", rows, review_date="2023-08-31"))
    assert result.timeline["on_cp_plan"].tolist() == [True, True, True]
    plans = result.periods[result.periods["kind"] == "cp_plan"]
    assert list(plans["start"]) == [pd.Timestamp("2023-03-01")] and list(plans["end"]) == [pd.Timestamp("2023-08-31")]
    assert len(periods(result.timeline)) == len(result.periods)
    seen = result.flags[result.flags["rule_id"] == "child_not_seen"]
    assert list(seen["trigger_date"]) == [pd.Timestamp("2023-04-20")]  # unseen on the plan since 1 Mar
    assert "no agency had recorded seeing the child on a child protection plan for 50 days" in seen.iloc[0].explanation
