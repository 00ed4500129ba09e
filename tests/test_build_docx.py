"""`review build` writes the integrated chronology as Word: every event of the sample case is in it,
with its provenance, and every flag is numbered in the flags table after it."""
from pathlib import Path

import docx
import pytest

from review.build import build_report
from review.pipeline import analyse, load_case

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "sample"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx") / "report"
    build_report(SAMPLE, out, progress=False)
    return docx.Document(out / "chronology.docx"), analyse(load_case(SAMPLE))


def test_every_event_is_a_row_with_its_provenance(built):
    document, analysis = built
    chronology = document.tables[0]
    rows = chronology.rows[1:]
    assert len(rows) == len(analysis.timeline)
    sources = [row.cells[4].text for row in rows]
    for event, source in zip(analysis.timeline.itertuples(index=False), sources):
        assert event.source_file in source
        assert f"row {event.source_row}" in source
        assert f"{event.date:%d/%m/%Y}" in "".join(c.text for c in chronology.rows[event.seq].cells[:2]) or event.date_precision != "day"


def test_every_flag_is_numbered_in_the_flags_table(built):
    document, analysis = built
    flags_table = document.tables[1]
    numbers = [row.cells[0].text.strip() for row in flags_table.rows[1:]]
    assert numbers == [str(n) for n in range(1, len(analysis.flags) + 1)]
