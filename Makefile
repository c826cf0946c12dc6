# Open Safeguarding: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_ENV := OSG_DEMO_MODE=1
STAMP := $(VENV)/.installed

.PHONY: demo demo-reset serve install cin-validator test lint typecheck migrations-check pytest bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): requirements/base.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

## make cin-validator: the DfE CIN census rules (csc-validator-be-cin) in their own venv, .venv-cin/.
## Isolated because the validator pins pandas<2 and numpy<2 (statutory.md §2); census.validation
## runs it as a subprocess. Hash-locked: requirements/cin-validator.txt.
CIN_VENV := .venv-cin
CIN_STAMP := $(CIN_VENV)/.installed
$(CIN_STAMP): requirements/cin-validator.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(CIN_VENV)
	@echo '*' > $(CIN_VENV)/.gitignore
	$(CIN_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements/cin-validator.txt
	touch $(CIN_STAMP)

cin-validator: $(CIN_STAMP)

## make demo: install, migrate an SQLite database under var/, load synthetic demo data, serve it.
demo: install
	@mkdir -p var
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --no-input -v 0
	$(DEMO_ENV) $(BIN)/python manage.py seed_synthetic --demo
	PORT=$(PORT) scripts/serve_demo.sh

## make demo-reset: throw away the demo database and start again.
demo-reset:
	rm -f var/db.sqlite3 var/db.sqlite3-wal var/db.sqlite3-shm
	$(MAKE) demo

## make test: lint, types, migrations check and the whole pytest suite (browser tests included).
## Uses PostgreSQL when DATABASE_URL is set, SQLite otherwise.
test: install lint typecheck migrations-check pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy config safeguarding

migrations-check: install
	$(DEMO_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

pytest: install cin-validator
	$(BIN)/pytest -n 2 --dist loadfile

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(CIN_VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
