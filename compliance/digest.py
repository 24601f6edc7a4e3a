"""What the roll-up adds to the weekly digest: new hires not ready for the floor."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format

from portal.models import StaffProfileQuerySet
from portal.registry import DigestLine, DigestSection
from portal.rollup import readiness_for

# As on HR's dashboard: hired within this many days.
NEW_HIRE_DAYS = 90


def digest_new_hires_not_ready(
    *, staff_qs: StaffProfileQuerySet, today: dt.date
) -> DigestSection:
    """People hired in the last 90 days who are not yet ready for the floor, with
    what they still lack before their first shift."""
    hires = list(
        staff_qs.current(as_of=today)
        .filter(
            hire_date__lte=today,
            hire_date__gte=today - dt.timedelta(days=NEW_HIRE_DAYS),
        )
        .select_related("user", "job_role")
        .order_by("hire_date", "user__last_name", "pk")
    )
    readiness = readiness_for(staff_ids=[s.pk for s in hires], as_of=today)
    lines = []
    for staff in hires:
        r = readiness.get(staff.pk)
        if r is None or r.ready_for_floor:
            continue
        missing = [
            c.label for c in r.requirements if c.before_first_shift and not c.is_met
        ]
        lines.append(
            DigestLine(
                staff_id=staff.pk,
                name=staff.full_name,
                text=f"hired {date_format(staff.hire_date, 'DATE_FORMAT')}; "
                f"still needs {', '.join(missing) or 'a first-shift requirement'}",
            )
        )
    return DigestSection(
        key="new_hires_not_ready",
        title="New hires not ready for the floor",
        lines=lines,
    )
