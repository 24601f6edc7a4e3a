"""Accounts and the organization: users, the agency, sites, programs, teams, job roles
and staff profiles."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .requirements import DueRule, requirement_due_on
from .validators import (
    validate_display_name,
    validate_no_control_characters,
    validate_plausible_date,
)


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

    def _create_user(self, email, password, **extra_fields):
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
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    # The role names, cached on the user object for a request (portal.roles).
    _milieu_roles: frozenset[str]

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name"]
        # Lists of people by name (the matrix, the dashboard's overdue list)
        # read a page in this order instead of sorting everyone.
        indexes = [
            models.Index(
                fields=["last_name", "first_name", "id"], name="user_name_order"
            )
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class Agency(models.Model):
    """The provider organization. One per installation."""

    name = models.CharField(max_length=200, validators=[validate_display_name])
    time_zone = models.CharField(
        max_length=64,
        validators=[validate_time_zone],
        default="America/New_York",
        help_text="Every date shown and every 'today' uses this time zone.",
    )
    supervisors_take_attendance = models.BooleanField(
        "supervisors take attendance",
        default=True,
        help_text="Supervisors may mark the people of their own teams on a class "
        "roster (never anyone else). Off: only the instructor and HR do.",
    )

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A physical location: a residential house, a clinic."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200, validators=[validate_display_name])
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
    name = models.CharField(max_length=200, validators=[validate_display_name])
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

    name = models.CharField(max_length=200, validators=[validate_display_name])
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

    name = models.CharField(
        max_length=200, unique=True, validators=[validate_display_name]
    )
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


def staff_deactivated_q(prefix: str = "") -> models.Q:
    """A person HR deactivated: the account closed, the employment not ended
    (reversible: ``user_reactivate``). Terminated people are their own state."""
    return models.Q(**{f"{prefix}user__is_active": False}) & ~models.Q(
        **{f"{prefix}status": "terminated"}
    )


def staff_active_q(prefix: str = "") -> models.Q:
    """A person at work: status active (not on leave, not terminated) and an
    account HR has not deactivated. ``prefix`` reads it through a relation
    ("staff__"). The queryset's ``active()`` and ``StaffProfile.is_active_staff``
    are this rule."""
    return models.Q(**{f"{prefix}status": "active", f"{prefix}user__is_active": True})


class StaffProfileQuerySet(models.QuerySet):
    def current(self, as_of: dt.date | None = None) -> StaffProfileQuerySet:
        """Staff who count. Without a date, now: everyone not terminated and not
        deactivated (on leave included; the nightly task marks a person terminated
        when their termination date comes). With ``as_of``, the people employed
        that day: hired on or before it and not gone by it (the termination date is
        the first day no longer employed; a person marked terminated without a date
        is gone on every date); a person deactivated now counts on no date until
        HR reactivates them. Python twins: ``is_current`` and ``is_current_on``."""
        if as_of is None:
            return self.exclude(status=StaffProfile.Status.TERMINATED).exclude(
                staff_deactivated_q()
            )
        day = as_of
        return (
            self.filter(hire_date__lte=day)
            .exclude(termination_date__lte=day)
            .exclude(status=StaffProfile.Status.TERMINATED, termination_date=None)
            .exclude(staff_deactivated_q())
        )

    def active(self) -> StaffProfileQuerySet:
        """People at work now, whom a class can be booked for and training
        assigned to: ``staff_active_q``."""
        return self.filter(staff_active_q())

    def deactivated(self) -> StaffProfileQuerySet:
        return self.filter(staff_deactivated_q())


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
        "Employee ID",
        max_length=40,
        unique=True,
        validators=[validate_no_control_characters],
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

    objects = StaffProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def is_deactivated(self) -> bool:
        """The Python twin of ``staff_deactivated_q``."""
        return self.status != self.Status.TERMINATED and not self.user.is_active

    @property
    def is_active_staff(self) -> bool:
        """The Python twin of ``StaffProfile.objects.active()``."""
        return self.status == self.Status.ACTIVE and self.user.is_active

    @property
    def lifecycle(self) -> str:
        """Where the person is in one lifecycle, as a badge key: active, on_leave,
        deactivated (HR closed the account; reversible) or terminated."""
        if self.status == self.Status.TERMINATED:
            return "terminated"
        if not self.user.is_active:
            return "deactivated"
        return str(self.status)

    @property
    def is_current(self) -> bool:
        """The Python twin of ``StaffProfile.objects.current()``."""
        return self.status != self.Status.TERMINATED and not self.is_deactivated

    def is_current_on(self, day: dt.date) -> bool:
        """The Python twin of ``StaffProfile.objects.current(as_of=day)``."""
        if self.hire_date is None or self.hire_date > day:
            return False
        if self.is_deactivated:
            return False
        if self.termination_date is not None:
            return day < self.termination_date
        return self.status != self.Status.TERMINATED

    def is_terminated_on(self, day) -> bool:
        """Terminated as of ``day``: access ends when the termination date begins."""
        return self.status == self.Status.TERMINATED or bool(
            self.termination_date and self.termination_date <= day
        )

    def clean(self) -> None:
        from .dates import agency_today

        if (
            self.status == self.Status.TERMINATED
            and self.termination_date
            and self.termination_date > agency_today()
        ):
            raise ValidationError(
                {
                    "status": "For a termination date still to come, leave the status "
                    "as it is: the account closes at the start of that day."
                }
            )
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


class AccessChange(models.Model):
    """A logged change to whether a person may sign in: who, when and why."""

    class Action(models.TextChoices):
        DEACTIVATED = "deactivated", "Account deactivated"
        REACTIVATED = "reactivated", "Account reactivated"
        TERMINATED = "terminated", "Access ended by termination"
        EMAIL_CHANGE = "email_change", "Login email change asked"
        SSO_UNLINKED = "sso_unlinked", "Single sign-on identity unlinked"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="access_changes",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    reason = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.user}"


class Heartbeat(models.Model):
    """Written by a periodic task: proof that the worker and the scheduler run."""

    source = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.source} at {self.created_at:%Y-%m-%d %H:%M}"


class Requirement(models.Model):
    """The one shape of "X requires Y" that courses, credentials and skills share:
    who it applies to (a job role, a program, a site, any combination of the
    three, or with none of them everyone) and when it is due (before the first
    shift, within N days of hire, or no date at all: a goal). HR manages every
    kind under "Requirements" in the CMS.
    """

    DueRule = DueRule

    job_role = models.ForeignKey(
        JobRole,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: every job role (in the program or site below; with all "
        "three empty, everyone in the agency).",
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Only people on a team of this program (empty: any program).",
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Only people on a team at this site (empty: any site).",
    )
    due_rule = models.CharField(
        "due", max_length=20, choices=DueRule.choices, default=DueRule.WITHIN_DAYS
    )
    due_within_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days after the hire date, for “within N days”; empty uses the "
        "job role's orientation days.",
    )
    active = models.BooleanField(
        default=True, help_text="Untick to stop requiring it without deleting it."
    )

    # The field naming what is required ("course", "checklist", ...), for clean().
    item_field = ""

    class Meta:
        abstract = True

    @property
    def before_first_shift(self) -> bool:
        return self.due_rule == self.DueRule.BEFORE_FIRST_SHIFT

    @property
    def is_goal(self) -> bool:
        return self.due_rule == self.DueRule.GOAL

    def due_on(self, *, hire_date, orientation_days: int):
        """The due date for someone hired on ``hire_date`` (None for a goal)."""
        return requirement_due_on(
            due_rule=self.due_rule,
            due_within_days=self.due_within_days,
            hire_date=hire_date,
            orientation_days=orientation_days,
        )

    def applies_to(self, *, job_role_id, program_id, site_id) -> bool:
        """Whether a person in this job role, program and site must meet it."""
        return (
            (self.job_role_id is None or self.job_role_id == job_role_id)
            and (self.program_id is None or self.program_id == program_id)
            and (self.site_id is None or self.site_id == site_id)
        )

    @property
    def applies_to_label(self) -> str:
        """ "Treatment Technician · Adolescent Residential" (who it applies to)."""
        parts = [str(x) for x in (self.job_role, self.program, self.site) if x]
        return " · ".join(parts) or "Everyone"

    applies_to_label.fget.short_description = "Applies to"  # type: ignore[attr-defined]

    @property
    def due_label(self) -> str:
        if self.due_rule == self.DueRule.WITHIN_DAYS:
            if self.due_within_days is None:
                return "Within the job role's orientation days"
            return f"Within {self.due_within_days} days of hire"
        return self.get_due_rule_display()

    due_label.fget.short_description = "Due"  # type: ignore[attr-defined]

    def clean(self) -> None:
        errors = {}
        if self.due_rule != self.DueRule.WITHIN_DAYS and self.due_within_days:
            errors["due_within_days"] = (
                "Days after hire apply only to “within N days of hire”; leave it empty."
            )
        if errors:
            raise ValidationError(errors)
        if self.item_field and getattr(self, f"{self.item_field}_id", None):
            same = (
                type(self)
                # An empty program or site matches the rows without one (IS NULL).
                ._default_manager.filter(  # type: ignore[misc]
                    job_role_id=self.job_role_id,
                    program_id=self.program_id,
                    site_id=self.site_id,
                    **{f"{self.item_field}_id": getattr(self, f"{self.item_field}_id")},
                )
                .exclude(pk=self.pk)
            )
            if same.exists():
                raise ValidationError(
                    "The same requirement already exists for these people; edit "
                    "that one instead."
                )


class OutboundEmailQuerySet(models.QuerySet):
    def unsent(self) -> OutboundEmailQuerySet:
        """Still to send: not sent and not given up."""
        return self.filter(sent_at__isnull=True, failed_at__isnull=True)


class OutboundEmail(models.Model):
    """One email the portal owes someone (the outbox): written in the transaction
    of the change it tells about, sent by a worker, marked sent only once the mail
    server accepts it; beat queues it again while unsent (portal/outbox.py)."""

    kind = models.CharField(max_length=40)
    # One row per logical email, whoever asks twice (e.g. "booking.12.booked").
    dedupe_key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to = models.JSONField(default=list)
    from_email = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=998)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # [{"filename", "content" (text), "mimetype"}]: what the email carried, kept so
    # every attempt sends the same message.
    attachments = models.JSONField(default=list, blank=True)
    message_id = models.CharField(max_length=250)
    created_at = models.DateTimeField(default=timezone.now)
    # When beat may queue it again (a broker that was down; backoff after a failure).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Given up after EMAIL_MAX_SEND_ATTEMPTS attempts (shown in the admin).
    failed_at = models.DateTimeField(null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outbound email"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_unsent",
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {', '.join(self.to)}"

    @property
    def state(self) -> str:
        if self.sent_at:
            return "sent"
        if self.failed_at:
            return "gave up"
        return "retrying" if self.attempts else "queued"


class FragmentVersion(models.Model):
    """The version of what is kept of a person's pages ("person:12") or of
    everyone's ("shared"): renewed in the transaction of the change that makes
    the kept HTML out of date, so the renewal commits (or rolls back) with it."""

    key = models.CharField(max_length=40, primary_key=True)
    version = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.key}: {self.version}"


class BulkJob(models.Model):
    """Work on many people done by a worker in batches, with its progress on a
    page (portal/bulk.py): a staff import, a course assigned to many people, a
    retraining of past completers. Each batch commits with the count of rows it
    saved, so a job that stopped resumes after them."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40)  # a kind registered in portal.bulk
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    # What the kind needs to find its rows again (the CSV, a course and people).
    params = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    # Rows saved, in order: a retry starts after them.
    done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    # One entry per row that was not applied: {"row", "name", "error"}.
    problems = models.JSONField(default=list, blank=True)
    # Why the job stopped, when it did (a retry continues).
    error = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(self.done * 100 / self.total)) if self.total else 0
