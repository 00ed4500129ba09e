"""The faster forms ingest builds its cells and columns with (s17) give what the plain forms gave."""
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from review.config import load_case_config
from review.ingest.load import _cell_array, load_contacts


def write_case(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    entries = "".join(f"  - {{path: {name}, agency: Westmere Police}}\n" for name in files)
    (folder / "case.yml").write_text(
        f"case_id: C1\ndate_of_birth: 2018-11-20\nreview_date: 2020-06-30\nfiles:\n{entries}", encoding="utf-8"
    )
    return folder


def test_cell_array_holds_every_cell_of_rows_of_one_width():
    when = dt.datetime(2019, 3, 4, 10, 30)
    rows = [["a", 1, None], [when, 2.5, True]]
    cells = _cell_array(rows)
    assert cells.shape == (2, 3) and cells.dtype == object
    assert cells.tolist() == rows
    assert cells[1, 0] is when and cells[1, 2] is True  # the very values, not copies or casts


def test_cell_array_pads_short_rows_with_none():
    cells = _cell_array([["a"], ["b", "c", "d"], []])
    assert cells.tolist() == [["a", None, None], ["b", "c", "d"], [None, None, None]]


def test_columns_no_sheet_fills_are_typed_and_empty(tmp_path):
    case = write_case(tmp_path / "case", {"police.csv": (
        "Date,Details,Vehicle\n"
        "01/02/2019,Visit to the home,\n"
        "03/02/2019,Call from school,AB12 CDE\n"
    )})
    contacts, _ = load_contacts(load_case_config(case))
    assert str(contacts["date_end"].dtype) == "datetime64[ns]"
    assert contacts["date_end"].isna().all()
    assert str(contacts["time_known"].dtype) == "boolean"
    assert contacts["time_known"].tolist() == [False, False]
    # the row with nothing in the unmapped column has no extra; the other keeps its cell, under its header
    assert contacts["extra"].tolist() == ["", '{"Vehicle": "AB12 CDE"}']


def test_duplicates_found_in_rows_of_one_width_and_in_padded_rows(tmp_path):
    case = write_case(tmp_path / "case", {"police.csv": (
        "Date,Details,Officer\n"
        "01/02/2019,Visit to the home,PC Smith\n"
        "01/02/2019,Visit to the home,PC Smith\n"
        "03/02/2019,Call from school,PC Jones\n"
    ), "ragged.csv": (
        "Date,Details,Officer\n"
        "05/02/2019,Strategy meeting,PC Smith\n"
        "05/02/2019,Strategy meeting,PC Smith,\n"  # one cell more, blank: the same row once padded
    )})
    _, report = load_contacts(load_case_config(case))
    duplicates = {(f.file, w.row, w.message.split(":")[0]) for f in report.files for w in f.warnings
                  if w.message.startswith("duplicate of row")}
    assert duplicates == {("police.csv", 3, "duplicate of row 2"), ("ragged.csv", 3, "duplicate of row 2")}


def test_contacts_of_tables_read_in_order_are_sorted_by_row(tmp_path):
    case = write_case(tmp_path / "case", {"b.csv": "Date,Details\n02/02/2019,Second file\n",
                                          "a.csv": "Date,Details\n01/02/2019,First\n04/02/2019,Later\n"})
    contacts, _ = load_contacts(load_case_config(case))
    assert contacts["source_file"].tolist() == ["a.csv", "a.csv", "b.csv"]
    assert contacts["source_row"].tolist() == [2, 3, 2]
    assert np.array_equal(contacts.index.to_numpy(), np.arange(3))
    assert isinstance(contacts["date"].dtype, np.dtype) and contacts["date"].dtype == np.dtype("datetime64[ns]")
    assert contacts["date"].tolist() == [pd.Timestamp("2019-02-01"), pd.Timestamp("2019-02-04"), pd.Timestamp("2019-02-02")]
