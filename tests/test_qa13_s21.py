"""QA13's re-check of QA11 (FII, Poppy) and QA12 (SUDI, Mason): three false readings (s21).

1. (QA11 N1) child_not_seen named Hazelmere Primary School as "holding the case" over Christmas on its own FII
   log, with no plan and no open case: a school is no case holder (`open_case_holder_kinds`: social care, health).
2. (QA12 D11) "Mason seen and weighed ... moses basket 'at Nan's' ... Not seen." tagged child_not_seen: ingest
   now reads the child's given name (case.yml child_name) with the concern tags, as the sightings do.
3. (QA12 D3) the father's drug-service missed appointment triggered child_not_seen, and the mother's own
   postnatal check missed was "a missed appointment (child not brought)": a parent's own service's record (an
   adult service's, or one naming a parent's own appointment, vocab.yml parent_appointment_words) is no contact
   with the child and its missed appointment no child not brought.
Each rule case is run through the package and the row-by-row baseline alike.
"""
from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import yaml

from _baseline import RULES, baseline_flags
from review.ingest.load import _load_vocab, _with_child_name, load_contacts
from review.config import load_case_config
from review.rules import detect
from review.rules.testing import make_timeline
from review.vocab import tag_concerns

SCHOOL = {"agency": "Hazelmere Primary School", "agency_kind": "education"}
HOSPITAL = {"agency": "Thornbury Children's Hospital", "agency_kind": "health"}
HV = {"agency": "Westvale Health Visiting", "agency_kind": "health"}
CSC = {"agency": "Westmoor Children's Social Care", "agency_kind": "social care"}
DRUGS = {"agency": "Pathways Drug and Alcohol Service", "agency_kind": "health"}
GP = {"agency": "Ashby Road Surgery", "agency_kind": "health"}


def row(date, who, text, contact_type="clinic_appointment", seen=True, **kw):
    return {"date": date, "contact_type": contact_type, "child_seen": seen, "description": text,
            "on_cp_plan": False, **who, **kw}


def cns(rows):
    """child_not_seen's flags, package and baseline alike: the baseline's (trigger, variant) sorted (the package
    raising the same triggers), and the package's frame."""
    flags = detect(make_timeline(rows), None, RULES, only=["child_not_seen"])
    got = sorted(flags["trigger_event_id"]) if not flags.empty else []
    base = sorted((f["trigger_event_id"], f["variant"]) for f in baseline_flags(rows) if f["rule_id"] == "child_not_seen")
    assert got == [t for t, _ in base]
    return base, flags


# -- 1. a school holds no case ------------------------------------------------------------------------------------


def _christmas(holder):
    """The child seen at hospital on 5 Dec 2023; `holder` logs a concern on 20 Dec; the hospital sees the child
    again on 6 Feb 2024 (48 days from the concern: the Christmas holidays between)."""
    return [row("2023-12-05", HOSPITAL, "Clinic. Child seen, weight 20 kg."),
            row("2023-12-20", holder, "Mother reports Poppy vomits after every meal; staff have never seen it.",
                "other", seen=None, concerns="fabricated_illness"),
            row("2024-02-06", HOSPITAL, "Gastrostomy inserted under general anaesthetic.")]


def test_a_schools_own_concern_log_makes_it_no_case_holder_over_the_holidays():
    got, _ = cns(_christmas(SCHOOL))
    assert got == []  # was: open_concerns_seen_late at 6 Feb 2024 against Hazelmere Primary School


def test_a_health_visitors_concern_still_holds_the_case():
    got, flags = cns(_christmas(HV))
    assert got == [("C1-e003", "open_concerns_seen_late")]
    assert flags.iloc[0]["agencies"] == "Westvale Health Visiting"
    assert "agencies holding the case (Westvale Health Visiting)" in flags.iloc[0]["expected_action"]


def test_the_holder_kinds_are_a_setting():
    assert RULES["rules"]["child_not_seen"]["params"]["open_case_holder_kinds"] == ["social care", "health"]


# -- 2. "<Name> seen" beside an elliptical "Not seen." ------------------------------------------------------------

_MASON = ("New birth visit (day 23). Mason seen and weighed, 3.4 kg. Safe sleep advice given: moses basket "
          "'at Nan's', baby sleeping in bed with mum. Not seen. EPDS 15.")


def test_the_childs_given_name_reaches_the_concern_tags():
    vocab = _load_vocab(None)
    named = _with_child_name(vocab, SimpleNamespace(child_name="Mason Reid"))
    assert "child_not_seen" in tag_concerns(_MASON, vocab)  # without the name: the child unseen
    assert tag_concerns(_MASON, named) == ["unsafe_sleep"]
    # the child not named seen: an elliptical "Not seen." is still the child's
    assert "child_not_seen" in tag_concerns("Home visit. Mother at home. Not seen.", named)
    assert "child_not_seen" in tag_concerns("Home visit. Mason not seen.", named)
    # no name, or one already listed: the vocabulary as it was
    assert _with_child_name(vocab, SimpleNamespace(child_name=None)) is vocab
    assert _with_child_name(named, SimpleNamespace(child_name="Mason Reid")) is named
    assert _with_child_name(vocab, SimpleNamespace(child_name="Mason Reid")) is named  # cached


def _case(case_dir: Path, files: dict) -> Path:
    case_dir.mkdir(parents=True)
    raw = {"case_id": "mr", "child_name": "Mason Reid", "date_of_birth": "2023-06-12", "review_date": "2023-12-31",
           "files": [{"path": name, "agency": agency} for name, (agency, _) in files.items()]}
    (case_dir / "case.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    for name, (_, rows) in files.items():
        with open(case_dir / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return case_dir


def test_ingest_reads_the_named_child_seen(tmp_path):
    case = _case(tmp_path / "c", {"hv.csv": ("Westmoor Health Visiting", [
        ["Date", "Type", "Description"],
        ["05/07/2023", "Home visit", _MASON],
        ["12/07/2023", "Home visit", "Mother at home. Not seen."]])})
    contacts, _ = load_contacts(load_case_config(case))
    concerns = contacts.sort_values("date")["concerns"].fillna("").tolist()
    assert concerns[0] == "unsafe_sleep"  # was: child_not_seen; unsafe_sleep
    assert "child_not_seen" in concerns[1]


# -- 3. a parent's own service's record ---------------------------------------------------------------------------


def _plan(last):
    """On a plan from 3 Jul 2023 (social care sees the child), `last` 21 days on, a sighting on 10 Aug."""
    return [row("2023-07-03", CSC, "Initial child protection conference: child made subject of a child protection plan. "
                "Child seen.", "cp_conference", on_cp_plan=True),
            row("2023-07-13", CSC, "Statutory visit. Child seen.", "home_visit", on_cp_plan=True),
            {**last, "on_cp_plan": True},
            row("2023-08-10", HV, "Child seen, weighed.", "home_visit", on_cp_plan=True)]


def test_an_adult_services_missed_appointment_triggers_no_unseen_stretch():
    got, flags = cns(_plan(row("2023-08-03", DRUGS, "Did not attend.", "was_not_brought", seen=False)))
    # was: cp_plan at the drug service's row (the father's appointment); now the late sighting, against the
    # plan's holder
    assert got == [("C1-e004", "cp_plan_seen_late")]
    assert flags.iloc[0]["agencies"] == "Westmoor Children's Social Care"


def test_a_parents_own_appointment_is_no_contact_with_the_child():
    got, _ = cns(_plan(row("2023-08-03", GP, "Mother's postnatal check: did not attend.", "was_not_brought",
                           seen=False, concerns="was_not_brought")))
    assert got == [("C1-e004", "cp_plan_seen_late")]
    # the child's own missed check is the child's: the GP's contact triggers
    got, _ = cns(_plan(row("2023-08-03", GP, "Mason's 6-8 week check: was not brought.", "was_not_brought",
                           seen=False, concerns="was_not_brought")))
    assert got == [("C1-e003", "cp_plan")]


def test_a_parents_own_missed_appointment_is_no_child_not_brought():
    rows = [row("2023-06-26", GP, "Mother's postnatal check: did not attend.", "was_not_brought", seen=False,
                concerns="was_not_brought"),
            row("2023-08-07", GP, "6-8 week check: was not brought.", "was_not_brought", seen=False,
                concerns="was_not_brought")]
    flags = detect(make_timeline(rows), None, RULES, only=["was_not_brought"])
    base = [f for f in baseline_flags(rows) if f["rule_id"] == "was_not_brought"]
    assert flags.empty and base == []  # was: 2 missed appointments of the child's (26 Jun, 7 Aug)
    # two of the child's own: flagged, package and baseline alike
    rows[0] = row("2023-06-26", GP, "Immunisations: was not brought.", "was_not_brought", seen=False,
                  concerns="was_not_brought")
    flags = detect(make_timeline(rows), None, RULES, only=["was_not_brought"])
    base = [f for f in baseline_flags(rows) if f["rule_id"] == "was_not_brought"]
    assert len(flags) == 1 and len(base) == 1


def test_a_parents_own_appointment_is_read_in_the_description_or_action():
    from review.timeline import parent_appointment_rows
    import pandas as pd

    got = parent_appointment_rows(pd.Series(["Mother's postnatal check: did not attend.", "6-8 week check: DNA.",
                                             None, "Did not attend."]),
                                  pd.Series(["Filed.", "Rebooked.", "Filed.", "Maternal 6 week check rebooked."]),
                                  ["", "", "", ""])
    assert got.tolist() == [True, False, False, True]
