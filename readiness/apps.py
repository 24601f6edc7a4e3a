"""The readiness store: verdicts kept up to date as data changes."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = "Readiness store"

    def ready(self) -> None:
        from portal.bulk import register_people_refresh

        from . import receivers

        receivers.connect()
        # A bulk job's batch recomputes its people once, at the batch's end.
        register_people_refresh(refresh_people)
        post_migrate.connect(
            receivers.migrated, sender=self, dispatch_uid="readiness-migrated"
        )


def refresh_people(staff_ids: list[int]) -> None:
    from .services import readiness_refresh_or_defer

    readiness_refresh_or_defer(staff_ids=staff_ids)
