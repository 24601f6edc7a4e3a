"""SCIM 2.0 provisioning: the identity system's bearer tokens and the link between
its user ids (``externalId``) and Milieu's staff profiles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ScimToken(models.Model):
    """A bearer token the identity system (Entra ID, Okta, Google) calls /scim/v2/
    with. Only its SHA-256 is stored: the token is shown once, when made."""

    name = models.CharField(max_length=100, help_text="Which system uses it.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="Set to stop the token at once."
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "SCIM token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ScimLink(models.Model):
    """The identity system's own id for a person (SCIM ``externalId``)."""

    staff = models.OneToOneField(
        "portal.StaffProfile", on_delete=models.PROTECT, related_name="scim_link"
    )
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.external_id


class ScimMapping(models.Model):
    """How a value the identity system sends reads in Milieu: a ``title`` names a
    job role, a ``department`` a team. Without a row, the names must match."""

    class Kind(models.TextChoices):
        TITLE = "title", "Title → job role"
        DEPARTMENT = "department", "Department → team"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(
        max_length=200, help_text="Exactly as the identity system sends it."
    )
    job_role = models.ForeignKey(
        "portal.JobRole",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    team = models.ForeignKey(
        "portal.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = "SCIM value mapping"
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="scim_map_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.TITLE and not self.job_role_id:
            raise ValidationError({"job_role": "Choose the job role this title means."})
        if self.kind == self.Kind.DEPARTMENT and not self.team_id:
            raise ValidationError({"team": "Choose the team this department means."})
