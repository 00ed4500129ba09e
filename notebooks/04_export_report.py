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
# # 4. Export the report
#
# The build for analysts: every chart (PNG at 300 dpi, SVG, PDF), the Excel workbook, the Word
# chronology, the self-contained HTML report and the manifest a regulator uses to reproduce the
# findings (`review verify`). The same as `review build CASE_DIR --out OUT_DIR`.

# %% tags=["parameters"]
case_dir = "../data/cases/sample"
out_dir = "../reports/sample"
redact = False

# %%
import json
from pathlib import Path

import pandas as pd
from IPython.display import display

from review.build import build_report, manifest_tables

manifest = build_report(case_dir, out_dir, redact=redact, progress=False)
outputs = pd.DataFrame(
    [{"file": name, "bytes": out["bytes"], "sha256": out["sha256"][:16] + "…"}
     for name, out in sorted(manifest["outputs"].items())]
)
outputs

# %% [markdown]
# ## What the manifest records
# Input files and their hashes, the effective case and rules configuration, package versions and the
# hash of every output (listed above). Everything is shown in full; `manifest.json` in the report
# folder is the complete record.

# %%
tables = manifest_tables(manifest)
print(f"Case {manifest['case_id']}; options {manifest['options']}; SOURCE_DATE_EPOCH {manifest['source_date_epoch']}; "
      f"rules configuration sha256 {manifest['rules']['sha256'][:16]}…")
display(tables["counts"])
display(tables["inputs"])

# %% [markdown]
# ### The rules as they ran (the package's rules.yml merged with the case's)

# %%
with pd.option_context("display.max_rows", None, "display.max_colwidth", None):
    display(tables["rules"])
    display(tables["settings"])

# %% [markdown]
# ### case.yml and package versions

# %%
print(json.dumps(manifest["case_config"]["values"], indent=1, ensure_ascii=False, default=str))
with pd.option_context("display.max_rows", None):
    display(tables["packages"])

# %% [markdown]
# ## The charts as exported

# %%
from IPython.display import SVG

for svg in sorted(Path(out_dir).glob("**/*.svg")):
    print(svg.name)
    display(SVG(filename=str(svg)))
