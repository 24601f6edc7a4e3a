"""Date filters for the forms Django has no format name for (portal/formats/en).

Built into every template (settings.TEMPLATES builtins): ``{{ day|long_date }}``
writes "December 7, 2026", ``{{ moment|weekday_datetime }}`` "Mon, Dec 7, 2026,
9:00 AM". Named formats need no filter: ``|date``, ``|date:"DATETIME_FORMAT"``,
``|time:"TIME_FORMAT"``, ``|date:"MONTH_DAY_FORMAT"``.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.template.defaultfilters import date as _date

from portal.formats.en import formats

register = template.Library()

Moment = dt.date | dt.datetime | None


def _written(value: Moment, fmt: str) -> str:
    if value in (None, ""):
        return ""
    return _date(value, fmt)


@register.filter(expects_localtime=True, is_safe=False)
def long_date(value: Moment) -> str:
    """December 7, 2026."""
    return _written(value, formats.LONG_DATE_FORMAT)


@register.filter(expects_localtime=True, is_safe=False)
def long_weekday_date(value: Moment) -> str:
    """Monday, December 7, 2026."""
    return _written(value, formats.LONG_WEEKDAY_DATE_FORMAT)


@register.filter(expects_localtime=True, is_safe=False)
def long_datetime(value: Moment) -> str:
    """December 7, 2026, 9:00 AM."""
    return _written(value, formats.LONG_DATETIME_FORMAT)


@register.filter(expects_localtime=True, is_safe=False)
def weekday_date(value: Moment) -> str:
    """Mon, Dec 7, 2026."""
    return _written(value, formats.WEEKDAY_DATE_FORMAT)


@register.filter(expects_localtime=True, is_safe=False)
def weekday_datetime(value: Moment) -> str:
    """Mon, Dec 7, 2026, 9:00 AM."""
    return _written(value, formats.WEEKDAY_DATETIME_FORMAT)


@register.filter(expects_localtime=True, is_safe=False)
def weekday_month_day_time(value: Moment) -> str:
    """Mon, Dec 7, 9:00 AM (a class this season, where the year goes without saying)."""
    return _written(value, formats.WEEKDAY_MONTH_DAY_TIME_FORMAT)


@register.filter(expects_localtime=True, is_safe=False)
def month_day_time(value: Moment) -> str:
    """Dec 7, 9:00 AM."""
    return _written(value, formats.MONTH_DAY_TIME_FORMAT)
