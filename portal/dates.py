"""The agency's clock: its time zone and its "today"."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import zoneinfo
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

_CACHE_KEY = "milieu:agency-time-zone"
# The zone read once at the start of the request being served (see
# ``agency_clock_for_request``): every other call in that request costs nothing.
_request_zone: ContextVar[zoneinfo.ZoneInfo | None] = ContextVar(
    "milieu_agency_zone", default=None
)


# The zone's name kept in this process's memory, and until when (time.monotonic()).
# Saving the Agency forgets it here at once and in the shared cache; every other
# process reads the shared cache again within PROCESS_SECONDS.
PROCESS_SECONDS = 30.0
_process_zone: tuple[str, float] | None = None


def _shared_time_zone() -> zoneinfo.ZoneInfo:
    """The zone as every process sees it: this process's memory (no read), else the
    shared cache (one read), else the database. Saving the Agency deletes the
    cached name (portal.apps)."""
    global _process_zone
    now = time.monotonic()
    if _process_zone is not None and _process_zone[1] > now:
        return zoneinfo.ZoneInfo(_process_zone[0])
    name = cache.get(_CACHE_KEY)
    if name is None:
        from .models import Agency

        name = (
            Agency.objects.order_by("pk").values_list("time_zone", flat=True).first()
            or settings.TIME_ZONE
        )
        cache.set(_CACHE_KEY, name, 300)
    _process_zone = (name, now + PROCESS_SECONDS)
    return zoneinfo.ZoneInfo(name)


def agency_time_zone() -> zoneinfo.ZoneInfo:
    """The agency's time zone (Agency.time_zone, else the AGENCY_TIME_ZONE setting)."""
    return _request_zone.get() or _shared_time_zone()


@contextlib.contextmanager
def agency_clock_for_request() -> Iterator[zoneinfo.ZoneInfo]:
    """Read the agency's zone once for the request served inside the block.

    A change saved through this process holds from its next request; one saved
    through another process (web or worker) within PROCESS_SECONDS. The rest of
    the request reads the zone from memory.
    """
    token = _request_zone.set(_shared_time_zone())
    try:
        yield _request_zone.get()  # type: ignore[misc]  # just set: never None
    finally:
        _request_zone.reset(token)


def forget_agency_time_zone() -> None:
    global _process_zone
    _process_zone = None
    cache.delete(_CACHE_KEY)
    _request_zone.set(None)


def agency_today() -> dt.date:
    """Today's date where the agency is, whatever the server's clock zone."""
    return timezone.localdate(timezone=agency_time_zone())


def agency_now() -> dt.datetime:
    return timezone.localtime(timezone=agency_time_zone())


def add_days(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, held at the calendar's ends (date.min, date.max):
    an old row dated 9999-12-31 or 0001-01-01 is one odd row, never an error."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the 31st gives the month's last
    day), held at the calendar's ends like ``add_days``."""
    from dateutil.relativedelta import relativedelta

    try:
        return day + relativedelta(months=months)
    except (OverflowError, ValueError):
        return dt.date.max if months > 0 else dt.date.min


def start_of_day(day: dt.date) -> dt.datetime:
    """The aware datetime at which ``day`` begins in the agency's zone."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=agency_time_zone())
