"""s18 thematic tables: the assurance headline's denominator, organisations named only by a generic agency word,
censored concerns, small numbers and rounding, stable redacted case numbers."""
from __future__ import annotations

import pandas as pd

from review.thematic import TOO_FEW_CONTACTS, assurance_summary


def _declarations(assessments: list[str], disagreement: list) -> pd.DataFrame:
    return pd.DataFrame({"disagreement": pd.array(disagreement, dtype="boolean"),
                         "assessment": assessments, "min_contacts": 20})


def test_the_assurance_headline_counts_only_the_assessable_declarations():
    too_few = f"{TOO_FEW_CONTACTS} (fewer than 20)"
    # before: "0 of 37 declarations disagree with the evidence (0 could be set beside evidence; ...)"
    none = _declarations(["organisation not in the cases"] + [too_few] * 33 + ["standard not evidenced by the rules"] * 3,
                         [None] * 37)
    assert assurance_summary(none)[0] == (
        "0 of 0 assessable declarations disagree with the evidence: none could be assessed (37 declared; not "
        "assessable: 1 organisation not in the cases, 33 fewer than 20 contacts that year (no rate), 3 standard no "
        "rule evidences)")
    some = _declarations(["disagree: declared compliant, failings found", "consistent", too_few],
                         [True, False, None])
    assert assurance_summary(some)[0] == (
        "1 of 2 assessable declarations disagree with the evidence (3 declared; not assessable: 1 fewer than 20 "
        "contacts that year (no rate))")
    every = _declarations(["consistent", "consistent"], [False, False])
    assert assurance_summary(every)[0] == "0 of 2 assessable declarations disagree with the evidence"


def _latency_with_a_death() -> pd.DataFrame:
    """Case D (the child died): 4 concerns, 1 escalated in 3 days, 1 never escalated, 2 the death censored; case L:
    2 concerns, 1 never escalated."""
    return pd.DataFrame({
        "case_id": ["D", "D", "D", "D", "L", "L"],
        "event_id": ["d1", "d2", "d3", "d4", "l1", "l2"],
        "agency_kind": ["health", "health", "health", "social care", "health", "social care"],
        "latency_days": [3.0, None, None, None, 10.0, None],
        "within_expected": [True, False, False, False, True, False],
        "first_escalation_event_id": ["d9", "", "", "", "l9", ""],
        "died_before_window": [False, False, True, True, False, False],
    })


def test_cases_ranked_counts_the_concerns_the_death_censored_apart():
    from review.thematic import rank_cases

    latency = _latency_with_a_death()
    timeline = pd.DataFrame({"case_id": ["D"] * 18 + ["L"] * 13, "event_id": [f"e{i}" for i in range(31)]})
    flags = pd.DataFrame({"case_id": ["L", "L"], "rule_id": ["r", "r"], "severity": ["high", "low"]})
    ranked = rank_cases(latency, flags, timeline).set_index("case_id")
    assert ranked.columns.tolist() == ["rank", "contacts", "concerns", "escalated_concerns", "unescalated_concerns",
                                       "died_before_window", "flags", "high_severity_flags"]
    # before: D had 3 unescalated concerns (the 2 the death censored among them) and ranked first
    assert ranked.loc["D", ["contacts", "concerns", "escalated_concerns", "unescalated_concerns",
                            "died_before_window"]].tolist() == [18, 4, 1, 1, 2]
    assert ranked.loc["L", ["contacts", "concerns", "escalated_concerns", "unescalated_concerns",
                            "died_before_window", "flags"]].tolist() == [13, 2, 1, 1, 0, 2]
    assert ranked["rank"].to_dict() == {"L": 1, "D": 2}  # tied on unescalated: L has more flags
    from review.thematic import plot_case_ranking

    fig = plot_case_ranking(ranked.reset_index())
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["L\n1/2 concerns unescalated · 13 contacts", "D\n1/4 concerns unescalated · 18 contacts, "
                      "2 child died first"]
    assert [c.get_label() for c in fig.axes[0].containers] == [
        "unescalated concerns", "not escalated before the child died (censored)"]


def test_latency_csv_and_chart_agree_on_the_concerns_the_death_censored():
    from review.thematic import latency_by_agency_kind, plot_latency_by_agency_kind

    latency = _latency_with_a_death()
    table = latency_by_agency_kind(latency).set_index("agency_kind")
    # before: health never_escalated 2 (the death-censored one in it) while the chart said "1/4 never escalated"
    assert table.loc["health", ["concerns", "escalated", "never_escalated", "died_before_window"]].tolist() == [4, 2, 1, 1]
    assert table.loc["social care", ["concerns", "escalated", "never_escalated", "died_before_window"]].tolist() == [2, 0, 1, 1]
    assert (table["concerns"] == table["escalated"] + table["never_escalated"] + table["died_before_window"]).all()
    labels = [t.get_text() for t in plot_latency_by_agency_kind(latency).axes[0].get_yticklabels()]
    assert labels == ["health\n1/4 never escalated, 1 child died first",
                      "social care\n1/2 never escalated, 1 child died first"]


def test_generic_organisation_names_say_the_kind_not_the_organisation():
    from review.thematic import generic_organisation

    for name in ("gp", "health_visiting", "social_care", "Social Care", "Police", "hv_log", "GP chronology 2023",
                 "Children's Social Care", "school", "ED"):
        assert generic_organisation(name), name
    for name in ("Hartwick Council", "Ashcombe Medical Practice", "Westshire Police", "Redvale Health Visiting",
                 "gp_tanner_street_surgery", "Calby Nursery 2", "", "(unknown)"):
        assert not generic_organisation(name), name


def _two_cases_named_by_their_files():
    """Cases A and B without `files:`: each has gp.csv (organisation "gp") and a named trust."""
    timeline = pd.DataFrame({
        "case_id": ["A"] * 6 + ["B"] * 4,
        "event_id": [f"a{i}" for i in range(6)] + [f"b{i}" for i in range(4)],
        "date": pd.to_datetime(["2023-05-01"] * 10),
        "agency_kind": ["health"] * 10,
        "organisation": ["gp", "gp", "gp", "Brook NHS Trust", "Brook NHS Trust", "GP"] + ["gp", "gp", "Brook NHS Trust",
                                                                                           "Brook NHS Trust"],
        "source_file": ["gp.csv", "gp.csv", "gp.csv", "trust.xlsx", "trust.xlsx", "gp.csv",
                        "gp.xlsx", "gp.xlsx", "trust.xlsx", "trust.xlsx"],
    })
    flags = pd.DataFrame({"case_id": ["A", "A", "B"], "trigger_event_id": ["a0", "a1", "b0"],
                          "rule_id": ["r1", "r1", "r1"], "failing_category": ["escalation"] * 3,
                          "severity": ["high"] * 3})
    return timeline, flags


def test_an_organisation_named_only_by_its_file_is_one_per_case_not_pooled_across_cases():
    from review.thematic import flag_rates, organisations_apart_notes

    timeline, flags = _two_cases_named_by_their_files()
    table = flag_rates(flags, timeline, "organisation", min_contacts=1).set_index("organisation")
    # before: one "gp" of 6 contacts, 3 flags, 2 cases
    assert table.loc[["gp (case A)", "gp (case B)"], ["flags", "cases", "contacts"]].values.tolist() == [[2, 1, 4],
                                                                                                   [1, 1, 2]]
    assert table.loc["Brook NHS Trust", ["flags", "cases", "contacts"]].tolist() == [0, 0, 4]  # a real one: pooled
    assert "gp" not in table.index and "GP" not in table.index
    kinds = flag_rates(flags, timeline, "agency_kind", min_contacts=1).set_index("agency_kind")
    assert kinds.loc["health", ["flags", "contacts"]].tolist() == [3, 10]  # the agency-kind table counts them
    [note] = organisations_apart_notes(table.attrs["organisations_apart"])
    assert note.startswith("organisation 'gp' is only a generic agency word (taken from the file name), not one "
                           "organisation across cases: counted apart per case in flags_by_organisation.csv and the "
                           "assurance comparison, as 'gp (case A)' (A: gp.csv, 4 contacts; B: gp.xlsx, 2 contacts)")


def test_the_assurance_comparison_does_not_match_a_declared_generic_name_to_the_cases_pooled():
    from review.thematic import assurance_vs_evidence

    timeline, flags = _two_cases_named_by_their_files()
    declared = pd.DataFrame({"organisation": ["GP", "Brook NHS Trust"], "year": ["2023", "2023"],
                             "standard": ["Escalation and child protection procedures"] * 2,
                             "declared_status": ["compliant", "compliant"], "source_sheet": "", "source_row": [2, 3]})
    result = assurance_vs_evidence(declared, flags, timeline, min_contacts=1).set_index("organisation")
    # before: "GP" matched the pooled "gp" of both cases: 3 flags of 6 contacts, "disagree"
    assert result.loc["GP", "assessment"] == "organisation not in the cases" and pd.isna(result.loc["GP", "flags"])
    assert result.loc["Brook NHS Trust", ["contacts", "flags"]].tolist() == [4, 0]
    lines = assurance_summary(result)
    assert ("declared organisation 'GP' is only a generic agency word: the cases' 'GP' are kept apart per case "
            "(gp (case A), gp (case B)), none of them is the one declared") in lines


def test_shares_follow_the_small_number_rule_of_the_rates():
    from review.thematic import sightings_by_agency_kind, small_number_shares, SHARE_DENOMINATORS

    # health: 25 contacts, 20 seen, 4 face to face (all seen); police: 2 contacts, 1 seen
    timeline = pd.DataFrame({
        "case_id": ["A"] * 27, "event_id": [f"e{i}" for i in range(27)],
        "date": pd.to_datetime(["2023-01-01"] * 27),
        "agency_kind": ["health"] * 25 + ["police"] * 2,
        "contact_type": ["home_visit"] * 4 + ["phone_call"] * 21 + ["phone_call"] * 2,
        "child_seen": pd.array([True] * 20 + [False] * 5 + [True, False], dtype="boolean"),
    })
    table = small_number_shares(sightings_by_agency_kind(timeline), SHARE_DENOMINATORS["sightings_by_agency_kind"],
                                min_contacts=20).set_index("agency_kind")
    assert table.loc["health", "seen_share"] == 0.8 and table.loc["health", "face_to_face"] == 4
    # before: police 1 of 2 seen was "0.5", and health's 4 face-to-face contacts a share of 1.0
    assert pd.isna(table.loc["police", "seen_share"]) and pd.isna(table.loc["police", "recorded_share"])
    assert table.loc["police", ["contacts", "seen_recorded", "not_seen_recorded"]].tolist() == [2, 1, 1]
    assert table.loc["police", "note"] == ("too few for a share (fewer than 20): seen_share, recorded_share")
    assert pd.isna(table.loc["health", "face_to_face_seen_share"])
    assert table.loc["health", "note"] == "too few for a share (fewer than 20): face_to_face_seen_share"
    loose = small_number_shares(sightings_by_agency_kind(timeline), SHARE_DENOMINATORS["sightings_by_agency_kind"],
                                min_contacts=1).set_index("agency_kind")
    assert loose.loc["police", "seen_share"] == 0.5 and loose.loc["police", "note"] == ""


def test_csv_rates_and_shares_are_rounded_to_a_stated_precision():
    from review.thematic import rounded_for_csv

    table = pd.DataFrame({"group": ["a", "b", "c"],
                          "flags_per_100_contacts": pd.array([100 / 3, 12.25, None], dtype="Float64"),
                          "seen_share": [0.4264705882352941, 0.0625, 2 / 3],
                          "escalated_p90_days": [10.199999999999994, 0.05, 86.0],
                          "threshold_per_100": [1.2345, 1.2345, 1.2345], "flags": [1, 2, 3]})
    out = rounded_for_csv(table)
    # before: 33.333333333333336, 0.4264705882352941, 10.199999999999994 in the csvs
    assert out["flags_per_100_contacts"].tolist()[:2] == [33.3, 12.3] and pd.isna(out["flags_per_100_contacts"][2])
    assert out["seen_share"].tolist() == [0.426, 0.063, 0.667]  # half up: 0.0625 -> 0.063
    assert out["escalated_p90_days"].tolist() == [10.2, 0.1, 86.0]
    assert out["threshold_per_100"].tolist() == [1.2345] * 3 and out["flags"].tolist() == [1, 2, 3]
    assert table["seen_share"][0] == 0.4264705882352941  # the table itself keeps every digit


def test_the_charts_show_n_beside_every_rate_and_share_and_leave_small_numbers_out():
    from review.thematic import plot_assurance, plot_sightings_by_agency_kind

    assurance = pd.DataFrame({"organisation": ["Big Trust", "Small Trust"], "year": ["2023", "2023"],
                              "standard": ["Escalation"] * 2, "declared_status": ["compliant"] * 2,
                              "contacts": [40, 30], "flags": pd.array([6, 1], dtype="Int64"),
                              "flags_per_100_contacts": pd.array([15.0, 100 / 30], dtype="Float64"),
                              "disagreement": pd.array([True, True], dtype="boolean"), "threshold_per_100": 1.0})
    texts = [t.get_text() for t in plot_assurance(assurance).axes[0].texts]
    assert texts == ["6 / 40", "1 / 30"]  # before: no n beside the rates
    sightings = pd.DataFrame({"agency_kind": ["health", "police"], "contacts": [25, 2], "seen_recorded": [20, 1],
                              "seen_read": [0, 0], "not_seen_recorded": [5, 1], "not_seen_read": [0, 0],
                              "unknown": [0, 0], "seen_share": [0.8, 0.5], "recorded_share": [1.0, 1.0],
                              "face_to_face": pd.array([20, 2], dtype="Int64"),
                              "face_to_face_seen_share": pd.array([0.9, 1.0], dtype="Float64"), "cases": [1, 1]})
    fig = plot_sightings_by_agency_kind(sightings, min_contacts=20)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["health"]  # police: 2 contacts, not drawn
    assert [t.get_text() for t in fig.axes[0].texts] == ["20 / 25; ◆ 18 / 20"]
    assert fig._suptitle.get_text().replace("\n", " ") == ("Was the child seen? Contacts by agency kind (1 with fewer "
                                                           "than 20 contacts not shown)")
    both = plot_sightings_by_agency_kind(sightings, min_contacts=1)
    assert [t.get_text() for t in both.axes[0].texts] == ["20 / 25; ◆ 18 / 20", "1 / 2; ◆ 2 / 2"]


def _ledger(store, entries):
    import json

    store.mkdir(exist_ok=True)
    with (store / "ledger.jsonl").open("a", encoding="utf-8") as fh:
        for case_id, part, status in entries:
            entry = {"case_id": case_id, "part": part, "status": status}
            if status == "complete":
                entry["input_hash"] = f"hash-{case_id}"
            fh.write(json.dumps(entry) + "\n")


def test_redacted_case_numbers_stay_when_cases_are_added_fail_or_go(tmp_path):
    from review.thematic_report import case_pseudonyms

    store = tmp_path / "store"
    first = [f"CSPR-{n}-2024" for n in ("Ashdown", "Brook", "Cole", "Dean", "Evans", "Fox")]
    _ledger(store, [(c, "batch-1", "writing") for c in first] + [(c, "batch-1", "complete") for c in first])
    inputs = {c: f"hash-{c}" for c in first}
    before = case_pseudonyms(inputs, store_dir=store)
    assert sorted(before.values()) == [f"case {n:02d}" for n in range(1, 7)]
    assert [before[c] for c in first] != sorted(before.values())  # not in the ids' alphabetical order
    # a case that failed (no "complete" line), then a new one stored after, then one of the first rebuilt
    _ledger(store, [("AAA-Failed", "batch-2", "writing"), ("CSPR-Abbot-2025", "batch-3", "writing"),
                    ("CSPR-Abbot-2025", "batch-3", "complete"), ("CSPR-Cole-2024", "batch-4", "complete")])
    after = case_pseudonyms({**inputs, "CSPR-Abbot-2025": "hash-CSPR-Abbot-2025"}, store_dir=store)
    # before s18 (numbered by a hash of every case's inputs) adding Abbot renumbered the others
    assert {c: after[c] for c in first} == before
    assert after["CSPR-Abbot-2025"] == "case 07"
    # a case taken out (failed on a rebuild) leaves its number unused: none moves up
    without = case_pseudonyms({c: h for c, h in inputs.items() if c != "CSPR-Brook-2024"}, store_dir=store)
    assert {c: without[c] for c in first if c != "CSPR-Brook-2024"} == {c: before[c] for c in first
                                                                        if c != "CSPR-Brook-2024"}
    # the failed case, once it builds, takes the next number
    _ledger(store, [("AAA-Failed", "batch-5", "complete")])
    assert case_pseudonyms(inputs, store_dir=store)["AAA-Failed"] == "case 08"


def test_a_redacted_case_is_named_once_in_the_organisation_kept_apart():
    from review.thematic import organisations_apart

    timeline, _ = _two_cases_named_by_their_files()
    labels, items = organisations_apart(timeline.assign(case_id=timeline["case_id"].map({"A": "case 02", "B": "case 01"})))
    assert sorted(set(labels)) == ["Brook NHS Trust", "gp (case 01)", "gp (case 02)"]  # not "gp (case case 01)"
    assert [(i["label"], i["contacts"], i["files"]) for i in items] == [("gp (case 01)", 2, ["gp.xlsx"]),
                                                                        ("gp (case 02)", 4, ["gp.csv"])]
