"""The Celery application; configuration is read from Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _heartbeat_on_start(sender=None, **kwargs) -> None:
    """A worker that starts says so at once, so /healthz is honest from the start."""
    from portal.tasks import record_heartbeat

    try:
        record_heartbeat("worker-start")
    except Exception:  # noqa: BLE001 - a health signal must never stop the worker
        import logging

        logging.getLogger(__name__).exception("could not record the start heartbeat")
