"""review: inspection review analytics for child safeguarding reviews.

The pipeline, one module per step (see docs/design.md):

    ingest -> contacts -> timeline -> rules -> flags (+ decisions) -> charts / export

The public API is re-exported here and imported on first use, so `import review` stays fast::

    import review
    case = review.load_case("data/cases/sample")
    analysis = review.analyse(case)
    fig = review.plot_swimlane(analysis.timeline, analysis.flags, analysis.periods, case.config)
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "load_case": "review.pipeline",
    "analyse": "review.pipeline",
    "Case": "review.pipeline",
    "Analysis": "review.pipeline",
    "load_case_config": "review.config",
    "load_contacts": "review.ingest",
    "IngestReport": "review.ingest",
    "build_timeline": "review.timeline",
    "periods": "review.timeline",
    "agency_summary": "review.timeline",
    "load_rules": "review.rules",
    "detect": "review.rules",
    "response_latency": "review.rules",
    "agency_knowledge": "review.rules",
    "load_decisions": "review.decisions",
    "record_decision": "review.decisions",
    "apply_decisions": "review.decisions",
    "plot_swimlane": "review.charts",
    "plot_response_latency": "review.charts",
    "plot_agency_knowledge": "review.charts",
    "plot_contact_density": "review.charts",
    "build_report": "review.build",
    "verify_report": "review.build",
    "write_workbook": "review.export",
    "write_chronology_docx": "review.export_docx",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'review' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
