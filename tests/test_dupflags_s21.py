"""Duplicate flags a reviewer reads as one point (s21): one injury recorded by two agencies is one
injury_not_escalated flag naming both records; repeated_injury_or_ae's pattern flag and an injury flag of the same
records name each other ("See also"); a CAMHS discharge flagged by was_not_brought is not flagged again by
closure_with_open_concerns; an added finding a rule now raises through its evidence is listed as raised."""
from __future__ import annotations

import copy
import csv
from pathlib import Path

import yaml

from review.decisions import record_decision
from review.pipeline import analyse, load_case
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

from _baseline import baseline_flags

RULES = load_rules()


def _case(case_dir: Path, files: dict, dob: str = "2008-06-14") -> Path:
    case_dir.mkdir(parents=True)
    raw = {"case_id": "th", "child_name": "Tyrese Hollins", "date_of_birth": dob, "review_date": "2024-06-30",
           "people": {"Tyrese Hollins": "Child", "Donna Hollins": "Mother"},
           "files": [{"path": name, "agency": agency} for name, (agency, _) in files.items()]}
    (case_dir / "case.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    for name, (_, rows) in files.items():
        with open(case_dir / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return case_dir


HEAD = ["Date", "Type", "Notes", "Action"]
ED = ("Brackmoor Hospital ED", [HEAD, ["15/08/2023", "A&E attendance", "Tyrese attended with a stab wound to the left "
                                       "thigh. Says he was stabbed in the park.", "Wound closed, discharged home."]])
POLICE = ("Brackmoor Police", [HEAD, ["16/08/2023", "Police callout", "Officers attended hospital: Tyrese was stabbed "
                                      "in the leg in the park, refuses to name suspect.", "Crime recorded."]])


# -- 1: one stab wound recorded by the ED and the police -----------------------------------------------------------


def test_a_stab_wound_recorded_by_the_ed_and_the_police_is_one_flag_naming_both_records(tmp_path):
    analysis = analyse(load_case(_case(tmp_path / "c", {"ed.csv": ED, "police.csv": POLICE})))
    tl = analysis.timeline
    ed = str(tl.loc[tl["agency"] == "Brackmoor Hospital ED", "event_id"].iloc[0])
    police = str(tl.loc[tl["agency"] == "Brackmoor Police", "event_id"].iloc[0])
    assert tl.loc[tl["event_id"] == ed, "event_group"].iloc[0] != tl.loc[tl["event_id"] == police, "event_group"].iloc[0]
    flags = analysis.flags[analysis.flags["rule_id"] == "injury_not_escalated"]
    # before: two flags, one per agency's record
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag["trigger_event_id"] == ed
    assert flag["evidence_event_ids"] == "; ".join(sorted([ed, police]))
    assert flag["agencies"] == "Brackmoor Hospital ED; Brackmoor Police"
    assert "The same injury was recorded by Brackmoor Police on 16 Aug 2023: one event recorded by two agencies" \
        in flag["explanation"]


def _stab(agency_b="Brackmoor Police", kind_b="police", day_b="2023-08-16", text_b="Tyrese was stabbed in the leg.",
          concerns_b="other_injury; non_accidental", escalation_b=""):
    return [
        dict(date="2023-08-15", agency="Brackmoor Hospital ED", agency_kind="health", contact_type="ae_attendance",
             concerns="other_injury; non_accidental", description="Stab wound to the left thigh.",
             action="Discharged home."),
        dict(date=day_b, agency=agency_b, agency_kind=kind_b, contact_type="police_callout", concerns=concerns_b,
             description=text_b, action="Crime recorded.", escalation=escalation_b),
    ]


def _pairs(rows):
    # the child born 1 January 2023, as the baseline's (`baseline_flags`): a baby's burn is a trigger too
    flags = detect(make_timeline(rows), None, RULES, only=["injury_not_escalated"])
    return sorted(flags["trigger_event_id"]) if len(flags) else []


def _base(rows):
    return sorted(f["trigger_event_id"] for f in baseline_flags(rows) if f["rule_id"] == "injury_not_escalated")


def test_the_same_event_is_joined_only_across_agencies_within_the_window_and_sharing_an_injury():
    assert _pairs(_stab()) == ["C1-e001"] == _base(_stab())
    # the same agency's second record is no other agency's record of the event (follow-ups are earlier_injury's)
    same = _stab(agency_b="Brackmoor Hospital ED", kind_b="health")
    assert _pairs(same) == ["C1-e001", "C1-e002"] == _base(same)
    # three days later: another event
    later = _stab(day_b="2023-08-18")
    assert _pairs(later) == ["C1-e001", "C1-e002"] == _base(later)
    # another body region named by both: another injury
    other = _stab(text_b="Tyrese stabbed in the chest.")
    assert _pairs(other) == ["C1-e001", "C1-e002"] == _base(other)
    # no injury in common: a disclosure of being hit beside another agency's record of a burn
    apart = _stab(text_b="Burn to hand.", concerns_b="burn")
    assert _pairs(apart) == ["C1-e001", "C1-e002"] == _base(apart)
    # a chain: the school's record the day after the police's joins the ED's flag through it
    chain = _stab() + [dict(date="2023-08-17", agency="Brackmoor Academy", agency_kind="education",
                            contact_type="other", concerns="other_injury; non_accidental",
                            description="Tyrese told his tutor he was stabbed.", action="DSL informed.")]
    assert _pairs(chain) == ["C1-e001"] == _base(chain)


def test_the_later_agency_record_answered_by_the_first_is_no_flag_of_its_own():
    # the ED referred on the day; the police's record the next day was answered by that referral (before: flagged,
    # its response searched from its own day)
    rows = _stab()
    rows[0]["escalation"] = "referral_to_csc"
    assert _pairs(rows) == [] == _base(rows)


def test_without_the_window_each_agency_record_is_flagged():
    rules = copy.deepcopy(RULES)
    rules["rules"]["injury_not_escalated"]["params"]["same_event_window_days"] = None
    flags = detect(make_timeline(_stab()), None, rules, only=["injury_not_escalated"])
    assert sorted(flags["trigger_event_id"]) == ["C1-e001", "C1-e002"]
    assert sorted(f["trigger_event_id"] for f in baseline_flags(_stab(), rules)
                  if f["rule_id"] == "injury_not_escalated") == ["C1-e001", "C1-e002"]


# -- 2: repeated_injury_or_ae's pattern beside an injury flag of the same records ----------------------------------


def _injuries():
    return [dict(date=day, agency=agency, agency_kind="health", contact_type="ae_attendance", concerns="bruising",
                 description=text, action="Discharged home.")
            for day, agency, text in [("2023-06-01", "Northgate Hospital", "Bruise to the left shin."),
                                      ("2023-07-10", "St Brendan's Hospital", "Burn to the right hand.")]]


def test_the_pattern_flag_names_the_injury_flags_of_its_records_and_is_named_by_later_ones():
    flags = detect(make_timeline(_injuries()), None, RULES)
    by = {(r.rule_id, r.trigger_event_id): r for r in flags.itertuples()}
    first = by[("injury_not_escalated", "C1-e001")]
    baby = by[("nonmobile_injury", "C1-e001")]
    second = by[("injury_not_escalated", "C1-e002")]
    pattern = by[("repeated_injury_or_ae", "C1-e002")]
    # the pattern flag (later in the flags' order) names the injury flags of its records, in order; they name none
    assert f"See also flag {first.flag_id} (injury_not_escalated, 1 Jun 2023); flag {baby.flag_id} " \
           f"(nonmobile_injury, 1 Jun 2023); flag {second.flag_id} (injury_not_escalated, 10 Jul 2023): the same " \
           f"records, flagged by another rule" in pattern.explanation
    assert not any("See also" in f.explanation for f in (first, baby, second))
    # both kept: the same flags as the baseline
    assert sorted(flags["flag_id"]) == sorted(f["flag_id"] for f in baseline_flags(_injuries()))
    # deterministic: the same text whatever the row order
    again = detect(make_timeline(_injuries())[::-1].reset_index(drop=True), None, RULES)
    assert again.set_index("flag_id")["explanation"].sort_index().tolist() == \
        flags.set_index("flag_id")["explanation"].sort_index().tolist()


# -- 3: a CAMHS discharge after missed appointments -----------------------------------------------------------------


def _camhs():
    return [
        dict(date="2024-01-10", agency="Westshire CAMHS", agency_kind="health", contact_type="was_not_brought",
             concerns="was_not_brought", description="Tyrese was not brought to his appointment.",
             action="Letter to mother."),
        dict(date="2024-02-15", agency="Westshire Police", agency_kind="police", contact_type="arrest",
             concerns="substance_misuse", description="Arrested with drugs and a knife.", action="RUI."),
        dict(date="2024-02-27", agency="Westshire CAMHS", agency_kind="health", contact_type="was_not_brought",
             concerns="was_not_brought", description="Tyrese did not attend. Mum phoned - he refused to come.",
             action="Discharged back to GP after DNA."),
    ]


def test_a_camhs_discharge_flagged_by_was_not_brought_is_not_flagged_again_as_a_closure():
    flags = detect(make_timeline(_camhs()), None, RULES)
    on_discharge = flags[flags["trigger_event_id"] == "C1-e003"]["rule_id"].tolist()
    assert "was_not_brought" in on_discharge and "closure_with_open_concerns" not in on_discharge
    base = baseline_flags(_camhs())
    assert sorted(flags["flag_id"]) == sorted(f["flag_id"] for f in base)
    # closure_with_open_concerns alone (was_not_brought not run), or quiet on nothing: it flags the discharge
    alone = detect(make_timeline(_camhs()), None, RULES, only=["closure_with_open_concerns"])
    assert alone["trigger_event_id"].tolist() == ["C1-e003"]
    rules = copy.deepcopy(RULES)
    rules["rules"]["closure_with_open_concerns"]["params"]["quiet_on_triggers_of"] = []
    loud = detect(make_timeline(_camhs()), None, rules)
    assert sorted(loud.loc[loud["trigger_event_id"] == "C1-e003", "rule_id"]) == \
        ["closure_with_open_concerns", "was_not_brought"]
    assert sorted(loud["flag_id"]) == sorted(f["flag_id"] for f in baseline_flags(_camhs(), rules))


# -- 4: an added finding the rules now raise through a flag's evidence ---------------------------------------------


def test_an_added_finding_on_the_second_agency_record_is_listed_as_now_raised(tmp_path):
    folder = _case(tmp_path / "c", {"ed.csv": ED, "police.csv": POLICE})
    analysis = analyse(load_case(folder))
    tl = analysis.timeline
    police = str(tl.loc[tl["agency"] == "Brackmoor Police", "event_id"].iloc[0])
    flag = analysis.flags[analysis.flags["rule_id"] == "injury_not_escalated"].iloc[0]
    record_decision(folder, "", "added", "The police did not refer the stabbing", "Jane Okafor", "2024-08-01",
                    rule_id="injury_not_escalated", trigger_event_id=police, evidence_event_ids=police, timeline=tl)
    problems = analyse(load_case(folder)).decision_problems["problem"]
    hit = problems[problems.str.contains("now raised by rule", regex=False)]
    assert len(hit) == 1
    assert f"now raised by rule injury_not_escalated, flag id {flag['flag_id']}" in hit.iloc[0]
    assert f"trigger contact {police} is its evidence" in hit.iloc[0]


def test_an_added_finding_on_another_contact_of_the_agency_that_day_is_listed_as_now_raised(tmp_path):
    ed = ("Brackmoor Hospital ED", [HEAD, ED[1][1], ["15/08/2023", "A&E attendance", "Seen by the registrar.",
                                                     "Sutures. Home with mother."]])
    folder = _case(tmp_path / "c", {"ed.csv": ed})
    analysis = analyse(load_case(folder))
    tl = analysis.timeline
    registrar = str(tl.loc[tl["description"].str.contains("registrar"), "event_id"].iloc[0])
    flags = analysis.flags[analysis.flags["rule_id"] == "injury_not_escalated"]
    assert len(flags) == 1 and flags.iloc[0]["trigger_event_id"] != registrar
    record_decision(folder, "", "added", "No referral after the stabbing", "Jane Okafor", "2024-08-01",
                    rule_id="injury_not_escalated", trigger_event_id=registrar, evidence_event_ids=registrar,
                    timeline=tl)
    problems = analyse(load_case(folder)).decision_problems["problem"]
    hit = problems[problems.str.contains("now raised by rule", regex=False)]
    assert len(hit) == 1
    assert f"now raised by rule injury_not_escalated, flag id {flags.iloc[0]['flag_id']}" in hit.iloc[0]
    assert "a contact of the same agency (Brackmoor Hospital ED) on the same day (15 Aug 2023)" in hit.iloc[0]
    # another rule's flag on that day is no duplicate of it
    record_decision(folder, "", "added", "Not seen alone", "Jane Okafor", "2024-08-01",
                    rule_id="child_not_seen", trigger_event_id=registrar, evidence_event_ids=registrar, timeline=tl)
    problems = analyse(load_case(folder)).decision_problems["problem"]
    assert problems.str.contains("now raised by rule", regex=False).sum() == 1


def test_the_workbook_decision_problems_sheet_says_the_added_finding_is_now_raised(tmp_path):
    import openpyxl

    from review.cli import main

    folder = _case(tmp_path / "c", {"ed.csv": ED, "police.csv": POLICE})
    tl = analyse(load_case(folder)).timeline
    police = str(tl.loc[tl["agency"] == "Brackmoor Police", "event_id"].iloc[0])
    record_decision(folder, "", "added", "The police did not refer the stabbing", "Jane Okafor", "2024-08-01",
                    rule_id="injury_not_escalated", trigger_event_id=police, evidence_event_ids=police, timeline=tl)
    out = tmp_path / "report"
    assert main(["build", str(folder), "--out", str(out), "--no-progress"]) == 0
    rows = list(openpyxl.load_workbook(out / "chronology.xlsx")["Decision problems"].iter_rows(values_only=True))
    assert any("now raised by rule injury_not_escalated, flag id injury_not_escalated-" in str(c)
               for row in rows[1:] for c in row)


def test_the_anonymised_view_shows_its_own_ids_in_see_also_and_hashes_no_named_id():
    from review.redact import Identifiers

    timeline = make_timeline(_injuries())
    flags = detect(timeline, None, RULES)
    ids = Identifiers(timeline, flags)
    mapping = ids.flag_ids()
    pattern = flags[flags["rule_id"] == "repeated_injury_or_ae"].iloc[0]
    shown = ids.text(pattern["explanation"])
    named = [f for f in flags["flag_id"] if f in pattern["explanation"]]
    assert named and not any(f in shown for f in named)
    assert all(mapping[f] in shown for f in named)
    # the pattern flag's anonymised id does not hash the named ids it shows (a guessed name would confirm them)
    other = flags.copy()
    for f in named:
        other["explanation"] = other["explanation"].str.replace(f, f.split("-")[0] + "-" + "0" * 12, regex=False)
    assert Identifiers(timeline, other).flag_ids()[pattern["flag_id"]] == mapping[pattern["flag_id"]]


def test_a_babys_bruise_recorded_by_the_health_visitor_and_the_gp_is_one_nonmobile_injury_flag():
    rows = [dict(date="2023-03-01", agency="Oakfield Health Visiting", agency_kind="health", contact_type="home_visit",
                 concerns="bruising", description="Bruise to the left cheek.", action="Advised GP review."),
            dict(date="2023-03-02", agency="Larkfield Medical Practice", agency_kind="health",
                 contact_type="clinic_appointment", concerns="bruising", description="Seen with bruise on cheek.",
                 action="Mother reassured.")]
    flags = detect(make_timeline(rows), None, RULES, only=["nonmobile_injury", "injury_not_escalated"])
    for rule in ("nonmobile_injury", "injury_not_escalated"):
        mine = flags[flags["rule_id"] == rule]
        # before: one flag per agency's record
        assert mine["trigger_event_id"].tolist() == ["C1-e001"]
        assert mine["evidence_event_ids"].tolist() == ["C1-e001; C1-e002"]
        assert "The same injury was recorded by Larkfield Medical Practice on 2 Mar 2023" in mine["explanation"].iloc[0]
        assert sorted(f["trigger_event_id"] for f in baseline_flags(rows) if f["rule_id"] == rule) == ["C1-e001"]
