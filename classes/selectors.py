"""Reads about classes and CE hours shared by views, panels, emails and the matrix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.dates import add_days, add_months, agency_time_zone, start_of_day
from portal.models import StaffProfile
from portal.permissions import may_mark_attendance, may_see_everyone_booked
from portal.roles import is_author, is_hr, is_supervisor
from portal.selectors import staff_visible_to

from .models import (
    Booking,
    CEActivity,
    CECategory,
    CERequirement,
    ClassSession,
    Evaluation,
    Roster,
    RosterEntry,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from portal.types import AnyUser


class SeatCounts(TypedDict):
    seats_taken: int
    waitlisted: int
    attended: int
    absent: int


def seats_taken(*, session: ClassSession) -> int:
    """How many seats of ``session`` are taken: people booked and, once attendance
    is signed, people marked attended or absent (``Booking.SEATED``). The services
    count with this, and ``sessions_with_seats`` annotates the same rule."""
    return session.bookings.filter(status__in=Booking.SEATED).count()


def sessions_with_seats() -> QuerySet[WithAnnotations[ClassSession, SeatCounts]]:
    """Classes annotated with ``seats_taken`` (see ``seats_taken``), ``waitlisted``,
    and, after sign-off, ``attended`` and ``absent``."""
    return ClassSession.objects.select_related(
        "credential_type", "course", "instructor"
    ).annotate(
        seats_taken=Count(
            "bookings", filter=Q(bookings__status__in=Booking.SEATED), distinct=True
        ),
        waitlisted=Count(
            "bookings",
            filter=Q(bookings__status=Booking.Status.WAITLISTED),
            distinct=True,
        ),
        attended=Count(
            "bookings",
            filter=Q(bookings__status=Booking.Status.ATTENDED),
            distinct=True,
        ),
        absent=Count(
            "bookings", filter=Q(bookings__status=Booking.Status.ABSENT), distinct=True
        ),
    )


def sessions_open(
    *, now: dt.datetime | None = None
) -> QuerySet[WithAnnotations[ClassSession, SeatCounts]]:
    """Classes one can still book: not cancelled, booking not yet closed."""
    now = now or timezone.now()
    return sessions_with_seats().filter(
        cancelled_at__isnull=True, booking_deadline__gt=now
    )


def sessions_renewing(
    *,
    credential_type_id: int | None = None,
    course_id: int | None = None,
    now: dt.datetime | None = None,
    limit: int = 3,
) -> list[ClassSession]:
    """The next open classes with a free seat that renew this credential type or
    course."""
    qs = sessions_open(now=now).filter(seats_taken__lt=F("capacity"))
    if credential_type_id:
        qs = qs.filter(credential_type_id=credential_type_id)
    elif course_id:
        qs = qs.filter(course_id=course_id)
    else:
        return []
    return list(qs.order_by("starts_at", "pk")[:limit])


def may_manage_classes(user: AnyUser) -> bool:
    """HR and trainers (the Author role) schedule and edit classes."""
    return is_author(user)


def may_take_attendance(*, user: AnyUser, session: ClassSession) -> bool:
    """May ``user`` open the roster: the instructor and HR, or a supervisor who may
    mark someone booked in it (``portal.permissions.may_mark_attendance``)."""
    if not user.is_authenticated:
        return False
    if session.instructor_id == user.pk or is_hr(user):
        return True
    if is_supervisor(user):
        return bool(roster_markable(user=user, session=session))
    return False


def roster_markable(
    *, user: AnyUser, session: ClassSession, people: list[Booking] | None = None
) -> list[Booking]:
    """The seats on the roster whose person ``user`` may mark (never their own)."""
    if people is None:
        people = roster_people(session=session)
    return [
        b
        for b in people
        if may_mark_attendance(
            user=user, staff=b.staff, instructor_id=session.instructor_id
        )
    ]


def roster_people(*, session: ClassSession) -> list[Booking]:
    """Whom the roster lists: everyone holding a seat (and who attended)."""
    return list(
        session.bookings.filter(status__in=Booking.SEATED)
        .select_related("staff__user", "staff__team")
        .order_by("staff__user__last_name", "staff__user__first_name", "pk")
    )


def booked_people_visible_to(*, user: AnyUser, session: ClassSession) -> list[Booking]:
    """The seats and waitlist places of ``session`` that ``user`` sees, before and
    after the class: everyone for the instructor of record and HR
    (``may_see_everyone_booked``), the people of their own teams for a supervisor,
    nobody for anyone else. Each booking carries ``linkable``: whether ``user``
    may open the person's page."""
    bookings = (
        session.bookings.exclude(status=Booking.Status.CANCELLED)
        .select_related("staff__user", "staff__team")
        .order_by("created_at", "pk")
    )
    visible = staff_visible_to(user=user)
    if not may_see_everyone_booked(user=user, instructor_id=session.instructor_id):
        if not is_supervisor(user):
            return []
        bookings = bookings.filter(staff__in=visible)
    people = list(bookings)
    linkable = set(
        visible.filter(pk__in=[b.staff_id for b in people]).values_list("pk", flat=True)
    )
    for booking in people:
        booking.linkable = booking.staff_id in linkable  # type: ignore[attr-defined]
    return people


UNSIGNED_DAYS = 60  # how long a class still awaiting its roster stays on the list


def sessions_taught_by(
    *, user: AnyUser, now: dt.datetime | None = None
) -> list[WithAnnotations[ClassSession, SeatCounts]]:
    """The classes ``user`` teaches (instructor of record) that have not ended, or
    ended in the last ``UNSIGNED_DAYS`` days without a signed roster, soonest
    first, with their seat counts and ``roster_signed``."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    signed = Roster.objects.filter(session=OuterRef("pk"))
    return list(
        sessions_with_seats()
        .filter(instructor_id=user.pk, cancelled_at__isnull=True)
        .annotate(roster_signed=Exists(signed))
        .filter(
            Q(ends_at__gte=now)
            | Q(roster_signed=False, ends_at__gte=now - dt.timedelta(UNSIGNED_DAYS))
        )
        .order_by("starts_at", "pk")
    )


def evaluation_due(*, session: ClassSession, staff: StaffProfile | None) -> bool:
    """Whether ``staff`` attended ``session`` and has not evaluated it yet."""
    if staff is None:
        return False
    return (
        session.bookings.filter(staff=staff, status=Booking.Status.ATTENDED).exists()
        and not Evaluation.objects.filter(session=session, staff=staff).exists()
    )


def evaluation_results(*, session: ClassSession) -> dict[str, Any]:
    """The evaluations of ``session`` without names: how many of those who
    attended answered, the average of each rating and the comments."""
    evaluations = Evaluation.objects.filter(session=session)
    figures = evaluations.aggregate(
        count=Count("pk"), overall=Avg("overall"), clear=Avg("instructor_clear")
    )
    return {
        "count": figures["count"],
        "attended": session.bookings.filter(status=Booking.Status.ATTENDED).count(),
        "overall": figures["overall"],
        "clear": figures["clear"],
        "comments": list(
            evaluations.exclude(comment="")
            .order_by("submitted_at", "pk")
            .values_list("comment", flat=True)
        ),
    }


def classes_attended(*, staff: StaffProfile) -> list[RosterEntry]:
    """The classes ``staff`` was marked present at on a signed roster in force
    (not one a correction replaced), newest first, with what the pass recorded."""
    return list(
        RosterEntry.objects.filter(
            staff=staff, present=True, roster__corrected_by__isnull=True
        )
        .select_related("roster__session__course", "completion", "credential")
        .order_by("-roster__session__starts_at", "-pk")
    )


def ce_activities_verified(*, staff: StaffProfile) -> QuerySet[CEActivity]:
    """Outside CE activities of ``staff`` that HR verified, newest first."""
    return CEActivity.objects.filter(
        staff=staff, verification_status=CEActivity.Verification.VERIFIED
    ).order_by("-completed_on", "-pk")


def roster_current(*, session: ClassSession) -> Roster | None:
    """The roster in force: the latest one nobody has corrected."""
    return (
        Roster.objects.filter(session=session, corrected_by__isnull=True)
        .select_related("submitted_by")
        .first()
    )


def bookings_upcoming(*, staff: StaffProfile, now: dt.datetime | None = None):
    now = now or timezone.now()
    return (
        Booking.objects.filter(
            staff=staff,
            status__in=Booking.ACTIVE,
            session__ends_at__gte=now,
            session__cancelled_at__isnull=True,
        )
        .select_related("session__credential_type", "session__course")
        .order_by("session__starts_at")
    )


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(agency_time_zone()).date()


def annotate_bookings(*, rows: dict, as_of: dt.date) -> None:
    """Adds ``extra["booked_on"]`` (the class date) to each requirement a person
    holds a seat for in a class from ``as_of`` on. One query."""
    staff_ids = [pk for pk, items in rows.items() if items]
    if not staff_ids:
        return
    booked: dict[tuple[int, str], dt.date] = {}
    for staff_id, ctype_id, course_id, starts_at in (
        Booking.objects.filter(
            staff_id__in=staff_ids,
            status=Booking.Status.BOOKED,
            session__cancelled_at__isnull=True,
            session__starts_at__gte=start_of_day(as_of),
        )
        .order_by("-session__starts_at")
        .values_list(
            "staff_id",
            "session__credential_type_id",
            "session__course_id",
            "session__starts_at",
        )
    ):
        day = local_date(starts_at)
        if ctype_id:
            booked[(staff_id, f"credential:{ctype_id}")] = day
        if course_id:
            booked[(staff_id, f"course:{course_id}")] = day
    if not booked:
        return
    for staff_id, items in rows.items():
        for row in items:
            booked_on = booked.get((staff_id, row.key))
            if booked_on is not None:
                row.extra["booked_on"] = booked_on


# --- Continuing education -------------------------------------------------------------


@dataclass
class CategoryProgress:
    name: str
    code: str
    earned: Decimal
    required: Decimal

    @property
    def short_by(self) -> Decimal:
        return max(Decimal("0"), self.required - self.earned)

    @property
    def percent(self) -> int:
        if not self.required:
            return 100
        return min(100, int(self.earned * 100 / self.required))


@dataclass
class CECycle:
    """One license cycle of one person and the CE hours that count in it."""

    credential_id: int
    license_name: str
    starts_on: dt.date
    ends_on: dt.date
    total: CategoryProgress
    categories: list[CategoryProgress] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    pending_hours: Decimal = Decimal("0")

    @property
    def short_by(self) -> Decimal:
        """Hours still missing, counting category minimums that the total cannot
        cover by itself."""
        return max(
            [self.total.short_by] + [c.short_by for c in self.categories],
            default=Decimal("0"),
        )

    @property
    def is_complete(self) -> bool:
        return self.short_by == 0


def cycle_bounds(*, ends_on: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """A cycle ending on ``ends_on`` (the license expiry) starts the day after the
    same date ``months`` earlier."""
    # Held at the calendar's ends (an old row dated 0001-01-01: a one-day cycle).
    return min(add_days(add_months(ends_on, -months), 1), ends_on), ends_on


def _course_hours(
    *, staff: StaffProfile, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    from courses.models import Completion

    tz = agency_time_zone()
    out: list[dict[str, Any]] = []
    for completion in (
        Completion.objects.filter(
            staff=staff,
            ce_hours__gt=0,
            completed_at__gte=start_of_day(start),
            completed_at__lt=start_of_day(add_days(end, 1)),
        )
        .select_related("course")
        .prefetch_related("course__tags")
    ):
        tags = (
            {t.slug for t in completion.course.tags.all()}
            if completion.course
            else set()
        )
        out.append(
            {
                "source": "Milieu course",
                "title": completion.course_title,
                "on": completion.completed_at.astimezone(tz).date(),
                "hours": completion.ce_hours,
                "tags": tags,
                "status": CEActivity.Verification.VERIFIED,
            }
        )
    return out


def ce_cycle(
    *,
    staff: StaffProfile,
    requirement: CERequirement,
    credential,
    categories: list[CECategory] | None = None,
    as_of: dt.date | None = None,
) -> CECycle:
    """CE progress of ``staff`` in the cycle that ends with ``credential``'s expiry
    (counting only what was done by ``as_of``, when given)."""
    start, cycle_end = cycle_bounds(
        ends_on=credential.expires_on, months=requirement.cycle_months
    )
    end = min(cycle_end, as_of) if as_of else cycle_end
    minimums = {m.category_id: m for m in requirement.minimums.all()}
    categories = (
        categories if categories is not None else list(CECategory.objects.all())
    )
    by_code = {c.code: c for c in categories}
    earned: dict[int, Decimal] = {c.pk: Decimal("0") for c in categories}
    total = Decimal("0")
    pending = Decimal("0")
    items: list[dict[str, Any]] = []
    for activity in CEActivity.objects.filter(
        staff=staff, completed_on__range=(start, end)
    ).exclude(verification_status=CEActivity.Verification.REJECTED):
        item: dict[str, Any] = {
            "source": activity.provider,
            "title": activity.title,
            "on": activity.completed_on,
            "hours": activity.hours,
            "category": activity.category,
            "status": activity.verification_status,
            "activity": activity,
        }
        items.append(item)
        if activity.verification_status != CEActivity.Verification.VERIFIED:
            pending += activity.hours
            continue
        total += activity.hours
        if activity.category_id in earned:
            earned[activity.category_id] += activity.hours
    for item in _course_hours(staff=staff, start=start, end=end):
        matched = next((by_code[t] for t in sorted(item["tags"]) if t in by_code), None)
        item["category"] = matched
        items.append(item)
        total += item["hours"]
        if matched is not None:
            earned[matched.pk] += item["hours"]
    items.sort(key=lambda i: i["on"], reverse=True)
    return CECycle(
        credential_id=credential.pk,
        license_name=requirement.credential_type.name,
        starts_on=start,
        ends_on=cycle_end,
        total=CategoryProgress(
            "All categories", "total", total, requirement.total_hours
        ),
        categories=[
            CategoryProgress(
                by_code[c.code].name, c.code, earned[c.pk], minimums[c.pk].hours
            )
            for c in categories
            if c.pk in minimums
        ],
        items=items,
        pending_hours=pending,
    )


def ce_license_credentials(*, staff: StaffProfile) -> QuerySet:
    """The person's license records that count CE hours: of a type with a CE
    requirement, with an expiry, not rejected (what "CE hours" is about)."""
    from credentials.models import Credential

    return Credential.objects.filter(
        staff=staff,
        credential_type__ce_requirement__isnull=False,
        expires_on__isnull=False,
    ).exclude(verification_status=Credential.Verification.REJECTED)


def holds_ce_license(*, staff: StaffProfile | None, **_: object) -> bool:
    """Whether the "CE hours" menu link shows: the person holds a license with
    CE hours to earn, or has logged CE activities already."""
    if staff is None:
        return False
    return (
        ce_license_credentials(staff=staff).exists()
        or CEActivity.objects.filter(staff=staff).exists()
    )


def ce_cycles_for(
    *, staff: StaffProfile, as_of: dt.date | None = None
) -> list[CECycle]:
    """Every cycle of every license with a CE requirement the person holds, the
    current one first for each license, then the past ones."""

    requirements = {
        r.credential_type_id: r
        for r in CERequirement.objects.select_related("credential_type")
        .prefetch_related("minimums")
        .all()
    }
    if not requirements:
        return []
    categories = list(CECategory.objects.all())
    cycles = []
    for credential in ce_license_credentials(staff=staff).order_by(
        "credential_type_id", "-expires_on", "-pk"
    ):
        cycle = ce_cycle(
            staff=staff,
            requirement=requirements[credential.credential_type_id],
            credential=credential,
            categories=categories,
            as_of=as_of,
        )
        cycle.is_current = credential.superseded_by_id is None  # type: ignore[attr-defined]
        cycles.append(cycle)
    return cycles


def ce_shortfalls(
    *, user: AnyUser, today: dt.date, within_days: int = 365
) -> list[dict]:
    """People ``user`` may see whose current license cycle ends within
    ``within_days`` (or has ended) and who are short of CE hours."""
    from credentials.models import Credential

    requirements = {
        r.credential_type_id: r
        for r in CERequirement.objects.select_related("credential_type")
        .prefetch_related("minimums")
        .all()
    }
    if not requirements:
        return []
    categories = list(CECategory.objects.all())
    visible = staff_visible_to(user=user).active()
    out = []
    for credential in (
        Credential.objects.live()
        .filter(
            staff__in=visible,
            credential_type_id__in=requirements,
            expires_on__isnull=False,
            expires_on__lte=today + dt.timedelta(days=within_days),
        )
        .select_related("staff__user", "credential_type")
        .order_by("expires_on", "pk")
    ):
        cycle = ce_cycle(
            staff=credential.staff,
            requirement=requirements[credential.credential_type_id],
            credential=credential,
            categories=categories,
        )
        if cycle.is_complete:
            continue
        out.append(
            {
                "staff": credential.staff,
                "credential": credential,
                "cycle": cycle,
                "days_left": (credential.expires_on - today).days,  # filtered: not null
            }
        )
    return out


def ce_activities_pending() -> QuerySet[CEActivity]:
    return CEActivity.objects.filter(
        verification_status=CEActivity.Verification.PENDING
    ).select_related("staff__user", "category")


def staff_for_booking(*, user: AnyUser) -> QuerySet[StaffProfile]:
    """Whom ``user`` may book into a class: HR anyone active, a supervisor their
    teams, everyone else themselves."""
    return staff_visible_to(user=user).active()
