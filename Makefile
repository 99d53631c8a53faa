# Two commands matter: `make run` (set up and serve) and `make test` (set up and test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 0.0.0.0
WORKERS ?= 1

.PHONY: run test lint vignettes interview contracts install dev clean

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

run: install
	$(BIN)/uvicorn app.main:app --host $(HOST) --port $(PORT) --workers $(WORKERS) --no-access-log

test: dev
	$(BIN)/python -m pytest

lint: dev
	$(BIN)/ruff check app tests
	$(BIN)/ruff format --check app tests
	$(BIN)/mypy app

vignettes: dev
	$(BIN)/python -m tests.vignettes

interview: dev
	$(BIN)/python -m tests.vignettes.interview

clean:
	rm -rf $(VENV) *.egg-info

contracts: dev
	$(BIN)/python -m app.contracts
