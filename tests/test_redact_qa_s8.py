"""QA of the anonymised view (session 8): dates to the day written as ranges or lists of days in text are
given to the month too, not left to the day by the edges of a single date's pattern."""
from __future__ import annotations

import pandas as pd
import pytest

from review.redact import month_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two dates to the day joined by a dash with no space: each edge touches "-" and a digit
        ("admitted 03/04/2023-05/04/2023", "admitted Apr 2023-Apr 2023"),
        ("admitted 3/4/23-5/4/23", "admitted Apr 2023-Apr 2023"),
        ("stay 1.5.2023-2.5.2023", "stay May 2023-May 2023"),
        ("2023-04-03/2023-04-05", "2023-04/2023-04"),
        ("seen 21/06/2023-23/06/2023", "seen Jun 2023-Jun 2023"),
        # a day range before a date: the first day was kept
        ("seen 21-23/06/2023", "seen Jun 2023"),
        ("seen 3-5 April 2023", "seen April 2023"),
        ("seen 3\u20135 April 2023", "seen April 2023"),
        ("on 3-5 April 2023", "in April 2023"),
        ("between 3 and 5 April 2023", "between April 2023"),
        ("3 Apr - 5 Apr 2023", "Apr - Apr 2023"),
        # lists of days before a month
        ("seen 1st and 2nd March 2023", "seen March 2023"),
        ("3rd, 4th and 5th April 2023", "April 2023"),
        ("3, 4, and 5 April 2023", "April 2023"),
        ("seen 2nd, 3rd April", "seen April"),
        ("3 & 5 April 2023", "April 2023"),
    ],
)
def test_ranges_and_lists_of_days_are_given_to_the_month(text, expected):
    assert month_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PHQ-9 score 16, 3 April 2023", "PHQ-9 score 16, April 2023"),  # a score before a date is no day
        ("3 and 5 may be seen", "3 and 5 may be seen"),  # "may" the verb
        ("aged 3-4 months", "aged 3-4 months"),
        ("EPDS 14/30", "EPDS 14/30"),
        ("Ref 122/05/2016", "Ref 122/05/2016"),
        ("admitted 03/04/2023 - 05/04/2023", "admitted Apr 2023 - Apr 2023"),
        ("03/04/2023 14:30-15:00", "Apr 2023"),
    ],
)
def test_what_is_not_a_day_is_left(text, expected):
    assert month_text(text) == expected


# ---------------------------------------------------------------------------------------------------
# End to end: a case whose texts write dates as ranges
# ---------------------------------------------------------------------------------------------------
CASE_YML = """\
case_id: CSPR-Smith-2024
child_name: Amy Smith
date_of_birth: 2023-03-14
people: {Jo Smith: Mother}
"""
CHRONOLOGY = """\
Date,Agency,Practitioner,Type of contact,Details of contact,Outcome,Child seen
02/03/2023,GP,GP,antenatal appointment,Jo Smith seen antenatally,Midwife to follow up,no
05/04/2023-03/04/2023,GP,GP,clinic appointment,Amy seen,None,yes
10/04/2023,GP,HV,home visit,"Amy seen 10-12/04/2023, admitted 11/04/2023-13/04/2023 and 17-18 April 2023",None,yes
"""


@pytest.fixture(scope="module")
def ranged(tmp_path_factory):
    import review.build as build_module
    from review.export import save_figure

    from test_privacy import output_texts

    root = tmp_path_factory.mktemp("ranges")
    case = root / "case"
    case.mkdir()
    (case / "case.yml").write_text(CASE_YML, encoding="utf-8")
    (case / "gp.csv").write_text(CHRONOLOGY, encoding="utf-8")
    out = root / "report"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        mp.setattr(build_module, "save_figure", lambda fig, stem, d: save_figure(fig, stem, d, ("svg",)))
        build_module.build_report(case, out, redact=True, progress=False)
    return out, output_texts(out)


def test_no_output_keeps_a_day_written_in_a_range(ranged):
    _, texts = ranged
    days = ["03/04/2023", "05/04/2023", "10-12", "11/04/2023", "13/04/2023", "17-18", "10/04/2023"]
    found = {name: [d for d in days if d in text] for name, text in texts.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_ranges_read_as_months_in_the_chronology_and_the_rejected_rows(ranged):
    out, _ = ranged
    chronology = pd.read_csv(out / "chronology.csv", dtype=str, keep_default_na=False)
    assert "Child A seen Apr 2023, admitted Apr 2023-Apr 2023 and April 2023" in set(chronology["Description"])
    import openpyxl

    quality = openpyxl.load_workbook(out / "chronology.xlsx")["Data quality"]
    reasons = [row[5] for row in quality.iter_rows(values_only=True) if row[4] == "rejected"]
    assert reasons == ["'Apr 2023-Apr 2023' is a date range that ends before it starts"]
