"""report.html's Input files table lists the input files (it had shown the flags' trigger sources), and the
period under review is given to the precision of its first contact ("2019", not 01/01/2019)."""
from __future__ import annotations

import json
import re
import zipfile

import pytest

from review import build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("qa14")
    case = root / "case"
    case.mkdir()
    (case / "case.yml").write_text(
        "case_id: Q14\nchild_name: Ellie Test\ndate_of_birth: '2019-01-10'\nreview_date: '2020-06-30'\n"
        "files:\n- path: gp.csv\n  agency: Larkfield Medical Practice\n", encoding="utf-8")
    (case / "gp.csv").write_text(
        "Date,Details,Action\n"
        "Spring 2019,Mother reports baby unsettled,Advice given\n"
        "03/06/2019,Bruise to left cheek noted in a 5 month old baby,Mother says fell; no referral made\n"
        "03/02/2020,Routine review,Seen\n", encoding="utf-8")
    build.build_report(case, root / "out", progress=False)
    return root / "out"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_input_files_table_lists_every_input_with_its_hash(built):
    html = (built / "report.html").read_text(encoding="utf-8")
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    section = html[html.index("<h3>Input files"):]
    section = section[:section.index("</table>")]
    for name, entry in manifest["inputs"].items():
        assert name in section and entry["sha256"] in section
    assert "trigger_source_file" not in section


def test_the_period_starts_at_the_first_contacts_precision(built):
    text = _text((built / "report.html").read_text(encoding="utf-8"))
    # s15: "Spring 2019" is a season (March to May), no longer the whole year
    assert "Period under review: Spring 2019 to 30/06/2020." in text
    assert "between Spring 2019 and 03/02/2020" in text
    assert "01/01/2019" not in text and "01/03/2019" not in text
    with zipfile.ZipFile(built / "chronology.docx") as z:
        doc = _text(z.read("word/document.xml").decode("utf-8"))
    assert "Spring 2019 to 30/06/2020" in doc and "01/01/2019" not in doc and "01/03/2019" not in doc
