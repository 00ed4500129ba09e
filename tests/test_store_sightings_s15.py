"""The child's given name in a case store (s15): the store's case table keeps case.yml child_name's given
name alone (child_given_name), so that a case analysed again from the store (pandas `analyse_cases`, Dask
`analyse_store`) reads "Maisie seen" as the child seen, as the case's own build does: the same sightings,
and no child_not_seen flag the single build does not raise. The full name is never stored."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from review.pipeline import analyse, load_case
from review.sightings import given_name
from review.store import analyse_cases, build_all, case_configs, read_store
from review.thematic import sightings_by_agency_kind, sightings_by_case
from review.thematic_report import thematic_contacts, write_thematic

HV = ("Date,Type,Details,Action\n"
      "02/02/2022,Home visit,NBV day 12. Maisie seen.,Routine\n"
      "16/03/2022,Home visit,Maisie seen; bruise to left ear. Explanation: caught on cot,Discuss with GP\n"
      "18/03/2022,Strategy discussion,Strategy discussion held,S47 agreed\n"
      "20/04/2022,Home visit,Maisie seen in her cot,Weekly visits\n"
      "10/05/2022,Home visit,Maisie seen,Weekly visits\n")


def _case(folder: Path, child_name: str = "Maisie Quinlan-Roe") -> Path:
    folder.mkdir(parents=True)
    (folder / "hv.csv").write_text(HV, encoding="utf-8")
    (folder / "case.yml").write_text(
        f"case_id: cedar\ndate_of_birth: 2022-01-21\nchild_name: {child_name}\nfiles:\n"
        "  - {path: hv.csv, agency: Hollybank Health Visiting}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("s15store")
    folder = _case(root / "cases" / "cedar")
    build_all(root / "cases", root / "store", progress=False)
    return folder, root / "store"


def _seen(frame: pd.DataFrame) -> list:
    ordered = frame.sort_values(["date", "event_id"], kind="stable")
    return [None if pd.isna(v) else bool(v) for v in ordered["child_seen_inferred"]]


def test_given_name_is_the_first_word_only():
    assert given_name("Maisie Quinlan-Roe") == "Maisie"
    assert given_name("  Kai  ") == "Kai"
    assert given_name(None) == given_name("") == given_name(pd.NA) == given_name("   ") == ""


def test_the_store_keeps_the_given_name_alone(built):
    _, store = built
    cases = read_store(store, "cases")
    assert cases["child_given_name"].tolist() == ["Maisie"]
    # the full name is nowhere in the case table (the surname is the part that identifies the family)
    assert not cases.astype("string").apply(lambda c: c.str.contains("Quinlan", na=False)).any().any()
    assert case_configs(cases)["cedar"].child_name == "Maisie"


def test_the_store_and_the_single_build_give_the_same_sightings(built):
    folder, store = built
    single = analyse(load_case(folder))
    assert _seen(single.timeline) == [True, True, None, True, True]
    contacts = thematic_contacts(store)  # what `review thematic` counts: the stored timeline's reading
    assert _seen(contacts) == _seen(single.timeline)
    pd.testing.assert_frame_equal(sightings_by_agency_kind(contacts).reset_index(drop=True),
                                  sightings_by_agency_kind(single.timeline).reset_index(drop=True))
    by_case = sightings_by_case(contacts)
    assert by_case.equals(sightings_by_case(single.timeline))
    # analysed again from the store's tables: before, the given name was not kept, none of the four
    # "Maisie seen" visits was a sighting and a child_not_seen flag the build does not raise followed
    again = analyse_cases(read_store(store, "contacts"), read_store(store, "cases"))
    assert _seen(again["timeline"]) == _seen(single.timeline)
    assert sorted(again["flags"]["rule_id"]) == sorted(single.flags["rule_id"])
    assert "child_not_seen" not in set(again["flags"]["rule_id"])


def test_the_dask_path_reads_the_given_name_too(built):
    pytest.importorskip("distributed")
    from review.distributed import analyse_store, dask_client

    folder, store = built
    single = analyse(load_case(folder))
    with dask_client(n_workers=1, processes=False) as client:
        result = analyse_store(store, client=client, tables=("timeline", "flags"))
    assert _seen(result["timeline"]) == _seen(single.timeline)
    assert sorted(result["flags"]["flag_id"]) == sorted(read_store(store, "flags")["flag_id"])


def test_an_older_store_without_the_column_reads_as_before(built):
    _, store = built
    cases = read_store(store, "cases").drop(columns="child_given_name")
    again = analyse_cases(read_store(store, "contacts"), cases)
    assert again["timeline"]["child_seen_inferred"].isna().all()  # no name: "Maisie seen" says nothing


def test_a_redacted_thematic_report_does_not_carry_the_name(built, tmp_path):
    _, store = built
    write_thematic(store, tmp_path / "th", formats=("svg",), redact=True)
    for path in (tmp_path / "th").iterdir():
        assert "Maisie" not in path.read_text(encoding="utf-8", errors="replace"), path.name
