"""s19 (QA6 defect 2): no text of a mapped column is lost silently.

hillcrest_academy.xlsx's free-text "Nature of concern" column (mapped to `concerns` by the generic profile) was
read for tags only: its sentences reached no output and were not listed under "Columns not analysed". Now a
concerns column of free text is narrative (the description, or after it under its header) whatever header names
the concerns, and a Concerns cell of categories that are not all read as concerns stays under Other columns.
The last test writes a text in each column the generic profile maps and checks that it reaches an output.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from review.config import CaseConfig, FileSpec, load_vocab
from review.ingest.headers import FIELDS, load_profile
from review.ingest.load import contacts_from_table
from review.ingest.tables import RawTable

CASE = CaseConfig(case_dir=Path("."), case_id="T-CON", child_name="Leah Corrigan", date_of_birth=dt.date(2009, 4, 10))


def _read(rows, agency="Hillcrest Academy"):
    table = RawTable(file="f.xlsx", sheet="S", rows=[list(r) for r in rows], row_numbers=list(range(1, len(rows) + 1)))
    return contacts_from_table(table, FileSpec(path="f.xlsx", agency=agency), load_profile(None), CASE, load_vocab())


def _everything(contacts, report) -> str:
    """All the text a build shows of these rows: every field, Other columns, the notes and warnings."""
    texts = [str(v) for column in contacts.columns for v in contacts[column].tolist()]
    texts += [*report.notes, *(w.message for w in report.warnings)]
    return "\n".join(texts)


def test_a_nature_of_concern_column_of_sentences_is_the_description():
    contacts, report = _read([
        ["Date raised", "Staff", "Nature of concern", "Action taken", "Status"],
        ["21/09/2020", "DSL", "Leah joined Year 7. Child protection file not received from the primary school.",
         "Requested CP file by email.", "Open"],
        ["08/02/2021", "Form tutor", 'A friend reported Leah told her "someone at home touches me". DSL spoke to Leah.',
         "Logged. Monitor.", "Open"],
    ])
    # was: no description column, the sentences in no output and not under "Columns not analysed"
    assert report.columns["description"] == "Nature of concern" and "concerns" not in report.columns
    assert contacts["description"].tolist()[1].startswith('A friend reported Leah told her "someone at home')
    assert any("'Nature of concern' is read as narrative (its values are free text" in n for n in report.notes)


def test_a_nature_of_concern_column_of_sentences_beside_a_description_follows_it():
    contacts, report = _read([
        ["Date", "Nature of concern", "Details", "Action"],
        ["24/01/2020", "Told a friend that someone at home touches her at night.", "Reported by tutor.", "Monitor."],
        ["11/02/2020", "Seen getting into a car with an older male at the gate.", "Reported by PE teacher.", "Logged."],
    ])
    assert "concerns" not in report.columns
    assert contacts["description"].tolist()[0] == ("Reported by tutor.\nNature of concern: Told a friend that someone "
                                                  "at home touches her at night.")


def test_a_category_no_concern_reads_stays_under_other_columns():
    contacts, report = _read([
        ["Date", "Type of concern", "Details"],
        ["24/01/2020", "Neglect", "Home conditions poor."],
        ["11/02/2020", "Bullying", "Upset at break time."],
        ["12/02/2020", "Neglect; Zorblat", "Hungry at school."],
    ])
    assert report.columns["concerns"] == "Type of concern"  # categories: still the concerns column
    extra = contacts["extra"].tolist()
    assert extra[0] == ""  # read as a concern: a field
    assert "Bullying" in extra[1] and "Zorblat" in extra[2]  # was: in no output
    assert "neglect" in contacts["concerns"].tolist()[2]


#: fields a cell of text cannot be (a date or time is read or its row rejected, a sequence is a number)
_NOT_TEXT = {"date", "time", "date_end", "time_end", "sequence"}


@pytest.mark.parametrize("field", [f for f in FIELDS if f not in _NOT_TEXT])
@pytest.mark.parametrize("value", ["Zorblat", "Zorblat was seen at the flat by the duty worker today"])
def test_the_text_of_every_mapped_column_reaches_an_output(field, value):
    profile = load_profile(None)
    header = next(h for h, (name, _) in profile.lookup().items() if name == field)
    rows = [["Date", "Details", header], ["24/01/2020", "Home visit.", value], ["25/01/2020", "Phone call.", value]]
    if field == "description":
        rows = [["Date", header], ["24/01/2020", value], ["25/01/2020", value]]
    contacts, report = _read(rows)
    assert report.rows_accepted == 2
    assert "Zorblat" in _everything(contacts, report), (field, header, report.columns)
