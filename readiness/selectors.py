"""Reads of the readiness store: verdicts and statuses as WHERE clauses and
aggregates. Every read first brings the store up to the date it serves."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from portal.dates import agency_today
from portal.models import StaffProfile
from portal.requirements import RequirementStatus, Status, annotate

from . import services

# The verdict filters of ``portal.rollup.VERDICT_FILTERS`` over a
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


def store_ready(*, as_of: dt.date, among: QuerySet[StaffProfile] | None = None) -> int:
    """Refresh whoever is stale for ``as_of`` among the people a page reads
    (``among``; everyone when None): usually no one, two small queries. A read
    never refreshes people it does not show.
    When more people are stale than a request refreshes itself (a change to the
    whole agency, being refreshed by a worker), the rows are read as they are and
    the number still behind is returned, for the page to say so."""
    return services.readiness_ensure_fresh(
        as_of=as_of, limit=services.inline_limit(), among=among
    )


STORED_CELL_FIELDS = (
    "staff_id",
    "key",
    "label",
    "kind",
    "status",
    "before_first_shift",
    "due_on",
    "expires_on",
    "detail",
    "url",
)


def stored_cell(row: dict) -> RequirementStatus:
    """A cell as the roll-up would build it, from its stored row (no notes yet)."""
    return RequirementStatus(**{name: row[name] for name in STORED_CELL_FIELDS})


def readiness_from_store(*, staff_ids: list[int], as_of: dt.date) -> dict:
    """``portal.rollup.readiness_for`` for today, read from the store: two
    queries plus the annotators' (a booked class), whatever the number of
    requirements. The caller has brought the store up to ``as_of``
    (``store_ready``)."""
    from portal.rollup import Readiness

    from .models import PersonReadiness, RequirementState

    on_staff = set(
        PersonReadiness.objects.filter(
            staff_id__in=staff_ids, on_staff=True
        ).values_list("staff_id", flat=True)
    )
    rows: dict[int, list[RequirementStatus]] = {pk: [] for pk in staff_ids}
    # Tuples in the order of RequirementStatus's first fields (no dict per cell:
    # a page of 50 people holds over 1,000 cells).
    for values in RequirementState.objects.filter(staff_id__in=staff_ids).values_list(
        *STORED_CELL_FIELDS
    ):
        rows[values[0]].append(RequirementStatus(*values))
    annotate(rows=rows, as_of=as_of)
    out = {}
    for pk in staff_ids:
        readiness = Readiness(staff_id=pk, on_staff=pk in on_staff, as_of=as_of)
        readiness.cells = {cell.key: cell for cell in rows[pk]}
        out[pk] = readiness
    return out
