"""The readiness store: each person's requirement statuses and verdicts as of
today, kept up to date as the data behind them changes (derived data: the
roll-up computes it, ``manage.py rebuild_readiness`` recomputes it from scratch)."""

from __future__ import annotations

from django.db import models

from portal.models import StaffProfile
from portal.requirements import Status


class PersonReadiness(models.Model):
    """One person's verdicts and status counts, right from ``computed_on`` through
    ``fresh_until`` (the last day before any status would change by the date alone;
    empty: no status changes with the date)."""

    staff = models.OneToOneField(
        StaffProfile,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="readiness",
    )
    on_staff = models.BooleanField()
    ready_for_floor = models.BooleanField()
    fully_compliant = models.BooleanField()
    current = models.PositiveIntegerField(default=0)
    expiring = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    due = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    goal = models.PositiveIntegerField(default=0)
    computed_on = models.DateField()
    fresh_until = models.DateField(null=True, blank=True)
    # Out of date after a change that touched too many people to refresh in its
    # own request (settings.READINESS_INLINE_LIMIT): a worker refreshes them.
    stale = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "people's readiness"
        indexes = [
            models.Index(fields=["fresh_until"]),
            models.Index(fields=["stale"]),
            models.Index(fields=["computed_on"]),
            models.Index(fields=["on_staff", "ready_for_floor"]),
            models.Index(fields=["on_staff", "fully_compliant"]),
        ]

    def __str__(self) -> str:
        return f"Readiness of {self.staff_id} on {self.computed_on}"


class RequirementState(models.Model):
    """The status of one requirement of one person (one matrix cell), as of the
    owner's ``PersonReadiness.computed_on``."""

    staff = models.ForeignKey(
        StaffProfile, on_delete=models.CASCADE, related_name="requirement_states"
    )
    key = models.CharField(max_length=60)  # "course:12", "credential-group:3"
    kind = models.CharField(max_length=20)
    label = models.CharField(max_length=300)
    status = models.CharField(max_length=30)
    before_first_shift = models.BooleanField(default=False)
    due_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True, default="")
    url = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "key"], name="readiness_one_state_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["status", "expires_on"]),
            models.Index(fields=["key"]),
            # The dashboard's renewals, soonest first: what counts as met, in
            # the order of its expiry date.
            models.Index(
                fields=["expires_on"],
                condition=models.Q(status__in=sorted(Status.MET)),
                name="readiness_renewal_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.staff_id}: {self.status}"
