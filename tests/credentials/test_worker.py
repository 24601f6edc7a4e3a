"""Against real PostgreSQL, Redis and a real Celery worker: reminders queued twice,
and a worker killed with SIGKILL mid-batch, each end with exactly one email per
(credential, step, recipient)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db.models import F

from credentials.models import ReminderLog
from credentials.reminders import reminder_scan
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory
from tests.factories import StaffProfileFactory, TeamFactory, make_supervisor
from tests.workers import (
    broker_idle,
    eager_off,
    hand_back_unacknowledged,
    purge_broker,
    real_services_or_skip,
    start_worker,
    stop_worker,
)

EXP = dt.date(2026, 6, 15)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _needs_real_services():
    real_services_or_skip()


@pytest.fixture
def celery_live():
    """Eager mode off in this process; the queue purged before and after."""
    purge_broker()
    with eager_off():
        yield
    purge_broker()


def _start_worker(var_dir: Path, concurrency: int = 2, **extra_env) -> subprocess.Popen:
    return start_worker(
        var_dir,
        concurrency=concurrency,
        extra_env={"CONN_MAX_AGE": "0", "LOG_LEVEL": "WARNING", **extra_env},
    )


def _kill(proc: subprocess.Popen) -> None:
    stop_worker(proc, kill=True)


def _stop(proc: subprocess.Popen) -> None:
    stop_worker(proc)


def _mails(var_dir: Path) -> Counter:
    """(recipient, subject) of every email the worker wrote."""
    seen: Counter = Counter()
    for path in (var_dir / "mail").glob("*.log"):
        text = path.read_text(errors="replace")
        for block in text.split("-" * 79):
            subject = re.search(r"^Subject: (.+)$", block, re.M)
            to = re.search(r"^To: (.+)$", block, re.M)
            if subject and to:
                seen[(to.group(1).strip(), subject.group(1).strip())] += 1
    return seen


def _in_send_delay() -> bool:
    return ReminderLog.objects.filter(
        sending_at__isnull=False, sent_at__isnull=True
    ).exists()


def _wait_until(predicate, timeout: float, what: str, var_dir: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    log = (var_dir / "worker.log").read_text(errors="replace")[-3000:]
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log}")


def _seed(count: int) -> None:
    ctype = CredentialTypeFactory(name="CPR / First Aid", code="cpr-worker")
    team = TeamFactory()
    make_supervisor(team, email="sup@example.org")
    for i in range(count):
        CredentialFactory(
            staff=StaffProfileFactory(team=team, user__email=f"w{i}@example.org"),
            credential_type=ctype,
            expires_on=EXP,
        )


def _sent() -> int:
    return ReminderLog.objects.filter(sent_at__isnull=False).count()


def test_reminders_queued_twice_are_sent_once(celery_live, tmp_path):
    from credentials.tasks import send_reminders

    _seed(6)
    # Staff and supervisor: 12 reminders in 7 emails (one for the supervisor).
    today = EXP - dt.timedelta(days=30)
    first = reminder_scan(today=today)
    assert first.claimed == 12 and first.queued == 12
    # The same reminders queued again (a duplicated beat, a re-sent message).
    ids = list(ReminderLog.objects.values_list("pk", flat=True))
    send_reminders.delay(ids)
    send_reminders.delay(ids[:5])
    assert reminder_scan(today=today).queued == 0
    worker = _start_worker(tmp_path)
    try:
        _wait_until(lambda: _sent() == 12, 120, "12 sent reminders", tmp_path)
        # The duplicate tasks run too: wait until the broker has none left.
        _wait_until(broker_idle, 120, "the duplicate tasks to run", tmp_path)
    finally:
        _stop(worker)
    mails = _mails(tmp_path)
    assert len(mails) == 7
    assert set(mails.values()) == {1}, mails
    assert sum(1 for to, _ in mails if to == "sup@example.org") == 1


def test_worker_killed_mid_batch_then_restarted_sends_each_reminder_once(
    celery_live, tmp_path, settings
):
    _seed(10)
    today = EXP - dt.timedelta(days=7)  # 20 reminders, 11 emails
    env = {"REMINDER_SEND_DELAY_SECONDS": "0.4", "REMINDER_TASK_BATCH": "4"}
    settings.REMINDER_TASK_BATCH = 4
    assert reminder_scan(today=today).queued == 20
    # One child process, so we know where it is when we kill it: an email is
    # written a moment before its row is marked sent, and a kill inside that
    # moment would be the one (accepted, tiny) way to send twice. Right after a
    # row is marked sent the child is 0.1 s into the next row's 0.4 s delay.
    worker = _start_worker(tmp_path, concurrency=1, **env)
    try:
        _wait_until(lambda: _sent() >= 3, 120, "the first sends", tmp_path)
        # Killed while the next row waits in its send delay (being sent, not sent).
        _wait_until(_in_send_delay, 120, "the next row in its send delay", tmp_path)
    finally:
        _kill(worker)  # SIGKILL to the main process and its children
    sent_before = _sent()
    assert 3 <= sent_before < 20
    # An hour later, the row killed inside its send delay is no longer held as
    # being sent. Nothing is lost: the next scan re-queues the claimed, unsent
    # rows, and so does the restarted worker (two deliveries of each, on two
    # processes; the ten-minute "in flight" guard keeps them from sending twice).
    hour = dt.timedelta(hours=1)
    ReminderLog.objects.update(claimed_at=F("claimed_at") - hour)
    ReminderLog.objects.filter(sending_at__isnull=False).update(
        sending_at=F("sending_at") - hour
    )
    # ... and Redis hands back the messages the killed worker held (a third delivery).
    hand_back_unacknowledged()
    again = reminder_scan(today=today)
    assert again.claimed == 0 and again.queued == 20 - sent_before
    worker = _start_worker(tmp_path, REMINDER_SEND_DELAY_SECONDS="0")
    try:
        _wait_until(lambda: _sent() == 20, 120, "all 20 sent", tmp_path)
        # The second delivery of each row runs too: wait until the broker is empty.
        _wait_until(broker_idle, 120, "the second deliveries to run", tmp_path)
    finally:
        _stop(worker)
    mails = _mails(tmp_path)
    assert sum(mails.values()) == 11  # the supervisor's 10 rows in one email
    assert set(mails.values()) == {1}, mails
    expected = {
        (r.recipient.email, r.staff.user.email)
        for r in ReminderLog.objects.select_related("recipient", "staff__user")
    }
    assert len(expected) == 20
