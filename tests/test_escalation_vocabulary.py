"""Escalations and the words around them: a contact can be several escalations at once; an escalation that
was not made, only considered or refused is none; a child protection plan is started and ended by what a
conference says of it, not by a bag of words; "DNA test" is not "did not attend"; misspelt and labelled
concerns ("bruize", "Bruising: none")."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from review.config import load_vocab
from review.pipeline import analyse, load_case
from review.rules import RULE_IDS, detect, load_rules
from review.rules.base import Context
from review.rules.testing import make_timeline
from review.schema import CONTACT_COLUMNS, conform, validate
from review.timeline import cp_plan_marker
from review.vocab import classify_contact_type, detect_escalation, detect_escalations, tag_concerns

VOCAB = load_vocab()
RULES = load_rules()


# ---------------------------------------------------------------------------------------------------
# A contact can be several escalations
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "contact_type, text, expected",
    [
        ("ae_attendance", "Referred to children's social care (MASH) and child protection medical arranged today",
         ["cp_medical", "referral_to_csc"]),
        ("strategy_discussion", "Strategy discussion held. Crime report raised", ["police_investigation", "strategy_discussion"]),
        ("cp_conference", "Referred to social care", ["cp_conference", "referral_to_csc"]),
        ("home_visit", "Referral to MASH", ["referral_to_csc"]),
        ("home_visit", "Routine visit", []),
    ],
)
def test_every_escalation_a_contact_records_is_found(contact_type, text, expected):
    assert detect_escalations(contact_type, text, VOCAB) == expected
    assert detect_escalation(contact_type, text, VOCAB) == "; ".join(expected)  # the cell: sorted, "; "-joined


def test_schema_accepts_each_part_of_an_escalation_cell_and_names_a_bad_one():
    frame = conform(pd.DataFrame({
        "event_id": ["a", "b", "c", "d"], "date": pd.to_datetime(["2023-01-01"] * 4),
        "escalation": ["cp_medical; referral_to_csc", "referral_to_csc", "", "cp_medical; referal_to_csc"],
    }), CONTACT_COLUMNS)
    failures = validate(frame)
    bad = failures[failures["column"] == "escalation"]
    assert bad[["index", "check", "failure_value"]].values.tolist() == [[3, "escalation", "referal_to_csc"]]


def test_rules_test_each_part_of_an_escalation_cell():
    timeline = make_timeline([
        {"date": "2023-02-01", "escalation": "cp_medical; referral_to_csc"},
        {"date": "2023-02-02", "escalation": "referral_to_csc"},
        {"date": "2023-02-03", "escalation": ""},
    ])
    ctx = Context(timeline=timeline, settings={}, case_ids=pd.Index(["C1"]))
    assert ctx.escalations(["cp_medical"]).tolist() == [True, False, False]
    assert ctx.escalations(["referral_to_csc"]).tolist() == [True, True, False]
    assert ctx.escalations(["s47_enquiry"]).tolist() == [False, False, False]
    assert ctx.escalations().tolist() == [True, True, False]


def test_nonmobile_injury_is_satisfied_by_one_row_recording_referral_and_medical():
    row = {"date": "2023-02-12", "concerns": "bruising", "contact_type": "ae_attendance",
           "escalation": "cp_medical; referral_to_csc"}
    flags = detect(make_timeline([row], dob="2023-01-01"), None, RULES, only=["nonmobile_injury"])
    assert flags.empty


# ---------------------------------------------------------------------------------------------------
# Negated, hypothetical and refused escalations are none
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Referral to social care not made as mother gave plausible explanation",
        "Referral to social care considered but not made",
        "Referral to social care considered",
        "Consider referral to social care if further bruising",
        "Referral to social care if further bruising",
        "Referral to social care: not made",
        "Child protection medical not done",
        "CP medical declined by mother",
        "Mother declined CP medical",
        "CP medical requested but not done",
        "Decision not to refer: not referred to social care",
        "no safeguarding referral made",
    ],
)
def test_an_escalation_that_did_not_happen_is_none(text):
    assert detect_escalation("home_visit", text, VOCAB) == ""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Referral to children's social care made", "referral_to_csc"),
        ("CP medical requested", "cp_medical"),  # a request is the requesting agency's escalation
        ("Child protection medical arranged today", "cp_medical"),
        ("Referral to social care made, however CP medical not done", "referral_to_csc"),
        ("Referred to social care but mother not happy with the decision", "referral_to_csc"),
        ("Referred to MASH. Mother declined CP medical", "referral_to_csc"),
    ],
)
def test_escalations_that_happened_still_count(text, expected):
    assert detect_escalation("home_visit", text, VOCAB) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a refusal or a conditional in a subordinate clause is about something else
        ("Referred to MASH as mother refused medical", "referral_to_csc"),
        ("Referred to social care as parents refused", "referral_to_csc"),
        ("Referral to children's social care as mother declined support", "referral_to_csc"),
        ("Referred to children's social care because father refused to let HV in", "referral_to_csc"),
        ("Referred to MASH due to mother declining medical", "referral_to_csc"),
        ("Strategy discussion held as father declined to engage", "strategy_discussion"),
        ("Strategy discussion held after father refused to engage", "strategy_discussion"),
        ("Father refused entry so referred to social care", "referral_to_csc"),
        # a refusal not straight after the escalation is someone else's
        ("Referred to social care mother refused", "referral_to_csc"),
        ("Referred to MASH. Mother refused to engage", "referral_to_csc"),
        # "and" that does not continue a list of escalations ends the negation
        ("Mother declined support and referral to MASH made", "referral_to_csc"),
        ("Mother not engaging and referred to social care", "referral_to_csc"),
        # "considered" that does not end the clause
        ("Safeguarding referral considered and made", "referral_to_csc"),
        ("Referral to MASH considered urgent", "referral_to_csc"),
    ],
)
def test_words_about_something_else_do_not_negate_an_escalation(text, expected):
    assert detect_escalation("home_visit", text, VOCAB) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Referral to social care was refused",
        "CP medical was declined",
        "Safeguarding referral declined",
        "Mother refused CP medical and referral to social care",
        "No referral to social care or CP medical",
        "Referral to social care considered, threshold not met",
        "Referral to MASH being considered",
        "Referral made to MASH if mother does not engage",  # a plan, written loosely: not counted
    ],
)
def test_refusals_of_the_escalation_itself_and_lists_are_still_negated(text):
    assert detect_escalation("home_visit", text, VOCAB) == ""


@pytest.mark.parametrize(
    "contact_type, text, expected",
    [
        ("cp_medical", "", "cp_medical"),
        ("cp_medical", "Child protection medical completed by paediatrician", "cp_medical"),
        ("cp_medical", "CP medical declined by mother", ""),
        ("strategy_discussion", "Strategy discussion was not held", ""),
        ("strategy_discussion", "Strategy discussion held with police", "strategy_discussion"),
    ],
)
def test_a_contact_type_is_its_escalation_unless_the_text_says_it_did_not_happen(contact_type, text, expected):
    assert detect_escalation(contact_type, text, VOCAB) == expected


def test_concerns_are_not_negated_by_the_escalation_cues():
    assert tag_concerns("Bruising considered accidental", VOCAB) == ["bruising"]
    assert tag_concerns("Bruise to cheek, CP medical declined", VOCAB) == ["bruising"]


# ---------------------------------------------------------------------------------------------------
# Child protection plan markers
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Initial child protection conference: a child protection plan is not required. Child in need support offered", 0),
        ("Conference agreed the child should not be made subject to a plan", 0),
        ("Conference agreed that Kai should not become subject to a child protection plan", 0),
        ("Conference: unanimous decision against a child protection plan", 0),
        ("Child protection plan: not made", 0),
        ("Not made subject to a plan; CIN", 0),
        ("Initial child protection conference held: threshold not met, not made subject to a plan", 0),
        ("ICPC: made subject to a child protection plan under the category of neglect", 1),
        ("Conference agreed the child should be made subject to a child protection plan", 1),
        ("Review conference: plan to continue", 1),
        ("Child to remain subject to a child protection plan. Father's contact has ceased", 1),
        ("Child to remain subject to a child protection plan; concerns about ceased contact with father", 1),
        ("Review conference: the plan will not end yet", 1),
        ("Conference: no longer meets threshold, plan to end", -1),
        ("Conference: the plan will cease", -1),
        ("Review child protection conference: the plan is now ended; child no longer at risk", -1),
        ("Review CP conference: the child protection plan was discontinued", -1),
        ("Child no longer requires a child protection plan", -1),
        ("No longer subject to a child protection plan", -1),
        ("Plan discontinued", -1),
        ("Stepped down to child in need", -1),
        ("Conference held", 0),
    ],
)
def test_cp_plan_marker_reads_what_the_conference_says_of_the_plan(text, expected):
    assert cp_plan_marker(text) == expected


# ---------------------------------------------------------------------------------------------------
# Concern words: misspellings, labels, DNA
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("small bruize on cheek", ["bruising"]),
        ("brusing noted on arm", ["bruising"]),
        ("bruse to forehead", ["bruising"]),
        ("Bruising: none", []),
        ("Injuries: nil", []),
        ("Bruising: none seen. Burn to hand", ["burn"]),
        ("Skin - bruising: not observed", []),
        ("Bruising: no explanation given", ["bruising", "inconsistent_explanation"]),
        ("Seen at A&E for head injury: no fracture", ["head_injury"]),
        ("Head injury: no fracture seen on x-ray", ["head_injury"]),  # the cue answers "fracture", not the label
        ("Injuries: nil of note", []),
        ("Bruising: none noted on examination today", []),  # a denial, then where and when it was looked for
        ("Bruising: left cheek", ["bruising"]),
    ],
)
def test_misspelt_and_labelled_concerns(text, expected):
    assert tag_concerns(text, VOCAB) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Bruising: not accidental", ["bruising"]),
        ("Fracture: not accidental", ["fracture"]),
        ("Bruise: not explained", ["bruising"]),
        ("Burns: not witnessed", ["burn"]),
        ("Injury: no cause given", ["other_injury"]),
        ("Bruising: denied by mother", ["bruising"]),
        ("Bruising: not consistent with history", ["bruising"]),
        ("Bruising: not accidental in appearance", ["bruising"]),
        ("Head injury: no fracture", ["head_injury"]),
    ],
)
def test_a_label_answer_that_qualifies_the_finding_does_not_deny_it(text, expected):
    assert tag_concerns(text, VOCAB) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bruising: none", "Bruising: nil", "Bruising: no", "Bruising: NAD", "Bruising: n/a", "Bruising: absent",
        "Bruising: negative", "Bruising: not present", "Bruising: not noted", "Bruising: not observed",
        "Bruising: not found", "Neglect: no concerns", "Neglect: no concerns at this time", "Fracture: ruled out",
        "Bruising: none on face or arms", "Bruising: nil seen today", "Injuries: none, well child",
        "Bruising: no - mother says she fell",
    ],
)
def test_a_label_answer_that_denies_the_finding_negates_it(text):
    assert tag_concerns(text, VOCAB) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("CP medical: not done", ""),
        ("CP medical: declined by mother", ""),
        ("Crime report: not yet", ""),
        ("Referral to MASH: not accepted", "referral_to_csc"),  # made, and not accepted: still a referral
        ("Referral to MASH: outcome awaited", "referral_to_csc"),
    ],
)
def test_an_escalation_label_is_negated_only_by_an_answer_that_it_did_not_happen(text, expected):
    assert detect_escalation("home_visit", text, VOCAB) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Father requested paternity DNA test", []),
        ("DNA test result discussed with father", []),
        ("DNA sample taken", []),
        ("DNA", ["was_not_brought"]),
        ("DNA'd appointment", ["was_not_brought"]),
        ("Child DNA clinic", ["was_not_brought"]),
    ],
)
def test_dna_is_did_not_attend_only_outside_a_dna_test(text, expected):
    assert tag_concerns(text, VOCAB) == expected


def test_a_dna_test_is_not_a_missed_appointment_by_type():
    assert classify_contact_type("DNA test", "", VOCAB) != "was_not_brought"
    assert classify_contact_type("DNA", "", VOCAB) == "was_not_brought"
    assert classify_contact_type("", "Father requested paternity DNA test", VOCAB) != "was_not_brought"


# ---------------------------------------------------------------------------------------------------
# End to end: a case folder read and analysed as `review flags` does
# ---------------------------------------------------------------------------------------------------
HEADER = "Date,Agency,Type of contact,Details of contact,Outcome,Child seen\n"


def _case(tmp_path, rows, dob="2023-01-01", review_date="2024-06-30"):
    (tmp_path / "case.yml").write_text(f"case_id: t1\ndate_of_birth: '{dob}'\nreview_date: '{review_date}'\n")
    lines = [HEADER] + [",".join('"' + str(cell).replace('"', '""') + '"' for cell in row) + "\n" for row in rows]
    (tmp_path / "chronology.csv").write_text("".join(lines))
    return analyse(load_case(tmp_path))


def _rules(analysis):
    return sorted(analysis.flags["rule_id"])


def test_one_row_recording_referral_and_medical_raises_no_injury_flag(tmp_path):
    result = _case(tmp_path, [
        ("12/02/2023", "Northgate Hospital", "A&E attendance", "Baby (6 weeks) brought with bruising to both ears.",
         "Referred to children's social care (MASH) and child protection medical arranged today.", "Y"),
    ])
    assert result.timeline["escalation"].tolist() == ["cp_medical; referral_to_csc"]
    assert not {"nonmobile_injury", "injury_not_escalated"} & set(_rules(result))


def test_escalations_not_made_do_not_hide_the_injury_flags(tmp_path):
    result = _case(tmp_path, [
        ("12/02/2023", "Health Visiting", "Home visit", "Baby seen. Bruise on left cheek, mother unsure how it happened.",
         "Referral to social care not made as mother gave plausible explanation. Child protection medical not done.", "Y"),
        ("20/02/2023", "GP", "Appointment", "Baby seen for check.", "", "Y"),
    ])
    assert result.timeline["escalation"].tolist() == ["", ""]
    assert {"nonmobile_injury", "injury_not_escalated"} <= set(_rules(result))


def test_a_labelled_non_accidental_bruise_and_a_referral_despite_a_refusal_are_read(tmp_path):
    result = _case(tmp_path, [
        ("05/03/2023", "Northgate Hospital", "A&E attendance",
         "Bruising: not accidental. Mother says baby rolled off sofa.", "", "Y"),
        ("06/05/2023", "Northgate Hospital", "A&E attendance",
         "Referred to MASH as mother refused skeletal survey. Bruise to ear.", "", "Y"),
    ], dob="2023-01-10")
    assert result.timeline["concerns"].tolist() == ["bruising", "bruising"]
    assert result.timeline["escalation"].tolist() == ["", "referral_to_csc"]
    flags = result.flags
    assert {"nonmobile_injury", "injury_not_escalated"} <= set(flags.loc[flags["trigger_date"] == "2023-03-05", "rule_id"])
    assert "referral_no_decision" in _rules(result)


ICPC = "Initial child protection conference. Child made subject to a child protection plan under the category of neglect."
CSC = "Children's Social Care"


def test_a_plan_not_required_is_no_plan(tmp_path):
    result = _case(tmp_path, [
        ("01/03/2023", CSC, "Case conference", "Initial child protection conference: a child protection plan is not required.", "", "Y"),
        ("20/03/2023", CSC, "Phone call", "Call to mother.", "", "N"),
    ], dob="2020-01-01")
    assert not result.timeline["on_cp_plan"].any()
    assert result.periods[result.periods["kind"] == "cp_plan"].empty


def test_a_word_of_ending_about_something_else_does_not_end_the_plan(tmp_path):
    result = _case(tmp_path, [
        ("01/03/2023", CSC, "Case conference", ICPC, "", "Y"),
        ("10/03/2023", CSC, "Case conference",
         "Review child protection conference: child to remain subject to a child protection plan. Father's contact has ceased.", "", "N"),
        ("30/03/2023", CSC, "Phone call", "Call to mother.", "", "N"),
    ], dob="2020-01-01")
    assert result.timeline["on_cp_plan"].tolist() == [True, True, True]
    not_seen = result.flags[result.flags["rule_id"] == "child_not_seen"]
    assert "on a child protection plan" in " ".join(not_seen["explanation"])


def test_paternity_dna_tests_are_not_missed_appointments(tmp_path):
    result = _case(tmp_path, [
        ("01/03/2023", "GP", "Appointment", "Child seen. Father requested paternity DNA test.", "", "Y"),
        ("20/03/2023", "GP", "Appointment", "Child seen. DNA test result discussed with father.", "", "Y"),
    ], dob="2020-01-01")
    assert result.timeline["concerns"].tolist() == ["", ""]
    assert "was_not_brought" not in _rules(result)


# ---------------------------------------------------------------------------------------------------
# The row-by-row baseline reads multi-valued escalation cells as the package does
# ---------------------------------------------------------------------------------------------------
def test_baseline_equals_package_with_multi_valued_escalations():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import baseline_rowwise

    from review.store import case_configs, timeline_many
    from review.synth import synth_contacts

    contacts, cases, _ = synth_contacts(40, 20240607)
    # a referral row that also records a CP medical, and a CP medical that also records a referral
    referral = contacts["escalation"] == "referral_to_csc"
    medical = contacts["escalation"] == "cp_medical"
    contacts.loc[referral[referral].index[::2], "escalation"] = "cp_medical; referral_to_csc"
    contacts.loc[medical[medical].index[::2], "escalation"] = "cp_medical; referral_to_csc; strategy_discussion"
    assert (contacts["escalation"].str.contains(";")).sum() >= 2
    timeline = timeline_many(contacts, cases)
    flags = detect(timeline, case_configs(cases), RULES)
    rows, info = baseline_rowwise.rows_and_cases(contacts, cases)
    _, base_flags = baseline_rowwise.run(rows, info, RULES)

    def key(rule_id, flag_id, trigger, action):
        return rule_id, flag_id, str(trigger), str(action or "")

    expected = sorted(key(*r) for r in zip(flags["rule_id"], flags["flag_id"], flags["trigger_event_id"],
                                           flags["actual_action_event_id"]) if r[0] in RULE_IDS)
    got = sorted(key(f["rule_id"], f["flag_id"], f["trigger_event_id"], f["actual_action_event_id"]) for f in base_flags)
    assert got == expected
