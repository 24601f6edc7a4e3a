"""Background work of the compliance app: thin tasks that call a service."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import ExportJob


@shared_task
def build_site_training_files(job_id: int) -> str:
    """Start an export job: split its people into chunks and queue them (running it
    again queues only what is unfinished; on a finished job it is a no-op)."""
    from .site_export import export_job_start

    return export_job_start(job_id=job_id)


@shared_task
def render_export_chunk(chunk_id: int) -> int:
    """Draw the training files of one chunk of an export job (safe to run twice)."""
    from .site_export import export_chunk_render

    return export_chunk_render(chunk_id=chunk_id)


@shared_task
def assemble_site_training_files(job_id: int) -> str:
    """Put an export job's files into its ZIP once every chunk is done."""
    from .site_export import export_job_assemble

    try:
        return export_job_assemble(job_id=job_id)
    except Exception:
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.FAILED, label="The export failed; try again."
        )
        raise


@shared_task
def requeue_export_jobs(older_than_minutes: int = 10) -> int:
    """Queue again export jobs still waiting to start (a broker that was down) and
    running jobs that have not moved for a while (a worker that stopped): their
    unfinished chunks are queued again."""
    from datetime import timedelta

    from django.db.models import Q

    from portal.queue import enqueue

    quiet_since = timezone.now() - timedelta(minutes=older_than_minutes)
    ids = list(
        ExportJob.objects.filter(
            Q(status=ExportJob.Status.QUEUED, created_at__lt=quiet_since)
            | Q(status=ExportJob.Status.RUNNING, updated_at__lt=quiet_since),
            created_at__gte=timezone.now() - timedelta(days=2),
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for pk in ids:
            enqueue(build_site_training_files, pk)
    return len(ids)
