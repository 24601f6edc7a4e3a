"""The printable sign-in sheet of a class: one row per person booked, with a line
for their signature, drawn through ``portal/pdf.py``."""

from __future__ import annotations

from django.utils import timezone

from portal.dates import agency_time_zone
from portal.pdf import PageNumbers, pdf_from_html, pdf_html

from .models import Booking, ClassSession


def sign_in_sheet_pdf(*, session: ClassSession) -> bytes:
    """The sign-in sheet of ``session`` as PDF bytes: title, date and time,
    location, instructor, and everyone holding a seat (by last name)."""
    from portal.models import Agency

    tz = agency_time_zone()
    people = list(
        session.bookings.filter(status__in=Booking.SEATED)
        .select_related("staff__user", "staff__team")
        .order_by("staff__user__last_name", "staff__user__first_name", "pk")
    )
    agency = Agency.objects.order_by("pk").only("name").first()
    html = pdf_html(
        template_name="classes/sign_in_sheet.html",
        context={
            "session": session,
            "agency_name": agency.name if agency else "",
            "starts": session.starts_at.astimezone(tz),
            "ends": session.ends_at.astimezone(tz),
            "instructor": session.instructor.get_full_name()
            or session.instructor.email,
            "people": people,
            "blank_rows": range(max(0, min(3, session.capacity - len(people)))),
            "printed": timezone.now().astimezone(tz),
        },
    )
    return pdf_from_html(
        html,
        name="the sign-in sheet",
        page_numbers=PageNumbers(right=42, baseline=22),
    )
