"""Accounts and the organisation: users, the agency, sites, programs, teams, job roles
and staff profiles."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .validators import validate_no_control_characters, validate_plausible_date


def validate_time_zone(value: str) -> None:
    """Accept only IANA time zone names such as America/Chicago."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            f"{value!r} is not a time zone name; use one like America/Chicago."
        ) from exc


class UserManager(DjangoUserManager):
    """A user is identified by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):  # type: ignore[override]
        if not email:
            raise ValueError("A user needs an email address.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. Staff details live on :class:`StaffProfile`."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(
        "email address", unique=True, validators=[validate_no_control_characters]
    )
    # Names reach email subjects: no line breaks or other control characters.
    first_name = models.CharField(
        "first name",
        max_length=150,
        blank=True,
        validators=[validate_no_control_characters],
    )
    last_name = models.CharField(
        "last name",
        max_length=150,
        blank=True,
        validators=[validate_no_control_characters],
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class Agency(models.Model):
    """The provider organisation. One per installation."""

    name = models.CharField(max_length=200)
    time_zone = models.CharField(
        max_length=64,
        validators=[validate_time_zone],
        default="America/New_York",
        help_text="Every date shown and every 'today' uses this time zone.",
    )

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A physical location: a residential house, a clinic."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="site_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    """A service line: adolescent residential, adult outpatient SUD, school-based."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="programs"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"], name="program_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """Staff of one program at one site, under one or more supervisors."""

    name = models.CharField(max_length=200)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="teams")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="teams")
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="supervised_teams", blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class JobRole(models.Model):
    """A position (Treatment Technician, BHP, ...) and so a set of requirements."""

    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=40, unique=True)
    description = models.TextField(blank=True)
    orientation_days = models.PositiveSmallIntegerField(
        default=30,
        help_text="Days after the hire date by which orientation is due.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffProfile(models.Model):
    """A person employed by the agency, in one job role on one team."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ON_LEAVE = "on_leave", "On leave"
        TERMINATED = "terminated", "Terminated"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff"
    )
    employee_id = models.CharField(
        max_length=40, unique=True, validators=[validate_no_control_characters]
    )
    job_role = models.ForeignKey(
        JobRole, on_delete=models.PROTECT, related_name="staff"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    hire_date = models.DateField(validators=[validate_plausible_date])
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    termination_date = models.DateField(
        null=True, blank=True, validators=[validate_plausible_date]
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.email

    def clean(self) -> None:
        if self.status == self.Status.TERMINATED and not self.termination_date:
            raise ValidationError(
                {"termination_date": "A terminated person needs a termination date."}
            )
        if (
            self.termination_date
            and self.hire_date
            and (self.termination_date < self.hire_date)
        ):
            raise ValidationError(
                {"termination_date": "The termination date is before the hire date."}
            )


class Invitation(models.Model):
    """A one-time link HR sends so a new person can set their password."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    # The link is a signature of (id, nonce); a new invitation gets a new nonce,
    # so nothing secret is stored and a resent link replaces the old one.
    nonce = models.CharField(max_length=32)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.user}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class Heartbeat(models.Model):
    """Written by a periodic task: proof that the worker and the scheduler run."""

    source = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.source} at {self.created_at:%Y-%m-%d %H:%M}"
