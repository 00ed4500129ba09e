"""One writer at a time: `build_all`, `compact_store` and the synthetic store hold the store's lock; a
second writer is refused with an error naming the holder; a killed writer leaves no stale lock, and what
it staged is removed by the next writer."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review.cli import main
from review.store import (
    LEDGER,
    STAGING,
    StoreBusyError,
    StoreError,
    build_all,
    compact_store,
    read_ledger,
    store_lock,
    write_store_from_synth,
)
from review.synth import write_case_folders

HOLDER = """
import sys, time
from review.store import store_lock
with store_lock(sys.argv[1], "test holder"):
    print("held", flush=True)
    time.sleep(120)
"""


@pytest.fixture()
def holder(tmp_path):
    """A separate process holding the lock of tmp_path / "store" (killed with SIGKILL at the end)."""
    store = tmp_path / "store"
    store.mkdir()
    (store / LEDGER).touch()
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(store)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        yield store, proc
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture()
def cases(tmp_path) -> Path:
    write_case_folders(tmp_path / "cases", 3, seed=5, contacts_per_case=50)
    return tmp_path / "cases"


def test_a_second_writer_is_refused_naming_the_holder(holder, cases):
    store, proc = holder
    with pytest.raises(StoreBusyError) as caught:
        build_all(cases, store, progress=False)
    message = str(caught.value)
    assert "being written by another process" in message
    assert f"process {proc.pid}" in message and "test holder" in message
    assert "review build-all again" in message
    assert read_ledger(store) == {}  # nothing written
    with pytest.raises(StoreBusyError):
        compact_store(store)
    with pytest.raises(StoreBusyError):
        write_store_from_synth(store, 2, seed=1, contacts_per_case=50, analyse=False)


def test_the_cli_reports_a_busy_store(holder, cases, capsys):
    store, proc = holder
    assert main(["compact", "--store", str(store), "--no-progress"]) == 6  # busy: try again later
    assert main(["build-all", str(cases), "--store", str(store), "--no-progress"]) == 6
    err = capsys.readouterr().err
    assert "being written by another process" in err and f"process {proc.pid}" in err


def test_a_killed_writer_leaves_no_stale_lock_and_its_staging_is_removed(holder, cases):
    store, proc = holder
    leftover = store / STAGING / "run-deadbeef" / "case-X-12345678"
    leftover.mkdir(parents=True)
    (leftover / "contacts.parquet").write_bytes(b"half written")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    summary = build_all(cases, store, progress=False)
    assert len(summary.built) == 3 and summary.failed.empty
    assert not (store / STAGING).exists()
    assert (store / ".lock").read_text() == ""  # released: the holder is written only while held


def test_the_lock_is_reentrant_in_one_process_and_released_after(tmp_path, cases):
    store = tmp_path / "store"
    store.mkdir()
    with store_lock(store, "outer"):
        held = json.loads((store / ".lock").read_text())
        assert held["pid"] == os.getpid() and held["action"] == "outer"
        # build_all and write_part inside: the same process, so not refused
        assert len(build_all(cases, store, progress=False).built) == 3
        assert json.loads((store / ".lock").read_text())["action"] == "outer"
    assert (store / ".lock").read_text() == ""
    # and another process can take it now
    probe = subprocess.run([sys.executable, "-c", HOLDER.replace("time.sleep(120)", "pass"), str(store)],
                           capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0 and probe.stdout.strip() == "held"


def test_an_error_inside_releases_the_lock(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    with pytest.raises(RuntimeError):
        with store_lock(store, "failing"):
            raise RuntimeError("boom")
    with store_lock(store, "next"):
        pass


def test_a_lock_file_that_cannot_be_opened_is_a_clear_error(tmp_path, cases):
    store = tmp_path / "store"
    (store / ".lock").mkdir(parents=True)  # as a read-only store would refuse it (even to root)
    with pytest.raises(StoreError) as caught:
        build_all(cases, store, progress=False)
    assert "cannot write to the store" in str(caught.value) and str(store) in str(caught.value)
    assert not (store / LEDGER).exists()


def test_readers_need_no_lock(holder):
    store, _ = holder
    started = time.perf_counter()
    assert read_ledger(store) == {}
    assert time.perf_counter() - started < 5
