"""Health endpoints (spec section 6): liveness, database reachability, and a staff-only report."""

import time
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsStaffRole
from config.staticfiles import static_files_report
from core import jobs
from core.breaker import database_breaker

# A health probe must answer quickly even when the database hangs.
PROBE_TIMEOUT_SECONDS = 2
# What login does while the cache is unreachable (README, "Accounts, login and lockout").
LOGIN_WHILE_CACHE_DOWN = (
    "unavailable: every login answers 503 service_unavailable (the admin login form an error) "
    "until the cache answers again, as the unknown-email lockout counts and throttles live there"
)
REGISTRATION_WHILE_CACHE_DOWN = "; registration too, as its throttle cannot count"


def _now() -> str:
    return timezone.now().isoformat()


def ping_database(alias: str = DEFAULT_DB_ALIAS) -> float:
    """Run `SELECT 1` and return the round trip in milliseconds; raise if unreachable."""
    connection = connections[alias]
    started = time.perf_counter()
    pool = getattr(connection, "pool", None)
    if pool is not None:
        pool.open()
        with pool.connection(timeout=PROBE_TIMEOUT_SECONDS) as pooled:
            pooled.execute("SELECT 1")
    else:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:
            # Drop the broken connection so the next request reconnects by itself.
            connection.close_if_unusable_or_obsolete()
            raise
    return round((time.perf_counter() - started) * 1000, 2)


@never_cache
@require_GET
def liveness(request):
    return JsonResponse({"status": "healthy", "version": settings.VERSION, "timestamp": _now()})


@never_cache
@require_GET
def database(request):
    try:
        latency_ms = ping_database()
    except Exception as error:  # any failure to reach the database is the answer, not a crash
        database_breaker.record_failure(error)
        return JsonResponse(
            {
                "status": "unhealthy",
                "database": "disconnected",
                "error": str(error).strip() or error.__class__.__name__,
                "timestamp": _now(),
            },
            status=503,
        )
    database_breaker.record_success()
    return JsonResponse(
        {
            "status": "healthy",
            "database": "connected",
            "latency_ms": latency_ms,
            "timestamp": _now(),
        }
    )


class DetailedHealthView(APIView):
    """Database latency, pool statistics, unapplied migrations, cache, static files and background
    jobs, for staff."""

    permission_classes = [IsStaffRole]

    @extend_schema(responses={200: dict, 503: dict})
    def get(self, request):
        report = {"timestamp": _now(), "version": settings.VERSION}
        healthy = True
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            report["database"] = {
                "status": "connected",
                "vendor": connection.vendor,
                "latency_ms": ping_database(),
            }
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            report["migrations"] = {
                "unapplied": [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
            }
        except Exception as error:
            healthy = False
            report["database"] = {"status": "disconnected", "error": str(error).strip()}
        pool = getattr(connection, "pool", None)
        report["pool"] = pool.get_stats() if pool is not None else None
        report["cache"] = self._cache_report()
        report["static"] = static_files_report()
        report["jobs"] = self._jobs_report()
        healthy = healthy and report["cache"]["status"] == "ok"
        healthy = healthy and report["jobs"]["status"] == "ok"
        healthy = healthy and report["static"]["status"] == "ok"
        report["status"] = "healthy" if healthy else "unhealthy"
        return Response(report, status=200 if healthy else 503)

    @staticmethod
    def _cache_report() -> dict:
        """The cache's state, and what login does meanwhile (accounts keeps its state there)."""
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        started = time.perf_counter()
        try:
            cache.set("health:probe", "ok", timeout=10)
            ok = cache.get("health:probe") == "ok"
        except Exception as error:
            return {
                "status": "error",
                "backend": backend,
                "error": str(error).strip() or error.__class__.__name__,
                "login": LOGIN_WHILE_CACHE_DOWN
                + (REGISTRATION_WHILE_CACHE_DOWN if settings.LOGIN_THROTTLE_RATE else ""),
            }
        latency_ms = round((time.perf_counter() - started) * 1000, 2)
        return {
            "status": "ok" if ok else "error",
            "backend": backend,
            "latency_ms": latency_ms,
            "login": "available",
        }

    @staticmethod
    def _jobs_report() -> dict:
        """The broker (its URL's scheme only), the default queue's depth, and the unfinished
        work the apps' probes count (core.jobs), with the oldest one's age."""
        app = current_app  # config.celery's app (the tests make another one current)
        broker = urlsplit(app.conf.broker_url)
        queue = app.conf.task_default_queue
        report = {"status": "ok", "broker": broker.scheme}
        started = time.perf_counter()
        try:
            with app.connection_for_read() as connection:
                connection.ensure_connection(max_retries=0)  # one attempt, within the timeout
                channel = connection.default_channel
                if connection.transport.driver_type == "amqp":
                    # Passive: count the messages without creating the queue.
                    try:
                        depth = channel.queue_declare(queue=queue, passive=True).message_count
                    except connection.channel_errors:
                        depth = 0  # no worker nor publisher has declared it yet
                else:
                    # Virtual transports count what waits: LLEN on Redis, the message files
                    # of the queue on the filesystem; declaring creates nothing there.
                    depth = channel.queue_declare(queue=queue).message_count
        except Exception as error:
            message = str(error).strip() or error.__class__.__name__
            if broker.password:
                message = message.replace(broker.password, "**")
            report.update(status="error", error=message)
        else:
            report["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
            report["queues"] = {queue: depth}
        try:
            work = jobs.pending_work()
            report["pending"] = {
                name: {"count": count, "oldest": oldest.isoformat() if oldest else None}
                for name, (count, oldest) in work.items()
            }
            report["oldest_unfinished_age_seconds"] = jobs.oldest_unfinished_job_age(work)
        except Exception as error:  # the database section reports why
            report["pending"] = {"error": str(error).strip() or error.__class__.__name__}
        return report
