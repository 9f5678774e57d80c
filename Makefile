# Peer Support — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint worker beat bench bench-stories bench-chat bench-safety bench-crisis migrate check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed-run

## run: start the whole app with demo data at http://127.0.0.1:8000 (SQLite, in-memory channels, inline tasks unless DATABASE_URL/REDIS_URL are set)
run: $(VENV)/.installed-run
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py seed_demo
	@echo "Peer Support is starting at http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	DEBUG=$${DEBUG:-true} $(BIN)/uvicorn peersupport.asgi:application --host $(HOST) --port $(PORT) --ws websockets-sansio --proxy-headers

## test: run the whole test suite
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## lint: ruff lint and format check (CI runs it before the tests)
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## worker: a real Celery worker (needs REDIS_URL)
worker: $(VENV)/.installed-run
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL to run a real Celery worker." && exit 1)
	$(BIN)/celery -A peersupport worker --loglevel=INFO --concurrency=2

## beat: the Celery beat scheduler (needs REDIS_URL)
beat: $(VENV)/.installed-run
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL to run Celery beat." && exit 1)
	$(BIN)/celery -A peersupport beat --loglevel=INFO --schedule=$${CELERY_BEAT_SCHEDULE_FILE:-/tmp/peersupport-celerybeat-schedule}

## bench: every benchmark (story pages on PostgreSQL, then chat delivery on Redis); prints percentiles and same-run baselines
bench: bench-stories bench-chat bench-safety bench-crisis

## bench-stories: load-test the group home, story list and a 50-reply story page against a no-query baseline, with wrk at 16 connections; prints every target of issue #16 (needs DATABASE_URL on PostgreSQL; ~3 minutes)
bench-stories: $(VENV)/.installed-dev
	$(BIN)/python -m bench.stories

## bench-chat: chat delivery benchmark next to a bare-ASGI broadcast floor, same harness and clients (needs REDIS_URL; a real uvicorn process, 200 clients)
bench-chat: $(VENV)/.installed-dev
	$(BIN)/python -m bench.chat $(BENCH_ARGS)

## bench-safety: safety pipeline latency, post to verdict and to the facilitator's alert (needs REDIS_URL and PostgreSQL; one real worker, 200 posts)
bench-safety: $(VENV)/.installed-dev
	$(BIN)/python -m bench.safety

## bench-crisis: crisis detector quality per category on dev (and test when present) and time per text (no services needed)
bench-crisis: $(VENV)/.installed-dev
	$(BIN)/python -m bench.crisis

migrate: $(VENV)/.installed-run
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput

check: $(VENV)/.installed-dev
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* test-db.sqlite3* staticfiles artifacts
