"""Filters of the reminder email: one plain line per requirement."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format as _day

from portal.requirements import Status

register = template.Library()


@register.filter
def reminder_line(item) -> str:
    """``CPR / First Aid — missing, due Nov 22, 2026``; a course not yet late reads
    ``HIPAA — due Jan 6, 2027`` (the date says it once, never "due, due")."""
    if item.status == Status.PENDING:
        state = "uploaded, waiting for verification"
    elif item.kind == "skill" and item.status != Status.EXPIRING:
        label = Status.LABELS.get(item.status, item.status).lower()
        state = f"{label}, needs a sign-off by an observer"
    else:
        state = Status.LABELS.get(item.status, item.status).lower()
    parts = [state]
    if item.status == Status.EXPIRING and item.expires_on:
        parts = [f"expires {_day(item.expires_on)}"]
    elif item.status == Status.EXPIRED and item.expires_on:
        parts = [f"expired {_day(item.expires_on)}"]
    elif item.due_on and item.status == Status.DUE:
        parts = [f"due {_day(item.due_on)}"]
    elif item.due_on and item.status == Status.OVERDUE:
        parts.append(f"was due {_day(item.due_on)}")
    elif item.due_on:
        parts.append(f"due {_day(item.due_on)}")
    return f"{item.label} — {', '.join(parts)}"
