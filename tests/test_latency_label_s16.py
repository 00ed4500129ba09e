"""The response latency chart's label of a bar running to the right edge ("child died within 90 days, no
escalation before", "no escalation within 90 days") stands clear of the bar's end: a fixed margin in
points, whatever the time axis's length (it sat at 1% of the axis, its white box on the bar's end)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from review.charts import house_style, plot_response_latency
from review.config import CaseConfig
from review.rules import load_rules
from review.rules.latency import response_latency
from review.rules.testing import make_timeline

RULES = load_rules()
MAX_DAYS = RULES["settings"]["response_latency"]["response_max_days"]
HV = {"agency": "Health Visiting", "agency_kind": "health"}
SC = {"agency": "Children's Social Care", "agency_kind": "social care"}


def _chart(late_days: int):
    """A concern never escalated, one escalated after `late_days`, and one 19 days before the child died."""
    first = pd.Timestamp("2023-02-01")
    rows = [
        {"date": "2023-01-10", **HV, "contact_type": "home_visit", "concerns": "neglect", "description": "Poor."},
        {"date": str(first.date()), **HV, "contact_type": "home_visit", "concerns": "bruising", "description": "Bruise."},
        {"date": str((first + pd.Timedelta(days=late_days)).date()), **SC, "contact_type": "referral",
         "escalation": "referral_to_csc", "description": "Referral."},
        {"date": "2023-09-01", **HV, "contact_type": "home_visit", "concerns": "neglect", "description": "Poor."},
    ]
    config = CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2022, 12, 1),
                        date_of_death=dt.date(2023, 9, 20))
    table = response_latency(make_timeline(rows), rules=RULES, case=config)
    return plot_response_latency(table, max_days=MAX_DAYS)


@pytest.mark.parametrize("late_days", [3, 60])
def test_the_open_bar_labels_stand_clear_of_the_bars_end(late_days):
    fig = _chart(late_days)
    ax = fig.axes[0]
    with house_style():
        renderer = FigureCanvasAgg(fig).get_renderer()
        fig.draw(renderer)
        points = fig.dpi / 72
        labels = {t.get_text(): t for t in ax.texts}
        bars = {p.get_gid().split(":")[-1]: p for p in ax.patches if (p.get_gid() or "").startswith("latency:")}
        assert set(bars) >= {"died", "late"}
        # the died label also gives the lower bound: "... no escalation before (at least 19 days)"
        died = [t for text, t in labels.items() if text.startswith(f"child died within {MAX_DAYS} days, no escalation before")]
        assert len(died) == 1
        opened = [("died", died[0])]
        if "never" in bars:
            opened.append(("never", labels[f"no escalation within {MAX_DAYS} days"]))
        for status, label in opened:
            bar = bars[status].get_window_extent(renderer)
            text = label.get_window_extent(renderer)
            box = label.get_bbox_patch().get_window_extent(renderer)
            assert bar.x1 - text.x1 >= 11.5 * points  # the words 12 pt from the bar's end
            assert bar.x1 - box.x1 >= 8 * points  # and their white box clear of it too
            assert text.x0 > ax.get_window_extent(renderer).x0  # and inside the axes on the left
            assert bar.y0 < (text.y0 + text.y1) / 2 < bar.y1  # on the bar's row


def test_the_open_bar_labels_are_still_the_axes_texts_the_tests_read():
    texts = [t.get_text() for t in _chart(3).axes[0].texts]
    assert sum(t.startswith(f"child died within {MAX_DAYS} days, no escalation before (at least ") for t in texts) == 1
