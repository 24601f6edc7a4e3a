"""Writes of the compliance app: export jobs, and acting on people checked in
the team matrix (through the other apps' own services)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.mail import email_message
from portal.models import Site, StaffProfile, User
from portal.queue import enqueue

from .models import ExportJob


@transaction.atomic
def export_job_create(*, site: Site, as_of: dt.date, requested_by: User) -> ExportJob:
    """Queue a ZIP of every training file at ``site``; built after commit."""
    from .tasks import build_site_training_files

    job = ExportJob.objects.create(
        site=site, as_of=as_of, requested_by=requested_by, label="Waiting to start"
    )
    enqueue(build_site_training_files, job.pk)
    return job


def export_job_email_ready(*, job: ExportJob) -> bool:
    """Put "the training files are ready" in the outbox of the person who asked for
    the export (once per job); called in the transaction that marks the job done."""
    from django.conf import settings
    from django.urls import reverse

    from portal.outbox import outbox_add

    user = job.requested_by
    url = settings.SITE_URL + reverse("compliance:export_detail", args=[job.pk])
    if not user.email or not user.is_active:
        return False
    message = email_message(
        template="compliance/email/export_ready",
        subject=f"[Milieu] Training files of {job.site} are ready",
        context={"user": user, "job": job, "url": url},
        to=[user.email],
    )
    outbox_add(
        kind="export_ready",
        key=f"export_ready.{job.pk}",
        message=message,
        recipient=user,
    )
    return True


# --- Acting from the team matrix on the people checked --------------------------


class BulkAction:
    REMIND = "remind"
    ASSIGN = "assign"
    BOOK = "book"
    CHOICES = (
        (REMIND, "Email a reminder"),
        (ASSIGN, "Assign a course"),
        (BOOK, "Book a class"),
    )


@dataclass
class BulkResult:
    """What a bulk action did: ``done`` people acted on, ``skipped`` (name,
    why) left as they were, ``ignored`` ids that are not the actor's people."""

    done: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    ignored: int = 0


def bulk_people(*, user: User, staff_ids: Iterable[int]) -> tuple[list, int]:
    """The actor's people among ``staff_ids`` (on staff today, on a team they
    supervise; HR everyone), by name, and how many ids were not theirs."""
    from portal.dates import agency_today

    from .selectors import matrix_people

    wanted = set(staff_ids)
    people = list(
        matrix_people(user=user, as_of=agency_today())
        .filter(pk__in=wanted)
        .order_by("user__last_name", "user__first_name", "pk")
    )
    return people, len(wanted) - len(people)


def matrix_bulk_act(
    *,
    user: User,
    staff_ids: Iterable[int],
    action: str,
    course: Any = None,
    due_on: dt.date | None = None,
    session: Any = None,
) -> BulkResult:
    """Act on each of ``staff_ids`` the actor may act on (every id is checked
    again here): email a reminder (``credentials.services.reminder_send``),
    assign ``course`` due ``due_on`` (``courses.services.assignment_create``)
    or book ``session`` (``classes.services.booking_create``). One person's
    refusal (reminded an hour ago, already booked) never stops the others."""
    from classes.services import booking_create
    from courses.models import Assignment
    from courses.services import assignment_create
    from credentials.services import reminder_send
    from portal.permissions import may_book_for_others, may_remind

    people, ignored = bulk_people(user=user, staff_ids=staff_ids)
    result = BulkResult(ignored=ignored)
    for person in people:
        name = person.full_name
        try:
            if action == BulkAction.REMIND:
                if not may_remind(user=user, staff=person):
                    result.skipped.append((name, "you do not send them reminders"))
                    continue
                if reminder_send(staff=person, by=user):
                    result.done.append(name)
                else:
                    result.skipped.append((name, "current on everything"))
            elif action == BulkAction.ASSIGN:
                if course is None or due_on is None:
                    raise ValueError("Assigning needs a course and a due date.")
                if person.status != StaffProfile.Status.ACTIVE:
                    result.skipped.append((name, "not an active staff member"))
                    continue
                created = assignment_create(
                    staff=person,
                    course=course,
                    due_on=due_on,
                    source=Assignment.Source.MANUAL,
                    assigned_by=user,
                )
                if created:
                    result.done.append(name)
                else:
                    result.skipped.append((name, "already has it open"))
            elif action == BulkAction.BOOK:
                if session is None or not may_book_for_others(user):
                    raise ValueError("Booking needs a class.")
                booking_create(session=session, staff=person, by=user)
                result.done.append(name)
            else:
                raise ValueError(f"No such action: {action}")
        except ValidationError as error:
            result.skipped.append((name, " ".join(error.messages)))
    return result
