# Two entry points for a fresh machine: `make run` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Where `make test` looks for PostgreSQL for its second run of the suite.
TEST_POSTGRES_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
# The exact versions the suite runs with, and the lowest ones pyproject.toml allows; both are
# written by `make lock` from pyproject.toml.
LOCK := requirements.lock
LOWEST := requirements-lowest.txt
# requirements-lowest.txt is resolved for the lowest Python pyproject.toml allows.
LOWEST_PYTHON ?= python3.11
LOWEST_VENV ?= .venv-lowest
LOWEST_PY := $(LOWEST_VENV)/bin/python
# The uv that `make lock` resolves with (pinned, so the same pyproject.toml gives the same files).
UV_VERSION := 0.13.9
UV_COMPILE := $(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	--quiet --custom-compile-command "make lock"

.PHONY: install run demo test test-lowest lint bench migrate lock

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $@

run: install
	$(PY) -m bot

demo: install
	$(PY) -m bot demo

migrate: install
	$(PY) -m db upgrade

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

# The whole suite on SQLite, then again on PostgreSQL when one answers at TEST_POSTGRES_URL.
test: lint
	$(PY) -m pytest
	@if $(PY) -m tests.postgres_probe "$(TEST_POSTGRES_URL)"; then \
		TEST_DATABASE_URL="$(TEST_POSTGRES_URL)" $(PY) -m pytest; \
	else \
		echo "PostgreSQL run skipped: nothing answers at $(TEST_POSTGRES_URL)"; \
	fi

# ruff and the fast part of the suite (SQLite) on the lowest allowed version of every direct
# dependency, installed by plain pip into a virtual environment of their own.
test-lowest: $(LOWEST_VENV)/.installed
	$(LOWEST_PY) -m ruff check .
	$(LOWEST_PY) -m ruff format --check .
	$(LOWEST_PY) -m pytest -m "not slow"

$(LOWEST_VENV)/.installed: pyproject.toml $(LOWEST)
	rm -rf $(LOWEST_VENV)
	$(LOWEST_PYTHON) -m venv $(LOWEST_VENV)
	$(LOWEST_PY) -m pip install --quiet --upgrade pip
	$(LOWEST_PY) -m pip install --quiet -c $(LOWEST) -e '.[dev]'
	touch $@

# Resolve pyproject.toml again: the newest allowed versions into the lock, the lowest allowed
# direct dependencies into requirements-lowest.txt. Then run `make test` and `make test-lowest`.
# Needs no install of the project: a bound raised past the old lock must not stop its renewal.
lock:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(UV_COMPILE) --upgrade -o $(LOCK)
	$(UV_COMPILE) --upgrade --resolution lowest-direct -o $(LOWEST)

bench: install
	$(PY) -m benchmarks
