"""The Celery application; configuration is read from Django settings (CELERY_*)."""

import logging
import os

from celery import Celery
from celery.beat import PersistentScheduler
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


class ResilientScheduler(PersistentScheduler):
    """Beat's own scheduler, except that a schedule file cut short (a beat killed
    mid-write leaves an empty shelve) is started afresh instead of stopping beat.
    The file only remembers when each entry last ran."""

    def _create_schedule(self) -> None:
        try:
            self._store["entries"]
        except EOFError:
            self._store = self._open_schedule_afresh()
        except Exception:  # noqa: BLE001, S110 - every other case is the parent's
            pass
        super()._create_schedule()

    def _open_schedule_afresh(self):
        self._remove_db()
        return self._open_schedule()


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


@worker_ready.connect
def _heartbeat_on_start(sender=None, **kwargs) -> None:
    """A worker that starts says so at once, so /healthz is honest from the start."""
    from portal.tasks import record_heartbeat

    try:
        record_heartbeat("worker-start")
    except Exception:  # noqa: BLE001 - a health signal must never stop the worker
        logging.getLogger(__name__).exception("could not record the start heartbeat")
