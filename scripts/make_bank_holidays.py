"""Write src/review/data/bank_holidays_england.csv from the `holidays` package.

review.workdays reads this table instead of importing `holidays` (whose country registry costs ~0.1 s
on first use in every process); years outside the table still come from `holidays`.
tests/test_workdays.py checks the table equals `holidays.UK(subdiv="ENG")` for every year it covers,
so a `holidays` release that adds a one-off bank holiday fails that test until this script is re-run:

    python scripts/make_bank_holidays.py
"""
from __future__ import annotations

import csv
from pathlib import Path

import holidays

FIRST_YEAR, LAST_YEAR = 1990, 2040
OUT = Path(__file__).resolve().parents[1] / "src" / "review" / "data" / "bank_holidays_england.csv"


def main() -> None:
    days = holidays.UK(subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        fh.write(f"# England and Wales bank holidays {FIRST_YEAR}-{LAST_YEAR}, from holidays "
                 f"{holidays.__version__} (scripts/make_bank_holidays.py)\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["date", "name"])
        for day in sorted(days):
            writer.writerow([day.isoformat(), days.get(day)])
    print(f"{len(days)} bank holidays written to {OUT}")


if __name__ == "__main__":
    main()
