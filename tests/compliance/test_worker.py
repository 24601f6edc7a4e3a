"""The site ZIP built by a real Celery worker over Redis, on PostgreSQL (CI's
PostgreSQL + Redis pass; skipped elsewhere)."""

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from compliance.models import ExportJob
from tests.factories import StaffProfileFactory
from tests.workers import purge_broker, stop_shared_worker, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker():
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL=redis://...")
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from portal.celery import app

    stop_shared_worker()  # this worker alone takes the queue's tasks
    purge_broker()  # nothing another run left behind reaches this worker
    app.conf.task_always_eager = False
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/"
        f"{db['NAME']}",
        "PRIVATE_MEDIA_ROOT": settings.PRIVATE_MEDIA_ROOT,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        # The test database has no cache table (tests use a local-memory cache).
        "CACHE_URL": "locmemcache://",
        # Three people in two chunks: the job, its chunks and the ZIP each a task.
        "EXPORT_CHUNK_SIZE": "2",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
    )
    yield proc
    proc.terminate()
    proc.wait(timeout=20)
    app.conf.task_always_eager = True
    purge_broker()


def test_a_real_worker_builds_the_zip(client, hr, team, worker):
    StaffProfileFactory.create_batch(3, team=team)
    client.force_login(hr)
    response = client.post(
        "/compliance/exports/", {"site": team.site.pk, "as_of": "2026-03-03"}
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302

    def finished() -> bool:
        job.refresh_from_db()
        return job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED)

    wait_for(finished, timeout=90)
    assert job.status == ExportJob.Status.DONE, job.label
    # Every person drawn; the chunks (two of them here) go once the ZIP is made.
    assert job.done_people == job.total_people == 3
    assert job.chunks.count() == 0
    download = client.get(f"/compliance/exports/{job.pk}/download/")
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert len(archive.namelist()) == 3
