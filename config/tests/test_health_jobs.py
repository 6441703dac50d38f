"""The `jobs` section of /health/detailed: broker, queue depth, oldest unfinished work, on real
RabbitMQ, on the embedded filesystem broker, and with the broker unreachable."""

import threading
from datetime import timedelta

import pytest
import redis
from django.urls import reverse
from django.utils import timezone

from config.tests.job_tasks import record
from config.tests.workers import (
    current_app_on,
    delete_queue,
    require_rabbitmq,
    unique_queue,
)
from conftest import closed_port, redis_reachable
from core import jobs

pytestmark = [pytest.mark.django_db, pytest.mark.system]


@pytest.fixture
def rabbitmq() -> str:
    return require_rabbitmq()


@pytest.fixture
def embedded_broker(tmp_path):
    """The filesystem broker in a folder of its own, as the settings configure it."""
    folders = {
        "data_folder_in": tmp_path / "messages",
        "data_folder_out": tmp_path / "messages",
        "control_folder": tmp_path / "control",
    }
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    options = {name: str(folder) for name, folder in folders.items()}
    queue = unique_queue()
    with current_app_on("filesystem://localhost//", queue, broker_transport_options=options):
        yield queue, folders["data_folder_in"]


def test_detailed_health_reports_the_default_broker_and_queue(admin_api, settings):
    response = admin_api.get(reverse("health-detailed"))
    assert response.status_code == 200
    report = response.json()["jobs"]
    assert report["status"] == "ok"
    assert report["broker"] == settings.CELERY_BROKER_URL.split(":", 1)[0]
    assert set(report["queues"]) == {settings.CELERY_TASK_DEFAULT_QUEUE}
    assert report["latency_ms"] >= 0


def test_detailed_health_counts_the_waiting_message_files_of_the_embedded_broker(
    admin_api, embedded_broker
):
    queue, messages = embedded_broker
    for number in range(3):
        record.apply_async((f"waiting-{number}",))
    assert len(list(messages.iterdir())) == 3
    response = admin_api.get(reverse("health-detailed"))
    assert response.status_code == 200
    report = response.json()["jobs"]
    assert (report["status"], report["broker"]) == ("ok", "filesystem")
    assert report["queues"] == {queue: 3}


def test_detailed_health_reports_the_oldest_unfinished_work_of_the_probes(
    admin_api, embedded_broker, monkeypatch
):
    now = timezone.now()
    monkeypatch.setitem(jobs.PENDING_WORK, "resumes", lambda: (2, now - timedelta(seconds=90)))
    monkeypatch.setitem(jobs.PENDING_WORK, "deliveries", lambda: (0, None))
    report = admin_api.get(reverse("health-detailed")).json()["jobs"]
    assert report["pending"] == {
        "resumes": {"count": 2, "oldest": (now - timedelta(seconds=90)).isoformat()},
        "deliveries": {"count": 0, "oldest": None},
    }
    assert 90 <= report["oldest_unfinished_age_seconds"] < 120


def test_detailed_health_reads_the_queue_depth_from_rabbitmq(admin_api, rabbitmq):
    queue = unique_queue()
    try:
        with current_app_on(rabbitmq, queue):
            missing = admin_api.get(reverse("health-detailed")).json()["jobs"]
            for number in range(2):  # no worker consumes them
                record.apply_async((f"waiting-{number}",))
            response = admin_api.get(reverse("health-detailed"))
    finally:
        delete_queue(rabbitmq, queue)
    assert missing["queues"] == {queue: 0}  # not declared yet: nothing waits
    assert response.status_code == 200
    report = response.json()["jobs"]
    assert (report["status"], report["broker"]) == ("ok", "amqp")
    assert report["queues"] == {queue: 2}
    assert "guest" not in response.content.decode()


def test_detailed_health_is_unhealthy_while_the_broker_is_unreachable(admin_api):
    broker_url = f"amqp://jobs:broker-secret@127.0.0.1:{closed_port()}//"
    with current_app_on(broker_url, unique_queue()):
        response = admin_api.get(reverse("health-detailed"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["database"]["status"] == "connected"
    report = body["jobs"]
    assert (report["status"], report["broker"]) == ("error", "amqp")
    assert "refused" in report["error"].lower()
    assert "queues" not in report
    assert "broker-secret" not in response.content.decode()


def test_detailed_health_reads_the_queue_depth_from_redis(admin_api):
    broker_url = "redis://127.0.0.1:6379/6"  # the Redis database of the job tests
    if not redis_reachable(broker_url):
        pytest.skip(f"Redis is not reachable at {broker_url}")
    queue = unique_queue()
    try:
        with current_app_on(broker_url, queue, broker_transport_options={}):
            for number in range(2):
                record.apply_async((f"waiting-{number}",))
            response = admin_api.get(reverse("health-detailed"))
    finally:  # the queue's list and kombu's bindings of it
        client = redis.Redis.from_url(broker_url)
        client.delete(*client.keys(f"*{queue}*"))
    assert response.status_code == 200
    report = response.json()["jobs"]
    assert (report["status"], report["broker"]) == ("ok", "redis")
    assert report["queues"] == {queue: 2}


def test_every_thread_publishes_through_the_project_app():
    """gunicorn serves requests on threads of its own: they must see config.celery's app, as
    `shared_task`s (and this report) resolve the current app per thread."""
    from config.celery import app

    seen = []
    thread = threading.Thread(target=lambda: seen.append(record._get_current_object().app))
    thread.start()
    thread.join()
    assert seen == [app]
