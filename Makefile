# Two commands matter: `make run` (set up and serve) and `make test` (set up and test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 0.0.0.0
WORKERS ?= 1
LOAD_SECONDS ?= 60
LOAD_CONNECTIONS ?= 64

.PHONY: run test lint vignettes interview contracts bench load system-deps install dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files make re-runs instant while reinstalling when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

# Debian packages the tests and benchmarks drive: Chromium (docs browser test) and wrk
# (load). Installed only when missing; needs root and apt-get, as on CI and dev machines.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
	    || ! command -v wrk >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium chromium-driver wrk >/dev/null; \
	fi

run: install
	$(BIN)/thigh-triage serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: dev system-deps
	$(BIN)/python -m pytest

lint: dev
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	$(BIN)/mypy app bench
	$(BIN)/bandit -q -r app

vignettes: dev
	$(BIN)/python -m tests.vignettes

interview: dev
	$(BIN)/python -m tests.vignettes.interview

contracts: dev
	$(BIN)/python -m app.contracts

bench: dev system-deps
	$(BIN)/python -m bench

load: dev system-deps
	$(BIN)/python -m bench.load --seconds $(LOAD_SECONDS) --connections $(LOAD_CONNECTIONS)

clean:
	rm -rf $(VENV) *.egg-info
