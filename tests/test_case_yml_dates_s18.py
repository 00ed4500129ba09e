"""case.yml dates (s18): a date that is no day of the calendar (`date_of_birth: 2024-13-01`, which PyYAML's
timestamp constructor refused with a bare ValueError, an internal error) or is not written the ISO way
(`date_of_death: 31/02/2024`) is a ConfigError naming the file, the key's line, the key, the value and the
form expected, in `review build`, `build-all` (the other cases still built) and `validate`."""
from __future__ import annotations

import pytest

from review.cli import main
from review.config import load_case_config, parse_yaml
from review.errors import ConfigError

GOOD = "case_id: C1\ndate_of_birth: 2022-06-01\n"


def _case(folder, case_yml: str):
    folder.mkdir(parents=True)
    (folder / "case.yml").write_text(case_yml, encoding="utf-8")
    (folder / "gp.csv").write_text("Date,Agency,Details\n01/02/2023,GP,Visit\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(("line", "key", "shown", "why"), [
    ("date_of_birth: 2024-13-01", "date_of_birth", "'2024-13-01'", ": there is no month 13"),
    ("date_of_birth: 2024-02-30", "date_of_birth", "'2024-02-30'", ": February 2024 has no day 30"),
    ("date_of_birth: 2023-02-29 10:30", "date_of_birth", "'2023-02-29 10:30'", ": February 2023 has no day 29"),
    ("date_of_death: 31/02/2024", "date_of_death", "'31/02/2024'", ""),
    ("review_date: 2024-00-10", "review_date", "'2024-00-10'", ": there is no month 0"),
    ("review_date: '2024-04-31'", "review_date", "'2024-04-31'", ": April 2024 has no day 31"),
])
def test_a_bad_date_names_the_file_line_key_value_and_form(tmp_path, line, key, shown, why):
    text = GOOD.replace("date_of_birth: 2022-06-01", line) if key == "date_of_birth" else GOOD + line + "\n"
    case = _case(tmp_path / "c", "# a comment\n" + text)
    with pytest.raises(ConfigError) as raised:
        load_case_config(case)
    error = raised.value
    assert error.file == str(case / "case.yml")
    assert error.row == (3 if key == "date_of_birth" else 4)
    assert error.message == f"{key} must be an ISO date (YYYY-MM-DD, e.g. 2024-02-29), got {shown}{why}"


def test_mobile_from_no_day_names_both_forms(tmp_path):
    case = _case(tmp_path / "c", GOOD + "mobile_from: 2023-02-29\n")
    with pytest.raises(ConfigError, match=r"mobile_from must be an ISO date \(YYYY-MM-DD, e\.g\. 2024-02-29\) or "
                                          r"never .*, got '2023-02-29': February 2023 has no day 29") as raised:
        load_case_config(case)
    assert raised.value.row == 3


def test_good_dates_still_read_as_dates(tmp_path):
    case = _case(tmp_path / "c", GOOD + "date_of_death: '2024-02-29'\nreview_date: 2024-03-01 09:00:00\n")
    config = load_case_config(case)
    assert (str(config.date_of_birth), str(config.date_of_death), str(config.review_date)) == (
        "2022-06-01", "2024-02-29", "2024-03-01")
    # YAML's own dates still come back as dates; only a date that is no day stays text
    assert parse_yaml("a: 2024-02-29\nb: 2024-02-30\n") == {"a": __import__("datetime").date(2024, 2, 29),
                                                            "b": "2024-02-30"}


def test_validate_and_build_give_one_clear_line(tmp_path, capsys):
    case = _case(tmp_path / "c", "case_id: C1\ndate_of_birth: 2024-13-01\n")
    expected = (f"review: error: {case / 'case.yml'}, row 2: date_of_birth must be an ISO date (YYYY-MM-DD, "
                "e.g. 2024-02-29), got '2024-13-01': there is no month 13")
    for argv in (["validate", str(case)], ["build", str(case), "--out", str(tmp_path / "out")]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2, err
        # before: "review: internal error: ValueError: month must be in 1..12" (exit 70)
        assert expected in err.splitlines() and "internal error" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_build_all_reports_the_bad_case_and_builds_the_others(tmp_path, capsys):
    from review.store import build_all, read_store

    _case(tmp_path / "cases" / "a_good", GOOD)
    _case(tmp_path / "cases" / "b_bad", "case_id: C2\ndate_of_birth: 2022-06-01\ndate_of_death: 31/02/2024\n")
    _case(tmp_path / "cases" / "c_good", GOOD.replace("C1", "C3"))
    summary = build_all(tmp_path / "cases", tmp_path / "store", progress=False)
    assert summary.failed["case"].tolist() == ["b_bad"]
    error = summary.failed["error"].iloc[0]
    assert "date_of_death must be an ISO date (YYYY-MM-DD, e.g. 2024-02-29), got '31/02/2024'" in error
    assert "row 3" in error and summary.failed["file"].iloc[0].endswith("case.yml")
    assert sorted(read_store(tmp_path / "store", "contacts")["case_id"].unique()) == ["C1", "C3"]
    code = main(["build-all", str(tmp_path / "cases"), "--store", str(tmp_path / "store2"), "--no-progress"])
    out = capsys.readouterr().out
    assert code == 1 and "FAILED b_bad" in out and "'31/02/2024'" in out and "2 built" in out
