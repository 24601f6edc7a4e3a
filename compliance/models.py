"""Export jobs of the compliance app (skill checklists live in ``skills``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.models import Site


class ExportJob(models.Model):
    """A long export (a site's training files as one ZIP) built in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40, default="site_training_files")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True)
    as_of = models.DateField()
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    percent = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200, blank=True)
    file = models.CharField(max_length=300, blank=True)  # name in private storage
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Progress in people, and when a worker last reported any (a job that stops
    # moving is put back on the queue by ``requeue_export_jobs``).
    total_people = models.PositiveIntegerField(default=0)
    done_people = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    # People whose training file could not be generated: [{"name", "employee_id",
    # "error"}]; the ZIP lists them too.
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Training files of {self.site} as of {self.as_of}"


class ExportChunk(models.Model):
    """A slice of an export job's people, rendered by one task; any worker may take
    it, and doing it twice does no harm (the files it writes are keyed by content).
    """

    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="chunks")
    position = models.PositiveIntegerField()
    staff_ids = models.JSONField(default=list)
    done_count = models.PositiveIntegerField(default=0)
    # One entry per person, in order: {"staff_id", "arcname", "file"} or, when the
    # file could not be generated, {"staff_id", "name", "employee_id", "error"}.
    results = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "position"], name="export_chunk_unique_position"
            )
        ]

    def __str__(self) -> str:
        return f"Part {self.position + 1} of {self.job}"
