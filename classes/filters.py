"""The class list's filters (django-filter): when, which credential, free seats."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone

from credentials.models import CredentialType

from . import selectors
from .models import ClassSession


class CheckboxFilter(django_filters.BooleanFilter):
    """A yes-only filter drawn as a checkbox (unticked: no filter)."""

    field_class = forms.BooleanField


class SessionFilter(django_filters.FilterSet):
    """Classes with seats left, upcoming first unless the person asks for past or
    all. A value that is not understood shows its error; the others still apply."""

    WHEN = [("upcoming", "Upcoming"), ("past", "Past"), ("all", "All")]

    when = django_filters.ChoiceFilter(
        label="When", choices=WHEN, empty_label=None, method="filter_when"
    )
    credential_type = django_filters.ModelChoiceFilter(
        label="Renews",
        queryset=CredentialType.objects.filter(active=True),
        empty_label="Any credential",
    )
    free_seats = CheckboxFilter(label="Free seats only", method="filter_free_seats")

    class Meta:
        model = ClassSession
        fields: list[str] = []

    def __init__(self, data=None, *, now: dt.datetime | None = None) -> None:
        self.now = now or timezone.now()
        super().__init__(data, selectors.sessions_with_seats())

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # No choice, or one not understood, means the upcoming classes.
        if not self.form.cleaned_data.get("when"):
            self.form.cleaned_data["when"] = "upcoming"
        return super().filter_queryset(queryset)

    def filter_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "upcoming":
            return queryset.filter(ends_at__gte=self.now).order_by("starts_at", "pk")
        if value == "past":
            return queryset.filter(ends_at__lt=self.now).order_by("-starts_at", "-pk")
        return queryset.order_by("-starts_at", "-pk")

    def filter_free_seats(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(
            seats_taken__lt=F("capacity"),
            cancelled_at__isnull=True,
            booking_deadline__gt=self.now,
        )
