"""A real Celery worker process for the tests marked ``worker``.

They run only where CI's second pass runs them: PostgreSQL as the database and
Redis as the broker, because the worker, a separate process, must see the test
database and share the broker with the test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def real_services_or_skip() -> None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine or not settings.CELERY_BROKER_URL.startswith(
        "redis://"
    ):
        pytest.skip("needs DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://…")


def test_database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{auth}{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def purge_broker() -> None:
    """Empty the queue, and drop the messages a killed worker held unacknowledged:
    Redis would hand those back to a later worker, with the ids of another run's
    rows."""
    from portal.celery import app

    with app.connection_for_write() as conn:
        channel = conn.default_channel
        channel.queue_purge(app.conf.task_default_queue)
        client = getattr(channel, "client", None)  # Redis only
        if client is not None:
            client.delete(channel.unacked_key, channel.unacked_index_key)


def broker_idle() -> bool:
    """True when every queued task has run: nothing waits in the queue and nothing
    is held unacknowledged (tasks are acknowledged late, once they are done)."""
    from portal.celery import app

    with app.connection_for_write() as conn:
        channel = conn.default_channel
        waiting = channel.client.llen(app.conf.task_default_queue)
        held = channel.client.hlen(channel.unacked_key)
    return waiting == 0 and held == 0


def hand_back_unacknowledged() -> int:
    """What Redis does once the visibility timeout has passed: the messages a killed
    worker held unacknowledged go back to the queue. Returns how many did."""
    from portal.celery import app

    with app.connection_for_write() as conn:
        channel = conn.default_channel
        tags = channel.client.zrange(channel.unacked_index_key, 0, -1)
        for tag in tags:
            channel.qos.restore_by_tag(tag, client=channel.client)
    return len(tags)


@contextlib.contextmanager
def eager_off() -> Iterator[None]:
    from portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = before


def start_worker(
    var_dir: Path, *, concurrency: int = 2, extra_env=None, shared: bool = False
) -> subprocess.Popen:
    """Start ``celery worker`` on the test database; mail goes to var_dir/mail. The
    shared worker (``running_worker``) stops first unless this is it."""
    if not shared:
        stop_shared_worker()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MILIEU_VAR_DIR": str(var_dir),
        # The test database has no cache table (the test settings use locmem).
        "CACHE_URL": "locmemcache://",
        **(extra_env or {}),
    }
    env.pop("EMAIL_URL", None)
    var_dir.mkdir(parents=True, exist_ok=True)
    log = open(var_dir / "worker.log", "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_worker(process: subprocess.Popen, *, kill: bool = False) -> None:
    """Stop the worker and its pool children (SIGKILL when ``kill``)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_for(
    check: Callable[[], bool], *, timeout: float = 120, every: float = 0.1
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()


class RunningWorker:
    """A worker the tests share: its process and the folder of its log and mail."""

    def __init__(self, process: subprocess.Popen, var_dir: Path) -> None:
        self.process = process
        self.var_dir = var_dir

    def log(self) -> str:
        return (self.var_dir / "worker.log").read_text(errors="replace")[-3000:]

    def mails(self) -> str:
        """Every email the worker has written so far."""
        return "".join(
            path.read_text(errors="replace")
            for path in sorted((self.var_dir / "mail").glob("*.log"))
        )


# The shared worker: started by the first test that asks for a running worker, kept
# for the next ones, stopped before any test starts a worker of its own (two workers
# on one queue would take each other's tasks) and before the database is dropped.
_shared: RunningWorker | None = None


def stop_shared_worker() -> None:
    global _shared
    if _shared is not None:
        stop_worker(_shared.process)
        _shared = None


@pytest.fixture(scope="session")
def _shared_worker_session(django_db_setup) -> Iterator[None]:
    yield
    stop_shared_worker()


@pytest.fixture
def running_worker(_shared_worker_session, tmp_path_factory) -> Iterator[RunningWorker]:
    """A real worker (prefork, two children) shared by the tests that need a running
    worker, not its start (they run one after the other, see tests/conftest.py);
    each test meets an empty queue and runs with eager mode off."""
    global _shared
    real_services_or_skip()
    purge_broker()
    if _shared is None or _shared.process.poll() is not None:
        var_dir = tmp_path_factory.mktemp("shared-worker")
        _shared = RunningWorker(start_worker(var_dir, shared=True), var_dir)
    with eager_off():
        yield _shared
    purge_broker()
