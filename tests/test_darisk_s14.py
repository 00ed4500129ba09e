"""Fourteenth session's domestic-abuse / risk QA pass: the DASH label forms agencies write read as high risk
(rules.yml high_risk_keywords, high_risk_label_heads, high_risk_earlier_words); a child's own self-harm is not
an inflicted injury, parental mental health or domestic abuse; child exploitation and missing episodes have a
rule of their own (exploitation_not_referred); sharing written in the narrative reaches the agency named."""
import pandas as pd
import pytest

from review.rules import detect, load_rules
from review.rules.domestic_abuse_not_escalated import high_risk
from review.rules.testing import make_timeline

from _baseline import baseline_flags, baseline_pairs, package_pairs

RULES = load_rules()
DA = "domestic_abuse_not_escalated"
DA_PARAMS = RULES["rules"][DA]["params"]
POLICE = {"agency": "Police", "agency_kind": "police", "contact_type": "police_callout"}


def incident(date, description, action="", **kw):
    return {"date": date, **POLICE, "concerns": "domestic_abuse", "description": description, "action": action, **kw}


# --- 1. DASH label forms ---------------------------------------------------------------------------------
HIGH_LABELS = [
    "DASH risk: HIGH.",
    "DASH: High",
    "DASH risk level: High.",
    "Risk level: High (DASH)",
    "DASH completed. Risk: High",
    "DASH graded as high by attending officer.",
    "DASH - H.",
    # the QA scenario rows (qa3 c17, c16)
    "Call from victim. Partner threatened to kill her and pushed her down stairs. Ava (2y) present. DASH risk level: High.",
    "DA incident at home address. Laura assaulted by partner Scott, punched to face. Mia (2y) present. DASH risk: HIGH.",
]
NOT_HIGH = [
    "Domestic incident. Mother has a risk of high blood pressure.",
    "Domestic incident. Child in high chair, DASH completed.",
    "DASH risk: standard.",
    "DASH risk: medium",
    "DASH: Medium. Domestic incident.",
    "DASH completed. Risk: High (to self).",
    "DASH risk level: High (to self)",
    "DASH previously high, now medium.",
    "Previously high risk on DASH, now standard.",
    "DASH risk: not high.",
]


@pytest.mark.parametrize("text", HIGH_LABELS)
def test_dash_label_forms_read_as_high_risk(text):
    assert high_risk(text, DA_PARAMS)


@pytest.mark.parametrize("text", NOT_HIGH)
def test_other_readings_are_no_high_risk(text):
    assert not high_risk(text, DA_PARAMS)


@pytest.mark.parametrize("text", HIGH_LABELS[:7])
def test_a_dash_label_high_with_no_referral_is_flagged_by_package_and_baseline(text):
    rows = [incident("2023-09-13", "Domestic incident, child present. " + text, "Suspect arrested.")]
    assert package_pairs(rows, DA) == [("C1-e001", "")]
    assert [(f["trigger_event_id"]) for f in baseline_flags(rows) if f["rule_id"] == DA] == ["C1-e001"]
    flags = detect(make_timeline(rows), None, RULES, only=[DA])
    assert "high risk recorded" in flags.iloc[0].explanation


@pytest.mark.parametrize("text", NOT_HIGH)
def test_no_flag_for_a_single_incident_not_high(text):
    rows = [incident("2023-09-13", "Domestic incident, child present. " + text)]
    # (s18) no high-risk flag; the incident, not notified to children's social care, is the variant notification's
    # (any DASH level: tests/test_domestic_abuse_notification_s18.py), by the package and the baseline alike
    flags = detect(make_timeline(rows), None, RULES, only=[DA])
    assert len(flags) == 1 and "high risk recorded" not in flags.iloc[0].explanation
    assert "no notification to children's social care" in flags.iloc[0].explanation
    assert package_pairs(rows, DA) == [("C1-e001", "")]
    assert [f["variant"] for f in baseline_flags(rows) if f["rule_id"] == DA] == ["notification"]


def test_a_marac_referral_next_day_answers_a_dash_label_high():
    rows = [incident("2023-09-13", "Domestic incident. DASH risk: HIGH."),
            {"date": "2023-09-14", **POLICE, "contact_type": "letter", "description": "Referral to MARAC made."}]
    assert package_pairs(rows, DA) == []


# --- 4. sharing written in the narrative -------------------------------------------------------------------
from review.config import package_data  # noqa: E402
from review.vocab import informed_reaches, shared_in_text  # noqa: E402

VOCAB = package_data("vocab.yml")


@pytest.mark.parametrize("text, labels", [
    ("Info shared with allocated SW by phone.", ["Children's social care"]),
    ("Information passed to health visitor.", ["Health visiting"]),
    ("Informed SW.", ["Children's social care"]),
    ("Copy sent to GP.", ["GP"]),
    ("Discussed with HV.", ["Health visiting"]),
    ("Emailed MASH.", ["Children's social care"]),
    ("Health visitor informed by phone.", ["Health visiting"]),
    ("Letter sent to GP and health visitor.", ["GP", "Health visiting"]),
])
def test_sharing_in_the_narrative_names_its_recipient(text, labels):
    assert shared_in_text(text, VOCAB) == labels


@pytest.mark.parametrize("text", [
    "Unable to share with GP as consent refused.",
    "Not shared with SW.",
    "Consent to share refused.",
    "Info to be passed to HV.",
    "SW to be informed.",
    "Notified by police of the incident.",
    "Shared with mum.",
    "Discussed with manager.",
])
def test_no_sharing_read_where_none_was_done(text):
    assert shared_in_text(text, VOCAB) == []


def test_a_recipient_label_reaches_the_agencies_of_its_kind_or_name():
    assert informed_reaches("Children's social care", "Northshire Children's Social Care", "social care", VOCAB)
    assert informed_reaches("Health visiting", "Oakfield Health Visiting", "health", VOCAB)
    assert informed_reaches("GP", "Riverside GP Practice", "health", VOCAB)
    assert not informed_reaches("Health visiting", "St Anne's Hospital", "health", VOCAB)
    assert not informed_reaches("GP", "Oakfield Health Visiting", "health", VOCAB)
    assert not informed_reaches("Children's social care", "Northshire Police", "police", VOCAB)


def _c09(tmp_path, action, shared_with=None):
    """The QA scenario c09: the health visitor's neglect concern, then social care closes the case."""
    header = "Date,Agency,Type of contact,Details,Action / outcome,Child seen" + (",Shared with" if shared_with is not None else "")
    extra = "," if shared_with is not None else ""
    rows = [
        "02/05/2023,Northshire Children's Social Care,Assessment,Single assessment started following anonymous referral.,SW allocated.,Yes" + extra,
        "15/06/2023,Oakfield Health Visiting,Home visit,\"Harvey unkempt with severe nappy rash, weight dropped from 50th to 9th centile.\","
        + f"\"{action}\",Yes" + ("," + shared_with if shared_with is not None else ""),
        "23/06/2023,Northshire Children's Social Care,Case closure,Case closed to CSC - step down to universal services.,Closure letter.,No" + extra,
    ]
    (tmp_path / "chronology.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "case.yml").write_text("case_id: c09\ndate_of_birth: 2022-02-14\nreview_date: 2023-12-31\n", encoding="utf-8")
    from review.pipeline import analyse, load_case

    analysis = analyse(load_case(tmp_path))
    return analysis.timeline, analysis.flags


@pytest.mark.parametrize("action", ["Info shared with allocated SW by phone.", "Discussed with SW.", "Emailed MASH."])
def test_sharing_written_in_the_action_reaches_social_care(tmp_path, action):
    timeline, flags = _c09(tmp_path, action)
    hv = timeline[timeline["agency"] == "Oakfield Health Visiting"].iloc[0]
    assert hv["informed_agencies"] == "Children's social care"
    assert "information_not_shared" not in set(flags["rule_id"])


@pytest.mark.parametrize("action", ["Unable to share with SW.", "Consent to share refused.", "Advice given."])
def test_no_sharing_written_still_flags(tmp_path, action):
    _, flags = _c09(tmp_path, action)
    assert "information_not_shared" in set(flags["rule_id"])


def test_a_label_is_not_added_beside_the_column_agency_it_reaches(tmp_path):
    timeline, flags = _c09(tmp_path, "Info shared with allocated SW by phone.", "Northshire Children's Social Care")
    hv = timeline[timeline["agency"] == "Oakfield Health Visiting"].iloc[0]
    assert hv["informed_agencies"] == "Northshire Children's Social Care"
    assert "information_not_shared" not in set(flags["rule_id"])


# --- 2. a teenager's self-harm: not an inflicted injury, not parental mental health, not domestic abuse -----
from review.vocab import tag_concerns  # noqa: E402


@pytest.mark.parametrize("text, present, absent", [
    ("14yo presented with superficial cuts to forearms, self-inflicted.", {"self_harm"}, {"non_accidental"}),
    ("States argument with mum.", set(), {"domestic_abuse"}),
    ("Argued with mother about curfew.", set(), {"domestic_abuse"}),
    ("14yo overdose of 12 paracetamol.", {"self_harm"}, {"parental_mental_health"}),
    ("Chloe self-harming, cuts to arms.", {"self_harm"}, {"parental_mental_health", "non_accidental"}),
    ("Mum took an overdose last night.", {"parental_mental_health"}, {"self_harm"}),
    ("Mother self-harming, referred to crisis team.", {"parental_mental_health"}, {"self_harm"}),
    ("Injury inflicted by father.", {"non_accidental"}, {"self_harm"}),
    ("Verbal argument between Laura and Scott.", {"domestic_abuse"}, set()),
    ("Neighbour reported a loud argument.", {"domestic_abuse"}, set()),
    ("No thoughts of self-harm.", set(), {"self_harm", "parental_mental_health"}),
])
def test_self_harm_and_arguments_are_read_as_whose_they_are(text, present, absent):
    tags = set(tag_concerns(text, VOCAB))
    assert present <= tags and not (absent & tags)


# --- 3. exploitation_not_referred ----------------------------------------------------------------------
EXP = "exploitation_not_referred"
MISSING_TEXT = ("Chloe (14) reported missing by mum overnight. Found 03:00 in car with two adult males aged 24 and 27. "
                "High risk of CSE.")


def police(date, description, action="", **kw):
    concerns = "; ".join(tag_concerns(description + "\n" + action, VOCAB))
    return {"date": date, **POLICE, "contact_type": "other", "concerns": concerns, "description": description,
            "action": action, **kw}


def test_exploitation_risk_tags():
    assert {"exploitation", "missing"} <= set(tag_concerns(MISSING_TEXT, VOCAB))
    assert set(tag_concerns("Concerns about county lines involvement.", VOCAB)) == {"exploitation"}
    assert "missing" in tag_concerns("Missing from care overnight, returned 08:00.", VOCAB)
    assert "exploitation" not in tag_concerns("No CSE concerns.", VOCAB)
    assert "missing" not in tag_concerns("Missed appointment.", VOCAB)


def test_exploitation_with_no_referral_is_a_high_flag_package_and_baseline():
    rows = [police("2023-06-14", MISSING_TEXT, "Return home interview requested. Intel submitted.")]
    flags = detect(make_timeline(rows), None, RULES, only=[EXP])
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag.severity == "high"
    assert flag.expected_by == pd.Timestamp("2023-06-15")
    assert flag.explanation.startswith("Police recorded a risk of child exploitation on 14 Jun 2023 and no referral "
                                       "to children's social care")
    assert "Working Together" in flag.source and "go missing" in flag.source
    assert flag.failing_category == "procedure"
    assert package_pairs(rows, EXP) == [("C1-e001", "")]
    assert [(f["trigger_event_id"], f["severity"]) for f in baseline_flags(rows) if f["rule_id"] == EXP] == [
        ("C1-e001", "high")]


def test_a_single_missing_episode_is_medium_and_repeated_ones_high():
    one = [police("2023-06-14", "Reported missing from home overnight, found at a friend's house.")]
    flags = detect(make_timeline(one), None, RULES, only=[EXP])
    assert list(flags["severity"]) == ["medium"]
    assert "a missing episode on 14 Jun 2023" in flags.iloc[0].explanation
    two = one + [police("2023-07-20", "Went missing again overnight, returned 07:00.")]
    flags = detect(make_timeline(two), None, RULES, only=[EXP])
    assert list(flags["severity"]) == ["medium", "high"]
    assert "repeated (2 or more within 90 days)" in flags.iloc[1].explanation
    assert [f["severity"] for f in baseline_flags(two) if f["rule_id"] == EXP] == ["medium", "high"]


@pytest.mark.parametrize("response", [
    {"date": "2023-06-15", "agency": "Police", "agency_kind": "police", "contact_type": "other",
     "description": "Referral to children's social care made re CSE risk.", "escalation": "referral_to_csc"},
    {"date": "2023-06-14", "agency": "CSC", "agency_kind": "social care", "contact_type": "strategy_discussion",
     "description": "Strategy discussion held."},
    {"date": "2023-06-15", "agency": "Police", "agency_kind": "police", "contact_type": "other",
     "description": "Referred to the exploitation panel (MACE)."},
])
def test_a_referral_within_one_working_day_answers_it(response):
    rows = [police("2023-06-14", MISSING_TEXT), response]
    assert package_pairs(rows, EXP) == []
    assert [f for f in baseline_flags(rows) if f["rule_id"] == EXP] == []


def test_a_referral_only_planned_or_late_does_not():
    rows = [police("2023-06-14", MISSING_TEXT),
            {"date": "2023-06-15", "agency": "Police", "agency_kind": "police", "contact_type": "other",
             "description": "Consider referral to MASH."},
            {"date": "2023-06-26", "agency": "Police", "agency_kind": "police", "contact_type": "other",
             "description": "Referral to MASH made.", "escalation": "referral_to_csc"}]
    assert package_pairs(rows, EXP) == baseline_pairs(rows, EXP) == [("C1-e001", "C1-e003")]
    flags = detect(make_timeline(rows), None, RULES, only=[EXP])
    assert "the next such referral by any agency came on 26 Jun 2023" in flags.iloc[0].explanation


def test_a_low_risk_screening_is_no_trigger():
    rows = [police("2023-06-14", "CSE screening tool completed: low risk.")]
    assert package_pairs(rows, EXP) == []
    assert [f for f in baseline_flags(rows) if f["rule_id"] == EXP] == []


def test_the_qa_scenario_c12_raises_only_the_exploitation_flag(tmp_path):

    from review.pipeline import analyse, load_case

    case = tmp_path / "c12"
    case.mkdir()
    (case / "case.yml").write_text("case_id: c12\ndate_of_birth: 2009-01-22\nreview_date: 2023-12-31\n"
                                   "child_name: Chloe Barnard\npeople: {Michelle Barnard: Mother}\n", encoding="utf-8")
    (case / "chronology.csv").write_text(
        "Date,Agency,Type of contact,Details,Action / outcome,Child seen\n"
        "14/06/2023,Northshire Police,Missing episode,\"" + MISSING_TEXT + "\",Return home interview requested. Intel submitted.,Yes\n"
        "20/06/2023,St Anne's Hospital A&E,A&E attendance,\"14yo presented with superficial cuts to forearms, self-inflicted. "
        "States argument with mum.\",Seen by CAMHS liaison. Discharged home with mum.,Yes\n"
        "02/07/2023,St Anne's Hospital A&E,A&E attendance,14yo overdose of 12 paracetamol.,Admitted to paeds ward overnight.,Yes\n",
        encoding="utf-8")
    analysis = analyse(load_case(case))
    # (s15: and, rule self_harm_not_referred, the overdose of 2 Jul: admitted overnight with no CAMHS / psychosocial
    # assessment recorded by the next day (NICE NG225), and a second self-harm episode within 90 days with no
    # referral to children's social care or early help; the cuts of 20 Jun were seen by CAMHS liaison)
    flags = analysis.flags
    # (s20, rule return_interview_or_nrm_late: the police's "Return home interview requested" with none held in 72
    # hours, and a first responder's record of a risk of exploitation with no NRM referral in 30 days)
    assert sorted(flags["rule_id"]) == [EXP, "return_interview_or_nrm_late", "return_interview_or_nrm_late",
                                        "self_harm_not_referred", "self_harm_not_referred"]
    harm = flags[flags["rule_id"] == "self_harm_not_referred"]
    assert set(harm["trigger_date"]) == {pd.Timestamp("2023-07-02")}
    assert sorted(harm["expected_by"]) == [pd.Timestamp("2023-07-03"), pd.Timestamp("2023-07-09")]
    concerns = list(analysis.timeline.sort_values("date")["concerns"])
    assert "exploitation" in concerns[0] and "missing" in concerns[0]
    assert "self_harm" in concerns[1] and "non_accidental" not in concerns[1] and "domestic_abuse" not in concerns[1]
    assert "self_harm" in concerns[2] and "parental_mental_health" not in concerns[2]


@pytest.mark.parametrize("text, labels", [
    ("Informed mum that HV will visit next week.", []),
    ("Spoke to mum about GP appointment.", []),
    ("Shared with mum and SW.", ["Children's social care"]),
])
def test_a_recipient_is_named_before_a_clause_word(text, labels):
    assert shared_in_text(text, VOCAB) == labels
