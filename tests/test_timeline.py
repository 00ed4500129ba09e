import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.config import CaseConfig
from review.schema import CONTACT_COLUMNS, TIMELINE_COLUMNS, conform
from review.timeline import (
    DEFAULT_NONMOBILE_MONTHS,
    agency_summary,
    build_timeline,
    health_summary,
    link_events,
    periods,
)

CASE = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2023, 1, 31))

HV = dict(agency="Health Visiting", agency_kind="health", organisation="Community Trust", source_file="hv.xlsx")
CSC = dict(agency="Children's Social Care", agency_kind="social care", organisation="Council", source_file="csc.xlsx")
HOSP = dict(agency="Hospital", agency_kind="health", organisation="Acute Trust", source_file="hosp.xlsx")
GP = dict(agency="GP", agency_kind="health", organisation="Practice", source_file="gp.xlsx")


def contact(event_id, date, agency, contact_type="home_visit", description="", row=2, **extra):
    return dict(
        case_id="c1", event_id=event_id, date=date, date_precision=extra.pop("date_precision", "day"),
        contact_type=contact_type, description=description, source_row=row, **agency, **extra,
    )


def contacts(*rows):
    return conform(pd.DataFrame(list(rows)), CONTACT_COLUMNS)


SAMPLE = contacts(
    contact("mw1", "2023-01-10", HV, description="antenatal visit", row=2),
    contact("hv1", "2023-03-01", HV, description="Joint home visit with social worker, bruise to cheek seen",
            child_seen=True, concerns="bruising", row=3),
    contact("sc1", "2023-03-01", CSC, description="Joint home visit with health visitor - bruise to cheek seen",
            child_seen=True, row=2),
    contact("sc2", "2023-04-03", CSC, "cp_conference", "Initial child protection conference",
            action="Made subject to a child protection plan under the category of neglect",
            escalation="cp_conference", row=3),
    contact("h1", "2023-05-03", HOSP, "admission", "admitted to ward with head injury", concerns="head_injury", row=2),
    contact("h2", "2023-05-06", HOSP, "discharge", "discharged home", row=3),
    contact("sc3", "2023-09-06", CSC, "cp_conference", "Review conference", action="Plan discontinued", row=4),
    contact("gp1", "2024-09-06", GP, "clinic_appointment", "immunisations", child_seen=True, row=2),
)


def test_columns_order_and_dtypes():
    timeline = build_timeline(SAMPLE, CASE)
    assert list(timeline.columns)[: len(TIMELINE_COLUMNS)] == list(TIMELINE_COLUMNS)
    for name, dtype in TIMELINE_COLUMNS.items():
        assert str(timeline[name].dtype) == dtype, name
    assert timeline["seq"].tolist() == list(range(1, len(SAMPLE) + 1))
    assert len(timeline) == len(SAMPLE)


def test_sort_date_then_precision_then_sequence():
    frame = contacts(
        contact("a", "2023-03-01", CSC, date_precision="month", row=9),
        contact("b", "2023-03-01", HV, date_precision="day", sequence=2, row=5),
        contact("c", "2023-03-01", GP, date_precision="day", sequence=1, row=7),
        contact("d", "2023-03-01", GP, date_precision="approximate", row=1),
        contact("e", "2023-02-28", GP, date_precision="year", row=1),
    )
    assert build_timeline(frame, CASE)["event_id"].tolist() == ["e", "c", "b", "d", "a"]


def test_age_display():
    timeline = build_timeline(SAMPLE, CASE).set_index("event_id")
    assert timeline.loc["mw1", "age_days"] == -21
    assert timeline.loc["mw1", "age_display"] == "-21d"  # antenatal: days before birth
    assert timeline.loc["hv1", "age_display"] == "1m 1d"  # born 31 Jan: a month old on 28 Feb, 1m 1d on 1 Mar
    assert timeline.loc["sc2", "age_display"] == "2m 3d"
    assert timeline.loc["gp1", "age_display"] == "1y 7m 6d"
    born = contacts(contact("x", "2023-02-05", HV))
    assert build_timeline(born, CASE)["age_display"].iloc[0] == "0m 5d"


def test_child_mobile_default_and_configured():
    timeline = build_timeline(SAMPLE, CASE).set_index("event_id")
    assert DEFAULT_NONMOBILE_MONTHS == 6
    assert not timeline.loc["h1", "child_mobile"]  # 3 months
    assert timeline.loc["sc3", "child_mobile"]  # 7 months
    case = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2023, 1, 31),
                      mobile_from=dt.date(2023, 5, 1))
    assert build_timeline(SAMPLE, case).set_index("event_id").loc["h1", "child_mobile"]


def test_joint_visit_linked():
    timeline = build_timeline(SAMPLE, CASE).set_index("event_id")
    assert timeline.loc["hv1", "event_group"] == "hv1"
    assert timeline.loc["sc1", "event_group"] == "hv1"  # smallest event_id of the group
    assert timeline.loc["gp1", "event_group"] == "gp1"


def test_adjacent_day_linked_but_not_two_days_apart():
    frame = contacts(
        contact("a", "2023-03-01", HV, description="Home visit, mother low in mood"),
        contact("b", "2023-03-02", CSC, description="home visit mother low in mood"),
        contact("c", "2023-03-04", GP, "home_visit", "home visit mother low in mood"),
    )
    groups = build_timeline(frame, CASE).set_index("event_id")["event_group"]
    assert groups["a"] == groups["b"] == "a"
    assert groups["c"] == "c"


def test_same_day_different_event_not_linked():
    frame = contacts(
        contact("a", "2023-03-01", HV, description="Home visit: weight check, feeding well"),
        contact("b", "2023-03-01", CSC, description="Visit to father's flat about housing arrears"),
    )
    groups = build_timeline(frame, CASE).set_index("event_id")["event_group"]
    assert groups["a"] == "a" and groups["b"] == "b"


def test_same_agency_not_linked():
    # two visits of one agency the same day with the same words but different outcomes are two contacts
    # (one record entered twice, equal in every cell, is linked: tests/test_duplicate_linking.py)
    frame = contacts(
        contact("a", "2023-03-01", HV, description="Home visit, weight check", action="weight 8.1 kg", row=2),
        contact("b", "2023-03-01", HV, description="Home visit, weight check", action="weight 8.3 kg", row=3),
    )
    groups = build_timeline(frame, CASE).set_index("event_id")["event_group"]
    assert groups["a"] == "a" and groups["b"] == "b"


def test_incompatible_types_not_linked_and_compatible_groups_linked():
    frame = contacts(
        contact("a", "2023-03-01", HOSP, "ae_attendance", "Attended with head injury after fall"),
        contact("b", "2023-03-01", CSC, "referral", "Attended with head injury after fall"),
        contact("c", "2023-03-01", GP, "admission", "attended with head injury after fall"),
        contact("d", "2023-04-01", CSC, "referral", "Referral from hospital re head injury"),
        contact("e", "2023-04-01", HOSP, "referral_decision", "referral from hospital re head injury"),
    )
    groups = build_timeline(frame, CASE).set_index("event_id")["event_group"]
    assert groups["a"] == groups["c"] == "a"
    assert groups["b"] == "b"
    assert groups["d"] == groups["e"] == "d"


def test_linking_is_transitive_and_threshold_is_a_parameter():
    frame = contacts(
        contact("z", "2023-03-01", HV, description="joint visit with police and social worker"),
        contact("y", "2023-03-01", CSC, description="joint visit with police and social worker"),
        contact("x", "2023-03-02", dict(agency="Police", agency_kind="police", organisation="Force",
                                        source_file="p.xlsx"), description="joint visit with police and social worker"),
    )
    timeline = build_timeline(frame, CASE)
    assert set(timeline["event_group"]) == {"x"}
    strict = link_events(timeline.assign(description=["a b c", "a b d", "a b e"]), threshold=100)
    assert strict.tolist() == timeline["event_id"].tolist()


def test_blank_text_never_links():
    frame = contacts(contact("a", "2023-03-01", HV), contact("b", "2023-03-01", CSC))
    groups = build_timeline(frame, CASE).set_index("event_id")["event_group"]
    assert groups["a"] == "a" and groups["b"] == "b"


def test_gaps_and_child_seen():
    timeline = build_timeline(SAMPLE, CASE).set_index("event_id")
    assert pd.isna(timeline.loc["mw1", "days_since_previous_contact"])
    # same day: social care sorts before health visiting (agency name)
    assert timeline.loc["sc1", "days_since_previous_contact"] == 50
    assert timeline.loc["hv1", "days_since_previous_contact"] == 0
    assert pd.isna(timeline.loc["sc1", "days_since_child_seen"])  # first seen: nothing earlier
    assert timeline.loc["hv1", "days_since_child_seen"] == 0  # seen earlier the same day
    # the admission h1 (no Child seen recorded) is a sighting: the child is necessarily there (review.sightings)
    assert pd.isna(timeline.loc["h1", "child_seen"]) and timeline.loc["h1", "child_seen_inferred"]
    assert timeline.loc["gp1", "days_since_child_seen"] == (pd.Timestamp("2024-09-06") - pd.Timestamp("2023-05-03")).days


def test_open_concerns_window():
    timeline = build_timeline(SAMPLE, CASE).set_index("event_id")
    assert timeline.loc["mw1", "open_concerns"] == ""
    assert timeline.loc["h1", "open_concerns"] == "bruising; head_injury"  # 63 days after the bruise
    assert timeline.loc["sc3", "open_concerns"] == ""  # more than 90 days later
    shorter = build_timeline(SAMPLE, CASE, concern_window_days=30).set_index("event_id")
    assert shorter.loc["h1", "open_concerns"] == "head_injury"


def test_cp_plan_and_hospital_flags_per_row():
    timeline = build_timeline(SAMPLE, CASE).set_index("event_id")
    assert timeline["on_cp_plan"].to_dict() == {
        "mw1": False, "hv1": False, "sc1": False, "sc2": True, "h1": True, "h2": True, "sc3": True, "gp1": False,
    }
    assert timeline.loc[["h1", "h2"], "in_hospital"].all()
    assert not timeline.loc["sc3", "in_hospital"]


def test_periods_from_conferences_and_admissions():
    result = periods(build_timeline(SAMPLE, CASE), CASE)
    assert result[["kind", "start", "end", "evidence_event_ids"]].values.tolist() == [
        ["cp_plan", pd.Timestamp("2023-04-03"), pd.Timestamp("2023-09-06"), "sc2; sc3"],
        ["hospital", pd.Timestamp("2023-05-03"), pd.Timestamp("2023-05-06"), "h1; h2"],
    ]


def test_plan_open_at_end_closes_at_death_and_no_plan_outcome_ignored():
    frame = contacts(
        contact("a", "2023-03-01", CSC, "cp_conference", "ICPC", action="Not made subject to a plan; CIN"),
        contact("b", "2023-04-01", CSC, "cp_conference", "ICPC", action="Child made subject to a CP plan"),
        contact("c", "2023-07-01", CSC, "cp_conference", "RCPC", action="remain subject to plan"),
        contact("d", "2023-08-01", GP, "clinic_appointment", "seen"),
    )
    case = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2023, 1, 31),
                      date_of_death=dt.date(2023, 9, 1))
    result = periods(build_timeline(frame, case), case)
    assert result[["start", "end", "evidence_event_ids"]].values.tolist() == [
        [pd.Timestamp("2023-04-01"), pd.Timestamp("2023-09-01"), "b; c"]
    ]
    without_case = periods(build_timeline(frame, case))
    assert without_case["end"].tolist() == [pd.Timestamp("2023-08-01")]  # last contact


def test_admission_own_date_end_and_unmatched_discharge():
    frame = contacts(
        contact("a", "2023-03-01", HOSP, "admission", "admitted", date_end="2023-03-04"),
        contact("b", "2023-05-01", HOSP, "admission", "admitted"),
        contact("c", "2023-05-09", GP, "discharge", "discharge letter received"),  # other organisation
    )
    result = periods(build_timeline(frame, CASE))
    assert result["end"].tolist()[0] == pd.Timestamp("2023-03-04")
    # s19: no discharge by the same organisation and no later record of the child seen or not seen: the stay
    # runs to the end of the review (here the case's last contact), no longer a stay of one day (NaT)
    assert result["end"].tolist()[1] == pd.Timestamp("2023-05-09")
    timeline = build_timeline(frame, CASE).set_index("event_id")
    assert timeline.loc["b", "in_hospital"] and timeline.loc["c", "in_hospital"]


def test_agency_summary_and_health_headline():
    timeline = build_timeline(SAMPLE, CASE)
    summary = agency_summary(timeline).set_index("agency")
    assert summary.loc["Children's Social Care", ["contacts", "child_seen", "escalations_made"]].tolist() == [3, 1, 1]
    assert summary.loc["Hospital", "concerns_recorded"] == 1
    assert health_summary(timeline) == "5 contacts with health professionals across 3 health organisations"
    assert health_summary(timeline.iloc[:1]) == "1 contact with health professionals across 1 health organisation"


def test_rows_never_dropped_including_bad_dates():
    frame = pd.concat([SAMPLE, contacts(contact("nodate", None, GP, description="undated"))], ignore_index=True)
    timeline = build_timeline(frame, CASE)
    assert len(timeline) == len(frame)
    assert timeline["event_id"].iloc[-1] == "nodate"


def test_several_cases_in_one_call():
    other = SAMPLE.assign(case_id="c2", event_id=SAMPLE["event_id"] + "-2")
    timeline = build_timeline(pd.concat([other, SAMPLE], ignore_index=True), CASE)
    assert timeline.groupby("case_id")["seq"].max().tolist() == [8, 8]
    assert not (timeline["event_group"].str.endswith("-2") & (timeline["case_id"] == "c1")).any()


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(len(SAMPLE) * 2)))
def test_order_of_input_rows_does_not_matter(order):
    doubled = pd.concat(
        [SAMPLE, SAMPLE.assign(event_id=SAMPLE["event_id"] + "b", source_row=SAMPLE["source_row"] + 100)],
        ignore_index=True,
    )
    expected = build_timeline(doubled, CASE)
    shuffled = build_timeline(doubled.iloc[list(order)], CASE)
    pd.testing.assert_frame_equal(shuffled, expected)


def test_mapping_of_cases_in_one_call_equals_one_call_per_case():
    other_case = CaseConfig(case_dir=Path("."), case_id="c2", date_of_birth=dt.date(2022, 11, 1),
                            mobile_from=dt.date(2023, 2, 1), review_date=dt.date(2023, 6, 1))
    other = SAMPLE[SAMPLE["event_id"] != "sc3"].assign(case_id="c2", event_id=lambda f: f["event_id"] + "-2")
    both = build_timeline(pd.concat([other, SAMPLE], ignore_index=True), {"c1": CASE, "c2": other_case})
    separate = pd.concat([build_timeline(SAMPLE, CASE), build_timeline(other, other_case)], ignore_index=True)
    pd.testing.assert_frame_equal(both, separate)
    spans = periods(both, {"c1": CASE, "c2": other_case})
    assert spans.loc[spans["kind"] == "cp_plan", "end"].tolist() == [pd.Timestamp("2023-09-06"), pd.Timestamp("2023-06-01")]


def test_packed_sort_keys_order_rows_exactly_as_lexsort():
    """chronology_order packs its keys into few int64 words; the order must equal lexsort's on any keys:
    small codes, huge ranges, dates in whole days / seconds (negative too), missing (_BIG) values."""
    import numpy as np

    from review.timeline import _BIG, _packed

    rng = np.random.default_rng(7)
    for _ in range(400):
        n = int(rng.integers(1, 60))
        keys = []
        for _ in range(int(rng.integers(1, 7))):
            kind = int(rng.integers(0, 5))
            if kind == 0:
                key = rng.integers(-3, 3, n)
            elif kind == 1:
                key = rng.integers(-2**62, 2**62, n)
            elif kind == 2:
                key = rng.integers(0, 20000, n) * 86_400 * 10**9 - 10**18
            elif kind == 3:
                key = rng.integers(0, 2**40, n) * 10**9
            else:
                key = rng.integers(0, 1000, n)
            if rng.random() < 0.4:
                key = np.where(rng.random(n) < 0.3, _BIG, key)
            keys.append(key.astype("int64"))
        words = _packed(keys)
        packed = np.argsort(words[0], kind="stable") if len(words) == 1 else np.lexsort(words[::-1])
        assert (packed == np.lexsort(keys[::-1])).all()


def test_case_dates_from_table_equal_case_configs():
    """CaseDates (timeline_many's vectorised case dates) equal `_case_dates` over store.case_configs, on
    random tables: month ends, leap days, missing dates, times of day, duplicated ids, missing columns."""
    import numpy as np

    from review.store import case_configs
    from review.timeline import CaseDates, _case_dates

    rng = np.random.default_rng(3)
    for trial in range(40):
        n = int(rng.integers(1, 60))
        ids = [f"c{i}" for i in rng.integers(0, max(n // 2, 1) + 1, n)]  # duplicates: the last row wins

        def dates(missing, n=n):
            base = np.datetime64("1995-01-01") + rng.integers(0, 12_000, n).astype("timedelta64[D]")
            ends = np.array([np.datetime64(f"{y}-{m:02d}-01") - np.timedelta64(int(d), "D")
                             for y, m, d in zip(rng.integers(1990, 2030, n), rng.integers(1, 13, n),
                                                rng.integers(1, 4, n))])  # month ends, 29 Feb
            values = np.where(rng.random(n) < 0.5, base, ends).astype("datetime64[ns]")
            values = values + (rng.integers(0, 86_400, n) * (rng.random(n) < 0.3)).astype("timedelta64[s]")
            values[rng.random(n) < missing] = np.datetime64("NaT")
            return pd.Series(values)

        table = pd.DataFrame({"case_id": ids, "date_of_birth": dates(0.0), "mobile_from": dates(0.6),
                              "review_date": dates(0.4), "date_of_death": dates(0.8)})
        if trial % 5 == 1:
            table = table.drop(columns=["mobile_from", "date_of_death"])
        if trial % 5 == 2:
            table["date_of_birth"] = table["date_of_birth"].dt.tz_localize("Europe/London", ambiguous="NaT",
                                                                           nonexistent="NaT")
            table.loc[table["date_of_birth"].isna(), "mobile_from"] = pd.Timestamp("2020-01-01")
        if trial % 5 == 3:
            table["review_date"] = table["review_date"].dt.strftime("%Y-%m-%d")  # text dates
        uniques = pd.unique(np.array(ids, dtype=object))[::-1]
        expected = _case_dates(case_configs(table), uniques)
        got = CaseDates(table).take(uniques)
        assert list(got) == list(expected)
        for name in expected:
            np.testing.assert_array_equal(got[name], expected[name])
            assert got[name].dtype == expected[name].dtype
    with pytest.raises(KeyError):
        CaseDates(table).take(np.array(["nope"], dtype=object))


def _reference_child_ages(days, dob):
    """child_ages as first written: plain datetime64 arithmetic, one row at a time in numpy terms."""
    import numpy as np

    birth = np.broadcast_to(np.asarray(dob, dtype="datetime64[D]"), days.shape)
    valid = ~np.isnat(days) & ~np.isnat(birth)
    birth = np.where(valid, birth, np.datetime64("2000-01-01", "D"))
    day = np.where(valid, days, birth)
    age = (day - birth).astype("int64")
    birth_month = birth.astype("datetime64[M]")
    birth_dom = (birth - birth_month.astype("datetime64[D]")).astype("int64") + 1
    month = day.astype("datetime64[M]")
    dom = (day - month.astype("datetime64[D]")).astype("int64") + 1
    this_len = ((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype("int64")
    # a month is completed on the birth day of month clamped to this month's length
    months = np.maximum((month - birth_month).astype("int64") - (dom < np.minimum(birth_dom, this_len)), 0)
    ann_month = birth_month + months.astype("timedelta64[M]")
    month_len = ((ann_month + 1).astype("datetime64[D]") - ann_month.astype("datetime64[D]")).astype("int64")
    anniversary = ann_month.astype("datetime64[D]") + (np.minimum(birth_dom, month_len) - 1).astype("timedelta64[D]")
    rest = (day - anniversary).astype("int64")
    display = []
    for v, a, m, r in zip(valid, age, months, rest):
        if not v:
            display.append("")
        elif a < 0:
            display.append(f"{a}d")
        else:
            y, mm = divmod(int(m), 12)
            display.append(f"{y}y {mm}m {r}d" if y else f"{mm}m {r}d")
    return pd.arrays.IntegerArray(np.where(valid, age, 0), ~valid), display


def test_child_ages_equal_reference_on_random_dates():
    """child_ages (int day numbers, per-case birth quantities) equals the datetime64 reference: NaT days
    and births, antenatal days, month ends and 29 February, births centuries apart, scalar and per-row dob."""
    import numpy as np

    from review.timeline import _ages, child_ages

    rng = np.random.default_rng(5)

    def random_days(n, nat):
        base = np.datetime64("2019-01-01") + rng.integers(-800, 3000, n).astype("timedelta64[D]")
        ends = np.array([np.datetime64(f"{y}-{m:02d}-01") - np.timedelta64(int(d), "D")
                         for y, m, d in zip(rng.integers(2016, 2026, n), rng.integers(1, 13, n),
                                            rng.integers(1, 4, n))], dtype="datetime64[D]")
        far = np.datetime64("1890-01-01") + rng.integers(0, 80_000, n).astype("timedelta64[D]")
        pick = rng.random(n)
        values = np.where(pick < 0.4, base, np.where(pick < 0.9, ends, far)).astype("datetime64[D]")
        values[rng.random(n) < nat] = np.datetime64("NaT")
        return values

    for trial in range(30):
        n = int(rng.integers(0, 400))
        days = random_days(n, 0.1)
        dobs = [random_days(n, 0.05), random_days(1, 0.0)[0], np.datetime64("NaT", "D")]
        for dob in dobs:
            got_age, got_display = child_ages(days, dob)
            want_age, want_display = _reference_child_ages(days, dob)
            pd.testing.assert_extension_array_equal(got_age, want_age)
            assert list(got_display.to_numpy(dtype=object)) == want_display
        # per-case births, as build_timeline passes them
        births = random_days(7, 0.2)
        which = rng.integers(0, 7, n)
        got_age, got_display = _ages(days, births, which)
        want_age, want_display = _reference_child_ages(days, births[which])
        pd.testing.assert_extension_array_equal(got_age, want_age)
        assert list(got_display.to_numpy(dtype=object)) == want_display


def _reference_open_concerns(concerns, days, starts, window_days):
    """_open_concerns restated row by row: for each row and each tag, the last earlier-or-same dated row of
    the case carrying the tag, open when that row's day is within the window (undated rows: any earlier)."""
    import numpy as np

    n = len(concerns)
    values = concerns.to_numpy(dtype=object, na_value="")
    tags = [[t.strip() for t in str(v).split(";") if t.strip()] for v in values]
    out = []
    for i in range(n):
        last = {}
        for j in range(starts[i], i + 1):
            if not np.isnat(days[j]):
                for t in tags[j]:
                    last[t] = days[j]
        open_ = {t for t, d in last.items() if np.isnat(days[i]) or (days[i] - d).astype(int) <= window_days}
        out.append("; ".join(sorted(open_)))
    return out


def test_open_concerns_equal_reference_on_random_rows():
    """_open_concerns (one cumulative sum of interval bit masks) equals the row-by-row reference: several
    cases, undated rows last in their case, one-row cases, blank/NA/duplicated/spaced tags, windows
    0, 90, negative and longer than the data, and more than 62 distinct tags."""
    import numpy as np

    from review.timeline import _case_starts, _open_concerns

    rng = np.random.default_rng(11)
    for trial in range(40):
        n_cases = int(rng.integers(1, 8))
        sizes = rng.integers(1, 40, n_cases)
        many = trial % 8 == 7
        vocab = [f"tag{i:02d}" for i in range(80 if many else 6)]
        days, concerns, case_ids = [], [], []
        for c, size in enumerate(sizes):
            d = np.sort(np.datetime64("2021-01-01") + rng.integers(0, 400, size).astype("timedelta64[D]"))
            undated = int(rng.integers(0, 3)) if size > 2 else 0
            if undated:
                d[-undated:] = np.datetime64("NaT")
            days.append(d)
            case_ids += [f"c{c}"] * size
            for _ in range(size):
                r = rng.random()
                if r < 0.4:
                    concerns.append(None if r < 0.1 else "")
                else:
                    picked = rng.choice(vocab, int(rng.integers(1, 4 if not many else 30)))
                    concerns.append(" ; ".join(picked) + (" ;" if r > 0.9 else ""))
        days = np.concatenate(days).astype("datetime64[D]")
        series = pd.Series(concerns, dtype="string")
        starts = _case_starts(np.array(case_ids, dtype=object))
        for window in (90, 0, -3, 10_000):
            got = _open_concerns(series, days, starts, window)
            got = list(got.to_numpy(dtype=object, na_value="")) if hasattr(got, "to_numpy") else list(got)
            assert got == _reference_open_concerns(series, days, starts, window), (trial, window)


def test_text_for_linking_and_reused_factorisations_equal_straightforward():
    """_text_for_linking on chosen rows (whole columns factorised, then the rows' codes taken) equals the
    row-by-row rule; build_timeline's reuse of the sort's factorisations gives candidate_links' own pairs."""
    import numpy as np

    from review.timeline import (
        _codes,
        _text_for_linking,
        candidate_links,
        sort_contacts,
    )

    rng = np.random.default_rng(2)
    words = ["", " ", "  \t", "home visit", "Home visit ", "bruise seen", "police called", None]
    for n in (50, 12_000):
        description = pd.Series(rng.choice(np.array(words, dtype=object), n), dtype="string")
        action = pd.Series(rng.choice(np.array(words, dtype=object), n), dtype="string")
        rows = np.flatnonzero(rng.random(n) < 0.7)
        d = description.to_numpy(dtype=object, na_value="")
        a = action.to_numpy(dtype=object, na_value="")
        expected = [d[i] if d[i].strip() else (a[i] if a[i].strip() else "") for i in rows]
        codes, table = _text_for_linking(description, action, rows)
        assert list(table[codes]) == expected

    frame = sort_contacts(SAMPLE)
    factorised = {name: _codes(frame[name], sort=True) for name in ("case_id", "agency", "contact_type",
                                                                    "date_precision")}
    pd.testing.assert_frame_equal(candidate_links(frame, factorised=factorised), candidate_links(frame))


def test_take_strings_and_groups_equal_straightforward():
    """_take_strings (chunk-by-chunk Arrow take) equals iloc on multi-chunk columns with NA; _groups equals a
    plain union-find taking the smallest event_id of each component (duplicated and missing ids too)."""
    import numpy as np
    import pyarrow as pa

    from review.timeline import _groups, _take_strings

    rng = np.random.default_rng(4)
    for trial in range(30):
        n = int(rng.integers(1, 300))
        values = [None if rng.random() < 0.1 else f"e{int(v):03d}" for v in rng.integers(0, max(n // 2, 1), n)]
        cuts = np.sort(rng.integers(0, n + 1, int(rng.integers(0, 5))))
        pieces = np.split(np.array(values, dtype=object), cuts)
        chunked = pa.chunked_array([pa.array(list(p), type=pa.large_string()) for p in pieces], type=pa.large_string())
        series = pd.Series(pd.arrays.ArrowStringArray(chunked))
        assert series.dtype == "string"
        rows = np.flatnonzero(rng.random(n) < 0.3)
        expected = series.iloc[rows].to_numpy(dtype=object, na_value="")
        assert list(_take_strings(series, rows)) == list(expected)
        # _groups
        m = int(rng.integers(0, n))
        left, right = rng.integers(0, n, m), rng.integers(0, n, m)
        keep = left != right
        left, right = np.minimum(left, right)[keep], np.maximum(left, right)[keep]
        parent = list(range(n))

        def find(x, parent=parent):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a, b in zip(left, right):
            parent[find(a)] = find(b)
        ids = [v or "" for v in values]
        members = {}
        for i in range(n):
            members.setdefault(find(i), []).append(i)
        linked = set(left) | set(right)
        expected = [min(ids[j] for j in members[find(i)]) if i in linked else ids[i] for i in range(n)]
        got = _groups(series, left, right)
        assert got.dtype == "string" and list(got.to_numpy(dtype=object)) == expected


def test_factorize_by_runs_equals_factorize():
    """_factorize (run heads only, when a column runs) equals fillna("").factorize on random multi-chunk
    Arrow columns: long and short runs, NA next to "", sorted and unsorted uniques."""
    import numpy as np
    import pyarrow as pa

    from review.timeline import _codes, _factorize, _run_starts

    rng = np.random.default_rng(8)
    for trial in range(40):
        n = int(rng.integers(2, 20_000))
        run = int(rng.choice([1, 3, 50, 5000]))
        pool = np.array(["", "b", "a", "é", "day", "month", None, "A"], dtype=object)
        values = np.repeat(rng.choice(pool, n // run + 1), run)[:n]
        cuts = np.sort(rng.integers(0, n + 1, int(rng.integers(0, 6))))
        chunked = pa.chunked_array([pa.array(list(p), type=pa.large_string()) for p in np.split(values, cuts)],
                                   type=pa.large_string())
        series = pd.Series(pd.arrays.ArrowStringArray(chunked))
        for sort in (False, True):
            codes, uniques = _factorize(series, sort=sort)
            want_codes, want_uniques = series.fillna("").factorize(sort=sort)
            np.testing.assert_array_equal(codes, want_codes)
            assert codes.dtype == want_codes.dtype
            assert list(uniques) == list(want_uniques)
            got, want = _codes(series, sort=sort), series.fillna("").factorize(sort=sort)
            if n >= 5000:
                np.testing.assert_array_equal(got[0], want[0])
                assert list(got[1]) == list(want[1])
        if run >= 50 and n >= 1000:
            assert _run_starts(series) is not None


def test_int_factorize_equals_factorize():
    """_int_factorize gives values == distinct[codes] with distinct values unique, as pd.factorize does."""
    import numpy as np

    from review.timeline import _int_factorize

    rng = np.random.default_rng(9)
    for trial in range(30):
        n = int(rng.integers(0, 3000))
        width = int(rng.choice([1, 10, 70_000, 2**40]))
        values = rng.integers(-width, width, n) if width > 1 else np.zeros(n, dtype="int64")
        codes, distinct = _int_factorize(values.astype("int64"))
        np.testing.assert_array_equal(distinct[codes], values)
        assert len(np.unique(distinct)) == len(distinct) == len(np.unique(values))
        assert codes.dtype.kind == "i"


def test_chronology_order_equals_lexsort_of_every_key():
    """chronology_order (packed primary keys, ties found as equal packed words, tie-breakers on the tied
    rows only) equals one stable lexsort over all SORT_KEYS, on random tables heavy with ties: duplicated
    provenance, NaT dates, times of day, partial precisions, missing sequences and rows, NA text."""
    import numpy as np

    from review.timeline import PRECISION_RANK, _codes, chronology_order

    rng = np.random.default_rng(12)
    for trial in range(40):
        n = int(rng.integers(1, 300))

        def pick(values, n=n):
            return [values[i] for i in rng.integers(0, len(values), n)]

        dates = pd.Series(pd.to_datetime("2022-01-01") + pd.to_timedelta(rng.integers(0, 6, n), unit="D")
                          + pd.to_timedelta(rng.integers(0, 2, n) * rng.integers(0, 86_400, n), unit="s"))
        dates[rng.random(n) < 0.1] = pd.NaT
        table = conform(pd.DataFrame({
            "case_id": pick(["c1", "c2", "c10"]), "event_id": pick(["e1", "e2", None, "e3"]), "date": dates,
            "date_precision": pick(["day", "approximate", "month", "year", None]),
            "sequence": pd.array(pick([1, 2, None]), dtype="Int64"), "agency": pick(["GP", "HV", None]),
            "source_file": pick(["a.xlsx", "b.csv"]), "source_sheet": pick(["", "S1"]),
            "source_row": pd.array(pick([2, 3, None]), dtype="Int64"), "contact_type": pick(["letter", "referral"]),
            "description": pick(["x", "y", None, ""]), "action": pick(["p", None]), "analysis": pick(["", "q"]),
        }), CONTACT_COLUMNS)
        big = np.iinfo("int64").max
        date = table["date"].to_numpy(dtype="datetime64[ns]")
        keys = [
            _codes(table["case_id"])[0],
            np.where(np.isnat(date), big, date.view("int64")),
            _file_min_rank(table, np.array([PRECISION_RANK.get(p, len(PRECISION_RANK))
                                            for p in table["date_precision"].fillna("")])),
            table["sequence"].to_numpy(dtype="int64", na_value=big),
            _codes(table["agency"])[0], _codes(table["source_file"])[0], _codes(table["source_sheet"])[0],
            table["source_row"].to_numpy(dtype="int64", na_value=big),
        ] + [_codes(table[name])[0] for name in ("event_id", "contact_type", "description", "action", "analysis")]
        np.testing.assert_array_equal(chronology_order(table), np.lexsort(keys[::-1]))


def test_within_equals_any_span_covering_the_day():
    """_within (binary searches among span boundaries) equals 'some span of the row's case covers its
    day' on random rows in any order: NaT days, NaT span ends (the start day only), overlapping spans,
    spans of cases without rows, few (direct) and many (searched) spans."""
    import numpy as np

    from review.timeline import _within

    rng = np.random.default_rng(6)
    for trial in range(40):
        n = int(rng.integers(1, 400))
        uniques = np.array([f"c{i}" for i in range(int(rng.integers(1, 6)))], dtype=object)
        codes = rng.integers(0, len(uniques), n)
        days = (np.datetime64("2020-01-01") + rng.integers(0, 60, n).astype("timedelta64[D]")).astype("datetime64[D]")
        days[rng.random(n) < 0.1] = np.datetime64("NaT")
        m = int(rng.choice([3, 40]))
        start = np.datetime64("2020-01-01") + rng.integers(-5, 60, m).astype("timedelta64[D]")
        end = start + rng.integers(0, 10, m).astype("timedelta64[D]")
        spans = pd.DataFrame({
            "case_id": rng.choice(np.append(uniques, "elsewhere"), m),
            "start": pd.Series(start.astype("datetime64[ns]")),
            "end": pd.Series(np.where(rng.random(m) < 0.2, np.datetime64("NaT"), end).astype("datetime64[ns]")),
        })
        got = _within(codes, uniques, days, spans)
        span_end = spans["end"].fillna(spans["start"])
        expected = [None if np.isnat(d) else any(
            c == uniques[code] and s.to_datetime64() <= d <= e.to_datetime64()
            for c, s, e in zip(spans["case_id"], spans["start"], span_end)) for code, d in zip(codes, days)]
        assert list(got) == [pd.NA if v is None else v for v in expected], trial


def _file_min_rank(frame, rank):
    """(s21) The precision rank key by its definition: per dated row, the lowest rank among the rows of its case,
    date, source_file and source_sheet (NA as ""), row by row."""
    import numpy as np

    keys = list(zip(frame["case_id"].astype("string").fillna(""), frame["date"],
                    frame["source_file"].astype("string").fillna(""), frame["source_sheet"].astype("string").fillna("")))
    best = {}
    for key, r in zip(keys, rank):
        if not pd.isna(key[1]):
            best[key] = min(best.get(key, r), r)
    return np.array([r if pd.isna(key[1]) else best[key] for key, r in zip(keys, rank)], dtype="int64")


def _reference_chronology_order(frame):
    """chronology_order by its definition: one lexsort over every key (each text column's codes in
    code-point order, NA as "")."""
    import numpy as np

    from review.timeline import _BIG, PRECISION_RANK, SORT_KEYS

    def text(name):
        values = frame[name].astype("string").fillna("").to_numpy(dtype=object)
        return pd.factorize(values, sort=True)[0]

    def ints(values):
        values = values.astype("Int64")
        return np.where(values.isna().to_numpy(), _BIG, values.to_numpy(dtype="int64", na_value=0))

    date = frame["date"].to_numpy(dtype="datetime64[ns]")
    precision = frame["date_precision"].astype("string").fillna("").to_numpy(dtype=object)
    keys = [text("case_id"), np.where(np.isnat(date), _BIG, date.view("int64")),
            _file_min_rank(frame, np.array([PRECISION_RANK.get(p, len(PRECISION_RANK)) for p in precision],
                                           dtype="int64")),
            ints(frame["sequence"]), text("agency"), text("source_file"), text("source_sheet"),
            ints(frame["source_row"])] + [text(name) for name in SORT_KEYS[8:]]
    return np.lexsort(keys[::-1])


def test_chronology_order_of_sorted_and_unsorted_tables_equals_its_definition():
    """A table already in chronology order takes a shortcut (no sort, source texts compared only where the
    earlier keys tie); its order, as a shuffled table's, must be the definition's: ties on every
    provenance key broken by event id and text, then by input order; NA, partial dates and sequences."""
    import numpy as np
    import pyarrow as pa

    from review.timeline import chronology_order

    rng = np.random.default_rng(11)
    for trial in range(300):
        n = int(rng.integers(1, 40))

        def pick(values, na=0.0, n=n):
            out = rng.choice(np.array(values, dtype=object), n)
            return [None if rng.random() < na else v for v in out]

        frame = conform(pd.DataFrame({
            "case_id": pick(["c1", "c2"]),
            "event_id": pick(["e1", "e2", "e3", "é"]),
            "date": pick(["2023-01-01", "2023-01-02", "2023-02-01", None]),
            "date_precision": pick(["day", "month", "year", "approximate", ""]),
            "sequence": pick([1, 2, None]),
            "agency": pick(["GP", "Hospital", "gp"], na=0.1),
            "source_file": pick(["a.xlsx", "b.xlsx", "B.xlsx", "ä.xlsx", ""], na=0.2),
            "source_sheet": pick(["S1", "S2", "s1"], na=0.2),
            "source_row": pick([2, 3, 10, None]),
            "contact_type": pick(["home_visit", "clinic"]),
            "description": pick(["x", "y", ""], na=0.2),
        }), CONTACT_COLUMNS)
        expected = _reference_chronology_order(frame)
        assert (chronology_order(frame) == expected).all(), trial
        ordered = frame.take(expected).reset_index(drop=True)
        assert (chronology_order(ordered) == _reference_chronology_order(ordered)).all(), trial
        if trial % 3 == 0:  # the store's case: Arrow-backed text columns of several chunks
            chunked = ordered.copy()
            for name in ("source_file", "source_sheet"):
                arrow = pa.array(chunked[name].to_numpy(dtype=object, na_value=None), type=pa.large_string())
                half = len(arrow) // 2
                chunked[name] = pd.arrays.ArrowStringArray(pa.chunked_array([arrow[:half], arrow[half:]]))
            assert (chronology_order(chunked) == _reference_chronology_order(ordered)).all(), trial
