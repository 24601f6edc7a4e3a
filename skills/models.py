"""Skill checklists (observed competencies) and their sign-offs.

The tables keep the names they had in ``compliance`` (``db_table``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from portal.models import Requirement, StaffProfile
from portal.records import ImmutableRecord
from portal.validators import validate_display_name


class SkillChecklist(ClusterableModel):
    """An observed competency ("Vital signs") with its items and who may sign it
    off; HR edits it in the CMS under "Skill checklists" and says who must have it
    under Requirements › Skill requirements."""

    name = models.CharField(
        max_length=200, unique=True, validators=[validate_display_name]
    )
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
        db_table = "compliance_skillchecklist"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SkillChecklistItem(Orderable):
    checklist = ParentalKey(
        SkillChecklist, on_delete=models.CASCADE, related_name="items"
    )
    text = models.CharField(max_length=300)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        db_table = "compliance_skillchecklistitem"

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
        db_table = "compliance_skillrequirement"
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
        db_table = "compliance_skillsignoff"
        ordering = ["-observed_on", "-created_at"]
        indexes = [models.Index(fields=["staff", "checklist", "observed_on"])]

    def __str__(self) -> str:
        return f"{self.checklist} for {self.staff} ({date_format(self.observed_on)})"


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
        db_table = "compliance_skillsignoffitem"
        ordering = ["sign_off", "position"]

    def __str__(self) -> str:
        return f"{self.text}: {self.get_result_display()}"
