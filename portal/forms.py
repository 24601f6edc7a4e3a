"""Forms for staff records and invitations, and how a service's refusal reaches
the person who asked (as form errors or as a message)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .models import JobRole, StaffProfile, Team, User
from .roles import Role
from .validators import (
    parse_id,
    validate_no_control_characters,
    validate_plausible_date,
)


def errors_to_form(
    form: forms.BaseForm, exc: ValidationError, *, field: str | None = None
) -> None:
    """Show a service's ``ValidationError`` on ``form``: errors keyed by a field of
    the form go under that field, other keys under the form as a whole, and an
    error without keys under ``field`` (None: the form as a whole)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(field, error)


def errors_to_messages(request: HttpRequest, exc: ValidationError) -> None:
    """Show a service's ``ValidationError`` as one error message on the next page
    (for actions without a form of their own: a button that posts)."""
    messages.error(request, " ".join(exc.messages))


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that answers an id the database cannot hold (``2**63``,
    ``-1``) with its "not one of the choices" message instead of a database error."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(value) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """``IdChoiceField`` for several ids."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]  # not in the stubs


class StaffCreateForm(forms.Form):
    first_name = forms.CharField(
        max_length=150, validators=[validate_no_control_characters]
    )
    last_name = forms.CharField(
        max_length=150, validators=[validate_no_control_characters]
    )
    email = forms.EmailField(
        help_text="The invitation goes to this address.",
        validators=[validate_no_control_characters],
    )
    employee_id = forms.CharField(
        max_length=40, label="Employee ID", validators=[validate_no_control_characters]
    )
    job_role = forms.ModelChoiceField(
        queryset=JobRole.objects.all(), empty_label="Choose a job role"
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.select_related("site"),
        required=False,
        empty_label="No team",
    )
    hire_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_plausible_date],
    )
    roles = forms.MultipleChoiceField(
        choices=[(r.value, r.value) for r in Role if r != Role.ADMIN],
        initial=[Role.STAFF.value],
        widget=forms.CheckboxSelectMultiple,
        help_text="Supervisor, HR and Author add to what Staff can do.",
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone already has this email address.")
        return email

    def clean_employee_id(self) -> str:
        value = self.cleaned_data["employee_id"].strip()
        if StaffProfile.objects.filter(employee_id=value).exists():
            raise forms.ValidationError("This Employee ID is already in use.")
        return value


class StaffUpdateForm(forms.ModelForm):
    class Meta:
        model = StaffProfile
        fields = ["job_role", "team", "hire_date", "status", "termination_date"]
        widgets = {
            "hire_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "termination_date": forms.DateInput(
                attrs={"type": "date"}, format="%Y-%m-%d"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Real words instead of Django's "---------".
        cast(
            forms.ModelChoiceField, self.fields["job_role"]
        ).empty_label = "Choose a job role"
        cast(forms.ModelChoiceField, self.fields["team"]).empty_label = "No team"


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label="New password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="New password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            raise forms.ValidationError("The two passwords are not the same.")
        if p1:
            password_validation.validate_password(p1, self.user)
        return data


class AccessChangeForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("deactivate", "Deactivate"), ("reactivate", "Reactivate")],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the log with your name and the time.",
        error_messages={"required": "Give a reason; it is kept in the log."},
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file from the HR system",
        help_text="Columns: employee_id, name (or first_name, last_name), email, "
        "job_role (code or name), team, hire_date (YYYY-MM-DD).",
    )
