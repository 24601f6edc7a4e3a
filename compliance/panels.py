"""Panels the compliance app adds to shared pages (home, a person's page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from portal.dates import agency_today
from portal.permissions import may_remind, may_sign_off
from portal.rollup import off_staff_phrase, readiness_for
from skills import selectors as skill_selectors

from . import selectors
from .filters import matrix_link

if TYPE_CHECKING:
    from portal.models import StaffProfile
    from portal.types import AuthenticatedHttpRequest


def home_matrix_panel(
    request: AuthenticatedHttpRequest, staff: StaffProfile | None = None
) -> str | None:
    """A supervisor's home: how many of their people are not ready, and a link."""
    today = agency_today()
    summary = selectors.matrix_summary(user=request.user, as_of=today)
    links = {
        name: matrix_link(as_of=today, verdict=name)
        for name in selectors.SUMMARY_VERDICTS
    }
    links["people"] = matrix_link(as_of=today)
    return render_to_string(
        "compliance/panels/home_matrix.html",
        {"summary": summary, "today": today, "links": links},
        request=request,
    )


def person_panel(request: AuthenticatedHttpRequest, staff: StaffProfile) -> str | None:
    """A person's readiness today, their sign-offs, and what the viewer may do."""
    today = agency_today()
    readiness = readiness_for(staff_ids=[staff.pk], as_of=today)[staff.pk]
    user = request.user
    may_sign = may_sign_off(user=user, staff=staff)
    # A closed account or a leaver gets no reminders: no button.
    remind = (
        may_remind(user=user, staff=staff) and staff.user.is_active and staff.is_current
    )
    return render_to_string(
        "compliance/panels/person.html",
        {
            "person": staff,
            "readiness": readiness,
            "off_staff": ""
            if readiness.on_staff
            else off_staff_phrase(
                hire_date=staff.hire_date,
                termination_date=staff.termination_date,
                as_of=today,
            ),
            "today": today,
            "signoffs": list(skill_selectors.signoffs_of(staff=staff)[:20]),
            "may_sign": may_sign,
            "may_remind": remind,
        },
        request=request,
    )
