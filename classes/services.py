"""Writes about classes and CE hours: schedule, book, cancel, waitlist, rosters,
CE activities. Each runs in a transaction; email is queued after commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from credentials.services import acting_as, document_check
from portal.dates import add_days, add_months, agency_time_zone
from portal.formats.en.formats import WEEKDAY_DATE_FORMAT
from portal.mail import email_message
from portal.models import StaffProfile, User
from portal.permissions import attendance_refusal, may_verify_credential

from .models import (
    Booking,
    CEActivity,
    CEReminderLog,
    ClassSession,
    Evaluation,
    Roster,
    RosterEntry,
)
from .selectors import seats_taken

SESSION_FIELDS = (
    "title",
    "course",
    "credential_type",
    "starts_at",
    "ends_at",
    "location",
    "instructor",
    "capacity",
    "booking_deadline",
    "notes",
)


# --- Scheduling -------------------------------------------------------------------


@transaction.atomic
def session_create(*, by: User, **fields) -> ClassSession:
    """Schedule a class."""
    session = ClassSession(created_by=by, **{k: fields[k] for k in SESSION_FIELDS})
    session.full_clean()
    with acting_as(by):
        session.save()
    return session


@transaction.atomic
def session_update(*, session: ClassSession, by: User, **fields) -> ClassSession:
    """Change a class; a larger capacity gives the new seats to the waitlist."""
    session = ClassSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("This class was cancelled; it can no longer change.")
    taken = seats_taken(session=session)
    if fields.get("capacity") is not None and fields["capacity"] < taken:
        raise ValidationError(
            {
                "capacity": f"{taken} people already hold a seat; the capacity cannot "
                "be lower. Cancel bookings first."
            }
        )
    for key in SESSION_FIELDS:
        if key in fields:
            setattr(session, key, fields[key])
    session.full_clean()
    with acting_as(by):
        session.save()
        _fill_from_waitlist(session=session)
    return session


@transaction.atomic
def session_cancel(*, session: ClassSession, by: User, reason: str = "") -> int:
    """Cancel a class; everyone booked or waitlisted is told. Returns how many."""
    session = ClassSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("This class is already cancelled.")
    if hasattr(session, "_prefetched_objects_cache"):
        session._prefetched_objects_cache.clear()
    now = timezone.now()
    told = 0
    with acting_as(by):
        session.cancelled_at = now
        session.cancel_reason = reason.strip()[:300]
        session.save(update_fields=["cancelled_at", "cancel_reason"])
        for booking in session.bookings.filter(status__in=Booking.ACTIVE):
            booking.status = Booking.Status.CANCELLED
            booking.cancelled_at = now
            booking.save(update_fields=["status", "cancelled_at"])
            _email(booking.pk, "class_cancelled")
            told += 1
    return told


# --- Booking ----------------------------------------------------------------------


def _email(booking_id: int, kind: str) -> None:
    """Put the booking email in the outbox, in the caller's transaction."""
    booking_email_add(booking_id=booking_id, kind=kind)


@transaction.atomic
def booking_create(*, session: ClassSession, staff: StaffProfile, by: User) -> Booking:
    """Book a seat, or a place on the waitlist when the class is full.

    The class row is locked, so two people taking the last seat at the same moment
    never both get it."""
    session = ClassSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("This class was cancelled.")
    if timezone.now() >= session.booking_deadline:
        raise ValidationError("Booking for this class has closed.")
    if not staff.is_active_staff:
        raise ValidationError(f"{staff.full_name} is not an active staff member.")
    if session.bookings.filter(staff=staff, status__in=Booking.ACTIVE).exists():
        raise ValidationError(f"{staff.full_name} is already booked in this class.")
    taken = seats_taken(session=session)
    status = (
        Booking.Status.BOOKED if taken < session.capacity else Booking.Status.WAITLISTED
    )
    with acting_as(by):
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    session=session, staff=staff, status=status, booked_by=by
                )
        except IntegrityError as exc:
            raise ValidationError(
                f"{staff.full_name} is already booked in this class."
            ) from exc
    _email(booking.pk, "booked" if status == Booking.Status.BOOKED else "waitlisted")
    return booking


def _fill_from_waitlist(*, session: ClassSession) -> list[Booking]:
    """Give free seats to the first people on the waitlist (caller holds the lock)."""
    taken = seats_taken(session=session)
    free = session.capacity - taken
    promoted: list[Booking] = []
    if free <= 0 or timezone.now() >= session.starts_at:
        return promoted
    for booking in session.bookings.filter(status=Booking.Status.WAITLISTED).order_by(
        "created_at", "pk"
    )[:free]:
        booking.status = Booking.Status.BOOKED
        booking.promoted_at = timezone.now()
        booking.save(update_fields=["status", "promoted_at"])
        _email(booking.pk, "promoted")
        promoted.append(booking)
    return promoted


@transaction.atomic
def booking_cancel(*, booking: Booking, by: User) -> Booking:
    """Give up a seat (or a waitlist place) before the deadline; the seat goes to
    the first person on the waitlist, who is told by email."""
    session = ClassSession.objects.select_for_update().get(pk=booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in Booking.ACTIVE:
        raise ValidationError("This booking is not active.")
    if timezone.now() >= session.booking_deadline:
        raise ValidationError(
            "The cancellation deadline has passed; ask the instructor or HR."
        )
    with acting_as(by):
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "cancelled_at"])
        _fill_from_waitlist(session=session)
    return booking


# --- Emails -------------------------------------------------------------------------

SUBJECTS = {
    "booked": "You are booked: {title} on {day}",
    "waitlisted": "You are on the waitlist: {title} on {day}",
    "promoted": "A seat is yours: {title} on {day}",
    "class_cancelled": "Cancelled: {title} on {day}",
    "reminder": "Tomorrow: {title}",
}


def booking_email_add(*, booking_id: int, kind: str) -> bool:
    """Put one booking email (with the ICS invitation where there is a seat) in the
    outbox, once per booking and kind; False when there is nobody to tell."""
    from portal.outbox import outbox_add

    from .ics import invitation_ics

    booking = (
        Booking.objects.select_related(
            "session__instructor", "staff__user", "booked_by"
        )
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or kind not in SUBJECTS:
        return False
    user = booking.staff.user
    if not user.email or not user.is_active:
        return False
    session = booking.session
    starts = session.starts_at.astimezone(agency_time_zone())
    ends = session.ends_at.astimezone(agency_time_zone())
    context = {
        "booking": booking,
        "session": session,
        "user": user,
        "kind": kind,
        "starts": starts,
        "ends": ends,
        "deadline": session.booking_deadline.astimezone(agency_time_zone()),
        "url": settings.SITE_URL + reverse("classes:detail", args=[session.pk]),
        "by_someone_else": booking.booked_by_id != user.pk,
    }
    message = email_message(
        template="classes/email/booking",
        subject="[Milieu] "
        + SUBJECTS[kind].format(
            title=session.title, day=date_format(starts, WEEKDAY_DATE_FORMAT)
        ),
        context=context,
        to=[user.email],
    )
    if kind in ("booked", "promoted", "reminder"):
        message.attach(
            "class.ics",
            invitation_ics(session, attendee=user.email),
            "text/calendar",
        )
    elif kind == "class_cancelled":
        message.attach(
            "class.ics",
            invitation_ics(session, attendee=user.email, cancelled=True),
            "text/calendar",
        )
    outbox_add(
        kind=kind if kind.startswith("class_") else f"class_{kind}",
        key=f"booking.{booking.pk}.{kind}",
        message=message,
        recipient=user,
    )
    return True


def reminders_queue(*, now: dt.datetime | None = None) -> int:
    """Queue the day-before reminder of every seat in a class starting tomorrow
    (agency time). Each booking is reminded once, however often this runs."""
    now = now or timezone.now()
    tz = agency_time_zone()
    tomorrow = now.astimezone(tz).date() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=1)
    queued = 0
    ids = list(
        Booking.objects.filter(
            status=Booking.Status.BOOKED,
            reminded_at__isnull=True,
            session__cancelled_at__isnull=True,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update()
                .filter(pk=pk, reminded_at__isnull=True, status=Booking.Status.BOOKED)
                .first()
            )
            if booking is None:
                continue
            booking.reminded_at = now
            booking.save(update_fields=["reminded_at"])
            _email(booking.pk, "reminder")
            queued += 1
    return queued


# --- Rosters ------------------------------------------------------------------------


def _renewed_expiry(*, issued_on: dt.date, credential_type) -> dt.date | None:
    if not credential_type.has_expiry:
        return None
    months = credential_type.validity_months or 12
    return add_days(add_months(issued_on, months), -1)


@transaction.atomic
def roster_submit(
    *,
    session: ClassSession,
    by: User,
    signature: str,
    marks: dict[int, dict],
    corrects: Roster | None = None,
    reason: str = "",
) -> Roster:
    """Sign the attendance of a class. ``marks``: {staff_id: {"present", "passed",
    "note"}} for everyone on the roster whom ``by`` may mark
    (``portal.permissions.attendance_refusal``); the others keep what the roster in
    force says of them. For each person who passed it records the course completion
    and/or the renewed credential: verified when ``by`` is HR or the instructor of
    record qualified for it (``instructor_qualified``), else pending in HR's
    queue. A correction is a new roster pointing at the one it corrects."""
    from courses.services import completion_record
    from credentials.selectors import instructor_qualified
    from credentials.services import credential_create

    session = ClassSession.objects.select_for_update().get(pk=session.pk)
    signature = " ".join((signature or "").split())
    if len(signature) < 3:
        raise ValidationError({"signature": "Type your full name to sign."})
    if session.is_cancelled:
        raise ValidationError("This class was cancelled.")
    if timezone.now() < session.starts_at:
        raise ValidationError("Attendance can be taken once the class has started.")
    current = Roster.objects.filter(session=session, corrected_by__isnull=True).first()
    if corrects is None and current is not None:
        raise ValidationError(
            "The attendance of this class was already submitted; submit a correction."
        )
    if corrects is not None:
        if current is None or corrects.pk != current.pk:
            raise ValidationError("Only the latest roster can be corrected.")
        if not reason.strip():
            raise ValidationError({"reason": "Say what the correction fixes."})
    bookings = {
        b.staff_id: b
        for b in session.bookings.filter(status__in=Booking.SEATED).select_related(
            "staff__user", "staff__team"
        )
    }
    if not bookings:
        raise ValidationError("Nobody holds a seat in this class.")
    refusals = {
        sid: attendance_refusal(
            user=by, staff=b.staff, instructor_id=session.instructor_id
        )
        for sid, b in bookings.items()
    }
    for sid in marks:
        if sid in refusals and refusals[sid] is not None:
            raise ValidationError(str(refusals[sid]))
    markable = [sid for sid, refusal in refusals.items() if refusal is None]
    if not markable:
        raise ValidationError("There is nobody on this roster you may mark.")
    missing = [bookings[sid].staff.full_name for sid in markable if sid not in marks]
    if missing:
        raise ValidationError(f"Mark everyone: {', '.join(missing)}.")
    for sid in markable:
        mark = marks[sid]
        if mark.get("passed") and not mark.get("present"):
            raise ValidationError(
                f"{bookings[sid].staff.full_name} cannot pass without being present."
            )
    # Records already earned through an earlier roster of this class.
    earlier = {}
    kept = {}  # what the roster in force says of the people ``by`` may not mark
    if corrects is not None:
        earlier = {
            e.staff_id: e
            for e in RosterEntry.objects.filter(roster__session=session).order_by("pk")
            if e.completion_id or e.credential_id
        }
        kept = {
            e.staff_id: e
            for e in corrects.entries.all()
            if e.staff_id in refusals and refusals[e.staff_id] is not None
        }
    local_start = session.starts_at.astimezone(agency_time_zone())
    instructor = session.instructor.get_full_name() or str(session.instructor)
    with acting_as(by):
        roster = Roster.objects.create(
            session=session,
            submitted_by=by,
            signature=signature[:160],
            corrects=corrects,
            reason=reason.strip()[:300],
        )
        for sid, booking in bookings.items():
            if sid in kept:
                RosterEntry.objects.create(
                    roster=roster,
                    staff=booking.staff,
                    present=kept[sid].present,
                    passed=kept[sid].passed,
                    note=kept[sid].note,
                    completion=kept[sid].completion,
                    credential=kept[sid].credential,
                )
                continue
            if sid not in markable:
                continue  # not on this roster: the instructor or HR marks them
            mark = marks[sid]
            present, passed = bool(mark.get("present")), bool(mark.get("passed"))
            completion = credential = None
            prior = earlier.get(sid)
            if passed and prior is not None:
                completion = prior.completion
                credential = prior.credential
            elif passed:
                if session.course is not None:
                    completion = completion_record(
                        staff=booking.staff,
                        course=session.course.specific,
                        score=None,
                        completed_at=session.ends_at,
                    )
                if session.credential_type is not None:
                    ctype = session.credential_type
                    issued = local_start.date()
                    verified = may_verify_credential(user=by, staff=booking.staff) or (
                        by.pk == session.instructor_id
                        and instructor_qualified(
                            user=by, credential_type=ctype, as_of=issued
                        )
                    )
                    evidence = (
                        f"{session.title} on {date_format(local_start)}, instructor "
                        f"{instructor}; roster signed by {signature}."
                    )
                    credential = credential_create(
                        staff=booking.staff,
                        credential_type=ctype,
                        by=by,
                        issued_on=issued,
                        expires_on=_renewed_expiry(
                            issued_on=issued, credential_type=ctype
                        ),
                        verified=verified,
                        by_attendance=True,
                        primary_source_note=(
                            f"Verified by attendance: {evidence}"
                            if verified
                            else f"Passed in class (HR verifies): {evidence}"
                        )[:300],
                    )
            RosterEntry.objects.create(
                roster=roster,
                staff=booking.staff,
                present=present,
                passed=passed,
                note=(mark.get("note") or "").strip()[:300],
                completion=completion,
                credential=credential,
            )
            booking.status = (
                Booking.Status.ATTENDED if present else Booking.Status.ABSENT
            )
            booking.save(update_fields=["status"])
    return roster


# --- Evaluations --------------------------------------------------------------------


@transaction.atomic
def evaluation_submit(
    *,
    session: ClassSession,
    staff: StaffProfile,
    overall: int,
    instructor_clear: int,
    comment: str = "",
) -> Evaluation:
    """Record ``staff``'s evaluation of a class they attended: once per person."""
    attended = session.bookings.filter(
        staff=staff, status=Booking.Status.ATTENDED
    ).exists()
    if not attended:
        raise ValidationError("Only people who attended the class evaluate it.")
    evaluation = Evaluation(
        session=session,
        staff=staff,
        overall=overall,
        instructor_clear=instructor_clear,
        comment=" ".join((comment or "").split())[:1000],
    )
    evaluation.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic(), acting_as(staff.user):
            evaluation.save()
    except IntegrityError as exc:
        raise ValidationError("You have already evaluated this class.") from exc
    return evaluation


# --- CE activities ------------------------------------------------------------------


@transaction.atomic
def ce_activity_create(
    *,
    staff: StaffProfile,
    by: User,
    provider: str,
    title: str,
    completed_on: dt.date,
    hours: Decimal,
    category=None,
    certificate=None,
) -> CEActivity:
    """Log an outside CE activity with its certificate; HR verifies it."""
    if certificate is None:
        raise ValidationError({"certificate": "Upload the certificate of completion."})
    content_type, ext, _size = document_check(upload=certificate)
    digest = hashlib.sha256()
    certificate.seek(0)
    for chunk in (
        certificate.chunks() if hasattr(certificate, "chunks") else [certificate.read()]
    ):
        digest.update(chunk)
    certificate.seek(0)
    activity = CEActivity(
        staff=staff,
        provider=provider.strip(),
        title=title.strip(),
        completed_on=completed_on,
        hours=hours,
        category=category,
        created_by=by,
        content_type=content_type,
        original_name=str(certificate.name)[:200],
        sha256=digest.hexdigest(),
    )
    activity.full_clean(exclude=["file", "verified_by"])
    with acting_as(by):
        activity.file = storages["private"].save(
            f"ce/{secrets.token_hex(16)}.{ext}", certificate
        )
        activity.save()
    return activity


@transaction.atomic
def ce_activity_decide(
    *, activity: CEActivity, by: User, verified: bool, reason: str = ""
) -> CEActivity:
    """HR verifies or rejects (with a reason) a logged CE activity."""
    activity = CEActivity.objects.select_for_update().get(pk=activity.pk)
    if activity.verification_status != CEActivity.Verification.PENDING:
        raise ValidationError("This activity was already verified or rejected.")
    if activity.staff.user_id == by.pk:
        raise ValidationError("You cannot verify your own CE activity.")
    if not verified and not reason.strip():
        raise ValidationError({"reason": "Say why, so the staff member can fix it."})
    with acting_as(by):
        activity.verification_status = (
            CEActivity.Verification.VERIFIED
            if verified
            else CEActivity.Verification.REJECTED
        )
        activity.rejection_reason = "" if verified else reason.strip()[:300]
        activity.verified_by = by
        activity.verified_at = timezone.now()
        activity.save()
    return activity


def ce_reminders_queue(*, today: dt.date) -> int:
    """Claim and queue shortfall reminders at the license's reminder steps (once
    per license record and step)."""
    from credentials.models import Credential

    from .models import CERequirement
    from .selectors import ce_cycle

    queued = 0
    requirements = {
        r.credential_type_id: r
        for r in CERequirement.objects.select_related("credential_type")
        .prefetch_related("minimums")
        .all()
    }
    for credential in (
        Credential.objects.live()
        .filter(
            credential_type_id__in=requirements,
            expires_on__gte=today,
            staff__status=StaffProfile.Status.ACTIVE,
        )
        .select_related("credential_type", "staff__user")
    ):
        days = (credential.expires_on - today).days
        if days not in credential.credential_type.reminder_steps:
            continue
        cycle = ce_cycle(
            staff=credential.staff,
            requirement=requirements[credential.credential_type_id],
            credential=credential,
        )
        if cycle.is_complete:
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    log = CEReminderLog.objects.create(
                        staff=credential.staff, credential=credential, step=days
                    )
            except IntegrityError:
                continue
            if ce_reminder_email_add(log=log, cycle=cycle):
                queued += 1
    return queued


def ce_reminder_email_add(*, log: CEReminderLog, cycle=None) -> bool:
    """Put the CE shortfall email of a claimed reminder in the outbox (once); False
    when there is nobody to tell or nothing is short any more."""
    from portal.outbox import outbox_add

    from .selectors import ce_cycle

    credential = log.credential
    user = log.staff.user
    if cycle is None:
        cycle = ce_cycle(
            staff=log.staff,
            requirement=credential.credential_type.ce_requirement,
            credential=credential,
        )
    if not user.email or not user.is_active or cycle.is_complete:
        return False
    context = {
        "user": user,
        "cycle": cycle,
        "credential": credential,
        "url": settings.SITE_URL + reverse("classes:ce_mine"),
    }
    message = email_message(
        template="classes/email/ce_shortfall",
        subject=f"[Milieu] {cycle.short_by} CE hours to go before your "
        f"{credential.credential_type.name} renewal",
        context=context,
        to=[user.email],
    )
    outbox_add(
        kind="ce_reminder",
        key=f"ce_reminder.{log.pk}",
        message=message,
        recipient=user,
    )
    return True


def ce_reminder_send(*, log_id: int) -> bool:
    """Kept for tasks queued before the outbox: puts the reminder in it (once)."""
    with transaction.atomic():
        log = (
            CEReminderLog.objects.select_related(
                "credential__credential_type", "staff__user"
            )
            .filter(pk=log_id)
            .first()
        )
        return log is not None and ce_reminder_email_add(log=log)


def booking_check_in(
    *, session_id: int, staff: StaffProfile | None, now: dt.datetime | None = None
) -> Booking:
    """Check ``staff`` in to the class (its QR code, on their phone): their seat
    is marked checked in, once; the roster then starts them as present. Raises
    ``CheckInRefused`` with the reason a person can act on."""
    from .checkin import CheckInRefused, checkin_open
    from .selectors import roster_current

    now = now or timezone.now()
    session = ClassSession.objects.filter(pk=session_id).first()
    if session is None:
        raise CheckInRefused("This class no longer exists.")
    if staff is None:
        raise CheckInRefused(
            "Only people on staff with a seat in this class can check in."
        )
    if not checkin_open(session=session, now=now):
        raise CheckInRefused(
            "Check-in for this class is closed: it opens an hour before the class "
            "and closes an hour after it ends."
        )
    if roster_current(session=session) is not None:
        raise CheckInRefused(
            "The instructor has already signed the attendance for this class; ask "
            "them or HR if you were there."
        )
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .filter(session=session, staff=staff, status=Booking.Status.BOOKED)
            .first()
        )
        if booking is None:
            raise CheckInRefused(
                "You do not have a seat in this class, so you cannot check in to "
                "it. Check that you scanned the code of the class you are in, or "
                "ask the instructor."
            )
        if booking.checked_in_at is None:
            booking.checked_in_at = now
            booking.save(update_fields=["checked_in_at"])
    return booking
