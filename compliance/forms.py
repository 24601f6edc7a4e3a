"""Forms of the compliance pages."""

from __future__ import annotations

from django import forms

from portal.models import Site
from portal.validators import validate_plausible_date

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
