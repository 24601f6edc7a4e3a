"""Input that every entry point refuses: implausible dates and control characters.

One set of rules, used by the portal's forms, the CMS (as model-field validators),
the staff import and allauth, so a value refused in one place is refused in all.
"""

from __future__ import annotations

import datetime as dt
import decimal
import unicodedata
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.safestring import SafeData

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


BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def validate_display_name(value: str | None) -> None:
    """Refuse what must never be shown in a name or title a person or an email
    shows (job roles, teams, sites, programs, credential types, course titles):
    line breaks and other control characters, right-to-left overrides, and spaces
    at either end."""
    if not value:
        return
    text = str(value)
    if any(ch in BIDI_CONTROLS for ch in text):
        raise ValidationError(
            "Remove the right-to-left or left-to-right override character from "
            "this name.",
            code="bidi_override",
        )
    if has_control_characters(text):
        raise ValidationError(
            "Remove the line break or other invisible character from this name.",
            code="control_characters",
        )
    if text != text.strip():
        raise ValidationError(
            "Remove the spaces at the start or end of this name.", code="untrimmed"
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


class _Shown:
    """A value as an email shows it: every text read through it is ``one_line``d,
    so an old row with a line break or a right-to-left override in a name is
    never written raw into a message."""

    __slots__ = ("_value",)

    def __init__(self, value: object) -> None:
        self._value = value

    def __getattr__(self, name: str) -> object:
        attr = getattr(self._value, name)
        if callable(attr) and not isinstance(attr, type):
            if getattr(attr, "alters_data", False) or getattr(
                attr, "do_not_call_in_templates", False
            ):
                return attr

            def call(*args: object, **kwargs: object) -> object:
                return shown_in_email(attr(*args, **kwargs))

            return call
        if isinstance(attr, str) and _is_text_field(self._value, name):
            # A reason or a description keeps its lines; each line is cleaned.
            return "\n".join(
                one_line(line, limit=len(line) + 1) for line in attr.splitlines()
            )
        return shown_in_email(attr)

    def __getitem__(self, key: object) -> object:
        return shown_in_email(self._value[key])  # type: ignore[index]

    def __iter__(self) -> Iterator[object]:
        return (shown_in_email(item) for item in self._value)  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self._value)  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return self._value == (other._value if isinstance(other, _Shown) else other)

    def __hash__(self) -> int:
        return hash(self._value)

    def __str__(self) -> str:
        text = str(self._value)
        return one_line(text, limit=len(text) + 1)


def _is_text_field(obj: object, name: str) -> bool:
    from django.db import models

    if not isinstance(obj, models.Model):
        return False
    try:
        return isinstance(obj._meta.get_field(name), models.TextField)
    except Exception:  # noqa: BLE001 - not a field (a property, a method)
        return False


_PLAIN = (bool, int, float, decimal.Decimal, dt.date, dt.time, dt.timedelta)


def shown_in_email(value: object) -> object:
    """``value`` ready for an email template: texts made one line (control
    characters and bidi overrides become spaces), objects wrapped so that what
    a template reads from them is too; HTML marked safe by code is kept."""
    if value is None or isinstance(value, (*_PLAIN, SafeData, _Shown)):
        return value
    if isinstance(value, str):
        return one_line(value, limit=len(value) + 1)
    if isinstance(value, dict):
        return {key: shown_in_email(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [shown_in_email(item) for item in value]
    return _Shown(value)


def shown_in_email_context(context: dict[str, Any]) -> dict[str, Any]:
    """An email template's context with every value ``shown_in_email``."""
    return {key: shown_in_email(value) for key, value in context.items()}


DB_INT_MAX = 2**63 - 1


def parse_id(value: object) -> int | None:
    """A database id typed in an address (``?staff=12``): the int, or None when it
    is not a positive whole number the database can hold."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= DB_INT_MAX else None
