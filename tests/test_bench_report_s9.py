"""The benchmark's report: the distinct-text measurements get their own table and target lines."""
import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_pipeline.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_pipeline", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(seconds, flags=10, **extra):
    return {"seconds": seconds, "cpu_seconds": seconds, "seconds_warm": seconds, "rss_peak": 2**30,
            "timeline_seconds": seconds / 4, "rules_seconds": seconds * 3 / 4, "flags": flags, **extra}


def test_distinct_texts_table_and_targets():
    bench = _bench()
    results = {"pipeline": {"1000000": {"pandas": _run(1.5), "baseline": _run(54.0), "dask": _run(2.0, workers=2),
                                        "pandas_unique": _run(3.0, flags=12), "baseline_unique": _run(60.0, flags=12)},
                            "100000": {"pandas": _run(0.4), "pandas_unique": _run(0.6, flags=3)}}}
    info = {"cpus": 2, "memory_gb": 8, "python": "3.11", "platform": "x", "versions": {}, "date": "d"}
    text = bench.report(results, info)
    assert "| 1,000,000 | 3.00 | 3.00 | 3.00 | 1.00 | 0.75 | 2.25 | 12 | 60.00 | 20.00× |" in text
    assert "| 100,000 | 0.60 |" in text and "| 3 | - | - |" in text  # no baseline on distinct texts there
    targets = bench.check_targets(results)
    assert "  pandas, distinct texts: 3.0 s, 1.00 GB -> MET" in targets
    assert any(line.startswith("1,000,000: pandas, 1 process, distinct texts >= 20x") and "20.00x" in line
               and line.endswith("-> MET") for line in targets)
    assert "1,000,000, distinct texts: the package and the baseline find the same number of flags: 12 and 12 -> YES" in targets
    # the ordinary ratios (pandas, and Dask after the distinct texts) are still against the ordinary baseline
    assert any(line.startswith("1,000,000: pandas, 1 process >= 20x") and "36.00x" in line for line in targets)
    assert any(line.startswith("1,000,000: Dask, 2 workers >= 20x") and "27.00x" in line for line in targets)


def test_no_distinct_texts_no_table():
    bench = _bench()
    results = {"pipeline": {"10000": {"pandas": _run(0.3), "baseline": _run(0.5)}}}
    info = {"cpus": 2, "memory_gb": 8, "python": "3.11", "platform": "x", "versions": {}, "date": "d"}
    assert "distinct texts" not in bench.report(results, info)
