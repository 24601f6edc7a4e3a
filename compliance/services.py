"""Writes of the compliance app: export jobs."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from portal.mail import email_message
from portal.models import Site, User
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
