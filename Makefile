# Two entry points for a fresh machine: `make run` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Where `make test` looks for PostgreSQL for its second run of the suite.
TEST_POSTGRES_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test

.PHONY: install run demo test lint bench migrate

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
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

# The whole suite on SQLite, then again on PostgreSQL when one answers at TEST_POSTGRES_URL.
test: lint
	$(PY) -m pytest
	@if $(PY) -m tests.postgres_probe "$(TEST_POSTGRES_URL)"; then \
		TEST_DATABASE_URL="$(TEST_POSTGRES_URL)" $(PY) -m pytest; \
	else \
		echo "PostgreSQL run skipped: nothing answers at $(TEST_POSTGRES_URL)"; \
	fi

bench: install
	$(PY) -m benchmarks
