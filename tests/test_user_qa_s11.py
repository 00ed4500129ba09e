"""A reviewer's first case, from scratch (session 11 QA): what went wrong for a real user, each fixed.

1. Agency names. An agency's own chronology writes its name in an Agency column by hand: "westshire
   health visiting" on one row and "Westshire Health Visiting" on the next were two agencies (two swimlane
   lanes, "6 agencies" in the headline, one of them of kind "other"). Names that differ only in case,
   spacing or punctuation are now one agency, spelt as case.yml declares it (else as most rows do), with a
   note; a name a letter or two away ("Westshire Health Visting") is left as written but warned about,
   naming the vocab.yml alias that merges it.
"""
from __future__ import annotations

import csv
from pathlib import Path

from review.config import load_case_config
from review.ingest import load_contacts

HV_HEADER = ["Date of contact", "Agency", "Type of contact", "Details of contact", "Outcome"]


def _hv_case(tmp_path: Path, agencies: list[str], declared: str = "Westshire Health Visiting") -> Path:
    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yml").write_text(
        "case_id: QA11\ndate_of_birth: 2006-11-20\nreview_date: 2008-03-31\n"
        f"files:\n  - {{path: hv.csv, agency: {declared}}}\n",
        encoding="utf-8",
    )
    with open(case / "hv.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HV_HEADER)
        for day, agency in enumerate(agencies, start=1):
            writer.writerow([f"{day:02d}/02/2007", agency, "home visit", f"Visit {day}.", "Routine"])
    return case


def test_agency_names_differing_only_in_case_and_punctuation_are_one_agency(tmp_path):
    case = _hv_case(tmp_path, ["Westshire Health Visiting", "westshire health visiting",
                               "WESTSHIRE HEALTH-VISITING", "Westshire Health Visiting"])
    contacts, report = load_contacts(load_case_config(case))
    assert contacts["agency"].tolist() == ["Westshire Health Visiting"] * 4
    assert contacts["agency_kind"].tolist() == ["health"] * 4
    assert contacts["organisation"].tolist() == ["Westshire Health Visiting"] * 4
    notes = report.files[0].notes
    assert "agency 'westshire health visiting' read as 'Westshire Health Visiting' (the same name written with " \
           "other capitals, spaces or punctuation) (row 3)" in notes
    assert any("'WESTSHIRE HEALTH-VISITING' read as 'Westshire Health Visiting'" in n and "(row 4)" in n for n in notes)
    assert report.balanced


def test_the_spelling_most_rows_use_wins_when_case_yml_declares_none(tmp_path):
    case = _hv_case(tmp_path, ["NORTH CAIT", "North CAIT", "North CAIT"], declared="")
    contacts, _ = load_contacts(load_case_config(case))
    assert set(contacts["agency"]) == {"North CAIT"}
    assert set(contacts["agency_kind"]) == {"police"}


def test_a_misspelt_agency_is_kept_as_written_and_warned_about(tmp_path):
    case = _hv_case(tmp_path, ["Westshire Health Visiting", "Westshire Health Visting", "Westshire Health Visiting"])
    contacts, report = load_contacts(load_case_config(case))
    assert contacts["agency"].tolist() == ["Westshire Health Visiting", "Westshire Health Visting",
                                           "Westshire Health Visiting"]
    warnings = [(w.row, w.column, w.message) for w in report.files[0].warnings]
    assert (3, "Agency", "agency 'Westshire Health Visting' (1 row(s)) looks like 'Westshire Health Visiting' "
            "(2 row(s)) misspelt: read as written, as another agency; if they are one agency, add "
            "'Westshire Health Visting' to the aliases of 'Westshire Health Visiting' under `agencies:` in the "
            "case's vocab.yml") in warnings


def test_the_alias_the_warning_names_merges_the_agency(tmp_path):
    case = _hv_case(tmp_path, ["Westshire Health Visiting", "Westshire Health Visting"])
    (case / "vocab.yml").write_text(
        "agencies:\n  Westshire Health Visiting:\n    aliases: [Westshire Health Visting]\n    kind: health\n",
        encoding="utf-8",
    )
    contacts, report = load_contacts(load_case_config(case))
    assert set(contacts["agency"]) == {"Westshire Health Visiting"}
    assert not report.files[0].warnings


def test_different_agencies_are_not_merged_or_warned_about(tmp_path):
    case = _hv_case(tmp_path, ["Westshire Police", "Westshire Health Visiting", "Riverside GP Surgery"])
    contacts, report = load_contacts(load_case_config(case))
    assert contacts["agency"].tolist() == ["Westshire Police", "Westshire Health Visiting", "Riverside GP Surgery"]
    assert not report.files[0].warnings
    assert not any("read as" in n for n in report.files[0].notes)
