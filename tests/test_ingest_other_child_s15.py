"""One case is one child: rows of an agency's sheet that name another child (a sibling's contacts in a
family's health visiting record, a "Patient" column of the GP's) are rejected with file, sheet, row, column
and reason, summarised in one warning per file, never merged into the case's child's chronology; rows of the
case's own child under any spelling of the name are kept, and a doubtful one is kept with a warning."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from review.cli import main
from review.config import load_case_config
from review.ingest import load_contacts
from review.ingest.identity import DOUBT, NEUTRAL, OTHER, SAME, dob_verdict, name_verdict, name_words
from review.pipeline import analyse, load_case

HEADER = ["Child", "Date of birth", "Date", "Agency", "Type of contact", "Details of contact", "Outcome", "Child seen"]
FAMILY = [
    ["Mia Grant", "01/03/2019", "10/02/2021", "Westshire Health Visiting", "Home visit", "Mia seen, developing well.",
     "Universal", "Yes"],
    ["Leo Grant", "15/10/2020", "10/02/2021", "Westshire Health Visiting", "Home visit",
     "Leo (4 months) seen. Bruise to forehead, mother says he rolled off sofa.", "Advice", "Yes"],
    ["Leo Grant", "15/10/2020", "03/03/2021", "Westshire Health Visiting", "Clinic", "Leo not brought.", "Rebook", "No"],
    ["Leo Grant", "15/10/2020", "24/03/2021", "Westshire Health Visiting", "Clinic", "Leo not brought again.", "Rebook",
     "No"],
    ["Mia Grant", "01/03/2019", "30/03/2021", "Westshire Health Visiting", "2 year review",
     "Mia 2 year review, speech delay.", "Refer SALT", "Yes"],
]


def _case(case_dir: Path, **config) -> Path:
    case_dir.mkdir(parents=True, exist_ok=True)
    raw = {"case_id": "sib", "date_of_birth": "2019-03-01", "child_name": "Mia Grant", "review_date": "2021-12-31"}
    raw.update(config)
    (case_dir / "case.yml").write_text(yaml.safe_dump({k: v for k, v in raw.items() if v is not None}),
                                       encoding="utf-8")
    return case_dir


def _xlsx(path: Path, rows: list[list], header=HEADER) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _csv(path: Path, header: list[str], rows: list[list]) -> Path:
    lines = [",".join(header)] + [",".join(f'"{c}"' if "," in str(c) else str(c) for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _load(case_dir: Path):
    return load_contacts(load_case_config(case_dir))


def test_a_siblings_rows_in_a_family_sheet_are_rejected_with_file_sheet_row_column_and_reason(tmp_path):
    case_dir = _case(tmp_path / "mia")
    _xlsx(case_dir / "hv_family.xlsx", FAMILY)
    contacts, report = _load(case_dir)
    assert sorted(contacts["source_row"].tolist()) == [2, 6]
    assert not contacts["description"].str.contains("Leo").any()
    sheet = report.files[0]
    assert (sheet.rows_read, sheet.rows_accepted, sheet.rows_rejected) == (5, 2, 3) and sheet.balanced
    assert [(r.row, r.column, r.reason) for r in sheet.rejections] == [
        (row, "Date of birth", "record of another child: DOB 15/10/2020 differs from the case's 01/03/2019")
        for row in (3, 4, 5)
    ]
    assert [w.message for w in sheet.warnings] == [
        "3 rows are of another child (Leo, DOB 15/10/2020): rejected; build a case for that child"
    ]
    # the identifying columns are read, so no longer listed as "not analysed"; their values stay in `extra`
    assert sheet.unmapped_columns == [] and '"Child": "Mia Grant"' in contacts["extra"].iloc[0]
    assert any("'Child' (the child's name), 'Date of birth' (the child's date of birth)" in n for n in sheet.notes)
    assert report.other_children == ["Leo Grant"]


def test_the_siblings_bruise_is_no_injury_of_the_case_child_and_in_the_siblings_own_case_it_is_nonmobile(tmp_path):
    mia = _case(tmp_path / "mia")
    _xlsx(mia / "hv_family.xlsx", FAMILY)
    flags = analyse(load_case(mia)).flags
    assert "injury_not_escalated" not in set(flags["rule_id"]) and "nonmobile_injury" not in set(flags["rule_id"])

    leo = _case(tmp_path / "leo", child_name="Leo Grant", date_of_birth="2020-10-15")
    _xlsx(leo / "hv_family.xlsx", FAMILY)
    case = load_case(leo)
    assert sorted(case.contacts["source_row"].tolist()) == [3, 4, 5]  # Mia's two rows rejected in Leo's case
    flags = analyse(case).flags
    nonmobile = flags[flags["rule_id"] == "nonmobile_injury"]
    assert len(nonmobile) == 1 and nonmobile["severity"].iloc[0] == "high"


def test_the_case_childs_rows_are_kept_under_any_spelling_of_her_name_in_a_csv(tmp_path):
    case_dir = _case(tmp_path / "mia")
    names = ["MIA GRANT", "Mia", "Mia Smith", "Grant", "", "Grant, Mia", "Mia Grant (DOB 01/03/2019)", "Baby Grant",
             "Leo Grant (sibling)", "Mya Grant"]
    rows = [[name, f"{day:02d}/04/2021", "GP", f"Seen {day}"] for day, name in enumerate(names, start=1)]
    _csv(case_dir / "gp.csv", ["Patient", "Date", "Agency", "Details"], rows)
    contacts, report = _load(case_dir)
    sheet = report.files[0]
    assert [(r.row, r.column, r.reason) for r in sheet.rejections] == [
        (10, "Patient", "record of another child: name 'Leo Grant (sibling)' differs from the case's child's (Mia Grant)")
    ]
    assert len(contacts) == 9 and "Seen 9" not in set(contacts["description"])
    messages = [(w.row, w.message) for w in sheet.warnings]
    assert (11, "name 'Mya Grant' is close to the case's child's (Mia Grant) but not the same: kept as the case's "
                "child's (row 11); if the record is about another child, remove it or build a case for that child") \
        in messages
    assert (None, "1 row is of another child (Leo): rejected; build a case for that child") in messages


@pytest.mark.parametrize("value, expected", [
    ("Mia Grant", SAME), ("mia", SAME), ("Mia Smith", SAME), ("GRANT, Mia", SAME), ("Grant", NEUTRAL),
    ("", NEUTRAL), ("N/K", NEUTRAL), ("Unborn Grant", NEUTRAL), ("Leo Grant", OTHER), ("Jayden Smith", OTHER),
    ("Mya Grant", DOUBT), ("Mila", DOUBT),
])
def test_name_verdicts(value, expected):
    assert name_verdict(value, name_words("Mia Grant"), "Mia Grant").code == expected


def test_date_of_birth_verdicts():
    import datetime as dt

    dob = dt.date(2019, 3, 1)
    assert dob_verdict("01/03/2019", dob).code == SAME
    assert dob_verdict(dt.datetime(2019, 3, 1), dob).code == SAME
    assert dob_verdict(None, dob).code == NEUTRAL
    assert dob_verdict("2019", dob).code == NEUTRAL  # a year that may be hers
    assert dob_verdict("2020", dob).code == OTHER
    swapped = dob_verdict("03/01/2019", dob)
    assert swapped.code == DOUBT and swapped.why == "DOB 03/01/2019 is the case's 01/03/2019 with day and month swapped"
    assert dob_verdict("not known", dob).code == DOUBT
    assert dob_verdict("15/10/2020", dob).why == "DOB 15/10/2020 differs from the case's 01/03/2019"


def test_cells_that_disagree_keep_the_row_with_a_warning(tmp_path):
    case_dir = _case(tmp_path / "mia")
    rows = [["Mia Grant", "01/03/2018", "10/02/2021", "HV", "Visit", "Mia seen", "", "Yes"],  # a DOB typo
            ["Mia Grant", "03/01/2019", "11/02/2021", "HV", "Visit", "Mia seen", "", "Yes"],  # day and month swapped
            ["", "15/10/2020", "12/02/2021", "HV", "Visit", "Baby seen", "", "Yes"]]  # no name: the DOB decides
    _xlsx(case_dir / "hv.xlsx", rows)
    contacts, report = _load(case_dir)
    sheet = report.files[0]
    assert contacts["source_row"].tolist() == [2, 3]
    assert [(r.row, r.column) for r in sheet.rejections] == [(4, "Date of birth")]
    warned = {(w.row, w.column): w.message for w in sheet.warnings}
    assert warned[(2, "Date of birth")] == (
        "DOB 01/03/2018 differs from the case's 01/03/2019, but column 'Child' names the case's child: kept as the "
        "case's child's (row 2); check which child the record is about")
    assert warned[(3, "Date of birth")].startswith("DOB 03/01/2019 is the case's 01/03/2019 with day and month swapped: kept")
    # the summary names no child it does not know: the row has a date of birth only
    assert "1 row is of another child (DOB 15/10/2020): rejected; build a case for that child" in warned.values()


def test_nhs_number_compared_only_when_case_yml_gives_one(tmp_path):
    header = ["NHS No.", "Date", "Agency", "Details"]
    rows = [["943 476 5919", "01/04/2021", "GP", "Seen"], ["9434765919", "02/04/2021", "GP", "Seen"],
            ["401 023 2137", "03/04/2021", "GP", "Seen"]]
    with_number = _case(tmp_path / "a", nhs_number="943 476 5919")
    _csv(with_number / "gp.csv", header, rows)
    contacts, report = _load(with_number)
    assert contacts["source_row"].tolist() == [2, 3]
    assert [(r.row, r.column, r.reason) for r in report.files[0].rejections] == [
        # s16: an NHS number alone does not say the record is a child's (a family's GP record holds the parents')
        (4, "NHS No.", "record of another person, not the case's child: NHS number 401 023 2137 differs from the case's")]
    without = _case(tmp_path / "b")
    _csv(without / "gp.csv", header, rows)
    contacts, report = _load(without)
    assert len(contacts) == 3 and not report.files[0].rejections


def test_without_a_child_name_the_sheets_majority_name_is_the_childs(tmp_path):
    case_dir = _case(tmp_path / "c", child_name=None)
    rows = [["Mia Grant", f"0{d}/04/2021", "GP", "Seen"] for d in range(1, 4)] + [["Leo Grant", "05/04/2021", "GP", "Seen"]]
    _csv(case_dir / "gp.csv", ["Child name", "Date", "Agency", "Details"], rows)
    contacts, report = _load(case_dir)
    assert contacts["source_row"].tolist() == [2, 3, 4]
    assert report.files[0].rejections[0].reason == (
        "record of another child: name 'Leo Grant' differs from the case's child's (Mia Grant)")


def test_a_name_column_that_never_names_the_child_is_warned_about_not_rejected(tmp_path):
    # "Name" may be the worker's: no row names the case's child, so nothing is rejected on it
    case_dir = _case(tmp_path / "w")
    rows = [["Jane Patel", "01/04/2021", "HV", "Visit"], ["Tom Reed", "02/04/2021", "HV", "Visit"]]
    _csv(case_dir / "hv.csv", ["Name", "Date", "Agency", "Details"], rows)
    contacts, report = _load(case_dir)
    sheet = report.files[0]
    assert len(contacts) == 2 and not sheet.rejections
    assert [(w.row, w.message) for w in sheet.warnings if w.column == "Name"] == [
        (None, "column 'Name' names no row of the case's child (Mia Grant), so it is not read as the child's name (it "
               "may name a worker or an adult): no row rejected on it; if it does name the child of each row, rows 2, 3 are "
               "another child's")]
    assert sheet.unmapped_columns == ["Name"]  # not read: still listed as not analysed


def test_validate_lists_the_rejections_and_exits_non_zero(tmp_path, capsys):
    case_dir = _case(tmp_path / "mia")
    _xlsx(case_dir / "hv_family.xlsx", FAMILY)
    assert main(["validate", str(case_dir)]) != 0
    out = capsys.readouterr().out
    assert ("hv_family.xlsx, sheet 'Chronology', row 3, column 'Date of birth': record of another child: DOB "
            "15/10/2020 differs from the case's 01/03/2019") in out
    assert "3 rows are of another child (Leo, DOB 15/10/2020)" in out
    assert "Columns not analysed" not in out


def test_the_anonymised_report_names_no_other_child(tmp_path):
    case_dir = _case(tmp_path / "mia")  # case.yml lists no people: Leo is known only from the rejected rows
    rows = FAMILY + [["Mia Grant", "01/03/2019", "01/04/2021", "Westshire Health Visiting", "Home visit",
                      "Mia and Leo seen at home.", "", "Yes"]]
    _xlsx(case_dir / "hv_family.xlsx", rows)
    named, anonymised = tmp_path / "named", tmp_path / "anon"
    assert main(["build", str(case_dir), "--out", str(named), "--no-progress"]) == 0
    assert main(["build", str(case_dir), "--out", str(anonymised), "--no-progress", "--redact"]) == 0
    html = (named / "report.html").read_text(encoding="utf-8")
    assert "record of another child: DOB 15/10/2020 differs from the case" in html
    redacted = (anonymised / "report.html").read_text(encoding="utf-8")
    assert "record of another child" in redacted and "Another child" in redacted
    assert "Leo" not in redacted and "15/10/2020" not in redacted
    workbook = openpyxl.load_workbook(anonymised / "chronology.xlsx")
    texts = " ".join(str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "record of another child" in texts and "Leo" not in texts


def test_the_familys_adults_and_yes_no_cells_are_no_other_child(tmp_path):
    # a GP's family record lists the mother's consultations on purpose; a "Child" column of Yes/No is no name
    case_dir = _case(tmp_path / "m", people={"Mia Grant": "Child", "Tara Grant": "Mother", "Leo Grant": "Half-brother"})
    rows = [["Mia Grant", "01/04/2021", "GP", "Seen"], ["Tara Grant", "02/04/2021", "GP", "Low mood"],
            ["Leo Grant", "03/04/2021", "GP", "Seen"], ["Mrs Grant", "04/04/2021", "GP", "Seen"]]
    _csv(case_dir / "gp.csv", ["Patient", "Date", "Agency", "Details"], rows)
    contacts, report = _load(case_dir)
    assert contacts["source_row"].tolist() == [2, 3, 5]
    assert [r.row for r in report.files[0].rejections] == [4]

    yes_no = _case(tmp_path / "y")
    _csv(yes_no / "hv.csv", ["Child", "Date", "Agency", "Details"],
         [["Yes", "01/04/2021", "HV", "Visit"], ["No", "02/04/2021", "HV", "Visit"]])
    contacts, report = _load(yes_no)
    assert len(contacts) == 2 and not report.files[0].rejections
    assert not [w for w in report.files[0].warnings if w.column == "Child"]


def test_a_file_of_only_the_siblings_rows_is_rejected_but_unrelated_names_are_only_warned_about(tmp_path):
    case_dir = _case(tmp_path / "s")
    _csv(case_dir / "gp.csv", ["Patient", "Date", "Agency", "Details"],
         [["Leo Grant", "01/04/2021", "GP", "Seen"], ["Ava Jones", "02/04/2021", "GP", "Seen"]])
    contacts, report = _load(case_dir)
    sheet = report.files[0]
    assert [r.row for r in sheet.rejections] == [2]  # shares the child's surname: a sibling
    assert contacts["source_row"].tolist() == [3]
    assert any(w.row == 3 and w.message.startswith("name 'Ava Jones' differs from the case's child's (Mia Grant): "
                                                   "kept") for w in sheet.warnings)

    unrelated = _case(tmp_path / "u")
    _csv(unrelated / "gp.csv", ["Patient", "Date", "Agency", "Details"],
         [["Ava Jones", "01/04/2021", "GP", "Seen"], ["Ava Jones", "02/04/2021", "GP", "Seen"]])
    contacts, report = _load(unrelated)
    assert len(contacts) == 2 and not report.files[0].rejections
    assert any("column 'Patient' names no row of the case's child (Mia Grant)" in w.message
               for w in report.files[0].warnings)


def test_a_subject_column_of_topics_rejects_only_a_siblings_rows(tmp_path):
    case_dir = _case(tmp_path / "t")
    rows = [["Mia Grant", "01/04/2021", "HV", "Seen"], ["Home visit", "02/04/2021", "HV", "Seen"],
            ["Mia was seen at home today with her mother and the health visitor", "03/04/2021", "HV", "Seen"],
            ["Leo Grant", "04/04/2021", "HV", "Seen"]]
    _csv(case_dir / "hv.csv", ["Subject", "Date", "Agency", "Details"], rows)
    contacts, report = _load(case_dir)
    assert contacts["source_row"].tolist() == [2, 3, 4]
    assert [(r.row, r.column) for r in report.files[0].rejections] == [(5, "Subject")]


def test_an_adults_row_with_the_adults_date_of_birth_is_kept(tmp_path):
    case_dir = _case(tmp_path / "a", people={"Tara Grant": "Mother"})
    rows = [["Mia Grant", "01/03/2019", "01/04/2021", "Westshire GP", "Appointment", "Mia seen", "", "Yes"],
            ["Tara Grant", "12/05/1994", "02/04/2021", "Westshire GP", "Appointment", "Low mood", "", ""],
            ["", "12/05/1994", "03/04/2021", "Westshire GP", "Appointment", "Low mood review", "", ""],
            ["Leo Grant", "15/10/2020", "04/04/2021", "Westshire GP", "Appointment", "Leo seen", "", "Yes"]]
    _xlsx(case_dir / "gp.xlsx", rows, header=["Patient", "DOB", *HEADER[2:]])
    contacts, report = _load(case_dir)
    sheet = report.files[0]
    assert contacts["source_row"].tolist() == [2, 3, 4]
    assert [(r.row, r.column) for r in sheet.rejections] == [(5, "DOB")]
    warned = [(w.row, w.message) for w in sheet.warnings if w.column == "DOB"]
    # the mother's row (her name) says nothing; the row with her date of birth only is kept with a warning
    assert warned == [(4, "DOB 12/05/1994 is 16 years or more before the case's 01/03/2019, an adult's (a parent's?) "
                          "rather than another child's: kept as the case's child's (row 4); if the record is about "
                          "another child, remove it or build a case for that child")]
