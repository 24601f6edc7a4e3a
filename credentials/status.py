"""The status of a credential as a pure function of dates and "today".

A credential is valid through its expiry date: on ``expires_on`` it is still
"expiring", the day after it is "expired". "Expiring" starts at the type's first
reminder step (``warning_days`` before expiry). The same rule, as SQL, is
``Credential.objects.with_status(today)``; tests hold the two together.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format

from portal.dates import add_days
from portal.requirements import Status

from .models import Credential

PENDING = Credential.Verification.PENDING
VERIFIED = Credential.Verification.VERIFIED
REJECTED = Credential.Verification.REJECTED


def credential_status(
    *,
    today: dt.date,
    expires_on: dt.date | None,
    verification_status: str = VERIFIED,
    warning_days: int = 90,
    has_expiry: bool = True,
) -> str:
    """One of Status: current, expiring, expired, pending_verification, missing.

    A rejected credential counts as nothing on file (missing). An expired one is
    expired even while its verification is pending.
    """
    if verification_status == REJECTED:
        return Status.MISSING
    if has_expiry and expires_on is not None:
        if today > expires_on:
            return Status.EXPIRED
    if verification_status == PENDING:
        return Status.PENDING
    if not has_expiry or expires_on is None:
        return Status.CURRENT
    if (expires_on - today).days <= warning_days:
        return Status.EXPIRING
    return Status.CURRENT


def status_of(credential: Credential | None, *, today: dt.date) -> str:
    """``credential_status`` for a Credential (its type loaded), or MISSING for None."""
    if credential is None:
        return Status.MISSING
    ctype = credential.credential_type
    return credential_status(
        today=today,
        expires_on=credential.expires_on,
        verification_status=credential.verification_status,
        warning_days=ctype.warning_days,
        has_expiry=ctype.has_expiry,
    )


def reminder_step(
    *,
    today: dt.date,
    due_on: dt.date,
    steps: list[int],
    weekly_when_expired: bool = True,
) -> int | None:
    """The most urgent reminder step reached on ``today`` for a date ``due_on``.

    ``steps`` are days before the date (0 is the day itself). After the date, if
    weekly reminders are on, the step is -7, -14, ... (whole weeks past it).
    None when no step has been reached yet (or none applies any more).
    """
    days_left = (due_on - today).days
    if weekly_when_expired and days_left <= -7:
        return -7 * ((-days_left) // 7)
    reached = [s for s in steps if s >= days_left]
    return min(reached) if reached else None


def missing_phrase(
    *, today: dt.date, due_on: dt.date | None, before_first_shift: bool = False
) -> str:
    """What a missing requirement's date means today, without the word "Missing":
    "needed before the first shift", "due Nov 22, 2026", "due today, Nov 22, 2026"
    or "was due Nov 22, 2026 (3 days ago)"."""
    if before_first_shift:
        return "needed before the first shift"
    if due_on is None:
        return "nothing on file"
    days = (today - due_on).days
    if days > 0:
        return (
            f"was due {date_format(due_on)} ({days} day{'s' if days != 1 else ''} ago)"
        )
    if days == 0:
        return f"due today, {date_format(due_on)}"
    return f"due {date_format(due_on)}"


def missing_phrase_changes_on(
    *, today: dt.date, due_on: dt.date | None, before_first_shift: bool = False
) -> dt.date | None:
    """The first day after ``today`` on which ``missing_phrase`` reads differently:
    the due date ("due today"), or tomorrow once it has passed (the days count)."""
    if before_first_shift or due_on is None:
        return None
    return due_on if due_on > today else add_days(today, 1)


def record_phrase(
    *,
    status: str,
    expires_on: dt.date | None,
    pending_since: dt.date | None = None,
) -> str:
    """One short phrase for a credential on file: "expires Jun 3, 2027",
    "expired Oct 12, 2026", "pending verification since Nov 20, 2026",
    "does not expire"."""
    if status == Status.PENDING and pending_since is not None:
        return f"pending verification since {date_format(pending_since)}"
    if expires_on is None:
        return "does not expire"
    if status == Status.EXPIRED:
        return f"expired {date_format(expires_on)}"
    return f"expires {date_format(expires_on)}"
