"""The anonymised view gives a date to the month, but a weekday beside it ("Mon 14/03" -> "Mon Mar",
"Monday 14/03/2023" -> "Monday Mar 2023") narrowed the month to four or five days, and with the contacts'
order often to the day. The weekday now goes with the day; a weekday with a day of the month and no month
("on Friday the 14th": the table's month makes it a date) becomes "[day]"."""
from __future__ import annotations

import datetime as dt

import pytest

from review.redact import Redactor, month_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon 14/03", "Mar"),
        ("Monday 14/03/2023", "Mar 2023"),
        ("seen on Monday 14/03/2023 at home", "seen in Mar 2023 at home"),
        ("On Mon, 14th March visited", "In March visited"),
        ("Tuesday 14.3 visit", "Mar visit"),
        ("Wednesday the 14th of March 2023", "March 2023"),
        ("MONDAY 14/03/2023", "Mar 2023"),
        ("Sun 14 Mar 2023", "Mar 2023"),
        ("Fri 3rd March", "March"),
        ("14/03/2023 (Tuesday)", "Mar 2023"),
        ("visit 14/03/2023, Tuesday.", "visit Mar 2023."),
        ("seen 14/03/2023 Tue", "seen Mar 2023"),
        ("2023-03-14 (Tue)", "2023-03"),
        ("Friday 14th", "[day]"),
        ("seen on Friday the 14th at school", "seen on [day] at school"),
    ],
)
def test_a_weekday_beside_a_date_goes_with_its_day(text, expected):
    assert month_text(text) == expected


@pytest.mark.parametrize(
    "text",
    ["sat with mum in the lounge", "Mum wed in 2019", "visited on Monday", "Monday in March 2023",
     "March 2023 Friday club", "the sun came out", "Monday clinic", "every Tuesday", "Friday 40th anniversary",
     "common monthly review"],
)
def test_a_weekday_not_beside_a_date_is_left(text):
    assert month_text(text) == text


def test_a_weekday_beside_the_date_of_birth_goes_too():
    redactor = Redactor(people={"Kai Ashdown": "Child"}, date_of_birth=dt.date(2023, 2, 14))
    assert redactor.text("Kai born Tuesday 14/02/2023") == "Child born [date of birth]"
    assert redactor.text("DOB 14.02.23 (Tue)") == "DOB [date of birth]"


def test_the_named_view_keeps_weekdays():
    redactor = Redactor(people={"Kai Ashdown": "Child"}, active=False)
    assert redactor.text("Kai seen Monday 14/03/2023") == "Kai seen Monday 14/03/2023"
    assert Redactor(people={"Kai Ashdown": "Child"}, date_resolution="day").text("Kai seen Monday 14/03/2023") == \
        "Child seen Monday 14/03/2023"
