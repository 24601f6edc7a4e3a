"""Records an auditor relies on: written once, never changed or deleted.

Completions, attestations and skill sign-offs inherit from ``ImmutableRecord``;
a correction is a new record, so the history stays whole.
"""

from django.core.exceptions import ValidationError
from django.db import migrations, models


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


# --- The same rule in PostgreSQL ------------------------------------------------------
# A shell's ``_base_manager.update()`` or raw SQL bypasses the Python checks above;
# a trigger refuses UPDATE and DELETE of each row in the database itself.

_FUNCTION = """
CREATE OR REPLACE FUNCTION milieu_refuse_record_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Rows of % are records an auditor relies on: they cannot be '
        'changed or deleted (add a correction instead).', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def _trigger_name(table: str) -> str:
    return f"{table}_immutable"


def immutable_trigger_operation(*models_: str) -> migrations.RunPython:
    """A migration operation installing the refusing trigger on the tables of
    ``models_`` ("app_label.Model"); a no-op on SQLite."""

    def install(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(_FUNCTION, params=None)
        for label in models_:
            table = apps.get_model(label)._meta.db_table
            name = _trigger_name(table)
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            schema_editor.execute(
                f'CREATE TRIGGER "{name}" BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION milieu_refuse_record_change()"
            )

    def remove(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for label in models_:
            table = apps.get_model(label)._meta.db_table
            schema_editor.execute(
                f'DROP TRIGGER IF EXISTS "{_trigger_name(table)}" ON "{table}"'
            )

    return migrations.RunPython(install, remove)
