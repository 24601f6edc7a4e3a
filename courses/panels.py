"""Panels the training app adds to shared pages (home, a person's page)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from portal.dates import agency_today
from portal.roles import is_hr, is_supervisor

from . import selectors
from .models import QuizPage

if TYPE_CHECKING:
    from portal.models import StaffProfile
    from portal.types import AuthenticatedHttpRequest


def home_next_due(
    request: AuthenticatedHttpRequest, staff: StaffProfile | None = None, **kwargs: Any
) -> str | None:
    staff = staff or getattr(request.user, "staff", None)
    if staff is None:
        return None
    today = agency_today()
    return render_to_string(
        "courses/panels/home_next.html",
        {
            "rows": selectors.home_training_for(staff=staff, today=today, limit=3),
            "today": today,
        },
        request=request,
    )


def person_training(
    request: AuthenticatedHttpRequest, staff: StaffProfile | None = None, **kwargs: Any
) -> str | None:
    if staff is None:
        return None
    user = request.user
    may_reset = (is_hr(user) or is_supervisor(user)) and staff.user_id != user.pk
    exhausted = []
    if may_reset:
        for quiz in QuizPage.objects.live().filter(attempts__staff=staff).distinct():
            state = selectors.quiz_state(staff=staff, quiz=quiz)
            if state.exhausted:
                exhausted.append({"quiz": quiz, "state": state})
    return render_to_string(
        "courses/panels/person_training.html",
        {
            "person": staff,
            "assignments": selectors.assignments_for(staff=staff, open_only=True),
            "completions": selectors.completions_for(staff=staff),
            "attestations": selectors.attestations_for(staff=staff),
            "exhausted": exhausted,
            "today": agency_today(),
        },
        request=request,
    )
