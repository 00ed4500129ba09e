"""The thirteenth session's readings and date presentation fixes, each checked in its reading and through a
rule, with the row-by-row baseline (benchmarks/baseline_rowwise.py) giving the same flags, and its date
presentation fixes:

1. A referral the same text says was withdrawn, cancelled or retracted after it was sent is not a referral made
   ("Referral to MASH sent 14/3, withdrawn 15/3"; `referral_withdrawn_cues`, `Vocabulary._withdrawn`).
2. A referral the social care service it went to declined WAS made, and the decline is social care's decision
   on it ("Referral declined by CSC", "CSC declined the referral"; `referral_decline_cues`,
   `referral_recipients`): a referral held, and referral_no_decision sees its decision.
3. A flag's deadline ("Expected by") counted from a trigger known only to the month or year, or approximately,
   is shown on the workbook's Flags sheet and in report.html approximately to that unit ("c. Jul 2007",
   "c. 2007"), not as an exact day.
4. flags.csv has the trigger date's precision in a last column, "Trigger date precision".
5. "Easter 2007" / "Easter 07" is read as about Easter Sunday of that year (computed; precision approximate);
   "Easter Sunday 2007", "Good Friday 2007", "Easter Monday 2007" are days. "Winter 2007" stays refused.
"""
from __future__ import annotations

import csv
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

import review.build as build_module
from review.cli import main
from review.config import load_vocab
from review.export import FLAGS_EXPORT, deadline_precisions, precision_format, save_figure
from review.ingest.dates import DateParseError, approximate_unit, easter_sunday, parse_date
from review.rules import base
from review.rules.base import _denial_prefilter, _may_deny, _negation_phrases, held_escalations, prepare
from review.rules.testing import make_timeline
from review.schema import FLAG_COLUMNS, conform
from review.vocab import compile_vocab, denies, detect_escalation, detect_escalations
from tests._baseline import RULES, baseline_pairs, package_pairs
from tests.test_injury_responses_held_s9 import CSC, HV, bruise

VOCAB = load_vocab()
REF = "referral_to_csc"


def both(rows, rule):
    package = package_pairs(rows, rule)
    assert package == baseline_pairs(rows, rule)
    return package


def row(date, kind, text, who=HV, escalation=None):
    cell = detect_escalation(kind, text, VOCAB) if escalation is None else escalation
    return {"date": date, "contact_type": kind, "description": text, "escalation": cell, **who}


def made(text):
    """Ingest's reading and the rules' reading (`denies` of the escalation and of the referral type) agree."""
    detected = REF in detect_escalations("referral", text, VOCAB)
    assert (REF in detect_escalations("phone_call", text, VOCAB)) is detected
    assert denies(REF, text, VOCAB) is not detected
    assert denies("referral", text, VOCAB) is not detected
    return detected


def prefilter_keeps(name, texts):
    v = compile_vocab(VOCAB)
    for cues in (_negation_phrases(v), _negation_phrases(v, name)):
        if not _may_deny(np.array(texts, dtype=object), _denial_prefilter(v.denial_words(name), cues)).all():
            return False
    return True


def held(rows, kind=REF):
    ctx = prepare(make_timeline(rows), None, RULES["settings"])
    return held_escalations(ctx, [kind]).tolist()


WITHDRAWN = [
    "Referral to MASH sent 14/3, withdrawn 15/3",
    "Referral to MASH sent 14/3. Withdrawn 15/3",
    "Referral to MASH sent 14/3. Withdrawn on 15.3.07 by HV",
    "Referral to MASH made 14/3, cancelled 15/3",
    "Referral sent to MASH, retracted next day",
    "Referral to MASH sent 14/3. Referral withdrawn 15/3",
    "Referral to MASH made and later withdrawn",
    "Referral to MASH made 14/3 - subsequently withdrawn",
    "HV withdrew the referral to MASH",
    "Referral to MASH withdrawn",
]
STILL_MADE = [
    "Referral to MASH sent 14/3",
    "Referral to MASH sent. Home visit cancelled",
    "Referral to MASH sent. Child withdrawn from nursery",
    "Referral to MASH sent. Withdrawn from nursery by mother",
    "Referral to MASH sent. ICPC - cancelled",
    "Referral to MASH sent 14/3. Previous referral withdrawn",
    "Referral to MASH withdrawn and re-sent 16/3",
]


@pytest.mark.parametrize("text", WITHDRAWN)
def test_1_a_referral_withdrawn_after_it_was_sent_is_not_made(text):
    assert not made(text)


@pytest.mark.parametrize("text", STILL_MADE)
def test_1_a_referral_whose_text_withdraws_something_else_is_made(text):
    assert made(text)


def test_1_prefilter_keeps_a_withdrawal_across_clauses():
    assert prefilter_keeps(REF, WITHDRAWN)
    assert prefilter_keeps("referral", WITHDRAWN)


def test_1_the_vectorised_held_escalations_reads_withdrawals_as_the_plain_path(monkeypatch):
    texts = [f"{t} ({i})" for i in range(30) for t in (*WITHDRAWN, *STILL_MADE)]
    rows = [row(f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", ("phone_call", "referral")[i % 2], t, escalation=REF)
            for i, t in enumerate(texts)]
    monkeypatch.setattr(base, "_DENIAL_SEARCH_FROM", 10**9)
    plain = held(rows)
    monkeypatch.setattr(base, "_DENIAL_SEARCH_FROM", 0)
    assert held(rows) == plain
    assert plain.count(True) == 30 * len(STILL_MADE)


def test_1_a_bruise_answered_only_by_a_withdrawn_referral_is_flagged():
    text = "Referral to MASH sent 14/3, withdrawn 15/3"
    for cell in (None, REF):  # read by ingest, or its escalation cell filled by hand
        rows = [bruise("2023-03-01"), row("2023-03-01", "referral", text, escalation=cell)]
        assert both(rows, "injury_not_escalated") == [("C1-e001", "")]
        assert held([row("2023-03-01", "referral", text, escalation=cell)]) == [False]
        # and no decision is asked of a referral withdrawn
        assert both([row("2023-03-01", "referral", text, escalation=cell)], "referral_no_decision") == []
    sent = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral to MASH sent 14/3")]
    assert both(sent, "injury_not_escalated") == []


# -- 2. declined by social care: made, and decided -----------------------------------------------------------------
DECLINED = [
    "Referral declined by CSC",
    "CSC declined the referral",
    "Referral to MASH declined by CSC",
    "MASH declined referral",
    "MASH have rejected the referral",
    "Referral made to MASH, declined by MASH - NFA",
    "Referral to MASH was not accepted by childrens social care",
    # s14: passive, the recipient named in the referral's words (was read as no referral: NOT_BY_RECIPIENT)
    "Referral to MASH declined",
]
NOT_BY_RECIPIENT = ["Referral declined by mother", "Mother declined the referral", "Referral to MASH declined by mother"]


@pytest.mark.parametrize("text", DECLINED)
def test_2_a_referral_declined_by_social_care_was_made_and_decided(text):
    assert made(text)
    assert compile_vocab(VOCAB).declines_referral(text)


@pytest.mark.parametrize("text", NOT_BY_RECIPIENT)
def test_2_a_decline_not_by_social_care_reads_as_before(text):
    assert not made(text)
    assert not compile_vocab(VOCAB).declines_referral(text)


def test_2_a_referral_declined_by_csc_answers_an_injury():
    rows = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral declined by CSC")]
    assert both(rows, "injury_not_escalated") == []
    before = [bruise("2023-03-01"), row("2023-03-01", "referral", "Referral declined by mother")]
    assert both(before, "injury_not_escalated") == [("C1-e001", "")]


def test_2_referral_no_decision_reads_the_decline_as_social_cares_decision():
    # the referrer's own row records the decline: a referral made and decided on the same day
    assert both([row("2023-03-01", "referral", "Referral to MASH sent, declined by MASH - NFA")],
                "referral_no_decision") == []
    # a referral, and social care's decline recorded two weeks later by the referrer: late, and that decline is
    # the action found (not "none recorded")
    rows = [row("2023-03-01", "referral", "Referral to MASH sent"),
            row("2023-03-15", "phone_call", "CSC declined the referral", escalation="")]
    assert both(rows, "referral_no_decision") == [("C1-e001", "C1-e002")]
    # a decline by CSC the next working day is a timely decision
    rows = [row("2023-03-01", "referral", "Referral to MASH sent"),
            row("2023-03-02", "phone_call", "CSC declined the referral", escalation="")]
    assert both(rows, "referral_no_decision") == []
    # a decline by the mother is none
    rows[1]["description"] = "Mother declined the referral"
    assert both(rows, "referral_no_decision") == [("C1-e001", "")]


def test_2_a_csc_row_declining_a_referral_is_a_decision():
    rows = [row("2023-03-01", "referral", "Referral to MASH sent"),
            row("2023-03-02", "phone_call", "Home visit, mother says referral declined", escalation="")]
    assert both(rows, "referral_no_decision") == [("C1-e001", "")]  # no recipient named: no decision read
    rows[1]["description"] = "Home visit, mother says MASH declined the referral"
    assert both(rows, "referral_no_decision") == []
    rows[1].update(description="MASH declined the referral, NFA", **CSC)  # social care's own row
    assert both(rows, "referral_no_decision") == []


# -- 3, 4. the deadline of a flag on a partial date; the trigger date's precision in flags.csv; 5. Easter ----------

CASE_YML = """\
case_id: CSPR-Smith-2024
child_name: Amy Smith
date_of_birth: 2006-03-14
"""
CHRONOLOGY = """\
Date,Agency,Practitioner,Type of contact,Details of contact,Outcome,Child seen
2007,GP,GP,clinic appointment,Amy seen (year only),None,yes
07/2007,GP,GP,clinic appointment,Amy seen (month only),None,yes
mid June 2007,GP,GP,clinic appointment,Amy seen (about a month),None,yes
Easter 2007,GP,GP,clinic appointment,Amy seen (Easter),None,yes
10/04/2007,GP,HV,home visit,Amy seen (a day),None,yes
"""
MARKS = ("(year only)", "(Easter)", "(a day)", "(about a month)", "(month only)")  # the flags' trigger order


def _with_deadlines(load):
    """`build._load_and_analyse` with one flag on each contact, its deadline 30 days after the contact."""
    def wrapped(case_dir):
        case, analysis = load(case_dir)
        timeline = analysis.timeline
        rows = []
        for n, mark in enumerate(MARKS, start=1):
            event = timeline[timeline["description"].str.contains(mark, regex=False)].iloc[0]
            rows.append({"flag_id": f"child_not_seen-{n:012x}", "rule_id": "child_not_seen", "severity": "high",
                         "trigger_event_id": event["event_id"], "trigger_date": event["date"], "agencies": "GP",
                         "expected_by": event["date"] + pd.Timedelta(days=30),
                         "explanation": f"flag on the contact {mark}", "evidence_event_ids": event["event_id"],
                         "expected_action": "a sighting", "failing_category": "child not seen", "source": "test"})
        analysis.flags = conform(pd.DataFrame(rows), FLAG_COLUMNS)
        return case, analysis
    return wrapped


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("deadlines")
    case = root / "case"
    case.mkdir()
    (case / "case.yml").write_text(CASE_YML, encoding="utf-8")
    (case / "gp.csv").write_text(CHRONOLOGY, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_module, "save_figure", lambda fig, stem, d: save_figure(fig, stem, d, ("svg",)))
        mp.setattr(build_module, "_load_and_analyse", _with_deadlines(build_module._load_and_analyse))
        build_module.build_report(case, root / "named", progress=False)
    return root


def _by_mark(rows, key):
    return {next(m for m in MARKS if m in r[key]): r for r in rows}


def test_3_the_flags_sheet_shows_a_deadline_to_its_triggers_precision(built):
    # (s21: "mid June 2007" reads as the 15th, the 11th before)
    # before: every "Expected by" cell had the sheet's day format, "dd/mm/yyyy", whatever its trigger's date
    sheet = openpyxl.load_workbook(built / "named" / "chronology.xlsx")["Flags"]
    header = [c.value for c in sheet[1]]
    rows = [{h: c for h, c in zip(header, row)} for row in sheet.iter_rows(min_row=2)]
    shown = {m: (r["Expected by"].value.strftime("%Y-%m-%d"), r["Expected by"].number_format)
             for m, r in _by_mark([{**r, "x": r["Explanation"].value} for r in rows], "x").items()}
    assert shown == {
        "(year only)": ("2007-01-31", '"c. "yyyy'),
        "(month only)": ("2007-07-31", '"c. "mmm yyyy'),
        "(about a month)": ("2007-07-15", '"c. "mmm yyyy'),
        "(Easter)": ("2007-05-08", '"c. "dd/mm/yyyy'),
        "(a day)": ("2007-05-10", "dd/mm/yyyy"),
    }


def test_3_report_html_shows_a_deadline_alike(built):
    html = (built / "named" / "report.html").read_text(encoding="utf-8")
    html = html[html.index('id="flags"'):html.index('id="chronology"')]
    for expected in ("c. 2007", "c. Jul 2007", "c. 08/05/2007", "10/05/2007"):
        assert re.search(r"<td>" + re.escape(expected) + r"</td>", html), expected
    assert "31/07/2007" not in html and "31/01/2007" not in html


def test_deadline_precisions_follow_the_trigger():
    assert deadline_precisions(["month", "year", "day", None, "approximate", "approximate"],
                               [None, None, None, None, "mid June 2007", "c. 12/06/2007"]) == \
        ["approximate month", "approximate year", None, None, "approximate month", "approximate"]
    assert precision_format("approximate month") == '"c. "mmm yyyy'
    assert precision_format("approximate year") == '"c. "yyyy'


def test_4_flags_csv_has_the_trigger_dates_precision_last(built):
    path = built / "named" / "flags.csv"
    header = next(csv.reader(path.open(encoding="utf-8-sig")))
    # every earlier column keeps its place; the precision comes last
    # (since s13-prov the trigger's source file, sheet and row follow it: tests/test_provenance_s13.py)
    assert header == [h for _, h in FLAGS_EXPORT] + ["Trigger date precision", "Trigger source file",
                                                     "Trigger source sheet", "Trigger source row"]
    rows = _by_mark(list(csv.DictReader(path.open(encoding="utf-8-sig"))), "Explanation")
    assert {m: (r["Trigger date"], r["Trigger date precision"]) for m, r in rows.items()} == {
        "(year only)": ("2007", "year"), "(month only)": ("2007-07", "month"),
        "(about a month)": ("2007-06-15", "approximate"), "(Easter)": ("2007-04-08", "approximate"),
        "(a day)": ("2007-04-10", "day"),
    }


def test_4_review_flags_csv_writes_the_same_columns(built, tmp_path, monkeypatch):
    import review.pipeline as pipeline

    analyse = pipeline.analyse
    monkeypatch.setattr(pipeline, "analyse", lambda case, **kw: _with_deadlines(lambda _: (case, analyse(case, **kw)))(None)[1])
    out = tmp_path / "flags.csv"
    assert main(["flags", str(built / "case"), "--csv", str(out)]) == 0
    header = next(csv.reader(out.open(encoding="utf-8-sig")))
    assert header == next(csv.reader((built / "named" / "flags.csv").open(encoding="utf-8-sig")))
    rows = _by_mark(list(csv.DictReader(out.open(encoding="utf-8-sig"))), "Explanation")
    assert rows["(month only)"]["Trigger date precision"] == "month"


@pytest.mark.parametrize("text, day", [("Easter 2007", "2007-04-08"), ("Easter 07", "2007-04-08"),
                                       ("easter of 2008", "2008-03-23"), ("Easter '24", "2024-03-31"),
                                       ("c. Easter 2007", "2007-04-08")])
def test_5_easter_is_about_easter_sunday(text, day):
    # before: DateParseError "unreadable date 'Easter 2007'"
    parsed = parse_date(text)
    assert (parsed.date, parsed.precision) == (pd.Timestamp(day), "approximate")
    assert approximate_unit(text) == "day"  # shown "c. 08/04/2007"


@pytest.mark.parametrize("text, day", [("Easter Sunday 2007", "2007-04-08"), ("Good Friday 2007", "2007-04-06"),
                                       ("Easter Monday 07", "2007-04-09")])
def test_5_easter_sunday_good_friday_and_easter_monday_are_days(text, day):
    parsed = parse_date(text)
    assert (parsed.date, parsed.precision) == (pd.Timestamp(day), "day")  # as "Christmas Day 2007"
    assert parse_date("c. " + text).precision == "approximate"


def test_5_easter_sunday_is_computed():
    known = {1961: "04-02", 2000: "04-23", 2007: "04-08", 2008: "03-23", 2011: "04-24", 2019: "04-21",
             2024: "03-31", 2038: "04-25"}
    assert {y: easter_sunday(y).strftime("%m-%d") for y in known} == known


@pytest.mark.parametrize("text", ["Winter 2007", "Winter 06/07"])
def test_5_a_winter_is_read_since_s15(text):
    assert (parse_date(text).date, parse_date(text).precision) == (pd.Timestamp("2006-12-01"), "season")


@pytest.mark.parametrize("text", ["Easter", "late Easter 2007", "Easter 7"])
def test_5_easter_without_a_year_or_qualified_is_an_error(text):
    with pytest.raises(DateParseError):
        parse_date(text)


def test_social_cares_own_record_of_declining_a_referral_it_received_is_no_referral_by_it():
    from review.config import load_vocab
    from review.vocab import detect_escalation

    vocab = load_vocab()
    for text in ("Referral from HV received. CSC declined the referral, NFA.",
                 "Receipt of referral from police; CSC declined the referral"):
        assert detect_escalation("referral", text, vocab) == ""
    # the referrer's record of the same decline still records its referral
    assert detect_escalation("home_visit", "Referral to CSC made by HV. CSC declined the referral.", vocab) \
        == "referral_to_csc"
    assert detect_escalation("home_visit", "CSC declined the referral", vocab) == "referral_to_csc"


def test_a_referral_social_care_declined_is_no_marac_referral():
    """plan_escalations hold MARAC too: the decline reading adds only the referral to social care."""
    from review.config import load_vocab
    from review.vocab import detect_escalation

    vocab = load_vocab()
    assert detect_escalation("home_visit", "Referral declined by CSC", vocab) == "referral_to_csc"
    assert detect_escalation("home_visit", "CSC declined the referral", vocab) == "referral_to_csc"
    assert detect_escalation("home_visit", "Referral to MARAC made.", vocab) == "marac"
