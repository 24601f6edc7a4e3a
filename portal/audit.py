"""Reads, downloads and exports an auditor relies on, recorded in the audit log
(action ACCESS). Every app records them through ``audit_access``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

if TYPE_CHECKING:
    from .types import AnyUser


def audit_access(
    *, actor: AnyUser | None, obj_or_model: models.Model | type[models.Model], what: str
) -> LogEntry:
    """Record that ``actor`` exported or read ``what`` (about an object or a model)."""
    if isinstance(obj_or_model, models.Model):
        model = type(obj_or_model)
        pk = obj_or_model.pk
        object_repr = str(obj_or_model)
    else:
        model = obj_or_model
        pk = None
        object_repr = str(model._meta.verbose_name_plural)
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(pk) if pk is not None else "",
        object_id=pk if isinstance(pk, int) else None,
        object_repr=object_repr[:200],
        action=LogEntry.Action.ACCESS,
        changes_text=what,
        changes={"access": [what]},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_email=getattr(actor, "email", "") or "",
    )
