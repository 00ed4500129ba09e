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
# # 1. Ingest and validate the agencies' chronologies
#
# Each agency sends its chronology in its own layout. This notebook loads every file of a case folder
# through the declared column mappings and shows what was read, accepted and rejected, with the file,
# sheet, row and reason for every rejection. Nothing is dropped silently: for every file and sheet,
# rows read = rows accepted + rows rejected.

# %% tags=["parameters"]
case_dir = "../data/cases/sample"
out_dir = "../reports/sample"

# %%
import pandas as pd

from review.explorer import rejections_view, table_or_sentence, wrapped
from review.pipeline import load_case

pd.set_option("display.max_colwidth", 80)
case = load_case(case_dir)
print(f"Case {case.config.case_id}: {case.report.rows_read} rows read, "
      f"{case.report.rows_accepted} accepted, {case.report.rows_rejected} rejected")

# %% [markdown]
# ## The ingest report, file by file
# `header_row` is the row where the column headings were found; `rows_skipped` counts title, blank and
# repeated header rows, which are not data.

# %%
case.report.to_frame()

# %% [markdown]
# ## Rejected rows and warnings
# Each line names the file, sheet, row (as the spreadsheet shows it) and column, and gives the reason in
# full. To fix a rejected row,
# correct the cell in the agency's file (or ask the agency), or declare a mapping profile in
# `profiles/<name>.yml` when a whole column was not recognised, then run this notebook again.

# %%
problems = rejections_view(case.report.rejections_frame())  # rows as whole numbers
table_or_sentence(wrapped(problems, ["reason"]), "No rejected rows and no warnings.")

# %% [markdown]
# ## The canonical contact table
# One row per contact per reporting agency, with its provenance.

# %%
case.contacts[["date", "date_precision", "agency", "agency_kind", "contact_type", "concerns",
               "escalation", "description", "source_file", "source_sheet", "source_row"]].head(25)

# %%
case.contacts.groupby(["agency_kind", "agency"]).size().rename("contacts").to_frame()
