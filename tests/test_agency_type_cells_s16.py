"""An agency's own words for its contacts in a type cell (s16, vocab.yml `agency_type_cells`): "Majors", "Minors",
"Resus", "Triage", "Paeds ED", "UTC", "See and treat" in an emergency department's file are A&E attendances;
"Domestic", "Concern for welfare", "Missing person" in a police incident-type column are call-outs. Before,
these cells named no type (an unknown-type warning, the row typed by its description). In another agency's
row the cell still names no type, and a description is never read for these words."""
from __future__ import annotations


import pytest

from review.config import load_case_config, load_vocab
from review.ingest.load import load_contacts
from review.vocab import agency_cell_contact_type, classify_contact_type

from test_contact_types_s16 import make_case  # a case folder of csv chronologies

VOCAB = load_vocab()
ED_CELLS = ["Majors", "Minors", "Resus", "Triage", "Paeds ED", "UTC", "See and treat"]
POLICE_CELLS = ["Domestic", "Domestic incident", "Concern for welfare", "Missing person"]


@pytest.mark.parametrize("cell", ED_CELLS)
def test_an_emergency_departments_area_is_an_ae_attendance(cell):
    assert agency_cell_contact_type(cell, "Westshire ED", VOCAB) == "ae_attendance"
    assert classify_contact_type(cell, "Seen by nurse.", VOCAB,
                                 agency=("Westshire General Hospital", "Paediatric Emergency Department")) == "ae_attendance"
    # another agency's cell of the same words names no type: the row is typed by its description; but a cell
    # naming the department itself ("Paeds ED") is the child's A&E attendance in any agency's row (s18,
    # `any_agency_cells`: tests/test_contact_types_s18.py)
    if cell == "Paeds ED":
        assert agency_cell_contact_type(cell, "Larkfield Medical Practice", VOCAB) == "ae_attendance"
        return
    assert agency_cell_contact_type(cell, "Larkfield Medical Practice", VOCAB) == ""
    assert classify_contact_type(cell, "Telephone call to mother.", VOCAB, agency="Larkfield Medical Practice") == "phone_call"


@pytest.mark.parametrize("cell", POLICE_CELLS)
def test_a_police_incident_type_is_a_call_out(cell):
    assert classify_contact_type(cell, "Officers attended.", VOCAB, agency="Westshire Police") == "police_callout"
    assert classify_contact_type(cell, "Officers attended.", VOCAB, agency="Westshire Constabulary") == "police_callout"


@pytest.mark.parametrize("cell", ["Domestic", "Concern for welfare", "Missing person"])
def test_a_police_word_in_another_agencys_cell_or_description_names_no_call_out(cell):
    assert classify_contact_type(cell, "Seen in clinic.", VOCAB, agency="Eastborough Health Visiting") != "police_callout"
    assert classify_contact_type("", f"{cell}. Mother upset.", VOCAB, agency="Eastborough Health Visiting") != "police_callout"
    assert classify_contact_type("", f"{cell}.", VOCAB, agency="Westshire Police") != "police_callout"  # no type cell


def test_a_type_the_cell_names_still_wins():
    assert classify_contact_type("Triage phone call", "", VOCAB, agency="Westshire ED") == "phone_call"
    assert classify_contact_type("Missing person strategy meeting", "", VOCAB, agency="Westshire Police") == "strategy_discussion"


def test_ingest_reads_the_agencys_cells_without_an_unknown_type_warning(tmp_path):
    ed = ("Date,Type of contact,Details\n"
          "01/02/2024,Majors,Fall from sofa. Head injury.\n"
          "03/04/2024,Resus,Seizure.\n"
          "05/04/2024,Meeting,Safeguarding team meeting.\n")
    police = ("Date,Incident type,Details\n"
              "02/02/2024,Domestic,Shouting heard by neighbour. Children present.\n"
              "03/02/2024,Missing person,Mother reported older sibling missing.\n")
    hv = ("Date,Type of contact,Details\n"
          "04/02/2024,Domestic,Discussed with mother at clinic.\n")
    case = make_case(tmp_path, {"ed.csv": ("Westshire Emergency Department", ed), "police.csv": ("Westshire Police", police),
                                "hv.csv": ("Eastborough Health Visiting", hv)})
    contacts, report = load_contacts(load_case_config(case), VOCAB)
    types = contacts.sort_values(["source_file", "source_row"]).groupby("source_file")["contact_type"].agg(list).to_dict()
    assert types == {"ed.csv": ["ae_attendance", "ae_attendance", "other"],
                     "police.csv": ["police_callout", "police_callout"],
                     "hv.csv": ["clinic_appointment"]}
    warned = {f.file: [w.message for w in f.warnings if "name no type" in w.message] for f in report.files}
    assert len(warned["ed.csv"]) == 1 and "'Meeting'" in warned["ed.csv"][0] and "Majors" not in warned["ed.csv"][0]
    assert warned["police.csv"] == []
    assert len(warned["hv.csv"]) == 1 and "'Domestic'" in warned["hv.csv"][0]  # another agency's: still warned about
    extra = contacts.set_index("source_file")["extra"]
    assert "Domestic" in extra["hv.csv"] and "Domestic" not in extra["police.csv"].str.cat()
