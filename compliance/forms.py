"""Forms of the compliance pages."""

from __future__ import annotations

from typing import cast

from django import forms

from portal.models import JobRole, Program, Site, Team
from portal.validators import validate_plausible_date

from .rollup import VERDICT_FILTERS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MatrixFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search by name")
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All teams",
        error_messages={"invalid_choice": "There is no such team among yours."},
    )
    site: forms.ModelChoiceField[Site] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All sites",
        error_messages={"invalid_choice": "There is no such site among yours."},
    )
    program: forms.ModelChoiceField[Program] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All programs",
        error_messages={"invalid_choice": "There is no such program among yours."},
    )
    job_role = forms.ModelChoiceField(
        queryset=JobRole.objects.all(),
        required=False,
        empty_label="All job roles",
        error_messages={"invalid_choice": "There is no such job role."},
    )
    verdict = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Everyone")] + [(k, v[0]) for k, v in VERDICT_FILTERS.items()],
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("name", "Name A–Z"),
            ("-name", "Name Z–A"),
            ("team", "Team"),
            ("job_role", "Job role"),
            ("hire_date", "Hired, oldest first"),
            ("-hire_date", "Hired, newest first"),
        ],
    )
    as_of = forms.DateField(
        required=False,
        label="As of",
        widget=DATE_INPUT,
        validators=[validate_plausible_date],
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, e.g. 2026-11-25."},
    )
    per_page = forms.TypedChoiceField(
        label="Per page",
        required=False,
        coerce=int,
        empty_value=25,  # type: ignore[arg-type]  # any value works; the stub says str
        initial=25,
        choices=[(10, "10"), (25, "25"), (50, "50"), (100, "100")],
    )

    def __init__(self, *args, teams, **kwargs):
        """Team, site and program choices come from ``teams`` (those the viewer
        may see), so a supervisor is not shown the agency's other sites."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams
        cast(
            forms.ModelChoiceField, self.fields["site"]
        ).queryset = Site.objects.filter(pk__in=teams.values("site_id"))
        cast(
            forms.ModelChoiceField, self.fields["program"]
        ).queryset = Program.objects.filter(pk__in=teams.values("program_id"))


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
