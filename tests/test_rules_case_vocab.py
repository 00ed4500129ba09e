"""The rules read a case's texts with the case's own vocabulary: the package's extended by the case folder's
vocab.yml, as ingest reads them (`review.rules.base.case_vocab_key`, `row_vocabs`).

Before, the rules' keyword mentions (`text_mentions`, `_mentioned`) and `types_held` (`review.vocab.denies`
with its denial words) always used the package vocabulary: a case's extra negation cues, escalation negation
cues or denial words reached ingest but not the rules. "Strategy discussion parked", in a case whose
vocab.yml makes "parked" an escalation negation cue, was no strategy discussion to ingest (no escalation)
but still one to `strategy_no_conference`, which flagged the conference it did not lead to.

1. the rules' helpers, case by case in one prepared timeline (a build-all batch, a Dask partition);
2. a case folder through `review build` (the pipeline), `build-all` (one batch with a case without
   vocab.yml) and the Dask rules over the store, which keeps each case's vocab.yml in its case table;
3. a store written before the case table kept vocab.yml reads as the package vocabulary.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from review.config import CaseConfig
from review.rules import base, detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
CSC = {"agency": "Children's Social Care", "agency_kind": "social care"}
PARKED = "escalation_negation_post_cues: [parked]\n"


def case_config(folder: Path, case_id: str = "C1", vocab: str | None = None) -> CaseConfig:
    folder.mkdir(parents=True, exist_ok=True)
    if vocab is not None:
        (folder / "vocab.yml").write_text(vocab, encoding="utf-8")
    return CaseConfig(case_dir=folder, case_id=case_id, date_of_birth=dt.date(2023, 1, 1),
                      review_date=dt.date(2024, 6, 30))


def strategy(date, text, case_id="C1"):
    return {"case_id": case_id, "date": date, "contact_type": "strategy_discussion", "description": text, **CSC}


# --- 1. the helpers -----------------------------------------------------------------------------------------
def test_vocab_key_ignores_agencies_only():
    assert base.vocab_key(None) == base.vocab_key({}) == ""
    assert base.vocab_key({"agencies": {"Larkfield": {"kind": "health"}}, "agency_kinds": {}}) == ""
    assert json.loads(base.vocab_key({"agencies": {}, "negation_cues": ["nae"]})) == {"negation_cues": ["nae"]}


def test_the_sample_case_reads_with_the_package_vocabulary_and_its_own_type_cells():
    """The sample's vocab.yml names agencies, which do not make a vocabulary of the case's own (a case whose
    vocab.yml names agencies only is read with the package vocabulary, compiled once for all such cases), and,
    since s15, what its agencies mean by four type cells the package does not know ("Case note"): those do."""
    import json

    sample = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"
    assert (sample / "vocab.yml").exists()
    key = base.case_vocab_key(CaseConfig(case_dir=sample, case_id="sample", date_of_birth=None), "sample")
    assert set(json.loads(key)) == {"contact_types"}


def test_types_held_reads_each_case_with_its_vocabulary(tmp_path):
    rows = [strategy("2023-09-04", "Strategy discussion parked", "C1"),
            strategy("2023-09-04", "Strategy discussion parked", "C2")]
    configs = {"C1": case_config(tmp_path / "c1", "C1", PARKED), "C2": case_config(tmp_path / "c2", "C2")}
    ctx = base.prepare(make_timeline(rows), configs, RULES["settings"])
    held = base.types_held(ctx, ["strategy_discussion"])
    assert dict(zip(ctx.timeline["case_id"], held)) == {"C1": False, "C2": True}


def test_types_held_reads_a_case_s_denial_words(tmp_path):
    """A case's `denial_words` name the type in its texts ("Core group not convened" for a conference)."""
    rows = [{"date": "2023-09-04", "contact_type": "cp_conference", "description": "Core group not convened", **CSC}]
    words = "denial_words:\n  cp_conference: [core group]\n"
    for vocab, held in ((None, True), (words, False)):
        folder = tmp_path / ("words" if vocab else "none")
        ctx = base.prepare(make_timeline(rows), case_config(folder, vocab=vocab), RULES["settings"])
        assert base.types_held(ctx, ["cp_conference"]).tolist() == [held]


def test_text_mentions_read_a_case_s_negation_cue(tmp_path):
    rows = [{"case_id": c, "date": "2023-09-04", "contact_type": "other", "description": "Nae assessment needed",
             **CSC} for c in ("C1", "C2")]
    configs = {"C1": case_config(tmp_path / "c1", "C1", "negation_cues: [nae]\n"), "C2": case_config(tmp_path / "c2", "C2")}
    ctx = base.prepare(make_timeline(rows), configs, RULES["settings"])
    hit = base.text_mentions(ctx, pd.Series(True, index=ctx.timeline.index), ["assessment"])
    assert dict(zip(ctx.timeline["case_id"], hit)) == {"C1": False, "C2": True}
    assert base._mentioned("Nae assessment needed", ["assessment"], ())
    assert not base._mentioned("Nae assessment needed", ["assessment"], (), (), ctx.extra["vocab_keys"][0])


def test_a_case_config_s_own_vocab_is_read_instead_of_its_folder(tmp_path):
    """A store's CaseConfig carries the case's vocab.yml (its folder is not at hand): never the vocab.yml of
    the folder it names."""
    folder = tmp_path / "c1"
    case_config(folder, vocab=PARKED)
    kept = CaseConfig(case_dir=folder, case_id="C1", date_of_birth=None, vocab={})
    assert base.case_vocab_key(kept, "C1") == ""
    assert base.case_vocab_key(CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=None,
                                          vocab={"escalation_negation_post_cues": ["parked"]}), "C1") != ""


def test_strategy_no_conference_honours_the_case_s_cue(tmp_path):
    rows = [strategy("2023-09-04", "Strategy discussion parked pending police availability")]
    plain = detect(make_timeline(rows), case_config(tmp_path / "plain"), RULES, only=["strategy_no_conference"])
    own = detect(make_timeline(rows), case_config(tmp_path / "own", vocab=PARKED), RULES,
                 only=["strategy_no_conference"])
    assert len(plain) == 1 and own.empty


def test_package_vocabulary_compiled_once(tmp_path, monkeypatch):
    """Cases without a vocab.yml of their own (or with agencies only) share the package's compiled vocabulary."""
    rows = [strategy("2023-09-04", "Strategy discussion held", c) for c in ("C1", "C2", "C3")]
    configs = {"C1": case_config(tmp_path / "c1", "C1"), "C2": case_config(tmp_path / "c2", "C2", "agencies: {}\n"),
               "C3": case_config(tmp_path / "c3", "C3")}
    ctx = base.prepare(make_timeline(rows), configs, RULES["settings"])
    assert base.row_vocabs(ctx)[1] == [""]
    assert base._negating_vocab((), "") is base._negating_vocab(())


# --- 2. build, build-all and Dask ---------------------------------------------------------------------------
CHRONOLOGY = """Date,Agency,Type of contact,Details of contact
01/09/2023,Northgate Hospital,ED attendance,"Bruising to left arm, explanation vague"
04/09/2023,Children's Social Care,Strategy discussion,Strategy discussion parked pending police availability
"""


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> Path:
    """Two case folders alike but for the case id and a vocab.yml making "parked" an escalation negation cue."""
    root = tmp_path_factory.mktemp("cases")
    for case_id in ("novocab", "parked"):
        folder = root / case_id
        folder.mkdir()
        (folder / "case.yml").write_text(f"case_id: {case_id}\ndate_of_birth: 2023-01-01\nreview_date: 2024-06-30\n",
                                         encoding="utf-8")
        (folder / "chronology.csv").write_text(CHRONOLOGY, encoding="utf-8")
    (root / "parked" / "vocab.yml").write_text(PARKED, encoding="utf-8")
    return root


def _strategy_flags(flags: pd.DataFrame) -> dict:
    flags = flags[flags["rule_id"] == "strategy_no_conference"]
    return {c: int((flags["case_id"] == c).sum()) for c in ("novocab", "parked")}


def test_build_honours_the_case_s_vocabulary_in_ingest_and_rules(cases, monkeypatch):
    from review.pipeline import analyse, load_case

    counts = {}
    for case_id in ("novocab", "parked"):
        case = load_case(cases / case_id)
        contacts = case.contacts.set_index("contact_type")
        # ingest: "parked" denies the strategy discussion only in the case whose vocab.yml says so
        assert contacts.loc["strategy_discussion", "escalation"] == ("" if case_id == "parked" else "strategy_discussion")
        flags = analyse(case).flags.assign(case_id=case_id)
        counts.update({case_id: _strategy_flags(flags)[case_id]})
        if case_id == "parked":  # before: the rules read it with the package vocabulary, and flagged it
            monkeypatch.setattr(base, "case_vocab_key", lambda case, case_id: "")
            base._LAST.clear()
            assert _strategy_flags(analyse(case).flags.assign(case_id=case_id))["parked"] == 1
            monkeypatch.undo()
            base._LAST.clear()
    assert counts == {"novocab": 1, "parked": 0}


def test_the_cli_build_honours_it(cases, tmp_path):
    from review.cli import main

    assert main(["build", str(cases / "parked"), "--out", str(tmp_path / "out")]) == 0
    flags = pd.read_csv(tmp_path / "out" / "flags.csv", encoding="utf-8-sig")
    assert "strategy_no_conference" not in set(flags["Rule"]) and len(flags)


@pytest.fixture(scope="module")
def store(cases, tmp_path_factory) -> Path:
    from review.store import build_all

    path = tmp_path_factory.mktemp("store") / "store"
    summary = build_all(cases, path, progress=False)
    assert len(summary.built) == 2 and summary.failed.empty
    return path


def test_build_all_analyses_each_case_of_a_batch_with_its_vocabulary(store):
    from review.store import read_store

    assert _strategy_flags(read_store(store, "flags")) == {"novocab": 1, "parked": 0}
    kept = read_store(store, "cases").set_index("case_id")["vocab"]
    assert json.loads(kept["parked"]) == {"escalation_negation_post_cues": ["parked"]} and kept["novocab"] == ""


def test_dask_rules_read_the_kept_vocabulary(store):
    pytest.importorskip("distributed")
    from review.distributed import analyse_store, dask_client
    from review.store import read_store

    with dask_client(n_workers=1, processes=False) as client:
        flags = analyse_store(store, client=client, partition_rows=10**9)["flags"]
    assert _strategy_flags(flags) == {"novocab": 1, "parked": 0}
    stored = read_store(store, "flags")
    assert sorted(flags["flag_id"]) == sorted(stored["flag_id"])


# --- 3. older stores ----------------------------------------------------------------------------------------
def test_a_case_table_without_vocab_reads_as_the_package_vocabulary():
    from review.store import case_configs

    table = pd.DataFrame({"case_id": ["C1", "C2"], "date_of_birth": ["2023-01-01", "2023-01-01"],
                          "vocab": [None, '{"negation_cues":["nae"]}']})
    configs = case_configs(table)
    assert configs["C1"].vocab == {} and configs["C2"].vocab == {"negation_cues": ["nae"]}
    assert case_configs(table.drop(columns="vocab"))["C2"].vocab == {}


# --- 4. decision keywords are read with negation ------------------------------------------------------------
# Before, `settings.decision_keywords` ("no further action", "return home") were matched with no negation:
# "No further action not agreed" or "return home not agreed" was a decision point of `agency_knowledge` and
# `information_not_shared`. They are now mentions as every other keyword (`text_mentions`), with the
# vocabulary's negation cues plus `settings.decision_negations` after the keyword.
def _decision_rows(text):
    return [{"date": "2023-09-01", "contact_type": "ae_attendance", "description": "Bruising to left arm",
             "concerns": "bruising", "agency": "Hospital", "agency_kind": "health"},
            {"date": "2023-09-05", "contact_type": "home_visit", "description": text, **CSC}]


@pytest.mark.parametrize("text", ["No further action not agreed by team manager", "Return home not agreed",
                                  "Plan for return home not supported", "Child not returned home"])
def test_a_negated_decision_keyword_is_no_decision_point(text):
    from review.rules import agency_knowledge

    assert agency_knowledge(make_timeline(_decision_rows(text)), RULES).empty
    assert detect(make_timeline(_decision_rows(text)), None, RULES, only=["information_not_shared"]).empty
    assert not _baseline_flags(_decision_rows(text))


@pytest.mark.parametrize("text, label", [("No further action", "no_further_action"),
                                         ("Child returned home to mother", "returned_home"),
                                         ("Return home not agreed; no further action", "no_further_action")])
def test_a_decision_keyword_is_a_decision_point(text, label):
    from review.rules import agency_knowledge

    knowledge = agency_knowledge(make_timeline(_decision_rows(text)), RULES)
    assert knowledge["decision"].tolist() == [label]
    flags = detect(make_timeline(_decision_rows(text)), None, RULES, only=["information_not_shared"])
    assert len(flags) == 1
    assert _baseline_flags(_decision_rows(text)) == sorted(flags["flag_id"])


def test_a_case_s_negation_cue_reaches_decision_keywords(tmp_path):
    from review.rules import agency_knowledge

    rows = _decision_rows("Return home nae agreed")
    config = case_config(tmp_path / "c1", vocab="negation_post_cues: [nae agreed]\n")
    assert len(agency_knowledge(make_timeline(rows), RULES)) == 1  # the package vocabulary: a return home
    assert agency_knowledge(make_timeline(rows), RULES, config).empty


def _baseline_flags(rows):
    from tests._baseline import baseline_flags

    return sorted(f["flag_id"] for f in baseline_flags(rows) if f["rule_id"] == "information_not_shared")
