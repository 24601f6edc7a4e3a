"""Forms of the training pages."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from portal.forms import IdChoiceField, IdMultipleChoiceField
from portal.models import StaffProfile, Team
from portal.validators import DB_INT_MAX, validate_plausible_date

from .models import CoursePage


class AssignForm(forms.Form):
    course = IdChoiceField(
        queryset=CoursePage.objects.none(), empty_label="Choose a course"
    )
    staff = IdMultipleChoiceField(
        queryset=StaffProfile.objects.none(),
        required=False,
        label="People",
        widget=forms.CheckboxSelectMultiple,
    )
    team = IdChoiceField(
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team (only the people checked)",
        help_text="Everyone active on this team.",
    )
    due_on = forms.DateField(
        label="Due on",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_plausible_date],
    )

    def __init__(self, *args, staff_qs, team_qs, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        courses = CoursePage.objects.live().order_by("title")
        cast(forms.ModelChoiceField, self.fields["course"]).queryset = courses
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff_qs.active()
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = team_qs

    def people_by_team(self) -> list[dict]:
        """The people one may pick, grouped by team (a checkbox list), with what
        was already checked kept after a form error."""
        if self.is_bound:
            data = cast(QueryDict, self.data)
            chosen = {str(x) for x in data.getlist(self.add_prefix("staff"))}
        else:
            chosen = {str(x) for x in (self.initial.get("staff") or [])}
        groups: dict[str, list[dict]] = {}
        choices = cast(forms.ModelChoiceField, self.fields["staff"]).queryset
        people = cast("QuerySet[StaffProfile]", choices).select_related("user", "team")
        for person in people.order_by(
            "team__name", "user__last_name", "user__first_name", "pk"
        ):
            name = person.team.name if person.team else "No team"
            groups.setdefault(name, []).append(
                {
                    "pk": person.pk,
                    "name": person.full_name,
                    "checked": str(person.pk) in chosen,
                }
            )
        return [{"team": team, "people": rows} for team, rows in groups.items()]

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < self.today:
            raise forms.ValidationError("The due date is in the past.")
        return due_on

    def clean(self):
        data = super().clean() or {}
        if not data.get("staff") and not data.get("team"):
            raise forms.ValidationError("Choose at least one person or a team.")
        return data


class QuizResetForm(forms.Form):
    quiz = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=DB_INT_MAX
    )
    reason = forms.CharField(max_length=300)
