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

.PHONY: venv run test test-sqlite test-postgres test-pgbouncer lint format migrate seed clean bench

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

# The whole suite on SQLite, then on PostgreSQL when TEST_POSTGRES_URL answers
# (REQUIRE_POSTGRES=1 turns an unreachable PostgreSQL into a failure, as CI does).
test: lint test-sqlite test-postgres

test-sqlite: venv
	DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 $(BIN)/pytest $(PYTEST_ARGS)
	@echo "== backend ran: sqlite"

test-postgres: venv
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(TEST_POSTGRES_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest $(PYTEST_ARGS) && echo "== backend ran: postgresql ($(TEST_POSTGRES_URL))"; \
	elif [ -n "$(REQUIRE_POSTGRES)" ]; then \
		echo "PostgreSQL is not reachable at $(TEST_POSTGRES_URL) and REQUIRE_POSTGRES is set." >&2; exit 1; \
	else \
		echo "== backend skipped: postgresql (not reachable at $(TEST_POSTGRES_URL))"; \
	fi

# The apps' suites (API, services, concurrency, transcript, admin) again, through PgBouncer in
# transaction mode with DB_PGBOUNCER=1.
# PgBouncer keeps server connections to the test database open, which stops Django from dropping
# it: drop it directly on PostgreSQL (WITH FORCE) before and after the run.
PGBOUNCER_TEST_DB := test_$(notdir $(PGBOUNCER_URL))
DROP_PGBOUNCER_TEST_DB := $(BIN)/python -c "import psycopg; psycopg.connect('$(TEST_POSTGRES_URL)', \
	autocommit=True).execute('DROP DATABASE IF EXISTS $(PGBOUNCER_TEST_DB) WITH (FORCE)')"

test-pgbouncer: venv
	bash .ci/pgbouncer
	$(DROP_PGBOUNCER_TEST_DB)
	DATABASE_URL=$(PGBOUNCER_URL) DB_PGBOUNCER=1 $(BIN)/pytest accounts interviews assessments $(PYTEST_ARGS)
	$(DROP_PGBOUNCER_TEST_DB)
	@echo "== backend ran: postgresql through pgbouncer ($(PGBOUNCER_URL))"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# The benchmark suite (docs/performance.md): a scratch PostgreSQL database from BENCH_ADMIN_URL
# (default postgres://postgres@127.0.0.1:5432/postgres), gunicorn on loopback, the peer stack
# (bench/peer/, uvicorn) beside it, one table; `wrk` (Debian package) drives the peer figures
# when installed. BENCH_ARGS passes options, e.g. `make bench BENCH_ARGS="--profile --keep"`.
bench: venv
	$(BIN)/python -m bench $(BENCH_ARGS)
