"""s16: seasons in the reviewers' decisions (decisions.csv): a finding the reviewers added on a contact dated
only "Spring 2022" or "Winter 2021/22" follows that contact when the agency resubmits with a row inserted
above, and every output of the build, named or anonymised, shows its trigger date as the season, as the
chronology does (before: the anonymised view showed "Mar 2022", the workbook the season's first month)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

import review.build as build_module
from review.decisions import DECISIONS_FILE, record_decision
from review.export import save_figure
from review.pipeline import analyse, load_case

HEADER = "Date,Type,Details,Action\n"
ROWS = ["02/02/2022,Home visit,NBV day 12. Baby seen.,Routine\n",
        "Winter 2021/22,Home visit,Mother tearful and low. Baby seen.,Discuss with GP\n",
        "Spring 2022,Home visit,Baby seen in her cot. Bruise to left ear noted,Weekly visits\n",
        "10/06/2022,Home visit,Baby seen,Weekly visits\n"]
INSERTED = "01/03/2022,Telephone call,Mother rang to rearrange visit,Rearranged\n"


def _case(folder: Path, rows: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hv.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    (folder / "case.yml").write_text("case_id: oak\ndate_of_birth: 2021-11-21\nfiles:\n"
                                     "  - {path: hv.csv, agency: Hollybank Health Visiting}\n", encoding="utf-8")
    return folder


def _event(timeline: pd.DataFrame, words: str) -> str:
    return str(timeline.loc[timeline["description"].str.contains(words, regex=False), "event_id"].iloc[0])


def _added(folder: Path) -> pd.DataFrame:
    flags = analyse(load_case(folder)).flags
    return flags[flags["source"] == "reviewer"].sort_values("trigger_date").reset_index(drop=True)


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    folder = _case(tmp_path_factory.mktemp("s16decisions") / "oak", ROWS)
    timeline = analyse(load_case(folder)).timeline
    assert sorted(timeline.loc[timeline["date_precision"] == "season", "date"].dt.strftime("%Y-%m-%d")) == [
        "2021-12-01", "2022-03-01"]
    for words, rationale in (("tearful", "Maternal low mood not shared with the GP"),
                             ("Bruise to left ear", "Bruise to a non-mobile baby's ear was not referred")):
        record_decision(folder, "", "added", rationale, "Jane Okafor", "2024-08-01", rule_id="nonmobile_injury",
                        trigger_event_id=_event(timeline, words), timeline=timeline)
    return folder


def test_an_added_finding_on_a_season_keeps_its_season_and_follows_a_resubmission(case, tmp_path):
    added = _added(case)
    assert added["trigger_date"].tolist() == [pd.Timestamp("2021-12-01"), pd.Timestamp("2022-03-01")]
    moved = _case(tmp_path / "oak", [ROWS[0], INSERTED, *ROWS[1:]])
    (moved / DECISIONS_FILE).write_bytes((case / DECISIONS_FILE).read_bytes())
    timeline = analyse(load_case(moved)).timeline
    again = _added(moved)
    assert again["trigger_event_id"].tolist() == [_event(timeline, "tearful"), _event(timeline, "Bruise to left ear")]
    assert again["trigger_date"].tolist() == added["trigger_date"].tolist()


@pytest.fixture(scope="module")
def built(case, tmp_path_factory):
    root = tmp_path_factory.mktemp("s16decisions_built")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_module, "save_figure", lambda fig, stem, d: save_figure(fig, stem, d, ("svg",)))
        build_module.build_report(case, root / "named", progress=False)
        build_module.build_report(case, root / "anonymised", redact=True, progress=False)
    return root


def _shown(out: Path) -> dict:
    rows = [r for r in csv.DictReader((out / "flags.csv").open(encoding="utf-8-sig"))]
    sheet = openpyxl.load_workbook(out / "chronology.xlsx")["Flags"]
    column = [c.value for c in sheet[1]].index("Trigger date")
    cells = [row[column] for row in sheet.iter_rows(min_row=2) if row[column].value is not None]
    html = (out / "report.html").read_text(encoding="utf-8")
    flags_html = html[html.index('id="flags"'):html.index('id="chronology"')]
    chronology_html = html[html.index('id="chronology"'):]
    table = next(t for t in docx.Document(out / "chronology.docx").tables if t.rows[0].cells[1].text == "Rule")
    date_column = [c.text for c in table.rows[0].cells].index("Date")
    chronology = next(t for t in docx.Document(out / "chronology.docx").tables if t.rows[0].cells[1].text == "Date")
    return {
        "csv": [r["Trigger date"] for r in rows],
        "xlsx": [(c.value.strftime("%Y-%m-%d"), c.number_format) for c in cells],
        "html": re.findall(r"<tr[^>]*><td[^>]*>\d+</td><td[^>]*>([^<]*)</td>", flags_html),
        "html_chronology": sorted(set(re.findall(r"(?:Spring|Winter|Dec|Mar) 202\d(?:/\d\d)?", chronology_html))),
        "docx": [table.rows[i].cells[date_column].text for i in range(1, len(table.rows))],
        "docx_chronology": [r.cells[1].text for r in chronology.rows[1:]],
    }


@pytest.mark.parametrize("view", ["named", "anonymised"])
def test_every_output_shows_the_added_findings_season(built, view):
    shown = _shown(built / view)
    assert shown["csv"] == ["Winter 2021/22", "Spring 2022"]
    assert shown["xlsx"] == [("2021-12-01", '"Winter "yyyy"/22"'), ("2022-03-01", '"Spring "yyyy')]
    assert shown["html"] == ["Winter 2021/22", "Spring 2022"]
    assert shown["docx"] == ["Winter 2021/22", "Spring 2022"]
    assert "Winter 2021/22" in shown["html_chronology"] and "Spring 2022" in shown["html_chronology"]
    assert "Mar 2022" not in shown["html_chronology"] and "Dec 2021" not in shown["html_chronology"]
    # the chronology in date order: the winter (from 1 December 2021) before 02/02/2022
    assert [shown["docx_chronology"][i] for i in (0, 2)] == ["Winter 2021/22", "Spring 2022"]


def test_the_anonymised_chronology_keeps_the_season(built):
    rows = list(csv.DictReader((built / "anonymised" / "chronology.csv").open(encoding="utf-8-sig")))
    seasons = [(r["Date"], r["Date precision"], r["Date as written"]) for r in rows if r["Date precision"] == "season"]
    assert seasons == [("2021-12", "season", "Winter 2021/22"), ("2022-03", "season", "Spring 2022")]
    sheet = openpyxl.load_workbook(built / "anonymised" / "chronology.xlsx")["Integrated chronology"]
    formats = sorted(c.number_format for row in sheet.iter_rows(min_row=2) for c in row
                     if hasattr(c.value, "year") and c.value.strftime("%Y-%m-%d") in ("2021-12-01", "2022-03-01"))
    assert formats == ['"Spring "yyyy', '"Winter "yyyy"/22"']
