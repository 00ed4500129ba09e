"""Defects fixed in session 8 (exports): the HTML summary says each count once, decisions.yml is not
silently ignored, `review synth` is byte-reproducible, an unreachable Dask address fails fast, compact
merges a compacted store again, and a thematic folder treats the user's own files as a case report does.
"""
from __future__ import annotations

import re

from review import export
from review.timeline import health_summary

from test_build_helpers import synthetic_analysis, synthetic_config


def _summary_text(html: str) -> str:
    start = html.index('<section id="summary">')
    return re.sub(r"<[^>]+>", "\n", html[start:html.index("</section>", start)])


# ---------------------------------------------------------------------------------------------------
# 1. report.html gives the health count once
# ---------------------------------------------------------------------------------------------------
def test_the_html_summary_gives_the_health_count_once(tmp_path):
    analysis = synthetic_analysis(60)
    analysis.health_summary = health_summary(analysis.timeline)  # as review.pipeline.analyse sets it
    assert "health professionals" in analysis.health_summary
    text = _summary_text(export.write_html(tmp_path / "report.html", synthetic_config(), analysis)
                         .read_text(encoding="utf-8"))
    assert len(re.findall(r"contacts? with health professionals", text)) == 1, text
    health = analysis.timeline[analysis.timeline["agency_kind"] == "health"]
    assert f"{len(health)} contacts with health professionals across" in text
