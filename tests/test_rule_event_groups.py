"""A rule flags an event once, however many agencies recorded it: the flag's trigger is the first row of
its event group (the timeline's linking), as docs/rules.md says of every rule."""
from review.rules import detect, load_rules
from review.rules.testing import make_timeline

RULES = load_rules()
TEXT = "Request for a single assessment of the family: to be allocated to a social worker"


def test_one_assessment_request_recorded_by_two_agencies_is_one_flag():
    rows = [
        {"date": "2023-03-01", "agency": "Children's Social Care", "agency_kind": "social care",
         "contact_type": "referral_decision", "description": TEXT, "event_group": "G1"},
        {"date": "2023-03-01", "agency": "Eastborough MASH", "agency_kind": "social care",
         "contact_type": "referral_decision", "description": TEXT, "event_group": "G1"},
        {"date": "2023-06-01", "agency": "GP", "agency_kind": "health", "contact_type": "gp_appointment"},
    ]
    timeline = make_timeline(rows)
    requests = timeline[timeline["contact_type"] == "referral_decision"]
    assert requests["event_group"].nunique() == 1  # the two records, linked as the timeline links them
    flags = detect(timeline, None, RULES, only=["assessment_wait"])
    assert len(flags) == 1
    assert flags["trigger_event_id"].iloc[0] == requests["event_id"].iloc[0]


def test_two_separate_requests_are_two_flags():
    rows = [
        {"date": "2023-03-01", "agency": "Children's Social Care", "agency_kind": "social care",
         "contact_type": "referral_decision", "description": TEXT},
        {"date": "2023-04-03", "agency": "Children's Social Care", "agency_kind": "social care",
         "contact_type": "referral_decision", "description": "Second request: assessment of the new partner"},
        {"date": "2023-09-01", "agency": "GP", "agency_kind": "health", "contact_type": "gp_appointment"},
    ]
    assert len(detect(make_timeline(rows), None, RULES, only=["assessment_wait"])) == 2
