"""A learner's transcript: every completion, class attended, outside CE activity
and credential, with CE hours; one context for the page and the PDF."""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import slugify

from classes.selectors import ce_activities_verified, classes_attended
from courses.selectors import completions_for
from credentials.selectors import credentials_for
from portal.dates import agency_today
from portal.models import StaffProfile


def transcript_context(*, staff: StaffProfile) -> dict:
    """What a transcript lists for ``staff``, newest first, with CE hour totals.

    A class whose pass completed a course lists its hours under the class, and
    the completion it made is not counted a second time."""
    attended = classes_attended(staff=staff)
    from_classes = {e.completion_id for e in attended if e.completion_id}
    completions = [c for c in completions_for(staff=staff) if c.pk not in from_classes]
    activities = list(ce_activities_verified(staff=staff))
    credentials = [
        c
        for c in credentials_for(staff=staff)
        if c.superseded_by_id is None
        and c.verification_status != c.Verification.REJECTED
    ]
    hours = {
        "courses": sum((c.ce_hours or Decimal(0) for c in completions), Decimal(0)),
        "classes": sum(
            (
                e.completion.ce_hours or Decimal(0)
                for e in attended
                if e.completion is not None
            ),
            Decimal(0),
        ),
        "activities": sum((a.hours for a in activities), Decimal(0)),
    }
    hours["total"] = hours["courses"] + hours["classes"] + hours["activities"]
    return {
        "staff": staff,
        "today": agency_today(),
        "completions": completions,
        "attended": attended,
        "activities": activities,
        "credentials": credentials,
        "hours": hours,
    }


def transcript_file_name(staff: StaffProfile) -> str:
    return f"transcript-{slugify(staff.full_name)}-{staff.employee_id}.pdf"
