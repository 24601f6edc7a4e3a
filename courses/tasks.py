"""Background work for training: thin tasks that call a service."""

from celery import shared_task
from django.core.management import call_command

from portal.dates import agency_today

from . import services


@shared_task
def assign_due_retraining() -> int:
    """Daily: create the next assignment for completions whose re-training is near."""
    return services.retraining_assign_due(as_of=agency_today())


@shared_task
def publish_scheduled_pages() -> None:
    """Every few minutes: Wagtail publishes pages whose go-live time has come and
    unpublishes those past their expiry (its ``publish_scheduled``); idempotent."""
    call_command("publish_scheduled", verbosity=0)
