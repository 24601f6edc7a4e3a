"""Background work of the compliance app: thin tasks that call a service."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import ExportJob


@shared_task
def build_site_training_files(job_id: int) -> str:
    """Build the ZIP of an export job; running it again on a finished job is a no-op."""
    from .exports import site_zip_build

    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(of=("self",))
            .select_related("site", "requested_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status in (
            ExportJob.Status.DONE,
            ExportJob.Status.RUNNING,
        ):
            return job.status if job else "missing"
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.RUNNING, label="Starting"
        )

    def progress(percent: int, label: str) -> None:
        ExportJob.objects.filter(pk=job_id).update(percent=percent, label=label)

    try:
        name = site_zip_build(job=job, progress=progress)
    except Exception:
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, label="The export failed; try again."
        )
        raise
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.DONE,
        percent=100,
        file=name,
        label="Ready to download",
        finished_at=timezone.now(),
    )
    from .services import export_job_email_ready

    export_job_email_ready(job=job)
    return ExportJob.Status.DONE


@shared_task
def requeue_export_jobs(older_than_minutes: int = 10) -> int:
    """Queue again export jobs still waiting to start (a broker that was down)."""
    from datetime import timedelta

    from portal.queue import enqueue

    ids = list(
        ExportJob.objects.filter(
            status=ExportJob.Status.QUEUED,
            created_at__lt=timezone.now() - timedelta(minutes=older_than_minutes),
            created_at__gte=timezone.now() - timedelta(days=2),
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for pk in ids:
            enqueue(build_site_training_files, pk)
    return len(ids)
