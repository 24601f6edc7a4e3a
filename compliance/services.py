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
