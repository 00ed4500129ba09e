"""The HTML report's charts are inline SVG (no base64 data URI), rendered with their text as text and
their coordinates to 1/100 pt: a fraction of the size, byte for byte the same for the same figure, every
chart a well-formed <svg> element whose ids no other chart in the page shares."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from matplotlib.figure import Figure

from review import export

from test_build_helpers import synthetic_analysis, synthetic_config

XLINK = "{http://www.w3.org/1999/xlink}href"


def _chart(title: str, hatch: str = "....") -> Figure:
    """A chart with what makes matplotlib write ids: markers (<use> of a <defs> path), a clip path, a
    dotted hatch (a <pattern>), and its groups (figure_1, axes_1 ...)."""
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [1, 0.333333, 1], marker="o")
    if hatch:
        ax.bar([0.5], [0.5], hatch=hatch, fill=False)
    ax.set_title(title)
    return fig


@pytest.fixture(scope="module")
def analysis():
    return synthetic_analysis(30)


class _Page(HTMLParser):
    """Every element's id in the page, and the svg elements' attributes."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.svgs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "svg":
            self.svgs.append(attrs)

    handle_startendtag = handle_starttag


def test_the_html_copy_of_a_chart_is_byte_identical_and_keeps_its_text_as_text():
    first, second = export.figure_svg_for_html(_chart("Contacts by agency")), export.figure_svg_for_html(_chart("Contacts by agency"))
    assert first == second
    text = first.decode("utf-8")
    assert ">Contacts by agency</text>" in text  # not glyph outlines
    assert "<metadata>" not in text and "<dc:" not in text
    assert not re.search(r'\b(?:d|x|y)="[^"]*\d\.\d{3}', text)  # coordinates to 1/100 pt
    # text and lines (no hatching, whose dots are most of a chart's bytes either way): under half the
    # analyst's file (glyph outlines, six decimals)
    assert len(export.figure_svg_for_html(_chart("Contacts by agency", ""))) < len(export.figure_svg(_chart("Contacts by agency", ""))) / 2


def test_report_html_inlines_every_chart_as_well_formed_svg_with_ids_of_its_own(analysis, tmp_path):
    charts = [(f"Caption {i}", export.figure_svg_for_html(_chart("Same chart"), f"c{i}"), f"Alt {i}") for i in (1, 2)]
    path = export.write_html(tmp_path / "report.html", synthetic_config(), analysis, charts)
    page = path.read_text(encoding="utf-8")
    assert "base64," not in page and "<?xml" not in page and "<!DOCTYPE svg" not in page
    parser = _Page()
    parser.feed(page)
    assert [s.get("aria-label") for s in parser.svgs] == ["Alt 1", "Alt 2"]
    assert all(s.get("role") == "img" for s in parser.svgs)
    assert len(parser.ids) == len(set(parser.ids)), "an id shared by two elements of the page"
    chunks = re.findall(r"<svg .*?</svg>", page, re.DOTALL)
    assert len(chunks) == 2
    for i, chunk in enumerate(chunks, 1):
        root = ET.fromstring(chunk)  # well-formed XML
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        ids = {el.get("id") for el in root.iter() if el.get("id")}
        assert ids and all(x.startswith(f"chart{i}-") for x in ids)
        # every reference (markers, clip paths, hatch patterns) resolves within its own chart
        refs = {el.get(XLINK)[1:] for el in root.iter() if el.get(XLINK)}
        refs |= set(re.findall(r"url\(#([^)]+)\)", chunk))
        assert refs and refs <= ids
        assert root.find(".//{http://www.w3.org/2000/svg}pattern") is not None
        assert ">Same chart</text>" in chunk


def test_a_chart_label_with_markup_stays_text(analysis, tmp_path):
    svg = export.figure_svg_for_html(_chart("<script>alert(1)</script> & </svg>"))
    path = export.write_html(tmp_path / "report.html", synthetic_config(), analysis, [("c", svg, "a")])
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/svg&gt;</text>" in page
    ET.fromstring(re.search(r"<svg .*?</svg>", page, re.DOTALL).group(0))
