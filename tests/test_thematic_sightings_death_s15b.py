"""No period unseen runs past the child's death: `sightings_by_case` closes a case's span of contacts at its
date of death (a GP letter or a strategy discussion after the death is no time in which the child could have
been seen); last_contact stays as recorded (s15 QA pass 2: case B's unseen span ran to 4 Oct, the death 2 Oct)."""
import pandas as pd

from review.thematic import sightings_by_case, thematic_tables


def _timeline(rows):
    frame = pd.DataFrame(rows, columns=["case_id", "event_id", "date", "agency_kind", "child_seen"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["child_seen"] = frame["child_seen"].astype("boolean")
    return frame


ROWS = [
    ("B", "b1", "2022-08-01", "health", True),
    ("B", "b2", "2022-09-01", "social care", False),
    ("B", "b3", "2022-10-02", "health", None),  # the death
    ("B", "b4", "2022-12-20", "health", None),  # a letter long after it
    ("A", "a1", "2022-01-01", "health", True),
    ("A", "a2", "2022-03-01", "police", None),
]


def test_the_longest_period_unseen_ends_at_the_death():
    before = sightings_by_case(_timeline(ROWS)).set_index("case_id").loc["B"]
    assert before["longest_unseen_to"] == pd.Timestamp("2022-12-20") and before["longest_unseen_days"] == 141
    table = sightings_by_case(_timeline(ROWS), deaths={"B": pd.Timestamp("2022-10-02")}).set_index("case_id")
    b = table.loc["B"]
    assert b["longest_unseen_from"] == pd.Timestamp("2022-08-01") and b["longest_unseen_to"] == pd.Timestamp("2022-10-02")
    assert b["longest_unseen_days"] == 62
    assert b["last_contact"] == pd.Timestamp("2022-12-20")  # as recorded
    a = table.loc["A"]  # a case with no death: as before
    assert a["longest_unseen_days"] == 59


def test_a_missing_death_changes_nothing():
    plain = sightings_by_case(_timeline(ROWS))
    assert plain.equals(sightings_by_case(_timeline(ROWS), deaths=pd.Series({"A": pd.NaT, "B": pd.NaT})))


def test_thematic_tables_pass_the_deaths_on():
    flags = pd.DataFrame(columns=["case_id", "rule_id", "failing_category", "severity", "trigger_event_id"])
    latency = pd.DataFrame(columns=["case_id", "event_id", "agency_kind", "latency_days", "within_expected",
                                    "first_escalation_event_id", "first_escalation_kind"])
    timeline = _timeline(ROWS).assign(organisation="Org")
    tables = thematic_tables(flags, timeline, latency, cases=["A", "B"],
                             deaths={"B": pd.Timestamp("2022-10-02")})
    assert tables["sightings_by_case"].set_index("case_id").loc["B", "longest_unseen_days"] == 62
