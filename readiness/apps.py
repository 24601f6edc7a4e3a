"""The readiness store: verdicts kept up to date as data changes."""

from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = "Readiness store"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
