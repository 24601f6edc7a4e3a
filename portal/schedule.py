"""The Celery beat schedule: every periodic task of every app, in the agency's time.

Each entry names a task by its dotted path so that settings never import app code.
"""

import zoneinfo
from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from celery.schedules import crontab


class AgencyCrontab(crontab):
    """A crontab read in the agency's time zone as saved in the CMS
    (``portal.dates.agency_time_zone``, the one source that "today" also comes
    from), not the zone beat was started with: a new zone moves the schedule
    without a restart."""

    @property
    def tz(self) -> tzinfo:  # type: ignore[override]
        try:
            from portal.dates import agency_time_zone

            return agency_time_zone()
        except Exception:  # noqa: BLE001 - no database yet: the setting's default
            from django.conf import settings

            return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# Each re-sends what is still unsent; a worker also runs them when it starts.
REQUEUE_TASKS = (
    "portal.tasks.requeue_unsent_invitations",
    "credentials.tasks.requeue_unsent",
    "compliance.tasks.requeue_export_jobs",
    "portal.tasks.requeue_outbox",
    "portal.tasks.requeue_bulk_jobs",
)


def beat_schedule(*, reminder_hour: int, crontab: Callable[..., Any]) -> dict:
    """Return CELERY_BEAT_SCHEDULE; ``crontab`` is ``AgencyCrontab``, so the times
    are in the agency's time zone (``Agency.time_zone``)."""
    return {
        "portal-heartbeat": {
            "task": "portal.tasks.record_heartbeat",
            "schedule": 60.0,
        },
        # Every hour at :01, so it runs just after the agency's midnight whatever
        # the agency's time zone; it acts on the agency's "today" and is idempotent.
        "portal-apply-terminations": {
            "task": "portal.tasks.apply_terminations",
            "schedule": crontab(minute=1),
        },
        # Work whose publish failed (a broker that was down) is queued again.
        **{
            f"requeue-{name.split('.')[0]}": {"task": name, "schedule": 600.0}
            for name in REQUEUE_TASKS
            if name.split(".")[0] != "portal"
        },
        "requeue-portal": {
            "task": "portal.tasks.requeue_unsent_invitations",
            "schedule": 600.0,
        },
        # Bulk jobs (an import, a course assigned to many) that never started or
        # whose worker stopped go on from their last saved batch.
        "requeue-bulk-jobs": {
            "task": "portal.tasks.requeue_bulk_jobs",
            "schedule": 600.0,
        },
        # The outbox's rows carry their own backoff: looked at every minute.
        "requeue-outbox": {"task": "portal.tasks.requeue_outbox", "schedule": 60.0},
        # Just after the agency's midnight: whatever expired or started expiring
        # today (the store's reads also catch up on their own if it has not run).
        "readiness-refresh-by-date": {
            "task": "readiness.tasks.refresh_readiness_by_date",
            "schedule": crontab(minute=3),
        },
        # A seventh of the agency a day (everyone within a week) is compared
        # with the records and repaired: writes that skipped signals.
        "readiness-check-sample": {
            "task": "readiness.tasks.check_readiness_sample",
            "schedule": crontab(hour=2, minute=30),
        },
        # The CMS's go-live and expiry dates: Wagtail's publish_scheduled.
        "courses-publish-scheduled": {
            "task": "courses.tasks.publish_scheduled_pages",
            "schedule": 300.0,
        },
        "courses-assign-due-retraining": {
            "task": "courses.tasks.assign_due_retraining",
            "schedule": crontab(hour=reminder_hour, minute=5),
        },
        "credentials-reminder-scan": {
            "task": "credentials.tasks.scan_credential_reminders",
            "schedule": crontab(hour=reminder_hour, minute=0),
        },
        "classes-day-before-reminders": {
            "task": "classes.tasks.queue_class_reminders",
            "schedule": crontab(hour=reminder_hour, minute=15),
        },
        "classes-ce-shortfall-reminders": {
            "task": "classes.tasks.queue_ce_reminders",
            "schedule": crontab(hour=reminder_hour, minute=20),
        },
        "credentials-weekly-digest": {
            "task": "credentials.tasks.queue_weekly_digests",
            "schedule": crontab(hour=reminder_hour, minute=30, day_of_week=1),
        },
    }
