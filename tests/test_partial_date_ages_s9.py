"""A contact dated only to its month or year shows the child's age over that period, not on its first day."""
import numpy as np
import pandas as pd

from review.redact import month_age
from review.timeline import _ages, _partial_date_ages


def _shown(days, precisions, birth="2022-05-14"):
    days = np.array(days, dtype="datetime64[D]")
    which = np.zeros(len(days), dtype="intp")
    born = np.array([birth], dtype="datetime64[D]")
    _, display = _ages(days, born, which)
    return list(_partial_date_ages(display, pd.Series(precisions), days, born, which))


def test_month_and_year_dates_show_the_range_of_ages():
    shown = _shown(["2023-03-01", "2023-01-01", "2023-05-10", "NaT"], ["month", "year", "day", "month"])
    assert shown == ["9m 15d–10m 17d", "7m 18d–1y 7m 17d", "11m 26d", ""]


def test_approximate_dates_and_a_month_of_one_age_stay_single():
    # born on the 1st: the whole of March is 10 months and some days; an approximate date is one day
    shown = _shown(["2023-03-01", "2023-03-10"], ["month", "approximate"], birth="2022-05-01")
    assert shown == ["10m 0d–10m 30d", "10m 9d"]


def test_the_anonymised_view_gives_the_range_in_whole_months():
    assert month_age("9m 15d–10m 17d") == "9m–10m"
    assert month_age("10m 0d–10m 30d") == "10m"
    assert month_age("-133d–7m 17d") == "before birth–7m"


def test_the_timeline_shows_the_range(tmp_path):
    from review.config import CaseConfig
    from review.schema import CONTACT_COLUMNS, empty_frame
    from review.timeline import build_timeline

    contacts = empty_frame(CONTACT_COLUMNS)
    rows = []
    for k, (date, precision) in enumerate([("2023-03-01", "month"), ("2023-04-02", "day")]):
        row = {name: pd.NA for name in CONTACT_COLUMNS}
        row.update(case_id="C1", event_id=f"E{k}", date=pd.Timestamp(date), date_precision=precision,
                   agency="GP", agency_kind="health", contact_type="gp_appointment", description="seen",
                   source_file="gp.csv", source_sheet="", source_row=k + 2, concerns="", escalation="")
        rows.append(row)
    contacts = pd.concat([contacts, pd.DataFrame(rows)], ignore_index=True).astype(contacts.dtypes.to_dict())
    case = CaseConfig(case_id="C1", case_dir=tmp_path, date_of_birth=pd.Timestamp("2022-05-14").date(),
                      review_date=pd.Timestamp("2024-01-01").date())
    timeline = build_timeline(contacts, case)
    assert timeline["age_display"].tolist() == ["9m 15d–10m 17d", "10m 19d"]
    assert timeline["age_days"].tolist() == [291, 323]  # the first day's, as before
