"""Migration helper for a model that moves to another app with its table: its
content type follows, so permissions granted on it and its audit history stay."""

from __future__ import annotations

from django.db import migrations


def content_types_moved(
    *models: str, from_label: str, to_label: str
) -> migrations.RunPython:
    """A reversible operation giving the content types of ``models`` (lower-case
    model names) the app label ``to_label``; one already there is left alone."""

    def move(apps, old: str, new: str) -> None:
        content_type = apps.get_model("contenttypes", "ContentType")
        for model in models:
            if content_type.objects.filter(app_label=new, model=model).exists():
                continue
            content_type.objects.filter(app_label=old, model=model).update(
                app_label=new
            )

    def forwards(apps, schema_editor):
        move(apps, from_label, to_label)

    def backwards(apps, schema_editor):
        move(apps, to_label, from_label)

    return migrations.RunPython(forwards, backwards)
