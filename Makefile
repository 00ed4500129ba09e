# Set-up is part of every target: `make demo` and `make test` create .venv and install the package.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench notebooks lab clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Main job: build the full report of the bundled sample case into reports/sample/
demo: $(STAMP)
	$(BIN)/review build data/cases/sample

## All tests (what CI runs): one worker per core (pytest-xdist), each test file on one worker
test: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest -n auto --dist loadfile

## Benchmarks (not part of the tests)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py

## Execute the notebook suite on the sample case into reports/sample/notebooks/
notebooks: $(STAMP)
	$(BIN)/review notebooks data/cases/sample

## Open JupyterLab on the notebook suite
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache
