"""The agency's clock: its time zone and its "today"."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

_CACHE_KEY = "milieu:agency-time-zone"


def agency_time_zone() -> zoneinfo.ZoneInfo:
    """The agency's time zone (Agency.time_zone, else the AGENCY_TIME_ZONE setting)."""
    name = cache.get(_CACHE_KEY)
    if name is None:
        from .models import Agency

        name = (
            Agency.objects.order_by("pk").values_list("time_zone", flat=True).first()
            or settings.TIME_ZONE
        )
        cache.set(_CACHE_KEY, name, 300)
    return zoneinfo.ZoneInfo(name)


def forget_agency_time_zone() -> None:
    cache.delete(_CACHE_KEY)


def agency_today() -> dt.date:
    """Today's date where the agency is, whatever the server's clock zone."""
    return timezone.localdate(timezone=agency_time_zone())


def agency_now() -> dt.datetime:
    return timezone.localtime(timezone=agency_time_zone())


def start_of_day(day: dt.date) -> dt.datetime:
    """The aware datetime at which ``day`` begins in the agency's zone."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=agency_time_zone())
