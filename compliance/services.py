"""Writes of the compliance app: skill sign-offs, reminders, export jobs."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.dates import agency_time_zone, agency_today
from portal.mail import email_message
from portal.models import Site, StaffProfile, User
from portal.queue import enqueue
from portal.requirements import Status
from portal.roles import is_hr

from .models import (
    ExportJob,
    ReminderSent,
    SkillChecklist,
    SkillSignOff,
    SkillSignOffItem,
)

MET = SkillSignOffItem.Result.MET


def _normalise(name: str) -> str:
    return " ".join(name.lower().split())


def signoff_permission_error(*, signer: User, staff: StaffProfile) -> str | None:
    """Why ``signer`` may not sign off ``staff`` (None when they may)."""
    if staff.user_id == signer.pk:
        return "Nobody can sign off their own skills; ask your supervisor."
    if is_hr(signer):
        return None
    if staff.team and staff.team.supervisors.filter(pk=signer.pk).exists():
        return None
    return "You can sign off only the people on the teams you supervise."


def signer_credential_error(
    *, signer: User, checklist: SkillChecklist, on: dt.date
) -> str | None:
    """Why ``signer`` may not sign ``checklist`` for want of the credential it asks
    of its signer (a certified instructor), or None."""
    from credentials.selectors import credential_held

    required = list(checklist.signer_credentials.order_by("name"))
    if not required or credential_held(
        user=signer, credential_types=required, as_of=on
    ):
        return None
    names = " or ".join(t.name for t in required)
    return (
        f"“{checklist.name}” must be signed off by a certified instructor: someone "
        f"holding a current, verified {names} credential on the day observed. You "
        "have none on file; ask an instructor to observe and sign it."
    )


@transaction.atomic
def signoff_create(
    *,
    staff: StaffProfile,
    checklist: SkillChecklist,
    observed_on: dt.date,
    signed_by: User,
    signature_name: str,
    results: list[tuple[str, str]],
    notes: str = "",
    corrects: SkillSignOff | None = None,
) -> SkillSignOff:
    """Record an observed skill: one result per checklist item, signed by name."""
    problem = signoff_permission_error(signer=signed_by, staff=staff)
    if problem:
        raise ValidationError(problem)
    errors: dict[str, list[str]] = {}
    if observed_on > agency_today():
        errors.setdefault("observed_on", []).append(
            "The observation date cannot be in the future."
        )
    instructor = signer_credential_error(
        signer=signed_by, checklist=checklist, on=min(observed_on, agency_today())
    )
    if instructor:
        errors.setdefault("__all__", []).append(instructor)
    expected = _normalise(signed_by.get_full_name() or signed_by.email)
    if _normalise(signature_name) != expected:
        errors.setdefault("signature_name", []).append(
            "Type your full name exactly as it appears on your account "
            f"({signed_by.get_full_name() or signed_by.email}) to sign."
        )
    items = list(
        checklist.items.order_by("sort_order", "pk").values_list("text", flat=True)
    )
    given = [text for text, _ in results]
    if given != items:
        errors.setdefault("__all__", []).append(
            "Give a result for every item of the checklist."
        )
    if any(result not in SkillSignOffItem.Result.values for _, result in results):
        errors.setdefault("__all__", []).append("An item has an unknown result.")
    if corrects is not None:
        corrects = SkillSignOff.objects.select_for_update().get(pk=corrects.pk)
        if corrects.staff_id != staff.pk or corrects.checklist_id != checklist.pk:
            errors.setdefault("__all__", []).append(
                "A correction must be for the same person and checklist."
            )
        elif SkillSignOff.objects.filter(corrects=corrects).exists():
            errors.setdefault("__all__", []).append(
                "This sign-off was already corrected; correct the latest one instead."
            )
    if errors:
        raise ValidationError(errors)
    signoff = SkillSignOff.objects.create(
        staff=staff,
        checklist=checklist,
        observed_on=observed_on,
        signed_by=signed_by,
        signature_name=signature_name.strip(),
        notes=notes.strip(),
        met=all(result == MET for _, result in results),
        corrects=corrects,
    )
    SkillSignOffItem.objects.bulk_create(
        SkillSignOffItem(sign_off=signoff, position=n, text=text, result=result)
        for n, (text, result) in enumerate(results)
    )
    return signoff


REMINDER_GAP = dt.timedelta(hours=12)
SELF_SERVICE_KINDS = {"course", "credential"}


class ReminderTooSoon(ValidationError):
    """A reminder went to this person less than ``REMINDER_GAP`` ago."""


def reminder_items(requirements) -> tuple[list, list]:
    """Split unmet requirements into what the person can do themselves (courses to
    complete, credentials to upload or renew) and what waits on someone else
    (verification of an upload, a skill sign-off by an observer)."""
    act, waiting = [], []
    for c in requirements:
        if c.status == Status.CURRENT:
            continue
        if c.status == Status.PENDING or c.kind not in SELF_SERVICE_KINDS:
            waiting.append(c)
        else:
            act.append(c)
    return act, waiting


@transaction.atomic
def reminder_send(*, staff: StaffProfile, by: User) -> int:
    """Email ``staff`` what needs attention; returns the number of items listed.

    Refuses (``ReminderTooSoon``) when the person was reminded within
    ``REMINDER_GAP``: the person's row is locked while checking and recording, so
    a double POST sends one email.
    """
    from django.conf import settings

    from portal.permissions import user_has_access

    from .rollup import readiness_for

    if not user_has_access(staff.user):
        # A leaver (or a closed account) gets no reminders (issue 9).
        raise ReminderTooSoon(
            f"{staff.full_name}'s account is closed: no reminders go to them."
        )
    StaffProfile.objects.select_for_update().filter(pk=staff.pk).first()
    now = timezone.now()
    last = (
        ReminderSent.objects.filter(staff=staff, sent_at__gt=now - REMINDER_GAP)
        .select_related("sent_by")
        .order_by("-sent_at")
        .first()
    )
    if last is not None:
        zone = agency_time_zone()
        sent = timezone.localtime(last.sent_at, zone)
        again = timezone.localtime(last.sent_at + REMINDER_GAP, zone)
        when = (
            f"{again:%H:%M}"
            if again.date() == sent.date()
            else (f"{again:%H:%M} on {again.day} {again:%b %Y}")
        )
        raise ReminderTooSoon(
            f"{staff.full_name} was already reminded at {sent:%H:%M} by "
            f"{last.sent_by.get_full_name() or last.sent_by.email}; "
            f"try again after {when}."
        )
    today = agency_today()
    readiness = readiness_for(staff_ids=[staff.pk], as_of=today)[staff.pk]
    act, waiting = reminder_items(readiness.requirements)
    if not act and not waiting:
        return 0
    ReminderSent.objects.create(
        staff=staff, sent_by=by, sent_at=now, item_count=len(act) + len(waiting)
    )
    context = {
        "staff": staff,
        "act": act,
        "waiting": waiting,
        "by": by,
        "today": today,
        "site_url": settings.SITE_URL,
    }
    email_message(
        template="compliance/email/reminder",
        subject="[Milieu] Your training and credentials: what needs attention",
        context=context,
        to=[staff.user.email],
    ).send()
    return len(act) + len(waiting)


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
    """Tell the person who asked for an export that it is ready (the task calls
    this once, right after it marks the job done); a failed send is logged, the
    export stands and its page shows it."""
    import logging

    from django.conf import settings
    from django.urls import reverse

    user = job.requested_by
    url = settings.SITE_URL + reverse("compliance:export_detail", args=[job.pk])
    if not user.email or not user.is_active:
        return False
    try:
        email_message(
            template="compliance/email/export_ready",
            subject=f"[Milieu] Training files of {job.site} are ready",
            context={
                "user": user,
                "job": job,
                "url": url,
            },
            to=[user.email],
        ).send()
    except Exception:  # noqa: BLE001 - the export is done whatever the mail does
        logging.getLogger(__name__).exception("Export %s: email not sent", job.pk)
        return False
    return True
