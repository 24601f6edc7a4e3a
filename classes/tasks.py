"""Thin background tasks for classes and CE: each loads ids and calls a service."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from portal.dates import agency_today
from portal.queue import retrying


@shared_task(acks_late=True)
def send_booking_email(booking_id: int, kind: str) -> bool:
    """Kept for tasks queued before the outbox: puts the email in the outbox (once)."""
    from .services import booking_email_add

    with transaction.atomic():
        return booking_email_add(booking_id=booking_id, kind=kind)


@shared_task(acks_late=True)
def queue_class_reminders() -> int:
    """Daily (beat): the day-before reminders; a booking is reminded once."""
    from .services import reminders_queue

    return reminders_queue()


@shared_task(acks_late=True)
def queue_ce_reminders() -> int:
    """Daily (beat): CE shortfall reminders at the license's reminder steps."""
    from .services import ce_reminders_queue

    return ce_reminders_queue(today=agency_today())


@shared_task(**retrying())
def send_ce_reminder(log_id: int) -> bool:
    from .services import ce_reminder_send

    return ce_reminder_send(log_id=log_id)
