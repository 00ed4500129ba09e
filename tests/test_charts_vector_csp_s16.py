"""The density chart is vector shapes throughout (its colour bar a block per whole count, never a PNG
inside the SVG), so that the HTML report's Content-Security-Policy allows no image at all."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from review import charts, export

from test_build_helpers import synthetic_analysis, synthetic_config


def _timeline(counts: dict[str, int]) -> pd.DataFrame:
    """`counts[agency]` contacts for each agency, all in March 2024."""
    rows = []
    for agency, n in counts.items():
        for i in range(n):
            rows.append({"event_id": f"{agency}-{i}", "date": pd.Timestamp("2024-03-01") + pd.Timedelta(days=i % 28),
                         "agency": agency, "agency_kind": "health", "contact_type": "home_visit"})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("most", [3, 60, 300])
def test_the_density_chart_has_no_embedded_image_whatever_its_counts(most):
    fig = charts.plot_contact_density(_timeline({"GP": most, "Health visiting": 1}))
    for svg in (export.figure_svg(fig).decode("utf-8"), export.figure_svg_for_html(fig, "density").decode("utf-8")):
        assert "<image" not in svg and "base64" not in svg


def test_each_whole_count_has_its_own_colour_the_ramp_gave_it():
    cmap, norm = charts._count_scale(5)
    import seaborn as sns

    ramp = sns.light_palette(charts.OKABE_ITO["blue"], as_cmap=True)
    assert cmap.N == 5
    for k in range(1, 6):
        assert np.allclose(cmap(norm(k)), ramp(k / 5))  # as the continuous 0..5 scale coloured it before
    assert len({cmap(norm(k)) for k in range(1, 6)}) == 5


def test_many_counts_are_binned_into_at_most_forty_blocks_in_order():
    cmap, norm = charts._count_scale(300)
    assert cmap.N == 40
    colours = [cmap(norm(k)) for k in (1, 8, 100, 299, 300)]
    darkness = [sum(c[:3]) for c in colours]
    assert darkness == sorted(darkness, reverse=True)  # more contacts, darker
    assert cmap(norm(300)) != cmap(norm(1))


def test_the_colour_bar_ticks_are_whole_contacts():
    fig = charts.plot_contact_density(_timeline({"GP": 5, "Health visiting": 2}))
    cbar = fig.axes[1]
    ticks = [t for t in cbar.get_yticks() if cbar.get_ylim()[0] <= t <= cbar.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert max(ticks) == 5


def test_the_report_allows_no_image_source(tmp_path):
    analysis = synthetic_analysis(40)
    fig = charts.plot_contact_density(analysis.timeline)
    path = export.write_html(tmp_path / "report.html", synthetic_config(), analysis,
                             [("Density", export.figure_svg_for_html(fig, "density"), charts.alt_text(fig))])
    text = path.read_text(encoding="utf-8")
    [policy] = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)
    assert policy == "default-src 'none'; style-src 'unsafe-inline'"
    assert "img-src" not in policy and "data:" not in text
    assert "<image" not in text


@pytest.mark.parametrize("most", [1, 2, 300])
def test_the_colour_bar_of_few_or_many_counts_still_ticks_whole_contacts(most):
    fig = charts.plot_contact_density(_timeline({"GP": most}))
    cbar = fig.axes[1]
    low, high = cbar.get_ylim()
    ticks = [t for t in cbar.get_yticks() if low <= t <= high]
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert (low, high) == (0.5, most + 0.5)
