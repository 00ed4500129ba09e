"""nonmobile_injury when one of its two parts came and the child died before the other: the explanation
names the part that came and says the other is not recorded before the child's death (the two
fourteenth-session changes together: which part is missing, and no response after the death)."""
from __future__ import annotations

from test_escalations_s14 import CSC, HV, flags


def baby_bruise(date):
    return {"date": date, "contact_type": "home_visit", "description": "Bruise to left cheek",
            "concerns": "bruising", **HV}


def test_referral_came_but_no_medical_before_death():
    rows = [baby_bruise("2023-03-01"),
            {"date": "2023-03-10", **CSC, "contact_type": "referral", "escalation": "referral_to_csc",
             "description": "Referral received from health visitor."},
            {"date": "2023-03-20", **CSC, "contact_type": "cp_medical", "escalation": "cp_medical",
             "description": "Child protection medical."}]
    dead = flags(rows, death="2023-03-15", only=["nonmobile_injury"])
    assert len(dead) == 1
    text = dead.iloc[0].explanation
    assert "the next referral by any agency came on 10 Mar 2023" in text
    assert text.endswith("but no CP medical by any agency is recorded before the child's death on 15 Mar 2023.")
    alive = flags(rows, only=["nonmobile_injury"])
    # alive, the medical of 20 Mar completes the requirement: the flag names it as the late action
    assert alive.iloc[0].actual_action_date.strftime("%Y-%m-%d") == "2023-03-20"
