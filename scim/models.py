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
