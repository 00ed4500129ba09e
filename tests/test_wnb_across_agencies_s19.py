"""was_not_brought, variant across_agencies (s19): missed health appointments spread over several agencies, no
one agency's own count showing them whole, are one flag asking the GP (holder of the health record) to collate
them; a report of missed contacts (a discharge letter) is its evidence, never a missed contact; a child whose
case.yml states additional_needs has the lower threshold; the row-by-row baseline agrees."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from review.config import CaseConfig, load_case_config as load_case
from review.errors import ConfigError
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_rowwise

RULES = load_rules()


def case(needs=()):
    return CaseConfig(case_dir=".", case_id="C1", date_of_birth=dt.date(2013, 3, 4),
                      review_date=dt.date(2022, 9, 30), additional_needs=tuple(needs))


def missed(date, agency, text="Was not brought"):
    return {"date": date, "agency": agency, "agency_kind": "health", "contact_type": "was_not_brought",
            "concerns": "was_not_brought", "description": text}


def letter(date, agency, text):
    return {"date": date, "agency": agency, "agency_kind": "health", "contact_type": "letter",
            "concerns": "was_not_brought", "description": text}


def seen(date, agency):
    return {"date": date, "agency": agency, "agency_kind": "health", "contact_type": "clinic_appointment",
            "description": "Reviewed in clinic", "child_seen": True}


GP, PAEDS, DENTAL = "Brookside Surgery", "Riverside Community Paediatrics", "Community Dental Service"


def flags_of(rows, needs=()):
    flags = detect(make_timeline(rows, dob="2013-03-04"), case(needs), RULES, only=["was_not_brought"])
    return flags


def across(flags):
    return flags[flags["explanation"].str.contains("health appointments? with", regex=True)]


JORDAN_LIKE = [
    missed("2021-11-23", PAEDS),                                       # e001
    letter("2021-11-24", GP, "Letter from community paediatrics: was not brought to clinic"),  # e002
    missed("2022-01-14", PAEDS, "Appointment cancelled by parent"),    # e003
    missed("2022-02-10", GP, "Not brought for weight review"),         # e004
    missed("2022-03-15", PAEDS, "Not brought again, discharged to GP"),  # e005
    letter("2022-03-17", GP, "Discharge letter from community paediatrics after 3rd WNB"),  # e006
    missed("2022-04-03", DENTAL, "Second WNB. Discharged per policy"),  # e007
]


def test_missed_appointments_across_three_health_agencies_are_one_flag_for_the_gp_to_collate():
    flags = flags_of(JORDAN_LIKE)
    # the paediatric clinic's own pattern (3 WNB) is its own flag, as before
    own = flags[flags["agencies"] == PAEDS]
    assert list(own["evidence_event_ids"]) == ["C1-e001; C1-e003; C1-e005"]
    flag = across(flags)
    assert len(flag) == 1
    flag = flag.iloc[0]
    # raised where the pattern first went unanswered: the GP's missed weight review makes 3 by 2 agencies, one of
    # them no agency's own flag has
    assert flag.trigger_event_id == "C1-e004"
    assert flag.expected_by == pd.Timestamp("2022-02-24")
    # every missed contact of the pattern and the GP's letters reporting them
    assert flag.evidence_event_ids == "C1-e001; C1-e002; C1-e003; C1-e004; C1-e005; C1-e006; C1-e007"
    assert set(flag.agencies.split("; ")) == {GP, DENTAL, PAEDS}
    assert flag.expected_action.startswith(f"the missed health appointments collated by {GP} (holder of the "
                                           "health record)")
    assert "not brought to 5 health appointments with 3 agencies over 131 days" in flag.explanation
    assert f"reports of missed appointments were filed by {GP} (24 Nov 2021, 17 Mar 2022)" in flag.explanation
    assert not flag.actual_action_event_id or pd.isna(flag.actual_action_event_id)


def test_a_discharge_letter_is_no_missed_appointment():
    # two missed appointments and a letter reporting them: 2 missed contacts, under the threshold of 3
    rows = [missed("2022-02-10", GP), missed("2022-03-15", PAEDS),
            letter("2022-03-17", GP, "Discharge letter from community paediatrics after 3rd WNB")]
    assert across(flags_of(rows)).empty


def test_a_child_with_additional_needs_is_flagged_from_two():
    rows = [missed("2022-02-10", GP), missed("2022-03-15", DENTAL)]
    assert flags_of(rows).empty
    flags = across(flags_of(rows, needs=["autism", "EHCP"]))
    assert list(flags["trigger_event_id"]) == ["C1-e002"]
    assert "(a child with additional needs, case.yml additional_needs: threshold 2)" in flags.iloc[0].explanation


def test_a_health_agency_seeing_the_child_ends_the_pattern():
    rows = [missed("2022-01-10", GP), missed("2022-01-20", DENTAL), seen("2022-02-01", "School Nursing Service"),
            missed("2022-02-10", PAEDS)]
    assert across(flags_of(rows)).empty
    # without the sighting, the three are a pattern
    assert len(across(flags_of([r for r in rows if r.get("child_seen") is not True]))) == 1


def test_an_escalation_within_the_follow_up_time_answers_it():
    rows = [missed("2022-01-10", GP), missed("2022-01-20", DENTAL), missed("2022-02-10", PAEDS),
            {"date": "2022-02-15", "agency": GP, "agency_kind": "health", "contact_type": "referral",
             "description": "Referral to children's social care re missed health care", "escalation": "referral_to_csc"}]
    assert across(flags_of(rows)).empty


def test_each_agencys_own_flags_holding_every_missed_contact_raise_no_flag_across():
    rows = [missed("2022-01-10", GP), missed("2022-01-12", DENTAL), missed("2022-02-10", GP),
            missed("2022-02-12", DENTAL)]
    flags = flags_of(rows)
    assert sorted(flags["agencies"]) == sorted([GP, DENTAL])
    assert across(flags).empty


def test_switched_off_and_with_same_agency_false():
    rules = load_rules()
    rules["rules"]["was_not_brought"]["params"]["across_agencies_min_missed"] = 0
    assert across(detect(make_timeline(JORDAN_LIKE, dob="2013-03-04"), case(), rules,
                         only=["was_not_brought"])).empty
    rules = load_rules()
    rules["rules"]["was_not_brought"]["params"]["same_agency"] = False
    flags = detect(make_timeline(JORDAN_LIKE, dob="2013-03-04"), case(), rules, only=["was_not_brought"])
    assert across(flags).empty and len(flags) == 1


def test_the_baseline_raises_the_same_flags():
    for needs, rows in ((False, JORDAN_LIKE), (True, [missed("2022-02-10", GP), missed("2022-03-15", DENTAL)]),
                        (False, [missed("2022-02-10", GP), missed("2022-03-15", DENTAL)])):
        timeline = make_timeline(rows, dob="2013-03-04")
        package = detect(timeline, case(["autism"] if needs else ()), RULES, only=["was_not_brought"])
        base_rows = []
        for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
            r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
            base_rows.append(r)
        _, base = baseline_rowwise.run(base_rows, {"C1": {"date_of_birth": dt.date(2013, 3, 4),
                                                          "review_date": dt.date(2022, 9, 30),
                                                          "additional_needs": needs}}, RULES)
        base = [f for f in base if f["rule_id"] == "was_not_brought"]
        assert sorted(package["flag_id"]) == sorted(f["flag_id"] for f in base)
        assert sorted(zip(package["trigger_event_id"], package["expected_by"].dt.date)) == sorted(
            (f["trigger_event_id"], f["expected_by"]) for f in base)


def _case_yml(tmp_path, extra):
    (tmp_path / "case.yml").write_text("case_id: c\ndate_of_birth: 2015-01-01\n" + extra, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("written, read", [
    ("additional_needs: [autism, EHCP]\n", ("autism", "EHCP")),
    ("additional_needs: cerebral palsy\n", ("cerebral palsy",)),
    ("additional_needs: none\n", ()),
    ("", ()),
])
def test_case_yml_additional_needs(tmp_path, written, read):
    assert load_case(_case_yml(tmp_path, written)).additional_needs == read


def test_case_yml_additional_needs_of_another_kind_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="additional_needs must be a text or a list of texts"):
        load_case(_case_yml(tmp_path, "additional_needs: {autism: yes}\n"))


def test_the_anonymised_manifest_does_not_name_the_childs_needs(tmp_path):
    from types import SimpleNamespace

    from review.build import _case_values

    config = load_case(_case_yml(tmp_path, "additional_needs: [autism, EHCP]\n"))
    plain = SimpleNamespace(text=lambda s: s, path=lambda s: s)
    assert _case_values(config, None)["additional_needs"] == ["autism", "EHCP"]
    assert _case_values(config, plain)["additional_needs"] == "[redacted]"
