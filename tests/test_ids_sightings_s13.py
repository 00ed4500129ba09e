"""Session 13: a sighting cue about someone else stops an A&E / admission / CP medical type implying the
child was seen ("Sibling seen and examined"), and a cue's subject is the person named nearest before it
("Child at home and mother seen alone" is no sighting of the child)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from review import sightings as S


@pytest.mark.parametrize("contact_type, text, seen", [
    # the type no longer implies a sighting where the text says someone else was seen, not the child
    ("ae_attendance", "Sibling seen and examined", None),
    ("admission", "Brother seen and examined on the ward", None),
    ("cp_medical", "Mother seen alone by paediatrician", None),
    # ... but does where the child is named seen too, or nobody else is
    ("ae_attendance", "Sibling and child seen and examined", True),
    ("ae_attendance", "Sibling seen and examined. Child seen", True),
    ("ae_attendance", "Seen and examined", True),
    ("ae_attendance", "Attended with head injury", True),
    ("ae_attendance", "Letter from A&E: sibling seen and examined", None),
    # the child's presence is not the child seen: the cue's subject is the nearest person named
    ("home_visit", "Child at home and mother seen alone", None),
    ("home_visit", "Baby in cot and mother seen alone", None),
    ("home_visit", "Mother and baby seen and examined", True),
    ("home_visit", "Baby and mother seen and examined", True),
    ("home_visit", "Mother with the baby seen and weighed", True),
    ("home_visit", "Baby's brother observed playing", None),
    ("home_visit", "Child seen with mother", True),
    ("home_visit", "Child at home, seen and examined", True),
])
def test_the_row_reading(contact_type, text, seen):
    assert S.read_sighting(contact_type, "", text) is seen


def _frame(texts, types):
    return pd.DataFrame({
        "child_seen": pd.array([pd.NA] * len(texts), dtype="boolean"),
        "contact_type": types,
        "concerns": [""] * len(texts),
        "description": texts,
        "action": [""] * len(texts),
    })


def _table(frame):
    return [None if pd.isna(v) else bool(v) for v in S.inferred_sightings(frame).astype(object)]


def _rows(frame):
    return [S.read_sighting(*r) for r in frame[["contact_type", "concerns", "description", "action"]].itertuples(index=False)]


def test_the_table_reading_is_the_row_reading():
    texts = ["Sibling seen and examined", "Child at home and mother seen alone", "Mother and baby seen and examined",
             "Sibling not seen", "Seen and examined", "Attended A&E", "Sibling seen and examined. Child seen"]
    types = ["ae_attendance", "home_visit", "ae_attendance", "ae_attendance", "ae_attendance", "ae_attendance",
             "cp_medical"]
    frame = _frame(texts, types)
    got = _table(frame)
    assert got == _rows(frame)
    assert got[0] is None and got[1] is None and got[2] is True and got[5] is True


def test_the_table_reading_of_many_texts_is_the_row_reading():
    """From `_NEGATION_SEARCH_FROM` distinct texts on, the reading of a cue about someone else skips the full
    reading where no negation cue can reach it: still the row reading."""
    rng = np.random.default_rng(13)
    heads = ["Sibling seen and examined", "Sibling not seen and examined", "Child at home and mother seen alone",
             "Mother and baby seen", "Brother seen alone, no concerns", "Attended with a cut", "Mother seen alone"]
    texts = [f"{heads[i % len(heads)]} ref {i}" for i in range(3 * S._NEGATION_SEARCH_FROM)]
    types = np.array(["ae_attendance", "admission", "home_visit"], dtype=object)[rng.integers(0, 3, len(texts))]
    frame = _frame(texts, types)
    got = _table(frame)
    want = _rows(frame)
    assert got == want
    sib = [g for t, ty, g in zip(texts, types, got) if t.startswith("Sibling seen and") and ty != "home_visit"]
    assert sib and all(g is None for g in sib)


# --- the anonymised view's flag ids follow the trigger's content, as the flag ids do ---------------------
from review.redact import Identifiers  # noqa: E402
from review.rules.base import flag_id  # noqa: E402


def _timeline(rows):
    """A redacted-looking timeline: event ids made from the row (as the pipeline's are)."""
    out = []
    for row, (date, text) in enumerate(rows, start=2):
        out.append({"event_id": "E" + f"{row:012x}", "case_id": "Case A", "agency": "Health", "date": pd.Timestamp(date),
                    "date_precision": "month", "contact_type": "home_visit", "description": text, "action": "",
                    "source_file": "file 1", "source_sheet": "Sheet1", "source_row": row, "seq": row})
    return pd.DataFrame(out)


def _flags(timeline, texts):
    rows = timeline[timeline["description"].isin(texts)]
    return pd.DataFrame({"flag_id": [flag_id("r1", t) for t in rows["description"]], "rule_id": "r1",
                         "trigger_event_id": rows["event_id"].tolist(), "explanation": "no escalation"})


def test_a_row_inserted_above_keeps_the_anonymised_flag_ids():
    before = _timeline([("2023-01-01", "Bruise seen"), ("2023-02-01", "Burn seen"), ("2023-02-01", "Burn seen")])
    after = _timeline([("2022-12-01", "New row"), ("2023-01-01", "Bruise seen"), ("2023-02-01", "Burn seen"),
                       ("2023-02-01", "Burn seen")])
    # the content ids of the flags are the same; the rows (and so the event ids) moved
    f_before = _flags(before, ["Bruise seen"])
    f_after = _flags(after, ["Bruise seen"])
    assert f_before["flag_id"].tolist() == f_after["flag_id"].tolist()
    assert f_before["trigger_event_id"].tolist() != f_after["trigger_event_id"].tolist()
    a, b = Identifiers(before, f_before), Identifiers(after, f_after)
    old = f_before["flag_id"].iloc[0]
    assert a.flag_ids()[old] == b.flag_ids()[old]
    assert a.flag_ids()[old] != old and a.flag_ids()[old].startswith("r1-")  # a new id, not the pipeline's
    # identical contacts still get distinct ids (their occurrence), stable across the inserted row
    t_before = before[before["description"] == "Burn seen"]["event_id"].tolist()
    t_after = after[after["description"] == "Burn seen"]["event_id"].tolist()
    fb = pd.DataFrame({"flag_id": ["r1-aaaaaaaaaaaa", "r1-bbbbbbbbbbbb"], "rule_id": "r1",
                       "trigger_event_id": t_before, "explanation": "x"})
    fa = fb.assign(trigger_event_id=t_after)
    ib, ia = Identifiers(before, fb).flag_ids(), Identifiers(after, fa).flag_ids()
    assert ib == ia and len(set(ib.values())) == 2


def test_a_decision_is_found_under_the_anonymised_flag_id():
    timeline = _timeline([("2023-01-01", "Bruise seen"), ("2023-02-01", "Burn seen")])
    flags = _flags(timeline, ["Bruise seen", "Burn seen"])
    decisions = pd.DataFrame({"flag_id": [flags["flag_id"].iloc[1], "r1-0123456789ab"], "decision": ["accepted", "rejected"],
                              "rationale": ["agreed", "old"]})
    ids = Identifiers(timeline, flags)
    view_flags, view_decisions = ids.frame(flags), ids.frame(decisions)
    assert view_decisions["flag_id"].iloc[0] == view_flags["flag_id"].iloc[1] == ids.flag_ids()[flags["flag_id"].iloc[1]]
    assert view_decisions["flag_id"].iloc[1] == "r1-unknown1"  # a flag no longer raised: no real id shown
    assert not set(flags["flag_id"]) & set(view_flags["flag_id"])


# --- review decisions migrate: decisions.csv rewritten to the current flag ids ---------------------------
from review.decisions import (  # noqa: E402
    EARLIER_ID_NOTE, NOT_RAISED_NOTE, load_decisions, migrate_decisions, read_decisions_file, record_decision,
)


def _case(tmp_path, text):
    (tmp_path / "decisions.csv").write_text(text, encoding="utf-8")
    return tmp_path


FLAGS = pd.DataFrame({"flag_id": ["r1-aaaaaaaaaaaa", "r2-bbbbbbbbbbbb"],
                      "legacy_flag_id": ["r1-111111111111", "r2-222222222222"]})


def test_migrate_rewrites_earlier_ids_keeps_every_decision_and_is_idempotent(tmp_path):
    case = _case(tmp_path, "flag_id,decision,rationale,author,date,extra\n"
                           "r1-111111111111,accepted,\"agreed, on an old id\",A R,2024-01-02,x1\n"
                           "r2-bbbbbbbbbbbb,rejected,current,A R,2024-01-03,\n"
                           "r3-cccccccccccc,rejected,gone,A R,2024-01-04,\n"
                           ",added,=a finding,A R,2024-01-05,\n"
                           "r1-111111111111,rejected,changed my mind,B R,2024-02-01,\n")
    decisions, problems = load_decisions(case, FLAGS)
    assert sum(EARLIER_ID_NOTE.split("{")[0] in p for p in problems["problem"]) == 2
    summary = migrate_decisions(case, decisions, FLAGS)
    assert summary == {"rows": 5, "moved": 2, "not_raised": 1, "refreshed": 0, "changed": True, "content_filled": 0,
                       "content_unknown": []}
    after = pd.read_csv(case / "decisions.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert after["flag_id"].tolist()[:3] == ["r1-aaaaaaaaaaaa", "r2-bbbbbbbbbbbb", "r3-cccccccccccc"]
    assert after["flag_id"].iloc[4] == "r1-aaaaaaaaaaaa"
    assert after["earlier_flag_id"].tolist() == ["r1-111111111111", "", "", "", "r1-111111111111"]
    assert after["migration_note"].tolist() == ["", "", NOT_RAISED_NOTE, "", ""]
    assert after["extra"].tolist() == ["x1", "", "", "", ""]  # other columns kept
    assert after["rationale"].iloc[3] == "'=a finding"  # still neutralised in the file
    # the same decisions read back, now without the note, the later row still in force
    again, problems = load_decisions(case, FLAGS)
    assert not any(EARLIER_ID_NOTE.split("{")[0] in p for p in problems["problem"])
    assert (again[["decision", "rationale", "author"]].to_numpy() == decisions[["decision", "rationale", "author"]].to_numpy()).all()
    assert again["flag_id"].tolist() == decisions["flag_id"].tolist()
    assert again.loc[again["current"], "decision"].tolist() == decisions.loc[decisions["current"], "decision"].tolist()
    # migrating again changes nothing (byte for byte)
    before = (case / "decisions.csv").read_bytes()
    assert migrate_decisions(case, again, FLAGS)["changed"] is False
    assert (case / "decisions.csv").read_bytes() == before
    # a decision appended afterwards goes under the file's columns
    record_decision(case, "r2-bbbbbbbbbbbb", "accepted", "on reflection", "A R", "2024-03-01")
    assert read_decisions_file(case / "decisions.csv")["flag_id"].iloc[-1] == "r2-bbbbbbbbbbbb"


def test_migrate_keeps_crlf_and_does_nothing_without_a_file(tmp_path):
    assert migrate_decisions(tmp_path, pd.DataFrame({"row": [], "flag_id": [], "decision": []}), FLAGS)["changed"] is False
    assert not (tmp_path / "decisions.csv").exists()
    case = _case(tmp_path, "flag_id,decision,rationale,author,date\r\nr2-222222222222,accepted,ok,A R,2024-01-02\r\n")
    decisions, _ = load_decisions(case, FLAGS)
    assert migrate_decisions(case, decisions, FLAGS)["moved"] == 1
    raw = (case / "decisions.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()) and raw.count(b"\r\n") == 2
    assert b"r2-bbbbbbbbbbbb,accepted,ok,A R,2024-01-02,,,,r2-222222222222," in raw


def test_the_cli_migrates_the_sample_and_validate_names_the_command(tmp_path, capsys):
    import shutil

    from review.cli import main
    from review.pipeline import analyse, load_case

    case = tmp_path / "sample"
    shutil.copytree("data/cases/sample", case)
    # an id as it was made before content anchors: the row-based legacy id of the first flag
    from review.rules import detect, load_rules

    analysis = analyse(load_case(case))
    flags = analysis.flags
    legacy = detect(analysis.timeline, load_case(case).config, load_rules(case), legacy_ids=True)
    first = legacy.iloc[0]
    (case / "decisions.csv").write_text(
        f"flag_id,decision,rationale,author,date\n{first['legacy_flag_id']},rejected,not missed,A R,2024-01-02\n",
        encoding="utf-8")
    written = (case / "decisions.csv").read_bytes()
    assert main(["decisions", "migrate", str(case), "--dry-run"]) == 0
    assert (case / "decisions.csv").read_bytes() == written  # a dry run writes nothing
    assert main(["decisions", "migrate", str(case)]) == 0
    out = capsys.readouterr().out
    assert "1 moved" in out
    after = read_decisions_file(case / "decisions.csv")
    assert after["flag_id"].tolist() == [first["flag_id"]]
    assert first["flag_id"] in set(flags["flag_id"])
    main(["validate", str(case)])
    assert "review decisions migrate" in capsys.readouterr().out
