# Two commands for a newcomer: `make run` and `make test` (Python 3.11+ and make are enough).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# PgBouncer (transaction pooling) in front of the local PostgreSQL, started by .ci/pgbouncer.
PGBOUNCER_URL ?= postgres://postgres@127.0.0.1:6432/root
# `make run` is a development server: debug on, SQLite unless .env says otherwise.
DEV_ENV := DJANGO_DEBUG=1

.PHONY: venv run test test-sqlite test-postgres test-system test-e2e test-pgbouncer lint format migrate seed clean bench

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

# Beside runserver, a Celery worker with embedded beat (the sweeper) runs the jobs in the
# background, on the same settings (the embedded broker in .queue/ unless .env names one).
# Prefork with one process rather than solo: the jobs' time limits need it. The worker stops
# when runserver does (Ctrl-C, or an error); restart `make run` after changing a job's code.
run: venv
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed
	@mkdir -p .queue
	@$(DEV_ENV) $(BIN)/celery -A config worker --beat --schedule=.queue/beat-schedule \
		--pool=prefork --concurrency=1 --loglevel=INFO & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

migrate: venv
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

seed: venv
	$(DEV_ENV) $(BIN)/python manage.py seed

# Style, then migrations: models and migrations agree, and no migration is unsafe to deploy
# (initial migrations only create tables, so the linter skips them).
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV_ENV) DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 $(BIN)/python manage.py lintmigrations \
		--ignore-initial-migrations --no-cache --sql-analyser postgresql -q ok ignore

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Every test once: lint, the fast suite on SQLite (no system or browser tests; the
# `postgres`-marked ones skip), then the whole suite on PostgreSQL when TEST_POSTGRES_URL answers
# (system and e2e included; REQUIRE_POSTGRES=1 turns an unreachable PostgreSQL into a failure, as
# CI does). pytest-xdist runs XDIST_WORKERS workers; the tests that share a Redis database, the
# browser, the served site or Celery workers stay in one worker (conftest.py, `--dist loadgroup`).
# XDIST_WORKERS=0 runs serially. `make test-system`, `make test-e2e` and `make test-pgbouncer` run
# one slice each (PYTEST_ARGS passes options to every one, e.g. PYTEST_ARGS="-k lockout").
XDIST_WORKERS ?= 2
XDIST := $(if $(filter 0,$(XDIST_WORKERS)),,-n $(XDIST_WORKERS) --dist loadgroup)
FAST_TESTS := -m "not system and not e2e"

test: lint test-sqlite test-postgres

test-sqlite: venv
	DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 $(BIN)/pytest $(XDIST) $(FAST_TESTS) $(PYTEST_ARGS)
	@echo "== backend ran: sqlite (not system, not e2e)"

# Run `pytest $(1)` on TEST_POSTGRES_URL, or skip (fail under REQUIRE_POSTGRES) when it is down.
define on_postgres
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(TEST_POSTGRES_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest $(1) $(PYTEST_ARGS) && echo "== backend ran: postgresql ($(TEST_POSTGRES_URL)) $(2)"; \
	elif [ -n "$(REQUIRE_POSTGRES)" ]; then \
		echo "PostgreSQL is not reachable at $(TEST_POSTGRES_URL) and REQUIRE_POSTGRES is set." >&2; exit 1; \
	else \
		echo "== backend skipped: postgresql (not reachable at $(TEST_POSTGRES_URL))"; \
	fi
endef

test-postgres: venv
	$(call on_postgres,$(XDIST),everything)

# Real processes: gunicorn, Celery workers on RabbitMQ, a PostgreSQL cluster, manage.py.
test-system: venv
	$(call on_postgres,$(XDIST) -m system,system)

# The browser tests (Debian's Chromium and chromedriver).
test-e2e: venv
	$(call on_postgres,-m e2e,e2e)

# The tests marked `pgbouncer` (locks, concurrency, transcript appends, lockout, token auth,
# services in transactions) again, through PgBouncer in transaction mode with DB_PGBOUNCER=1.
# PgBouncer keeps server connections to the test databases open, which stops Django from dropping
# them: drop them directly on PostgreSQL (WITH FORCE) before and after the run (one per xdist
# worker: test_root_gw0, test_root_gw1...).
PGBOUNCER_TEST_DB := test_$(notdir $(PGBOUNCER_URL))
DROP_PGBOUNCER_TEST_DB := $(BIN)/python -c "import psycopg; server = psycopg.connect('$(TEST_POSTGRES_URL)', \
	autocommit=True); names = server.execute(r\"SELECT datname FROM pg_database WHERE datname ~ '^$(PGBOUNCER_TEST_DB)(_gw[0-9]+)?$$'\").fetchall(); \
	[server.execute(f'DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)') for (name,) in names]"

test-pgbouncer: venv
	bash .ci/pgbouncer
	$(DROP_PGBOUNCER_TEST_DB)
	DATABASE_URL=$(PGBOUNCER_URL) DB_PGBOUNCER=1 $(BIN)/pytest $(XDIST) -m pgbouncer $(PYTEST_ARGS)
	$(DROP_PGBOUNCER_TEST_DB)
	@echo "== backend ran: postgresql through pgbouncer ($(PGBOUNCER_URL)), -m pgbouncer"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# The benchmark suite (docs/performance.md): a scratch PostgreSQL database from BENCH_ADMIN_URL
# (default postgres://postgres@127.0.0.1:5432/postgres), gunicorn on loopback, the peer stack
# (bench/peer/, uvicorn) beside it, one table; `wrk` (Debian package) drives the peer figures
# when installed. BENCH_ARGS passes options, e.g. `make bench BENCH_ARGS="--profile --keep"`.
bench: venv
	$(BIN)/python -m bench $(BENCH_ARGS)
