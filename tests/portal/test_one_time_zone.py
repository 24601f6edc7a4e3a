"""One source of the agency's time zone: the CMS's Agency.time_zone gives both
"today" and the hours beat runs at."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.conf import settings

from portal.dates import agency_today
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")


def scan_is_due(now: dt.datetime, *, last_run: dt.datetime) -> bool:
    """Whether beat would start the daily reminder scan at ``now``."""
    scan = settings.CELERY_BEAT_SCHEDULE["credentials-reminder-scan"]["schedule"]
    with time_machine.travel(now, tick=False):
        due, _ = scan.is_due(last_run)
    return due


def test_beat_runs_at_the_hour_of_the_agencys_zone_saved_in_the_cms():
    assert settings.TIME_ZONE == "America/New_York"
    AgencyFactory(time_zone="America/Los_Angeles")
    hour = settings.REMINDER_HOUR
    day = dt.date(2026, 11, 25)
    # It last ran yesterday at the reminder hour in Los Angeles.
    last_run = dt.datetime.combine(
        day - dt.timedelta(days=1), dt.time(hour, 0), tzinfo=LOS_ANGELES
    )
    # Three hours before the reminder hour in Los Angeles, it is that hour in
    # New York (the setting's zone): not yet.
    new_york_hour = dt.datetime.combine(
        day, dt.time(hour, 1), tzinfo=zoneinfo.ZoneInfo("America/New_York")
    )
    assert not scan_is_due(new_york_hour, last_run=last_run)
    los_angeles_hour = dt.datetime.combine(day, dt.time(hour, 1), tzinfo=LOS_ANGELES)
    assert scan_is_due(los_angeles_hour, last_run=last_run)
    # ... and "today" is read in the same zone.
    late_evening = dt.datetime(2026, 11, 25, 22, 30, tzinfo=LOS_ANGELES)
    with time_machine.travel(late_evening, tick=False):
        assert agency_today() == dt.date(2026, 11, 25)
