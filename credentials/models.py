"""Credential types, staff credentials with their documents, the reminders sent about
them and each person's in-portal notifications."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from portal.models import JobRole, StaffProfile
from portal.validators import (
    validate_no_control_characters,
    validate_past_date,
    validate_plausible_date,
)

DEFAULT_REMINDER_DAYS = "90,60,30,7,0"


def parse_reminder_days(value: str) -> list[int]:
    """ "90, 60,30" -> [90, 60, 30] (descending, unique, each 0..730)."""
    days: set[int] = set()
    for part in (value or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            day = int(part)
        except ValueError as exc:
            raise ValidationError(
                f"“{part}” is not a number of days; write e.g. 90, 60, 30, 7, 0."
            ) from exc
        if not 0 <= day <= 730:
            raise ValidationError("Reminder days must be between 0 and 730.")
        days.add(day)
    return sorted(days, reverse=True)


def validate_reminder_days(value: str) -> None:
    if not parse_reminder_days(value):
        raise ValidationError("Give at least one reminder step, e.g. 90, 60, 30, 7, 0.")


class CredentialType(models.Model):
    """A kind of credential (CPR/First Aid, CPI, a state licence). HR edits these in
    the CMS under "Credentials › Credential types"."""

    class Category(models.TextChoices):
        CERTIFICATION = "certification", "Certification"
        LICENCE = "licence", "Licence"
        CLEARANCE = "clearance", "Clearance"
        OTHER = "other", "Other"

    name = models.CharField(
        max_length=120, unique=True, validators=[validate_no_control_characters]
    )
    code = models.SlugField(max_length=40, unique=True, help_text="Short code.")
    category = models.CharField(
        max_length=20, choices=Category.choices, default=Category.CERTIFICATION
    )
    issuing_bodies = models.TextField(
        blank=True,
        help_text="One issuing body per line (e.g. American Heart Association).",
    )
    has_number = models.BooleanField("has a number", default=True)
    has_state = models.BooleanField("has a state", default=False)
    has_expiry = models.BooleanField("expires", default=True)
    requires_document = models.BooleanField("needs a document", default=True)
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Default validity, used to suggest an expiry."
    )
    reminder_days = models.CharField(
        max_length=80,
        default=DEFAULT_REMINDER_DAYS,
        validators=[validate_reminder_days],
        help_text="Days before expiry on which reminders go out; 0 is the day itself.",
    )
    remind_weekly_when_expired = models.BooleanField(default=True)
    # The first (largest) reminder step: inside it a credential shows "expiring".
    # Derived from reminder_days on save so the database can compute status.
    warning_days = models.PositiveSmallIntegerField(default=90, editable=False)
    ce_hours_required = models.PositiveSmallIntegerField(
        "CE hours per renewal cycle", null=True, blank=True
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        steps = parse_reminder_days(self.reminder_days) or [0]
        self.reminder_days = ", ".join(str(s) for s in steps)
        self.warning_days = steps[0]
        super().save(*args, **kwargs)

    @property
    def reminder_steps(self) -> list[int]:
        return parse_reminder_days(self.reminder_days)

    @property
    def issuing_body_choices(self) -> list[str]:
        return [b.strip() for b in self.issuing_bodies.splitlines() if b.strip()]


class CredentialRequirement(models.Model):
    """A job role requires a credential type, before the first shift or within N
    days of hire."""

    job_role = models.ForeignKey(
        JobRole, on_delete=models.CASCADE, related_name="credential_requirements"
    )
    credential_type = models.ForeignKey(
        CredentialType, on_delete=models.PROTECT, related_name="requirements"
    )
    before_first_shift = models.BooleanField(default=False)
    due_within_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days after the hire date (ignored before first shift)."
    )

    class Meta:
        ordering = ["job_role__name", "credential_type__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_role", "credential_type"], name="credreq_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_role}: {self.credential_type}"

    def due_on(self, hire_date):
        import datetime as dt

        if self.before_first_shift:
            return hire_date
        return hire_date + dt.timedelta(days=self.due_within_days)


class Credential(models.Model):
    """One credential record of one person. A renewal is a new record that
    supersedes the old one; nothing is ever deleted."""

    class Verification(models.TextChoices):
        PENDING = "pending", "Pending verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    staff = models.ForeignKey(
        StaffProfile, on_delete=models.PROTECT, related_name="credentials"
    )
    credential_type = models.ForeignKey(
        CredentialType, on_delete=models.PROTECT, related_name="credentials"
    )
    number = models.CharField(
        max_length=80, blank=True, validators=[validate_no_control_characters]
    )
    issuing_body = models.CharField(
        max_length=160, blank=True, validators=[validate_no_control_characters]
    )
    state = models.CharField(
        max_length=40, blank=True, validators=[validate_no_control_characters]
    )
    issued_on = models.DateField(null=True, blank=True, validators=[validate_past_date])
    expires_on = models.DateField(
        null=True, blank=True, validators=[validate_plausible_date]
    )
    verification_status = models.CharField(
        max_length=20, choices=Verification.choices, default=Verification.PENDING
    )
    rejection_reason = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # When HR decided (verified or rejected).
    verified_at = models.DateTimeField(null=True, blank=True)
    # When the staff member was emailed the decision (or it was decided that no
    # email goes out): the send happens once, and a periodic task sends the rest.
    decision_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    primary_source_note = models.CharField(max_length=300, blank=True)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["expires_on"],
                name="cred_live_expiry",
                condition=models.Q(superseded_by__isnull=True),
            ),
            models.Index(fields=["staff", "credential_type"], name="cred_staff_type"),
            models.Index(
                fields=["created_at"],
                name="cred_pending",
                condition=models.Q(verification_status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credential_type} of {self.staff}"

    def clean(self) -> None:
        errors = {}
        ctype = self.credential_type if self.credential_type_id else None
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            errors["expires_on"] = "The expiry date is before the issue date."
        if ctype is not None and ctype.has_expiry and not self.expires_on:
            errors["expires_on"] = f"A {ctype.name} expires: give its expiry date."
        if ctype is not None and ctype.has_number and not self.number.strip():
            errors["number"] = f"Give the {ctype.name} number."
        if ctype is not None and ctype.has_state and not self.state.strip():
            errors["state"] = "Give the state that issued it."
        if errors:
            raise ValidationError(errors)

    @property
    def is_superseded(self) -> bool:
        return self.superseded_by_id is not None


class CredentialDocument(models.Model):
    """A scanned card or licence, stored under a random name in private storage."""

    credential = models.ForeignKey(
        Credential, on_delete=models.PROTECT, related_name="documents"
    )
    # Name inside the "private" storage (never under a public URL).
    file = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ReminderLog(models.Model):
    """One reminder to one recipient about one expiry (or due) date at one step.

    The unique constraint is the "exactly once": the scan claims a row with an
    insert-or-skip before anything is sent, the send marks it sent.
    """

    class Kind(models.TextChoices):
        EXPIRY = "expiry", "Expiry"
        MISSING = "missing", "Missing"

    class RecipientRole(models.TextChoices):
        STAFF = "staff", "Staff member"
        SUPERVISOR = "supervisor", "Supervisor"
        HR = "hr", "HR"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="+")
    credential_type = models.ForeignKey(
        CredentialType, on_delete=models.CASCADE, related_name="+"
    )
    credential = models.ForeignKey(
        Credential,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    # Days before the date (0 the day itself, negative: weeks after it).
    step = models.SmallIntegerField()
    expires_on = models.DateField(help_text="Expiry date, or due date when missing.")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    recipient_role = models.CharField(max_length=12, choices=RecipientRole.choices)
    claimed_at = models.DateTimeField(default=timezone.now)
    # Committed just before the message is handed to the mail server: a second
    # delivery of the same task skips the row while this is recent.
    sending_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set when the reminder is no longer worth sending (renewed before the send).
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The last failure of a send (kept for HR and the scan's report).
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "staff",
                    "credential_type",
                    "expires_on",
                    "step",
                    "kind",
                    "recipient",
                ],
                name="reminderlog_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["claimed_at"],
                name="reminderlog_unsent",
                condition=models.Q(sent_at__isnull=True, cancelled_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.step} to {self.recipient_id}"


class DigestLog(models.Model):
    """The weekly digest to one supervisor or HR person: one row per week."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    recipient_role = models.CharField(
        max_length=12, choices=ReminderLog.RecipientRole.choices
    )
    week_of = models.DateField()
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-week_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "recipient_role", "week_of"], name="digest_once"
            )
        ]

    def __str__(self) -> str:
        return f"Digest for {self.recipient_id}, week of {self.week_of}"


class Notification(models.Model):
    """A line in a person's in-portal notification list."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret token of a person's private calendar (ICS) of expiry dates."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar of {self.user_id}"
