# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 5. Thematic review across cases
#
# For a thematic or national review: many cases side by side. The case folders under `cases_dir` are
# built into a Parquet case store (resumable; cases that fail are listed, not hidden), optionally with
# synthetic cases added, and the flags are compared per rule, failing category, agency kind and
# organisation, normalised per 100 contacts. Then assurance against evidence: what organisations
# declared about their safeguarding compliance, set beside what the cases show.

# %% tags=["parameters"]
cases_dir = "../data/cases"
out_dir = "../reports/thematic"
synth_cases = 0  # synthetic cases to add beside the real ones, for a demonstration (their ids start "synthetic:")
seed = 7
declarations = None  # a spreadsheet of declared compliance (organisation, year, standard, declared status)
min_contacts = 20  # the fewest contacts a rate per 100 contacts is given over (fewer: counts only, no rate)

# %%
# %matplotlib inline
from pathlib import Path

import matplotlib.pyplot as plt
from IPython.display import display

from review.store import build_all, read_store, read_stores, write_store_from_synth
from review.synth import synth_declarations
from review.thematic import (assurance_summary, assurance_vs_evidence, counted_flags, organisations_apart_notes,
                             plot_assurance, read_declarations, thematic_figures, thematic_tables)
from review.thematic_report import thematic_contacts

store = Path(out_dir) / "store"
summary = build_all(cases_dir, store, progress=False)
print(f"case folders: {summary.cases_found} found, {len(summary.built)} built, "
      f"{len(summary.skipped)} already in the store, {len(summary.failed)} failed")
print("\n".join(str(summary).splitlines()[1:]))  # sub-folders not read, stored cases whose folder has gone
if synth_cases:
    write_store_from_synth(Path(out_dir) / "synthetic-store", synth_cases, seed)  # a store of its own

# %% [markdown]
# ## Cases that could not be built
# A case that fails to ingest is reported here with the file and the reason, never silently left out.

# %%
failures = read_store(store, "failures")
failures if len(failures) else "Every case folder was built."

# %% [markdown]
# With `synth_cases` set, synthetic cases are generated into a store of their own and counted beside the
# real ones in every table below (say so wherever the tables go). They are numbered from C000001 like many
# real ones: their ids are read as `synthetic:C000001`, so that a real case and a synthetic one never merge
# into one.

# %%
stores = {"": store, **({"synthetic": Path(out_dir) / "synthetic-store"} if synth_cases else {})}
contacts = thematic_contacts(None, stores)  # with the timeline's reading of whether the child was seen
flags = read_stores(stores, "flags")
latency = read_stores(stores, "response_latency")
case_ids = read_stores(stores, "cases", columns=["case_id"])["case_id"]
counted = counted_flags(flags, timeline=contacts)  # as the tables count them: not the ones reviewers rejected
print(f"{case_ids.nunique()} cases ({case_ids.nunique() - contacts['case_id'].nunique()} with no accepted "
      f"contacts), {len(contacts)} contacts, {len(counted)} flags counted"
      + (f" ({counted.attrs['rejected']} rejected by the reviewers not counted)" if counted.attrs["rejected"] else ""))
tables = thematic_tables(flags, contacts, latency, cases=case_ids, min_contacts=min_contacts)
if synth_cases:
    print(f"NOTE: {synth_cases} synthetic cases (ids 'synthetic:...') are counted in every table below, beside the "
          "real ones: set synth_cases = 0 for the real cases alone")

# %% [markdown]
# ## Flags per 100 contacts
# A rate is given only over at least `min_contacts` contacts: a group with fewer keeps its counts, its rate is
# left empty and its `note` says "too few contacts for a rate", and the charts leave it out. A group is listed
# at 0 flags only where the zero is evidence (an organisation or agency kind with contacts, a rule or failing
# category the rules evaluated); the charts draw only the groups with flags, and their titles say how many
# are not shown. An organisation named only by a generic agency word ("gp" of gp.xlsx, in a case without
# `files:`) is one per case, "gp (case C000001)", not one across cases (a warning names the cases and files).

# %%
for by in ("rule_id", "failing_category", "agency_kind"):
    display(tables[f"flags_by_{by}"])
display(tables["flags_by_organisation"].head(15))
for line in organisations_apart_notes(tables["flags_by_organisation"].attrs.get("organisations_apart", [])):
    print("warning:", line)

# %% [markdown]
# ## Response latency by agency kind, and the cases with most unescalated concerns
# The `escalated_*_days` quantiles are over the escalated concerns with a latency in days
# (`escalated_with_days`) only; the concerns never escalated within the rules' window are censored (their
# latency is unknown) and counted in `never_escalated`, in no quantile: read the two together. Those with no
# escalation before the child died, within the window, are counted apart in `died_before_window`, in the
# cases ranked too (not as unescalated). A share over fewer than `min_contacts` contacts (or concerns) is left
# empty, as a rate is, and the row's `note` says so.

# %%
display(tables["latency_by_agency_kind"])
display(tables["cases_ranked"].head(10))

# %% [markdown]
# ## Who saw the child
# Each contact once: the Child seen cell as the agency recorded it, else the timeline's reading of the row's
# type and text ("read from the text"), else not recorded either way. Then, per case, the longest period
# between the first and last contacts during which no agency saw the child.

# %%
display(tables["sightings_by_agency_kind"])
display(tables["sightings_by_case"].head(10))

# %%
figures = thematic_figures(tables, latency, min_contacts=min_contacts)
for name, fig in figures.items():
    display(fig)
    plt.close(fig)

# %% [markdown]
# ## Assurance against evidence
# Where an organisation declared itself compliant with a safeguarding standard while its contacts in
# the same year carry flags of the matching failing category, the declaration and the evidence disagree.
# A year written 2023/24 (or 2023-24, FY2023/24, 2023/2024) is the financial year 1 April 2023 - 31 March
# 2024; 2023 is the calendar year. The declared standards no rule evidences (not assessed) and the declared
# organisations no case names are listed, as `review thematic` lists them.
# Without a declarations file nothing is compared for the real cases' organisations (no organisation is
# shown as having declared what it did not); with synthetic cases, synthetic declarations are generated for
# their health organisations alone, and every output below says they are synthetic.

# %%
declared, synthetic_declarations = None, False
if declarations:
    declared = read_declarations(declarations)
    for note in declared.attrs["notes"]:  # sheets not read, repeated declarations
        print("note:", note)
elif synth_cases:
    health = contacts[(contacts["agency_kind"] == "health")
                      & contacts["case_id"].astype(str).str.startswith("synthetic:")]
    declared = synth_declarations(health["organisation"].unique(), health["date"].dt.year.unique(), seed)
    synthetic_declarations = True
    print("SYNTHETIC declarations, generated for the synthetic cases' health organisations only (give "
          "`declarations` to compare what real organisations declared)")
else:
    print("No declarations file given (`declarations`): nothing to compare.")
if declared is not None:
    assurance = assurance_vs_evidence(declared, flags, contacts, min_contacts=min_contacts)
    print("\n".join(assurance_summary(assurance)))  # disagreements, standards not assessed, organisations not in the cases
    display(assurance[assurance["disagreement"].fillna(False)].head(20))  # missing: too few contacts to judge
    fig = plot_assurance(assurance)
    if synthetic_declarations:
        fig.suptitle("SYNTHETIC declarations (synthetic cases only) against evidence of failings")
    display(fig)
    plt.close(fig)
