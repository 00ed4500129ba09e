"""A decision recorded while social care's outcome column was read by no field ("Contact / Referral outcome",
before s18) stays with its flag now that the column is the action, which changed the flag's id (made from the
trigger's description and action): carried over by its trigger's row, the note naming the action read now; an
added finding on such a row is no "edited" contact either. A text really edited is still not carried over."""
from __future__ import annotations

from pathlib import Path

from review.decisions import record_decision

CSV = ("Date,Details,{header}\n"
       "16/09/2019,Home visit. Bruise to left cheek; mother says she fell against the table.,{outcome}\n")
RULE = "injury_not_escalated"


def _case(folder: Path, header: str, outcome: str = "Closed - no further action.") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "csc.csv").write_text(CSV.format(header=header, outcome=outcome), encoding="utf-8")
    (folder / "case.yml").write_text("case_id: C1\ndate_of_birth: 2019-01-20\nreview_date: 2020-05-21\n"
                                     "files:\n  - {path: csc.csv, agency: Westbridge Children's Social Care}\n",
                                     encoding="utf-8")
    return folder


def _analysed(case):
    from review.pipeline import analyse, load_case

    return analyse(load_case(case))


def _decided_before(tmp_path: Path, outcome: str = "Closed - no further action.") -> tuple[Path, str, str]:
    # an earlier release: the outcome column read by no field ("Unread column" stands for it here)
    case = _case(tmp_path / "case", "Unread column", outcome)
    flags = _analysed(case).flags
    flag = flags[flags["rule_id"] == RULE].iloc[0]
    assert _analysed(case).timeline["action"].fillna("").tolist() == [""]
    record_decision(case, flag["flag_id"], "accepted", "Bruising photographed, closed without a visit", "Ruth Adeyemi",
                    "2020-06-01", rule_id=RULE, trigger_event_id=flag["trigger_event_id"],
                    evidence_event_ids=flag["evidence_event_ids"])
    _case(case, "Contact / Referral outcome", outcome)  # read now: the action
    return case, flag["flag_id"], flag["trigger_event_id"]


def test_a_decision_made_before_the_outcome_was_read_follows_its_flag(tmp_path):
    case, old, trigger = _decided_before(tmp_path)
    analysis = _analysed(case)
    assert analysis.timeline["action"].tolist() == ["Closed - no further action."]
    flag = analysis.flags[(analysis.flags["rule_id"] == RULE) & (analysis.flags["trigger_event_id"] == trigger)]
    new = flag["flag_id"].iloc[0]
    assert new != old  # the action is part of the flag's content
    # was: "no flag with this id in the current analysis", and the flag pending
    assert flag["decision"].iloc[0] == "accepted" and flag["decided_by"].iloc[0] == "Ruth Adeyemi"
    notes = analysis.decision_problems["problem"].tolist()
    assert notes == [f"decision recorded on flag {old}, which the rules no longer raise under that id: its trigger "
                     f"contact ({trigger}: the same file, sheet and row, the same text) is read differently now "
                     "(action none, now 'Closed - no further action.'), which changed the flag's id: carried over to "
                     f"flag {new}"]


def test_an_outcome_edited_since_is_not_carried_over(tmp_path):
    case, old, trigger = _decided_before(tmp_path)
    text = (case / "csc.csv").read_text(encoding="utf-8")
    (case / "csc.csv").write_text(text.replace("Bruise to left cheek", "Bruise to right cheek"), encoding="utf-8")
    analysis = _analysed(case)
    flag = analysis.flags[(analysis.flags["rule_id"] == RULE) & (analysis.flags["trigger_event_id"] == trigger)]
    assert flag["decision"].tolist() == ["pending"]
    assert any("the earlier id cannot be made" in p for p in analysis.decision_problems["problem"])
