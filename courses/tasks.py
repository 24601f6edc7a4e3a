"""Background work for training: thin tasks that call a service."""

from celery import shared_task

from portal.dates import agency_today

from . import services


@shared_task
def assign_due_retraining() -> int:
    """Daily: create the next assignment for completions whose re-training is near."""
    return services.retraining_assign_due(as_of=agency_today())
