"""Panels the training app adds to shared pages (home, a person's page)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from portal.dates import agency_today
from portal.permissions import may_reset_quiz

from . import selectors

if TYPE_CHECKING:
    from portal.models import StaffProfile
    from portal.types import AuthenticatedHttpRequest


def home_next_due(
    request: AuthenticatedHttpRequest, staff: StaffProfile | None = None, **kwargs: Any
) -> str | None:
    staff = staff or getattr(request.user, "staff", None)
    if staff is None:
        return None
    return render_to_string(
        "courses/panels/home_next.html",
        {
            "rows": selectors.home_training_for(
                staff=staff, today=agency_today(), limit=3
            ),
        },
        request=request,
    )


def person_training(
    request: AuthenticatedHttpRequest, staff: StaffProfile | None = None, **kwargs: Any
) -> str | None:
    if staff is None:
        return None
    return render_to_string(
        "courses/panels/person_training.html",
        {
            "person": staff,
            "assignments": selectors.assignments_for(staff=staff, open_only=True),
            "completions": selectors.completions_for(staff=staff),
            "attestations": selectors.attestations_for(staff=staff),
            "today": agency_today(),
        },
        request=request,
    )


def person_quiz_locks(
    request: AuthenticatedHttpRequest, staff: StaffProfile | None = None, **kwargs: Any
) -> str | None:
    """At the top of a person's page, for whoever may reset them: the quizzes the
    person is locked out of, each with its reset."""
    if staff is None or not may_reset_quiz(user=request.user, staff=staff):
        return None
    locked = selectors.quizzes_exhausted(staff=staff)
    if not locked:
        return None
    return render_to_string(
        "courses/panels/person_quiz_locks.html",
        {"person": staff, "locked": locked},
        request=request,
    )
