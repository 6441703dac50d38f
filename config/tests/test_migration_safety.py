"""Migration safety on a seeded PostgreSQL database: every migration reverses and re-applies
without losing a row, and the whole project reverses to zero and migrates again.

Each test works in a scratch database of its own (`migsafe_<random>`, dropped afterwards) and
runs `manage.py` in subprocesses pointed at it, as an operator would. `makemigrations --check`
is in accounts/tests/test_migrations.py, with the zero-and-back run on an empty database.
"""

import itertools
import os
import re
import subprocess
import sys
import uuid
from collections import defaultdict
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

pytestmark = [pytest.mark.postgres, pytest.mark.system]

PROJECT_APPS = ("accounts", "interviews", "assessments")
PLAN_LINE = re.compile(r"^\[(?P<applied>[ X])\]\s+(?P<app>\w+)\.(?P<name>\w+)")


def manage(database: "ScratchDatabase", *args: str) -> str:
    """Run a manage.py command against the scratch database; return its output."""
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        cwd=settings.BASE_DIR,
        env=database.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


class ScratchDatabase:
    """A PostgreSQL database of its own on the test server, with the environment to reach it."""

    def __init__(self, media_root):
        server = connections[DEFAULT_DB_ALIAS].settings_dict
        self.name = f"migsafe_{uuid.uuid4().hex[:12]}"
        self.server_params = {
            "host": server["HOST"] or "127.0.0.1",
            "port": server["PORT"] or 5432,
            "user": server["USER"],
            "password": server["PASSWORD"],
            "dbname": "postgres",
            "autocommit": True,
        }
        credentials = quote(server["USER"] or "")
        if server["PASSWORD"]:
            credentials += ":" + quote(server["PASSWORD"])
        host, port = self.server_params["host"], self.server_params["port"]
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{credentials}@{host}:{port}/{self.name}",
            # Demo resumes are files: keep them out of the work tree.
            "MEDIA_ROOT": str(media_root),
            "SEED_PASSWORD": "migration-safety-demo-password",
        }

    def connect(self, dbname: str | None = None):
        import psycopg

        return psycopg.connect(**{**self.server_params, "dbname": dbname or self.name})

    def create(self) -> None:
        with self.connect("postgres") as server:
            server.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with self.connect("postgres") as server:
            server.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def row_counts(self) -> dict[str, int]:
        """Return the number of rows of every table in the public schema."""
        with self.connect() as conn:
            tables = [
                table
                for (table,) in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            return {
                table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in tables
            }

    def schema(self) -> set[tuple[str, str, str]]:
        """Return every constraint and index of the public schema, with its definition."""
        with self.connect() as conn:
            constraints = conn.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                "WHERE n.nspname = 'public'"
            ).fetchall()
            indexes = conn.execute(
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            ).fetchall()
        return set(constraints) | set(indexes)


@pytest.fixture
def scratch_database(tmp_path) -> ScratchDatabase:
    database = ScratchDatabase(media_root=tmp_path / "media")
    database.create()
    try:
        yield database
    finally:
        database.drop()


def migration_plan(database: ScratchDatabase) -> list[tuple[str, str, bool]]:
    """Return (app, migration, applied) for every migration, in the order they apply."""
    plan = []
    for line in manage(database, "showmigrations", "--plan").splitlines():
        match = PLAN_LINE.match(line.strip())
        if match:
            plan.append((match["app"], match["name"], match["applied"] == "X"))
    assert plan, "showmigrations --plan listed no migration"
    return plan


def project_migrations(plan) -> dict[str, list[str]]:
    """Return each project app's migrations in the order they apply, apps in plan order."""
    migrations = defaultdict(list)
    for app, name, _applied in plan:
        if app in PROJECT_APPS:
            migrations[app].append(name)
    return dict(migrations)


def project_tables(counts: dict[str, int]) -> set[str]:
    return {table for table in counts if table.split("_", 1)[0] in PROJECT_APPS}


def seed(database: ScratchDatabase, *, demo: bool = False) -> dict[str, int]:
    """Migrate and load a small single-organization load (and the two-organization demo data
    when asked); return the row counts.

    The organizations migrations refuse to reverse while data would be lost (another
    organization, an owner, a position or an invitation: the demo has them all), so the
    back-and-forth runs on the data a single-tenant deployment had before them.
    """
    manage(database, "migrate", "--noinput")
    if demo:
        manage(database, "seed")
    manage(
        database,
        *("seed", "--candidates", "20", "--interviews-per-candidate", "1"),
        *("--messages-per-interview", "10"),
    )
    if not demo:
        # The load seed also makes the demo accounts of both organizations; keep `default`'s.
        with database.connect() as conn:
            conn.execute(
                "DELETE FROM accounts_user WHERE role = 'owner' OR organization_id IN "
                "(SELECT id FROM accounts_organization WHERE slug <> 'default')"
            )
            conn.execute("DELETE FROM accounts_organization WHERE slug <> 'default'")
    counts = database.row_counts()
    for table in (
        "accounts_user",
        "interviews_candidate",
        "interviews_interview",
        "interviews_interviewsession",
        "interviews_interviewmessage",
        "interviews_interviewstatuschange",
        "assessments_assessmentresult",
    ):
        assert counts[table] > 0, f"the seed left {table} empty"
    return counts


def test_every_migration_reverses_and_reapplies_on_seeded_data_keeping_every_row(
    scratch_database,
):
    seeded = seed(scratch_database)
    schema = scratch_database.schema()
    migrations = project_migrations(migration_plan(scratch_database))

    steps = 0
    for app, names in migrations.items():
        # Latest first: unapply one migration at a time (with whatever depends on it in other
        # apps), then migrate everything forward again.
        for previous, migration in reversed(list(itertools.pairwise(names))):
            manage(scratch_database, "migrate", app, previous, "--noinput")
            plan = migration_plan(scratch_database)
            assert (app, migration, False) in plan, f"{app}.{migration} was not unapplied"
            backed_off = scratch_database.row_counts()
            manage(scratch_database, "migrate", "--noinput")
            steps += 1

            after = scratch_database.row_counts()
            kept = {table for table in seeded if table in backed_off and table in after}
            changed = {
                table: (seeded[table], after[table])
                for table in kept
                if seeded[table] != after[table]
            }
            assert not changed, f"{app}.{migration} back and forth changed row counts: {changed}"
            assert set(after) == set(seeded), f"{app}.{migration}: tables differ"
            assert scratch_database.schema() == schema, f"{app}.{migration}: schema differs"
    assert steps >= 1, "no project app has more than one migration to step back over"


def test_organizations_migrations_refuse_to_reverse_when_data_would_be_lost(scratch_database):
    seeded = seed(scratch_database, demo=True)
    schema = scratch_database.schema()

    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "migrate", "accounts", "0001"],
        cwd=settings.BASE_DIR,
        env=scratch_database.env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode != 0
    assert "Cannot reverse" in result.stderr
    assert scratch_database.row_counts() == seeded
    assert scratch_database.schema() == schema
    assert all(done for _app, _name, done in migration_plan(scratch_database))


def test_project_reverses_to_zero_on_seeded_data_and_migrates_again(scratch_database):
    seeded = seed(scratch_database)
    schema = scratch_database.schema()
    plan = migration_plan(scratch_database)
    apps_in_plan_order = list(dict.fromkeys(app for app, _name, _ in plan if app in PROJECT_APPS))
    assert set(apps_in_plan_order) == set(PROJECT_APPS)

    # Dependents first. Migrating an app to zero also unapplies other apps' migrations that
    # depend on it (admin's log entries point at the user model).
    for app in reversed(apps_in_plan_order):
        manage(scratch_database, "migrate", app, "zero", "--noinput")
    assert project_tables(scratch_database.row_counts()) == set()
    applied = {(app, name) for app, name, done in migration_plan(scratch_database) if done}
    assert not {app for app, _name in applied if app in PROJECT_APPS}

    # Forward again from nothing. The seeded rows went with their tables at zero, so only the
    # tables (and their constraints and indexes) are expected back, not the data.
    manage(scratch_database, "migrate", "--noinput")
    assert set(scratch_database.row_counts()) == set(seeded)
    assert scratch_database.schema() == schema
    assert all(done for _app, _name, done in migration_plan(scratch_database))
