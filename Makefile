# Every target sets up what it needs by itself: a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo test lint typecheck pytest fuzz db-upgrade content-check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: apply migrations and run the bot against Telegram (needs TELEGRAM_BOT_TOKEN)
run: $(STAMP)
	$(BIN)/stretchbot run

## demo: try the bot without Telegram: a local chat page at http://127.0.0.1:8080
demo: $(STAMP)
	$(BIN)/stretchbot demo

## test: lint, type-check and run every test (SQLite and PostgreSQL)
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check bot sandbox tests benchmarks alembic
	$(BIN)/ruff format --check bot sandbox tests benchmarks alembic/env.py

typecheck: $(STAMP)
	$(BIN)/mypy --strict bot sandbox

pytest: $(STAMP)
	$(BIN)/pytest -p no:cacheprovider

## fuzz: the crowd test at full length (FUZZ_UPDATES actions per backend; figures in fuzz-report.jsonl)
FUZZ_UPDATES ?= 10000
fuzz: $(STAMP)
	FUZZ_UPDATES=$(FUZZ_UPDATES) FUZZ_SECONDS=$${FUZZ_SECONDS:-3600} FUZZ_REPORT=fuzz-report.jsonl \
		$(BIN)/pytest -p no:cacheprovider -s tests/fuzz

db-upgrade: $(STAMP)
	$(BIN)/stretchbot db upgrade

content-check: $(STAMP)
	$(BIN)/stretchbot content check

bench: $(STAMP)
	$(BIN)/python -m benchmarks.dispatch

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
