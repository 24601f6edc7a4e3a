"""One way to queue background work: after commit, and never at the cost of the page.

``enqueue(task, *args)`` publishes once the surrounding transaction has committed.
A broker that is down is logged, not raised: the user's action stands, and the
periodic re-queue tasks (and the worker's start-up) find the unsent work again
from the database. ``watch()`` lets a caller (a view, the reminder scan) learn
which publishes failed so it can say so.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Iterator
from smtplib import SMTPException
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

if TYPE_CHECKING:
    from celery import Task

logger = logging.getLogger(__name__)

_failures: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "milieu_queue_failures", default=None
)


def publish(task: Task[Any, Any], *args: Any) -> bool:
    """Publish ``task`` now; False (logged) when the broker refuses or is down."""
    from portal.celery import app

    if app.conf.task_always_eager:
        task.apply_async(args=args)
        return True
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure must not break the caller
        logger.exception(
            "Could not queue %s%r; it will be queued again", task.name, args
        )
        failed = _failures.get()
        if failed is not None:
            failed.append(task.name)
        return False
    return True


def enqueue(task: Task[Any, Any], *args: Any) -> None:
    """Queue ``task`` with ``args`` once the current transaction commits."""
    transaction.on_commit(lambda: publish(task, *args))


# A mail server or broker that is down for a while: retried, then given up.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    SMTPException,
    ConnectionError,
    TimeoutError,
)


def retrying(**overrides: Any) -> dict[str, Any]:
    """Options for a task that sends email: acknowledged late, retried on a transient
    error with backoff (30 s to an hour), at most EMAIL_TASK_MAX_RETRIES times."""
    return {
        "acks_late": True,
        "autoretry_for": TRANSIENT_ERRORS,
        "retry_backoff": 30,
        "retry_backoff_max": 3600,
        "retry_jitter": True,
        "max_retries": settings.EMAIL_TASK_MAX_RETRIES,
        **overrides,
    }


@contextlib.contextmanager
def watch() -> Iterator[list[str]]:
    """Collect, in the yielded list, the names of tasks whose publish failed
    inside the block (after-commit publishes included when the block commits)."""
    failed: list[str] = []
    token = _failures.set(failed)
    try:
        yield failed
    finally:
        _failures.reset(token)
