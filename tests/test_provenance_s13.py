"""Provenance and consistency of the build's outputs (s13): the flags' trigger source file, sheet and row in
flags.csv, the workbook and report.html; report.html's "Guidance" column and flag anchors; the decided flag's
rule and contacts in decisions.csv; the Word chronology's Flags column marking the rows the other exports
mark; the charts counting events, not rows; an approximate date's age shown approximate."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "data" / "cases" / "sample"


def _review(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "review", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not SAMPLE.exists():
        pytest.skip("no sample case")
    out = tmp_path_factory.mktemp("prov") / "report"
    done = _review("build", SAMPLE, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "99 contacts, 22 flags" in done.stdout
    return out


@pytest.fixture(scope="module")
def analysis():
    if not SAMPLE.exists():
        pytest.skip("no sample case")
    from review.pipeline import analyse, load_case

    return analyse(load_case(SAMPLE))


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open(encoding="utf-8-sig")))


# 1. the trigger's source file, sheet and row ----------------------------------------------------------
def test_flags_csv_ends_with_the_triggers_source(built):
    header = next(csv.reader((built / "flags.csv").open(encoding="utf-8-sig")))
    assert header[-4:] == ["Trigger date precision", "Trigger source file", "Trigger source sheet",
                           "Trigger source row"]
    assert header[:3] == ["#", "Flag id", "Rule"]  # earlier columns keep their place
    flags = _rows(built / "flags.csv")
    chronology = {r["Event id"]: r for r in _rows(built / "chronology.csv")}
    assert (flags[0]["Trigger source file"], flags[0]["Trigger source sheet"], flags[0]["Trigger source row"]) == \
        ("health_visiting.csv", "", "4")
    for flag in flags:  # every trigger's provenance is its chronology row's
        row = chronology[flag["Trigger event id"]]
        assert (flag["Trigger source file"], flag["Trigger source sheet"], flag["Trigger source row"]) == \
            (row["Source file"], row["Source sheet"], row["Source row"])
    assert any(f["Trigger source sheet"] for f in flags)  # a workbook's sheet is given too


def test_workbook_flags_sheet_gives_the_triggers_source(built):
    from openpyxl import load_workbook

    rows = list(load_workbook(built / "chronology.xlsx", read_only=True)["Flags"].iter_rows(values_only=True))
    header = list(rows[0])
    for name in ("Trigger source file", "Trigger source sheet", "Trigger source row"):
        assert name in header
    first = dict(zip(header, rows[1]))
    assert (first["Trigger source file"], first["Trigger source row"]) == ("health_visiting.csv", 4)
    assert not first["Trigger source sheet"]


def _flags_section(html: str) -> str:
    return html[html.index('<section id="flags">'):html.index('<section id="chronology">')]


def test_report_flags_table_says_recorded_in_and_guidance(built):
    html = (built / "report.html").read_text(encoding="utf-8")
    section = _flags_section(html)
    headers = re.findall(r'<th scope="col">([^<]*)</th>', section.split("</thead>")[0])
    assert headers[-1] == "Guidance" and "Source" not in headers  # was "Source", holding the guidance text
    assert headers[headers.index("What was recorded") + 1] == "Recorded in"
    first = section.split("<tbody>")[1].split("</tr>")[0]
    assert "<td>health_visiting.csv, row 4</td>" in first
    assert "NICE CG89" in first.split("</td>")[-2]  # the guidance, under "Guidance"
    assert re.search(r"<td>childrens_social_care\.xlsx, sheet Chronology, row \d+</td>", section)


# 6. flag numbers link to their flag ----------------------------------------------------------------------
def test_report_flag_numbers_link_to_their_flags(built):
    html = (built / "report.html").read_text(encoding="utf-8")
    flags = _rows(built / "flags.csv")
    ids = re.findall(r'<tr (?:class="[^"]*" )?id="(flag-[^"]+)"', _flags_section(html))
    # one anchor per flag, in order, made from the flag's id (deterministic, whatever the order)
    assert ids == ["flag-" + f["Flag id"] for f in flags]
    chronology = html[html.index('<section id="chronology">'):]
    links = re.findall(r'<a href="#(flag-[^"]+)">#(\d+)</a>', chronology)
    assert links, "no links in the chronology's Flags column"
    for target, number in links:
        assert target == ids[int(number) - 1]
    marked = [r["Flags (# in flags table)"] for r in _rows(built / "chronology.csv")]
    assert len(links) == sum(len(m.split("; ")) for m in marked if m)


def test_flag_anchors_are_unique_and_safe():
    from review.export import flag_anchors

    assert flag_anchors(["injury_not_escalated-d887680e896a", "added:finding:0123456789", None, "x", "x"]) == [
        "flag-injury_not_escalated-d887680e896a", "flag-added-finding-0123456789", "flag-3-n", "flag-x", "flag-5-n"]


# 3. the Word chronology marks the same rows ---------------------------------------------------------------
def test_docx_flags_column_marks_the_rows_the_other_exports_mark(built):
    import docx

    marked = {int(r["Seq"]): sorted(int(x.lstrip("#")) for x in r["Flags (# in flags table)"].split("; "))
              for r in _rows(built / "chronology.csv") if r["Flags (# in flags table)"]}
    document = docx.Document(str(built / "chronology.docx"))
    table = document.tables[0]
    assert table.rows[0].cells[-1].text == "Flags"
    in_word = {int(r.cells[0].text): sorted(int(x) for x in r.cells[-1].text.split(", "))
               for r in table.rows[1:] if r.cells[-1].text.strip()}
    assert in_word == marked
    # flag 1's first action (was marked "1" in Word only); row 24, the GP's own referral of the burn, is now in
    # flag 8's evidence where social care's receipt of it was (s16: a receipt is no injury record)
    assert 1 not in in_word.get(24, []) and in_word.get(24) == [8]
    assert in_word[62] == [6]  # s19: one flag per decision (was 6, 9, 13, 15: four flags on one conference)
    # the flags table still cites an action, labelled as such (flag 1's referral 118 days later is no longer its
    # action since the s13 90-day limit: a flag whose next escalation falls within it)
    cited = [r.cells[3].text.splitlines() for r in document.tables[1].rows[1:]]
    with_action = [lines for lines in cited if len(lines) == 2]
    assert with_action and all(lines[1].startswith("action: ") for lines in with_action)
    assert cited[0] == ["12"]


# 2. decisions.csv records the decided flag ----------------------------------------------------------------
def test_decide_records_the_flags_rule_and_contacts(tmp_path):
    if not SAMPLE.exists():
        pytest.skip("no sample case")
    case = tmp_path / "case"
    shutil.copytree(SAMPLE, case)
    with (case / "case.yml").open("a", encoding="utf-8") as fh:
        fh.write("\nlead_reviewer: Jane Okafor\n")
    done = _review("decide", case, "1", "--reject", "--rationale", "Same bruising as flag 2", "--date", "2026-12-05")
    assert done.returncode == 0, done.stderr
    lines = (case / "decisions.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == ("injury_not_escalated-6c36c0b5a668,rejected,Same bruising as flag 2,Jane Okafor,2026-12-05,"
                        "injury_not_escalated,E5faf224ab5bc,E5faf224ab5bc")  # was "...,2026-12-05,,,"
    # an older row with the cells blank is still read, and the workbook shows it from the flag
    with (case / "decisions.csv").open("a", encoding="utf-8") as fh:
        fh.write("nonmobile_injury-6c36c0b5a668,accepted,written before,Jane Okafor,2026-12-01,,,\n")
    from review.decisions import load_decisions, read_decisions_file

    rows = read_decisions_file(case / "decisions.csv")
    assert rows["trigger_event_id"].tolist() == ["E5faf224ab5bc", ""]
    out = tmp_path / "report"
    done = _review("build", case, "--out", out)
    assert done.returncode == 0, done.stderr
    from openpyxl import load_workbook

    sheet = list(load_workbook(out / "chronology.xlsx", read_only=True)["Decisions"].iter_rows(values_only=True))
    got = [dict(zip(sheet[0], r)) for r in sheet[1:]]
    assert [(r["Rule"], r["Trigger event id"], r["Evidence event ids"]) for r in got] == [
        ("injury_not_escalated", "E5faf224ab5bc", "E5faf224ab5bc"), ("nonmobile_injury", "E5faf224ab5bc", "E5faf224ab5bc")]
    # the file itself is not changed by the build, and migrating keeps every recorded cell
    assert (case / "decisions.csv").read_text(encoding="utf-8-sig").splitlines()[2].endswith(",,,")
    done = _review("decisions", "migrate", case)
    assert done.returncode == 0, done.stderr
    migrated = _rows(case / "decisions.csv")
    assert [(r["flag_id"], r["rule_id"], r["trigger_event_id"]) for r in migrated] == [
        ("injury_not_escalated-6c36c0b5a668", "injury_not_escalated", "E5faf224ab5bc"),
        ("nonmobile_injury-6c36c0b5a668", "", "")]
    decisions, problems = load_decisions(case)
    assert len(decisions) == 2 and not len(problems)


def test_with_flag_details_fills_only_blank_decided_rows():
    from review.decisions import with_flag_details

    flags = pd.DataFrame({"flag_id": ["a-1", "b-2"], "rule_id": ["a", "b"], "trigger_event_id": ["E1", "E2"],
                          "evidence_event_ids": ["E1", "E2; E3"]})
    decisions = pd.DataFrame({
        "flag_id": ["a-1", "b-2", "added:x:1", "gone-9"], "decision": ["accepted", "rejected", "added", "accepted"],
        "rule_id": ["", "kept", "x", ""], "trigger_event_id": ["", "E9", "E7", ""],
        "evidence_event_ids": [pd.NA, "", "E7", ""]}).astype("string")
    out = with_flag_details(decisions, flags)
    assert out["rule_id"].tolist() == ["a", "kept", "x", ""]
    assert out["trigger_event_id"].tolist() == ["E1", "E9", "E7", ""]
    assert out["evidence_event_ids"].tolist() == ["E1", "E2; E3", "E7", ""]


# 4. the charts count events, not rows --------------------------------------------------------------------
def test_agency_knowledge_counts_decisions_by_event(analysis):
    from review.charts import plot_agency_knowledge

    fig = plot_agency_knowledge(analysis.knowledge, timeline=analysis.timeline)
    title = " ".join(fig._suptitle.get_text().split())  # wrapped to the figure width (s15b)
    # (s21: St Brendan's two A&E discharges are decisions too; the one of 20 Jul 2023 was made without the health
    # visitor's record of the bruise on 17 May 2023)
    assert title.endswith("6 of 11 decisions (19 agency records) made without concerns known elsewhere"), title
    assert "Dot plot of 11 decision points (19 agency records)" in fig.review_alt_text
    # no timeline: each row its own decision, as before
    assert plot_agency_knowledge(analysis.knowledge)._suptitle.get_text().endswith(
        "6 of 19 decisions made without concerns known elsewhere")


def test_response_latency_counts_concerns_by_event(analysis):
    from review.charts import plot_response_latency

    fig = plot_response_latency(analysis.response_latency, timeline=analysis.timeline)
    title = " ".join(fig._suptitle.get_text().split())  # wrapped to the figure width (s15b)
    # (s20: the GP letter of 12 Jan 2024 "two follow-up appointments missed" is a was_not_brought concern now)
    assert title.endswith("(of 41 concerns; 52 records)"), title
    # counted by event; since the s13 90-day limit a concern whose next escalation came later reads never
    # escalated, no longer late; since s17 a referral is read as the rules read it (the police's same-day
    # notification to MASH of a domestic incident, social care's receipt when it came first): 8 -> 2 never
    assert "14 later than expected, 2 never escalated" in title
    assert "Bar chart of 41 recorded concerns (52 records" in fig.review_alt_text
    assert "25 in time, 14 later than expected and 2 never escalated" in fig.review_alt_text


def test_one_conference_of_five_agencies_is_one_decision():
    from review.charts import plot_agency_knowledge

    knowledge = pd.DataFrame({
        "decision_event_id": ["E1", "E2", "E3", "E4", "E5", "E6"],
        "date": pd.to_datetime(["2024-01-01"] * 5 + ["2024-02-01"]),
        "deciding_agency": ["A", "B", "C", "D", "E", "A"], "decision": ["cp_conference"] * 5 + ["discharge"],
        "concerns_known_to_agency": [1, 2, 2, 2, 2, 1], "concerns_known_anywhere": [2, 2, 2, 2, 2, 1],
        "missing_concerns": ["bruising", "", "", "", "", ""]})
    timeline = pd.DataFrame({"event_id": ["E1", "E2", "E3", "E4", "E5", "E6"],
                             "event_group": ["E1"] * 5 + ["E6"]})
    title = plot_agency_knowledge(knowledge, timeline=timeline)._suptitle.get_text()
    assert title.endswith("1 of 2 decisions (6 agency records) made without concerns known elsewhere")


# 5. an approximate date's age ----------------------------------------------------------------------------
def test_approximate_date_shows_an_approximate_age(analysis, built):
    timeline = analysis.timeline
    row = timeline[timeline["date_text"] == "early May 2024"].iloc[0]
    assert row["date_precision"] == "approximate"
    assert row["age_display"] == "c. 1y 2m"  # was "1y 2m 17d", as if exact
    assert int(row["age_days"]) >= 0
    shown = {r["Seq"]: r["Child's age"] for r in _rows(built / "chronology.csv")}
    assert shown[str(int(row["seq"]))] == "c. 1y 2m"
    html = (built / "report.html").read_text(encoding="utf-8")
    assert "<td>c. 1y 2m</td>" in html


def test_approximate_ages_by_unit():
    from review.redact import month_age
    from review.timeline import _approximate_ages

    display = pd.array(["1y 2m 17d", "0m 17d", "-45d", "3m 2d", "", "1y 2m 17d", "9m 18d–10m 17d"], dtype="string")
    precision = pd.Series(["approximate"] * 5 + ["day", "month"])
    text = pd.Series(["c. May 2024", "early May 2023", "c. 12/01/2023", "w/c 3/4/07", "c. May 2024", "x", "Mar 2023"])
    assert list(_approximate_ages(display, precision, text)) == [
        "c. 1y 2m", "c. 0m 17d", "c. -45d", "c. 3m 2d", "", "1y 2m 17d", "9m 18d–10m 17d"]
    # the anonymised view gives every age, as every date, to the month: no "c." needed there
    assert [month_age(a) for a in ("c. 1y 2m 17d", "c. 1y 2m", "c. -45d")] == ["1y 2m", "1y 2m", "before birth"]
