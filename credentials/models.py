"""Credential types, staff credentials with their documents, the reminders sent about
them and each person's in-portal notifications."""

from __future__ import annotations

import calendar
import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.utils import timezone
from django.utils.formats import date_format

from portal.dates import add_months
from portal.expressions import DaysUntil
from portal.models import Requirement, StaffProfile
from portal.requirements import Status
from portal.validators import (
    validate_display_name,
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


class FixedYears(models.TextChoices):
    EVERY = "every", "Every year"
    ODD = "odd", "Odd years"
    EVEN = "even", "Even years"


def fixed_expiry_after(
    *, issued_on: dt.date, month: int, day: int, years: str = FixedYears.EVERY
) -> dt.date:
    """The first fixed renewal date (``month``/``day`` of an every/odd/even year)
    on or after ``issued_on``: a Pennsylvania license issued on Mar 10, 2026
    expires on Feb 28, 2027; one issued on Feb 28, 2027 on that very day."""
    year = issued_on.year
    while True:
        last = calendar.monthrange(year, month)[1]
        candidate = dt.date(year, month, min(day, last))
        parity_ok = (
            years == FixedYears.EVERY
            or (years == FixedYears.ODD and year % 2 == 1)
            or (years == FixedYears.EVEN and year % 2 == 0)
        )
        if parity_ok and candidate >= issued_on:
            return candidate
        year += 1


class CredentialType(models.Model):
    """A kind of credential (CPR/First Aid, CPI, a state license). HR edits these in
    the CMS under "Credentials › Credential types"."""

    class Category(models.TextChoices):
        CERTIFICATION = "certification", "Certification"
        LICENCE = "licence", "License"  # the stored value stays as first shipped
        CLEARANCE = "clearance", "Clearance"
        OTHER = "other", "Other"

    name = models.CharField(
        max_length=120, unique=True, validators=[validate_display_name]
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
        null=True,
        blank=True,
        help_text="Months from the issue date to the expiry date (empty: no rule).",
    )
    # Some licenses expire on one date for everyone (Pennsylvania: 28 February of
    # odd years), whenever they were issued.
    fixed_expiry_month = models.PositiveSmallIntegerField(
        "fixed expiry month",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="For a license that expires on one date for everyone: the month "
        "(2 for February). Overrides the validity in months.",
    )
    fixed_expiry_day = models.PositiveSmallIntegerField(
        "fixed expiry day",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="The day of that month (28).",
    )
    fixed_expiry_years = models.CharField(
        "in which years",
        max_length=5,
        choices=FixedYears.choices,
        default=FixedYears.EVERY,
        help_text="Pennsylvania licenses: odd years.",
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
    recorded_by_hr = models.BooleanField(
        "recorded by HR only",
        default=False,
        help_text="Staff do not upload it; HR records it (e.g. the monthly OIG and "
        "state Medicaid exclusion check).",
    )
    ce_hours_required = models.PositiveSmallIntegerField(
        "CE hours per renewal cycle", null=True, blank=True
    )
    instructor_credentials = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="+",
        verbose_name="instructors hold one of",
        help_text="A pass in a class that renews this credential is verified at "
        "once when the instructor holds a current, verified credential of one of "
        "these types (e.g. CPR instructor). Otherwise, or when empty, HR verifies "
        "it from the queue.",
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

    def clean(self) -> None:
        if bool(self.fixed_expiry_month) != bool(self.fixed_expiry_day):
            raise ValidationError(
                {"fixed_expiry_day": "Give both the month and the day, or neither."}
            )
        if self.fixed_expiry_month and self.fixed_expiry_day:
            last = calendar.monthrange(2024, self.fixed_expiry_month)[1]
            if self.fixed_expiry_day > last:
                raise ValidationError(
                    {"fixed_expiry_day": "That month does not have that many days."}
                )

    @property
    def renewal_label(self) -> str:
        """ "expires Feb 28 of odd years", "valid 24 months", or ""."""
        if not self.has_expiry:
            return "does not expire"
        if self.fixed_expiry_month and self.fixed_expiry_day:
            month = calendar.month_abbr[self.fixed_expiry_month]
            when = {
                FixedYears.EVERY: "every year",
                FixedYears.ODD: "of odd years",
                FixedYears.EVEN: "of even years",
            }[FixedYears(self.fixed_expiry_years)]
            return f"expires {month} {self.fixed_expiry_day} {when}"
        if self.validity_months:
            return f"valid {self.validity_months} months"
        return ""

    def expiry_for(self, issued_on: dt.date | None) -> dt.date | None:
        """The expiry date of a credential of this type issued on ``issued_on``:
        the fixed renewal date, else ``validity_months`` later; None when the type
        does not expire or has no rule."""
        if not self.has_expiry or issued_on is None:
            return None
        if self.fixed_expiry_month and self.fixed_expiry_day:
            return fixed_expiry_after(
                issued_on=issued_on,
                month=self.fixed_expiry_month,
                day=self.fixed_expiry_day,
                years=self.fixed_expiry_years,
            )
        if self.validity_months:
            return add_months(issued_on, self.validity_months)
        return None

    @property
    def reminder_steps(self) -> list[int]:
        return parse_reminder_days(self.reminder_days)

    @property
    def issuing_body_choices(self) -> list[str]:
        return [b.strip() for b in self.issuing_bodies.splitlines() if b.strip()]


class CredentialGroup(models.Model):
    """ "Any one of" a set of credential types: a clinical license (LCSW, LPC, LMFT,
    LMHC or an associate license under supervision), a de-escalation certification
    (CPI, Safety-Care, Pro-ACT or the agency's approved equivalent). A requirement
    of a group is met by a current credential of any member. HR edits these in the
    CMS under Requirements › Credential groups."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(
        CredentialType,
        related_name="groups",
        help_text="Any one of these, current, meets the requirement.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "credential group (any one of)"
        verbose_name_plural = "credential groups (any one of)"

    def __str__(self) -> str:
        return self.name


class CredentialRequirement(Requirement):
    """A credential type, or any one of a group of types, that people of a job
    role, program and/or site must hold. HR manages these in the CMS under
    Requirements › Credential requirements."""

    credential_type = models.ForeignKey(
        CredentialType,
        on_delete=models.PROTECT,
        related_name="requirements",
        null=True,
        blank=True,
        help_text="One credential type, or leave empty and choose a group below.",
    )
    group = models.ForeignKey(
        CredentialGroup,
        on_delete=models.PROTECT,
        related_name="requirements",
        null=True,
        blank=True,
        verbose_name="or any one of (group)",
    )

    class Meta:
        ordering = ["job_role__name", "program__name", "site__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(credential_type__isnull=False, group__isnull=True)
                    | models.Q(credential_type__isnull=True, group__isnull=False)
                ),
                name="credreq_type_or_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.applies_to_label}: {self.required_label}"

    @property
    def item_field(self) -> str:  # type: ignore[override]
        return "credential_type" if self.credential_type_id else "group"

    @property
    def required_label(self) -> str:
        return str(self.credential_type or self.group or "")

    required_label.fget.short_description = "Requires"  # type: ignore[attr-defined]

    @property
    def key(self) -> str:
        """The matrix column: one per type, one per group."""
        if self.group_id:
            return f"credential-group:{self.group_id}"
        return f"credential:{self.credential_type_id}"

    def clean(self) -> None:
        if bool(self.credential_type_id) == bool(self.group_id):
            raise ValidationError(
                {"credential_type": "Choose either one credential type or a group."}
            )
        super().clean()


class CredentialQuerySet(models.QuerySet):
    def live(self) -> CredentialQuerySet:
        """The credential that counts, one per person and type: the newest record
        not returned by HR (a pending renewal counts over the record it renews).
        ``services.credential_chain_relink`` keeps ``superseded_by`` to this rule
        on every write; the requirement provider applies the same rule on a past
        date. The Python twin is ``Credential.is_live``."""
        return self.filter(superseded_by__isnull=True).exclude(
            verification_status=Credential.Verification.REJECTED
        )

    def with_status(self, today: dt.date) -> CredentialQuerySet:
        """Annotate ``status`` (one of ``portal.requirements.Status``): the database
        twin of ``credentials.status.credential_status`` (tests hold the two
        together at the boundary dates)."""
        return self.annotate(_days_left=DaysUntil(F("expires_on"), today)).annotate(
            status=credential_status_expression(today=today)
        )


def credential_status_expression(*, today: dt.date, prefix: str = "") -> models.Case:
    """The status of a Credential row as SQL, the same rule as
    ``status.credential_status``; it needs ``_days_left`` (``DaysUntil`` of the
    expiry) annotated first. ``prefix`` is the lookup path to the credential."""
    p = prefix
    has_expiry = Q(**{f"{p}credential_type__has_expiry": True}) & Q(
        **{f"{p}expires_on__isnull": False}
    )
    return models.Case(
        models.When(
            Q(**{f"{p}verification_status": Credential.Verification.REJECTED}),
            then=Value(Status.MISSING),
        ),
        models.When(
            has_expiry & Q(**{f"{p}expires_on__lt": today}), then=Value(Status.EXPIRED)
        ),
        models.When(
            Q(**{f"{p}verification_status": Credential.Verification.PENDING}),
            then=Value(Status.PENDING),
        ),
        models.When(~has_expiry, then=Value(Status.CURRENT)),
        models.When(
            Q(_days_left__lte=F(f"{p}credential_type__warning_days")),
            then=Value(Status.EXPIRING),
        ),
        default=Value(Status.CURRENT),
        output_field=models.CharField(),
    )


class Credential(models.Model):
    """One credential record of one person. A renewal is a new record that
    supersedes the old one; nothing is ever deleted."""

    class Verification(models.TextChoices):
        PENDING = "pending", "Pending verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Returned: action needed"

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
    # The last time the person corrected a returned credential and sent it back.
    resubmitted_at = models.DateTimeField(null=True, blank=True)

    # Not stored: the verification status as of a past day, set by the roll-up.
    _status_then: str
    objects = CredentialQuerySet.as_manager()

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

    @property
    def is_live(self) -> bool:
        """The Python twin of ``Credential.objects.live()``."""
        return (
            self.superseded_by_id is None
            and self.verification_status != self.Verification.REJECTED
        )

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

    @property
    def is_returned(self) -> bool:
        """HR returned it: the person must correct it and send it back."""
        return self.verification_status == self.Verification.REJECTED

    @property
    def waiting_since(self):
        return self.resubmitted_at or self.created_at


class CredentialDecision(models.Model):
    """One step in a credential's review: HR verified or returned it (with the
    reason), or the person corrected and resubmitted it. Never changed."""

    class Action(models.TextChoices):
        VERIFIED = "verified", "Verified"
        RETURNED = "returned", "Returned: action needed"
        RESUBMITTED = "resubmitted", "Corrected and resubmitted"

    credential = models.ForeignKey(
        Credential, on_delete=models.PROTECT, related_name="decisions"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(
        blank=True,
        help_text="Why it was returned, the primary-source note of a verification, "
        "or what the person changed.",
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.credential}"


class CredentialDocument(models.Model):
    """A scanned card or license, stored under a random name in private storage."""

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


class ReminderSent(models.Model):
    """A reminder a supervisor or HR emailed to a person by hand: the record that
    stops a second one within MANUAL_REMINDER_GAP_HOURS (a double click, two
    supervisors at once). Its table keeps the name it had in ``compliance``."""

    staff = models.ForeignKey(
        StaffProfile, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    item_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "compliance_remindersent"
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        sent = date_format(timezone.localtime(self.sent_at), "DATETIME_FORMAT")
        return f"Reminder to {self.staff} at {sent}"
