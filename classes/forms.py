"""Forms for scheduling classes, booking, rosters and CE activities."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.utils import timezone

from courses.models import CoursePage
from credentials.forms import MultipleFileField
from credentials.models import CredentialType
from portal.dates import agency_time_zone
from portal.models import StaffProfile, User
from portal.roles import Role

from .models import CECategory, ClassSession, Evaluation

DATETIME_WIDGET = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)


class AgencyDateTimeField(forms.DateTimeField):
    """A date and time typed in the agency's time zone, whatever the server's."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DATETIME_WIDGET)
        super().__init__(**kwargs)

    def to_python(self, value):
        with timezone.override(agency_time_zone()):
            return super().to_python(value)

    def prepare_value(self, value):
        if hasattr(value, "astimezone") and timezone.is_aware(value):
            return value.astimezone(agency_time_zone()).replace(tzinfo=None)
        return value


def instructor_choices():
    """Anyone who can teach: HR, trainers (authors) and supervisors, active."""
    return (
        User.objects.filter(
            is_active=True,
            groups__name__in=[Role.HR, Role.AUTHOR, Role.SUPERVISOR, Role.ADMIN],
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


class SessionForm(forms.ModelForm):
    starts_at = AgencyDateTimeField(label="Starts")
    ends_at = AgencyDateTimeField(label="Ends")
    booking_deadline = AgencyDateTimeField(
        label="Booking closes",
        help_text="Booking and cancelling close at this moment (agency time).",
    )

    class Meta:
        model = ClassSession
        fields = [
            "title",
            "credential_type",
            "course",
            "starts_at",
            "ends_at",
            "location",
            "instructor",
            "capacity",
            "booking_deadline",
            "notes",
        ]
        labels = {"credential_type": "Renews credential", "course": "Completes course"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["credential_type"]
        ).queryset = CredentialType.objects.filter(active=True)
        courses = CoursePage.objects.live().order_by("title")
        cast(forms.ModelChoiceField, self.fields["course"]).queryset = courses
        instructor = cast(forms.ModelChoiceField, self.fields["instructor"])
        instructor.queryset = instructor_choices()
        instructor.label_from_instance = lambda u: u.get_full_name() or u.email  # type: ignore[assignment]
        cast(forms.IntegerField, self.fields["capacity"]).min_value = 1
        self.fields["capacity"].widget.attrs.update(min=1, max=500)
        self.fields["notes"].widget.attrs["rows"] = 3

    def clean_capacity(self):
        value = self.cleaned_data["capacity"]
        if value is not None and not 1 <= value <= 500:
            raise forms.ValidationError("Give between 1 and 500 seats.")
        return value


class BookForm(forms.Form):
    staff: forms.ModelChoiceField[StaffProfile] = forms.ModelChoiceField(
        queryset=None, label="Person"
    )

    def __init__(self, *args, staff_qs, **kwargs):
        super().__init__(*args, **kwargs)
        staff = cast(forms.ModelChoiceField, self.fields["staff"])
        staff.queryset = staff_qs
        staff.label_from_instance = lambda s: (  # type: ignore[assignment]
            f"{s.full_name} ({s.team or 'no team'})"
        )


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Reason (told to everyone booked)",
        widget=forms.TextInput,
    )


class SignatureForm(forms.Form):
    signature = forms.CharField(
        max_length=160,
        label="Sign with your full name",
        help_text="Typing your name signs this roster; it cannot be changed after.",
    )
    reason = forms.CharField(
        max_length=300, required=False, label="What this correction fixes"
    )


class CEActivityForm(forms.Form):
    provider = forms.CharField(max_length=160, label="Provider")
    title = forms.CharField(max_length=200, label="Title")
    completed_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="Completed on"
    )
    hours = forms.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("100"),
        label="Hours",
    )
    category = forms.ModelChoiceField(
        queryset=CECategory.objects.all(),
        required=False,
        label="Category",
        empty_label="General (no special category)",
    )
    certificate = MultipleFileField(
        label="Certificate of completion",
        help_text="PDF, JPEG or PNG, up to 10 MB.",
    )

    def clean_completed_on(self):
        from portal.dates import agency_today

        value = self.cleaned_data["completed_on"]
        if value > agency_today():
            raise forms.ValidationError("The date is in the future.")
        if value.year < 1950:
            raise forms.ValidationError("Give a date after 1950.")
        return value

    def clean_certificate(self):
        files = self.cleaned_data.get("certificate") or []
        if not files:
            raise forms.ValidationError("Upload the certificate of completion.")
        if len(files) > 1:
            raise forms.ValidationError("Upload one file.")
        return files[0]


class CEDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("verify", "Verify"), ("reject", "Reject")], widget=forms.RadioSelect
    )
    reason = forms.CharField(max_length=300, required=False, label="Reason if rejected")


class EvaluationForm(forms.ModelForm):
    """The post-class evaluation: two ratings from 1 (poor) to 5 (excellent) and
    an optional comment."""

    class Meta:
        model = Evaluation
        fields = ["overall", "instructor_clear", "comment"]
        labels = {
            "overall": "How useful was this class for your work?",
            "instructor_clear": "How clearly did the instructor explain and "
            "demonstrate?",
            "comment": "What would make this class better? (optional)",
        }
        widgets = {
            "overall": forms.RadioSelect,
            "instructor_clear": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("overall", "instructor_clear"):
            field = cast(forms.TypedChoiceField, self.fields[name])
            field.choices = [
                (n, f"{n}{' (poor)' if n == 1 else ' (excellent)' if n == 5 else ''}")
                for n in range(1, 6)
            ]
