"""The Celery application; configuration is read from Django settings (CELERY_*)."""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def requeue_on_start(sender=None, **kwargs) -> None:
    """A starting worker queues again whatever a down broker or worker left unsent
    (with no age limit, so it does not wait for the next beat tick)."""
    from portal.schedule import REQUEUE_TASKS

    for name in REQUEUE_TASKS:
        try:
            app.send_task(name, kwargs={"older_than_minutes": 0})
        except Exception:  # noqa: BLE001 - the beat tick will do it
            logging.getLogger(__name__).exception("Could not queue %s", name)
