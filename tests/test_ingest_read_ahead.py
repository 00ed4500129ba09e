"""The next file of a case is read on a thread while this one's rows are built (`_read_ahead`): the
results and the errors must be exactly those of the plain loop, in the same order."""
from __future__ import annotations

import threading
from pathlib import Path

import openpyxl
import pytest
import yaml

from review.config import load_case_config
from review.errors import ConfigError, IngestError
from review.ingest.load import _read_ahead, load_contacts

HEADER = ["Date", "Agency", "Details"]


def write_xlsx(path: Path, rows) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chronology"
    for row in [HEADER, *rows]:
        ws.append(row)
    wb.save(path)


def make_case(folder: Path, files: list) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = {"case_id": "RA1", "date_of_birth": "2020-01-01", "review_date": "2021-06-01",
              "files": [f if isinstance(f, dict) else {"path": f} for f in files]}
    (folder / "case.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder


def test_results_come_in_order_and_the_next_read_overlaps_the_callers_work():
    started = []
    second_started = threading.Event()

    def read(job):
        started.append(job)
        if job == 2:
            second_started.set()
        return job * 10

    seen = []
    for job, result in _read_ahead([1, 2, 3], read):
        if job == 1:
            # the caller is still on job 1 while job 2's read is under way on the thread
            assert second_started.wait(5)
        seen.append((job, result))
    assert seen == [(1, 10), (2, 20), (3, 30)]
    assert started == [1, 2, 3]


def test_no_jobs_reads_nothing():
    assert list(_read_ahead([], lambda job: pytest.fail("read"))) == []


def test_a_read_error_is_raised_at_its_files_turn():
    def read(job):
        if job == 2:
            raise IngestError("bad file", file="b.xlsx")
        return job

    got = []
    with pytest.raises(IngestError, match="bad file"):
        for job, result in _read_ahead([1, 2, 3], read):
            got.append(result)
    assert got == [1]


def test_the_next_jobs_config_error_waits_for_this_files_tables():
    def jobs():
        yield 1
        raise ConfigError("path outside the case folder")

    got = []
    with pytest.raises(ConfigError):
        for job, result in _read_ahead(jobs(), lambda job: job):
            got.append(result)
    assert got == [1]


def test_the_callers_error_stops_the_reading(tmp_path):
    reads = []

    def read(job):
        reads.append(job)
        return job

    with pytest.raises(RuntimeError):
        for job, _ in _read_ahead(range(100), read):
            raise RuntimeError("caller failed")
    assert len(reads) <= 2  # this file and at most the one read ahead


def test_an_unreadable_first_file_is_reported_before_a_later_bad_profile(tmp_path):
    # the plain loop met the unreadable file first; reading ahead must not raise the later
    # file's ConfigError instead
    case_dir = make_case(tmp_path / "case", ["a.xlsx", {"path": "b.xlsx", "profile": "no_such_profile"}])
    (case_dir / "a.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    write_xlsx(case_dir / "b.xlsx", [["01/02/2021", "GP", "Seen"]])
    alone = make_case(tmp_path / "alone", [{"path": "b.xlsx", "profile": "no_such_profile"}])
    write_xlsx(alone / "b.xlsx", [["01/02/2021", "GP", "Seen"]])
    with pytest.raises(ConfigError, match="no_such_profile"):  # the later file's error, alone
        load_contacts(load_case_config(alone))
    with pytest.raises(IngestError) as caught:
        load_contacts(load_case_config(case_dir))
    assert not isinstance(caught.value, ConfigError)
    assert "a.xlsx" in str(caught.value)


def test_a_case_reads_the_same_with_many_files(tmp_path):
    case_dir = make_case(tmp_path / "case", [f"f{i}.xlsx" for i in range(5)])
    for i in range(5):
        write_xlsx(case_dir / f"f{i}.xlsx", [[f"0{k + 1}/02/2021", f"Agency {i}", f"Contact {k}"] for k in range(3)])
    contacts, report = load_contacts(load_case_config(case_dir))
    assert len(contacts) == 15
    assert [f.file for f in report.files] == [f"f{i}.xlsx" for i in range(5)]
    assert contacts["source_file"].tolist() == [f"f{i}.xlsx" for i in range(5) for _ in range(3)]
