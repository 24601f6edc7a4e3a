"""Forms for adding, renewing and deciding on credentials."""

from __future__ import annotations

from typing import cast

from django import forms

from portal.validators import (
    validate_no_control_characters,
    validate_past_date,
    validate_plausible_date,
)

from .models import Credential, CredentialType


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        # Emptiness, size and type are checked by the service, with one wording.
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CredentialForm(forms.Form):
    credential_type = forms.ModelChoiceField(
        queryset=CredentialType.objects.filter(active=True),
        label="Credential",
        empty_label="Choose a credential",
    )
    number = forms.CharField(
        max_length=80,
        required=False,
        label="Number",
        validators=[validate_no_control_characters],
    )
    issuing_body = forms.CharField(
        max_length=160,
        required=False,
        label="Issued by",
        validators=[validate_no_control_characters],
    )
    state = forms.CharField(
        max_length=40,
        required=False,
        label="State",
        validators=[validate_no_control_characters],
    )
    issued_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Issued on",
        validators=[validate_past_date],
    )
    expires_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Expires on",
        help_text="Leave empty to compute it from the issue date where the type "
        "has a rule (e.g. Pennsylvania licenses: 28 Feb of odd years).",
        validators=[validate_plausible_date],
    )
    documents = MultipleFileField(
        required=False,
        label="Document (scan or photo)",
        help_text="PDF, JPEG or PNG, up to 10 MB each. You may choose several.",
    )

    def __init__(
        self,
        *args,
        fixed_type: CredentialType | None = None,
        by_hr: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not by_hr:  # what only HR records is not offered to staff
            cast(
                forms.ModelChoiceField, self.fields["credential_type"]
            ).queryset = CredentialType.objects.filter(
                active=True, recorded_by_hr=False
            )
        if fixed_type is not None:
            cast(
                forms.ModelChoiceField, self.fields["credential_type"]
            ).queryset = CredentialType.objects.filter(pk=fixed_type.pk)
            self.fields["credential_type"].initial = fixed_type.pk
            self.fields["credential_type"].disabled = True

    def clean(self):
        data = super().clean() or {}
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", "The expiry date is before the issue date.")
        return data


class VerifyForm(forms.Form):
    primary_source_note = forms.CharField(
        max_length=300,
        required=False,
        label="Primary-source check",
        help_text="e.g. “State board lookup on Nov 25, 2026, license active”.",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        label="Reason (the staff member sees this)",
    )


class DocumentForm(forms.Form):
    document = forms.FileField(
        allow_empty_file=True,
        label="Add a document",
        help_text="PDF, JPEG or PNG, up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


def initial_from(credential: Credential) -> dict:
    return {
        "credential_type": credential.credential_type_id,
        "number": credential.number,
        "issuing_body": credential.issuing_body,
        "state": credential.state,
    }
