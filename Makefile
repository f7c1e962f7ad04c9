# Every target sets up what it needs by itself: a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Exact versions with their hashes (`make lock` writes them from pyproject.toml); the Dockerfile
# installs requirements/main.lock, the same resolution without the development tools.
LOCK := requirements/dev.lock
UV_VERSION := 0.13.8
UV_COMPILE := pip compile pyproject.toml requirements/build.in --universal --python-version 3.11 \
	--generate-hashes --quiet

.PHONY: run demo test lint typecheck pytest fuzz db-upgrade content-check bench lock clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# pip checks every hash and refuses anything unpinned; the project itself goes in last, editable,
# built with the pinned setuptools from the lock (no build isolation, so nothing unpinned is fetched).
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

## lock: resolve pyproject.toml again into requirements/*.lock (uv, installed here from PyPI)
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv $(UV_COMPILE) -o requirements/main.lock
	$(BIN)/uv $(UV_COMPILE) --extra dev -o requirements/dev.lock

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

## fuzz: the crowd test at full length (FUZZ_UPDATES actions per backend, FUZZ_IN_FLIGHT updates
## unanswered at once, as the outside check's bursts of 100; figures in fuzz-report.jsonl)
FUZZ_UPDATES ?= 10000
FUZZ_IN_FLIGHT ?= 100
fuzz: $(STAMP)
	FUZZ_UPDATES=$(FUZZ_UPDATES) FUZZ_IN_FLIGHT=$(FUZZ_IN_FLIGHT) FUZZ_SECONDS=$${FUZZ_SECONDS:-3600} \
		FUZZ_REPORT=fuzz-report.jsonl \
		$(BIN)/pytest -p no:cacheprovider -s tests/fuzz

db-upgrade: $(STAMP)
	$(BIN)/stretchbot db upgrade

content-check: $(STAMP)
	$(BIN)/stretchbot content check

## bench: every benchmark the README quotes (JSON lines, each ends with a summary against issue
## 18's targets); `make bench QUICK=1` for the smaller runs. Runs them all, fails if any missed.
QUICK ?=
BENCH_QUICK = $(if $(filter-out 0 no false,$(QUICK)),--quick)
bench: $(STAMP)
	@status=0; \
	$(BIN)/python -m benchmarks.planning || status=1; \
	$(BIN)/python -m benchmarks.dispatch $(BENCH_QUICK) || status=1; \
	$(BIN)/python -m benchmarks.burst $(BENCH_QUICK) --cases quiet,burst,paid,crowd || status=1; \
	$(BIN)/python -m benchmarks.signup $(BENCH_QUICK) || status=1; \
	$(BIN)/python -m benchmarks.holds || status=1; \
	$(BIN)/python -m benchmarks.symptoms || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

## messages: extract the bot's texts into every bot/locale/*/LC_MESSAGES/messages.po (new ones
## empty, changed ones fuzzy), for a translator to fill in; the catalog test fails until they do
messages: $(STAMP)
	$(BIN)/python -c "from bot.i18n.messages import update; update()"
