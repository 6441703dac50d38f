"""Migrations: in step with the models, and every one applies and reverses to zero."""

import os
import subprocess
import sys
import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

# Our apps, dependents first: the order to unapply them in.
PROJECT_APPS = ["assessments", "interviews", "accounts"]


@pytest.mark.django_db
def test_models_and_migrations_are_in_step():
    # --check exits with status 1 (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr}"
    return result


def migrated_project_apps() -> list[str]:
    """Our apps that have migrations, dependents first."""
    migrated = MigrationLoader(None, ignore_no_migrations=True).migrated_apps
    return [label for label in PROJECT_APPS if label in migrated]


@pytest.fixture
def scratch_postgres_url():
    """An empty PostgreSQL database of its own, dropped afterwards; yield its URL."""
    import psycopg

    server = connections[DEFAULT_DB_ALIAS].settings_dict
    name = f"migcheck_{uuid.uuid4().hex[:12]}"
    params = {
        "host": server["HOST"] or "127.0.0.1",
        "port": server["PORT"] or 5432,
        "user": server["USER"],
        "password": server["PASSWORD"],
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(params["user"] or "")
    if params["password"]:
        credentials += ":" + quote(params["password"])
    try:
        yield (
            f"postgres://{credentials}@{params['host']}:{params['port']}/{name}",
            params | {"dbname": name},
        )
    finally:
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def project_tables(params: dict) -> set[str]:
    import psycopg

    with psycopg.connect(**params) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {table for (table,) in rows if table.split("_", 1)[0] in PROJECT_APPS}


@pytest.mark.postgres
def test_every_migration_applies_on_an_empty_database_and_reverses_to_zero(scratch_postgres_url):
    url, params = scratch_postgres_url
    manage("migrate", "--noinput", database_url=url)
    migrated = project_tables(params)
    assert {"accounts_user", "accounts_accesstoken"} <= migrated

    for label in migrated_project_apps():
        manage("migrate", label, "zero", "--noinput", database_url=url)
    assert project_tables(params) == set()

    manage("migrate", "--noinput", database_url=url)
    assert project_tables(params) == migrated
    plan = manage("showmigrations", "--plan", database_url=url).stdout
    assert "[ ]" not in plan
