"""Thin background tasks for credentials: each loads ids and calls a service."""

from __future__ import annotations

import datetime as dt
from smtplib import SMTPException

from celery import shared_task

from portal.dates import agency_today

_RETRY = {
    "acks_late": True,
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**_RETRY)
def send_reminders(reminder_ids: list[int]) -> int:
    """Send a batch of claimed reminders; already sent ones are skipped."""
    from .reminders import reminder_send

    return sum(1 for pk in reminder_ids if reminder_send(reminder_id=pk))


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


@shared_task(**_RETRY)
def send_digest(digest_id: int) -> bool:
    from .reminders import digest_send

    return digest_send(digest_id=digest_id)


@shared_task(**_RETRY)
def send_decision_email(credential_id: int) -> bool:
    from .services import decision_email_send

    return decision_email_send(credential_id=credential_id)


@shared_task(**_RETRY)
def send_resubmission_email(credential_id: int) -> bool:
    from .services import resubmission_email_send

    return resubmission_email_send(credential_id=credential_id)
