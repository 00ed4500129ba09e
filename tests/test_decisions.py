import datetime as dt

import pandas as pd
import pytest

from review.decisions import (
    DECISIONS_FILE,
    apply_decisions,
    load_decisions,
    neutralise,
    record_decision,
    restore,
)
from review.errors import DecisionError
from review.schema import FLAG_COLUMNS, conform

FLAGS = conform(
    pd.DataFrame(
        {
            "flag_id": ["nonmobile_injury-aaa", "child_not_seen-bbb"],
            "rule_id": ["nonmobile_injury", "child_not_seen"],
            "trigger_event_id": ["e1", "e2"],
            "trigger_date": pd.to_datetime(["2023-03-01", "2023-04-01"]),
        }
    ),
    FLAG_COLUMNS,
)


def test_round_trip_and_apply(tmp_path):
    record_decision(tmp_path, "nonmobile_injury-aaa", "accepted", "Bruise at 3 months, no referral", "AB",
                    date=dt.date(2024, 5, 1))
    decisions, problems = load_decisions(tmp_path, FLAGS)
    assert problems.empty
    assert decisions[["flag_id", "decision", "rationale", "author"]].values.tolist() == [
        ["nonmobile_injury-aaa", "accepted", "Bruise at 3 months, no referral", "AB"]
    ]
    assert decisions["date"].iloc[0] == pd.Timestamp("2024-05-01")
    applied = apply_decisions(FLAGS, decisions)
    assert applied["decision"].tolist() == ["accepted", "pending"]
    assert applied["decided_by"].tolist() == ["AB", ""]
    assert applied["decided_on"].iloc[0] == pd.Timestamp("2024-05-01") and pd.isna(applied["decided_on"].iloc[1])
    assert list(applied.columns[: len(FLAG_COLUMNS)]) == list(FLAG_COLUMNS)


def test_later_decision_supersedes_and_history_kept(tmp_path):
    record_decision(tmp_path, "child_not_seen-bbb", "accepted", "first view", "AB", date="2024-05-01")
    record_decision(tmp_path, "child_not_seen-bbb", "rejected", "seen at nursery, record found", "CD",
                    date="2024-05-02")
    decisions, _ = load_decisions(tmp_path, FLAGS)
    assert decisions["decision"].tolist() == ["accepted", "rejected"]
    assert decisions["current"].tolist() == [False, True]
    applied = apply_decisions(FLAGS, decisions)
    assert applied.set_index("flag_id").loc["child_not_seen-bbb", ["decision", "decided_by"]].tolist() == ["rejected", "CD"]


def test_unknown_flag_id_reported_not_dropped(tmp_path):
    record_decision(tmp_path, "gone-zzz", "accepted", "flag from an earlier run", "AB", date="2024-05-01")
    decisions, problems = load_decisions(tmp_path, FLAGS)
    assert decisions["flag_id"].tolist() == ["gone-zzz"]
    assert problems[["row", "flag_id"]].values.tolist() == [[2, "gone-zzz"]]
    assert "no flag with this id" in problems["problem"].iloc[0]


def test_formula_injection_neutralised_and_restored(tmp_path):
    evil = '=HYPERLINK("http://x","click")'
    record_decision(tmp_path, "nonmobile_injury-aaa", "accepted", evil, "@admin", date="2024-05-01")
    record_decision(tmp_path, "child_not_seen-bbb", "rejected", "+1 line one\nline two, \"quoted\"", "-x",
                    date="2024-05-01")
    raw = (tmp_path / DECISIONS_FILE).read_bytes().decode("utf-8")
    assert "\r" not in raw
    assert "'=HYPERLINK" in raw and ",'@admin," in raw and "'-x" in raw
    for line in raw.splitlines():
        assert not line.startswith(("=", "+", "-", "@"))
    decisions, _ = load_decisions(tmp_path, FLAGS)
    assert decisions["rationale"].tolist() == [evil, '+1 line one\nline two, "quoted"']
    assert decisions["author"].tolist() == ["@admin", "-x"]
    assert decisions["row"].tolist() == [2, 4]  # a quoted cell spans two lines


def test_neutralise_helpers():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text).startswith("'")
        assert restore(neutralise(text)) == text
    assert neutralise("plain") == "plain" and restore("'quoted") == "'quoted"


def test_added_finding_gets_stable_id_and_is_applied(tmp_path):
    flag_id = record_decision(tmp_path, "", "added", "GP knew of bruising, no referral", "AB", date="2024-05-01",
                              rule_id="injury_not_escalated", trigger_event_id="e9", evidence_event_ids="e9; e10")
    assert flag_id.startswith("added:injury_not_escalated:")
    decisions, problems = load_decisions(tmp_path, FLAGS)
    assert problems.empty
    timeline = pd.DataFrame({"event_id": ["e9"], "date": pd.to_datetime(["2023-06-01"])})
    applied = apply_decisions(FLAGS, decisions, timeline)
    assert len(applied) == 3
    added = applied.iloc[-1]
    assert (added["flag_id"], added["decision"], added["source"]) == (flag_id, "added", "reviewer")
    assert added["trigger_date"] == pd.Timestamp("2023-06-01")
    assert added["evidence_event_ids"] == "e9; e10"
    # a later reviewer rejects the added finding: not an unknown id, and the rejection is in force
    record_decision(tmp_path, flag_id, "rejected", "duplicate of flag 1", "CD", date="2024-05-02")
    decisions, problems = load_decisions(tmp_path, FLAGS)
    assert problems.empty
    assert apply_decisions(FLAGS, decisions).iloc[-1]["decision"] == "rejected"


@pytest.mark.parametrize(
    "body, column",
    [
        ("x-1,maybe,because,AB,2024-05-01\n", "decision"),
        ("x-1,accepted,  ,AB,2024-05-01\n", "rationale"),
        (",accepted,why,AB,2024-05-01\n", "flag_id"),
        ("x-1,accepted,why,AB,31/02/2024\n", "date"),  # 01/05/2024 is read day-first since s11
    ],
)
def test_invalid_rows_raise_with_file_and_row(tmp_path, body, column):
    path = tmp_path / DECISIONS_FILE
    path.write_text("flag_id,decision,rationale,author,date\nx-0,rejected,fine,AB,2024-05-01\n" + body, encoding="utf-8")
    with pytest.raises(DecisionError) as info:
        load_decisions(tmp_path, FLAGS)
    assert info.value.row == 3 and info.value.column == column
    assert DECISIONS_FILE in str(info.value)
    assert info.value.exit_code == 7


def test_missing_columns_and_missing_author(tmp_path):
    path = tmp_path / DECISIONS_FILE
    path.write_text("flag_id,decision\n", encoding="utf-8")
    with pytest.raises(DecisionError, match="missing column"):
        load_decisions(tmp_path, FLAGS)
    path.write_text("\ufeffFlag_ID,Decision,Rationale,Author,Date\r\nchild_not_seen-bbb,Accepted,ok,,2024-05-01\r\n",
                    encoding="utf-8")
    decisions, problems = load_decisions(tmp_path, FLAGS)
    assert decisions["decision"].tolist() == ["accepted"]
    assert problems["problem"].tolist() == ["no author recorded"]


def test_record_refuses_invalid_input(tmp_path):
    with pytest.raises(DecisionError):
        record_decision(tmp_path, "x", "maybe", "why", "AB")
    with pytest.raises(DecisionError):
        record_decision(tmp_path, "x", "accepted", " ", "AB")
    with pytest.raises(DecisionError):
        record_decision(tmp_path, "x", "accepted", "why", "")
    with pytest.raises(DecisionError):
        record_decision(tmp_path, "", "rejected", "why", "AB")
    assert not (tmp_path / DECISIONS_FILE).exists()


def test_appends_after_a_file_without_final_newline(tmp_path):
    path = tmp_path / DECISIONS_FILE
    path.write_text("flag_id,decision,rationale,author,date\nchild_not_seen-bbb,accepted,ok,AB,2024-05-01",
                    encoding="utf-8")
    record_decision(tmp_path, "nonmobile_injury-aaa", "rejected", "no", "CD", date="2024-05-02")
    decisions, _ = load_decisions(tmp_path, FLAGS)
    assert decisions["flag_id"].tolist() == ["child_not_seen-bbb", "nonmobile_injury-aaa"]
    # the short header gains the added-finding columns, so an added finding keeps its details
    added = record_decision(tmp_path, "", "added", "missed", "AB", date="2024-05-03", rule_id="was_not_brought",
                            trigger_event_id="e5")
    decisions, _ = load_decisions(tmp_path, FLAGS)
    assert decisions.set_index("flag_id").loc[added, ["rule_id", "trigger_event_id"]].tolist() == ["was_not_brought", "e5"]
    assert path.read_text(encoding="utf-8-sig").splitlines()[0].startswith("flag_id,decision,rationale,author,date,rule_id")


def test_no_file_means_no_decisions(tmp_path):
    decisions, problems = load_decisions(tmp_path, FLAGS)
    assert decisions.empty and problems.empty
    assert apply_decisions(FLAGS, decisions)["decision"].tolist() == ["pending", "pending"]


@pytest.mark.parametrize("rules_off", [False, True], ids=["with the rules' flags", "no rule flags the case"])
def test_a_case_with_an_added_finding_is_analysed_with_its_case_id(tmp_path, rules_off):
    """The rules' flags carry the case's id (detect adds case_id): an added finding gets it too. An added
    finding used to make every analysis of its case fail (KeyError: case_id), in review build and build-all."""
    import shutil
    from pathlib import Path

    from review.pipeline import analyse, load_case
    from review.rules import RULE_IDS

    case_dir = tmp_path / "case"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "cases" / "sample", case_dir)
    if rules_off:
        (case_dir / "rules.yml").write_text(
            "rules:\n" + "".join(f"  {rule}: {{enabled: false}}\n" for rule in RULE_IDS), encoding="utf-8")
    case = load_case(case_dir)
    rule_flags = len(analyse(case).flags)  # before the finding is added
    event = case.contacts["event_id"].iloc[5]
    flag_id = record_decision(case_dir, "", "added", "Strategy discussion never held.", "AB", date="2024-05-01",
                              rule_id="strategy_no_conference", trigger_event_id=event, evidence_event_ids=event)
    flags = analyse(load_case(case_dir)).flags
    added = flags[flags["flag_id"] == flag_id]
    assert len(added) == 1 and added["decision"].iloc[0] == "added" and added["source"].iloc[0] == "reviewer"
    assert (flags["case_id"] == case.config.case_id).all()
    assert len(flags) == rule_flags + 1 and rule_flags == (0 if rules_off else 22)


def test_an_added_finding_on_a_contact_not_in_the_timeline_is_reported(tmp_path):
    """An added finding whose contact is not in the timeline (a typo, or the data changed) is kept, and
    named among the decision problems: before, it showed with no date and nothing said why."""
    timeline = pd.DataFrame({"event_id": ["e1", "e2", "e3"],
                             "date": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01"])})
    good = record_decision(tmp_path, "", "added", "fine", "AB", date="2024-05-01", rule_id="was_not_brought",
                           trigger_event_id="e2", evidence_event_ids="e2; e3")
    typo = record_decision(tmp_path, "", "added", "typo", "AB", date="2024-05-01", rule_id="was_not_brought",
                           trigger_event_id="e22", evidence_event_ids="e22")
    stray = record_decision(tmp_path, "", "added", "stray evidence", "AB", date="2024-05-01",
                            rule_id="was_not_brought", trigger_event_id="e1", evidence_event_ids="e1; e9")
    bare = record_decision(tmp_path, "", "added", "no contact", "AB", date="2024-05-01", rule_id="was_not_brought")
    decisions, problems = load_decisions(tmp_path, FLAGS, timeline)
    by_flag = dict(zip(problems["flag_id"], problems["problem"]))
    assert good not in by_flag
    assert "e22 is not in the timeline" in by_flag[typo]
    assert "e9" in by_flag[stray] and "e1," not in by_flag[stray]
    assert "names no contact" in by_flag[bare]
    assert list(problems["row"]) == [3, 4, 5]
    applied = apply_decisions(FLAGS, decisions, timeline)
    assert applied.loc[applied["flag_id"] == typo, "trigger_date"].isna().all()  # kept, without a date
    assert load_decisions(tmp_path, FLAGS)[1].empty  # without the timeline, not checked


def test_an_added_finding_under_a_rule_takes_its_severity_and_category():
    from review.rules import load_rules

    rules = load_rules()
    history = pd.DataFrame({"flag_id": ["added:was_not_brought:1", "added:reviewer_finding:2"],
                            "decision": ["added", "added"], "rationale": ["a", "b"], "author": ["AB", "AB"],
                            "date": pd.to_datetime(["2024-05-01"] * 2), "rule_id": ["was_not_brought", "reviewer_finding"],
                            "trigger_event_id": ["e1", "e2"], "evidence_event_ids": ["e1", "e2"]})
    applied = apply_decisions(FLAGS, history, rules=rules).set_index("flag_id")
    setting = rules["rules"]["was_not_brought"]
    assert applied.loc["added:was_not_brought:1", ["severity", "failing_category"]].tolist() == [
        setting["severity"], setting["failing_category"]]
    assert applied.loc["added:reviewer_finding:2", ["severity", "failing_category"]].tolist() == ["", ""]
    assert apply_decisions(FLAGS, history).set_index("flag_id").loc["added:was_not_brought:1", "failing_category"] == ""
