"""Header detection, mapping profiles and the ingest pipeline (load_contacts) on fixtures built in code."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from review.config import CaseConfig, FileSpec, load_case_config
from review.errors import ConfigError
from review.ingest.headers import column_letter, detect_header, load_profile, normalise_header
from review.ingest.readers import read_tables
from review.ingest.tables import RawTable
from review.schema import CONTACT_COLUMNS


@pytest.fixture
def load_contacts():
    pytest.importorskip("review.vocab", reason="review.vocab (another issue) has not landed yet")
    from review.ingest.load import load_contacts

    return load_contacts


def _case(case_dir: Path, files=None, **extra) -> CaseConfig:
    config = {"case_id": "C1", "date_of_birth": "2022-06-01", **extra}
    if files is not None:
        config["files"] = files
    (case_dir / "case.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return load_case_config(case_dir)


def _table(rows, sheet="S") -> RawTable:
    return RawTable("f.xlsx", sheet, [list(r) for r in rows], list(range(1, len(rows) + 1)))


# ---------------------------------------------------------------------------------------------------
# Header detection and profiles (no vocabulary needed)
# ---------------------------------------------------------------------------------------------------
def test_normalise_header_ignores_case_punctuation_and_brackets():
    assert normalise_header("Date of Contact (dd/mm/yyyy)*") == "date of contact"
    assert normalise_header("OUTCOME/ACTION") == "outcome action"
    assert normalise_header("Date &\nTime") == "date and time"
    assert normalise_header(None) == "" and normalise_header(dt.date(2020, 1, 1)) == ""


@pytest.mark.parametrize(
    "headers, expected",
    [
        (["Date", "Agency", "Details"], {"date": 0, "agency": 1, "description": 2}),
        (["Date of contact", "Start Time", "Practitioner", "Type of contact", "Event details", "Action taken"],
         {"date": 0, "time": 1, "role": 2, "contact_type": 3, "description": 4, "action": 5}),
        (["Event date", "Organisation", "Source", "Summary", "Comments", "Seen", "Seen alone", "Copied to"],
         {"date": 0, "organisation": 1, "source_of_information": 2, "description": 3, "analysis": 4,
          "child_seen": 5, "child_seen_alone": 6, "informed_agencies": 7}),
        (["Start Date", "End Date", "Event type", "Event", "Outcome/Action", "Significance", "Seq", "Concerns"],
         {"date": 0, "date_end": 1, "contact_type": 2, "description": 3, "action": 4, "analysis": 5,
          "sequence": 6, "concerns": 7}),
    ],
)
def test_generic_profile_maps_template_headers(headers, expected):
    match = detect_header(_table([headers, ["01/01/2023"] + ["x"] * (len(headers) - 1)]), load_profile(None))
    assert match.columns == expected and match.row == 1


def test_header_found_below_title_rows():
    rows = [["Chronology: Child A", None, None], [None, None, None], ["Prepared by: HV team", None, None],
            ["Date", "Details", "Outcome"], ["01/01/2023", "visit", "ok"]]
    match = detect_header(_table(rows), load_profile(None))
    assert match.index == 3 and match.row == 4


def test_two_columns_for_one_field_the_more_specific_header_wins_the_other_follows_it():
    match = detect_header(_table([["Date", "Event", "Details of contact", "Ref"]]), load_profile(None))
    assert match.columns["description"] == 2
    assert match.also == {"description": (1,)}  # a narrative field: read after the first column
    assert match.unmapped == {3: "Ref"}


def test_blank_header_over_data_gets_a_column_letter_key():
    match = detect_header(_table([["Date", "Details", None], ["01/01/2023", "x", "note"]]), load_profile(None))
    assert match.unmapped == {2: "column C"}
    assert column_letter(0) == "A" and column_letter(27) == "AB"


def test_no_header_without_a_date_column():
    assert detect_header(_table([["Name", "Details"], ["x", "y"]]), load_profile(None)) is None


def test_unknown_profile_is_a_config_error_naming_case_yml(tmp_path):
    case = _case(tmp_path)
    with pytest.raises(ConfigError, match="unknown profile 'nope'") as err:
        load_profile("nope", case)
    assert err.value.file.endswith("case.yml")


def write_police_profile(case_dir: Path) -> None:
    (case_dir / "profiles").mkdir(exist_ok=True)
    (case_dir / "profiles" / "police_niche.yml").write_text(
        yaml.safe_dump({
            "header_row": 4,
            "columns": {"date": "Occurrence Date", "description": "Occurrence summary", "role": "OIC"},
            "fields": {"contact_type": ["Occ Type"]},
            "value_maps": {"child_seen": {"Y": True, "N": False, "NK": None},
                           "contact_type": {"DA": "police_callout"}},
            "agency": "Metropolitan Police",
            "sheets": ["Occurrences"],
        }),
        encoding="utf-8",
    )


def test_case_profile_extends_generic(tmp_path):
    write_police_profile(tmp_path)
    profile = load_profile("police_niche", _case(tmp_path))
    assert profile.header_row == 4 and profile.agency == "Metropolitan Police" and profile.sheets == ("Occurrences",)
    assert profile.synonyms["contact_type"][0] == "occ type" and "type of contact" in profile.synonyms["contact_type"]
    assert profile.map_value("child_seen", " y ") == (True, True)
    assert profile.map_value("child_seen", "maybe") == (False, "maybe")


def test_profile_with_unknown_field_is_rejected(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "bad.yml").write_text("columns:\n  when: Date\n")
    with pytest.raises(ConfigError, match="unknown field 'when'") as err:
        load_profile("bad", _case(tmp_path))
    assert err.value.file.endswith("bad.yml")


def test_explicit_header_row_without_its_columns_is_a_config_error(tmp_path):
    write_police_profile(tmp_path)
    profile = load_profile("police_niche", _case(tmp_path))
    table = _table([[None], [None], [None], ["Date", "Details"], ["01/01/2023", "x"]])
    with pytest.raises(ConfigError, match="'Occurrence Date', 'Occurrence summary', 'OIC' not in the header row"):
        detect_header(table, profile)


# ---------------------------------------------------------------------------------------------------
# Fixture files: each writes one agency file into a case folder and returns its name
# ---------------------------------------------------------------------------------------------------
def xlsx_layout(case_dir: Path) -> str:
    """Title rows, merged dates, blank rows, a repeated header, a second sheet, a hidden sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws["A1"] = "Health visiting chronology"  # 1
    ws.append([])  # 2
    ws.append(["Date", "Time", "Practitioner", "Details", "Outcome", "Child seen", "Local ref"])  # 3
    ws.append([dt.datetime(2023, 1, 5), "10:00", "HV", "Home visit, bruise on cheek", "Advice", "Yes", "R1"])  # 4
    ws.append([None, dt.time(11, 0), "HV", "Phone call", "None", "No", None])  # 5 (date merged from 4)
    ws.append([])  # 6
    ws.append(["DATE", "Time", "Practitioner", "Details", "Outcome", "Child seen", "Local ref"])  # 7 repeated
    ws.append(["31/02/2023", None, "HV", "Visit", None, None, None])  # 8 impossible date
    ws.append([dt.datetime(2023, 2, 1), None, None, None, None, None, None])  # 9 date only
    ws.append([None, None, "HV", "No date at all", None, None, None])  # 10 no date
    ws.append(["March 2023", None, "HV", "Clinic", None, "yes", "R9"])  # 11 month precision
    ws.merge_cells("A4:A5")
    other = wb.create_sheet("2024")
    other.append(["Date of contact", "Details of contact"])
    other.append(["03/02/2024", "GP appointment"])
    hidden = wb.create_sheet("Old")
    hidden.append(["Date", "Details"])
    hidden.append(["01/01/2020", "old"])
    hidden.sheet_state = "hidden"
    wb.save(case_dir / "health_visiting.xlsx")
    return "health_visiting.xlsx"


def xlsm_layout(case_dir: Path) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Agency", "Details"])
    ws.append(["05/01/2023", "Police", "Call-out"])
    wb.save(case_dir / "police.xlsm")
    return "police.xlsm"


def xls_layout(case_dir: Path) -> str:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Chronology")
    sheet.write(0, 0, "School chronology")
    for col, header in enumerate(["Date", "Details", "Action"]):
        sheet.write(2, col, header)
    sheet.write_merge(3, 4, 0, 0, "01/02/2023")
    sheet.write(3, 1, "Bruise on arm noted by teacher")
    sheet.write(4, 1, "Mother spoken to")
    sheet.write(5, 0, "02/02/2023")
    sheet.write(5, 2, "DSL informed")
    book.save(str(case_dir / "school.xls"))
    return "school.xls"


def ods_layout(case_dir: Path) -> str:
    frame = pd.DataFrame({"Date": ["01/02/2023", "not a date", "03/02/2023"],
                          "Details": ["Visit", "Call", "Letter"]})
    with pd.ExcelWriter(case_dir / "housing.ods", engine="odf") as writer:
        frame.to_excel(writer, sheet_name="Housing", index=False)
    return "housing.ods"


def _csv(name: str, text: str, encoding: str):
    def write(case_dir: Path) -> str:
        (case_dir / name).write_bytes(text.encode(encoding))
        return name

    write.__name__ = name
    return write


CSV_ROWS = "Date,Agency,Details,Shared with\n01/02/2023,GP,Seen in café – weight loss,Health visitor\n,,,\n03/02/2023,GP,Review,\n"
csv_utf8_sig = _csv("gp_utf8sig.csv", CSV_ROWS, "utf-8-sig")
csv_cp1252 = _csv("gp_cp1252.csv", CSV_ROWS, "cp1252")
csv_semicolon = _csv("gp_semicolon.csv", CSV_ROWS.replace(",", ";"), "utf-8")
csv_utf16 = _csv("gp_utf16.csv", CSV_ROWS.replace(",", "\t"), "utf-16")
csv_repeated_headers = _csv(
    "yearly.csv",
    "Date,Details\n01/01/2022,a\n\nDate,Details\n01/01/2023,b\n02/01/2023,c\nDate,Details\n",
    "utf-8",
)
csv_no_header = _csv("notes.csv", "Name,Comment\nA,b\n\nC,d\n", "utf-8")

FIXTURES = [xlsx_layout, xlsm_layout, xls_layout, ods_layout, csv_utf8_sig, csv_cp1252, csv_semicolon, csv_utf16,
            csv_repeated_headers, csv_no_header]


@pytest.mark.parametrize("write", FIXTURES, ids=lambda f: f.__name__)
def test_every_row_is_accounted_for(tmp_path, write, load_contacts):
    name = write(tmp_path)
    case = _case(tmp_path)
    contacts, report = load_contacts(case)
    assert report.files, "every fixture gives at least one file report"
    for file_report in report.files:
        assert file_report.rows_read == file_report.rows_accepted + file_report.rows_rejected, file_report
        # a sheet without a header is one rejection standing for its rows (`Rejection.count`)
        assert sum(r.count for r in file_report.rejections) == file_report.rows_rejected
    assert report.balanced and len(contacts) == report.rows_accepted
    # and nothing disappears: header + read + skipped == every row of the sheet
    for table in read_tables(tmp_path / name, FileSpec(path=name), case):
        (file_report,) = [f for f in report.files if f.sheet == table.sheet]
        header = 0 if file_report.header_row is None else 1
        assert header + file_report.rows_read + file_report.rows_skipped == len(table.rows)
    assert list(contacts.columns[: len(CONTACT_COLUMNS)]) == list(CONTACT_COLUMNS)
    assert contacts["event_id"].is_unique


def test_xlsx_layout_end_to_end(tmp_path, load_contacts):
    xlsx_layout(tmp_path)
    contacts, report = load_contacts(_case(tmp_path, files=[{"path": "health_visiting.xlsx", "agency": "Health Visiting"}]))
    chronology, second, hidden = report.files
    assert (chronology.rows_read, chronology.rows_accepted, chronology.rows_rejected) == (6, 3, 3)
    assert chronology.header_row == 3 and chronology.rows_skipped == 4  # title row 1, blank rows 2 and 6, row 7
    assert any("repeated header" in n and "(row 7)" in n for n in chronology.notes)
    assert [(r.row, r.column) for r in chronology.rejections] == [(8, "Date"), (9, None), (10, "Date")]
    assert "31/02/2023" in chronology.rejections[0].reason
    assert chronology.rejections[1].reason.startswith("no details")
    assert chronology.rejections[2].reason == "no date: 'No date at all'"  # s18: the row's text quoted
    assert chronology.columns["description"] == "Details" and chronology.unmapped_columns == ["Local ref"]
    assert hidden.hidden and hidden.rows_read == 0 and "hidden sheet" in hidden.notes[0]
    assert second.rows_accepted == 1

    rows = contacts.set_index(["source_sheet", "source_row"])
    merged = rows.loc[("Chronology", 5)]
    assert merged["date"] == pd.Timestamp("2023-01-05 11:00") and merged["time_known"]
    assert rows.loc[("Chronology", 4), "extra"] == '{"Local ref": "R1"}'
    assert rows.loc[("Chronology", 5), "extra"] == ""
    assert rows.loc[("Chronology", 11), "date_precision"] == "month"
    assert bool(rows.loc[("Chronology", 4), "child_seen"]) is True
    assert rows.loc[("Chronology", 4), "description"] == "Home visit, bruise on cheek"
    assert (contacts["source_file"] == "health_visiting.xlsx").all()
    assert list(contacts["source_sheet"]) == ["2024", "Chronology", "Chronology", "Chronology"]
    assert contacts[["source_file", "source_sheet", "source_row"]].equals(
        contacts[["source_file", "source_sheet", "source_row"]].sort_values(["source_file", "source_sheet", "source_row"])
    )


def test_event_ids_are_stable_across_runs(tmp_path, load_contacts):
    xlsx_layout(tmp_path)
    first, _ = load_contacts(_case(tmp_path))
    second, _ = load_contacts(_case(tmp_path))
    pd.testing.assert_frame_equal(first, second)
    assert first["event_id"].str.fullmatch(r"E[0-9a-f]{12}").all()


def test_agency_default_comes_from_case_yml_then_the_file_name(tmp_path, load_contacts):
    xls_layout(tmp_path)
    csv_semicolon(tmp_path)
    contacts, _ = load_contacts(_case(tmp_path, files=[{"path": "school.xls", "agency": "Brook Primary School"},
                                                      "gp_semicolon.csv"]))
    from review import vocab
    from review.config import load_vocab

    v = load_vocab(tmp_path)
    school = contacts[contacts["source_file"] == "school.xls"]
    assert set(school["agency"]) == {vocab.normalise_agency("Brook Primary School", v)[0]}
    gp = contacts[contacts["source_file"] == "gp_semicolon.csv"]
    assert set(gp["agency"]) == {vocab.normalise_agency("GP", v)[0]}


def test_organisation_names_the_agency_when_there_is_no_agency_column(tmp_path, load_contacts):
    (tmp_path / "trust.csv").write_text("Date,Organisation,Details\n01/02/2023,North Mid,A&E attendance\n")
    contacts, _ = load_contacts(_case(tmp_path))
    assert contacts.loc[0, "agency"] == "North Middlesex University Hospital"
    assert contacts.loc[0, "organisation"] == "North Mid"  # the organisation column is kept as written


def test_agency_declared_in_case_yml_beats_a_service_column(tmp_path, load_contacts):
    (tmp_path / "trust.csv").write_text("Date,Service,Details\n01/02/2023,Paediatrics,Clinic\n")
    contacts, _ = load_contacts(_case(tmp_path, files=[{"path": "trust.csv", "agency": "North Mid"}]))
    assert contacts.loc[0, "agency"] == "North Middlesex University Hospital"
    assert contacts.loc[0, "organisation"] == "Paediatrics"


def test_section_heading_rows_are_skipped_not_rejected(tmp_path, load_contacts):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Details", "Outcome"])
    ws.append(["2023", None, None])  # 2: a year banner (merged across the row)
    ws.append(["01/02/2023", "Visit", "Advice"])
    ws.append(["Health Visiting", None, None])  # 4
    ws.append(["02/02/2024", "Call", None])
    ws.append([None, "continued: mother to ring back", None])  # 6: text without a date is still rejected
    ws.merge_cells("A2:C2")
    wb.save(tmp_path / "hv.xlsx")
    contacts, report = load_contacts(_case(tmp_path))
    (sheet,) = report.files
    assert list(contacts["source_row"]) == [3, 5] and list(contacts["description"]) == ["Visit", "Call"]
    assert sheet.rows_skipped == 2 and any("2 section heading row(s) skipped (rows 2, 4)" in n for n in sheet.notes)
    assert [(r.row, r.reason) for r in sheet.rejections] == [(6, "no date: 'continued: mother to ring back'")]


def test_unmapped_columns_are_kept_in_extra_as_json(tmp_path, load_contacts):
    (tmp_path / "gp.csv").write_text("Date,Details,Read code,Clinician ID\n01/02/2023,Visit,XaB12,Dr Ünal\n",
                                     encoding="utf-8")
    contacts, report = load_contacts(_case(tmp_path))
    assert json.loads(contacts.loc[0, "extra"]) == {"Clinician ID": "Dr Ünal", "Read code": "XaB12"}
    # s15: in the sheet's column order (it was alphabetical), as "Other columns" shows them
    assert contacts.loc[0, "extra"] == '{"Read code": "XaB12", "Clinician ID": "Dr Ünal"}'
    assert report.files[0].unmapped_columns == ["Read code", "Clinician ID"]


def test_yaml_profile_for_an_unusual_layout(tmp_path, load_contacts):
    write_police_profile(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Occurrences"
    ws.append(["METROPOLITAN POLICE SERVICE"])
    ws.append(["Date", "of report: 01/01/2024"])  # looks like a header to generic detection; the profile knows better
    ws.append([])
    ws.append(["Occurrence Date", "Occ Type", "Occurrence summary", "OIC", "Child seen"])
    ws.append(["01/02/2023", "DA", "Domestic incident at address", "PC 123", "Y"])
    ws.append(["02/02/2023", "Other", "Follow-up call", "PC 123", "NK"])
    wb.create_sheet("Lookups").append(["Date", "Details"])
    wb.save(tmp_path / "police.xlsx")
    contacts, report = load_contacts(_case(tmp_path, files=[{"path": "police.xlsx", "profile": "police_niche"}]))
    (occurrences,) = report.files  # only the profile's sheets are read
    assert occurrences.profile == "police_niche" and occurrences.header_row == 4
    assert occurrences.columns == {"date": "Occurrence Date", "role": "OIC", "contact_type": "Occ Type",
                                   "description": "Occurrence summary", "child_seen": "Child seen"}
    assert list(contacts["contact_type"])[0] == "police_callout"
    assert list(contacts["child_seen"].astype(object)) == [True, pd.NA]
    assert list(contacts["role"]) == ["PC 123", "PC 123"]
    assert occurrences.balanced and occurrences.rows_skipped == 3


def test_unknown_profile_in_case_yml(tmp_path, load_contacts):
    csv_semicolon(tmp_path)
    case = _case(tmp_path, files=[{"path": "gp_semicolon.csv", "profile": "missing"}])
    with pytest.raises(ConfigError, match="unknown profile 'missing'") as err:
        load_contacts(case)
    assert err.value.file.endswith("case.yml")


def test_sheet_without_a_header_rejects_every_row(tmp_path, load_contacts):
    csv_no_header(tmp_path)
    contacts, report = load_contacts(_case(tmp_path))
    (notes,) = report.files
    assert contacts.empty and notes.rows_read == 3 and notes.rows_rejected == 3 and notes.rows_skipped == 1
    # one rejection for the sheet, naming its rows (s17: it was one line per row)
    (rejection,) = notes.rejections
    assert rejection.count == 3 and rejection.reason.startswith("no header row found")
    assert rejection.reason.endswith(": rows 1-2 and 4 (3 rows) rejected")


# ---------------------------------------------------------------------------------------------------
# Property: whatever the rows hold, every row is accounted for
# ---------------------------------------------------------------------------------------------------
def test_any_sheet_balances(tmp_path, load_contacts):
    from hypothesis import HealthCheck, example, given, settings
    from hypothesis import strategies as st

    from review.config import load_vocab
    from review.ingest.load import contacts_from_table

    case = _case(tmp_path)
    vocab = load_vocab(tmp_path)
    profile = load_profile(None, case)
    cell = st.one_of(
        st.none(),
        st.sampled_from(["01/02/2023", "31/02/2023", "2023", "March 2023", "Date", "Details", "Visit", "Yes", " "]),
        st.text(max_size=12),
        st.integers(-5, 50000),
        st.dates(dt.date(1890, 1, 1), dt.date(2110, 1, 1)),
    )
    row = st.lists(cell, min_size=0, max_size=5)

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(above=st.lists(row, max_size=3), below=st.lists(row, max_size=12))
    # a second table's header straight under the header: it was counted neither read nor skipped (s17)
    @example(above=[], below=[["Details", "Date"]])
    def check(above, below):
        rows = [[None if v == " " else v for v in r] for r in above + [["Date", "Details", "Outcome"]] + below]
        table = RawTable("f.csv", "", rows, list(range(1, len(rows) + 1)))
        contacts, report = contacts_from_table(table, FileSpec(path="f.csv"), profile, case, vocab)
        rejected = sum(r.count for r in report.rejections)  # a sheet without a header: one rejection of its rows
        assert report.rows_read == report.rows_accepted + report.rows_rejected == rejected + len(contacts)
        header = 0 if report.header_row is None else 1
        assert header + report.rows_read + report.rows_skipped == len(rows)

    check()


# ---------------------------------------------------------------------------------------------------
# Two-row headers
# ---------------------------------------------------------------------------------------------------
def test_a_group_heading_over_two_columns_and_the_names_below_it_are_one_header():
    table = _table([
        ["Chronology: Health Visiting", None, None, None],
        ["Date", "Contact", "Contact", "Outcome"],  # "Contact" merged across two columns, filled
        [None, "Type", "Details", None],
        ["01/03/2023", "Home visit", "Seen at home", "Seen"],
    ])
    match = detect_header(table, load_profile("generic"))
    assert (match.top, match.index, match.row) == (1, 2, 3)
    assert match.headers == ("Date", "Contact Type", "Contact Details", "Outcome")
    assert match.columns["date"] == 0 and match.columns["contact_type"] == 1
    assert match.columns["description"] == 2 and match.columns["action"] == 3


def test_a_header_row_followed_by_a_data_row_of_texts_stays_one_row():
    """In a csv every cell is text: a first data row whose texts happen to name fields ("Seen") is data,
    because its date reads as a date."""
    table = _table([["Date", "Type of contact", "Details", None], ["01/03/2023", "Home visit", "Details", "Seen"]])
    match = detect_header(table, load_profile("generic"))
    assert (match.top, match.index) == (None, 0)


def test_a_two_row_header_in_a_workbook_is_read_and_noted(tmp_path, load_contacts):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Contact", None, "Outcome"])
    ws.merge_cells("B1:C1")
    ws.append([None, "Type", "Details", None])
    ws.append([dt.datetime(2023, 3, 1), "Home visit", "Seen at home, bruise to ear", "Referred to CSC"])
    ws.append([dt.datetime(2023, 3, 9), "Clinic", "Weight check", "Seen"])
    wb.save(tmp_path / "hv.xlsx")
    contacts, report = load_contacts(_case(tmp_path, [{"path": "hv.xlsx", "agency": "Health Visiting"}]))
    assert report.rows_rejected == 0 and len(contacts) == 2 and report.balanced
    assert contacts["description"].tolist() == ["Seen at home, bruise to ear", "Weight check"]
    assert contacts["source_row"].tolist() == [3, 4]
    sheet = report.files[0]
    assert sheet.header_row == 2 and sheet.columns["description"] == "Contact Details"
    assert any(note.startswith("header in two rows (1 and 2)") for note in sheet.notes)
