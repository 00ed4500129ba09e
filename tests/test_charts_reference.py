"""Reference images: the four charts of a deterministic synthetic case and of the sample case, compared
with a tolerance (matplotlib.testing.compare.compare_images).

The images are small (40 dpi PNG). After an intended change to a chart (or to the sample case, or the
rules that shape it), regenerate them and look at them before committing:

    REVIEW_REGENERATE_REFERENCE=1 pytest tests/test_charts_reference.py
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from matplotlib.testing.compare import compare_images

from review import charts
from review.export import save_figure

from test_build_helpers import synthetic_analysis, synthetic_config

REFERENCE_DIR = Path(__file__).parent / "reference_images"
SAMPLE_CASE = Path(__file__).parents[1] / "data" / "cases" / "sample"
DPI = 40
TOLERANCE = 3.0  # RMS over 0-255 per pixel: fonts/antialiasing may differ a little between machines
REGENERATE = bool(os.environ.get("REVIEW_REGENERATE_REFERENCE"))


def _figures(analysis, case) -> dict:
    return {
        "swimlane": charts.plot_swimlane(analysis.timeline, analysis.flags, analysis.periods, case),
        "response_latency": charts.plot_response_latency(analysis.response_latency),
        "agency_knowledge": charts.plot_agency_knowledge(analysis.knowledge),
        "contact_density": charts.plot_contact_density(analysis.timeline),
    }


@pytest.fixture(scope="module")
def synthetic_figures():
    return _figures(synthetic_analysis(100), synthetic_config())


@pytest.fixture(scope="module")
def sample_figures():
    pipeline = pytest.importorskip("review.pipeline")
    if not (SAMPLE_CASE / "case.yml").is_file():
        pytest.skip("no sample case")
    case = pipeline.load_case(SAMPLE_CASE)
    return _figures(pipeline.analyse(case), case.config)


def _check(fig, name: str, tmp_path: Path) -> None:
    actual = save_figure(fig, name, tmp_path, formats=("png",), dpi=DPI)[0]
    expected = REFERENCE_DIR / f"{name}.png"
    if REGENERATE:
        REFERENCE_DIR.mkdir(exist_ok=True)
        shutil.copyfile(actual, expected)
        return
    if not expected.is_file():
        pytest.fail(f"no reference image {expected.name}: run REVIEW_REGENERATE_REFERENCE=1 pytest {Path(__file__).name}")
    problem = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert problem is None, problem


@pytest.mark.parametrize("chart", ["swimlane", "response_latency", "agency_knowledge", "contact_density"])
def test_synthetic_case_chart_matches_reference(synthetic_figures, chart, tmp_path):
    _check(synthetic_figures[chart], f"synthetic_{chart}", tmp_path)


@pytest.mark.parametrize("chart", ["swimlane", "response_latency", "agency_knowledge", "contact_density"])
def test_sample_case_chart_matches_reference(sample_figures, chart, tmp_path):
    _check(sample_figures[chart], f"sample_{chart}", tmp_path)
