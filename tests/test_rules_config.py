"""load_rules: package defaults merged with a case's rules.yml; unknown ids/parameters are errors."""
import pytest

from review.errors import ConfigError
from review.rules import RULE_IDS, detect, load_rules
from review.rules.testing import make_timeline


def write_rules(tmp_path, text):
    (tmp_path / "rules.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_package_rules_cover_every_rule_id_with_source_and_category():
    rules = load_rules()
    assert set(rules["rules"]) == set(RULE_IDS)
    for rule_id, spec in rules["rules"].items():
        assert spec["enabled"] is True
        assert spec["source"].strip(), rule_id
        assert spec["failing_category"] in ("communication", "procedure", "staffing/capacity", "governance", "assessment")
        assert spec["severity"] in ("high", "medium", "low")


def test_no_case_rules_file_gives_package_defaults(tmp_path):
    assert load_rules(tmp_path)["rules"] == load_rules()["rules"]


def test_override_threshold_directly_or_under_params(tmp_path):
    write_rules(tmp_path, "rules:\n  injury_not_escalated: {within_days: 3}\n  assessment_wait: {params: {max_days: 45}}\n")
    rules = load_rules(tmp_path)
    assert rules["rules"]["injury_not_escalated"]["params"]["within_days"] == 3
    assert rules["rules"]["assessment_wait"]["params"]["max_days"] == 45
    assert rules["rules"]["child_not_seen"] == load_rules()["rules"]["child_not_seen"]
    assert rules["files"][-1].endswith("rules.yml")


def test_disable_a_rule(tmp_path):
    write_rules(tmp_path, "rules:\n  nonmobile_injury: {enabled: false}\n")
    rules = load_rules(tmp_path)
    timeline = make_timeline([{"date": "2023-03-01", "concerns": "bruising"}])
    assert "nonmobile_injury" in set(detect(timeline, None, load_rules())["rule_id"])
    assert "nonmobile_injury" not in set(detect(timeline, None, rules)["rule_id"])


def test_override_changes_the_result(tmp_path):
    timeline = make_timeline([
        {"date": "2023-03-01", "concerns": "bruising", "age_days": 400, "child_mobile": True},
        {"date": "2023-03-04", "escalation": "referral_to_csc", "contact_type": "referral"},
    ])
    assert "injury_not_escalated" in set(detect(timeline, None, load_rules())["rule_id"])
    write_rules(tmp_path, "rules:\n  injury_not_escalated:\n    within_days: 3\n")
    assert "injury_not_escalated" not in set(detect(timeline, None, load_rules(tmp_path))["rule_id"])


@pytest.mark.parametrize(
    "text, message",
    [
        ("rules:\n  no_such_rule: {enabled: false}\n", "unknown rule id 'no_such_rule'"),
        ("rules:\n  assessment_wait: {max_dayz: 3}\n", "unknown parameter 'max_dayz'"),
        ("rules:\n  assessment_wait: {max_days: soon}\n", "must be a number"),
        ("rules:\n  assessment_wait: {severity: urgent}\n", "severity"),
        ("rules:\n  assessment_wait: {enabled: 'no'}\n", "true or false"),
        ("settings:\n  no_such_setting: 1\n", "unknown setting"),
        ("thresholds: {}\n", "unknown top-level"),
        ("- just a list\n", "must be a mapping"),
    ],
)
def test_invalid_case_rules_name_the_file(tmp_path, text, message):
    write_rules(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_rules(tmp_path)
    assert message in str(info.value)
    assert str(tmp_path / "rules.yml") in str(info.value)


def test_invalid_yaml_is_a_config_error(tmp_path):
    write_rules(tmp_path, "rules: [unclosed\n")
    with pytest.raises(ConfigError):
        load_rules(tmp_path)
