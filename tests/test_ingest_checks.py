"""Row checks before merging: reported as warnings on the table's FileReport, rows never dropped."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from review.config import CaseConfig
from review.ingest.checks import check_rows
from review.ingest.report import FileReport
from review.schema import CONTACT_COLUMNS, conform

CASE = CaseConfig(
    case_dir=Path("."),
    case_id="c1",
    date_of_birth=dt.date(2016, 5, 20),
    date_of_death=dt.date(2017, 1, 10),
    review_date=dt.date(2017, 3, 31),
)


def contacts(*rows: dict) -> pd.DataFrame:
    """A table of accepted rows: each dict gives date (ISO), optional precision, end, sequence, source."""
    records = []
    for i, row in enumerate(rows, start=2):  # header on row 1
        records.append(
            {
                "date": pd.Timestamp(row["date"]),  # "2016-06-01 09:00": a time was recorded
                "date_end": pd.Timestamp(row["end"]) if row.get("end") else pd.NaT,
                "date_precision": row.get("precision", "day"),
                "date_text": row.get("text", ""),
                "time_known": ":" in row["date"],
                "sequence": row.get("sequence"),
                "source_of_information": row.get("source", "HV records"),
                "source_row": row.get("row", i),
            }
        )
    return conform(pd.DataFrame(records), CONTACT_COLUMNS)


def report(**columns) -> FileReport:
    mapped = {"date": "Date", "date_end": "End date", "source_of_information": "Source of Information"}
    mapped.update(columns)
    return FileReport(file="hv.xlsx", sheet="Chronology", columns={k: v for k, v in mapped.items() if v})


def messages(rep: FileReport) -> list[tuple[int, str, str]]:
    return [(w.row, w.column, w.message) for w in rep.warnings]


def test_rows_in_date_order_give_no_warnings():
    rep = report()
    added = check_rows(contacts({"date": "2016-06-01"}, {"date": "2016-06-01"}, {"date": "2016-07-01"}), rep, CASE)
    assert added == [] and rep.warnings == []


def test_an_event_dated_before_the_previous_row_is_reported_out_of_order_and_kept():
    rep = report()
    table = contacts({"date": "2016-06-01"}, {"date": "2016-08-01"}, {"date": "2016-07-01", "text": "01/07/16"})
    check_rows(table, rep, CASE)
    assert len(table) == 3
    [(row, column, message)] = messages(rep)
    assert (row, column) == (4, "Date")
    assert "out of order" in message and "01/07/16" in message and "row 3" in message
    assert rep.rows_rejected == 0


def test_a_month_precision_date_is_not_out_of_order_against_a_day_within_that_month():
    rep = report()
    check_rows(contacts({"date": "2016-06-22"}, {"date": "2016-06-01", "precision": "month"}), rep, CASE)
    assert rep.warnings == []


def test_approximate_dates_are_not_used_for_the_order_check():
    rep = report()
    check_rows(
        contacts({"date": "2016-06-22"}, {"date": "2016-06-10", "precision": "approximate"}, {"date": "2016-06-23"}),
        rep,
        CASE,
    )
    assert rep.warnings == []


def test_a_sequence_column_numbering_every_row_explains_the_row_order():
    rep = report(sequence="Seq")
    table = contacts(
        {"date": "2016-06-01", "sequence": 1},
        {"date": "2016-08-01", "sequence": 3},
        {"date": "2016-07-01", "sequence": 2},
    )
    check_rows(table, rep, CASE)
    assert rep.warnings == []


def test_dates_decreasing_along_the_sequence_are_still_reported():
    rep = report(sequence="Seq")
    table = contacts({"date": "2016-08-01", "sequence": 1}, {"date": "2016-07-01", "sequence": 2})
    check_rows(table, rep, CASE)
    [(row, column, message)] = messages(rep)
    assert (row, column) == (3, "Date") and "sequence 1" in message


def test_a_within_day_sequence_going_backwards_on_the_same_day_is_reported():
    rep = report(sequence="Seq")
    table = contacts(
        {"date": "2016-06-01", "sequence": 2},
        {"date": "2016-06-01", "sequence": 1},
        {"date": "2016-06-02", "sequence": 1},
    )
    check_rows(table, rep, CASE)
    [(row, column, message)] = messages(rep)
    assert (row, column) == (3, "Seq") and "same day" in message


def test_an_end_before_its_start_is_reported_on_the_end_column():
    rep = report()
    check_rows(contacts({"date": "2016-06-10", "end": "2016-06-08"}, {"date": "2016-06-11", "end": "2016-06-12"}), rep, CASE)
    [(row, column, message)] = messages(rep)
    assert (row, column) == (2, "End date")
    assert "08/06/2016" in message and "10/06/2016" in message


def test_dates_before_birth_after_death_and_after_the_review_period_are_reported():
    rep = report()
    check_rows(
        contacts(
            {"date": "2016-03-01"},  # antenatal
            {"date": "2016-05-01", "precision": "month"},  # the month of birth: fine
            {"date": "2017-01-10"},  # the day of death: fine
            {"date": "2017-02-01"},  # after death
            {"date": "2017-06-01"},  # after death and after the review
        ),
        rep,
        CASE,
    )
    found = messages(rep)
    # the antenatal row (in the 40 weeks before the birth) is named in one warning for the table, not on its
    # row (sixteenth session: a pregnancy's contacts are expected)
    assert [(row, "birth" in m, "death" in m, "review" in m) for row, _, m in found] == [
        (None, True, False, False),
        (5, False, True, False),
        (6, False, True, False),
        (6, False, False, True),
    ]


def test_missing_source_of_information_is_reported_only_when_the_table_has_that_column():
    table = contacts({"date": "2016-06-01", "source": "GP notes"}, {"date": "2016-06-02", "source": "  "})
    with_column = report()
    check_rows(table, with_column, CASE)
    assert messages(with_column) == [
        (3, "Source of Information", "no Source of Information (mandatory in the chronology template)")
    ]
    without_column = report(source_of_information=None)
    check_rows(table, without_column, CASE)
    assert without_column.warnings == []


def test_warnings_come_in_row_order_and_nothing_is_rejected():
    rep = report()
    table = contacts({"date": "2016-08-01", "source": ""}, {"date": "2016-07-01", "end": "2016-06-01"})
    check_rows(table, rep, CASE)
    assert [w.row for w in rep.warnings] == [2, 3, 3]
    assert rep.rows_rejected == 0 and rep.rejections == []


def test_an_empty_table_gives_no_warnings():
    rep = report()
    assert check_rows(conform(pd.DataFrame(), CONTACT_COLUMNS), rep, CASE) == []


def test_a_table_written_newest_first_gets_one_table_warning_and_its_exceptions():
    rep = report()
    table = contacts(
        {"date": "2016-09-01"}, {"date": "2016-08-01"}, {"date": "2016-08-20"}, {"date": "2016-07-01"},
        {"date": "2016-06-01"},
    )
    check_rows(table, rep, CASE)
    found = messages(rep)
    assert found[0][0] is None and "newest first" in found[0][2]
    assert [(row, "after the previous event" in m) for row, _, m in found[1:]] == [(4, True)]


def test_times_on_the_same_day_do_not_hide_a_sequence_going_backwards():
    rep = report(sequence="Seq")
    table = contacts(
        {"date": "2016-06-01 09:00", "sequence": 2},
        {"date": "2016-06-01 08:00", "sequence": 1},
        {"date": "2016-06-02", "sequence": 1},
    )
    check_rows(table, rep, CASE)
    assert [(row, column) for row, column, _ in messages(rep)] == [(3, "Date"), (3, "Seq")]
