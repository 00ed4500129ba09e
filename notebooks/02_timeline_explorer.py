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
# # 2. The integrated chronology
#
# All agencies' contacts merged into one chronology, with the child's age at each contact, the same
# event reported by two agencies, or entered twice by one, linked (`event_group`, never deleted), gaps
# and who saw the child.
# The static views come first; the explorer below them filters by date, agency, contact type, concern
# and words, redraws the swimlane, and shows the evidence rows of a selected flag.

# %% tags=["parameters"]
case_dir = "../data/cases/sample"
out_dir = "../reports/sample"

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from review.charts import plot_swimlane
from review.decisions import decisions_as_of, future_dated
from review.explorer import TimelineExplorer, chronology_view, date_span, flags_view, table_or_sentence
from review.export import plural
from review.pipeline import analyse, load_case

pd.set_option("display.max_colwidth", 80)
case = load_case(case_dir)
# the reviewers' decisions judged against the day `review flags` judges them on: the one this case's build in
# out_dir recorded (its manifest's decisions_as_of), else today; a decision dated after it is listed as a problem
as_of = decisions_as_of(case_dir, report_dir=out_dir)
analysis = analyse(case, decisions_as_of=as_of.day)
if future_dated(analysis.decisions, as_of.day):
    print(f"({as_of.note()})")
timeline = analysis.timeline
# (the first and last dates to the precision the agencies gave them: "Spring 2023", not 01/03/2023)
print(f"{plural(len(timeline), 'contact')} from {plural(timeline['agency'].nunique(), 'agency', 'agencies')}, "
      f"{date_span(timeline)}")

# %% [markdown]
# ## Who was in contact with the child

# %%
table_or_sentence(analysis.agency_summary, "No contacts.")

# %% [markdown]
# ## Swimlane timeline
# One lane per agency; shaded periods are child protection plans and hospital stays; numbered callouts
# are the candidate missed escalation points, numbered as in the flags table.

# %%
fig = plot_swimlane(timeline, analysis.flags, analysis.periods, case.config, escalations=analysis.held_escalations)
display(fig)
plt.close(fig)

# %% [markdown]
# ## The chronology

# %%
with pd.option_context("display.max_rows", None):  # every row, also in the headless HTML copy
    display(table_or_sentence(chronology_view(timeline), "No contacts."))

# %% [markdown]
# ## Candidate missed escalation points

# %%
with pd.option_context("display.max_rows", None):
    display(table_or_sentence(flags_view(analysis.flags), "No flags were raised."))

# %% [markdown]
# ## Explore
# Filter the chronology; the chart follows the filters. Pick a flag to see its evidence rows.
# (Executed headless, this cell shows the widget's description only; the tables above are complete.)

# %%
explorer = TimelineExplorer(analysis, case.config)
explorer.widget
