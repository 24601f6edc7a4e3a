"""Reads of the readiness store: verdicts and statuses as WHERE clauses and
aggregates. Every read first brings the store up to the date it serves."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from portal.dates import agency_today
from portal.requirements import Status

from . import services

# The verdict filters of ``compliance.rollup.VERDICT_FILTERS`` over a
# ``StaffProfile`` queryset (tests hold the two together).
VERDICT_WHERE = {
    "not_ready": Q(readiness__ready_for_floor=False),
    "ready": Q(readiness__ready_for_floor=True),
    "not_compliant": Q(readiness__fully_compliant=False),
    "compliant": Q(readiness__fully_compliant=True),
    "has_expired": Q(readiness__expired__gt=0) | Q(readiness__overdue__gt=0),
    "has_expiring": Q(readiness__expiring__gt=0),
    "has_pending": Q(readiness__pending__gt=0),
}
MET = sorted(Status.MET)
LAPSED = [Status.EXPIRED, Status.OVERDUE]


def store_serves(as_of: dt.date) -> bool:
    """The store holds today; any other date is read from the dated records."""
    return as_of == agency_today()


def store_ready(*, as_of: dt.date) -> None:
    """Refresh whoever is stale for ``as_of`` (usually no one): two small queries."""
    services.readiness_ensure_fresh(as_of=as_of)
