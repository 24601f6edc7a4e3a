"""The readiness store: verdicts kept up to date as data changes."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = "Readiness store"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
        post_migrate.connect(
            receivers.migrated, sender=self, dispatch_uid="readiness-migrated"
        )
