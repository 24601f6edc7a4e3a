"""Template helpers that lead from a credential to the next class renewing it."""

from __future__ import annotations

from django import template

from ..models import Booking
from ..selectors import local_date, sessions_renewing

register = template.Library()


def _type_id(item) -> int | None:
    """The credential type id of a requirement row ("credential:3"), a credential
    type, or a credential."""
    key = getattr(item, "key", "")
    if isinstance(key, str) and key.startswith("credential:"):
        return int(key.split(":")[1])
    if hasattr(item, "credential_type_id"):
        return item.credential_type_id
    return getattr(item, "pk", None)


@register.simple_tag
def renewal_classes(item, staff=None, limit: int = 3) -> dict:
    """{"booked": the class a person holds a seat in (or None), "sessions": the next
    classes with free seats renewing ``item``}."""
    type_id = _type_id(item)
    if not type_id:
        return {"booked": None, "sessions": []}
    booked = None
    if staff is not None:
        booking = (
            Booking.objects.filter(
                staff=staff,
                status__in=Booking.ACTIVE,
                session__credential_type_id=type_id,
                session__cancelled_at__isnull=True,
            )
            .select_related("session")
            .order_by("-session__starts_at")
            .first()
        )
        if booking is not None and booking.session.ends_at >= _now():
            booked = {
                "session": booking.session,
                "status": booking.status,
                "on": local_date(booking.session.starts_at),
            }
    sessions = (
        [] if booked else sessions_renewing(credential_type_id=type_id, limit=limit)
    )
    return {"booked": booked, "sessions": sessions}


def _now():
    from django.utils import timezone

    return timezone.now()


@register.filter
def local_day(moment):
    return local_date(moment) if moment else None


@register.filter
def local_time(moment):
    from portal.dates import agency_time_zone

    return moment.astimezone(agency_time_zone()) if moment else None


@register.simple_tag
def class_link(session) -> str:
    """The absolute address of a class (for emails)."""
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL + reverse("classes:detail", args=[session.pk])
