"""Two builds of the sample case in two processes (another hash seed, another time zone, the case copied
to another folder) write the same bytes: workbook, Word chronology, report.html (its inline charts),
CSVs and figures; the manifest differs only in where the case folder was (`case_dir`, which `review
verify` re-runs from)."""
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
    first, second = tmp_path / "one" / "sample", tmp_path / "two" / "elsewhere" / "sample"
    for case_dir in (first, second):
        shutil.copytree(SAMPLE, case_dir)
    _build(first, tmp_path / "a", "1", "UTC")
    _build(second, tmp_path / "b", "2", "America/New_York")
    files = sorted(p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b").as_posix() for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert {"chronology.xlsx", "chronology.docx", "report.html", "manifest.json"} <= set(files)
    differ = [f for f in files if (tmp_path / "a" / f).read_bytes() != (tmp_path / "b" / f).read_bytes()]
    assert differ == ["manifest.json"]
    manifests = [json.loads((tmp_path / out / "manifest.json").read_text(encoding="utf-8")) for out in ("a", "b")]
    assert [m.pop("case_dir") for m in manifests] == [first.resolve().as_posix(), second.resolve().as_posix()]
    assert manifests[0] == manifests[1]
