"""Privacy: `review build --redact` leaves no name and no date of birth in any output; real case data
stays out of git.

A case whose chronologies name the child and the people of case.yml in many ways (full names, first
names, surnames, "Surname, First", possessives, in descriptions, practitioner and outcome columns, a
sheet name and a rejected row) and write the child's date of birth in many formats. The redacted build
is searched file by file: text files as they are, xlsx and docx through every XML part, SVG chart
labels, the SVGs embedded in the HTML, and the text drawn in the PDFs. (PNG pixels cannot be searched:
they are drawn from the same labels as the SVG and PDF.)
"""
from __future__ import annotations

import re
import subprocess
import zipfile
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
import yaml

import review.build as build_module
from review.build import build_report
from review.export import save_figure

NAMES = ["Kerry", "Brook", "Dean", "Marsh", "Alfie"]
DOB_FORMATS = ["14/02/2023", "14/2/2023", "14/02/23", "14.02.2023", "2023-02-14", "14 February 2023", "14 Feb 2023",
               "14th February 2023", "February 14, 2023", "14-Feb-2023", "14-Feb-23"]
ROOT = Path(__file__).resolve().parents[1]


def write_named_case(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yml").write_text(yaml.safe_dump({
        "case_id": "R1", "date_of_birth": "2023-02-14", "mobile_from": "2023-10-20", "review_date": "2024-03-31",
        "child_name": "Alfie Brook", "people": {"Kerry Brook": "Mother", "Dean Marsh": "Mother's partner"},
        "files": [{"path": "hv.xlsx", "agency": "Health Visiting"}],
    }), encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Dean Marsh visits"  # a sheet named after a person: source_sheet in every output
    ws.append(["Date", "Practitioner", "Type of contact", "Details of contact", "Outcome"])
    rows = [
        ["01/03/2023", "HV Jones", "Home visit", "Kerry Brook seen with Alfie (DOB 14/02/2023). Alfie's weight fine.", "Seen"],
        ["15/04/2023", "Dr Patel", "A&E attendance",
         "Bruising to Alfie's face; Dean Marsh present. Brook, Kerry says born 14 February 2023, dob 14.02.2023",
         "Discussed with Ms Brook and Mr Marsh"],
        ["20/05/2023", "GP", "Clinic", "Mother (K. Brook) said Dean hit him. Birth date 2023-02-14 checked",
         "Alfie Brook referred; d.o.b. 14/2/2023"],
        ["05/06/2023", "SW", "Referral",
         "Referral about bruising to ALFIE; KERRY BROOK informed; decision: no further action (dob 14/02/23)",
         "Dean's partner Kerry told, February 14, 2023 noted; 14 Feb 2023 and 14-Feb-23 in the notes"],
        ["Kerry's birthday", "HV", "Home visit", "Undated note about Dean Marsh", ""],  # rejected: names in the reason
        ["01/07/2023", "HV", "Home visit", "Seen at home with Dean, 14-Feb-2023 on the red book, 14th February 2023",
         "Alfie seen"],
    ]
    for row in rows:
        ws.append(row)
    wb.save(folder / "hv.xlsx")
    return folder


def _pdf_string(raw: bytes) -> str:
    """A PDF string literal's text: escapes undone, and the two-byte codes matplotlib writes for its
    Type 42 fonts ("\\x00A\\x00B") read as UTF-16 (read as Latin-1 they never match a name)."""
    raw = re.sub(rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit() else
                 {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(m.group(1), m.group(1)), raw, flags=re.S)
    if len(raw) % 2 == 0 and raw and all(b == 0 for b in raw[::2]):
        return raw.decode("utf-16-be", "replace")
    return raw.decode("latin-1")


def _pdf_text(data: bytes) -> str:
    import zlib

    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for array in re.findall(rb"\[(.*?)\]\s*TJ", content, re.S):
            out.append("".join(_pdf_string(s) for s in re.findall(rb"\(((?:\\.|[^\\)])*)\)", array, re.S)))
        out += [_pdf_string(s) for s in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S)]
    return "\n".join(out)


def output_texts(folder: Path) -> dict[str, str]:
    """Every output as searchable text: zip formats by part, PDFs by drawn text, HTML plus its SVGs."""
    texts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    texts[f"{rel}!{name}"] = zf.read(name).decode("utf-8", "replace")
        elif path.suffix == ".pdf":
            texts[rel] = _pdf_text(data)
        elif path.suffix == ".png":
            continue
        else:
            text = data.decode("utf-8-sig", "replace")
            texts[rel] = text
            for i, svg in enumerate(re.findall(r"<svg .*?</svg>", text, re.DOTALL)):  # inline charts
                texts[f"{rel}!svg{i}"] = svg
    return texts


def leaks(text: str) -> list[str]:
    found = [n for n in NAMES if re.search(rf"(?<![A-Za-z]){n}(?![a-z])", text, re.IGNORECASE)]
    found += [d for d in DOB_FORMATS if re.search(rf"(?<![\w/.\-]){re.escape(d)}(?![\w/]|[.\-]\d)", text, re.IGNORECASE)]
    return found


@contextmanager
def svg_and_pdf_charts(unset_epoch: bool = True):
    """Builds inside write their charts as SVG and PDF only: those carry the chart text (the 300 dpi PNGs
    are drawn from the same labels); with `unset_epoch`, SOURCE_DATE_EPOCH unset, as in a user's build."""
    with pytest.MonkeyPatch.context() as mp:
        if unset_epoch:
            mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        mp.setattr(build_module, "save_figure", lambda fig, stem, d: save_figure(fig, stem, d, ("svg", "pdf")))
        yield


@pytest.fixture(scope="module")
def redacted(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy")
    case_dir = write_named_case(root / "Alfie_Marsh")  # folders are often named after the child
    out = root / "report"
    with svg_and_pdf_charts(unset_epoch=False):
        manifest = build_report(case_dir, out, redact=True, progress=False)
    return case_dir, out, manifest


def test_the_search_finds_what_it_looks_for(redacted):
    """The inputs hold every name and every date-of-birth format: a clean result below means something."""
    case_dir = redacted[0]
    inputs = output_texts(case_dir)
    found = set().union(*(leaks(t) for t in inputs.values()))
    assert set(NAMES) <= found and set(DOB_FORMATS) <= found, set(NAMES + DOB_FORMATS) - found


def test_no_output_holds_a_name_or_the_date_of_birth(redacted):
    _, out, manifest = redacted
    texts = output_texts(out)
    kinds = {Path(name.split("!")[0]).suffix for name in texts}
    assert {".xlsx", ".docx", ".csv", ".html", ".svg", ".pdf", ".json"} <= kinds, kinds
    found = {name: leaks(text) for name, text in texts.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_pseudonyms_are_used_and_rows_are_not_dropped(redacted):
    _, out, manifest = redacted
    chronology = (out / "chronology.csv").read_text(encoding="utf-8-sig")
    assert "Mother" in chronology and "Child A" in chronology and "[date of birth]" in chronology
    assert manifest["counts"]["contacts"] == 5
    assert manifest["options"]["redact"] is True and manifest["view"]["view"] == "anonymised"
    workbook = openpyxl.load_workbook(out / "chronology.xlsx")
    quality = "\n".join(str(c.value) for row in workbook["Data quality"].iter_rows() for c in row if c.value)
    assert "Mother's birthday" in quality  # the rejected row's reason quotes the cell, redacted


def test_the_manifest_records_no_case_path_and_verify_asks_for_it(redacted):
    from review.build import verify_report
    from review.errors import VerifyError

    case_dir, out, manifest = redacted
    assert manifest["case_dir"] is None
    assert "Alfie_Marsh" not in (out / "manifest.json").read_text(encoding="utf-8")
    with pytest.raises(VerifyError, match="--case"):
        verify_report(out)


def test_svg_chart_labels_carry_no_names(redacted):
    for path in (redacted[1] / "figures").glob("*.svg"):
        text = path.read_text(encoding="utf-8")
        labels = " ".join(re.findall(r"<!-- (.*?) -->", text)) + " " + " ".join(re.findall(r">([^<>]+)</text>", text))
        assert leaks(labels) == [] and leaks(text) == [], path.name


# ---------------------------------------------------------------------------------------------------
# git: only the synthetic cases are ever committed under data/
# ---------------------------------------------------------------------------------------------------
def _ignored(path: str) -> bool:
    result = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT, capture_output=True)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode == 0


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
@pytest.mark.parametrize("path", ["data/cases/real_case/x.xlsx", "data/x.csv", "data/cases/real_case/case.yml",
                                  "data/real/nested/deep.xlsx", "reports/real_case/chronology.xlsx",
                                  "data/cases/sample2/case.yml"])
def test_real_case_data_is_ignored(path):
    assert _ignored(path), path


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
@pytest.mark.parametrize("path", ["data/cases/sample/case.yml", "data/cases/sample/gp.xlsx", "data/README.md",
                                  "data/cases/README.md"])
def test_the_synthetic_sample_is_not_ignored(path):
    assert not _ignored(path), path
