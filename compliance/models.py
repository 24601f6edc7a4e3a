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

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Training files of {self.site} as of {self.as_of}"
