"""Thematic chart titles wrap to the figure width as the case charts' do (`review.charts._suptitle`): a
long one ran past both edges of the 8-9 inch figures and was clipped."""
from __future__ import annotations

import pandas as pd

from review.charts import alt_text, house_style
from review.thematic import plot_assurance, plot_flag_rates


def _inside(fig) -> bool:
    with house_style():
        fig.canvas.draw()
        box = fig._suptitle.get_window_extent()
    return box.x0 >= 0 and box.x1 <= fig.bbox.width


def test_a_long_flag_rate_title_wraps_inside_the_figure():
    rates = pd.DataFrame({"organisation": [f"Org {i:02d}" for i in range(40)], "flags": [1] * 30 + [0] * 10,
                          "cases": 1, "contacts": [50] * 35 + [5] * 5, "flags_per_100_contacts": 2.0})
    fig = plot_flag_rates(rates, "organisation")
    title = ("Flags per 100 contacts by organisation (top 25 of 30; 5 with fewer than 20 contacts not shown; "
             "5 with no flags not shown)")
    assert "\n" in fig._suptitle.get_text()
    assert " ".join(fig._suptitle.get_text().split()) == title
    assert _inside(fig)
    assert alt_text(fig).startswith(title)  # the text alternative is the title unwrapped


def test_a_long_assurance_title_wraps_inside_the_figure_and_a_short_one_stays_on_one_line():
    assurance = pd.DataFrame({"organisation": [f"Organisation number {i:02d}" for i in range(40)], "year": 2020,
                              "standard": "Information sharing", "declared_status": "compliant",
                              "flags": [1] * 35 + [0] * 5, "flags_per_100_contacts": 0.5, "disagreement": False,
                              "threshold_per_100": 1.0})
    fig = plot_assurance(assurance)
    assert "\n" in fig._suptitle.get_text()
    assert " ".join(fig._suptitle.get_text().split()) == (
        "Declared compliance against evidence of failings (30 of 35 with flags: disagreements first, then highest "
        "rate; 5 with no flags not shown)")
    assert _inside(fig)
    short = plot_assurance(assurance.head(5))
    assert short._suptitle.get_text() == "Declared compliance against evidence of failings"
