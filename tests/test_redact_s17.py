"""s17: redaction and the HTML report.

1. An unlisted name's possessive before a family member's word in ordinary text ("Zephyr's mum present") was left;
   only the line in capitals with a context word ("ZEPHYR'S MUM PRESENT") was read. Now "[name]'s mum present" in
   any text and any case; ordinary words keep the text ("Today's mum", "Monday's visit", "Doctor's", "Mum's").
2. An organisation named after the family's listed street ("Mill Lane Surgery" with "7 Mill Lane" listed) was
   shown as written, which places the family's home; a school named so was already its kind ("[primary school]").
   Now any organisation so named is its kind ("[surgery]", "[medical practice]"), in text and as an agency.
3. The swimlane's text alternative gave a season's contact as the season's first day ("from 01 Mar 2023"), and a
   deadline counted from a season-precision trigger was shown to the year ("c. 2022"): now "from Spring 2023" and
   "c. Spring 2022", as the tables show a season.
4. `write_html` inlines charts under a Content-Security-Policy with no data: images: a chart holding an <image> (an
   imshow) would have shown blank without a word. Now the report is refused, naming the chart.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from review import export
from review.charts import plot_swimlane
from review.config import CaseConfig
from review.redact import Redactor
from review.rules.testing import make_timeline


def _redactor(addresses=("7 Mill Lane",)) -> Redactor:
    case = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2016, 5, 22), child_name="Alfie Brook",
                      people={"Kerry Brook": "Mother", "Dean Brook": "Father"}, addresses=list(addresses))
    return Redactor.from_case(case)


# -- 1. a name's possessive before a family member's word -------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Zephyr's mum present", "[name]'s mum present"),  # before: left as written
    ("Zephyr's Mum present", "[name]'s Mum present"),
    ("Zephyr\u2019s MUM present", "[name]\u2019s MUM present"),
    ("ZEPHYR'S MUM", "[name]'S MUM"),  # in capitals without a context word after it (before: left)
    ("ZEPHYR'S MUM PRESENT", "[name]'S MUM PRESENT"),  # as s16
    ("Mum said ZEPHYR'S MUM PRESENT", "Mum said [name]'S MUM PRESENT"),  # (s16 left it in ordinary text)
    ("Seen at home with Zephyr's dad and Mother", "Seen at home with [name]'s dad and Mother"),
    ("Zephyr Holt's partner attended", "[name]'s partner attended"),  # the first name goes with the surname
    ("Saw Holt's dad at the door", "Saw [name]'s dad at the door"),  # a word that is no name stays outside
    ("Zephyr's mum's partner was there", "[name]'s mum's partner was there"),
    ("Zephyr's ex-partner and Zephyr's step-dad", "[name]'s ex-partner and [name]'s step-dad"),
    ("James' dad rang", "[name]' dad rang"),
    ("Alfie's mum present", "Child A's mum present"),  # a listed name: its pseudonym, as before
    ("Kerry's partner present", "Mother's partner present"),
])
def test_an_unlisted_names_possessive_before_a_family_member_is_hidden_in_any_text(text, expected):
    assert _redactor().text(text) == expected


@pytest.mark.parametrize("text", [
    "Today's mum and baby group", "Monday's visit", "Doctor's", "Doctor's mum", "Mum's partner present",
    "Mum's", "Mother's partner present", "It's mum who calls", "That's mum's house", "Everyone's mum came",
    "Child's mum", "Patient's mum", "Baby's dad", "GP's mum", "Tonight's partner", "Yesterday's mum",
    "Christmas's", "Where's mum?", "Sunday's child", "Children's Centre", "Zephyr's mumble",
    "Couple's son", "Lady's husband", "Newborn's mum", "Youngster's mum", "England's child", "Trust's partner",
    "zephyr's mum present",  # a name not capitalised cannot be told from a word
])
def test_ordinary_words_before_a_family_member_are_left(text):
    assert _redactor().text(text) == text


def test_a_word_of_an_agencys_name_before_a_family_member_is_left():
    from types import SimpleNamespace

    case = CaseConfig(case_dir=Path("."), case_id="c1", date_of_birth=dt.date(2016, 5, 22), child_name="Alfie Brook",
                      files=[SimpleNamespace(agency="Eastborough Police")])
    redactor = Redactor.from_case(case)
    assert redactor.text("Eastborough's children and Zephyr's mum") == "Eastborough's children and [name]'s mum"


# -- 2. an organisation named after the family's street -----------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Seen at Mill Lane Surgery", "Seen at [surgery]"),  # before: "Seen at Mill Lane Surgery"
    ("Mill Lane Medical Practice phoned Mum", "[medical practice] phoned Mum"),
    ("MILL LANE SURGERY", "[surgery]"),
    ("Referred to Mill Lane Health Centre", "Referred to [health centre]"),
    ("registered with Mill Lane GP", "registered with [GP practice]"),
    ("Mill Lane Pharmacy and Mill Lane", "[pharmacy] and [address]"),
    ("Mill Lane Police Station", "[police station]"),
    # a school was already its kind: the same rule, the same outcome
    ("attends Mill Lane Primary", "attends [primary school]"),
    ("Mill Lane Children's Centre", "[children's centre]"),
    # the street is still the address where it is one
    ("lives at Mill Lane Surgery", "lives at [address] Surgery"),
    ("at 7 Mill Lane Medical Practice", "at [address] Medical Practice"),
    ("Seen at Mill Lane surgery", "Seen at [address] surgery"),
    # another street's organisation places no one's home: left, as an agency's name is
    ("Park Road Surgery", "Park Road Surgery"),
])
def test_an_organisation_named_after_the_familys_street_is_its_kind_as_a_school_is(text, expected):
    assert _redactor().text(text) == expected


def test_an_agency_named_after_the_familys_street_is_its_kind_as_a_school_agency_is():
    frame = pd.DataFrame({"agency": ["Mill Lane Surgery", "Little Acorns Children's Centre", "Eastborough Police"],
                          "description": ["Seen at Mill Lane Surgery", "Group session", "Visit to Mill Lane"]})
    out = _redactor().frame(frame)
    assert out["agency"].tolist() == ["[surgery]", "[children's centre]", "Eastborough Police"]
    assert out["description"].tolist() == ["Seen at [surgery]", "Group session", "Visit to [address]"]
    assert _redactor(addresses=()).text("Seen at Mill Lane Surgery") == "Seen at Mill Lane Surgery"


# -- 3. a season in the swimlane's description and in a deadline ----------------------------------------
CONFIG = CaseConfig(case_dir=Path("."), case_id="C1", date_of_birth=dt.date(2022, 11, 1))


def _season_timeline():
    health = {"agency": "Health Visiting", "agency_kind": "health"}
    rows = [
        {"date": "2023-03-01", "date_precision": "season", "date_text": "Spring 2023", "description": "Visit", **health},
        {"date": "2023-04-12", "description": "Visit", **health},
        {"date": "2023-06-01", "date_precision": "season", "date_text": "Summer 2023", "description": "Visit",
         **health},
    ]
    return make_timeline(rows, dob="2022-11-01")


@pytest.mark.parametrize("resolution", ["day", "month"])
def test_the_swimlane_description_gives_a_season_as_the_season(resolution):
    fig = plot_swimlane(_season_timeline(), None, None, CONFIG, date_resolution=resolution)
    # before: "from 01 Mar 2023 to 01 Jun 2023" (the named view), "from Mar 2023 to Jun 2023" (anonymised)
    assert "from Spring 2023 to Summer 2023;" in fig.review_alt_text


def test_the_swimlane_description_gives_a_year_and_a_day_to_their_precision():
    health = {"agency": "Health Visiting", "agency_kind": "health"}
    timeline = make_timeline([
        {"date": "2023-01-01", "date_precision": "year", "date_text": "2023", "description": "Visit", **health},
        {"date": "2023-05-14", "description": "Visit", **health},
    ], dob="2022-11-01")
    assert "from 2023 to 14 May 2023;" in plot_swimlane(timeline, None, None, CONFIG).review_alt_text
    assert "from 2023 to May 2023;" in plot_swimlane(timeline, None, None, CONFIG,
                                                     date_resolution="month").review_alt_text


def test_a_deadline_counted_from_a_season_is_shown_to_the_season():
    assert export.deadline_precisions(["season", "month", "year", "day"]) == [
        "approximate season", "approximate month", "approximate year", None]  # before: "approximate year"
    for months in (False, True):
        assert export._event_date(dt.datetime(2021, 3, 8), "approximate season", months) == "c. Spring 2021"
        assert export._event_date(dt.datetime(2021, 1, 10), "approximate season", months) == "c. Winter 2020/21"
        assert export._event_date(dt.datetime(2020, 12, 30), "approximate season", months) == "c. Winter 2020/21"
        # a deadline from a year-precision trigger: the year in the anonymised view too (before: "Mar 2021")
        assert export._event_date(dt.datetime(2021, 3, 8), "approximate year", months) == "c. 2021"
    assert export.precision_format("approximate season", value=dt.datetime(2021, 1, 10)) == '"c. Winter 2020/21"'
    assert export.precision_format("approximate season", True, value=dt.datetime(2021, 8, 31)) == '"c. Summer 2021"'


def test_the_report_and_the_workbook_show_a_season_triggers_deadline_to_the_season(tmp_path):
    from review.pipeline import analyse, load_case

    folder = tmp_path / "oak"
    folder.mkdir()
    (folder / "hv.csv").write_text(
        "Date,Type,Details,Action\n02/02/2022,Home visit,NBV day 12. Baby seen.,Routine\n"
        "Spring 2022,Home visit,Baby seen in her cot. Bruise to left ear noted,Weekly visits\n"
        "10/06/2022,Home visit,Baby seen,Weekly visits\n", encoding="utf-8")
    (folder / "case.yml").write_text("case_id: oak\ndate_of_birth: 2021-11-21\nfiles:\n"
                                     "  - {path: hv.csv, agency: Hollybank Health Visiting}\n", encoding="utf-8")
    case = load_case(folder)
    analysis = analyse(case)
    timeline = analysis.timeline
    season = timeline.loc[timeline["date_precision"] == "season", "event_id"].iloc[0]
    # a flag on the season's contact with a deadline a week on (as assessment_wait's request anchored on the season
    # gives one): the rules raise none on this small case, so it is made here
    flag = {column: None for column in analysis.flags.columns} | {
        "flag_id": "nonmobile_injury-000000000001", "rule_id": "nonmobile_injury", "severity": "high",
        "trigger_event_id": season, "trigger_date": pd.Timestamp("2022-03-01"), "evidence_event_ids": season,
        "expected_action": "referral to children's social care", "expected_by": pd.Timestamp("2022-03-08"),
        "agencies": "Hollybank Health Visiting", "explanation": "Bruise to a non-mobile baby", "source": "rule",
        "case_id": "oak"}
    analysis.flags = pd.DataFrame([flag]).astype({"trigger_date": "datetime64[ns]", "expected_by": "datetime64[ns]"})
    page = export.write_html(tmp_path / "report.html", case, analysis).read_text(encoding="utf-8")
    assert "c. Spring 2022" in page and "c. 2022<" not in page  # before: "c. 2022"
    import openpyxl

    book = export.write_workbook(tmp_path / "case.xlsx", analysis, case)
    sheet = openpyxl.load_workbook(book)["Flags"]
    formats = {cell.number_format for row in sheet.iter_rows() for cell in row}
    assert '"c. Spring 2022"' in formats and '"c. "yyyy' not in formats
    import docx

    from review.export_docx import write_chronology_docx

    for names in (True, False):
        path = write_chronology_docx(timeline, analysis.flags, tmp_path / f"chronology_{names}.docx", case.config, names)
        text = "\n".join(cell.text for table in docx.Document(path).tables for row in table.rows for cell in row.cells)
        assert "by c. Spring 2022" in text and "08/03/2022" not in text  # before: "by 08/03/2022", "by Mar 2022"


# -- 4. an <image> in a chart the report inlines --------------------------------------------------------
def _imshow_svg() -> bytes:
    fig = Figure(figsize=(2, 2))
    fig.add_subplot().imshow(np.arange(16).reshape(4, 4))
    return export.figure_svg_for_html(fig, "heat")


def _vector_svg() -> bytes:
    fig = Figure(figsize=(2, 2))
    fig.add_subplot().plot([0, 1], [1, 0])
    return export.figure_svg_for_html(fig, "line")


def test_a_chart_with_an_image_is_refused_naming_it_and_nothing_is_written(tmp_path):
    svg = _imshow_svg()
    assert b"<image" in svg  # what matplotlib writes for an imshow: a data: URI the policy blocks
    charts = [("Contacts by agency", _vector_svg(), "a line"), ("Contact density", svg, "a heatmap")]
    with pytest.raises(ValueError, match=r"chart 2 \('Contact density'\).*<image>.*Content-Security-Policy"):
        export.check_inline_charts(charts)
    from review.pipeline import analyse, load_case

    case = load_case(Path("data/cases/sample"))
    analysis = analyse(case)
    path = tmp_path / "report.html"
    with pytest.raises(ValueError, match="Contact density"):
        export.write_html(path, case, analysis, charts)
    assert not path.exists()
    export.check_inline_charts(charts[:1])  # vector shapes only: accepted


# -- 5. the PDF's dotted hatch as a small tile, as the SVG's ---------------------------------------------
def _hatched(hatch: str) -> Figure:
    from review.charts import house_style

    with house_style():
        fig = Figure(figsize=(4, 2))
        fig.add_subplot().axvspan(0.2, 0.6, facecolor="#56B4E9", hatch=hatch, edgecolor="#555555", linewidth=0)
    return fig


def _patterns(pdf: bytes) -> list[tuple[bytes, bytes]]:
    import re
    import zlib

    return [(m.group(1), zlib.decompress(m.group(2)))
            for m in re.finditer(rb"/Type /Pattern.*?/BBox \[ ([^\]]*) \].*?stream\n(.*?)endstream", pdf, re.DOTALL)]


def test_the_pdfs_dotted_hatch_is_a_small_tile_of_the_same_dots(tmp_path):
    import io

    from review.charts import house_style

    fig = _hatched("...")
    path = export.save_figure(fig, "dots", tmp_path, "pdf")[0]
    [(bbox, stream)] = _patterns(path.read_bytes())
    # "..." is 18 rows of dots 4 pt apart: one step wide, two high (before: the 72 pt tile of 352 dots)
    assert bbox.split() == [b"0", b"0", b"4", b"8"]
    assert stream.count(b" m\n") == 5
    buffer = io.BytesIO()
    with house_style():
        fig.savefig(buffer, format="pdf", metadata={"CreationDate": None, "ModDate": None})
    assert _patterns(buffer.getvalue())[0][1].count(b" m\n") == 19 * 10 + 9 * 18  # matplotlib's own tile
    assert path.stat().st_size < len(buffer.getvalue()) / 3
    again = export.save_figure(_hatched("..."), "again", tmp_path, "pdf")[0]
    assert again.read_bytes() == path.read_bytes()  # byte-deterministic


@pytest.mark.parametrize("hatch", ["////", "xx", "/."])
def test_other_pdf_hatches_are_written_as_matplotlib_writes_them(tmp_path, hatch):
    import io

    from review.charts import house_style

    fig = _hatched(hatch)
    ours = _patterns(export.save_figure(fig, "h", tmp_path, "pdf")[0].read_bytes())
    buffer = io.BytesIO()
    with house_style():
        fig.savefig(buffer, format="pdf", metadata={"CreationDate": None, "ModDate": None, "Creator": "review"})
    assert ours == _patterns(buffer.getvalue())
    assert ours[0][0].split() == [b"0", b"0", b"72", b"72"]
