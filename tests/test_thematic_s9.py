"""`review thematic` QA fixes (s9): financial years, a sheet per year without a year column, every rule
listed in flags_by_rule_id, --threshold refusing nan/inf/negative, notebook 05 naming what the command
line names (standards no rule evidences, declared organisations not in the cases)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from review.cli import main
from review.errors import ConfigError
from review.thematic import (
    DeclarationsError,
    assurance_summary,
    assurance_vs_evidence,
    check_threshold,
    evidence_years,
    flag_rates,
    read_declarations,
    rule_ids,
    thematic_tables,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def timeline():
    """Trust X: 2 contacts in February 2018 (financial year 2017/18), 4 in May 2018 and 4 in February 2019
    (both 2018/19), 3 on 1 April 2019 (2019/20)."""
    rows = [("A", f"f{i}", "health", "Trust X", "2018-02-01") for i in range(2)]
    rows += [("A", f"m{i}", "health", "Trust X", "2018-05-01") for i in range(4)]
    rows += [("B", f"b{i}", "health", "Trust X", "2019-02-01") for i in range(3)]
    rows += [("B", "last", "health", "Trust X", "2019-03-31")]
    rows += [("B", f"n{i}", "health", "Trust X", "2019-04-01") for i in range(3)]
    frame = pd.DataFrame(rows, columns=["case_id", "event_id", "agency_kind", "organisation", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@pytest.fixture
def flags():
    """Procedure flags on Trust X's contacts: 1 in February 2018, 2 in February 2019, 1 on 31 March 2019."""
    events = [("A", "f0", "2018-02-01"), ("B", "b0", "2019-02-01"), ("B", "b1", "2019-02-01"),
              ("B", "last", "2019-03-31")]
    return pd.DataFrame({
        "case_id": [e[0] for e in events], "rule_id": "child_not_seen",
        "trigger_event_id": [e[1] for e in events], "trigger_date": pd.to_datetime([e[2] for e in events]),
        "failing_category": "procedure", "severity": "high"})


def _declare(path, year):
    path.write_text("Organisation,Year,Standard,Declared status\n"
                    f"Trust X,{year},Escalation and child protection procedures,Compliant\n", encoding="utf-8")
    return path


# 1. financial years --------------------------------------------------------------------------------
@pytest.mark.parametrize("written", ["2018/19", "2018-19", "FY2018/19", "FY 2018-19", "2018/2019", "2018 - 2019"])
def test_a_financial_year_is_compared_with_1_april_to_31_march(tmp_path, flags, timeline, written):
    declared = read_declarations(_declare(tmp_path / "d.csv", written))
    assert declared["year"].tolist() == ["2018/19"]  # shown as a financial year, however written
    [row] = assurance_vs_evidence(declared, flags, timeline, threshold_per_100=10, min_contacts=1).to_dict("records")
    # May 2018 to 31 March 2019: 4 + 3 + 1 contacts, 3 flags (not calendar 2018's 6 contacts and 1 flag)
    assert row["year"] == "2018/19"
    assert (row["contacts"], row["flags"]) == (8, 3)
    assert row["assessment"] == "disagree: declared compliant, failings found"


def test_a_plain_year_stays_a_calendar_year(tmp_path, flags, timeline):
    declared = read_declarations(_declare(tmp_path / "d.csv", "2018"))
    [row] = assurance_vs_evidence(declared, flags, timeline, threshold_per_100=10, min_contacts=1).to_dict("records")
    assert row["year"] == "2018" and (row["contacts"], row["flags"]) == (6, 1)
    # and an int year (synth_declarations, a frame made by hand) too
    by_hand = declared.assign(year=[2019])
    [row] = assurance_vs_evidence(by_hand, flags, timeline, threshold_per_100=10, min_contacts=1).to_dict("records")
    assert row["year"] == 2019 and (row["contacts"], row["flags"]) == (7, 3)


def test_the_financial_year_boundary_is_1_april():
    dates = pd.Series(pd.to_datetime(["2019-03-31", "2019-04-01", "2018-12-31", None]))
    assert evidence_years(dates, financial=True).tolist()[:3] == [2018, 2019, 2018]
    assert evidence_years(dates, financial=False).tolist()[:3] == [2019, 2019, 2018]
    assert pd.isna(evidence_years(dates, financial=True).iloc[3])


def test_calendar_and_financial_declarations_of_one_standard_are_both_assessed(tmp_path, flags, timeline):
    path = tmp_path / "d.csv"
    path.write_text("Organisation,Year,Standard,Declared status\n"
                    "Trust X,2019/20,Escalation and child protection procedures,Compliant\n"
                    "Trust X,2018,Escalation and child protection procedures,Compliant\n"
                    "Trust X,2018-19,Escalation and child protection procedures,Not compliant\n", encoding="utf-8")
    result = assurance_vs_evidence(read_declarations(path), flags, timeline, threshold_per_100=10, min_contacts=1)
    # 2018: 1 flag in 6 contacts (16.7 per 100), declared compliant: disagrees; then by rate
    assert result["year"].tolist() == ["2018", "2018/19", "2019/20"]
    by_year = result.set_index("year")
    assert by_year.loc["2019/20", "contacts"] == 3 and by_year.loc["2019/20", "flags"] == 0
    assert by_year.loc["2018/19", "assessment"] == "failings found (not declared compliant)"


def test_a_span_that_is_not_one_year_or_fy_without_a_span_is_refused(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("Organisation,Year,Standard,Declared status\n"
                    "Trust X,2018/20,Information sharing,Compliant\n"
                    "Trust Y,FY2018,Information sharing,Compliant\n", encoding="utf-8")
    with pytest.raises(DeclarationsError) as info:
        read_declarations(path)
    message = str(info.value)
    assert "row 2 'Year'" in message or "row 2, column 'Year'" in message
    assert "year '2018/20' is not a year" in message and "year 'FY2018' is not a year" in message


def test_the_csv_keeps_showing_the_financial_year(tmp_path):
    """End to end: `review thematic` over a store, declarations by financial year; the csv shows
    "2021/22" and counts the contacts of 1 April 2021 - 31 March 2022."""
    from review.store import read_store

    store = tmp_path / "store"
    synth_declared = tmp_path / "synth.csv"
    assert main(["synth", "--cases", "6", "--seed", "5", "--store", str(store), "--no-progress",
                 "--declarations", str(synth_declared)]) == 0
    contacts = read_store(store, "contacts", columns=["date", "organisation"])
    organisation = contacts["organisation"].value_counts().index[0]
    dates = contacts.loc[contacts["organisation"] == organisation, "date"]
    year = int(dates.dt.year.mode().iloc[0])
    expected = int(((dates >= f"{year}-04-01") & (dates < f"{year + 1}-04-01")).sum())
    declared = tmp_path / "declared.csv"
    declared.write_text("Organisation,Year,Standard,Status\n"
                        f"{organisation},{year}-{(year + 1) % 100:02d},Information sharing,compliant\n",
                        encoding="utf-8")
    assert main(["thematic", "--store", str(store), "--declarations", str(declared), "--out",
                 str(tmp_path / "t"), "--formats", "png"]) == 0
    table = pd.read_csv(tmp_path / "t" / "assurance_vs_evidence.csv", dtype={"year": str})
    assert table["year"].tolist() == [f"{year}/{(year + 1) % 100:02d}"]
    assert table["contacts"].tolist() == [expected] and expected > 0


# 2. a sheet per year without a year column ----------------------------------------------------------
def _workbook(path, sheets):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


HEADER = ["Organisation", "Standard", "Declared status"]


def test_a_sheet_per_year_without_a_year_column_takes_the_sheet_name(tmp_path):
    path = _workbook(tmp_path / "returns.xlsx", {
        "2018-19": [HEADER, ["Trust X", "Information sharing", "compliant"]],
        "2019-20": [["Returns 2019/20"], HEADER, ["Trust X", "Information sharing", "not compliant"]],
        "2018": [HEADER, ["Trust Y", "Assessment of risk", "compliant"]],
        "2020": [["Organisation", "Year", "Standard", "Status"], ["Trust Z", 2021, "Assessment of risk", "met"]],
        "Summary": [HEADER, ["Trust X", "Information sharing", "compliant"]],
    })
    frame = read_declarations(path)
    assert frame[["organisation", "year", "declared_status", "source_sheet", "source_row"]].astype(
        object).values.tolist() == [
        ["Trust X", "2018/19", "compliant", "2018-19", 2],
        ["Trust X", "2019/20", "not compliant", "2019-20", 3],
        ["Trust Y", "2018", "compliant", "2018", 2],
        ["Trust Z", "2021", "compliant", "2020", 2],  # a year column is read, whatever the sheet's name
    ]
    notes = "\n".join(frame.attrs["notes"])
    assert "sheet '2018-19': no year column, the year 2018/19 taken from the sheet's name" in notes
    assert "sheet 'Summary': no year column, and its name is not a year" in notes  # said, not read


def test_a_sheet_without_a_year_column_or_a_year_name_is_refused_naming_file_sheet_and_column(tmp_path):
    path = _workbook(tmp_path / "returns.xlsx", {"Summary": [HEADER, ["Trust X", "Information sharing", "compliant"]]})
    with pytest.raises(DeclarationsError) as info:
        read_declarations(path)
    message = str(info.value)
    assert "returns.xlsx" in message and "sheet 'Summary'" in message
    assert "missing column(s) year; found Organisation, Standard, Declared status" in message
    assert "name each sheet by the year it declares" in message


# 3. every rule in flags_by_rule_id --------------------------------------------------------------------
def test_flags_by_rule_id_lists_every_rule_of_the_rule_set(flags, timeline):
    from review.rules.settings import package_rules

    table = flag_rates(flags, timeline, "rule_id", min_contacts=1).set_index("rule_id")
    assert set(package_rules()["rules"]) == set(rule_ids()) <= set(table.index)
    assert len(rule_ids()) == 24  # domestic_abuse_not_escalated added in s12, exploitation_not_referred in s14, self_harm_not_referred in s15, transfer_in_conference_late in s16, repeat_referrals_closed in s18, neglect_not_escalated, withdrawn_with_concerns and sexual_harm_not_referred in s19, cp_file_not_transferred, enquiry_incomplete, return_interview_or_nrm_late, lac_visits_overdue and lado_not_referred in s20, perplexing_presentation_not_escalated in s21
    assert table.loc["child_not_seen", "flags"] == 4
    silent = table.drop(index="child_not_seen")
    assert (silent["flags"] == 0).all() and (silent["cases"] == 0).all() and (silent["contacts"] == len(timeline)).all()
    assert (silent["flags_per_100_contacts"] == 0).all()
    assert table.index[0] == "child_not_seen"  # the rule that fired first
    # and in the tables `review thematic` writes, as the failing categories are
    latency = pd.DataFrame({"case_id": [], "event_id": [], "agency_kind": [], "latency_days": [], "within_expected": []})
    tables = thematic_tables(flags, timeline, latency)
    assert len(tables["flags_by_rule_id"]) == 24 and tables["flags_by_rule_id"]["flags"].sum() == 4


# 4. --threshold --------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "many"])
def test_threshold_that_is_not_a_finite_number_at_least_0_is_refused(tmp_path, capsys, value):
    with pytest.raises(SystemExit) as info:
        main(["thematic", "--store", str(tmp_path / "s"), "--out", str(tmp_path / "o"), f"--threshold={value}"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "--threshold" in err and "the threshold must" in err
    assert not (tmp_path / "o").exists()


def test_threshold_checks_in_the_library(flags, timeline, tmp_path):
    assert check_threshold("0") == 0.0 and check_threshold(2.5) == 2.5
    declared = read_declarations(_declare(tmp_path / "d.csv", "2018/19"))
    for bad in (float("nan"), float("inf"), -0.5):
        with pytest.raises(ValueError, match="threshold"):
            assurance_vs_evidence(declared, flags, timeline, threshold_per_100=bad)
    from review.thematic_report import write_thematic

    with pytest.raises(ConfigError, match="finite"):
        write_thematic(tmp_path / "store", tmp_path / "out", threshold=float("nan"))
    assert not (tmp_path / "out").exists()


# 5. what the command line names, the notebook shows ---------------------------------------------------
def test_assurance_summary_is_what_review_thematic_prints(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["synth", "--cases", "3", "--seed", "5", "--store", str(store), "--no-progress"]) == 0
    declared = tmp_path / "d.csv"
    declared.write_text("Organisation,Year,Standard,Status\n"
                        "Nowhere NHS Trust,2022,Information sharing,compliant\n"
                        "Nowhere NHS Trust,2022,Leadership and culture,compliant\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["thematic", "--store", str(store), "--declarations", str(declared), "--out",
                 str(tmp_path / "t"), "--formats", "png"]) == 0
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("assurance: ")]
    table = pd.read_csv(tmp_path / "t" / "assurance_vs_evidence.csv")
    from review.store import read_store

    contacts = read_store(store, "contacts", columns=["case_id", "event_id", "date", "agency_kind", "organisation"])
    lines = assurance_summary(assurance_vs_evidence(read_declarations(declared), read_store(store, "flags"), contacts))
    assert printed == [f"assurance: {line}" for line in lines] and len(table) == 2
    assert "1 declared standard(s) no rule evidences (not assessed): 'Leadership and culture'" in lines
    assert any(line.startswith("declared organisation 'Nowhere NHS Trust' is not in the cases") for line in lines)


def test_assurance_summary_names_the_first_ones_then_how_many_more():
    assurance = pd.DataFrame({"disagreement": [False] * 3})
    assurance.attrs["unmapped_standards"] = ["A", "B", "C"]
    assurance.attrs["unmatched"] = {"X": ["Y"], "Z": [], "W": []}
    lines = assurance_summary(assurance, shown=2)
    assert lines == ["0 of 3 assessable declarations disagree with the evidence",
                     "3 declared standard(s) no rule evidences (not assessed): 'A', 'B' and 1 more",
                     "declared organisation 'X' is not in the cases (closest in the cases: Y)",
                     "declared organisation 'Z' is not in the cases",
                     "and 1 more declared organisation(s) not in the cases "
                     "(assurance_vs_evidence.csv: 'organisation not in the cases')"]


def test_notebook_05_calls_the_library_for_it():
    for name in ("05_thematic_review.py", "05_thematic_review.ipynb"):
        text = (ROOT / "notebooks" / name).read_text(encoding="utf-8")
        assert "assurance_summary(assurance)" in text, name


@pytest.mark.slow
def test_notebook_05_shows_unassessed_standards_and_organisations_not_in_the_cases(tmp_path):
    import nbformat

    from review.notebooks import run_notebooks

    cases_dir = tmp_path / "cases"
    shutil.copytree(ROOT / "data" / "cases" / "sample", cases_dir / "sample")
    declarations = tmp_path / "declarations.csv"
    declarations.write_text("Organisation,Year,Standard,Status\n"
                            "Nowhere NHS Trust,2023/24,Information sharing,Compliant\n"
                            "Nowhere NHS Trust,2023/24,Leadership and culture,Compliant\n", encoding="utf-8")
    [path] = run_notebooks(cases_dir / "sample", tmp_path / "thematic", notebooks_dir=ROOT / "notebooks",
                           names=["05_thematic_review"],
                           parameters={"05_thematic_review": {"cases_dir": str(cases_dir), "synth_cases": 0,
                                                              "declarations": str(declarations)}},
                           progress=False, package_dir=ROOT / "src")  # the kernel imports the review under test
    nb = nbformat.read(path, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "0 of 0 assessable declarations disagree with the evidence: none could be assessed (2 declared; " in text
    assert "1 declared standard(s) no rule evidences (not assessed): 'Leadership and culture'" in text
    assert "declared organisation 'Nowhere NHS Trust' is not in the cases" in text
