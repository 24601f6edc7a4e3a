"""Check-in by QR code: the instructor's class page shows a code for a signed,
expiring link to the class; a booked learner who opens it on their phone is
checked in, and the roster starts them as present (the instructor still marks
and signs it: the signed roster is the record)."""

from __future__ import annotations

import datetime as dt

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .models import ClassSession

SALT = "classes.checkin"
# A link works for this long after the page that showed it was drawn, and only
# from an hour before the class starts until an hour after it ends.
MAX_AGE = dt.timedelta(hours=4)
WINDOW = dt.timedelta(hours=1)


class CheckInRefused(Exception):
    """Why a check-in link did not check the person in (shown to them)."""


def checkin_token(*, session: ClassSession) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(session.pk))


def checkin_url(*, session: ClassSession) -> str:
    """The full link the QR code carries."""
    path = reverse("classes:checkin", args=[checkin_token(session=session)])
    return f"{settings.SITE_URL}{path}"


def checkin_qr_svg(*, url: str) -> str:
    """The QR code of ``url`` as inline SVG markup (drawn on the server)."""
    image = qrcode.make(
        url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    return image.to_string(encoding="unicode")


def checkin_open(*, session: ClassSession, now: dt.datetime | None = None) -> bool:
    """Whether check-in is open now: around the class, not cancelled, not yet signed."""
    now = now or timezone.now()
    return (
        session.cancelled_at is None
        and session.starts_at - WINDOW <= now <= session.ends_at + WINDOW
    )


def checkin_session_id(*, token: str) -> int:
    """The class a link is for, or CheckInRefused with the reason."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise CheckInRefused(
            "This check-in code has expired. Ask the instructor to show it again."
        ) from None
    except signing.BadSignature:
        raise CheckInRefused(
            "This is not a valid check-in code. Scan the code on the instructor's "
            "screen again."
        ) from None
    try:
        return int(value)
    except ValueError:
        raise CheckInRefused("This is not a valid check-in code.") from None
