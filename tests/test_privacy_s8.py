"""Identifying data that `review build --redact` used to let through, besides names and the date of birth:

- the family's address written in the agencies' text ("the flat on Brontë Court", in the sample case):
  case.yml `addresses` lists it, and every output shows "[address]";
- NHS numbers and postcodes written in the text;
- event and flag ids: the pipeline's are hashes of the case id, the source file's name and its sheet,
  so that a reader of the anonymised view could confirm a guessed name by hashing it; the anonymised
  view gives ids made from what it shows only.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

import review.build as build_module
from review.config import load_case_config
from review.errors import ConfigError
from review.export import save_figure
from review.redact import Identifiers, Redactor

from test_privacy import output_texts, svg_and_pdf_charts

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "cases" / "sample"


def write_case(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "case.yml").write_text(yaml.safe_dump({
        "case_id": "CSPR-Brook-2024", "date_of_birth": "2023-02-14", "mobile_from": "2023-10-20",
        "review_date": "2024-03-31", "child_name": "Alfie Brook",
        "people": {"Kerry Brook": "Mother", "Dean Marsh": "Mother's partner"},
        "addresses": ["Flat 3, Acacia Court, Eastborough"],
        "files": [{"path": "kerry_brook_hv.csv", "agency": "Health Visiting"}],
    }, allow_unicode=True), encoding="utf-8")
    rows = [
        ["Date", "Practitioner", "Type of contact", "Details of contact", "Outcome"],
        ["01/03/2023", "HV", "Home visit", "Home visit to Flat 3, Acacia Court. Alfie seen, NHS no 943 476 5919.", "Seen"],
        ["15/05/2023", "HV", "Home visit",
         "Bruise to Alfie's cheek, explanation inconsistent; Dean Marsh present at ACACIA COURT (EB1 2XY).", "Advice"],
        ["20/06/2023", "GP", "Clinic", "Kerry seen; NHS number 9434765919 checked. Lives on Acacia Court.", "Seen"],
    ]
    with (folder / "kerry_brook_hv.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("s8privacy")
    case_dir = write_case(root / "Alfie_Brook")
    out = root / "report"
    with svg_and_pdf_charts():
        manifest = build_module.build_report(case_dir, out, redact=True, progress=False)
    _, named = build_module._load_and_analyse(case_dir)
    return case_dir, out, manifest, named


LEAKS = re.compile(r"acacia|943 ?476 ?5919|EB1 ?2XY|kerry|brook|marsh|alfie", re.IGNORECASE)


def test_addresses_nhs_numbers_and_postcodes_leave_no_trace(built):
    _, out, manifest, _ = built
    texts = output_texts(out)
    assert {Path(name.split("!")[0]).suffix for name in texts} >= {".xlsx", ".docx", ".csv", ".html", ".svg", ".pdf", ".json"}
    found = {name: sorted(set(LEAKS.findall(text))) for name, text in texts.items() if LEAKS.search(text)}
    assert found == {}
    chronology = (out / "chronology.csv").read_text(encoding="utf-8-sig")
    assert "Home visit to [address]. Child A seen, NHS no [NHS number]." in chronology
    assert "[address] ([postcode])" in chronology
    assert manifest["case_config"]["values"]["addresses"] == "[redacted]"
    assert manifest["view"]["addresses_redacted"] == 1


def test_no_output_shows_an_id_made_from_the_real_names(built):
    """Every event id and flag id of the named analysis (hashes of "CSPR-Brook-2024", "kerry_brook_hv.csv",
    ...) is absent from every output; the anonymised ids still tie the flags to the chronology."""
    _, out, _, named = built
    old = set(named.timeline["event_id"]) | set(named.flags["flag_id"])
    assert named.flags is not None and len(named.flags), "the case must raise a flag"
    # the pipeline's event id is the hash of the real case id, file name, sheet and row
    row = named.timeline.iloc[0]
    real = "E" + hashlib.sha1(f"CSPR-Brook-2024|kerry_brook_hv.csv|{row['source_sheet']}|{row['source_row']}".encode()).hexdigest()[:12]
    assert real in old
    digests = {re.sub(r"^.*[-:]", "", i) for i in old}
    texts = output_texts(out)
    found = {name: [d for d in digests if d in text] for name, text in texts.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}
    chronology = list(csv.DictReader((out / "chronology.csv").open(encoding="utf-8-sig")))
    flags = list(csv.DictReader((out / "flags.csv").open(encoding="utf-8-sig")))
    events = {r["Event id"] for r in chronology}
    assert len(events) == len(chronology) and all(re.fullmatch(r"E[0-9a-f]{12}", e) for e in events)
    for flag in flags:
        assert flag["Trigger event id"] in events
        assert set(filter(None, flag["Evidence event ids"].split("; "))) <= events
        assert re.fullmatch(rf"{flag['Rule']}-[0-9a-f]{{12}}", flag["Flag id"])


def test_the_redacted_build_verifies(built):
    case_dir, out, _, _ = built
    with svg_and_pdf_charts():
        assert build_module.verify_report(out, case_dir=case_dir).ok


def test_the_sample_case_lists_its_address_and_no_output_shows_it(tmp_path):
    assert load_case_config(SAMPLE).addresses == ("Brontë Court",)
    out = tmp_path / "sample"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_module, "save_figure", lambda fig, stem, d: save_figure(fig, stem, d, ("svg",)))
        build_module.build_report(SAMPLE, out, redact=True, progress=False)
    texts = output_texts(out)
    assert [name for name, text in texts.items() if re.search(r"bront", text, re.IGNORECASE)] == []
    assert "on [address]" in (out / "chronology.csv").read_text(encoding="utf-8-sig")


# ---------------------------------------------------------------------------------------------------
# the pieces
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the flat on Brontë Court.", "the flat on [address]."),
        ("BRONTE COURT", "[address]"),
        ("moved from 12 Acacia Avenue, Eastborough", "moved from [address], Eastborough"),
        ("Acacia Avenue", "[address]"),
        ("Eastborough Police attended", "Eastborough Police attended"),  # the town alone is not the address
        ("Brontë Courtyard", "Brontë Courtyard"),
    ],
)
def test_listed_addresses_are_replaced_in_every_form(text, expected):
    redactor = Redactor(addresses=("Flat 3, Brontë Court", "12 Acacia Avenue, Eastborough EB1 2XY"))
    assert redactor.text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NHS no: 943 476 5919", "NHS no: [NHS number]"),
        ("NHS number 1234567890", "NHS number [NHS number]"),  # labelled: whatever its check digit
        ("ref 943-476-5919", "ref [NHS number]"),  # a valid check digit
        ("tel 020 7946 0018", "tel [phone number]"),
        ("score 1234567890", "score 1234567890"),
        ("postcode EB1 2XY, SW1A 1AA", "postcode [postcode], [postcode]"),
        ("room B12 1st floor", "room B12 1st floor"),
    ],
)
def test_nhs_numbers_and_postcodes_are_replaced(text, expected):
    assert Redactor().text(text) == expected


@pytest.mark.parametrize("value", [{"street": "x"}, [["x"]], True])
def test_addresses_that_are_not_text_are_a_config_error(tmp_path, value):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "case.yml").write_text(yaml.safe_dump({"case_id": "c", "date_of_birth": "2023-01-01", "addresses": value}),
                                     encoding="utf-8")
    with pytest.raises(ConfigError, match="addresses"):
        load_case_config(folder)


def test_identifiers_are_made_from_what_is_shown_and_keep_the_tables_linked():
    import pandas as pd

    timeline = pd.DataFrame({"event_id": ["E111111111111", "E222222222222"], "seq": [1, 2], "case_id": ["c", "c"],
                             "source_file": ["Mother_gp.csv"] * 2, "source_sheet": ["", ""], "source_row": [2, 3],
                             "event_group": ["E111111111111", "E111111111111"]})
    flags = pd.DataFrame({"flag_id": ["rule_a-aaaaaaaaaaaa"], "rule_id": ["rule_a"], "trigger_event_id": ["E222222222222"],
                          "evidence_event_ids": ["E111111111111; E222222222222"], "explanation": ["late"]})
    ids = Identifiers(timeline, flags)
    new_timeline, new_flags = ids.frame(timeline), ids.frame(flags)
    assert "E111111111111" not in json.dumps(new_timeline.to_dict()) + json.dumps(new_flags.to_dict())
    assert new_flags["trigger_event_id"][0] == new_timeline["event_id"][1]
    assert new_timeline["event_group"].tolist() == [new_timeline["event_id"][0]] * 2
    assert new_flags["flag_id"][0].startswith("rule_a-") and new_flags["flag_id"][0] != "rule_a-aaaaaaaaaaaa"
    # a flag id no table defines (a decision on a flag no longer raised) is not hashed again
    assert ids.text("see rule_b-bbbbbbbbbbbb") == "see rule_b-unknown1"
    # the same tables give the same ids
    assert Identifiers(timeline, flags).frame(flags).equals(new_flags)
