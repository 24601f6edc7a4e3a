"""Records an auditor relies on: written once, never changed or deleted.

Completions, attestations and skill sign-offs inherit from ``ImmutableRecord``;
a correction is a new record, so the history stays whole.
"""

from django.core.exceptions import ValidationError
from django.db import models


class ImmutableQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes too."""

    def update(self, **kwargs):
        raise ValidationError(
            f"{self.model._meta.verbose_name_plural.capitalize()} cannot be changed."
        )

    def delete(self):
        raise ValidationError(
            f"{self.model._meta.verbose_name_plural.capitalize()} cannot be deleted."
        )


class ImmutableRecord(models.Model):
    """Saved once; ``save()`` of an existing row and ``delete()`` raise."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self)._base_manager.filter(pk=self.pk).exists():
            raise ValidationError(f"A {self._meta.verbose_name} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"A {self._meta.verbose_name} cannot be deleted.")
