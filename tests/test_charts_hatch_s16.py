"""Dotted hatching written as a small SVG tile (`review.export.compact_hatches`): the same dots in the same
places as matplotlib's 72 pt tile, a few hundred bytes instead of ~180 kB a chart, in the report's inline
SVG and in the chart's SVG file; line hatches and anything else left as matplotlib wrote them."""
from __future__ import annotations

import re

import pytest
from matplotlib.figure import Figure

from review.charts import house_style
from review.export import compact_hatches, figure_svg, figure_svg_for_html, save_figure

PATTERN = re.compile(r'<pattern id="([^"]+)"[^>]*width="([^"]+)" height="([^"]+)">(.*?)</pattern>', re.DOTALL)


def _figure(hatch: str) -> Figure:
    with house_style():
        fig = Figure(figsize=(4, 2))
        ax = fig.add_subplot()
        ax.axvspan(0.2, 0.6, facecolor="#56B4E9", hatch=hatch, edgecolor="#555555", linewidth=0)
    return fig


def _raw_svg(fig: Figure) -> str:
    import io

    buffer = io.BytesIO()
    with house_style():
        fig.savefig(buffer, format="svg")
    return buffer.getvalue().decode("utf-8")


def _bezier_dots(d: str) -> set[tuple[float, float]]:
    """The centres of matplotlib's circles (each a subpath of Bezier curves: the middle of its extremes)."""
    dots = set()
    for sub in [s for s in re.split(r"(?=M)", d) if s.strip()]:
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", sub)]
        xs, ys = numbers[0::2], numbers[1::2]
        dots.add((round((max(xs) + min(xs)) / 2, 2), round((max(ys) + min(ys)) / 2, 2)))
    return dots


def _arc_dots(d: str) -> set[tuple[float, float]]:
    """The centres of the compact tile's circles ("M x+r y A r r ...")."""
    return {(round(float(x) - float(r), 2), round(float(y), 2))
            for x, y, r in re.findall(r"M (-?[\d.]+) (-?[\d.]+) A ([\d.]+) ", d)}


def _tiled(dots, width: float, height: float, extent: float = 72.0) -> set[tuple[float, float]]:
    """The dots a pattern of `width` x `height` tiles paints in [0, extent]², each tile's dots moved to it."""
    out = set()
    nx, ny = int(round(extent / width)), int(round(extent / height))
    for i in range(-1, nx + 1):
        for j in range(-1, ny + 1):
            for x, y in dots:
                px, py = round(x + i * width, 2), round(y + j * height, 2)
                if 0 <= px <= extent and 0 <= py <= extent:
                    out.add((px, py))
    return out


@pytest.mark.parametrize("hatch", ["....", "...", "."])
def test_a_dotted_hatch_becomes_a_small_tile_with_the_same_dots(hatch):
    raw = _raw_svg(_figure(hatch))
    [(pid, width, height, body)] = PATTERN.findall(raw)
    assert (width, height) == ("72", "72")
    before = _bezier_dots(re.search(r' d="([^"]*)"', body).group(1))

    compact = compact_hatches(raw)
    [(pid_after, w, h, body_after)] = PATTERN.findall(compact)
    assert pid_after == pid  # the patches' fill="url(#...)" still find it
    step = 72 / (hatch.count(".") * 6)
    assert (float(w), float(h)) == pytest.approx((step, 2 * step))
    after = _arc_dots(re.search(r' d="([^"]*)"', body_after).group(1))
    assert len(after) == 5
    # tiled over the old tile's square, the small tile puts a dot exactly where each of the old ones was
    assert _tiled(after, float(w), float(h)) == _tiled(before, 72, 72)
    # the face colour and the dots' colour and line width are kept
    assert 'fill="#56b4e9"' in body_after
    assert re.search(r'style="([^"]*)"', body).group(1) == re.search(r'style="([^"]*)"', body_after).group(1)
    assert len(PATTERN.search(compact).group(0)) < 1_000 < len(PATTERN.search(raw).group(0))


@pytest.mark.parametrize("hatch", ["////", "xx", "\\\\", "/.", "oo"])
def test_other_hatches_are_left_as_matplotlib_wrote_them(hatch):
    raw = _raw_svg(_figure(hatch))
    assert compact_hatches(raw) == raw


def test_the_report_svg_and_the_svg_file_carry_the_small_tile_and_stay_deterministic(tmp_path):
    fig = _figure("....")
    html = figure_svg_for_html(fig, "period").decode("utf-8")
    assert re.search(r'<pattern [^>]*width="3" height="6">', html)
    assert len(html) < 20_000
    assert figure_svg_for_html(fig, "period") == figure_svg_for_html(fig, "period")
    assert figure_svg(fig) == figure_svg(fig)
    [first] = save_figure(fig, "period", tmp_path / "a", formats=("svg",))
    [second] = save_figure(fig, "period", tmp_path / "b", formats=("svg",))
    assert first.read_bytes() == second.read_bytes()
    assert re.search(r'<pattern [^>]*width="3" height="6">', first.read_text(encoding="utf-8"))
    assert first.stat().st_size < 30_000
