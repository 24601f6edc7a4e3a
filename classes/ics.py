"""iCalendar events for classes: invitations attached to emails, and the person's
calendar feed."""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Booking, ClassSession

if TYPE_CHECKING:
    from portal.models import User


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "milieu"


def session_event(session: ClassSession, *, cancelled: bool = False):
    """A VEVENT for ``session``; the UID is stable so a calendar updates the event
    (or removes it, when cancelled) instead of duplicating it."""
    from icalendar import Event

    event = Event()
    event.add("uid", f"class-{session.pk}@{_host()}")
    event.add("dtstamp", timezone.now().astimezone(dt.UTC).replace(microsecond=0))
    event.add("dtstart", session.starts_at.astimezone(dt.UTC))
    event.add("dtend", session.ends_at.astimezone(dt.UTC))
    event.add("summary", session.title)
    event.add("location", session.location)
    event.add(
        "description",
        f"Instructor: {session.instructor.get_full_name() or session.instructor}. "
        + settings.SITE_URL
        + reverse("classes:detail", args=[session.pk]),
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", 1 if cancelled else 0)
    return event


def invitation_ics(
    session: ClassSession, *, attendee: str = "", cancelled: bool = False
) -> bytes:
    """A one-event calendar (METHOD REQUEST, or CANCEL) to attach to an email; iTIP
    (RFC 5546) wants an organizer and the attendee."""
    from icalendar import Calendar, vCalAddress

    cal = Calendar()
    cal.add("prodid", "-//Milieu//Classes//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = session_event(session, cancelled=cancelled)
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = "Milieu"
    event.add("organizer", organizer)
    if attendee:
        who = vCalAddress(f"mailto:{attendee}")
        who.params["role"] = "REQ-PARTICIPANT"
        event.add("attendee", who)
    cal.add_component(event)
    return cal.to_ical()


def feed_events(*, user: User) -> list:
    """The classes ``user`` holds a seat in, for their calendar feed."""
    return [
        session_event(b.session)
        for b in Booking.objects.filter(
            staff__user=user,
            status__in=[Booking.Status.BOOKED, Booking.Status.ATTENDED],
            session__cancelled_at__isnull=True,
        )
        .select_related("session__instructor")
        .order_by("session__starts_at")
    ]
