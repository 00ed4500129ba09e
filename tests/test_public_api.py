"""The public API named in docs/design.md is importable from the package root."""
import review


def test_every_public_name_resolves():
    for name in review.__all__:
        assert getattr(review, name) is not None, name


def test_the_pipeline_runs_through_the_root_api():
    from pathlib import Path

    case = review.load_case(Path(__file__).resolve().parents[1] / "data" / "cases" / "sample")
    analysis = review.analyse(case)
    assert len(analysis.timeline) == len(case.contacts) == case.report.rows_accepted
    fig = review.plot_contact_density(analysis.timeline)
    assert fig.axes
