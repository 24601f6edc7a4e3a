"""Background work of the readiness store: the nightly refresh."""

from __future__ import annotations

from celery import shared_task

from portal.dates import agency_today

from . import services


@shared_task
def refresh_readiness_by_date() -> int:
    """Refresh everyone whose statuses changed by the date alone (something expired
    or started expiring today) or whose rows a large change marked stale; safe to
    run twice."""
    return services.readiness_catch_up(as_of=agency_today())
