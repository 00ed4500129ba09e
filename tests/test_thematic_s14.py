"""Thematic tables and charts (s14): no rate over too few contacts, charts that draw only what carries
information (no zero-flag padding), and a latency table that says its quantiles are over escalated concerns."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from review.cli import main
from review.thematic import (
    LATENCY_QUANTILE_COLUMNS,
    MIN_CONTACTS_FOR_RATE,
    assurance_summary,
    assurance_vs_evidence,
    flag_rates,
    latency_by_agency_kind,
    plot_assurance,
    plot_flag_rates,
    thematic_tables,
)

TOO_FEW = "too few contacts for a rate (fewer than 20)"


@pytest.fixture
def timeline():
    """Tiny Clinic: 3 contacts (4 flags: "133 per 100"); Big Trust: 40 contacts, 2 flags; Quiet Council: 25
    contacts, no flag; all in 2022."""
    rows = [("A", f"t{i}", "health", "Tiny Clinic", "2022-03-01") for i in range(3)]
    rows += [("A", f"b{i}", "health", "Big Trust", "2022-04-01") for i in range(40)]
    rows += [("B", f"q{i}", "social care", "Quiet Council", "2022-05-01") for i in range(25)]
    frame = pd.DataFrame(rows, columns=["case_id", "event_id", "agency_kind", "organisation", "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@pytest.fixture
def flags():
    events = [("t0", "2022-03-01"), ("t1", "2022-03-01"), ("t2", "2022-03-01"), ("t2", "2022-03-01"),
              ("b0", "2022-04-01"), ("b1", "2022-04-01")]
    return pd.DataFrame({"case_id": "A", "rule_id": "child_not_seen", "trigger_event_id": [e for e, _ in events],
                         "trigger_date": pd.to_datetime([d for _, d in events]), "failing_category": "procedure",
                         "severity": "high"})


def test_a_rate_over_too_few_contacts_is_left_empty_and_the_row_says_why(flags, timeline):
    assert MIN_CONTACTS_FOR_RATE == 20
    rates = flag_rates(flags, timeline, "organisation").set_index("organisation")
    tiny = rates.loc["Tiny Clinic"]
    # before: 4 flags / 3 contacts shown as 133.3 per 100 contacts, first in the table
    assert (tiny["flags"], tiny["contacts"]) == (4, 3)
    assert pd.isna(tiny["flags_per_100_contacts"]) and tiny["note"] == TOO_FEW
    assert rates.loc["Big Trust", "flags_per_100_contacts"] == pytest.approx(5.0)
    assert rates.loc["Big Trust", "note"] == ""
    # an organisation with contacts and no flag is listed: its zero is evidence
    assert rates.loc["Quiet Council", ["flags", "contacts"]].tolist() == [0, 25]
    assert rates.loc["Quiet Council", "flags_per_100_contacts"] == 0
    assert rates.index.tolist() == ["Big Trust", "Quiet Council", "Tiny Clinic"]  # no rate: last
    # the minimum is configurable: with 2, the tiny clinic has its rate
    two = flag_rates(flags, timeline, "organisation", min_contacts=2).set_index("organisation")
    assert two.loc["Tiny Clinic", "flags_per_100_contacts"] == pytest.approx(400 / 3)
    assert two.loc["Tiny Clinic", "note"] == ""
    for bad in (0, -3, 2.5, "many", True):
        with pytest.raises(ValueError, match="minimum number of contacts"):
            flag_rates(flags, timeline, "organisation", min_contacts=bad)
    # by rule: every contact is the denominator (68): a rate
    by_rule = flag_rates(flags, timeline, "rule_id").set_index("rule_id")
    assert by_rule.loc["child_not_seen", "flags_per_100_contacts"] == pytest.approx(600 / 68)
    assert by_rule.loc["nonmobile_injury", "flags"] == 0 and by_rule.loc["nonmobile_injury", "note"] == ""


def test_the_rate_chart_draws_only_groups_with_flags_and_a_rate(flags, timeline):
    rates = flag_rates(flags, timeline, "organisation")
    fig = plot_flag_rates(rates, "organisation")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Big Trust"]  # before: Tiny Clinic at 133 and Quiet Council at 0 drawn too
    assert fig._suptitle.get_text().replace("\n", " ") == ("Flags per 100 contacts by organisation (1 with fewer than 20 contacts "
                                        "not shown; 1 with no flags not shown)")
    # the failing categories without flags fill no chart either (the table lists them, at 0)
    categories = flag_rates(flags, timeline, "failing_category")
    assert len(categories) == 5 and (categories["flags"] == 0).sum() == 4
    fig = plot_flag_rates(categories, "failing_category")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["procedure"]
    assert fig._suptitle.get_text().endswith("(4 with no flags not shown)")


def _declarations():
    return pd.DataFrame({
        "organisation": ["Tiny Clinic", "Big Trust", "Quiet Council", "Quiet Council", "Big Trust"],
        "year": ["2022", "2022", "2022", "2019", "2022"],
        "standard": ["Escalation and child protection procedures"] * 4 + ["Information sharing"],
        "declared_status": ["compliant", "compliant", "compliant", "compliant", "not compliant"],
        "source_sheet": "d", "source_row": [2, 3, 4, 5, 6]})


def test_assurance_keeps_a_zero_only_where_it_is_evidence_and_no_rate_over_too_few_contacts(flags, timeline):
    result = assurance_vs_evidence(_declarations(), flags, timeline)
    row = result.set_index(["organisation", "year", "standard"])
    tiny = row.loc[("Tiny Clinic", "2022", "Escalation and child protection procedures")]
    # before: 4 flags / 3 contacts, 133 per 100: "disagree" and drawn first
    assert (tiny["flags"], tiny["contacts"]) == (4, 3) and pd.isna(tiny["flags_per_100_contacts"])
    assert tiny["assessment"] == TOO_FEW and pd.isna(tiny["disagreement"])  # no evidence either way
    big = row.loc[("Big Trust", "2022", "Escalation and child protection procedures")]
    assert big["assessment"] == "disagree: declared compliant, failings found" and big["disagreement"]
    quiet = row.loc[("Quiet Council", "2022", "Escalation and child protection procedures")]
    assert (quiet["flags"], quiet["contacts"], quiet["assessment"]) == (0, 25, "consistent")  # a zero that is evidence
    gone = row.loc[("Quiet Council", "2019", "Escalation and child protection procedures")]
    assert gone["contacts"] == 0 and pd.isna(gone["flags"])  # no contacts: a zero there would be no evidence
    assert gone["assessment"] == "no evidence (no contacts)"
    assert (result["min_contacts"] == 20).all()
    assert assurance_summary(result)[0] == (
        "1 of 3 assessable declarations disagree with the evidence (5 declared; not assessable: 1 no contacts that "
        "year, 1 fewer than 20 contacts that year (no rate))")
    # the chart: the declarations with flags and a rate; the zero-flag ones are counted in the title
    fig = plot_assurance(result)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Big Trust 2022 · Escalation and child protection procedures"]
    assert fig._suptitle.get_text().replace("\n", " ") == "Declared compliance against evidence of failings (2 with no flags not shown)"
    # with a lower minimum the tiny clinic is judged
    lower = assurance_vs_evidence(_declarations(), flags, timeline, min_contacts=3).set_index("organisation")
    assert lower.loc["Tiny Clinic", "assessment"] == "disagree: declared compliant, failings found"


def test_latency_table_names_its_quantiles_as_over_the_escalated_concerns():
    latency = pd.DataFrame({
        "case_id": "A", "event_id": [f"e{i}" for i in range(5)], "agency_kind": "health",
        "latency_days": pd.array([2.0, 4.0, None, None, None], dtype="Float64"),
        "first_escalation_event_id": ["x1", "x2", "x3", "", ""],  # e2 escalated, dated to the month: no days
        "within_expected": pd.array([True, False, False, False, False], dtype="boolean")})
    table = latency_by_agency_kind(latency)
    assert table.columns.tolist() == ["agency_kind", "concerns", "escalated", "escalated_with_days", "never_escalated",
                                      "died_before_window", "within_expected_share", *LATENCY_QUANTILE_COLUMNS]
    assert all(c.startswith("escalated_") for c in LATENCY_QUANTILE_COLUMNS)
    [row] = table.to_dict("records")
    assert (row["concerns"], row["escalated"], row["escalated_with_days"], row["never_escalated"]) == (5, 3, 2, 2)
    assert row["escalated_median_days"] == 3.0 and row["escalated_max_days"] == 4.0  # the 2 never escalated: in none
    assert row["within_expected_share"] == pytest.approx(0.2)
    empty = latency_by_agency_kind(latency.iloc[:0])
    assert empty.empty and empty.columns.tolist() == table.columns.tolist()


def test_thematic_tables_pass_the_minimum_on(flags, timeline):
    latency = pd.DataFrame({"case_id": [], "event_id": [], "agency_kind": [], "latency_days": [], "within_expected": []})
    tables = thematic_tables(flags, timeline, latency, min_contacts=3)
    org = tables["flags_by_organisation"].set_index("organisation")
    assert org.loc["Tiny Clinic", "flags_per_100_contacts"] == pytest.approx(400 / 3)


def test_review_thematic_min_contacts_option_and_manifest(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["synth", "--cases", "3", "--seed", "5", "--store", str(store), "--no-progress"]) == 0
    with pytest.raises(SystemExit) as info:
        main(["thematic", "--store", str(store), "--out", str(tmp_path / "bad"), "--min-contacts", "0"])
    assert info.value.code == 2 and "--min-contacts" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()
    for n, out in ((None, tmp_path / "default"), ("1000", tmp_path / "high")):
        args = ["thematic", "--store", str(store), "--out", str(out), "--formats", "svg"]
        assert main(args + (["--min-contacts", n] if n else [])) == 0
    capsys.readouterr()
    default = pd.read_csv(tmp_path / "default" / "flags_by_organisation.csv", keep_default_na=False)
    assert "note" in default.columns
    few = default[default["contacts"] < 20]
    assert len(few) and (few["note"] == TOO_FEW).all() and (few["flags_per_100_contacts"] == "").all()
    high = pd.read_csv(tmp_path / "high" / "flags_by_organisation.csv", keep_default_na=False)
    assert (high["note"] == "too few contacts for a rate (fewer than 1000)").all()
    manifest = json.loads((tmp_path / "high" / "manifest.json").read_text())
    assert manifest["options"]["min_contacts"] == 1000
    assert json.loads((tmp_path / "default" / "manifest.json").read_text())["options"]["min_contacts"] == 20
    assert main(["verify", str(tmp_path / "high")]) == 0  # re-run with the recorded minimum: the same files
