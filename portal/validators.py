"""Input that every entry point refuses: implausible dates and control characters.

One set of rules, used by the portal's forms, the CMS (as model-field validators),
the staff import and allauth, so a value refused in one place is refused in all.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.formats import date_format

EARLIEST_DATE = dt.date(1950, 1, 1)
MAX_YEARS_AHEAD = 50


def latest_date(today: dt.date | None = None) -> dt.date:
    """The latest date a record may carry: 50 years from today."""
    from portal.dates import agency_today

    today = today or agency_today()
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)


def _when(day: dt.date) -> str:
    from .formats.en.formats import LONG_DATE_FORMAT

    return date_format(day, LONG_DATE_FORMAT)


def validate_plausible_date(value: dt.date | None) -> None:
    """Refuse dates before 1950 or more than 50 years ahead (typos such as 1900
    or 2205 would otherwise reach reminders and reports)."""
    if value is None:
        return
    if value < EARLIEST_DATE:
        raise ValidationError(
            f"{_when(value)} is before {EARLIEST_DATE.year}; check the year.",
            code="date_too_early",
        )
    latest = latest_date()
    if value > latest:
        raise ValidationError(
            f"{_when(value)} is more than {MAX_YEARS_AHEAD} years ahead; check the "
            "year.",
            code="date_too_late",
        )


def validate_past_date(value: dt.date | None) -> None:
    """A plausible date that is not in the future (an issue date, a hire date
    already recorded)."""
    if value is None:
        return
    validate_plausible_date(value)
    from portal.dates import agency_today

    if value > agency_today():
        raise ValidationError(
            f"{_when(value)} is in the future; an issue date is today or earlier.",
            code="date_in_future",
        )


def has_control_characters(value: str) -> bool:
    """Line breaks, tabs, NUL and other invisible control or format characters."""
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value)


def validate_no_control_characters(value: str | None) -> None:
    """Refuse line breaks and other control characters in one-line fields (names,
    emails, anything that can reach an email header)."""
    if value and has_control_characters(str(value)):
        raise ValidationError(
            "Remove the line break or other invisible character from this field.",
            code="control_characters",
        )


def one_line(value: object, *, limit: int = 200) -> str:
    """``value`` made safe for an email header: control characters become spaces,
    runs of spaces collapse, and the result is cut to ``limit`` characters."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
        for ch in str(value or "")
    )
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


DB_INT_MAX = 2**63 - 1


def parse_id(value: object) -> int | None:
    """A database id typed in an address (``?staff=12``): the int, or None when it
    is not a positive whole number the database can hold."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= DB_INT_MAX else None
