"""The team matrix's filters (django-filter): who is in the matrix, on which date.

A value that is not understood shows its error on the form; the others still apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import django_filters
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from portal.dates import agency_today
from portal.models import JobRole, Program, Site, StaffProfile, Team
from portal.rollup import VERDICT_FILTERS
from portal.selectors import teams_visible_to
from portal.validators import validate_plausible_date
from readiness.selectors import VERDICT_WHERE, store_serves

from .forms import DATE_INPUT
from .selectors import PER_PAGE, SORTS, matrix_people


def _teams(request: HttpRequest | None) -> QuerySet[Team]:
    if request is None:
        return Team.objects.none()
    # A choice needs the team's name alone (HR's list holds every team).
    return teams_visible_to(user=request.user).select_related(None)


def _sites(request: HttpRequest | None) -> QuerySet[Site]:
    return Site.objects.filter(pk__in=_teams(request).values("site_id"))


def _programs(request: HttpRequest | None) -> QuerySet[Program]:
    return Program.objects.filter(pk__in=_teams(request).values("program_id"))


class _Setting:
    """A field of the filter form that sets how the matrix is read (the date, the
    page size), not who is in it."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        return qs


class SettingDateFilter(_Setting, django_filters.DateFilter):
    pass


class SettingChoiceFilter(_Setting, django_filters.TypedChoiceFilter):
    pass


class MatrixFilter(django_filters.FilterSet):
    """The people of the matrix on the "as of" date (``matrix_people``), filtered
    and sorted. Team, site and program choices are those the viewer may see."""

    q = django_filters.CharFilter(label="Search by name", method="search")
    team = django_filters.ModelChoiceFilter(
        label="Team",
        queryset=_teams,
        empty_label="All teams",
        error_messages={"invalid_choice": "There is no such team among yours."},
    )
    site = django_filters.ModelChoiceFilter(
        label="Site",
        field_name="team__site",
        queryset=_sites,
        empty_label="All sites",
        error_messages={"invalid_choice": "There is no such site among yours."},
    )
    program = django_filters.ModelChoiceFilter(
        label="Program",
        field_name="team__program",
        queryset=_programs,
        empty_label="All programs",
        error_messages={"invalid_choice": "There is no such program among yours."},
    )
    job_role = django_filters.ModelChoiceFilter(
        label="Job role",
        queryset=JobRole.objects.all(),
        empty_label="All job roles",
        error_messages={"invalid_choice": "There is no such job role."},
    )
    verdict = django_filters.ChoiceFilter(
        label="Status",
        method="with_verdict",
        empty_label="Everyone",
        choices=[(k, v[0]) for k, v in VERDICT_FILTERS.items()],
    )
    sort = django_filters.ChoiceFilter(
        label="Sort",
        method="sorted_by",
        empty_label=None,
        choices=[
            ("name", "Name A–Z"),
            ("-name", "Name Z–A"),
            ("team", "Team"),
            ("job_role", "Job role"),
            ("hire_date", "Hired, oldest first"),
            ("-hire_date", "Hired, newest first"),
        ],
    )
    as_of = SettingDateFilter(
        label="As of",
        widget=DATE_INPUT,
        validators=[validate_plausible_date],
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, e.g. 2026-11-25."},
    )
    per_page = SettingChoiceFilter(
        label="Per page",
        coerce=int,
        empty_value=PER_PAGE,
        initial=PER_PAGE,
        choices=[(10, "10"), (25, "25"), (50, "50"), (100, "100")],
    )

    class Meta:
        model = StaffProfile
        fields: list[str] = []

    def __init__(self, data=None, *, request: HttpRequest) -> None:
        super().__init__(data, StaffProfile.objects.none(), request=request)

    def _cleaned(self, name: str) -> Any:
        if not self.is_bound:
            return None
        self.errors  # noqa: B018  # reads the form once; the valid fields stay
        return self.form.cleaned_data.get(name)

    @property
    def as_of_date(self) -> dt.date:
        """The date the matrix is read for: the chosen "as of", or today."""
        return self._cleaned("as_of") or agency_today()

    @property
    def chosen_as_of(self) -> bool:
        return self._cleaned("as_of") is not None

    @property
    def verdict_value(self) -> str:
        return self._cleaned("verdict") or ""

    @property
    def page_size(self) -> int:
        return self._cleaned("per_page") or PER_PAGE

    @property
    def verdict_keep(self) -> Callable | None:
        """The verdict as a test of one person's roll-up, for a date the readiness
        store does not hold (``None`` when today's WHERE clause already applies)."""
        if not self.verdict_value or store_serves(self.as_of_date):
            return None
        return VERDICT_FILTERS[self.verdict_value][1]

    @property
    def qs(self) -> QuerySet[StaffProfile]:
        # Who is on staff depends on the "as of" date, known once the form is read.
        self.queryset = matrix_people(user=self.request.user, as_of=self.as_of_date)
        self.queryset = self.queryset.order_by(*SORTS["name"])
        return super().qs

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word matches a first or last name, an email or the Employee ID."""
        for word in value.split():
            queryset = queryset.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
                | Q(employee_id__icontains=word)
            )
        return queryset

    def with_verdict(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Today: a WHERE clause on the readiness store (brought up to date before
        the page is read). Another date: the roll-up decides, person by person
        (``verdict_keep``)."""
        if store_serves(self.as_of_date):
            return queryset.filter(VERDICT_WHERE[value])
        return queryset

    def sorted_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*SORTS[value])


def matrix_link(*, as_of: dt.date, **params: object) -> str:
    """The team matrix filtered by ``params`` (a ``MatrixFilter`` field: a verdict,
    a site...) on ``as_of``: where a number on the dashboard or the home page
    leads, listing exactly its people."""
    unknown = set(params) - set(MatrixFilter.base_filters)
    if unknown:
        raise ValueError(f"The matrix has no filter {sorted(unknown)}")
    query = {name: value for name, value in params.items() if value}
    if as_of != agency_today():
        query["as_of"] = as_of.isoformat()
    base = reverse("compliance:matrix")
    return f"{base}?{urlencode(query)}" if query else base
