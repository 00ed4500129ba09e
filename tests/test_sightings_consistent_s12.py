"""Sightings read from the text (review.sightings) used consistently: a cue about someone else is no
sighting, a case's vocab.yml adds to the sighting words (per case, also over many cases), the outputs count
read sightings apart from recorded ones, and an old store without child_seen_inferred still reads."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from review.config import CaseConfig
from review.rules.base import vocab_key
from review.sightings import SEEN, SEEN_READ, UNKNOWN, inferred_sightings, read_sighting, sighting_status


# --- 3. the subject of a cue ---------------------------------------------------------------------------------
OTHERS = [
    "Sibling seen and examined",
    "Mother seen alone",
    "Baby's brother observed playing",
    "Home visit, mother seen alone",
    "GP examined the sibling",
    "Sibling seen with mother",
    "Child's sister examined by the GP",
]
CHILD = [
    "Seen and examined",
    "Examined by GP",
    "Mother and baby seen and examined",
    "Child and mother seen alone",
    "Mother seen alone, child observed playing",
    "Sibling seen and examined; child seen",
    "examined mother and baby",
    "Seen with mother",
]


@pytest.mark.parametrize("text", OTHERS)
def test_a_cue_about_someone_else_is_no_sighting(text):
    assert read_sighting("home_visit", "", text) is None


@pytest.mark.parametrize("text", CHILD)
def test_a_cue_about_the_child_or_no_one_is_a_sighting(text):
    assert read_sighting("home_visit", "", text) is True


def _frame(texts, types=None, keys=None):
    n = len(texts)
    return pd.DataFrame({
        "child_seen": pd.array([pd.NA] * n, dtype="boolean"),
        "contact_type": types or ["home_visit"] * n,
        "concerns": [""] * n,
        "description": texts,
        "action": [""] * n,
    })


def test_the_table_reading_is_the_row_reading_for_subjects():
    # many texts: the negation pre-filter and `_found` path are taken too (`_NEGATION_SEARCH_FROM`)
    texts = [f"{t} on visit {i}." for i in range(40) for t in OTHERS + CHILD]
    texts += [f"Long note {i}: home visit with the family, parents spoke about housing; {t}; plan agreed."
              for i, t in enumerate(OTHERS + CHILD)]
    out = inferred_sightings(_frame(texts))
    rows = [read_sighting("home_visit", "", t) for t in texts]
    assert [None if pd.isna(v) else bool(v) for v in out.astype(object)] == rows
    assert rows.count(True) == 41 * len(CHILD)


def test_the_baseline_reads_subjects_as_the_package():
    from review.rules.testing import make_timeline
    from tests._baseline import baseline_rowwise

    rows = [{"date": f"2023-03-{i + 1:02d}", "description": t} for i, t in enumerate(OTHERS + CHILD)]
    timeline = make_timeline(rows)
    plain = timeline.drop(columns="child_seen_inferred").astype(object)
    records = plain.where(plain.notna(), None).to_dict("records")
    for r in records:
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
    base = baseline_rowwise.build_timeline(records, {"date_of_birth": dt.date(2023, 1, 1)})
    by_id = {r["event_id"]: r["child_seen_inferred"] for r in base}
    package = dict(zip(timeline["event_id"], timeline["child_seen_inferred"].astype(object)))
    assert {k: None if pd.isna(v) else bool(v) for k, v in package.items()} == by_id
    assert sum(v is True for v in by_id.values()) == len(CHILD)


# --- 2. a case's own vocabulary ---------------------------------------------------------------------------
OWN = {"sighting_cues": ["eyes on child"], "sighting_contact_types": ["home_visit"],
       "sighting_remote_words": ["voicemail"]}


def test_a_case_vocabulary_adds_sighting_words():
    key = vocab_key(OWN)
    assert read_sighting("phone_call", "", "Eyes on child at nursery") is None
    assert read_sighting("phone_call", "", "Eyes on child at nursery", vocab=key) is True
    assert read_sighting("home_visit", "", "Visit to the family") is None
    assert read_sighting("home_visit", "", "Visit to the family", vocab=key) is True
    assert read_sighting("home_visit", "", "Voicemail left for the family", vocab=key) is None
    # the package's words still read
    assert read_sighting("phone_call", "", "Child seen", vocab=key) is True
    assert read_sighting("ae_attendance", "", "A&E attendance", vocab=key) is True


def test_a_case_vocabulary_adds_other_subjects():
    key = vocab_key({"sighting_other_subjects": ["lodger"]})
    assert read_sighting("home_visit", "", "Lodger seen alone") is True
    assert read_sighting("home_visit", "", "Lodger seen alone", vocab=key) is None


def test_the_table_reads_each_row_with_its_own_vocabulary():
    key = vocab_key(OWN)
    texts = ["Eyes on child at nursery", "Visit to the family", "Child seen"] * 2
    keys = np.array([key] * 3 + [""] * 3, dtype=object)
    out = inferred_sightings(_frame(texts), keys)
    assert list(out.astype(object)) == [True, True, True, pd.NA, pd.NA, True]
    assert [read_sighting("home_visit", "", t, vocab=k) for t, k in zip(texts, keys)] == \
        [None if pd.isna(v) else v for v in out.astype(object)]
    with pytest.raises(ValueError):
        inferred_sightings(_frame(texts), keys[:2])


def _contacts(case_ids, texts):
    rows = []
    for i, (c, t) in enumerate(zip(case_ids, texts)):
        rows.append({"case_id": c, "event_id": f"{c}-{i}", "date": pd.Timestamp("2023-03-01") + pd.Timedelta(days=i),
                     "date_precision": "day", "agency": "Children's Social Care", "agency_kind": "social care",
                     "contact_type": "phone_call", "description": t, "source_file": "a.csv", "source_row": i + 2})
    from review.schema import CONTACT_COLUMNS, conform

    return conform(pd.DataFrame(rows), CONTACT_COLUMNS)


def test_build_timeline_reads_a_case_with_its_vocab_yml(tmp_path):
    from review.timeline import build_timeline

    own, plain = tmp_path / "own", tmp_path / "plain"
    own.mkdir()
    plain.mkdir()
    (own / "vocab.yml").write_text("sighting_cues: [eyes on child]\n", encoding="utf-8")
    configs = {c: CaseConfig(case_dir=d, case_id=c, date_of_birth=dt.date(2022, 1, 1))
               for c, d in (("A", own), ("B", plain))}
    contacts = _contacts(["A", "A", "B", "B"], ["Eyes on child", "Phone call", "Eyes on child", "Child seen"])
    tl = build_timeline(contacts, configs).set_index("event_id")
    assert bool(tl.loc["A-0", "child_seen_inferred"]) is True
    assert pd.isna(tl.loc["B-2", "child_seen_inferred"])  # B has no such cue
    assert bool(tl.loc["B-3", "child_seen_inferred"]) is True
    one = build_timeline(contacts[contacts["case_id"] == "A"], configs["A"]).set_index("event_id")
    assert bool(one.loc["A-0", "child_seen_inferred"]) is True


def test_timeline_many_reads_each_case_with_its_vocab_json():
    from review.store import timeline_many

    cases = pd.DataFrame({"case_id": ["A", "B"], "date_of_birth": ["2022-01-01", "2022-01-01"],
                          "vocab": [json.dumps({"sighting_cues": ["eyes on child"]}), ""]})
    contacts = _contacts(["A", "B"], ["Eyes on child", "Eyes on child"])
    tl = timeline_many(contacts, cases).set_index("event_id")
    assert bool(tl.loc["A-0", "child_seen_inferred"]) is True
    assert pd.isna(tl.loc["B-1", "child_seen_inferred"])


# --- 1. the outputs -------------------------------------------------------------------------------------------
def _timeline():
    from review.rules.testing import make_timeline

    hv = {"agency": "Health Visiting", "agency_kind": "health"}
    return make_timeline([
        {"date": "2023-03-01", "child_seen": True, "description": "Home visit", **hv},
        {"date": "2023-03-05", "description": "Home visit. Child seen and weighed.", **hv},
        {"date": "2023-03-09", "description": "Home visit. Mother seen alone.", **hv},
        {"date": "2023-04-02", "concerns": "child_not_seen", "description": "Child asleep, not seen.", **hv},
        {"date": "2023-04-03", "child_seen": False, "description": "Home visit", **hv},
    ])


def test_sighting_status_tells_recorded_from_read():
    tl = _timeline()
    assert list(sighting_status(tl)) == [SEEN, SEEN_READ, UNKNOWN, "not seen (read from the text)", "not seen"]
    assert list(sighting_status(tl.drop(columns="child_seen_inferred"))) == [SEEN, UNKNOWN, UNKNOWN, UNKNOWN,
                                                                               "not seen"]


def test_agency_summary_counts_read_sightings_apart():
    from review.timeline import agency_summary

    row = agency_summary(_timeline()).iloc[0]
    assert (int(row["contacts"]), int(row["child_seen"]), int(row["child_seen_read"])) == (5, 2, 1)


def test_density_chart_shows_read_sightings_as_their_own_bars():
    from review import charts

    tl = _timeline()
    fig = charts.plot_contact_density(tl)
    bars = [a for a in fig.findobj() if (a.get_gid() or "").startswith("seen:")]
    heights = {}
    for b in bars:
        status = b.get_gid().split(":")[1]
        heights[status] = heights.get(status, 0) + b.get_height()
    assert heights == {"seen": 1, "seen read": 1, "not seen": 1, "not seen read": 1, "unknown": 1}
    assert sorted(b.get_gid() for b in bars if b.get_gid().startswith("seen:seen read:")) == [
        "seen:seen read:2023-03", "seen:seen read:2023-04"]
    assert "seen as read from the text (no Child seen recorded) at 1" in fig.review_alt_text
    # with no read sighting, no bars nor legend entries for them (the chart as before)
    fig = charts.plot_contact_density(tl.assign(child_seen_inferred=pd.array([pd.NA] * 5, dtype="boolean")))
    assert not [a for a in fig.findobj() if "read" in (a.get_gid() or "")]


def test_the_report_headline_counts_read_not_seen():
    from review.export import headline_counts, seen_shown

    lines = headline_counts(_timeline(), escalations=0)
    line = next(x for x in lines if x.startswith("The child was seen"))
    assert line == ("The child was seen at 1 contact and recorded as not seen at 1; seen at 1 more contact with "
                    "no Child seen recorded, as read from the type of contact or its text; not seen at 1 more "
                    "contact with no Child seen recorded, as read from its text")
    shown = seen_shown(pd.Series(["yes", "", "", "no"]), pd.Series(["", "yes", "", ""]))
    assert shown.tolist() == ["yes", "yes (read from the text)", "", "no"]


def test_the_explorer_filters_on_the_combined_reading():
    from review.explorer import chronology_view, filter_timeline

    tl = _timeline()
    assert filter_timeline(tl, child_seen=True)["description"].tolist() == ["Home visit",
                                                                            "Home visit. Child seen and weighed."]
    assert len(filter_timeline(tl, child_seen=False)) == 2
    assert "child_seen_inferred" in chronology_view(tl).columns


# --- 4. an old store ------------------------------------------------------------------------------------------
def test_a_store_timeline_without_child_seen_inferred_reads_it_as_na(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from review.store import _read_parts
    from review.schema import TIMELINE_COLUMNS

    tl = _timeline()
    table = pa.Table.from_pandas(tl.drop(columns="child_seen_inferred"), preserve_index=False)
    path = tmp_path / "case-x.parquet"
    pq.write_table(table, path)
    out = _read_parts([path], ["case_id", "child_seen", "child_seen_inferred"], TIMELINE_COLUMNS)
    assert list(out.columns) == ["case_id", "child_seen"]  # conform (read_store) adds the missing one as NA
    with pytest.raises(Exception):  # a column neither in the parts nor in the contract is still an error
        _read_parts([path], ["case_id", "no_such_column"], TIMELINE_COLUMNS)
