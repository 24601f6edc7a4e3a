"""HTML panels the credentials app adds to the home page and a person's page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from portal.dates import agency_today
from portal.roles import is_hr

from . import selectors

if TYPE_CHECKING:
    from portal.models import StaffProfile
    from portal.types import AuthenticatedHttpRequest


def home_staff(
    request: AuthenticatedHttpRequest, staff: StaffProfile | None = None, **_: Any
) -> str | None:
    """Your credentials that need attention (expiring, expired, missing, pending)."""
    if staff is None:
        return None
    rows, attention = selectors.credentials_needing_attention(
        staff=staff, today=agency_today()
    )
    return render_to_string(
        "credentials/panels/home_staff.html",
        {
            "attention": attention,
            "total": len(rows),
            "unread": selectors.unread_notification_count(user=request.user),
        },
        request=request,
    )


def home_hr(request, **_):
    today = agency_today()
    counts = selectors.credential_status_counts(today=today)
    return render_to_string(
        "credentials/panels/home_hr.html",
        {
            "pending": selectors.pending_verification_count(),
            "expiring_30": selectors.credentials_expiring(
                within_days=30, today=today
            ).count(),
            "counts": counts,
        },
        request=request,
    )


def person(
    request: AuthenticatedHttpRequest, staff: StaffProfile, **_: Any
) -> str | None:
    from .views import credential_overview

    context = credential_overview(staff=staff, today=agency_today())
    context.update(
        {
            "staff": staff,
            "is_hr": is_hr(request.user),
            "is_self": staff.user_id == request.user.pk,
        }
    )
    return render_to_string("credentials/panels/person.html", context, request=request)
