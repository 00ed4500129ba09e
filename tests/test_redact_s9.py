"""The anonymised view's gaps closed in session 9:

1. a day and month with no year ("seen 14/03", "on 14.3", "14th March", "March 14th") is given to the
   month, and numbers that are not dates ("3/4 of", "1/2 dose", "EPDS 14/20", "14:03") are left;
2. a listed address is found with its street kind abbreviated ("12, Acacia Ave." for "12 Acacia Avenue");
3. postcodes are found in any case and spacing ("n1 9gu", "N19GU", "n1  9gu");
4. a date known only to the year shows as its year in every output of the anonymised view (and the
   named view's HTML and workbook show a date to its precision, as its Word export does);
5. `review flags --redact` prints and writes what `review build --redact` shows.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import docx
import openpyxl
import pytest

import review.build as build_module
from review.cli import main
from review.config import load_case_config
from review.export import save_figure
from review.redact import Redactor, month_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cases" / "sample"


# ---------------------------------------------------------------------------------------------------
# 1. a day and month with no year
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seen 14/03", "seen Mar"),
        ("on 14.3", "in Mar"),
        ("On the 14/03 at home", "In Mar at home"),
        ("14th March", "March"),
        ("March 14th", "March"),
        ("on March 14th-16th", "in March"),
        ("seen March 3 at home", "seen March at home"),
        ("March 3.", "March."),
        ("seen 14/03 and 16/03", "seen Mar and Mar"),
        ("w/c 14/03", "w/c Mar"),
        ("Tuesday 14.3 visit", "Mar visit"),  # the weekday goes with the day (test_weekdays_s9.py; was "Tuesday Mar visit")
        ("dated 29/02", "dated Feb"),  # a leap day is a day
        ("Seen on 14/03/2023", "Seen in Mar 2023"),  # with a year, as before
    ],
)
def test_a_day_and_month_without_a_year_is_given_to_the_month(text, expected):
    assert month_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "3/4 of the time", "1/2 dose", "seen 1/2 dose", "EPDS 14/20", "score 14/30", "at 14:03", "seen 14:03",
        "seen 10.30", "on 2.5 mg", "Apgar 9/10", "reduced by 1/2", "from 3/4 of", "seen 31/02", "seen 14/13",
        "In March 3 visits", "March 3 children", "may 3", "March 2024", "March 3.5", "aged 3-4 months",
        "seen 3/4 times", "seen 3/7 ago", "2/12 history", "next 6/12", "last 3/7", "on 2.3kg",
        "from 1/2 hourly to 4 hourly",
    ],
)
def test_numbers_that_are_not_a_day_and_month_are_left(text):
    assert month_text(text) == text


def test_the_redactor_gives_a_day_and_month_to_the_month_with_the_names():
    redactor = Redactor(people={"Kerry Brook": "Mother"})
    assert redactor.text("Kerry seen 14/03, next appt March 28th") == "Mother seen Mar, next appt March"
    assert Redactor(people={"Kerry Brook": "Mother"}, date_resolution="day").text("Kerry seen 14/03") == "Mother seen 14/03"


# ---------------------------------------------------------------------------------------------------
# 2. addresses with their street kind abbreviated
# ---------------------------------------------------------------------------------------------------
ADDRESSES = ("12 Acacia Avenue, Eastborough", "Flat 3, Brontë Court", "4 Mill Road", "St Mary's Street",
             "7 Elm Close", "Rose Lane", "Hill Crescent", "Oak Drive", "Kew Gardens", "Kings Place",
             "Market Square")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seen at 12, Acacia Ave.", "seen at [address]."),
        ("12 Acacia Ave. Mother", "[address]. Mother"),
        ("12 ACACIA AV", "[address]"),
        ("12 acacia avenue", "[address]"),
        ("Bronte Ct", "[address]"),
        ("4 Mill Rd.", "[address]."),
        ("St Mary's St", "[address]"),
        ("7 Elm Cl", "[address]"),
        ("Rose Ln", "[address]"),
        ("Hill Cres", "[address]"),
        ("Oak Dr", "[address]"),
        ("Kew Gdns", "[address]"),
        ("Kings Pl", "[address]"),
        ("Market Sq", "[address]"),
        ("moved from 12 Acacia Ave, Eastborough", "moved from [address]"),
    ],
)
def test_a_listed_address_is_found_with_its_street_kind_abbreviated(text, expected):
    redactor = Redactor(addresses=ADDRESSES)
    assert redactor.text(text) == expected
    assert redactor.names_found(redactor.text(text)) == []


@pytest.mark.parametrize("text", ["Acacia Avenues", "Mill Roadside", "Street Mary's Street", "Eastborough Police",
                                  "Acacia Aves"])
def test_what_is_not_the_listed_address_is_left(text):
    assert Redactor(addresses=ADDRESSES).text(text) == text


def test_a_doctors_name_is_no_address():
    # "Dr Oak" is no "Oak Drive": a professional's name, hidden as one since s14 (was left as written)
    assert Redactor(addresses=ADDRESSES).text("Dr Oak said") == "Dr [name] said"


# ---------------------------------------------------------------------------------------------------
# 3. postcodes in any case and spacing
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lives at n1 9gu now", "lives at [postcode] now"),
        ("N19GU", "[postcode]"),
        ("n1  9gu", "[postcode]"),
        ("sw1a 1aa.", "[postcode]."),
        ("Sw1A 1aa", "[postcode]"),
        ("EB1 2XY", "[postcode]"),
    ],
)
def test_postcodes_are_found_in_any_case_and_spacing(text, expected):
    redactor = Redactor()
    assert redactor.text(text) == expected
    assert redactor.names_found(text) != [] and redactor.names_found(redactor.text(text)) == []


@pytest.mark.parametrize("text", ["room b12 1st floor", "room B12 1st floor", "vitamin b12 5mg", "the a1 2nd exit",
                                  "covid19 test", "h1n1 flu", "seen at 9am", "m25 junction"])
def test_words_and_numbers_are_not_postcodes(text):
    redactor = Redactor()
    assert redactor.text(text) == text
    assert redactor.names_found(text) == []


# ---------------------------------------------------------------------------------------------------
# 4. a date known only to the year
# ---------------------------------------------------------------------------------------------------
CASE_YML = """\
case_id: CSPR-Smith-2024
child_name: Amy Smith
date_of_birth: 2022-03-14
people: {Jo Smith: Mother}
addresses: ["4 Mill Road"]
"""
CHRONOLOGY = """\
Date,Agency,Practitioner,Type of contact,Details of contact,Outcome,Child seen
2023,GP,GP,clinic appointment,Amy seen (year only),None,yes
05/2023,GP,GP,clinic appointment,Amy seen (month only),None,yes
10/04/2023,GP,HV,home visit,"Amy seen at 4 Mill Rd, n1 9gu; next visit on 14/05",None,yes
"""


@pytest.fixture(scope="module")
def year_case(tmp_path_factory):
    root = tmp_path_factory.mktemp("year")
    case = root / "case"
    case.mkdir()
    (case / "case.yml").write_text(CASE_YML, encoding="utf-8")
    (case / "gp.csv").write_text(CHRONOLOGY, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_module, "save_figure", lambda fig, stem, d: save_figure(fig, stem, d, ("svg",)))
        build_module.build_report(case, root / "named", progress=False)
        build_module.build_report(case, root / "anonymised", redact=True, progress=False)
    return root


def _dates(out: Path) -> dict:
    """The three contacts' dates as each output shows them, in the chronology's order (year, day, month)."""
    rows = list(csv.DictReader((out / "chronology.csv").open(encoding="utf-8-sig")))
    sheet = openpyxl.load_workbook(out / "chronology.xlsx")["Integrated chronology"]
    column = [c.value for c in sheet[1]].index("Date")
    cells = [row[column] for row in sheet.iter_rows(min_row=2, max_row=4)]
    html = (out / "report.html").read_text(encoding="utf-8")
    html = html[html.index('id="chronology"'):]
    shown_html = re.findall(r"<tr[^>]*><td[^>]*>\d+</td><td[^>]*>[^<]*</td><td[^>]*>([^<]*)</td>", html)
    table = next(t for t in docx.Document(out / "chronology.docx").tables if t.rows[0].cells[1].text == "Date")
    return {
        "precision": [r["Date precision"] for r in rows],
        "csv": [r["Date"] for r in rows],
        "xlsx": [(c.value.strftime("%Y-%m-%d"), c.number_format) for c in cells],
        "html": shown_html,
        "docx": [table.rows[i].cells[1].text for i in range(1, 4)],
    }


def test_a_date_known_to_the_year_shows_as_its_year_in_every_anonymised_output(year_case):
    shown = _dates(year_case / "anonymised")
    assert shown["precision"] == ["year", "month", "month"]
    assert shown["csv"] == ["2023", "2023-04", "2023-05"]
    assert shown["xlsx"] == [("2023-01-01", "yyyy"), ("2023-04-01", "mmm yyyy"), ("2023-05-01", "mmm yyyy")]
    assert shown["html"] == ["2023", "Apr 2023", "May 2023"]
    assert shown["docx"] == ["2023", "Apr 2023", "May 2023"]  # abbreviated as in HTML and the workbook (was "April 2023")


def test_the_named_view_shows_a_date_to_its_precision_in_html_and_the_workbook_as_in_word(year_case):
    shown = _dates(year_case / "named")
    assert shown["precision"] == ["year", "day", "month"]
    assert shown["csv"] == ["2023-01-01", "2023-04-10", "2023-05-01"]  # the data export: ISO, with its precision
    assert shown["xlsx"] == [("2023-01-01", "yyyy"), ("2023-04-10", "dd/mm/yyyy"), ("2023-05-01", "mmm yyyy")]
    assert shown["html"] == ["2023", "10/04/2023", "May 2023"]
    assert shown["docx"] == ["2023", "10/04/2023", "May 2023"]


def test_the_anonymised_chronology_redacts_the_new_forms(year_case):
    rows = list(csv.DictReader((year_case / "anonymised" / "chronology.csv").open(encoding="utf-8-sig")))
    assert "Child A seen at [address], [postcode]; next visit in May" in [r["Description"] for r in rows]


# ---------------------------------------------------------------------------------------------------
# 5. review flags --redact
# ---------------------------------------------------------------------------------------------------
def _real_names(case_dir: Path) -> re.Pattern:
    config = load_case_config(case_dir)
    words = {w for name in [*config.people, config.child_name] for w in name.split() if len(w) > 2}
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(words)))})\b", re.IGNORECASE)


def test_flags_redact_prints_the_anonymised_view(tmp_path, capsys):
    from test_privacy_s8 import write_case

    case_dir = write_case(tmp_path / "Alfie_Brook")  # case id CSPR-Brook-2024; an NHS number, an address
    assert main(["flags", str(case_dir)]) == 0
    named = capsys.readouterr().out
    assert main(["flags", str(case_dir), "--redact", "--csv", str(tmp_path / "flags.csv")]) == 0
    anonymised = capsys.readouterr().out
    names = _real_names(case_dir)
    # the named listing shows a name and dates to the day: the checks below mean something
    assert names.search(named) and re.search(r"\b\d{4}-\d{2}-\d{2}\b", named)
    assert not names.search(anonymised)
    assert "Case CSPR-[name]-2024:" in anonymised
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2} [A-Z][a-z]{2} \d{4}\b|\d+m \d+d", anonymised)
    assert re.search(r"^1 +\w+ +\d{4}-\d{2} ", anonymised, re.MULTILINE)  # trigger dates as YYYY-MM
    assert re.findall(r"\d+ d late", anonymised) == re.findall(r"\d+ d late", named)  # delays stay in days
    written = (tmp_path / "flags.csv").read_text(encoding="utf-8-sig")
    assert not names.search(written) and not re.search(r"\b\d{4}-\d{2}-\d{2}\b", written)


def test_flags_redact_on_the_sample_keeps_its_22_flags_in_months(capsys):
    assert main(["flags", str(SAMPLE), "--redact"]) == 0
    text = capsys.readouterr().out
    assert "22 candidate missed escalation points" in text
    assert not _real_names(SAMPLE).search(text) and not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)


def test_flags_redact_writes_the_redacted_builds_flags_csv(tmp_path, capsys):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_module, "save_figure", lambda fig, stem, d: save_figure(fig, stem, d, ("svg",)))
        build_module.build_report(SAMPLE, tmp_path / "report", redact=True, progress=False)
    assert main(["flags", str(SAMPLE), "--redact", "--csv", str(tmp_path / "flags.csv")]) == 0
    capsys.readouterr()
    assert (tmp_path / "flags.csv").read_bytes() == (tmp_path / "report" / "flags.csv").read_bytes()


def test_flags_redact_with_a_rule_keeps_the_reports_numbers(capsys):
    assert main(["flags", str(SAMPLE), "--redact", "--rule", "assessment_wait"]) == 0
    text = capsys.readouterr().out
    assert "assessment_wait" in text and "nonmobile_injury" not in text and not _real_names(SAMPLE).search(text)
    assert re.search(r"^\d+ +assessment_wait +\d{4}-\d{2} ", text, re.MULTILINE)
