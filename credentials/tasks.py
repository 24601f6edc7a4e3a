"""Thin background tasks for credentials: each loads ids and calls a service."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from portal.dates import agency_today
from portal.queue import retrying


class ReminderBatchRetry(ConnectionError):
    """Some rows of a batch met a mail server that was down: retry those."""


@shared_task(**retrying())
def send_reminders(reminder_ids: list[int]) -> int:
    """Send a batch of claimed reminders, each on its own; sent ones are skipped.
    Rows that met a transient error make the task retry (the sent rows skip)."""
    from .reminders import reminders_send_batch

    result = reminders_send_batch(reminder_ids=reminder_ids)
    if result.transient:
        raise ReminderBatchRetry(
            f"{len(result.transient)} of {len(reminder_ids)} reminders not sent yet"
        )
    return result.sent


@shared_task(acks_late=True)
def scan_credential_reminders(day: str | None = None) -> int:
    """The daily scan (beat, at the agency's reminder hour)."""
    from .reminders import reminder_scan

    today = dt.date.fromisoformat(day) if day else agency_today()
    return reminder_scan(today=today).queued


@shared_task(acks_late=True)
def queue_weekly_digests() -> int:
    from .reminders import digest_scan

    return digest_scan(today=agency_today())


@shared_task(acks_late=True)
def send_digest(digest_id: int) -> bool:
    from .reminders import digest_send

    return digest_send(digest_id=digest_id)


@shared_task(**retrying())
def send_decision_email(credential_id: int) -> bool:
    from .services import decision_email_send

    return decision_email_send(credential_id=credential_id)


@shared_task(acks_late=True)
def send_resubmission_email(credential_id: int) -> bool:
    """Kept for tasks queued before the outbox: puts the email in it (once)."""
    from django.db import transaction

    from .services import resubmission_email_add

    with transaction.atomic():
        return resubmission_email_add(credential_id=credential_id)


@shared_task(acks_late=True)
def requeue_unsent(older_than_minutes: int = 10) -> int:
    """Queue again the reminders and decision emails still unsent (a broker or a
    worker that was down): beat runs this every few minutes, and so does a
    worker when it starts."""
    from .reminders import digests_requeue, reminders_requeue
    from .services import decision_emails_requeue

    return (
        reminders_requeue(older_than_minutes=older_than_minutes)
        + decision_emails_requeue(older_than_minutes=older_than_minutes)
        + digests_requeue(older_than_minutes=older_than_minutes)
    )
