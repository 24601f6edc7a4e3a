"""Skill checklists (observed competencies), their sign-offs, and export jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from portal.models import Requirement, Site, StaffProfile
from portal.records import ImmutableRecord


class SkillChecklist(ClusterableModel):
    """An observed competency ("Vital signs") with its items and who may sign it
    off; HR edits it in the CMS under "Skill checklists" and says who must have it
    under Requirements › Skill requirements."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    recheck_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Observe again after this many months; empty means once is enough.",
    )
    signer_credentials = models.ManyToManyField(
        "credentials.CredentialType",
        blank=True,
        related_name="+",
        verbose_name="signer must hold one of",
        help_text="Only someone holding a current, verified credential of one of "
        "these types may sign it off (e.g. a CPI or Safety-Care instructor "
        "certification for physical-intervention skills). Empty: any supervisor.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("recheck_months"),
        FieldPanel("signer_credentials"),
        InlinePanel("items", label="Items the observer checks", min_num=1),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SkillChecklistItem(Orderable):
    checklist = ParentalKey(
        SkillChecklist, on_delete=models.CASCADE, related_name="items"
    )
    text = models.CharField(max_length=300)

    panels = [FieldPanel("text")]

    def __str__(self) -> str:
        return self.text


class SkillRequirement(Requirement):
    """A skill checklist that people of a job role, program and/or site must have
    signed off. HR manages these in the CMS under Requirements › Skill
    requirements."""

    checklist = models.ForeignKey(
        SkillChecklist, on_delete=models.CASCADE, related_name="requirements"
    )

    item_field = "checklist"

    class Meta:
        ordering = ["job_role__name", "program__name", "site__name", "checklist__name"]

    def __str__(self) -> str:
        return f"{self.applies_to_label} requires {self.checklist}"


class SkillSignOff(ImmutableRecord):
    """A supervisor watched ``staff`` perform ``checklist`` on ``observed_on``.

    Immutable once saved; a correction is a new sign-off whose ``corrects``
    points at the one it replaces.
    """

    staff = models.ForeignKey(
        StaffProfile, on_delete=models.PROTECT, related_name="skill_signoffs"
    )
    checklist = models.ForeignKey(
        SkillChecklist, on_delete=models.PROTECT, related_name="signoffs"
    )
    observed_on = models.DateField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signature_name = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    # True when every item was met; stored so status queries stay set-based.
    met = models.BooleanField()
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-observed_on", "-created_at"]
        indexes = [models.Index(fields=["staff", "checklist", "observed_on"])]

    def __str__(self) -> str:
        return f"{self.checklist} for {self.staff} ({self.observed_on:%Y-%m-%d})"


class SkillSignOffItem(ImmutableRecord):
    """One item of a sign-off: the item's text as it was, and the result."""

    class Result(models.TextChoices):
        MET = "met", "Met"
        NEEDS_PRACTICE = "needs_practice", "Needs practice"

    sign_off = models.ForeignKey(
        SkillSignOff, on_delete=models.PROTECT, related_name="items"
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    result = models.CharField(max_length=20, choices=Result.choices)

    class Meta:
        ordering = ["sign_off", "position"]

    def __str__(self) -> str:
        return f"{self.text}: {self.get_result_display()}"


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
    # moving is queued again by ``requeue_export_jobs``).
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


class ReminderSent(models.Model):
    """A reminder emailed to a person: the record that stops a second one within
    ``REMINDER_GAP`` (a double click, two supervisors at once)."""

    staff = models.ForeignKey(
        StaffProfile, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    item_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"Reminder to {self.staff} at {self.sent_at:%Y-%m-%d %H:%M}"
