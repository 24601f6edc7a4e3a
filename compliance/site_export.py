"""A site's training files as one ZIP, built in chunks that any worker may take.

``export_job_start`` splits the people into chunks and queues one task per chunk;
``export_chunk_render`` draws (or finds in the cache) each person's file and records
where it is; the last chunk to finish queues ``export_job_assemble``, which writes
the ZIP to a temporary file straight from the cached files and stores it. Each step
may run twice (a worker restart, a re-queue): it re-checks the database first and
writes only files keyed by their content.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import zipfile

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify

from portal.models import StaffProfile
from portal.queue import enqueue

from .exports import training_file_cached, training_file_name
from .models import ExportChunk, ExportJob

logger = logging.getLogger(__name__)

PROBLEMS_NAME = "NOT-INCLUDED.txt"


def chunk_size() -> int:
    return max(1, settings.EXPORT_CHUNK_SIZE)


def _site_people(job: ExportJob):
    return (
        StaffProfile.objects.filter(team__site=job.site)
        .current(as_of=job.as_of)
        .order_by("user__last_name", "user__first_name", "pk")
    )


def _progress(job_id: int, label: str | None = None) -> None:
    """Copy the chunks' count of people done onto the job (a sum, so a chunk done
    twice is not counted twice)."""
    job = ExportJob.objects.only("total_people").get(pk=job_id)
    done = (
        ExportChunk.objects.filter(job_id=job_id).aggregate(n=Sum("done_count"))["n"]
        or 0
    )
    total = job.total_people
    ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
        done_people=done,
        percent=min(99, int(done * 100 / total)) if total else 99,
        label=label or f"{done} of {total} training files",
        updated_at=timezone.now(),
    )


def export_job_start(*, job_id: int) -> str:
    """Split a queued job's people into chunks and queue them; for a job already
    running (a worker that stopped, a re-queue), queue again what is unfinished."""
    from .tasks import assemble_site_training_files, render_export_chunk

    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(of=("self",))
            .select_related("site")
            .filter(pk=job_id)
            .first()
        )
        if job is None:
            return "missing"
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            return job.status
        # (A job left running by a version without chunks is split afresh.)
        if job.status == ExportJob.Status.QUEUED or not job.chunks.exists():
            ids = list(_site_people(job).values_list("pk", flat=True))
            size = chunk_size()
            ExportChunk.objects.bulk_create(
                ExportChunk(job=job, position=n, staff_ids=ids[start : start + size])
                for n, start in enumerate(range(0, len(ids), size))
            )
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportJob.Status.RUNNING,
                total_people=len(ids),
                done_people=0,
                percent=0,
                label=f"0 of {len(ids)} training files",
                updated_at=timezone.now(),
            )
        unfinished = list(
            job.chunks.filter(finished_at__isnull=True).values_list("pk", flat=True)
        )
        for pk in unfinished:
            enqueue(render_export_chunk, pk)
        if not unfinished:
            enqueue(assemble_site_training_files, job.pk)
    return ExportJob.Status.RUNNING


def export_chunk_render(*, chunk_id: int) -> int:
    """Draw (or find cached) the training file of each person of a chunk; a person
    whose file fails is recorded and skipped. Returns the number drawn now."""
    from .tasks import assemble_site_training_files

    chunk = (
        ExportChunk.objects.select_related("job", "job__requested_by")
        .filter(pk=chunk_id)
        .first()
    )
    if chunk is None:  # its job is done and its list went with the ZIP
        return 0
    job = chunk.job
    if chunk.finished_at is not None or job.status != ExportJob.Status.RUNNING:
        return 0
    people = StaffProfile.objects.select_related(
        "user", "job_role", "team", "team__site", "team__program"
    ).in_bulk(chunk.staff_ids)
    results: list[dict] = []
    drawn = 0
    for n, staff_id in enumerate(chunk.staff_ids, start=1):
        person = people.get(staff_id)
        try:
            if person is None:
                raise LookupError("This person's profile no longer exists.")
            name, fresh = training_file_cached(
                staff=person, as_of=job.as_of, generated_by=job.requested_by
            )
            drawn += fresh
            results.append(
                {
                    "staff_id": staff_id,
                    "arcname": training_file_name(person, job.as_of),
                    "file": name,
                }
            )
        except SoftTimeLimitExceeded:
            raise
        except Exception as error:  # noqa: BLE001 - one person never stops the batch
            logger.exception("Export %s: no training file for %s", job.pk, staff_id)
            results.append(
                {
                    "staff_id": staff_id,
                    "name": person.full_name if person else "",
                    "employee_id": person.employee_id if person else "",
                    "error": str(error) or error.__class__.__name__,
                }
            )
        ExportChunk.objects.filter(pk=chunk.pk, finished_at__isnull=True).update(
            done_count=n
        )
        _progress(job.pk)
    with transaction.atomic():
        # Two chunks finishing at once take turns here, so the second one sees
        # the first as finished and one of them queues the ZIP.
        ExportJob.objects.select_for_update().filter(pk=job.pk).first()
        ExportChunk.objects.filter(pk=chunk.pk, finished_at__isnull=True).update(
            results=results, done_count=len(results), finished_at=timezone.now()
        )
        if not job.chunks.filter(finished_at__isnull=True).exists():
            enqueue(assemble_site_training_files, job.pk)
    _progress(job.pk)
    return drawn


def _zip_name(job: ExportJob) -> str:
    site = slugify(job.site.name if job.site else "")
    return (
        f"exports/training-files-{site}-{job.as_of}-"
        f"{timezone.now():%Y%m%d%H%M%S}-{job.pk}.zip"
    )


def _problems_text(job: ExportJob, problems: list[dict]) -> str:
    lines = [
        f"Training files of {job.site} as of {job.as_of}: "
        f"{len(problems)} could not be generated and are not in this ZIP.",
        "",
    ]
    lines += [
        f"{p['name'] or 'Unknown person'} ({p['employee_id'] or p['staff_id']}): "
        f"{p['error']}"
        for p in problems
    ]
    return "\n".join(lines) + "\n"


def export_job_assemble(*, job_id: int) -> str:
    """Write the ZIP of a job whose chunks are all done to a temporary file, one
    cached PDF at a time, store it privately and mark the job done (once)."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(of=("self",))
            .select_related("site", "requested_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status != ExportJob.Status.RUNNING:
            return job.status if job else "missing"
        if job.chunks.filter(finished_at__isnull=True).exists():
            return "waiting"
        ExportJob.objects.filter(pk=job.pk).update(
            label="Putting the ZIP together", updated_at=timezone.now()
        )
    storage = storages["private"]
    problems: list[dict] = []
    with tempfile.TemporaryFile(suffix=".zip") as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for results in job.chunks.order_by("position").values_list(
                "results", flat=True
            ):
                for entry in results:
                    if "error" in entry:
                        problems.append(entry)
                        continue
                    try:
                        with (
                            storage.open(entry["file"], "rb") as source,
                            archive.open(entry["arcname"], "w") as target,
                        ):
                            shutil.copyfileobj(source, target, 1 << 20)
                    except FileNotFoundError:
                        problems.append(
                            {
                                "staff_id": entry["staff_id"],
                                "name": entry["arcname"],
                                "employee_id": "",
                                "error": "The drawn file was removed before the "
                                "ZIP was put together; export again.",
                            }
                        )
            if problems:
                archive.writestr(PROBLEMS_NAME, _problems_text(job, problems))
        spool.seek(0)
        name = storage.save(_zip_name(job), File(spool))
    with transaction.atomic():
        updated = ExportJob.objects.filter(
            pk=job.pk, status=ExportJob.Status.RUNNING
        ).update(
            status=ExportJob.Status.DONE,
            percent=100,
            file=name,
            problems=problems,
            label="Ready to download"
            + (f" ({len(problems)} could not be generated)" if problems else ""),
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if updated:
            from .services import export_job_email_ready

            export_job_email_ready(job=job)
    if not updated:  # someone else finished it meanwhile
        storage.delete(name)
        return ExportJob.objects.get(pk=job.pk).status
    # The ZIP and the job's problems hold what the chunks were for: their per
    # person lists go (the job row stays, as the record of the export).
    ExportChunk.objects.filter(job_id=job.pk).delete()
    return ExportJob.Status.DONE
