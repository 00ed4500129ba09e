"""Session 18, text readings and one store gap, each read alike by the package (per distinct text, vectorised)
and the row-by-row baseline (benchmarks/baseline_rowwise.py) where both read it:

1. "Mum attended with Kayleigh" (a parent attending with the child) is a sighting; "Mum attended without
   Kayleigh" and "Mum attended alone" are not, nor is an A&E attendance "without Kayleigh" by its type;
2. the mobility reading takes the case's adults named in case.yml `people` as other persons, as the self-harm
   reading does: "Sian says she is walking" is read as "Mum says she is walking";
3. the passive "has not been seen by a social worker" / "has not been visited by social care" is
   child_not_visited, as the active "has not seen a social worker" is;
4. an adult's disclosure ("Mum disclosed she has been cutting her arms") is not re-read as the child's
   self-harm by the parent-report reading (s16) in a girl of 8 to 17; "Mum disclosed Kayleigh has been
   cutting her arms" is the child's;
5. a CAMHS record of receiving another agency's referral of the self-harm is no second episode (the Kayleigh
   QA case's 02/06 row had two flags, mental_health and a "repeated" one counting the GP's episode twice);
   the return-home-interview service is known by its agency's name too;
6. the case store keeps the case's adults (given name and role) so that the store's and the Dask path's
   rules read "Sian says she self-harmed" as the case's own build does.
"""
from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from review.config import CaseConfig, package_data
from review.mobility import MOBILE, NO_STATEMENT, NOT_MOBILE, adult_names, child_identity, mobility_statement, \
    row_statement
from review.rules import detect, load_rules
from review.rules.self_harm_not_referred import case_reporters, reported_child_self_harm
from review.rules.testing import make_timeline
from review.sightings import attended_seen, inferred_sightings, read_sighting, with_child_names
from review.timeline import recorded_mobility
from review.vocab import tag_concerns

from _baseline import baseline_flags, baseline_rowwise

RULES = load_rules()
KAYLEIGH = with_child_names("", "Kayleigh Marsh")


# 1. a parent attending with the child ------------------------------------------------------------------------
@pytest.mark.parametrize("contact_type, text, seen", [
    ("clinic_appointment", "Mum attended with Kayleigh re low mood.", True),   # was unknown
    ("other", "Mum attended with Kayleigh.", True),                            # a GP's row of no type
    ("clinic_appointment", "Mother attended with baby for weight check.", True),
    ("clinic_appointment", "Mum attended with the child.", True),
    ("clinic_appointment", "Mum attended without Kayleigh.", None),
    ("clinic_appointment", "Mum attended alone.", None),
    ("clinic_appointment", "Mum attended with Tyler.", None),                  # a sibling: not the child
    ("ae_attendance", "Mum attended with Kayleigh.", True),
    ("ae_attendance", "Mum attended without Kayleigh.", None),                 # was seen, by the type
    ("ae_attendance", "Mum attended alone.", None),
    ("clinic_appointment", "Kayleigh attended with mum.", True),               # as before
])
def test_a_parent_attending_with_the_child_is_a_sighting(contact_type, text, seen):
    assert read_sighting(contact_type, "", text, "", KAYLEIGH) is seen
    # the table's reading (per distinct text, vectorised prefilters) agrees with the row's (the baseline's)
    frame = pd.DataFrame({"contact_type": [contact_type] * 2, "concerns": [""] * 2, "description": [text, text],
                          "action": ["", "Review 2/52."], "child_seen": pd.array([pd.NA, pd.NA], dtype="boolean")})
    got = inferred_sightings(frame, KAYLEIGH)
    assert [None if v is pd.NA else bool(v) for v in got] == \
        [read_sighting(contact_type, "", text, a, KAYLEIGH) for a in frame["action"]]


def test_a_long_column_reads_as_each_row_alone():
    texts = [f"{t} Visit {i}." for i in range(60) for t in
             ("Mum attended with Kayleigh", "Mum attended without Kayleigh", "Mum attended alone")]
    types = ["ae_attendance", "clinic_appointment", "other"] * 60
    frame = pd.DataFrame({"contact_type": types, "concerns": [""] * len(texts), "description": texts,
                          "action": [""] * len(texts), "child_seen": pd.array([pd.NA] * len(texts), dtype="boolean")})
    got = [None if v is pd.NA else bool(v) for v in inferred_sightings(frame, KAYLEIGH)]
    assert got == [read_sighting(c, "", t, "", KAYLEIGH) for c, t in zip(types, texts)]
    assert got.count(True) == 60


def test_an_attended_yes_beside_without_the_child_is_no_sighting():
    assert attended_seen("clinic_appointment", "", "Mum attended with Kayleigh", key=KAYLEIGH) is True
    assert attended_seen("clinic_appointment", "", "Mum attended without Kayleigh", key=KAYLEIGH) is False


# 2. the mobility reading with the case's people --------------------------------------------------------------
PEOPLE = {"Sian Wren": "Mother", "Gary Wren": "Father", "Sophie Wren": "Sister", "Amy Wren": "Child"}
GIRL, BOY, NO_SEX = (child_identity("Amy Wren", "female", PEOPLE), child_identity("Jayden Wren", "male", PEOPLE),
                     child_identity("Amy Wren", None, PEOPLE))


def test_the_adults_are_the_self_harm_reading_s():
    assert adult_names(PEOPLE, "Amy Wren") == ("gary", "sian")  # not Sophie (a sister), nor the child
    assert tuple(sorted(dict(case_reporters(PEOPLE, "Amy Wren")[0]))) == adult_names(PEOPLE, "Amy Wren")
    assert adult_names(None) == () and child_identity("Amy Wren", "female") == ("amy", "female", ())


@pytest.mark.parametrize("text, girl, boy, no_sex", [
    ("Sian says she is walking", MOBILE, NO_STATEMENT, NO_STATEMENT),         # was mobile in all three
    ("Mum says she is walking", MOBILE, NO_STATEMENT, NO_STATEMENT),          # as before
    ("Sian not mobile since her operation", NO_STATEMENT, NO_STATEMENT, NO_STATEMENT),  # was not mobile
    ("Gary says he is crawling", NO_STATEMENT, MOBILE, NO_STATEMENT),
    ("Sian says Amy is walking", MOBILE, NO_STATEMENT, MOBILE),
    ("Not yet rolling or sitting", NOT_MOBILE, NOT_MOBILE, NOT_MOBILE),
])
def test_a_reporter_named_in_case_yml(text, girl, boy, no_sex):
    for child, expected in ((GIRL, girl), (BOY, boy), (NO_SEX, no_sex)):
        assert mobility_statement(text, child) == expected, child
        assert row_statement(text, None, child) == expected  # the baseline's reading


def test_the_timeline_s_reading_agrees_row_by_row():
    texts = ["Sian says she is walking", "Sian not mobile since her operation", "Mum says she is walking",
             "Sophie says she is walking", "Not yet rolling or sitting", "Sian walking the dog", "Gary says he is crawling"]
    children = [GIRL, BOY, NO_SEX, child_identity("Amy Wren", "female")]
    description = pd.Series([t for t in texts for _ in children], dtype="string")
    action = pd.Series([""] * len(description), dtype="string")
    per_row = np.empty(len(description), dtype=object)
    for i in range(len(description)):
        per_row[i] = children[i % len(children)]
    got = recorded_mobility(description, action, per_row)
    assert got.tolist() == [row_statement(d, a, c) for d, a, c in zip(description, action, per_row)]


# 3. the passive "not been seen by a social worker" ------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Jade has not been seen by a social worker since March.",
    "Jade has not been seen by her social worker since Easter.",
    "Jade has not been visited by social care since May.",
    "Jade has not been visited by a social worker for 8 weeks.",
    "Jade has not yet been seen by a social worker.",
    "Jade has not seen a social worker since March.",   # the active form, as before
])
def test_the_passive_is_child_not_visited(text):
    assert tag_concerns(text, package_data("vocab.yml")) == ["child_not_visited"]


def test_the_child_not_seen_at_the_contact_is_still_child_not_seen():
    text = "Jade has not been seen by a social worker since March. Jade not seen today."
    assert "child_not_seen" in tag_concerns(text, package_data("vocab.yml"))


# 4. an adult's disclosure is hers ------------------------------------------------------------------------------
SELF_HARM = "self_harm_not_referred"
OWN = tuple(RULES["rules"][SELF_HARM]["params"]["parent_own_words"])
GP = {"agency": "Riverside GP", "agency_kind": "health", "contact_type": "clinic_appointment"}
CAMHS = {"agency": "Eastborough CAMHS", "agency_kind": "health", "contact_type": "referral"}
# the baseline's case C1 is born 1 Jan 2023: a teenager's rows are 14 years on; a later row keeps the review open
LATER = {"date": "2037-09-01", **GP, "description": "Routine review."}


@pytest.mark.parametrize("text, childs", [
    ("Mum disclosed she has been cutting her arms", False),    # was the child's (s16 "she" rule)
    ("Mum disclosed she self-harmed last night", False),
    ("Sian admitted she has been cutting herself", False),
    ("Mum says she self-harmed last night", True),             # a report, not a disclosure: as before
    ("Kayleigh disclosed she has been cutting her arms", True),  # the child's own name
])
def test_an_adult_s_disclosure_is_not_re_read(text, childs):
    adults, child = case_reporters({"Sian Wren": "Mother"}, "Kayleigh Wren")
    assert reported_child_self_harm(text + " . ", OWN, "female", adults, child) is childs


def _run_both(rows, info=None, config=None, rule=SELF_HARM):
    timeline = make_timeline(rows)
    base_rows = []
    for r in timeline.astype(object).where(timeline.notna(), None).to_dict("records"):
        r["date"] = pd.Timestamp(r["date"]).to_pydatetime()
        base_rows.append(r)
    info = {"date_of_birth": dt.date(2023, 1, 1), "review_date": None, **(info or {})}
    _, base = baseline_rowwise.run(base_rows, {"C1": info}, RULES)
    package = detect(timeline, config, RULES, only=[rule])
    return (sorted(package["flag_id"]) if len(package) else []), sorted(f["flag_id"] for f in base if f["rule_id"] == rule), package


@pytest.mark.parametrize("text, tags, flagged", [
    # ingest reads the disclosure as the mother's (parental_mental_health): no longer re-read as the child's
    ("Mum disclosed she has been cutting her arms", "parental_mental_health", False),
    ("Mum disclosed Kayleigh has been cutting her arms", "self_harm", True),
    ("Mum says she self-harmed last night", "parental_mental_health", True),
])
def test_the_disclosure_in_the_rule_and_the_baseline(text, tags, flagged):
    assert tag_concerns(text, package_data("vocab.yml")) == [tags]
    rows = [{"date": "2037-03-01", **GP, "concerns": tags, "description": text, "action": "Advice given."}, LATER]
    config = CaseConfig(case_dir=".", case_id="C1", date_of_birth=dt.date(2023, 1, 1), child_sex="female",
                        child_name="Kayleigh Marsh")
    package, base, _ = _run_both(rows, {"child_sex": "female", "child_name": "Kayleigh Marsh"}, config)
    assert package == base and (len(package) == 1) == flagged


# 5. a CAMHS record of the GP's referral is no second episode ----------------------------------------------------
def _gp_then_camhs(camhs_text):
    return [{"date": "2037-05-28", **GP, "concerns": "self_harm",
             "description": "Telephone consultation. Superficial cutting of forearms for 2 months.",
             "action": "Referral to CAMHS."},
            {"date": "2037-06-02", **CAMHS, "concerns": "self_harm", "description": camhs_text,
             "action": "Does not meet threshold for specialist CAMHS. Referral declined. Signposted to Kooth."},
            LATER]


def _variants(flags):
    # the variant by its expected action: the repeated one expects a referral to social care or early help
    return sorted("repeated" if "repeated" in e else "mental_health" for e in flags["expected_action"])


@pytest.mark.parametrize("camhs_text, variants", [
    # the Kayleigh QA case's 02/06 row: was two flags, mental_health and repeated (the GP's episode counted twice)
    ("GP referral: 14F, superficial cutting of forearms for 2 months.", ["mental_health"]),
    ("Re-referral from GP: superficial cutting of forearms.", ["mental_health"]),
    # CAMHS's own record of a new episode is one: repeated, as before (seen in clinic: CAMHS's own response)
    ("Seen in clinic: cut her arms again last night.", ["repeated"]),
])
def test_a_receipt_of_the_referral_is_no_second_episode(camhs_text, variants):
    rows = _gp_then_camhs(camhs_text)
    package, base, flags = _run_both(rows)
    assert package == base
    assert _variants(flags) == variants
    assert set(flags["trigger_event_id"]) == {"C1-e002"}
    # the declined referral stays the mental_health flag's evidence
    mental = flags[~flags["expected_action"].str.contains("repeated")]
    assert mental["evidence_event_ids"].tolist() == ["C1-e002"] * len(mental)


def test_the_receipt_switch_can_be_turned_off():
    import copy

    rules = copy.deepcopy(RULES)
    rules["rules"][SELF_HARM]["params"]["receipts_not_repeat_episodes"] = False
    # (s20) and the episode linking, which now also reads the GP's record and CAMHS's of the same cutting five
    # days on as one episode (tests/test_selfharm_episodes_s20.py)
    rules["rules"][SELF_HARM]["params"]["episode_link_days"] = None
    flags = detect(make_timeline(_gp_then_camhs("GP referral: 14F, superficial cutting of forearms.")), None, rules,
                   only=[SELF_HARM])
    assert _variants(flags) == ["mental_health", "repeated"]  # the reading before s18
    base = sorted(f["flag_id"] for f in baseline_flags(_gp_then_camhs("GP referral: 14F, superficial cutting of "
                                                                      "forearms."), rules) if f["rule_id"] == SELF_HARM)
    assert base == sorted(flags["flag_id"])


EXPLOIT = "exploitation_not_referred"
POLICE = {"agency": "Westmoor Police", "agency_kind": "police", "contact_type": "police_callout"}
RHI = {"agency": "Compass Return Home Service", "agency_kind": "other", "contact_type": "phone_call"}


@pytest.mark.parametrize("rhi_text, triggers", [
    # the service's record names no return home interview: before s18 a second (repeated) missing episode, its
    # strategy discussion expected
    ("Spoke with Kayleigh about her missing episode, says she was with friends. Declined further support.",
     ["C1-e001"]),
    ("Return home interview: says she was with friends.", ["C1-e001"]),
    # what the child disclosed to it is still a concern for the service to refer
    ("Spoke with Kayleigh about her missing episode. She stays at her 19 year old boyfriend's flat, CSE concerns.",
     ["C1-e001", "C1-e002"]),
])
def test_the_return_home_service_is_known_by_its_name(rhi_text, triggers):
    rows = [{"date": "2037-03-03", **POLICE, "concerns": "missing",
             "description": "Kayleigh reported missing by mother, located at 23:50.", "action": "Returned home."},
            {"date": "2037-03-20", **RHI, "concerns": ";".join(tag_concerns(rhi_text, package_data("vocab.yml"))),
             "description": rhi_text, "action": "Report emailed to Early Help worker."},
            LATER]
    assert "missing" in rows[1]["concerns"]
    package, base, flags = _run_both(rows, rule=EXPLOIT)
    assert package == base
    assert sorted(flags["trigger_event_id"]) == triggers


# 6. the store keeps the case's adults ------------------------------------------------------------------------
def _case(folder: Path, text: str, sex: str = "female") -> Path:
    folder.mkdir(parents=True)
    (folder / "case.yml").write_text(textwrap.dedent(f"""\
        case_id: {folder.name}
        child_name: Jade Wren
        child_sex: {sex}
        date_of_birth: '2009-03-01'
        review_date: '2023-12-31'
        people:
          Sian Wren: Mother
          Gary Wren: Father
          Sophie Wren: Sister
        files:
          - {{path: gp.csv, agency: Riverside GP}}
        """), encoding="utf-8")
    (folder / "gp.csv").write_text(
        "Date,Type of contact,Details,Action / outcome,Child seen\n"
        f'12/06/2023,Appointment,"{text}",Advice given.,Yes\n'
        "01/09/2023,Appointment,Routine review.,,Yes\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from review.store import build_all

    root = tmp_path_factory.mktemp("s18store")
    _case(root / "cases" / "sian", "Sian says she self-harmed last night")
    _case(root / "cases" / "mum", "Mum says she self-harmed last night")
    _case(root / "cases" / "boy", "Sian says she self-harmed last night", sex="male")
    build_all(root / "cases", root / "store", progress=False)
    return root


def test_the_store_keeps_the_adults_given_names_and_roles(built):
    from review.store import case_configs, read_store

    cases = read_store(built / "store", "cases").set_index("case_id")
    assert json.loads(cases.loc["sian", "people"]) == {"Sian": "Mother", "Gary": "Father"}  # not the sister
    # no surname anywhere in the case table
    assert not cases.astype("string").apply(lambda c: c.str.contains("Wren", na=False)).any().any()
    assert case_configs(cases.reset_index())["sian"].people == {"Sian": "Mother", "Gary": "Father"}


def test_the_store_and_dask_give_the_build_s_flags(built):
    from review.pipeline import analyse, load_case
    from review.store import analyse_cases, read_store

    store = built / "store"
    single = {name: sorted(analyse(load_case(built / "cases" / name)).flags["flag_id"]) for name in ("sian", "mum", "boy")}
    assert any(f.startswith(SELF_HARM) for f in single["sian"])  # the flag depends on Sian, the mother
    assert not any(f.startswith(SELF_HARM) for f in single["boy"])
    again = analyse_cases(read_store(store, "contacts"), read_store(store, "cases"))["flags"]
    by_case = {name: sorted(again[again["case_id"] == name]["flag_id"]) for name in single}
    assert by_case == single
    # an older store (no people kept): before s18 the store's rules did not read Sian as the mother
    older = analyse_cases(read_store(store, "contacts"), read_store(store, "cases").drop(columns="people"))["flags"]
    assert not any(f.startswith(SELF_HARM) for f in older[older["case_id"] == "sian"]["flag_id"])

    pytest.importorskip("distributed")
    from review.distributed import analyse_store, dask_client

    with dask_client(n_workers=1, processes=False) as client:
        result = analyse_store(store, client=client, tables=("flags",))
    flags = result["flags"]
    assert {name: sorted(flags[flags["case_id"] == name]["flag_id"]) for name in single} == single
