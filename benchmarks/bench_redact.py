"""Benchmark: `Redactor.text` over every distinct text of the sample case (timeline and flags).

    PYTHONPATH=src python benchmarks/bench_redact.py [repeats] [--dump FILE]

Builds the sample case's anonymised redactor (`Redactor.from_case`, `learn_schools` on the timeline and
flags), collects the distinct text cells of the timeline and the flags, and times `Redactor.text` over
them `repeats` times (default 5; the best run is printed, as texts per second). Run it with another
PYTHONPATH to compare code versions; `--dump FILE` writes every text and its redaction (JSON lines), to
diff what two versions redact.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pandas as pd

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "cases" / "sample"


def main() -> None:
    from review.pipeline import analyse, load_case
    from review.redact import Redactor

    args = sys.argv[1:]
    if any(a in ("-h", "--help") for a in args):
        print(__doc__.strip())
        return
    dump = None
    if "--dump" in args:
        at = args.index("--dump")
        dump = args[at + 1]
        del args[at:at + 2]
    repeats = int(args[0]) if args else 5
    case = load_case(SAMPLE)
    analysis = analyse(case)
    texts: list[str] = []
    for frame in (analysis.timeline, analysis.flags):
        for column in frame.columns:
            series = frame[column]
            if pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
                texts += [v for v in pd.unique(series.dropna()) if isinstance(v, str) and v]
    texts = list(dict.fromkeys(texts))
    redactor = Redactor.from_case(case.config).learn_schools(analysis.timeline, analysis.flags)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        out = [redactor.text(t) for t in texts]
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"texts": len(texts), "best_seconds": round(best, 4),
                      "texts_per_second": round(len(texts) / best)}))
    if dump:
        with open(dump, "w", encoding="utf-8") as handle:
            for text, shown in zip(texts, out):
                handle.write(json.dumps({"text": text, "shown": shown}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
