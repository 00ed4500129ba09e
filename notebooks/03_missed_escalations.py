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
# # 3. Missed escalation points
#
# The rules propose candidate missed escalation points; they never decide a finding. For each flag:
# the rule, why it was raised, the expected action and deadline, what happened instead and the delay.
# Then "not fast enough" (response latency) and "not smart enough" (what each agency knew when it
# decided). A reviewer records a decision on each flag with a rationale; the decision is kept with the
# case (`decisions.csv`) and carried into every export.

# %% tags=["parameters"]
case_dir = "../data/cases/sample"
out_dir = "../reports/sample"
# a decision to record when the notebook runs, checked as `review decide` checks it, e.g.
# {"flag_no": 1, "decision": "accepted", "rationale": "...", "author": "Jane Okafor"} (the author one of the
# reviewers case.yml names; "replace": True to supersede the flag's decision in force), or a finding
# no rule raised: {"decision": "added", "rule_id": "strategy_no_conference", "trigger_event_id": "E...",
# "rationale": "...", "author": "Jane Okafor"}
record = None

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from review.charts import plot_agency_knowledge, plot_response_latency
from review.decisions import decisions_as_of, future_dated, record_parameter
from review.explorer import DecisionForm, flag_evidence, flags_headline, flags_view, table_or_sentence
from review.pipeline import analyse, load_case

pd.set_option("display.max_colwidth", 120)
case = load_case(case_dir)
# the reviewers' decisions judged against the day `review flags` judges them on: the one this case's build in
# out_dir recorded (its manifest's decisions_as_of), else today; a decision dated after it is listed as a problem
as_of = decisions_as_of(case_dir, report_dir=out_dir)
analysis = analyse(case, decisions_as_of=as_of.day)
if future_dated(analysis.decisions, as_of.day):
    print(f"({as_of.note()})")
flags = analysis.flags
# counted as `review build` counts them: every flag, those the reviewers rejected, the findings they added
print(flags_headline(flags, analysis.decisions))

# %% [markdown]
# ## The flags

# %%
table_or_sentence(flags_view(flags), "No flags were raised.")

# %% [markdown]
# ## Why each was raised

# %%
for number, flag in enumerate(flags.itertuples(index=False), start=1):
    print(f"{number}. [{flag.rule_id}, {flag.severity}] {flag.explanation}\n   Source: {flag.source}\n")

# %% [markdown]
# ## The evidence behind the first flag

# %%
if len(flags):
    display(flag_evidence(analysis.timeline, flags, flags["flag_id"].iloc[0]))

# %% [markdown]
# ## Not fast enough: time from each concern to the first escalation by any agency

# %%
display(table_or_sentence(analysis.response_latency, "No concerns recorded."))
fig = plot_response_latency(analysis.response_latency, timeline=analysis.timeline)
display(fig)
plt.close(fig)

# %% [markdown]
# ## Not smart enough: what the deciding agency knew at each decision point

# %%
display(table_or_sentence(analysis.knowledge, "No decision points."))
fig = plot_agency_knowledge(analysis.knowledge, timeline=analysis.timeline)
display(fig)
plt.close(fig)

# %% [markdown]
# ## Reviewers' decisions
# Decisions already recorded for this case, and any that name a flag the rules no longer raise.

# %%
display(table_or_sentence(analysis.decisions, "No decisions recorded yet."))
display(table_or_sentence(analysis.decision_problems, "No problems with the reviewers' decisions."))

# %% [markdown]
# Record a decision: set `record` in the parameters, or from the command line with
# `review notebooks CASE_DIR --only 03_missed_escalations --param 'record={flag_no: 1, decision: accepted,
# rationale: "...", author: Jane Okafor}'` (or use the form below in JupyterLab). The
# decision is written to the case folder's `decisions.csv` through `review.decisions`. To add a
# finding no rule raised, choose "added": the form then asks for the rule it falls under and the
# contact it is about.

# %%
if record:
    # the checks `review decide` makes (the flag, the author, a decision already in force, a finding added
    # twice); a mistake stops the run with one line (a ReviewError), not a traceback
    decided = record_parameter(case_dir, record, analysis)
    print(f"recorded: {decided.decision} {decided.flag_id} by {decided.author}" if not decided.unchanged
          else f"unchanged: {decided.flag_id} already has this decision")
    analysis = analyse(load_case(case_dir), decisions_as_of=as_of.day)
    display(table_or_sentence(flags_view(analysis.flags), "No flags were raised."))

# %%
DecisionForm(case_dir, flags, analysis.timeline, as_of=as_of.day).widget
