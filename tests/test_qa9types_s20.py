"""Session 20, QA9 (the Ollie case: a looked-after, non-verbal child in an out-of-area residential school) readings
that mistyped records:

- D2: a school's or a care home's "Incident" (its own incident / restraint log) is no police call-out; a police
  force's "Incident" still is (vocab.yml agency_type_cells.police_callout);
- D16: a looked-after child's review ("First LAC review", "IRO review", "CLA review") is a `lac_review`, no clinic
  appointment; a child protection review conference stays a conference, a bare "Review" an appointment;
- D5: an Ofsted letter received from the school is no referral received (settings.receipt_not_documents): no
  referral_no_decision, and it answers no other agency's concern; a LADO's notification is read as one;
- D3: self_harm_not_referred's "repeated" variant does not ask social care to refer the child to itself;
- D9: generic headers "Log entry", "Date received", "Date sent", "Email text", "Allegation summary";
- D19: an e-mail's "Subject" is no identity column (no warning), a "Subject" elsewhere still is.
Package and baseline alike where a rule is concerned."""
from __future__ import annotations

from pathlib import Path

import yaml

from review.config import load_case_config, load_vocab
from review.ingest import load_contacts
from review.rules import detect, load_rules
from review.rules.testing import make_timeline
from review.vocab import classify_contact_type

from _baseline import baseline_flags

VOCAB = load_vocab()
SCHOOL = ("Hollybrook School",)
POLICE = ("Eastshire Police",)


# D2 -----------------------------------------------------------------------------------------------------------
def test_a_schools_incident_is_no_police_callout():
    assert classify_contact_type("Incident", "Bruising to both upper arms noted at morning care.", VOCAB,
                                 agency=SCHOOL) == "other"
    assert classify_contact_type("", "Incident in the lounge, Ollie restrained.", VOCAB, agency=SCHOOL) == "other"


def test_a_police_incident_is_still_a_callout():
    assert classify_contact_type("Incident", "DASH high risk. No referral to CSC.", VOCAB,
                                 agency=POLICE) == "police_callout"
    assert classify_contact_type("Domestic incident", "Officers attended.", VOCAB, agency=SCHOOL) == "police_callout"


# D16 ----------------------------------------------------------------------------------------------------------
def test_looked_after_reviews_are_lac_reviews():
    for cell, text in [("First LAC review", "First looked after review. Care plan endorsed."),
                       ("LAC review postponed", "Review postponed - SW on leave."),
                       ("IRO review", "IRO review postponed - school unable to host."),
                       ("", "CLA review held, child attended."), ("", "Looked-after review: care plan agreed.")]:
        assert classify_contact_type(cell, text, VOCAB) == "lac_review", (cell, text)


def test_other_reviews_keep_their_types():
    assert classify_contact_type("Review", "", VOCAB) == "clinic_appointment"
    assert classify_contact_type("", "Review child protection conference held.", VOCAB) == "cp_conference"
    assert classify_contact_type("Telephone review", "", VOCAB) == "phone_call"


def test_a_lac_review_reads_no_sighting_and_has_a_marker():
    from review import charts

    assert "lac_review" in charts.CONTACT_MARKERS and "lac_review" in charts.HOLLOW_CONTACT_TYPES
    styles = {(m, t in charts.HOLLOW_CONTACT_TYPES) for t, m in charts.CONTACT_MARKERS.items()}
    assert len(styles) == len(charts.CONTACT_MARKERS)


# D5 -----------------------------------------------------------------------------------------------------------
CSC = {"agency": "Westmere Children's Social Care", "agency_kind": "social care"}
POLICE_ROW = {"agency": "Eastshire Police", "agency_kind": "police"}
OFSTED = {"date": "2023-03-20", "contact_type": "letter", **CSC,
          "description": "Ofsted monitoring visit letter received from school - restraint recording concerns.",
          "action": "Noted"}
LADO = {"date": "2022-03-22", "contact_type": "letter", **CSC,
        "description": "Informed by LADO of allegation against staff member at Hollybrook.",
        "action": "Await LADO outcome"}
END = {"date": "2023-07-01", "contact_type": "home_visit", **CSC, "description": "Statutory visit.",
       "action": "No further action"}


def _rnd(rows, rules=None):
    rules = rules or load_rules()
    flags = detect(make_timeline(rows, dob="2010-03-10"), None, rules, only=["referral_no_decision"])
    package = sorted(flags["trigger_event_id"]) if len(flags) else []
    base = sorted(f["trigger_event_id"] for f in baseline_flags(rows, rules) if f["rule_id"] == "referral_no_decision")
    return package, base


def test_an_ofsted_letter_is_no_referral_received():
    package, base = _rnd([OFSTED, END])
    assert package == base == []
    # a referral from the school the same day is one
    referral = {**OFSTED, "description": "Referral received from school - bruising to ribs, unexplained."}
    package, base = _rnd([referral, END])
    assert package == base == ["C1-e001"]


def test_a_lado_notification_is_read_as_a_receipt():
    # (s20, lacnoise) read as a receipt, but the LADO's allegation management, no referral awaiting social care's
    # decision (referral_no_decision receipts_not_tags / receipts_not_words; tests/test_lacnoise_s20.py)
    package, base = _rnd([LADO, END])
    assert package == base == []
    rules = load_rules()
    rules["rules"]["referral_no_decision"]["params"].update(receipts_not_tags=[], receipts_not_words=[])
    package, base = _rnd([LADO, END], rules)
    assert package == base == ["C1-e001"]
    # not the bare "informed by": social care telling the mother
    told = {**LADO, "description": "Mother informed by SW of the LADO outcome."}
    package, base = _rnd([told, END])
    assert package == base == []


def test_an_ofsted_letter_answers_no_missing_episode():
    missing = {"date": "2023-01-27", "contact_type": "police_callout", **POLICE_ROW, "concerns": "missing",
               "description": "Call from Hollybrook: Ollie absconded from grounds, found on road 40 mins later.",
               "action": "Returned to school. NFA."}
    flags = detect(make_timeline([missing, OFSTED, END], dob="2010-03-10"), None, load_rules(),
                   only=["exploitation_not_referred"])
    assert len(flags) == 1
    assert "none is recorded within 90 days" in flags.iloc[0].explanation
    assert "20 Mar 2023" not in flags.iloc[0].explanation


# D3 -----------------------------------------------------------------------------------------------------------
RULE = "self_harm_not_referred"


def _sh_rules(**params):
    rules = load_rules()
    rules["rules"][RULE]["params"]["min_age_years"] = None
    rules["rules"][RULE]["params"].update(params)
    return rules


def _sh(rows, rules):
    flags = detect(make_timeline(rows), None, rules, only=[RULE]).reset_index(drop=True)
    variant = ["repeated" if "repeated self-harm" in str(e) else "mental_health" for e in flags.get("expected_action", [])]
    package = sorted(zip(flags["trigger_event_id"], variant)) if len(flags) else []
    base = sorted((f["trigger_event_id"], f["variant"]) for f in baseline_flags(rows, rules) if f["rule_id"] == RULE)
    return package, base


SCHOOL_ROW = {"agency": "Northfield Academy", "agency_kind": "education", "contact_type": "other"}
CSC_VISIT = {**CSC, "contact_type": "home_visit"}
CAMHS = {"agency": "Eastshire CAMHS", "agency_kind": "health", "contact_type": "clinic_appointment"}


def _sh_rows(second):
    return [
        {"date": "2023-10-01", **SCHOOL_ROW, "concerns": "self_harm", "description": "Cuts seen on her forearms.",
         "action": "Referred to CAMHS."},
        {"date": "2023-10-20", **CAMHS, "description": "CAMHS assessment: low mood.", "action": "Seen by CAMHS."},
        {"date": "2023-11-20", **second, "concerns": "self_harm",
         "description": "Overdose of paracetamol last night, seen at visit.", "action": "CAMHS informed."},
    ]


def test_social_cares_own_record_of_repeated_self_harm_asks_no_referral_to_itself():
    rules = _sh_rules()
    package, base = _sh(_sh_rows(CSC_VISIT), rules)
    assert package == base == []
    # before s20 (no repeated_not_agency_kinds): social care asked to refer the child to itself
    package, base = _sh(_sh_rows(CSC_VISIT), _sh_rules(repeated_not_agency_kinds=[]))
    assert package == base == [("C1-e003", "repeated")]


def test_another_agencys_repeated_self_harm_is_still_flagged():
    # the school's second episode: still a referral to social care due (social care's own first record counted)
    package, base = _sh(_sh_rows(SCHOOL_ROW), _sh_rules())
    assert package == base == [("C1-e003", "repeated")]


# D9, D19 ------------------------------------------------------------------------------------------------------
def _case(case_dir: Path, files: dict[str, tuple[list[str], list[list[str]]]]) -> Path:
    case_dir.mkdir(parents=True, exist_ok=True)
    raw = {"case_id": "ollie", "date_of_birth": "2010-03-10", "child_name": "Ollie Brennan",
           "review_date": "2023-07-31", "people": {"Dawn Brennan": "Mother"},
           "files": [{"path": name, "agency": agency} for name, agency in
                     (("log.csv", "Hollybrook School"), ("lado.csv", "Eastshire LADO"),
                      ("emails.csv", "Parent emails")) if name in files]}
    (case_dir / "case.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    for name, (header, rows) in files.items():
        lines = [",".join(header)] + [",".join(f'"{c}"' if "," in c else c for c in row) for row in rows]
        (case_dir / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return case_dir


def test_common_headers_of_a_log_a_lado_and_emails_are_read(tmp_path):
    case_dir = _case(tmp_path / "c", {
        "log.csv": (["Date", "Time", "Staff", "Entry type", "Log entry", "Action taken"],
                    [["14/10/2021", "19:10", "T. Marsh", "Incident", "Ollie head-banging, bruise to forehead 3cm.",
                      "Body map completed."]]),
        "lado.csv": (["Date received", "Referrer", "Allegation summary", "LADO decision"],
                     [["17/03/2022", "Head of Care", "Allegation: staff member dragged a pupil by the arm.",
                       "Threshold met"]]),
        "emails.csv": (["Date sent", "From", "To", "Subject", "Email text"],
                       [["12/02/2022 21:04", "Dawn Brennan (mother)", "Hollybrook School", "Ollie's arms",
                         "Ollie came home with bruises on both arms."],
                        ["06/10/2022 20:30", "Dawn Brennan (mother)", "Westmere CSC", "Weight",
                         "He has lost so much weight."]]),
    })
    contacts, report = load_contacts(load_case_config(case_dir))
    by_file = {f: g for f, g in contacts.groupby("source_file")}
    assert set(by_file) == {"log.csv", "lado.csv", "emails.csv"}
    log = by_file["log.csv"].iloc[0]
    assert log["description"].startswith("Ollie head-banging") and log["contact_type"] == "other"
    assert str(log["date"])[:10] == "2021-10-14"
    lado = by_file["lado.csv"].iloc[0]
    assert str(lado["date"])[:10] == "2022-03-17" and lado["description"].startswith("Allegation: staff member")
    emails = by_file["emails.csv"]
    assert [str(d)[:10] for d in emails["date"]] == ["2022-02-12", "2022-10-06"]
    assert emails["description"].iloc[0] == "Ollie came home with bruises on both arms."
    # D19: the e-mails' Subject is a subject line: no identity warning, no row rejected
    messages = [w.message for f in report.files for w in f.warnings]
    assert not any("Subject" in m and "names no row of the case's child" in m for m in messages)
    assert not any(f.rejections for f in report.files)


def test_a_subject_column_outside_emails_is_still_an_identity_column(tmp_path):
    case_dir = _case(tmp_path / "s", {
        "log.csv": (["Subject", "Date", "Staff", "Log entry"],
                    [["Ollie Brennan", "01/04/2022", "R. Dace", "Seen at breakfast."],
                     ["Leo Brennan", "02/04/2022", "R. Dace", "Seen at breakfast."]]),
    })
    contacts, report = load_contacts(load_case_config(case_dir))
    assert contacts["source_row"].tolist() == [2]
    assert [(r.row, r.column) for r in report.files[0].rejections] == [(3, "Subject")]
