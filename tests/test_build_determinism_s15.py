"""Two builds of the sample case in two processes (another hash seed, another time zone, the case copied
to another folder) write the same bytes: workbook, Word chronology, report.html (its inline charts),
CSVs, figures and the manifest, which records the case folder relative to the report folder (`case_dir`,
which `review verify` re-runs from; before s16 an absolute path, the one byte difference)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).parents[1] / "data" / "cases" / "sample"
pytestmark = pytest.mark.skipif(not (SAMPLE / "case.yml").is_file(), reason="no sample case")


def _build(case_dir: Path, out: Path, seed: str, tz: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONHASHSEED=seed, TZ=tz, PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).parents[1] / "src"),
                                                                                  env.get("PYTHONPATH")])))
    subprocess.run([sys.executable, "-m", "review", "build", str(case_dir), "--out", str(out), "--no-progress"],
                   check=True, env=env, capture_output=True, timeout=900)


def test_two_processes_build_the_same_bytes(tmp_path):
    # the same project (case folder and report beside it) in two places, as on two machines
    first, second = tmp_path / "one" / "cases" / "sample", tmp_path / "two" / "elsewhere" / "cases" / "sample"
    for case_dir in (first, second):
        shutil.copytree(SAMPLE, case_dir)
    a, b = tmp_path / "one" / "reports" / "sample", tmp_path / "two" / "elsewhere" / "reports" / "sample"
    _build(first, a, "1", "UTC")
    _build(second, b, "2", "America/New_York")
    files = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert {"chronology.xlsx", "chronology.docx", "report.html", "manifest.json"} <= set(files)
    # every output, manifest.json included (s16: it records the case folder relative to the report's)
    differ = [f for f in files if (a / f).read_bytes() != (b / f).read_bytes()]
    assert differ == []
    manifests = [json.loads((out / "manifest.json").read_text(encoding="utf-8")) for out in (a, b)]
    assert [m["case_dir"] for m in manifests] == ["../../cases/sample"] * 2
    assert manifests[0] == manifests[1]
