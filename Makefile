# medvirk: two commands do everything on a fresh machine.
#   make run   -> creates .venv, installs pinned dependencies, runs the workflow and builds the report
#   make test  -> the same set-up, then lint and the test suite
STUDY ?= fhi2016
CORES ?= 2
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock pip setuptools wheel
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/snakemake --cores $(CORES) --config study=$(STUDY)
	$(BIN)/snakemake --cores $(CORES) --config study=$(STUDY) --report results/$(STUDY)/report.html
	@echo "Done. Tables: results/$(STUDY)/tables/  Audit: results/$(STUDY)/reproduction/audit.md  Report: results/$(STUDY)/report.html"

lint: $(STAMP)
	$(BIN)/ruff check src tests workflow/scripts benchmarks notebooks
	$(BIN)/ruff format --check src tests workflow/scripts benchmarks
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(BIN)/snakemake --lint --cores 1

test: $(STAMP) lint
	$(BIN)/pytest

# Re-pin after changing dependencies in pyproject.toml (needs the package registry).
lock:
	rm -rf .lockenv && python3 -m venv .lockenv
	.lockenv/bin/pip install --quiet pip setuptools wheel -e '.[dev]'
	.lockenv/bin/pip freeze --all --exclude-editable | grep -v '^medvirk' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf .snakemake data/processed/* results/*
