"""Background work of the readiness store: the nightly refresh and the daily
check against the records."""

from __future__ import annotations

import logging

from celery import shared_task

from portal.dates import agency_today

from . import services

logger = logging.getLogger(__name__)


@shared_task
def refresh_readiness_by_date() -> int:
    """Refresh everyone whose statuses changed by the date alone (something expired
    or started expiring today) or whose rows a large change marked stale; safe to
    run twice."""
    services.catch_up_started()
    return services.readiness_catch_up(as_of=agency_today())


@shared_task
def check_readiness_sample() -> int:
    """Check today's seventh of the agency against the records (everyone once a
    week) and repair what differs, logging each repair; safe to run twice."""
    repaired = services.readiness_check_sample()
    for difference in repaired:
        logger.warning("readiness store repaired: %s", difference)
    return len(repaired)
