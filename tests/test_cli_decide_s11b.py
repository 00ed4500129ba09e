"""`review decide CASE_DIR FLAG_ID --accept|--reject --rationale TEXT [--reviewer NAME] [--replace]`, and the
decision then shown by `review flags` (with each flag's id) and in the build's outputs."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from review.cli import main
from review.decisions import DECISIONS_FILE, load_decisions
from review.pipeline import analyse, load_case

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def flag_ids() -> list[str]:
    return analyse(load_case(SAMPLE)).flags["flag_id"].astype(str).tolist()


@pytest.fixture(scope="module")
def tails() -> dict[str, str]:
    """{flag id: the cells review decide records after the date: the flag's rule, trigger and evidence
    (since s13-prov; they were left blank, ",,")}."""
    flags = analyse(load_case(SAMPLE)).flags
    return {str(f): f",{r},{t},{e}" for f, r, t, e in zip(flags["flag_id"], flags["rule_id"], flags["trigger_event_id"],
                                                          flags["evidence_event_ids"])}


@pytest.fixture
def case(tmp_path) -> Path:
    """A copy of the sample case whose case.yml names two reviewers (the bundled sample stays untouched)."""
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    with (copy / "case.yml").open("a", encoding="utf-8") as handle:
        handle.write("lead_reviewer: Jane Okafor\nreviewers:\n  - Tom Ellery\n")
    return copy


@pytest.fixture(autouse=True)
def sample_untouched():
    before = sorted(p.name for p in SAMPLE.iterdir())
    yield
    assert sorted(p.name for p in SAMPLE.iterdir()) == before
    assert not (SAMPLE / DECISIONS_FILE).exists()


def decide(case, flag_id, *options):
    return main(["decide", str(case), flag_id, *options])


def test_records_a_decision_and_flags_shows_it(case, flag_ids, tails, capsys):
    flag = flag_ids[1]
    assert decide(case, flag, "--accept", "--rationale", "Never referred to CSC", "--reviewer", "Jane Okafor",
                  "--date", "2024-08-01") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"recorded in {case / DECISIONS_FILE}, row 2: flag #2 {flag}")
    assert 'accepted by Jane Okafor on 2024-08-01: "Never referred to CSC"' in out

    raw = (case / DECISIONS_FILE).read_bytes()
    assert raw == BOM + (b"flag_id,decision,rationale,author,date,rule_id,trigger_event_id,evidence_event_ids\n"
                         + f"{flag},accepted,Never referred to CSC,Jane Okafor,2024-08-01{tails[flag]}\n".encode())
    decisions, problems = load_decisions(case)
    assert decisions[["flag_id", "decision", "rationale", "author"]].values.tolist() == [
        [flag, "accepted", "Never referred to CSC", "Jane Okafor"]]
    assert problems.empty

    assert main(["flags", str(case)]) == 0
    text = capsys.readouterr().out
    for flag_id in flag_ids:  # every flag's id, the one `review decide` takes
        assert f"    id: {flag_id}\n" in text
    assert '    reviewer: accepted by Jane Okafor on 2024-08-01: "Never referred to CSC"' in text
    assert text.count("reviewer: ") == 1  # the pending flags show no decision
    assert "1 accepted" in text.splitlines()[0]


def test_unknown_flag_id_is_refused(case, flag_ids, capsys):
    assert decide(case, flag_ids[0] + "x", "--reject", "--rationale", "dup", "--reviewer", "Tom Ellery") == 2
    err = capsys.readouterr().err
    assert f"no flag '{flag_ids[0]}x' in case sample's current flags" in err
    assert f"did you mean {flag_ids[0]}" in err and "review flags" in err
    assert not (case / DECISIONS_FILE).exists()


@pytest.mark.parametrize("rationale", ["", "   "])
def test_empty_rationale_is_refused(case, flag_ids, capsys, rationale):
    assert decide(case, flag_ids[0], "--reject", "--rationale", rationale, "--reviewer", "Tom Ellery") == 2
    assert "every decision needs a rationale" in capsys.readouterr().err
    assert not (case / DECISIONS_FILE).exists()


def test_accept_or_reject_is_required(case, flag_ids, capsys):
    with pytest.raises(SystemExit) as exit_:
        decide(case, flag_ids[0], "--rationale", "why", "--reviewer", "Tom Ellery")
    assert exit_.value.code == 2
    with pytest.raises(SystemExit):
        decide(case, flag_ids[0], "--accept", "--reject", "--rationale", "why", "--reviewer", "Tom Ellery")
    assert not (case / DECISIONS_FILE).exists()


def test_reviewer_is_checked_against_case_yml(case, flag_ids, capsys):
    assert decide(case, flag_ids[0], "--reject", "--rationale", "dup", "--reviewer", "Priya Natt") == 2
    assert "reviewer 'Priya Natt' is not one of the reviewers case.yml names (Jane Okafor, Tom Ellery)" in \
        capsys.readouterr().err
    assert decide(case, flag_ids[0], "--reject", "--rationale", "dup") == 2  # two reviewers: which?
    assert "give --reviewer NAME" in capsys.readouterr().err
    assert not (case / DECISIONS_FILE).exists()
    # the name as case.yml spells it
    assert decide(case, flag_ids[0], "--reject", "--rationale", "dup", "--reviewer", "tom  ELLERY") == 0
    assert load_decisions(case)[0]["author"].tolist() == ["Tom Ellery"]


def test_the_one_reviewer_case_yml_names_is_the_default(tmp_path, flag_ids, capsys):
    case = tmp_path / "sample"
    shutil.copytree(SAMPLE, case)
    with (case / "case.yml").open("a", encoding="utf-8") as handle:
        handle.write("lead_reviewer: Jane Okafor\n")
    assert decide(case, flag_ids[0], "--reject", "--rationale", "dup") == 0
    assert load_decisions(case)[0]["author"].tolist() == ["Jane Okafor"]


def test_replace_semantics(case, flag_ids, tails, capsys):
    flag = flag_ids[0]
    assert decide(case, flag, "--reject", "--rationale", "Duplicate of flag 2", "--reviewer", "Tom Ellery",
                  "--date", "2024-08-01") == 0
    assert decide(case, flag_ids[3], "--accept", "--rationale", "No ICPC in time", "--reviewer", "Jane Okafor",
                  "--date", "2024-08-01") == 0
    first = (case / DECISIONS_FILE).read_bytes()
    capsys.readouterr()

    # a second decision without --replace: refused, showing the decision in force; the file unchanged
    assert decide(case, flag, "--accept", "--rationale", "A separate failure", "--reviewer", "Jane Okafor") == 2
    err = capsys.readouterr().err
    assert (f'flag {flag} already has a decision: rejected by Tom Ellery on 2024-08-01: "Duplicate of flag 2" '
            "(decisions.csv, row 2); give --replace") in err
    assert (case / DECISIONS_FILE).read_bytes() == first

    # with --replace: appended as the decision in force; the earlier rows kept as written (history)
    assert decide(case, flag, "--accept", "--rationale", "A separate failure", "--reviewer", "Jane Okafor",
                  "--date", "2024-08-02", "--replace") == 0
    out = capsys.readouterr().out
    assert 'in place of: rejected by Tom Ellery on 2024-08-01: "Duplicate of flag 2" (row 2' in out
    second = (case / DECISIONS_FILE).read_bytes()
    assert second.startswith(first)
    assert second[len(first):] == f"{flag},accepted,A separate failure,Jane Okafor,2024-08-02{tails[flag]}\n".encode()
    decisions, _ = load_decisions(case)
    assert decisions[["flag_id", "decision", "current"]].values.tolist() == [
        [flag, "rejected", False], [flag_ids[3], "accepted", True], [flag, "accepted", True]]
    assert main(["flags", str(case)]) == 0
    text = capsys.readouterr().out
    assert 'reviewer: accepted by Jane Okafor on 2024-08-02: "A separate failure"' in text
    assert "Duplicate of flag 2" not in text  # superseded

    # the same command again, with --replace: nothing to change, the file byte for byte the same
    for _ in range(2):
        assert decide(case, flag, "--accept", "--rationale", "A separate failure", "--reviewer", "Jane Okafor",
                      "--date", "2024-08-02", "--replace") == 0
        assert capsys.readouterr().out.startswith(f"unchanged: flag #1 {flag} is already accepted")
        assert (case / DECISIONS_FILE).read_bytes() == second
    # ... also without --date (the decision in force is the same one)
    assert decide(case, flag, "--accept", "--rationale", "A separate failure", "--reviewer", "Jane Okafor",
                  "--replace") == 0
    assert (case / DECISIONS_FILE).read_bytes() == second


def test_same_commands_give_the_same_file(tmp_path, flag_ids, capsys):
    files = []
    for name in ("a", "b"):
        case = tmp_path / name
        shutil.copytree(SAMPLE, case)
        for flag, choice, why in ((flag_ids[2], "--reject", "Assessment was timely, per local protocol"),
                                  (flag_ids[0], "--accept", 'Quote "this", and =formula'),
                                  (flag_ids[2], "--accept", "Revisited with the panel")):
            assert decide(case, flag, choice, "--rationale", why, "--reviewer", "Jane Okafor",
                          "--date", "2024-08-01", "--replace") == 0
        files.append((case / DECISIONS_FILE).read_bytes())
    assert files[0] == files[1]
    assert "'=formula" not in files[0].decode() and '"Quote ""this"", and =formula"' in files[0].decode()


def test_decision_is_in_the_build_outputs(case, flag_ids, tmp_path, capsys):
    flag = flag_ids[4]
    rationale = "Police shared the referral by phone; the hospital's notes record it (p. 12)"
    assert decide(case, flag, "--reject", "--rationale", rationale, "--reviewer", "Tom Ellery",
                  "--date", "2024-08-01") == 0
    out = tmp_path / "out"
    assert main(["build", str(case), "--out", str(out), "--no-progress"]) == 0
    assert "22 flags (1 rejected by the reviewers)" in capsys.readouterr().out
    rows = list(csv.DictReader((out / "flags.csv").open(encoding="utf-8-sig", newline="")))
    row = next(r for r in rows if r["Flag id"] == flag)
    assert (row["Reviewer decision"], row["Rationale"], row["Decided by"], row["Decision date"]) == (
        "rejected", rationale, "Tom Ellery", "2024-08-01")
    assert {r["Reviewer decision"] for r in rows if r["Flag id"] != flag} == {"pending"}
    assert "the hospital&#x27;s notes record it" in (out / "report.html").read_text(encoding="utf-8") or \
        "the hospital's notes record it" in (out / "report.html").read_text(encoding="utf-8")


def test_long_rationale_is_shortened_in_flags_only(case, flag_ids, capsys):
    rationale = "The health visitor saw bruising on a three-month-old baby. " * 8
    assert decide(case, flag_ids[0], "--reject", "--rationale", rationale, "--reviewer", "Tom Ellery") == 0
    assert load_decisions(case)[0]["rationale"].iloc[0] == rationale.strip()
    capsys.readouterr()
    assert main(["flags", str(case)]) == 0
    text = capsys.readouterr().out
    block = text.split("    reviewer: rejected by Tom Ellery", 1)[1].split("\n\n", 1)[0]
    shown = " ".join(block.split())
    assert shown.endswith("…\"") and len(shown) < 240
    assert rationale.strip() not in " ".join(text.split())


def test_appends_to_a_file_excel_saved_with_crlf(case, flag_ids, tails, capsys):
    saved = (f"flag_id,decision,rationale,author,date,rule_id,trigger_event_id,evidence_event_ids\r\n"
             f"{flag_ids[0]},rejected,Brontë Court visit covered it,Tom Ellery,01/08/2024,,,\r\n")
    (case / DECISIONS_FILE).write_bytes(BOM + saved.encode("utf-8"))
    assert decide(case, flag_ids[1], "--accept", "--rationale", "Never referred", "--reviewer", "Jane Okafor",
                  "--date", "2024-08-02") == 0
    raw = (case / DECISIONS_FILE).read_bytes()
    assert raw == BOM + saved.encode("utf-8") + f"{flag_ids[1]},accepted,Never referred,Jane Okafor,2024-08-02{tails[flag_ids[1]]}\r\n".encode()
    decisions, _ = load_decisions(case)
    assert decisions["rationale"].tolist() == ["Brontë Court visit covered it", "Never referred"]


def test_invalid_decisions_file_stops_before_the_chronologies(case, flag_ids, capsys):
    (case / DECISIONS_FILE).write_text("flag_id,decision,rationale,author,date\nx,maybe,why,A,2024-01-01\n",
                                       encoding="utf-8")
    before = (case / DECISIONS_FILE).read_bytes()
    assert decide(case, flag_ids[0], "--reject", "--rationale", "dup", "--reviewer", "Tom Ellery") == 7
    assert "decision must be one of" in capsys.readouterr().err
    assert (case / DECISIONS_FILE).read_bytes() == before
