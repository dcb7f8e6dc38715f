# The Makefile is the manual: `make` lists the targets from their `## ` comments.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STATS := $(PY) -m stats
KNOWN_ON ?=
# UNREVIEWED=1: `make report` also lets in the candidates no analyst has reviewed (marked)
UNREVIEWED ?=
# the datasets: folders of data/hand/ with a dataset.yml (title, start, country)
DATASETS := $(patsubst data/hand/%/dataset.yml,%,$(wildcard data/hand/*/dataset.yml))
# the dataset `make report` builds when none is named (DATASET=name for another)
DEFAULT_DATASET := syria-2024
DATASET ?= $(DEFAULT_DATASET)

RAW_FILES := $(shell find data/raw -type f 2>/dev/null | LC_ALL=C sort)
HAND_FILES := $(shell find data/hand -type f 2>/dev/null | LC_ALL=C sort)
STATS_SRC := $(shell find stats -name '*.py' -o -name '*.j2' 2>/dev/null | LC_ALL=C sort)
TABLES := claims.parquet claims.csv rejects.csv events.csv candidates.csv estimates.csv daily.csv conflicts.csv build.json
PROCESSED := $(foreach d,$(DATASETS),$(addprefix data/processed/$(d)/,$(TABLES)))

.PHONY: help install verify data report notebooks test bench lint format clean checksums

help: ## Show this help
	@awk -v dataset='$(DATASET)' -v default='$(DEFAULT_DATASET)' 'BEGIN {FS = ":.*## "; printf "Usage: make TARGET\n\n"} /^[a-zA-Z_-]+:.*## / {gsub(/\$$\(DATASET\)/, dataset, $$2); gsub(/\$$\(DEFAULT_DATASET\)/, default, $$2); printf "  %-11s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## Create .venv and install the package with its dev tools (from pyproject.toml + requirements.lock)

verify: $(VENV)/.installed ## Check data/raw against SHA256SUMS (run by every `make data` and `make report`)
	$(STATS) data --verify-only

# verify is order-only: it runs on every make data/report (a raw file changed with an old
# mtime is noticed) without forcing a rebuild when nothing changed
$(PROCESSED) &: $(RAW_FILES) $(HAND_FILES) $(STATS_SRC) $(VENV)/.installed | verify
	$(STATS) data

data: $(PROCESSED) ## Verify raw checksums, ingest, validate, apply review decisions and write data/processed/<dataset>/ (claims, rejects, events, candidates, estimates, daily, conflicts, build.json)

report: $(PROCESSED) ## Build reports/$(DATASET)/index.html (DATASET=name, default $(DEFAULT_DATASET); KNOWN_ON=YYYY-MM-DD for the view as known that day; UNREVIEWED=1 to let unreviewed candidates in, marked)
	$(if $(KNOWN_ON),$(STATS) data --dataset $(DATASET) --known-on $(KNOWN_ON))
	$(if $(UNREVIEWED),$(STATS) data --include-unreviewed)
	$(STATS) report --dataset $(DATASET) $(if $(KNOWN_ON),--known-on $(KNOWN_ON)) $(if $(UNREVIEWED),--include-unreviewed)

notebooks: $(VENV)/.installed ## Execute notebooks/*.ipynb into reports/notebooks/
	$(STATS) notebooks

# loadgroup: the tests of a file on one worker, except the files tests/conftest.py spreads or
# groups; no reorder: the slowest start first (the order tests/conftest.py gives)
test: $(VENV)/.installed ## Run the test suite (unit tests, doctests, notebooks, browser test where Chromium exists), on 2 workers
	$(PY) -m pytest -q -n 2 --dist loadgroup --no-loadscope-reorder

bench: $(VENV)/.installed ## Run the benchmarks in bench/ (speed and memory; prints a table per benchmark)
	@set -e; for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f; done

lint: $(VENV)/.installed ## Check style with ruff
	$(PY) -m ruff check stats tests bench
	$(PY) -m ruff format --check stats tests bench

format: $(VENV)/.installed ## Reformat code with ruff
	$(PY) -m ruff check --fix stats tests bench
	$(PY) -m ruff format stats tests bench

clean: ## Remove generated files (never touches data/raw)
	rm -rf data/processed/* reports/* .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

checksums: ## Rewrite data/raw/SHA256SUMS after adding a raw file (a deliberate, reviewed act)
	cd data/raw && find . -type f ! -name SHA256SUMS ! -name '.*' -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum > SHA256SUMS
