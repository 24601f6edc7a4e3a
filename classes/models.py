"""Instructor-led classes (CPR, de-escalation) with their bookings and rosters, and
continuing-education (CE) hours per license cycle."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.records import ImmutableRecord
from portal.validators import validate_display_name


class ClassSession(models.Model):
    """One scheduled class: what it renews, when, where, who teaches, how many
    seats. HR and trainers manage these under "Classes"."""

    title = models.CharField(max_length=160, validators=[validate_display_name])
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="class_sessions",
        help_text="The course a pass completes (optional).",
    )
    credential_type = models.ForeignKey(
        "credentials.CredentialType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="class_sessions",
        help_text="The credential a pass renews (optional).",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField("location or room", max_length=200)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    booking_deadline = models.DateTimeField(
        help_text="Booking and cancelling close at this moment."
    )
    notes = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "class"
        verbose_name_plural = "classes"
        indexes = [models.Index(fields=["starts_at"], name="class_starts")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.course_id and not self.credential_type_id:
            errors["credential_type"] = (
                "Choose what the class renews: a credential type, a course or both."
            )
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The class must end after it starts."
        if (
            self.starts_at
            and self.booking_deadline
            and self.booking_deadline > self.starts_at
        ):
            errors["booking_deadline"] = "Booking must close before the class starts."
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Booking(models.Model):
    """A person's seat (or place on the waitlist) in a class."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        WAITLISTED = "waitlisted", "On the waitlist"
        CANCELLED = "cancelled", "Cancelled"
        ATTENDED = "attended", "Attended"
        ABSENT = "absent", "Absent"

    ACTIVE = (Status.BOOKED, Status.WAITLISTED)
    # Who holds a seat: booked, and after the roster is signed, attended or absent
    # (an absent person held the seat all the same). The one rule for seats taken.
    SEATED = (Status.BOOKED, Status.ATTENDED, Status.ABSENT)

    session = models.ForeignKey(
        ClassSession, on_delete=models.PROTECT, related_name="bookings"
    )
    staff = models.ForeignKey(
        "portal.StaffProfile", on_delete=models.PROTECT, related_name="class_bookings"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When a waitlisted person got a seat (the waitlist order is created_at).
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # When the person checked in on their phone (the class page's QR code): the
    # roster starts them as present; the instructor's signed roster is the record.
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "staff"],
                condition=~Q(status="cancelled"),
                name="booking_once_per_class",
            )
        ]
        indexes = [models.Index(fields=["session", "status"], name="booking_status")]

    def __str__(self) -> str:
        return f"{self.staff} in {self.session}"


class Roster(ImmutableRecord):
    """The signed attendance of a class. Never changed: a correction is a new roster
    that points at the one it corrects."""

    session = models.ForeignKey(
        ClassSession, on_delete=models.PROTECT, related_name="rosters"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signature = models.CharField("typed name", max_length=160)
    submitted_at = models.DateTimeField(default=timezone.now)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
    )
    reason = models.CharField("reason for the correction", max_length=300, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"Roster of {self.session} by {self.signature}"


class RosterEntry(ImmutableRecord):
    """One person on a roster, and the records their pass created."""

    roster = models.ForeignKey(Roster, on_delete=models.PROTECT, related_name="entries")
    staff = models.ForeignKey(
        "portal.StaffProfile", on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField()
    passed = models.BooleanField()
    note = models.CharField(max_length=300, blank=True)
    completion = models.ForeignKey(
        "courses.Completion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    credential = models.ForeignKey(
        "credentials.Credential",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="class_entries",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "roster entries"
        constraints = [
            models.UniqueConstraint(fields=["roster", "staff"], name="rosterentry_once")
        ]

    def __str__(self) -> str:
        return f"{self.staff} on {self.roster}"


# --- Continuing education -------------------------------------------------------------


class CECategory(models.Model):
    """A kind of CE hour a license board counts separately (ethics, cultural
    competence). A course tagged with the code counts in that category."""

    name = models.CharField(max_length=80, unique=True)
    code = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "CE category"
        verbose_name_plural = "CE categories"

    def __str__(self) -> str:
        return self.name


class CERequirement(models.Model):
    """What a license type asks per cycle: total hours and category minimums (e.g.
    30 hours every 24 months, at least 3 in ethics)."""

    credential_type = models.OneToOneField(
        "credentials.CredentialType",
        on_delete=models.CASCADE,
        related_name="ce_requirement",
    )
    total_hours = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    cycle_months = models.PositiveSmallIntegerField(
        default=24, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = "CE requirement"

    def __str__(self) -> str:
        return f"{self.credential_type}: {self.total_hours} h / {self.cycle_months} mo"


class CECategoryMinimum(models.Model):
    requirement = models.ForeignKey(
        CERequirement, on_delete=models.CASCADE, related_name="minimums"
    )
    category = models.ForeignKey(CECategory, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )

    class Meta:
        ordering = ["category__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "category"], name="ce_minimum_once"
            )
        ]

    def __str__(self) -> str:
        return f"≥ {self.hours} h {self.category}"


class CEActivity(models.Model):
    """An outside CE activity a person logged, with its certificate; HR verifies it
    like a credential."""

    class Verification(models.TextChoices):
        PENDING = "pending", "Pending verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    staff = models.ForeignKey(
        "portal.StaffProfile", on_delete=models.PROTECT, related_name="ce_activities"
    )
    provider = models.CharField(max_length=160, validators=[validate_display_name])
    title = models.CharField(max_length=200, validators=[validate_display_name])
    completed_on = models.DateField()
    hours = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    category = models.ForeignKey(
        CECategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The certificate, in private storage under a random name.
    file = models.CharField(max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    verification_status = models.CharField(
        max_length=12, choices=Verification.choices, default=Verification.PENDING
    )
    rejection_reason = models.CharField(max_length=300, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = "CE activity"
        verbose_name_plural = "CE activities"
        indexes = [models.Index(fields=["staff", "completed_on"], name="ce_staff_day")]

    def __str__(self) -> str:
        return f"{self.title} ({self.hours} h)"


class CEReminderLog(models.Model):
    """A shortfall reminder about one license record at one step: sent once."""

    staff = models.ForeignKey("portal.StaffProfile", on_delete=models.CASCADE)
    credential = models.ForeignKey("credentials.Credential", on_delete=models.CASCADE)
    step = models.SmallIntegerField()
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "step"], name="ce_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"CE shortfall {self.step} for {self.staff_id}"


class Evaluation(models.Model):
    """A short post-class evaluation by one person who attended (one each). The
    instructor of record and HR read the results, without names."""

    RATINGS = [(n, str(n)) for n in range(1, 6)]

    session = models.ForeignKey(
        ClassSession, on_delete=models.PROTECT, related_name="evaluations"
    )
    staff = models.ForeignKey(
        "portal.StaffProfile", on_delete=models.PROTECT, related_name="+"
    )
    overall = models.PositiveSmallIntegerField(
        "how useful the class was for your work", choices=RATINGS
    )
    instructor_clear = models.PositiveSmallIntegerField(
        "how clearly the instructor explained and demonstrated", choices=RATINGS
    )
    comment = models.CharField(
        "what would make this class better", max_length=1000, blank=True
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "staff"], name="evaluation_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.session} by {self.staff_id}"
