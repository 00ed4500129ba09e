"""Benchmark: timeline + rules on synthetic contacts whose description and action are each different.

The synthetic chronologies repeat a few dozen sentences, so any work done once per distinct text looks
free in bench_pipeline.py. Here a case-note sentence, a name, a date and a number are appended to every
description and action (1M contacts: ~1M distinct descriptions and actions), as real chronologies are.

    PYTHONPATH=src python benchmarks/bench_unique_texts.py [n_cases] [--same-clause]

--same-clause joins the added sentence to the description with a comma, so that every row of the types
the rules ask `review.vocab.denies` about has a negation cue in the clause of its type's words ("Strategy
discussion held with police and health, father not present"): the worst case of `_may_deny`'s pre-filter.
Prints the timeline and detect seconds and the flags per rule (run it with another PYTHONPATH to compare
code versions: the flags must be the same).
"""
from __future__ import annotations

import json
import sys
import time

import numpy as np
import pandas as pd

SENTENCES = [
    "Mother said she was coping.", "Father not present at the visit.", "No concerns raised by the school.",
    "Child appeared well cared for.", "Home conditions were not assessed on this occasion.",
    "Worker to call back next week.", "Discussed with the manager.", "Grandmother present throughout.",
    "Child was not seen alone.", "Parents not happy with the outcome.", "Letter sent to the family.",
    "Information shared with the health visitor.", "Plan not agreed by father.", "Police informed of the outcome.",
    "Records checked, nothing of note.", "Mother declined a further appointment.", "Follow-up booked.",
    "No further concerns noted at this time.", "Sibling also present.", "Case discussed at supervision.",
]
NAMES = ["Ayesha", "Tom", "Lena", "Marek", "Priya", "Josh", "Kemi", "Ola", "Sam", "Rhys"]


def unique_texts(contacts: pd.DataFrame, same_clause: bool = False, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = len(contacts)
    s1, s2 = (np.array(SENTENCES, dtype=object)[rng.integers(0, len(SENTENCES), n)] for _ in range(2))
    name = np.array(NAMES, dtype=object)[rng.integers(0, len(NAMES), n)]
    number = rng.integers(1000, 10**9, n).astype(str).astype(object)
    day = (pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3000, n), unit="D")).strftime("%d/%m/%Y")
    description = contacts["description"].fillna("").astype(str).to_numpy(dtype=object)
    action = contacts["action"].fillna("").astype(str).to_numpy(dtype=object)
    if same_clause:
        description = np.array([d.rstrip(".") + ", " + s[0].lower() + s[1:] for d, s in zip(description, s1)], dtype=object)
    else:
        description = description + " " + s1
    description = description + " Seen by " + name + " on " + day.to_numpy(dtype=object) + " (ref " + number + ")."
    action = action + " " + s2 + " Call " + number + "."
    return contacts.assign(description=pd.array(description, dtype=contacts["description"].dtype),
                           action=pd.array(action, dtype=contacts["action"].dtype))


def main() -> None:
    from review.rules import detect, load_rules
    from review.store import case_configs, timeline_many
    from review.synth import synth_contacts

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n_cases = int(args[0]) if args else 10_000
    contacts, cases, _ = synth_contacts(n_cases, 20261125, 100)
    contacts = unique_texts(contacts, "--same-clause" in sys.argv)
    rules, configs = load_rules(), case_configs(cases)
    t0 = time.perf_counter()
    timeline = timeline_many(contacts, cases)
    t1 = time.perf_counter()
    flags = detect(timeline, configs, rules)
    t2 = time.perf_counter()
    print(json.dumps({"contacts": len(contacts), "distinct_descriptions": int(contacts["description"].nunique()),
                      "timeline_seconds": round(t1 - t0, 2), "detect_seconds": round(t2 - t1, 2), "flags": len(flags),
                      "by_rule": flags["rule_id"].value_counts().sort_index().to_dict()}))


if __name__ == "__main__":
    main()
