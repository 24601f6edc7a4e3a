"""Demo classes and CE hours (additive: creates only its own records, once).

Upcoming CPR and crisis-intervention classes (one full with a waitlist), a past
class with a signed roster, and licensed clinicians on track, short and complete
in their CE hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from credentials.models import Credential, CredentialType
from portal.dates import agency_time_zone
from portal.demo import DEMO_DOMAIN
from portal.models import StaffProfile, User

from .models import (
    Booking,
    CEActivity,
    CECategory,
    CECategoryMinimum,
    CERequirement,
    ClassSession,
)
from .services import ce_activity_create, ce_activity_decide, roster_submit

DEMO_PROVIDER_NOTE = "(demo)"
D = Decimal


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=agency_time_zone())


def _pdf(text: str) -> ContentFile:
    from credentials.demo import _pdf as make_pdf

    return ContentFile(make_pdf(text), name="certificate.pdf")


def _session(*, title, ctype, day, hours, capacity, instructor, hr, location):
    existing = ClassSession.objects.filter(title=title).first()
    if existing is not None:
        return existing, False
    starts = _at(day, 9)
    return (
        ClassSession.objects.create(
            title=title,
            credential_type=ctype,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=hours),
            location=location,
            instructor=instructor,
            capacity=capacity,
            booking_deadline=starts - dt.timedelta(days=1),
            created_by=hr,
        ),
        True,
    )


def _holders(ctype: CredentialType, *, exclude=()) -> list[StaffProfile]:
    """Active staff whose live credential of ``ctype`` expires soonest first."""
    ids = (
        Credential.objects.live()
        .filter(credential_type=ctype, staff__status=StaffProfile.Status.ACTIVE)
        .exclude(staff__in=exclude)
        .order_by("expires_on", "pk")
        .values_list("staff_id", flat=True)
    )
    seen: list[int] = []
    for pk in ids:
        if pk not in seen:
            seen.append(pk)
    by_pk = StaffProfile.objects.in_bulk(seen)
    return [by_pk[pk] for pk in seen]


def _book(session, staff, *, by, status, when):
    if Booking.objects.filter(session=session, staff=staff).exists():
        return
    Booking.objects.create(
        session=session, staff=staff, status=status, booked_by=by, created_at=when
    )


def seed_classes(*, today: dt.date, hr: User, trainer: User) -> None:
    types = {t.code: t for t in CredentialType.objects.filter(code__in=["cpr", "cpi"])}
    cpr, cpi = types.get("cpr"), types.get("cpi")
    if cpr is None or cpi is None:
        return
    now = timezone.now()
    # Upcoming CPR class with free seats, three people with expiring cards booked.
    upcoming, created = _session(
        title="CPR / First Aid renewal (Heartsaver), Cedar House",
        ctype=cpr,
        day=today + dt.timedelta(days=9),
        hours=4,
        capacity=8,
        instructor=trainer,
        hr=hr,
        location="Cedar House, training room",
    )
    if created:
        for person in _holders(cpr)[:3]:
            _book(upcoming, person, by=hr, status=Booking.Status.BOOKED, when=now)
    # A full crisis-intervention class with a waitlist.
    full, created = _session(
        title="CPI Nonviolent Crisis Intervention refresher",
        ctype=cpi,
        day=today + dt.timedelta(days=16),
        hours=6,
        capacity=4,
        instructor=trainer,
        hr=hr,
        location="Main clinic, room 2",
    )
    if created:
        people = _holders(cpi)[:6]
        for i, person in enumerate(people):
            _book(
                full,
                person,
                by=hr,
                status=Booking.Status.BOOKED if i < 4 else Booking.Status.WAITLISTED,
                when=now + dt.timedelta(seconds=i),
            )
    # A class that took place ten days ago, its roster signed by the instructor.
    past, created = _session(
        title="CPR / First Aid renewal, Maple House",
        ctype=cpr,
        day=today - dt.timedelta(days=10),
        hours=4,
        capacity=6,
        instructor=trainer,
        hr=hr,
        location="Maple House, living room",
    )
    if created:
        booked_on = now - dt.timedelta(days=20)
        people = _holders(cpr, exclude=upcoming.bookings.values("staff"))[:4]
        for person in people:
            _book(past, person, by=hr, status=Booking.Status.BOOKED, when=booked_on)
        if people:
            marks: dict[int, dict[str, Any]] = {
                p.pk: {"present": True, "passed": True} for p in people
            }
            last = people[-1].pk
            marks[last] = {
                "present": False,
                "passed": False,
                "note": "Called in sick; rebook",
            }
            roster_submit(
                session=past,
                by=trainer,
                signature=trainer.get_full_name() or trainer.email,
                marks=marks,
            )


def seed_ce(*, today: dt.date, hr: User) -> None:
    ethics, _ = CECategory.objects.get_or_create(
        code="ethics", defaults={"name": "Ethics"}
    )
    culture, _ = CECategory.objects.get_or_create(
        code="cultural-competence", defaults={"name": "Cultural competence"}
    )
    licenses = list(CredentialType.objects.filter(code__in=["lcsw", "lpc"]))
    for ctype in licenses:
        requirement, created = CERequirement.objects.get_or_create(
            credential_type=ctype,
            defaults={
                "total_hours": D(ctype.ce_hours_required or 30),
                "cycle_months": 24,
            },
        )
        if created:
            CECategoryMinimum.objects.create(
                requirement=requirement, category=ethics, hours=D("3")
            )
            if ctype.code == "lcsw":
                CECategoryMinimum.objects.create(
                    requirement=requirement, category=culture, hours=D("2")
                )
    if CEActivity.objects.filter(provider__endswith=DEMO_PROVIDER_NOTE).exists():
        return
    clinicians: list[Credential] = []
    for ctype in licenses:
        for credential in (
            Credential.objects.live()
            .filter(
                credential_type=ctype,
                expires_on__gt=today,
                staff__status=StaffProfile.Status.ACTIVE,
            )
            .select_related("staff__user")
            .order_by("expires_on")
        ):
            if credential.staff not in [c.staff for c in clinicians]:
                clinicians.append(credential)
    # Soonest renewal: short; next: complete; latest renewal: on track.
    plans: dict[int, list[tuple[str, str, CECategory | None]]] = {
        0: [("Ethics for clinicians", "4", None), ("Trauma-focused CBT", "6", None)],
        1: [
            ("Ethics in telehealth", "3", ethics),
            ("Cultural humility", "2", culture),
            ("DBT skills intensive", "20", None),
            ("Suicide risk assessment (CAMS)", "6", None),
        ],
        2: [
            ("Boundaries and dual relationships", "3", ethics),
            ("Motivational interviewing", "6", None),
        ],
    }
    chosen = clinicians[:2] + clinicians[2:][-1:]
    for index, credential in enumerate(chosen):
        if credential.expires_on is None:  # filtered out above
            continue
        months = 24
        start = credential.expires_on - relativedelta(months=months) + dt.timedelta(1)
        span = max(1, (min(today, credential.expires_on) - start).days)
        for n, (title, hours, category) in enumerate(plans[index]):
            on = min(today, start + dt.timedelta(days=span * (n + 1) // 5 + 1))
            activity = ce_activity_create(
                staff=credential.staff,
                by=credential.staff.user,
                provider=f"NASW chapter {DEMO_PROVIDER_NOTE}",
                title=title,
                completed_on=on,
                hours=D(hours),
                category=category,
                certificate=_pdf(title),
            )
            if index == 0 and n == 0:
                continue  # one left pending for HR to verify
            ce_activity_decide(activity=activity, by=hr, verified=True)


@transaction.atomic
def seed(*, today: dt.date, stdout=None) -> None:
    hr = User.objects.filter(email=f"hr@{DEMO_DOMAIN}").first()
    trainer = User.objects.filter(email=f"author@{DEMO_DOMAIN}").first() or hr
    if hr is None:
        return
    seed_classes(today=today, hr=hr, trainer=trainer or hr)
    seed_ce(today=today, hr=hr)
    if stdout is not None:
        stdout.write("Classes and CE hours: demo records in place.")
