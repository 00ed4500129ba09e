"""Reviewers' decisions (s17): one as-of day for future-dated decisions in `review flags`, `review validate`
and the store; decisions carried over by their trigger's row when the agency or date reading changes the
flag id; the explorer's flag list refreshed after a save; notebook 03's `record` checked before any notebook
runs."""
from __future__ import annotations

import shutil
from pathlib import Path

from review.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cases" / "sample"


def _sample(tmp_path: Path, reviewer: bool = True) -> Path:
    case = tmp_path / "sample"
    shutil.copytree(SAMPLE, case)
    if reviewer:
        with (case / "case.yml").open("a", encoding="utf-8") as handle:
            handle.write("lead_reviewer: Jane Okafor\n")
    return case


# --- 4. notebook 03's `record` is checked before anything runs ------------------------------------------------
def test_a_bad_record_stops_the_run_before_notebook_01_runs(tmp_path, capsys, monkeypatch):
    case = _sample(tmp_path)
    out = tmp_path / "out"
    monkeypatch.chdir(ROOT)
    code = main(["notebooks", str(case), "--out", str(out), "--only", "01_ingest_and_validate",
                 "03_missed_escalations", "--no-html", "--no-progress", "--param",
                 "record={flag_no: 99, decision: accepted, rationale: Never referred, author: Jane Okafor}"])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.startswith("review:")]
    # the message notebook 03 gave when it ran, now before notebook 01 has run (before: 01 ran first)
    assert lines == [f"review: error: notebook 03_missed_escalations: no flag #99 in case sample: `review flags {case}` "
                     "numbers its 22 flags #1 to #22"]
    assert not list(out.rglob("*.ipynb")) and not (case / "decisions.csv").exists()


def test_an_unknown_author_in_record_is_found_up_front(tmp_path, capsys, monkeypatch):
    case = _sample(tmp_path)
    out = tmp_path / "out"
    monkeypatch.chdir(ROOT)
    code = main(["notebooks", str(case), "--out", str(out), "--no-html", "--no-progress", "--param",
                 "record={flag_no: 1, decision: accepted, rationale: Seen late, author: Someone Else}"])
    err = capsys.readouterr().err
    assert code != 0 and "notebook 03_missed_escalations:" in err and "Someone Else" in err
    assert not list(out.rglob("*.ipynb"))


# --- 3. the decision form's flag list after a save -------------------------------------------------------------
def _analysed(case):
    from review.pipeline import analyse, load_case

    return analyse(load_case(case))


def test_the_form_labels_show_the_decision_just_saved_and_keep_the_selection(tmp_path):
    from review.explorer import DecisionForm

    case = _sample(tmp_path)
    analysis = _analysed(case)
    form = DecisionForm(case, analysis.flags, analysis.timeline, author="Jane Okafor")
    third = analysis.flags["flag_id"].iloc[2]
    before = dict((value, label) for label, value in form.flag.options)
    assert before[third].endswith(" (pending)")
    form.flag.value = third
    form.decision.value = "rejected"
    form.rationale.value = "Covered by flag 2"
    form._save(None)
    after = dict((value, label) for label, value in form.flag.options)
    # before: the label stayed "3. rule - date - agency" until the form was built again
    assert after[third] == before[third].replace(" (pending)", " (rejected)")
    assert form.flag.value == third  # still chosen
    assert {v: lab for v, lab in after.items() if v != third} == {v: lab for v, lab in before.items() if v != third}


def test_a_finding_added_in_the_form_joins_the_flag_list(tmp_path):
    from review.explorer import DecisionForm

    case = _sample(tmp_path)
    analysis = _analysed(case)
    form = DecisionForm(case, analysis.flags, analysis.timeline, author="Jane Okafor")
    form.decision.value = "added"
    form.rule.value = "strategy_no_conference"
    form.event.value = analysis.timeline["event_id"].iloc[10]
    form.rationale.value = "Strategy discussion never held"
    form._save(None)
    labels = [label for label, _ in form.flag.options]
    assert len(labels) == 1 + 23 and sum(label.endswith("(added)") for label in labels) == 1
    assert form.flag.value == ""
    # the numbers are the report's: the same as a fresh analysis gives
    from review.explorer import flag_options

    fresh = _analysed(case)
    assert list(form.flag.options)[1:] == flag_options(fresh.flags, fresh.timeline)


# --- 1. one as-of day for future-dated decisions ---------------------------------------------------------------
import datetime as dt  # noqa: E402
import json  # noqa: E402
import types  # noqa: E402

import yaml  # noqa: E402

import review.build  # noqa: E402
import review.decisions  # noqa: E402
import review.store  # noqa: E402
from review.decisions import FUTURE_DATE_PROBLEM, decisions_as_of  # noqa: E402

LATER = dt.date(2043, 1, 1)  # a day after the decision's date (2042-08-01)


def _small_case(folder: Path, date: str = "2042-08-01") -> Path:
    folder.mkdir(parents=True)
    (folder / "case.yml").write_text(yaml.safe_dump({"case_id": "C9", "date_of_birth": "2022-06-01"}), encoding="utf-8")
    (folder / "gp.csv").write_text("Date,Agency,Details\n01/02/2023,GP,Visit\n", encoding="utf-8")
    (folder / "decisions.csv").write_text(f"flag_id,decision,rationale,author,date\nF1,accepted,typo,QA,{date}\n",
                                          encoding="utf-8")
    return folder


def _clock(monkeypatch, today: dt.date) -> None:
    """`review.decisions`, `review.build` and `review.store` see `today` as the date."""
    class Day(dt.date):
        @classmethod
        def today(cls):
            return cls(today.year, today.month, today.day)

    clock = types.ModuleType("datetime")
    clock.__dict__.update(dt.__dict__)
    clock.date = Day
    for module in (review.decisions, review.build, review.store):
        monkeypatch.setattr(module, "dt", clock)


def _built_today(tmp_path, monkeypatch, capsys) -> Path:
    """The small case built into reports/C9/ (the build's default folder, from tmp_path) today: its manifest
    records the day the decision dated 2042-08-01 was judged against."""
    monkeypatch.chdir(tmp_path)
    case = _small_case(tmp_path / "cases" / "c9")
    assert main(["build", str(case), "--no-progress"]) == 0
    manifest = json.loads((tmp_path / "reports" / "C9" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["decisions_as_of"] == dt.date.today().isoformat()
    capsys.readouterr()
    return case


def test_flags_on_a_later_day_judge_against_the_builds_day(tmp_path, monkeypatch, capsys):
    case = _built_today(tmp_path, monkeypatch, capsys)
    _clock(monkeypatch, LATER)
    assert main(["flags", str(case)]) == 0
    out = capsys.readouterr().out
    # before: on 2043-01-01 `review flags` no longer listed the decision as dated in the future (verify did)
    assert FUTURE_DATE_PROBLEM in out
    assert (f"(decisions dated after {dt.date.today().isoformat()} (the day the case's build judged them on, "
            "reports/C9/manifest.json) are listed as dated in the future)") in out


def test_validate_on_a_later_day_judges_against_the_builds_day(tmp_path, monkeypatch, capsys):
    case = _built_today(tmp_path, monkeypatch, capsys)
    _clock(monkeypatch, LATER)
    main(["validate", str(case), "--json"])
    decisions = json.loads(capsys.readouterr().out)["decisions"]
    assert [p["problem"] for p in decisions["problems"]] == [FUTURE_DATE_PROBLEM]
    assert (decisions["as_of"], decisions["as_of_source"]) == (dt.date.today().isoformat(), "manifest")
    main(["validate", str(case)])
    assert FUTURE_DATE_PROBLEM in capsys.readouterr().out


def test_the_store_on_a_later_day_judges_against_the_builds_day(tmp_path, monkeypatch, capsys):
    from review.store import build_all

    built_on = dt.date.today()
    _built_today(tmp_path, monkeypatch, capsys)
    _clock(monkeypatch, LATER)
    summary = build_all(tmp_path / "cases", tmp_path / "store", progress=False)
    # before: built on 2043-01-01 the store listed no problem (the decision's date was past)
    # (F1 is no flag of the case: also listed as not raised)
    assert FUTURE_DATE_PROBLEM in [p[-1] for p in summary.decision_problems]
    assert summary.decisions_as_of == LATER.isoformat() and built_on <= LATER
    assert "listed as dated in the future" in str(summary)
    stored = review.store.read_store(tmp_path / "store", "decision_problems")
    assert FUTURE_DATE_PROBLEM in stored["problem"].tolist()


def test_the_store_takes_one_given_day(tmp_path, monkeypatch):
    from review.store import build_all

    _small_case(tmp_path / "cases" / "c9")
    monkeypatch.chdir(tmp_path)
    summary = build_all(tmp_path / "cases", tmp_path / "store", progress=False, as_of="2042-08-02")
    assert FUTURE_DATE_PROBLEM not in [p[-1] for p in summary.decision_problems]
    assert summary.to_dict()["decisions_as_of"] == "2042-08-02"
    summary = build_all(tmp_path / "cases", tmp_path / "store2", progress=False, as_of=dt.date(2042, 7, 31))
    assert FUTURE_DATE_PROBLEM in [p[-1] for p in summary.decision_problems]
    assert summary.to_dict()["decisions_as_of_source"] == "given"


def test_without_a_build_the_day_is_today_or_the_one_given(tmp_path, monkeypatch, capsys):
    case = _small_case(tmp_path / "c9")
    monkeypatch.chdir(tmp_path)
    assert decisions_as_of(case).source == "today" and decisions_as_of(case).day == dt.date.today()
    assert str(decisions_as_of(case, "2042-07-31")) == "2042-07-31 (given)"
    assert main(["flags", str(case), "--as-of", "2042-07-31"]) == 0
    out = capsys.readouterr().out
    assert FUTURE_DATE_PROBLEM in out and "(decisions dated after 2042-07-31 (given) are listed" in out
    assert main(["flags", str(case), "--as-of", "2042-08-01"]) == 0
    assert FUTURE_DATE_PROBLEM not in capsys.readouterr().out
    assert main(["validate", str(case), "--as-of", "31/07/2042"]) == 2
    assert "--as-of: expected a date as YYYY-MM-DD, got '31/07/2042'" in capsys.readouterr().err


def test_another_cases_build_is_not_taken(tmp_path, monkeypatch, capsys):
    _built_today(tmp_path, monkeypatch, capsys)
    other = _small_case(tmp_path / "elsewhere" / "c9")  # same case id, another folder
    assert decisions_as_of(other, today=LATER).source == "today"


# --- 2. decisions carried over by their trigger's row when the agency or date reading changes -----------------
from review.decisions import (DECISIONS_FILE, NOT_RAISED_PROBLEM, ROW_NOT_CARRIED_NOTE, _carried_over,  # noqa: E402
                              migrate_decisions, read_decisions_file, record_decision)

HV_NOW = "  Eastborough Health Visiting:\n    aliases:\n"
#: an earlier reading of the health visitors' agency cell: the service's name under the trust's community arm
HV_BEFORE = "  Eastborough Community Health:\n    aliases:\n    - Eastborough Health Visiting\n"
RULE = "injury_not_escalated"


def _decided_on_the_old_agency_reading(tmp_path: Path, *, trigger: bool = True) -> tuple[Path, str, str]:
    """The sample with a rejection recorded while the health visitors' agency was read as 'Eastborough Community
    Health' (an earlier vocabulary), then the case read as it is now; (case, the id decided, the trigger)."""
    case = _sample(tmp_path, reviewer=False)
    vocab = (case / "vocab.yml").read_text(encoding="utf-8")
    (case / "vocab.yml").write_text(vocab.replace(HV_NOW, HV_BEFORE), encoding="utf-8")
    flags = _analysed(case).flags
    flag = flags[(flags["rule_id"] == RULE) & flags["agencies"].str.contains("Community Health")].iloc[0]
    record_decision(case, flag["flag_id"], "rejected", "Same bruising as the non-mobile injury flag", "Jane Okafor",
                    "2024-08-01", rule_id=RULE, trigger_event_id=flag["trigger_event_id"] if trigger else "",
                    evidence_event_ids=flag["evidence_event_ids"])
    (case / "vocab.yml").write_text(vocab, encoding="utf-8")
    return case, flag["flag_id"], flag["trigger_event_id"]


def test_a_decision_on_the_id_of_the_earlier_agency_reading_follows_its_row(tmp_path, capsys):
    case, old, trigger = _decided_on_the_old_agency_reading(tmp_path)
    analysis = _analysed(case)
    assert len(analysis.timeline) == 99 and (analysis.flags["source"] != "reviewer").sum() == 22
    assert old not in set(analysis.flags["flag_id"])  # the agency reading changed the id
    flag = analysis.flags[(analysis.flags["rule_id"] == RULE) & (analysis.flags["trigger_event_id"] == trigger)]
    assert len(flag) == 1
    new = flag["flag_id"].iloc[0]
    # before: the rejection was listed as on a flag the rules no longer raise, and flag `new` was pending
    assert flag["decision"].iloc[0] == "rejected" and flag["decided_by"].iloc[0] == "Jane Okafor"
    problems = analysis.decision_problems
    assert not problems["problem"].str.startswith(NOT_RAISED_PROBLEM[:40]).any()
    text = problems.loc[problems["problem"].str.contains("carried over", regex=False), "problem"].tolist()
    assert text == [f"decision recorded on flag {old}, which the rules no longer raise under that id: its trigger "
                    f"contact ({trigger}: the same file, sheet and row, the same text) is read differently now "
                    "(agency 'Eastborough Community Health', now 'Eastborough Health Visiting'), which changed the "
                    f"flag's id: carried over to flag {new}"]
    # the build reports it, and migrate writes the current id with the earlier one beside it
    out = tmp_path / "report"
    assert main(["build", str(case), "--out", str(out), "--no-progress"]) == 0
    assert f"decision carried over: decisions.csv, row 2: {old} -> {new}" in capsys.readouterr().out
    summary = migrate_decisions(case, analysis.decisions, analysis.flags)
    assert summary["moved"] == 1 and summary["not_raised"] == 0
    assert read_decisions_file(case / DECISIONS_FILE)["flag_id"].tolist() == [new]
    assert migrate_decisions(case, _analysed(case).decisions, _analysed(case).flags)["changed"] is False


def test_an_edited_text_on_the_same_row_is_not_carried_over(tmp_path):
    case, old, trigger = _decided_on_the_old_agency_reading(tmp_path)
    path = case / "health_visiting.csv"
    path.write_bytes(path.read_bytes().replace(b"Small bruise (approx 1 cm)", b"Small bruise (approx 2 cm)"))
    analysis = _analysed(case)
    assert not (analysis.flags["decision"] == "rejected").any()
    problems = analysis.decision_problems["problem"]
    assert problems.str.startswith(NOT_RAISED_PROBLEM[:40]).sum() == 1
    assert not problems.str.contains("carried over to", regex=False).any()
    new = analysis.flags.loc[(analysis.flags["rule_id"] == RULE) & (analysis.flags["trigger_event_id"] == trigger),
                             "flag_id"].iloc[0]
    # the flag on the row is named, for the reviewers to decide again
    assert ROW_NOT_CARRIED_NOTE.format(old=old, event=trigger, candidates=new) in problems.tolist()


def test_without_the_recorded_row_nothing_is_guessed(tmp_path):
    case, old, _ = _decided_on_the_old_agency_reading(tmp_path, trigger=False)
    analysis = _analysed(case)
    assert not (analysis.flags["decision"] == "rejected").any()
    assert analysis.decision_problems["problem"].str.startswith(NOT_RAISED_PROBLEM[:40]).sum() == 1


def _row_twins(tmp_path: Path, old_date: str):
    """One contact (row E1) triggering two flags of one rule (two variants); a decision on the id the first had
    when its date was read as `old_date`."""
    import pandas as pd

    from review.rules.base import content_anchor, content_key, flag_id

    row = dict(case_id="C9", event_id="E1", agency="Eastborough Health Visiting", date=pd.Timestamp("2023-05-07"),
               date_precision="day", contact_type="home_visit", description="Small bruise on his left cheek.",
               action="None", source_file="hv.csv", source_sheet="", source_row=2, date_text="07/05/2023")
    timeline = pd.DataFrame([row])
    now = content_key(*(row[c] for c in ("case_id", "agency", "date", "date_precision", "contact_type",
                                          "description", "action")))
    flags = pd.DataFrame({"flag_id": [flag_id(RULE, content_anchor(now, 1), v) for v in ("", "b")],
                          "rule_id": RULE, "trigger_event_id": "E1", "flag_variant": ["", "b"]})
    before = now.replace("2023-05-07T00:00:00", old_date)
    old = flag_id(RULE, content_anchor(before, 1), "")
    path = tmp_path / DECISIONS_FILE
    path.write_text(f"flag_id,decision,rationale,author,date,rule_id,trigger_event_id,evidence_event_ids\n"
                    f"{old},accepted,missed,QA,2024-01-02,{RULE},E1,\n", encoding="utf-8")
    return read_decisions_file(path), flags, timeline, old


def test_a_date_read_month_first_earlier_picks_the_flag_of_its_variant(tmp_path):
    decisions, flags, timeline, old = _row_twins(tmp_path, "2023-07-05T00:00:00")
    out, notes = _carried_over(decisions, flags, timeline, set(flags["flag_id"]))
    new = flags["flag_id"].iloc[0]
    assert out["flag_id"].tolist() == [new]
    assert [n["problem"] for n in notes] == [
        f"decision recorded on flag {old}, which the rules no longer raise under that id: its trigger contact (E1: the "
        "same file, sheet and row, the same text) is read differently now (date 2023-07-05 (day), now 2023-05-07 "
        f"(day)), which changed the flag's id: carried over to flag {new}"]


def test_a_row_triggering_flags_the_earlier_id_cannot_be_told_from_is_reported(tmp_path):
    import pandas as pd

    decisions, flags, timeline, old = _row_twins(tmp_path, "2023-07-05T00:00:00")
    flags = pd.concat([flags, flags.iloc[[0]].assign(flag_id=f"{RULE}-000000000000")], ignore_index=True)
    out, notes = _carried_over(decisions, flags, timeline, set(flags["flag_id"]))  # two flags of variant ""
    assert out["flag_id"].tolist() == [old]
    assert len(notes) == 1 and "cannot be told" in notes[0]["problem"] and flags["flag_id"].iloc[0] in notes[0]["problem"]
