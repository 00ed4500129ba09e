"""Thematic tables across cases: normalisation per 100 contacts, latency, ranking, assurance vs evidence."""
from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from review.thematic import (
    DeclarationsError,
    assurance_vs_evidence,
    flag_rates,
    latency_by_agency_kind,
    plot_assurance,
    plot_case_ranking,
    plot_flag_rates,
    plot_latency_by_agency_kind,
    rank_cases,
    read_declarations,
    thematic_tables,
)


@pytest.fixture
def timeline():
    # case A: 6 health contacts at Trust X, 2 police at Force Y; case B: 2 health at Trust X
    rows = [("A", f"a{i}", "health", "Trust X", "2022-03-01") for i in range(6)]
    rows += [("A", f"p{i}", "police", "Force Y", "2022-05-01") for i in range(2)]
    rows += [("B", f"b{i}", "health", "Trust X", "2023-01-10") for i in range(2)]
    frame = pd.DataFrame(rows, columns=["case_id", "event_id", "agency_kind", "organisation", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@pytest.fixture
def flags():
    return pd.DataFrame({
        "case_id": ["A", "A", "A", "B"],
        "rule_id": ["child_not_seen", "child_not_seen", "information_not_shared", "child_not_seen"],
        "trigger_event_id": ["a0", "a1", "p0", "b0"],
        "trigger_date": pd.to_datetime(["2022-03-01", "2022-03-01", "2022-05-01", "2023-01-10"]),
        "failing_category": ["procedure", "procedure", "communication", "procedure"],
        "severity": ["high", "medium", "high", "high"],
    })


def test_flags_per_100_contacts_by_rule_use_all_contacts(flags, timeline):
    rates = flag_rates(flags, timeline, "rule_id", min_contacts=1).set_index("rule_id")
    assert rates.loc["child_not_seen", "flags"] == 3 and rates.loc["child_not_seen", "contacts"] == 10
    assert rates.loc["child_not_seen", "flags_per_100_contacts"] == pytest.approx(30.0)
    assert rates.loc["information_not_shared", "flags_per_100_contacts"] == pytest.approx(10.0)
    assert rates.loc["child_not_seen", "cases"] == 2


def test_flags_per_100_contacts_by_agency_use_that_agencys_contacts(flags, timeline):
    kind = flag_rates(flags, timeline, "agency_kind", min_contacts=1).set_index("agency_kind")
    assert kind.loc["health", "flags_per_100_contacts"] == pytest.approx(100 * 3 / 8)
    assert kind.loc["police", "flags_per_100_contacts"] == pytest.approx(50.0)
    org = flag_rates(flags, timeline, "organisation", min_contacts=1)
    assert org["organisation"].tolist() == ["Force Y", "Trust X"]  # sorted by rate, highest first


def test_every_failing_category_is_listed_even_without_flags(flags, timeline):
    cats = flag_rates(flags, timeline, "failing_category", min_contacts=1).set_index("failing_category")
    assert cats.loc["governance", "flags"] == 0 and cats.loc["governance", "flags_per_100_contacts"] == 0
    assert cats.loc["procedure", "flags_per_100_contacts"] == pytest.approx(30.0)


def test_latency_and_ranking(flags, timeline):
    latency = pd.DataFrame({
        "case_id": ["A", "A", "A", "B"], "event_id": ["a0", "a1", "p0", "b0"],
        "agency_kind": ["health", "health", "police", "health"],
        "latency_days": pd.array([2.0, None, 10.0, None], dtype="Float64"),
        "within_expected": pd.array([True, False, False, False], dtype="boolean"),
    })
    table = latency_by_agency_kind(latency).set_index("agency_kind")
    assert table.loc["health", "concerns"] == 3 and table.loc["health", "never_escalated"] == 2
    assert table.loc["health", "escalated_median_days"] == 2.0 and table.loc["police", "escalated_median_days"] == 10.0
    ranking = rank_cases(latency, flags, timeline)
    assert ranking[["rank", "case_id", "unescalated_concerns", "flags", "contacts"]].values.tolist() == [
        [1, "A", 1, 3, 8], [2, "B", 1, 1, 2]]
    tables = thematic_tables(flags, timeline, latency)
    assert set(tables) >= {"flags_by_rule_id", "latency_by_agency_kind", "cases_ranked"}
    for fig in (plot_flag_rates(tables["flags_by_organisation"], "organisation"),
                plot_latency_by_agency_kind(latency), plot_case_ranking(ranking)):
        assert isinstance(fig, Figure)


def test_assurance_marks_declared_compliant_with_failings(flags, timeline, tmp_path):
    path = tmp_path / "declarations.csv"
    path.write_text(
        "Organisation,Year,Standard,Declared status\n"
        "Trust X,2022,Escalation and child protection procedures,Compliant\n"
        "Force Y,2022,Information sharing,Not compliant\n"
        "Trust X,2023,Information sharing,compliant\n"
        "Force Y,2021,procedure,Partially compliant\n")
    declarations = read_declarations(path)
    assert declarations["declared_status"].tolist() == ["compliant", "not compliant", "compliant",
                                                        "insufficient assurance"]
    result = assurance_vs_evidence(declarations, flags, timeline, threshold_per_100=10, min_contacts=1)
    row = result.set_index(["organisation", "year", "standard"])
    trust = row.loc[("Trust X", "2022", "Escalation and child protection procedures")]
    assert trust["flags"] == 2 and trust["contacts"] == 6 and trust["disagreement"]
    assert trust["assessment"] == "disagree: declared compliant, failings found"
    force = row.loc[("Force Y", "2022", "Information sharing")]
    assert force["flags"] == 1 and not force["disagreement"]
    assert row.loc[("Trust X", "2023", "Information sharing"), "assessment"] == "consistent"
    assert row.loc[("Force Y", "2021", "procedure"), "assessment"] == "no evidence (no contacts)"
    assert result["disagreement"].sum() == 1 and bool(result["disagreement"].iloc[0])
    assert isinstance(plot_assurance(result), Figure)


def test_declarations_errors_name_file_row_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Organisation,Year,Standard,Status\nTrust X,2022,Information sharing,maybe\n"
                   "Trust Y,twenty,Information sharing,compliant\n")
    with pytest.raises(DeclarationsError) as info:
        read_declarations(bad)
    message = str(info.value)
    assert "bad.csv" in message and "row 2" in message and "'Status'" in message and "'maybe'" in message
    assert "row 3 'Year'" in message
    missing = tmp_path / "missing.csv"
    missing.write_text("Organisation,Standard\nTrust X,Information sharing\n")
    with pytest.raises(DeclarationsError, match="missing column.*year.*declared_status"):
        read_declarations(missing)
    with pytest.raises(DeclarationsError, match="not found"):
        read_declarations(tmp_path / "nope.xlsx")
    wrong = tmp_path / "declarations.txt"
    wrong.write_text("x")
    with pytest.raises(DeclarationsError, match=r"\.xlsx, \.xls, \.ods or \.csv"):
        read_declarations(wrong)


def test_declarations_read_from_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Organisation", "Year", "Standard", "Declared status"])
    ws.append(["Trust X", 2022, "Assessment of risk", "Non-compliant"])
    wb.save(tmp_path / "d.xlsx")
    frame = read_declarations(tmp_path / "d.xlsx")
    assert frame.iloc[0][["organisation", "year", "declared_status"]].tolist() == ["Trust X", "2022", "not compliant"]


def test_shipped_declarations_sample_reads_cleanly():
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "benchmarks" / "declarations_sample.csv"
    frame = read_declarations(sample)
    assert len(frame) == 200 and set(frame["declared_status"]) == {"compliant", "not compliant",
                                                                  "insufficient assurance"}


def _declarations_workbook(path):
    """A regulator's workbook as people make them: a title banner, a sheet per year, the organisation
    merged over its standards, a guidance sheet, a hidden working sheet."""
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    guidance = wb.active
    guidance.title = "Guidance"
    guidance.append(["How to complete this return"])
    guidance.append(["Declare each standard as compliant, not compliant or insufficient assurance."])
    for year in (2021, 2022):
        ws = wb.create_sheet(f"{year}-{year - 1999}")
        ws.append([f"Safeguarding declarations {year}/{year - 1999}"])
        ws.merge_cells("A1:D1")
        ws.append([])
        ws.append(["Organisation name", "Financial year", "Core standard", "Declared position:"])
        ws.append(["Trust X", f"{year}/{year - 1999}", "Information sharing", "Compliant"])
        ws.append([None, f"{year}/{year - 1999}", "Assessment of risk", "Not met"])
        ws.merge_cells(f"A{ws.max_row - 1}:A{ws.max_row}")
        ws.append([])
        ws.append(["Organisation name", "Financial year", "Core standard", "Declared position:"])  # next page
        ws.append(["Force Y", dt.datetime(year, 4, 1), "Information sharing", "partially met"])
        ws.append(["Force Y", dt.datetime(year, 4, 1), "Information sharing", "Partially met"])  # again
    hidden = wb.create_sheet("working")
    hidden.append(["Organisation", "Year", "Standard", "Status"])
    hidden.append(["Trust Z", 2020, "Information sharing", "compliant"])
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def test_declarations_workbook_with_titles_merged_cells_and_a_sheet_per_year(tmp_path):
    frame = read_declarations(_declarations_workbook(tmp_path / "returns.xlsx"))
    assert frame[["organisation", "year", "standard", "declared_status", "source_sheet", "source_row"]].astype(
        object).values.tolist() == [
        ["Trust X", "2021/22", "Information sharing", "compliant", "2021-22", 4],
        ["Trust X", "2021/22", "Assessment of risk", "not compliant", "2021-22", 5],  # merged organisation
        ["Force Y", "2021/22", "Information sharing", "insufficient assurance", "2021-22", 8],  # a date: the financial year it falls in
        ["Trust X", "2022/23", "Information sharing", "compliant", "2022-23", 4],
        ["Trust X", "2022/23", "Assessment of risk", "not compliant", "2022-23", 5],
        ["Force Y", "2022/23", "Information sharing", "insufficient assurance", "2022-23", 8],
    ]
    notes = "\n".join(frame.attrs["notes"])
    assert "sheet 'Guidance': no header row" in notes  # said, not silently skipped
    assert "sheet 'working': hidden, not read" in notes
    assert "sheet '2021-22': 2 row(s) above the header (row 3) skipped" in notes
    assert "2 declaration(s) repeated word for word" in notes


def test_declarations_conflicting_and_empty_rows_are_each_named(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "2022"
    ws.append(["Organisation", "Year", "Standard", "Status"])
    ws.append(["Trust X", 2022, "Information sharing", "compliant"])
    ws.append(["Trust X", 2022, "information  sharing", "not compliant"])  # the same standard, said otherwise
    ws.append([None, 2022, "Assessment of risk", "compliant"])
    ws.append(["Trust Y", "FY22", "Assessment of risk", "compliant"])
    wb.save(tmp_path / "d.xlsx")
    with pytest.raises(DeclarationsError) as info:
        read_declarations(tmp_path / "d.xlsx")
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'd.xlsx'}, sheet '2022', row 3, column 'Status': Trust X, 2022, "
                              "'information  sharing' is declared not compliant here but compliant in sheet '2022' row 2")
    assert "sheet '2022' row 4 'Organisation': organisation is empty" in message
    assert "sheet '2022' row 5 'Year': year 'FY22' is not a year" in message
    assert [p[1] for p in info.value.problems] == [3, 4, 5]


def test_declarations_without_a_header_on_any_sheet_name_the_closest_row(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("Returns 2022\n\nOrganisation,Standard,Comment\nTrust X,Information sharing,ok\n")
    with pytest.raises(DeclarationsError) as info:
        read_declarations(path)
    assert "missing column(s) year, declared_status; found Organisation, Standard, Comment" in str(info.value)
    assert info.value.row == 3


def test_declarations_get_the_readers_safety_checks(tmp_path):
    """An XML part declaring entities is refused before any parser opens it, as for chronologies."""
    from test_ingest_xml_entities import rewrite

    from review.errors import UnsafeFileError

    evil = rewrite(_declarations_workbook(tmp_path / "evil.xlsx"), "xl/worksheets/sheet2.xml",
                   lambda data: b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data)
    with pytest.raises(UnsafeFileError, match="declares XML entities"):
        read_declarations(evil)


def test_assurance_matches_organisations_as_people_write_them_and_names_the_rest(flags, timeline, tmp_path, capsys):
    path = tmp_path / "declarations.csv"
    path.write_text(
        "Organisation,Year,Standard,Declared status\n"
        "TRUST  X.,2022,Escalation and child protection procedures,Compliant\n"   # case, spacing, punctuation
        "Trust Ex,2022,Information sharing,compliant\n"                             # a name no case has
        "Force Y,2021,procedure,Partially compliant\n")                             # no contacts that year
    result = assurance_vs_evidence(read_declarations(path), flags, timeline, threshold_per_100=10, min_contacts=1)
    row = result.set_index(["organisation", "year"])
    trust = row.loc[("TRUST  X.", "2022")]
    assert trust["organisation_in_cases"] == "Trust X" and trust["flags"] == 2 and trust["disagreement"]
    assert row.loc[("Trust Ex", "2022"), "assessment"] == "organisation not in the cases"
    assert row.loc[("Trust Ex", "2022"), "organisation_in_cases"] == ""
    assert row.loc[("Force Y", "2021"), "assessment"] == "no evidence (no contacts)"
    assert result.attrs["unmatched"] == {"Trust Ex": ["Trust X"]}


def test_organisation_key():
    from review.thematic import organisation_key

    assert organisation_key("Brookford  Hospitals N.H.S. Trust") == organisation_key("brookford hospitals nhs trust")
    assert organisation_key("Health & Care Partnership") == organisation_key("Health and Care Partnership")
    assert organisation_key("Trust X") != organisation_key("Trust Y")


def test_flags_the_reviewers_rejected_are_not_counted(flags, timeline):
    decided = flags.assign(decision=["accepted", "rejected", "pending", "added"])
    rates = thematic_tables(decided, timeline, pd.DataFrame(
        {"case_id": [], "event_id": [], "agency_kind": [], "latency_days": [], "within_expected": []}))
    by_rule = rates["flags_by_rule_id"].set_index("rule_id")
    assert by_rule.loc["child_not_seen", "flags"] == 2  # the rejected one left out
    everything = thematic_tables(decided, timeline, pd.DataFrame(
        {"case_id": [], "event_id": [], "agency_kind": [], "latency_days": [], "within_expected": []}),
        include_rejected=True)
    assert everything["flags_by_rule_id"].set_index("rule_id").loc["child_not_seen", "flags"] == 3
    from review.thematic import counted_flags

    assert counted_flags(decided).attrs["rejected"] == 1 and len(counted_flags(flags)) == 4


def test_a_finding_added_under_no_rule_is_counted_under_a_name_not_a_blank(flags, timeline):
    added = pd.DataFrame({"case_id": ["B"], "rule_id": ["reviewer_finding"], "trigger_event_id": ["b1"],
                          "trigger_date": pd.to_datetime(["2023-01-10"]), "failing_category": [""],
                          "severity": [""]})
    both = pd.concat([flags, added], ignore_index=True)
    cats = flag_rates(both, timeline, "failing_category").set_index("failing_category")
    assert "" not in cats.index and cats.loc["(not categorised)", "flags"] == 1
    assert cats["flags"].sum() == 5
    no_rule = both.assign(rule_id=both["rule_id"].where(both["rule_id"] != "reviewer_finding", ""))
    assert flag_rates(no_rule, timeline, "rule_id").set_index("rule_id").loc["(no rule)", "flags"] == 1
