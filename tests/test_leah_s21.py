"""Session 21, QA "Leah" (a 12-year-old girl, intrafamilial sexual abuse by her mother's partner, a registered sex
offender): a young child's genito-urinary symptoms (anogenital_symptoms) and the child's words of fear of an adult at
home (emotional_abuse), NICE CG89 "consider" records, raised by sexual_harm_not_referred when a sexual concern is on
record before them; the GP's records not reaching the enquiry's decision; an Attended cell naming a registered sex
offender read for concerns; an older decisions.csv's row with no trigger contact carried over to its flag. The rule
cases are run through the row-by-row baseline too (the child of make_timeline rows born 1 January 2023)."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import yaml

from _baseline import baseline_pairs, package_pairs
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
RULE = "sexual_harm_not_referred"
PROBATION = {"agency": "Westmere Probation Service", "agency_kind": "probation", "contact_type": "home_visit"}
GP = {"agency": "Brookside Surgery", "agency_kind": "health", "contact_type": "clinic_appointment"}
NURSE = {"agency": "Westmere School Nursing", "agency_kind": "health", "contact_type": "clinic_appointment"}
CSC = {"agency": "Westmere Children's Social Care", "agency_kind": "social care"}

# Monday 9 Jan 2034, the child 11: the probation service's record of the registered sex offender, referred
RSO = dict(PROBATION, date="2034-01-09", concerns="risk_to_children", escalation="referral_to_csc",
           description="Home visit to Gary Holt (MAPPA category 1, RSO). Partner's daughter (11) lives at the address.",
           action="Referral to MASH made.")
# Monday 11 Sep 2034: the GP's recurrent UTI; Monday 2 Oct 2034: the school nurse's drop-in
UTI = dict(GP, date="2034-09-11", concerns="anogenital_symptoms", description="Mum: dysuria again, 2nd UTI.",
           action="Antibiotics.")
FEAR = dict(NURSE, date="2034-10-02", concerns="emotional_abuse",
            description='Leah attended drop-in alone, tearful, said "I don\'t like being at home when Gary is there".',
            action="Advised to come back if worried.")


def _flags(rows):
    return detect(make_timeline(rows), None, RULES, only=[RULE])


def _same(rows):
    pairs = package_pairs(rows, RULE)
    assert pairs == baseline_pairs(rows, RULE)
    return pairs


# -- 1. the "consider" records with a registered sex offender on record -------------------------------------

def test_anogenital_symptoms_after_an_rso_on_record_are_flagged_medium_after_10_working_days():
    assert _same([RSO, UTI]) == [("C1-e002", "")]
    flag = _flags([RSO, UTI]).iloc[0]
    assert flag.severity == "medium" and flag.expected_by == pd.Timestamp("2034-09-25")
    assert flag.explanation.startswith('Brookside Surgery recorded genito-urinary symptoms NICE CG89 lists as "consider"'
                                       ' sexual abuse')
    assert ("with a sexual concern on record since 9 Jan 2034 (Westmere Probation Service: risk to children)"
            in flag.explanation)
    assert "neither a discussion with its safeguarding lead nor a referral" in flag.explanation
    assert "safeguarding lead" in flag.expected_action


def test_the_childs_fear_of_an_adult_at_home_after_an_rso_on_record_is_flagged_after_2_working_days():
    assert _same([RSO, FEAR]) == [("C1-e002", "")]
    flag = _flags([RSO, FEAR]).iloc[0]
    assert flag.severity == "medium" and flag.expected_by == pd.Timestamp("2034-10-04")
    assert "the child's words of fear of an adult at home" in flag.explanation


def test_the_consider_records_are_no_trigger_alone():
    # no sexual concern on record: a UTI, the child's words, each a "consider" for response latency and closure
    assert _same([UTI]) == [] and _same([FEAR]) == []
    # a single UTI in a 3-year-old with no other concern (the tag is read by age; nothing else on record)
    toddler = dict(UTI, date="2026-03-02", description="2nd UTI this year.")
    assert _same([toddler]) == []
    # the sex offender recorded only after the symptoms: nothing was on record to act on
    assert _same([UTI, dict(RSO, date="2034-10-09")]) == []


def test_anogenital_symptoms_are_read_under_13_only():
    at_13 = dict(UTI, date="2036-03-03")  # the child 13
    assert _same([RSO, at_13]) == []


def test_the_recording_agencys_discussion_with_its_safeguarding_lead_answers():
    discussed = dict(UTI, action="Antibiotics. Discussed with named GP for safeguarding.")
    assert _same([RSO, discussed]) == []
    later = dict(GP, date="2034-09-15", description="Leah reviewed.", action="Discussed with safeguarding lead.")
    assert _same([RSO, UTI, later]) == []
    # another agency's safeguarding lead is not the GP's follow-up; nor a discussion only planned ("to be")
    other = dict(later, **{k: NURSE[k] for k in ("agency", "agency_kind")})
    assert _same([RSO, UTI, other]) == [("C1-e002", "")]
    # and a regular trigger (the RSO itself) is not answered by a discussion: a referral is due
    rso_discussed = dict(RSO, escalation="", action="Discussed with safeguarding lead.")
    assert _same([rso_discussed]) == [("C1-e001", "")]


def test_a_referral_or_an_open_enquiry_answers_the_consider_records_as_any_trigger():
    referral = dict(CSC, date="2034-09-20", contact_type="referral", escalation="referral_to_csc",
                    description="Referral from GP: recurrent UTIs.")
    assert _same([RSO, UTI, referral]) == []
    s47 = dict(CSC, date="2034-09-01", contact_type="s47_enquiry", escalation="s47_enquiry",
               description="Section 47 enquiry re Leah.")
    assert _same([RSO, s47, UTI]) == []


def test_sexualised_behaviour_on_record_is_a_sexual_concern_too():
    school = dict(agency="Ashbrook Primary School", agency_kind="education", contact_type="other", date="2034-03-06",
                  concerns="sexualised_behaviour", escalation="referral_to_csc",
                  description="Sexualised language beyond her age.", action="Referral to MASH made.")
    assert _same([school, UTI]) == [("C1-e002", "")]


# -- 1. the GP's records never reached the enquiry that decided -----------------------------------------------

def test_the_gps_anogenital_record_not_reaching_social_cares_s47_decision_is_information_not_shared():
    strategy = dict(CSC, date="2034-09-20", contact_type="strategy_discussion", escalation="strategy_discussion",
                    description="Strategy discussion by phone with police. Health not invited.",
                    action="S47 agreed.")
    closed = dict(CSC, date="2034-10-10", contact_type="case_closure", description="S47 concluded.",
                  action="NFA. Case closed.")
    rows = [RSO, UTI, strategy, closed]
    rule = "information_not_shared"
    assert package_pairs(rows, rule) == baseline_pairs(rows, rule) == [("C1-e002", "")]
    flag = detect(make_timeline(rows), None, RULES, only=[rule]).iloc[0]
    assert "Brookside Surgery recorded anogenital symptoms on 11 Sep 2034" in flag.explanation
    assert "Westmere Children's Social Care" in flag.explanation
    # shared with social care (the GP's informed agencies): no flag
    told = dict(UTI, informed_agencies="Westmere Children's Social Care")
    assert package_pairs([RSO, told, strategy, closed], rule) == baseline_pairs([RSO, told, strategy, closed], rule) == []


# -- 2. an Attended cell naming a registered sex offender with the child -------------------------------------

def _case(case_dir: Path, files: dict) -> Path:
    case_dir.mkdir(parents=True)
    raw = {"case_id": "leah", "child_name": "Leah Corrigan", "date_of_birth": "2009-04-10", "review_date": "2021-12-31",
           "people": {"Leah Corrigan": "Child", "Kerry Corrigan": "Mother", "Gary Holt": "Mother's partner"},
           "files": [{"path": name, "agency": agency} for name, (agency, _) in files.items()]}
    (case_dir / "case.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    for name, (_, rows) in files.items():
        with open(case_dir / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return case_dir


ED_AND_CAMHS = {
    "ed.csv": ("Westmere General Hospital ED", [
        ["Arrival date", "Presenting complaint", "Attended", "Outcome"],
        ["01/12/2020", "Abdominal pain", "Attended with mum's partner (RSO)", "Discharged home."],
        ["08/12/2020", "Sore throat", "Attended with mother", "Discharged home."],
        ["15/12/2020", "Follow-up", "DNA", "GP informed."]]),
    "camhs.csv": ("Westmere CAMHS", [
        ["Date", "Contact", "Attended", "Notes"],
        ["11/01/2021", "Initial assessment", "attended with mum's partner (RSO)", "Low mood."]]),
}


def test_an_attended_cell_naming_an_rso_is_read_for_concerns(tmp_path):
    from review.config import load_case_config
    from review.ingest import load_contacts

    contacts, report = load_contacts(load_case_config(_case(tmp_path / "c", ED_AND_CAMHS)))
    by = contacts.set_index(["agency", "date"]).sort_index()
    ed = by.loc[("Westmere General Hospital ED", pd.Timestamp("2020-12-01"))]
    assert ed.description == "Abdominal pain\nAttended: Attended with mum's partner (RSO)"
    assert ed.concerns == "risk_to_children"
    camhs = by.loc[("Westmere CAMHS", pd.Timestamp("2021-01-11"))]
    assert camhs.concerns == "risk_to_children" and camhs.description.endswith("Attended: attended with mum's partner (RSO)")
    # an Attended cell naming no concern, or a missed appointment, is read as before
    assert by.loc[("Westmere General Hospital ED", pd.Timestamp("2020-12-08"))].description == "Sore throat"
    missed = by.loc[("Westmere General Hospital ED", pd.Timestamp("2020-12-15"))]
    assert missed.description == "Follow-up" and "risk_to_children" not in missed.concerns
    notes = [n for f in report.files for n in f.notes if "name a concern in column 'Attended'" in n]
    assert len(notes) == 2 and "(row 2)" in notes[0]


def test_the_rso_with_the_child_at_ed_is_raised_by_sexual_harm_not_referred(tmp_path):
    from review.pipeline import analyse, load_case

    flags = analyse(load_case(_case(tmp_path / "c", ED_AND_CAMHS))).flags
    raised = flags[flags["rule_id"] == RULE]
    assert len(raised) == 2 and set(raised["severity"]) == {"high"}
    assert any(e.startswith("Westmere General Hospital ED recorded that an adult posing a risk to children is in the"
                            " child's life on 1 Dec 2020") for e in raised["explanation"])


# -- 3. an older decisions.csv: rule, date and contacts, no trigger contact ---------------------------------

OLD_HEADER = "flag_id,decision,rationale,author,date,rule_id,evidence_event_ids\n"


def _rso_flags(case):
    from review.pipeline import analyse, load_case

    flags = analyse(load_case(case)).flags
    flags = flags[flags["rule_id"] == RULE].sort_values("trigger_date")
    assert len(flags) == 2
    return flags


def test_an_old_layout_row_is_carried_over_to_the_one_flag_its_contacts_give(tmp_path):
    from review.decisions import LAYOUT_CARRIED_NOTE, carried_over
    from review.pipeline import analyse, load_case

    case = _case(tmp_path / "c", ED_AND_CAMHS)
    ed, camhs = (flag for _, flag in _rso_flags(case).iterrows())
    (case / "decisions.csv").write_text(
        OLD_HEADER
        + f"sexual_harm_not_referred-0123456789ab,accepted,RSO at ED never shared,Jane Okafor,2021-06-01,{RULE},"
          f"{ed.trigger_event_id}\n", encoding="utf-8")
    analysis = analyse(load_case(case))
    decided = analysis.flags.set_index("flag_id")
    assert decided.loc[ed.flag_id, "decision"] == "accepted"
    assert decided.loc[ed.flag_id, "rationale"] == "RSO at ED never shared"
    assert decided.loc[camhs.flag_id, "decision"] == "pending"
    note = LAYOUT_CARRIED_NOTE.format(old="sexual_harm_not_referred-0123456789ab", rule=RULE,
                                      events=ed.trigger_event_id, new=ed.flag_id)
    assert analysis.decision_problems["problem"].tolist() == [note]
    assert carried_over(analysis.decision_problems) == [
        {"row": 2, "from": "sexual_harm_not_referred-0123456789ab", "to": ed.flag_id}]


def test_an_old_layout_row_that_could_be_several_flags_is_reported_not_guessed(tmp_path):
    from review.decisions import NOT_RAISED_PROBLEM
    from review.pipeline import analyse, load_case

    case = _case(tmp_path / "c", ED_AND_CAMHS)
    ed, camhs = (flag for _, flag in _rso_flags(case).iterrows())
    # its rule and date only: either flag could be the one
    (case / "decisions.csv").write_text(
        OLD_HEADER + f"sexual_harm_not_referred-0123456789ab,accepted,RSO never shared,Jane Okafor,2021-06-01,{RULE},\n",
        encoding="utf-8")
    analysis = analyse(load_case(case))
    assert set(analysis.flags.loc[analysis.flags["rule_id"] == RULE, "decision"]) == {"pending"}
    problems = analysis.decision_problems["problem"].tolist()
    assert problems[0].startswith("decision recorded on flag sexual_harm_not_referred-0123456789ab, which the rules no "
                                  "longer raise under that id, in an older layout with no trigger contact")
    assert ("it recorded no contacts (its rule and date only): it could be the flag of each of flags "
            + ", ".join(sorted([ed.flag_id, camhs.flag_id])) + f" of its rule {RULE}: not carried over") in problems[0]
    assert problems[1:] == [NOT_RAISED_PROBLEM]
    # dated before the CAMHS flag's trigger: only the ED flag could be it, but it recorded no contacts: still listed
    (case / "decisions.csv").write_text(
        OLD_HEADER + f"sexual_harm_not_referred-0123456789ab,accepted,RSO never shared,Jane Okafor,2020-12-20,{RULE},\n",
        encoding="utf-8")
    problems = analyse(load_case(case)).decision_problems["problem"].tolist()
    assert f"each of flags {ed.flag_id} of its rule" in problems[0] and problems[1:] == [NOT_RAISED_PROBLEM]


def test_an_old_layout_row_on_a_flag_already_decided_or_on_no_flag_stays_where_it_was(tmp_path):
    from review.decisions import NOT_RAISED_PROBLEM
    from review.pipeline import analyse, load_case

    case = _case(tmp_path / "c", ED_AND_CAMHS)
    ed, _ = (flag for _, flag in _rso_flags(case).iterrows())
    (case / "decisions.csv").write_text(
        OLD_HEADER
        + f"{ed.flag_id},rejected,Shared by phone,Jane Okafor,2021-06-01,{RULE},\n"
        + f"sexual_harm_not_referred-0123456789ab,accepted,RSO at ED,Jane Okafor,2021-06-02,{RULE},{ed.trigger_event_id}\n"
        + f"sexual_harm_not_referred-ba9876543210,accepted,Another,Jane Okafor,2021-06-02,{RULE},E000000000000\n",
        encoding="utf-8")
    analysis = analyse(load_case(case))
    assert analysis.flags.set_index("flag_id").loc[ed.flag_id, "decision"] == "rejected"
    assert analysis.decision_problems[["row", "problem"]].values.tolist() == [
        [3, NOT_RAISED_PROBLEM], [4, NOT_RAISED_PROBLEM]]


def test_the_current_layout_with_the_trigger_cell_blank_is_not_matched_by_contacts_and_migrate_writes_the_id(tmp_path):
    from review.decisions import NOT_RAISED_PROBLEM, migrate_decisions, read_decisions_file
    from review.pipeline import analyse, load_case

    case = _case(tmp_path / "c", ED_AND_CAMHS)
    ed, _ = (flag for _, flag in _rso_flags(case).iterrows())
    row = f"sexual_harm_not_referred-0123456789ab,accepted,RSO at ED never shared,Jane Okafor,2021-06-01,{RULE},"
    (case / "decisions.csv").write_text(
        "flag_id,decision,rationale,author,date,rule_id,trigger_event_id,evidence_event_ids\n"
        f"{row},{ed.trigger_event_id}\n", encoding="utf-8")
    analysis = analyse(load_case(case))
    assert analysis.flags.set_index("flag_id").loc[ed.flag_id, "decision"] == "pending"
    assert analysis.decision_problems["problem"].tolist() == [NOT_RAISED_PROBLEM]
    # the older layout: carried over, and `review decisions migrate` writes the flag's id
    (case / "decisions.csv").write_text(OLD_HEADER + f"{row}{ed.trigger_event_id}\n", encoding="utf-8")
    analysis = analyse(load_case(case))
    summary = migrate_decisions(case, analysis.decisions, analysis.flags)
    assert summary["moved"] == 1 and summary["not_raised"] == 0
    assert read_decisions_file(case / "decisions.csv")["flag_id"].tolist() == [ed.flag_id]
    again = analyse(load_case(case))
    assert again.flags.set_index("flag_id").loc[ed.flag_id, "decision"] == "accepted"
    assert again.decision_problems.empty


def test_a_case_may_turn_the_consider_records_off_but_not_name_an_unknown_tag(tmp_path):
    import pytest

    from review.errors import ConfigError
    from review.rules.settings import merge_rules, package_rules

    spec = RULES["rules"][RULE]["params"]
    assert spec["consider_working_days_by_tag"] == {"emotional_abuse": 2, "anogenital_symptoms": 10}
    assert spec["consider_with_tags"] == ["risk_to_children", "sexualised_behaviour", "sexual_abuse"]
    off = merge_rules(package_rules(), {"rules": {RULE: {"params": {"consider_working_days_by_tag": {}}}}},
                      tmp_path / "rules.yml")
    assert detect(make_timeline([RSO, UTI]), None, off, only=[RULE]).empty
    for bad in ({"consider_working_days_by_tag": {"anogenital_symptom": 10}}, {"consider_with_tags": ["rso"]}):
        with pytest.raises(ConfigError, match="anogenital_symptom|rso"):
            merge_rules(package_rules(), {"rules": {RULE: {"params": bad}}}, tmp_path / "rules.yml")
