"""The section the classes app adds to a person's page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone

from portal.dates import agency_today
from portal.permissions import may_book_for_others

from . import selectors

if TYPE_CHECKING:
    from portal.models import StaffProfile
    from portal.types import AuthenticatedHttpRequest


def person(
    request: AuthenticatedHttpRequest, staff: StaffProfile, **_: Any
) -> str | None:
    """Their upcoming classes, the classes that would renew what is expiring, and
    their CE progress."""
    from credentials.selectors import requirement_statuses

    today = agency_today()
    attention = [
        r
        for r in requirement_statuses(staff_ids=[staff.pk], as_of=today)
        if r.status in ("expiring", "expired", "missing")
    ]
    offers = []
    for row in attention:
        type_id = int(row.key.split(":")[1])
        sessions = selectors.sessions_renewing(credential_type_id=type_id)
        offers.append({"row": row, "sessions": sessions})
    cycles = [
        c for c in selectors.ce_cycles_for(staff=staff) if getattr(c, "is_current", 0)
    ]
    is_self = staff.user_id == request.user.pk
    return render_to_string(
        "classes/panels/person.html",
        {
            "staff": staff,
            "bookings": list(selectors.bookings_upcoming(staff=staff)),
            "attended": selectors.classes_attended(staff=staff),
            "offers": offers,
            "cycles": cycles,
            "may_book": is_self or may_book_for_others(request.user),
            "is_self": is_self,
        },
        request=request,
    )


def home_teaching(request: AuthenticatedHttpRequest, **_: Any) -> str | None:
    """ "My upcoming sessions" for an instructor of record: seats and a link to each
    roster; nothing for someone who teaches no class."""
    now = timezone.now()
    sessions = selectors.sessions_taught_by(user=request.user, now=now)
    if not sessions:
        return None
    return render_to_string(
        "classes/panels/home_teaching.html",
        {"sessions": sessions[:5], "now": now},
        request=request,
    )
