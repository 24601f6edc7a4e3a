"""/healthz tells a load balancer whether the database, the queue and a worker are
alive, without naming any of them to the public."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.test import Client

from portal.models import Heartbeat
from portal.tasks import record_heartbeat

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def filesystem_queue(settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "q")}


def test_healthz_ok_with_embedded_defaults(client, filesystem_queue):
    with time_machine.travel(NOW, tick=False):
        record_heartbeat("worker-start")
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["queue"] == "ok"
    assert body["worker"] == "ok"


def test_healthz_names_no_broker_or_transport(client, filesystem_queue, settings):
    record_heartbeat()
    text = client.get("/healthz").content.decode().lower()
    for secret in ("filesystem", "redis", "amqp", "broker", "127.0.0.1"):
        assert secret not in text


def test_healthz_is_degraded_when_the_worker_heartbeat_is_stale(
    client, filesystem_queue
):
    with time_machine.travel(NOW - dt.timedelta(minutes=20), tick=False):
        record_heartbeat()
    with time_machine.travel(NOW, tick=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"] == "stale"


def test_healthz_is_degraded_before_any_worker_ran(client, filesystem_queue):
    assert not Heartbeat.objects.exists()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "not seen"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_checks_on_the_filesystem_queue_all_answer_ok(filesystem_queue):
    record_heartbeat()

    def check(_):
        return Client().get("/healthz").status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(check, range(80)))
    assert codes == [200] * 80


def test_healthz_is_503_with_a_clear_body_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["queue"] == "unreachable"


def test_healthz_needs_no_login(client):
    response = client.get("/healthz")
    assert response.status_code in (200, 503)
    assert response["Content-Type"] == "application/json"
