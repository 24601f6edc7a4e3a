"""The staff directory's filters (django-filter): search, site, team, role, status."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from .models import JobRole, Site, StaffProfile, Team
from .selectors import staff_visible_to, teams_visible_to


def _teams(request: HttpRequest | None):
    return teams_visible_to(user=request.user) if request else Team.objects.none()


def _sites(request: HttpRequest | None):
    if request is None:
        return Site.objects.none()
    return (
        Site.objects.filter(teams__in=teams_visible_to(user=request.user))
        .distinct()
        .order_by("name")
    )


class StaffFilter(django_filters.FilterSet):
    """The people the user may see, filtered by the directory's form. A value that
    is not understood shows its error on the form; the other filters still apply."""

    q = django_filters.CharFilter(label="Search", method="search")
    site = django_filters.ModelChoiceFilter(
        label="Site", field_name="team__site", queryset=_sites, empty_label="All sites"
    )
    team = django_filters.ModelChoiceFilter(
        label="Team", queryset=_teams, empty_label="All teams"
    )
    job_role = django_filters.ModelChoiceFilter(
        label="Job role", queryset=JobRole.objects.all(), empty_label="All job roles"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=StaffProfile.Status.choices, empty_label="Any status"
    )

    class Meta:
        model = StaffProfile
        fields: list[str] = []

    def __init__(self, data=None, *, request: HttpRequest) -> None:
        queryset = staff_visible_to(user=request.user).order_by(
            "user__last_name", "user__first_name", "pk"
        )
        super().__init__(data, queryset, request=request)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word matches a first or last name, the start of an email address
        (not the domain everyone shares) or the Employee ID."""
        for word in value.split():
            queryset = queryset.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__istartswith=word)
                | Q(employee_id__icontains=word)
            )
        return queryset
