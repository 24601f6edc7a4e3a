"""Template helpers that lead from a credential to the next class renewing it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from ..models import Booking
from ..selectors import local_date, sessions_renewing

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from portal.models import StaffProfile
    from portal.requirements import RequirementStatus

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
def renewal_classes(
    item: object, staff: StaffProfile | None = None, limit: int = 3
) -> dict:
    """{"booked": the class a person holds a seat in (or None), "sessions": the next
    classes with free seats renewing ``item``}."""
    type_id = _type_id(item)
    if not type_id:
        return {"booked": None, "sessions": []}
    booked = None
    if staff is not None:
        booking = (
            Booking.objects.filter(
                staff_id=staff.pk,  # an email's template gets a wrapped person
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


@register.simple_tag
def ce_cycles(staff: StaffProfile, as_of: dt.date | None = None) -> list:
    """The CE cycles of ``staff`` that had begun by ``as_of`` (for the training
    file), counting only hours earned by then."""
    from ..selectors import ce_cycles_for

    cycles = ce_cycles_for(staff=staff, as_of=as_of)
    return [c for c in cycles if as_of is None or c.starts_on <= as_of]


ATTENTION = ("expiring", "expired", "missing")


@register.simple_tag
def renewal_offers(
    staff: StaffProfile | None, requirements: Iterable[RequirementStatus] = ()
) -> dict:
    """For a person's whole credentials page, in two queries (none when no
    requirement is expiring, expired or missing): {credential type id:
    {"booked": ..., "sessions": [the next class with a free seat]}}."""
    if staff is None or not any(r.status in ATTENTION for r in requirements):
        return {}
    from django.db.models import OuterRef, Subquery

    from ..selectors import sessions_with_seats

    now = _now()
    mine = Booking.objects.filter(
        session=OuterRef("pk"), staff=staff, status__in=Booking.ACTIVE
    ).values("status")[:1]
    out: dict = {}
    for session in (
        sessions_with_seats()
        .filter(
            credential_type__isnull=False, cancelled_at__isnull=True, ends_at__gte=now
        )
        .annotate(my_status=Subquery(mine))
        .order_by("starts_at", "pk")
    ):
        entry = out.setdefault(
            session.credential_type_id, {"booked": None, "sessions": []}
        )
        if session.my_status and not entry["booked"]:
            entry["booked"] = {
                "session": session,
                "status": session.my_status,
                "on": local_date(session.starts_at),
            }
            entry["sessions"] = []
        elif (
            not entry["booked"]
            and not entry["sessions"]
            and session.booking_deadline > now
            and session.seats_taken < session.capacity
        ):
            entry["sessions"].append(session)
    return out


@register.filter
def offer_for(offers: dict, row) -> dict:
    """The offer for a requirement row from ``renewal_offers``."""
    return (offers or {}).get(_type_id(row)) or {"booked": None, "sessions": []}
