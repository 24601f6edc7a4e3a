"""Forms of the compliance pages."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from portal.forms import IdChoiceField
from portal.models import Site
from portal.validators import parse_id, validate_plausible_date

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label="As of",
        required=False,
        widget=DATE_INPUT,
        validators=[validate_plausible_date],
    )


class DashboardForm(AsOfForm):
    within = forms.TypedChoiceField(
        label="Renewals within",
        required=False,
        coerce=int,
        empty_value=90,  # type: ignore[arg-type]  # any value works; the stub says str
        initial=90,
        choices=[(30, "30 days"), (60, "60 days"), (90, "90 days")],
    )


class SiteExportForm(forms.Form):
    site = forms.ModelChoiceField(
        queryset=Site.objects.all(), empty_label="Choose a site"
    )
    as_of = forms.DateField(
        label="Requirements as of",
        widget=DATE_INPUT,
        validators=[validate_plausible_date],
    )


class BulkForm(forms.Form):
    """What to do for the people checked in the team matrix. The ids come back
    as they were posted; the service checks each one against the actor's people."""

    action = forms.ChoiceField(label="Action", choices=())
    course: forms.ModelChoiceField = IdChoiceField(
        queryset=None, required=False, empty_label="Choose a course"
    )
    due_on = forms.DateField(
        label="Due on",
        required=False,
        widget=DATE_INPUT,
        validators=[validate_plausible_date],
    )
    session: forms.ModelChoiceField = IdChoiceField(
        label="Class", queryset=None, required=False, empty_label="Choose a class"
    )

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        from classes.selectors import sessions_open
        from courses.models import CoursePage

        from .services import BulkAction

        super().__init__(*args, **kwargs)
        self.today = today
        cast(forms.ChoiceField, self.fields["action"]).choices = BulkAction.CHOICES
        courses = CoursePage.objects.live().order_by("title")
        cast(forms.ModelChoiceField, self.fields["course"]).queryset = courses
        sessions = cast(forms.ModelChoiceField, self.fields["session"])
        sessions.queryset = sessions_open().order_by("starts_at")
        sessions.label_from_instance = lambda s: (  # type: ignore[assignment]
            f"{s.title}, {date_format(timezone.localtime(s.starts_at), 'DATE_FORMAT')}"
        )

    def clean(self) -> dict:
        from .services import BulkAction

        data = super().clean() or {}
        action = data.get("action")
        if action == BulkAction.ASSIGN:
            if not data.get("course"):
                self.add_error("course", "Choose the course to assign.")
            due_on = data.get("due_on")
            if not due_on:
                self.add_error("due_on", "Give the date the course is due.")
            elif due_on < self.today:
                self.add_error("due_on", "The due date is in the past.")
        if action == BulkAction.BOOK and not data.get("session"):
            self.add_error("session", "Choose the class to book.")
        return data


def posted_ids(values: list[str]) -> list[int]:
    """The person ids posted (whatever is not an id is left out)."""
    return [pk for pk in (parse_id(v) for v in values) if pk is not None]
