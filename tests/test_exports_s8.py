"""Defects fixed in session 8 (exports): the HTML summary says each count once, decisions.yml is not
silently ignored, `review synth` is byte-reproducible, an unreachable Dask address fails fast, compact
merges a compacted store again, and a thematic folder treats the user's own files as a case report does.
"""
from __future__ import annotations

import re
import shutil
import socket
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from review import export
from review.build import CONFIG_FILES
from review.cli import main
from review.config import OWN_FILES
from review.decisions import load_decisions
from review.errors import ConfigError, DecisionError
from review.store import build_all, compact_store, part_files, read_store, store_tables, write_store_from_synth
from review.synth import write_case_folders
from review.timeline import health_summary

from test_build_helpers import synthetic_analysis, synthetic_config


def _summary_text(html: str) -> str:
    start = html.index('<section id="summary">')
    return re.sub(r"<[^>]+>", "\n", html[start:html.index("</section>", start)])


# ---------------------------------------------------------------------------------------------------
# 1. report.html gives the health count once
# ---------------------------------------------------------------------------------------------------
def test_the_html_summary_gives_the_health_count_once(tmp_path):
    analysis = synthetic_analysis(60)
    analysis.health_summary = health_summary(analysis.timeline)  # as review.pipeline.analyse sets it
    assert "health professionals" in analysis.health_summary
    text = _summary_text(export.write_html(tmp_path / "report.html", synthetic_config(), analysis)
                         .read_text(encoding="utf-8"))
    assert len(re.findall(r"contacts? with health professionals", text)) == 1, text
    health = analysis.timeline[analysis.timeline["agency_kind"] == "health"]
    assert f"{len(health)} contacts with health professionals across" in text


# ---------------------------------------------------------------------------------------------------
# 2. decisions.yml is never read: it is refused, naming decisions.csv, not recorded as an input
# ---------------------------------------------------------------------------------------------------
CSV = ("Date,Type of contact,Details of contact,Outcome\n01/03/2023,Home visit,Kerry Brook seen at home,Seen\n"
       "15/04/2023,A&E attendance,Bruising to face,No action\n20/05/2023,Clinic,Weight check,Seen\n")
DECISIONS_YML = "- flag_id: F1\n  decision: rejected\n  rationale: duplicate\n  author: QA\n  date: 2024-08-01\n"


def write_case(folder: Path, case_id: str = "S8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yml").write_text(yaml.safe_dump({"case_id": case_id, "date_of_birth": "2023-02-14",
                                                     "review_date": "2024-03-31"}), encoding="utf-8")
    (folder / "gp.csv").write_text(CSV, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", ["decisions.yml", "Decisions.YAML"])
def test_a_decisions_yml_stops_the_build_naming_decisions_csv(tmp_path, capsys, name):
    case = write_case(tmp_path / "case")
    (case / name).write_text(DECISIONS_YML, encoding="utf-8")
    assert main(["build", str(case), "--out", str(tmp_path / "out"), "--no-progress"]) == DecisionError.exit_code
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "internal error" not in err
    assert name in err and "decisions.csv" in err and "not read" in err
    assert not (tmp_path / "out").exists()


def test_decisions_yml_is_not_listed_as_a_case_file():
    assert "decisions.yml" not in OWN_FILES and "decisions.yml" not in CONFIG_FILES


def test_load_decisions_refuses_a_decisions_yml_beside_a_decisions_csv(tmp_path):
    (tmp_path / "decisions.csv").write_text("flag_id,decision,rationale,author,date\n", encoding="utf-8")
    assert load_decisions(tmp_path)[0].empty
    (tmp_path / "decisions.yml").write_text(DECISIONS_YML, encoding="utf-8")
    with pytest.raises(DecisionError, match=r"decisions\.yml.*read from decisions\.csv only"):
        load_decisions(tmp_path)


def test_build_all_fails_only_the_case_with_a_decisions_yml(tmp_path, capsys):
    cases = tmp_path / "cases"
    write_case(cases / "a", "A")
    (write_case(cases / "b", "B") / "decisions.yml").write_text(DECISIONS_YML, encoding="utf-8")
    assert main(["build-all", str(cases), "--store", str(tmp_path / "store"), "--no-progress"]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert re.search(r"FAILED b .*decisions\.yml", text), text
    assert sorted(read_store(tmp_path / "store", "cases")["case_id"]) == ["A"]


# ---------------------------------------------------------------------------------------------------
# 3. review synth writes the same bytes for the same seed, so build-all rebuilds nothing
# ---------------------------------------------------------------------------------------------------
def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_synth_xlsx_carry_a_fixed_date_inside_and_on_every_zip_entry(tmp_path, capsys):
    assert main(["synth", "--cases", "2", "--seed", "3", "--out", str(tmp_path / "cases"), "--no-progress"]) == 0
    workbooks = sorted((tmp_path / "cases").rglob("*.xlsx"))
    assert workbooks
    for path in workbooks:
        with zipfile.ZipFile(path) as archive:
            assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}, path
            core = archive.read("docProps/core.xml").decode("utf-8")
        assert re.findall(r"<dcterms:(?:created|modified)\b[^>]*>([^<]*)<", core) == ["2000-01-01T00:00:00Z"] * 2
        assert openpyxl.load_workbook(path)["Chronology"].max_row > 1  # still a workbook


def test_synth_run_again_with_the_same_seed_is_byte_identical_and_build_all_rebuilds_nothing(tmp_path, capsys):
    cases, store = tmp_path / "cases", tmp_path / "store"
    synth = ["synth", "--cases", "2", "--seed", "7", "--contacts-per-case", "60", "--out", str(cases), "--no-progress"]
    assert main(synth) == 0
    first = _files(cases)
    assert main(["build-all", str(cases), "--store", str(store), "--no-progress"]) == 0
    time.sleep(2.1)  # the clock moves on (zip times have a 2 s resolution): nothing of it may reach the files
    assert main(synth) == 0
    again = _files(cases)
    assert sorted(again) == sorted(first)
    assert [name for name in first if first[name] != again[name]] == []
    capsys.readouterr()
    assert main(["build-all", str(cases), "--store", str(store), "--no-progress"]) == 0
    assert "0 built, 2 already complete" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------------
# 4. dask-rules --address: an unreachable, refused or wrong address fails at once, naming it
# ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store")
    write_store_from_synth(path, 3, seed=4, contacts_per_case=60)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _dask_rules(store, out, address):
    started = time.monotonic()
    code = main(["dask-rules", "--store", str(store), "--out", str(out), "--address", address])
    return code, time.monotonic() - started


@pytest.mark.parametrize("address, why", [
    ("tcp://127.0.0.1:{free_port}", "connection refused"),  # a port free when the test runs (a stable test id)
    ("tcp://no-such-host.invalid:8786", "unknown host 'no-such-host.invalid'"),
    ("tcp://127.0.0.1", "not a scheduler address"),
])
def test_dask_rules_with_an_address_nothing_answers_at_fails_at_once_naming_it(small_store, tmp_path, capsys,
                                                                               address, why):
    pytest.importorskip("distributed")
    address = address.replace("{free_port}", str(_free_port()))
    code, took = _dask_rules(small_store, tmp_path / "out", address)
    err = capsys.readouterr().err.strip()
    assert code == ConfigError.exit_code and took < 5, (code, took, err)
    assert err.splitlines() == [err] and f"cannot connect to the Dask scheduler at {address}: {why}" in err
    assert not (tmp_path / "out").exists()


def test_an_address_that_does_not_answer_gives_up_after_the_probe_timeout(monkeypatch):
    pytest.importorskip("distributed")
    from review import distributed

    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: time.sleep(30))
    started = time.monotonic()
    with pytest.raises(ConfigError, match=r"at tcp://10\.9\.8\.7:8786: no answer from 10\.9\.8\.7 port 8786 within 0\.5 s"):
        distributed.check_scheduler_reachable("tcp://10.9.8.7:8786", timeout=0.5)
    assert time.monotonic() - started < 2


def test_an_address_where_something_else_answers_is_a_clear_error_not_an_internal_one(small_store, tmp_path, capsys):
    pytest.importorskip("distributed")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def answer():  # a web server, say: reads the greeting, answers in HTTP and hangs up
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n")
                except OSError:
                    pass

    threading.Thread(target=answer, daemon=True).start()
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    try:
        code, took = _dask_rules(small_store, tmp_path / "out", address)
    finally:
        server.close()
    err = capsys.readouterr().err.strip()
    assert code == ConfigError.exit_code and took < 15, (code, took, err)
    assert f"cannot connect to the Dask scheduler at {address}: " in err and "internal error" not in err


def test_dask_rules_on_a_reachable_tcp_cluster_still_works(small_store, tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=1, protocol="tcp",
                                  dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        code, _ = _dask_rules(small_store, tmp_path / "out", cluster.scheduler_address)
    assert code == 0, capsys.readouterr().err
    flags = pd.read_csv(tmp_path / "out" / "flags.csv", encoding="utf-8-sig")
    assert sorted(flags["flag_id"]) == sorted(read_store(small_store, "flags")["flag_id"])


# ---------------------------------------------------------------------------------------------------
# 5. compact on a compacted store with new parts merges everything into the fewest parts
# ---------------------------------------------------------------------------------------------------
STORE_TABLES = ("contacts", "timeline", "flags", "response_latency", "cases", "ingest", "rejections")


def _store_tables(store_dir: Path) -> dict[str, pd.DataFrame]:
    return {t: read_store(store_dir, t).sort_values("case_id", kind="stable").reset_index(drop=True)
            for t in STORE_TABLES}


def _parts(store_dir: Path) -> list[str]:
    return [p.stem for p in part_files(store_dir, "contacts")]


def _add_cases(cases: Path, n: int, first_case: int, scratch: Path) -> None:
    write_case_folders(scratch, n, seed=30 + first_case, contacts_per_case=45, first_case=first_case)
    for folder in sorted(p for p in scratch.iterdir() if p.is_dir()):
        shutil.copytree(folder, cases / folder.name)


@pytest.fixture(scope="module")
def compacted(tmp_path_factory):
    """A store of 6 cases compacted into one part, then 3 more cases built into a part of their own."""
    root = tmp_path_factory.mktemp("compacted")
    write_case_folders(root / "cases", 6, seed=21, contacts_per_case=45)
    build_all(root / "cases", root / "store", progress=False)
    compact_store(root / "store")
    assert len(_parts(root / "store")) == 1
    _add_cases(root / "cases", 3, 6, root / "more")
    assert len(build_all(root / "cases", root / "store", progress=False).built) == 3
    assert [p.split("-")[0] for p in _parts(root / "store")] == ["batch", "compact"]
    return root / "cases", root / "store"


@pytest.fixture()
def compacted_copy(compacted, tmp_path):
    cases, store_dir = compacted
    shutil.copytree(cases, tmp_path / "cases")
    shutil.copytree(store_dir, tmp_path / "store")
    return tmp_path / "cases", tmp_path / "store"


def test_compact_again_merges_the_new_parts_with_the_compacted_one(compacted_copy, capsys):
    cases, store_dir = compacted_copy
    before = _store_tables(store_dir)
    assert main(["compact", "--store", str(store_dir), "--no-progress"]) == 0
    assert capsys.readouterr().out.strip() == "9 cases moved into 1 part(s); 2 part(s) removed"
    assert len(_parts(store_dir)) == 1
    for table in store_tables(store_dir):
        assert len(list((store_dir / table).glob("*.parquet"))) == 1, table
    after = _store_tables(store_dir)
    for name in STORE_TABLES:
        pd.testing.assert_frame_equal(after[name], before[name], check_exact=True, obj=name)
    assert len(build_all(cases, store_dir, progress=False).skipped) == 9  # every case still known complete
    assert main(["compact", "--store", str(store_dir), "--no-progress"]) == 0
    assert capsys.readouterr().out.strip() == "nothing to compact"


def test_a_compacted_part_of_at_least_cases_per_part_stays_as_it_is(compacted_copy):
    _, store_dir = compacted_copy
    compact_store(store_dir)
    (part,) = _parts(store_dir)
    assert str(compact_store(store_dir, cases_per_part=4)) == "nothing to compact"  # 9 cases: not split
    assert _parts(store_dir) == [part]


def test_compact_again_keeps_full_compacted_parts_and_ends_in_the_fewest(compacted_copy):
    cases, _ = compacted_copy
    store_dir = cases.parent / "fresh"
    build_all(cases, store_dir, progress=False)
    before = _store_tables(store_dir)
    compact_store(store_dir, cases_per_part=4)  # 9 cases: 4 + 4 + 1
    assert len(_parts(store_dir)) == 3
    full = sorted(_parts(store_dir))[:2]
    _add_cases(cases, 2, 9, cases.parent / "more")
    assert len(build_all(cases, store_dir, progress=False).built) == 2
    grown = _store_tables(store_dir)
    assert len(grown["cases"]) == 11 and len(_parts(store_dir)) == 4
    summary = compact_store(store_dir, cases_per_part=4)  # the part of 1 and the 2 new cases: one part of 3
    assert (summary.cases, summary.parts_written, summary.parts_removed) == (3, 1, 2)
    assert len(_parts(store_dir)) == 3 and set(full) <= set(_parts(store_dir))
    for name in STORE_TABLES:
        pd.testing.assert_frame_equal(_store_tables(store_dir)[name], grown[name], check_exact=True, obj=name)
    assert str(compact_store(store_dir, cases_per_part=4)) == "nothing to compact"
    compact_store(store_dir)  # parts of 1000: one
    assert len(_parts(store_dir)) == 1
    for name in STORE_TABLES:
        pd.testing.assert_frame_equal(_store_tables(store_dir)[name], grown[name], check_exact=True, obj=name)
    assert len(before["cases"]) == 9


# ---------------------------------------------------------------------------------------------------
# 6. the user's files in a thematic folder are treated as in a case report folder: kept on a rebuild,
#    named by the command, unexpected for `review verify` (exit 1) until moved out; notebooks/ excepted
# ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def thematic_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("thematic")
    write_case_folders(root / "cases", 3, seed=5, contacts_per_case=45)
    build_all(root / "cases", root / "store", progress=False)
    return root / "cases", root / "store"


def _add_users_files(out: Path) -> None:
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    (out / "drafts").mkdir()
    (out / "drafts" / "summary.md").write_text("draft", encoding="utf-8")
    (out / "notebooks").mkdir()
    (out / "notebooks" / "05_thematic_review.ipynb").write_text("{}", encoding="utf-8")


def _rebuild_then_verify(command: list[str], out: Path, capsys) -> tuple[str, int, str]:
    """(what the rebuild printed, verify's exit code, what verify printed) with the user's files added."""
    _add_users_files(out)
    assert main(command) == 0
    rebuilt = capsys.readouterr().out
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert (out / "drafts" / "summary.md").read_text(encoding="utf-8") == "draft"
    assert (out / "notebooks" / "05_thematic_review.ipynb").exists()
    code = main(["verify", str(out)])
    return rebuilt, code, capsys.readouterr().out


def _unexpected_line(printed: str) -> str:
    (line,) = [x for x in printed.splitlines() if x.startswith("unexpected:")]
    return line


def test_the_users_files_in_a_thematic_folder_are_treated_as_in_a_case_report_folder(thematic_store, tmp_path, capsys):
    cases, store = thematic_store
    thematic, report = tmp_path / "thematic", tmp_path / "report"
    thematic_run = ["thematic", "--store", str(store), "--out", str(thematic)]
    build_run = ["build", str(sorted(p for p in cases.iterdir() if p.is_dir())[0]), "--out", str(report),
                 "--no-progress"]
    assert main(thematic_run) == 0 and main(build_run) == 0
    capsys.readouterr()
    said = {}
    for name, command, out in (("thematic", thematic_run, thematic), ("case", build_run, report)):
        rebuilt, code, printed = _rebuild_then_verify(command, out, capsys)
        assert "kept 2 files in" in rebuilt and "drafts/summary.md, notes.txt" in rebuilt, (name, rebuilt)
        assert "(review verify lists them as unexpected)" in rebuilt
        assert code == 1, (name, printed)
        said[name] = _unexpected_line(printed)
        assert "notebooks" not in printed  # what `review notebooks` writes beside a report is expected
        # once moved out, the folder verifies
        (out / "notes.txt").unlink()
        shutil.rmtree(out / "drafts")
        assert main(["verify", str(out)]) == 0, name
        capsys.readouterr()
    assert said["thematic"] == said["case"] == ("unexpected: 2 files in the report folder that the build did not "
                                                "write (move them out of the folder): drafts/summary.md, notes.txt")


def test_a_folder_holding_only_notebooks_is_empty_to_review_thematic_as_to_review_build(thematic_store, tmp_path, capsys):
    cases, store = thematic_store
    for out in (tmp_path / "thematic", tmp_path / "report"):
        (out / "notebooks").mkdir(parents=True)
        (out / "notebooks" / "05_thematic_review.ipynb").write_text("{}", encoding="utf-8")
    assert main(["thematic", "--store", str(store), "--out", str(tmp_path / "thematic")]) == 0
    assert main(["build", str(sorted(p for p in cases.iterdir() if p.is_dir())[0]), "--out", str(tmp_path / "report"),
                 "--no-progress"]) == 0
    for out in (tmp_path / "thematic", tmp_path / "report"):
        assert (out / "notebooks" / "05_thematic_review.ipynb").read_text(encoding="utf-8") == "{}"
        assert (out / "manifest.json").exists()
    capsys.readouterr()
    assert main(["verify", str(tmp_path / "thematic")]) == 0
