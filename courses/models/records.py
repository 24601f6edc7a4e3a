"""The records a learner leaves behind: requirements, assignments, lesson
progress, quiz attempts and resets, completions and attestations."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from portal.models import Requirement
from portal.records import ImmutableRecord

from .pages import AttestationPage, CoursePage, LessonPage, QuizPage


class CourseRequirement(Requirement):
    """A course that people of a job role, program and/or site must complete by
    the due date (and again every re-training interval of the course). HR manages
    these in the CMS under Requirements › Course requirements."""

    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="requirements"
    )

    item_field = "course"

    class Meta:
        ordering = ["job_role__name", "program__name", "site__name", "course__title"]
        verbose_name = "course requirement"

    def __str__(self) -> str:
        return f"{self.applies_to_label}: {self.course}"


class Completion(ImmutableRecord):
    """That a person completed a course: a snapshot of the course as it was, never
    changed after it is written."""

    staff = models.ForeignKey(
        "portal.StaffProfile", on_delete=models.PROTECT, related_name="completions"
    )
    # PROTECT: a course with completions is unpublished, not deleted (the CMS says
    # so); the rows are immutable, in PostgreSQL too, so SET_NULL could not run.
    course = models.ForeignKey(
        CoursePage,
        on_delete=models.PROTECT,
        null=True,
        related_name="completions",
    )
    course_title = models.CharField(max_length=255)
    course_version = models.PositiveIntegerField()
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    ce_hours = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True
    )
    completed_at = models.DateTimeField(default=timezone.now)
    retrain_due_on = models.DateField(
        null=True, blank=True, help_text="When it must be taken again, if ever."
    )
    certificate_code = models.CharField(max_length=20, unique=True, editable=False)

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["staff", "course", "-completed_at"])]

    def __str__(self) -> str:
        return f"{self.course_title} (v{self.course_version}) – {self.staff}"

    @staticmethod
    def new_code() -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        raw = "".join(secrets.choice(alphabet) for _ in range(12))
        return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Assignment(models.Model):
    """A course a person must complete by a date. At most one open assignment per
    person and course, so assigning twice creates nothing."""

    class Source(models.TextChoices):
        ORIENTATION = "orientation", "Orientation"
        RETRAINING = "retraining", "Re-training"
        NEW_VERSION = "new_version", "New course version"
        MANUAL = "manual", "Assigned by HR"

    staff = models.ForeignKey(
        "portal.StaffProfile", on_delete=models.CASCADE, related_name="assignments"
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="assignments"
    )
    due_on = models.DateField()
    source = models.CharField(max_length=20, choices=Source.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The completion this re-training follows (one re-training per completion).
    previous_completion = models.OneToOneField(
        Completion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retraining",
    )
    completion = models.ForeignKey(
        Completion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fulfils",
    )

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "course"],
                condition=Q(completion__isnull=True),
                name="assignment_one_open_per_course",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} for {self.staff}, due {date_format(self.due_on)}"

    @property
    def is_open(self) -> bool:
        return self.completion_id is None


class LessonProgress(models.Model):
    """A learner opened a lesson and, later, marked it complete."""

    staff = models.ForeignKey(
        "portal.StaffProfile", on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="progress"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    last_viewed_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "lesson"], name="lesson_progress_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} in {self.lesson}"


class QuizReset(models.Model):
    """A supervisor or HR gave a learner a fresh set of quiz attempts."""

    staff = models.ForeignKey(
        "portal.StaffProfile", on_delete=models.PROTECT, related_name="quiz_resets"
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.PROTECT, related_name="resets")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Reset of {self.quiz} for {self.staff} by {self.by}"


class QuizAttemptQuerySet(models.QuerySet):
    def open(self) -> QuizAttemptQuerySet:
        """Attempts neither submitted nor abandoned (at most one per person and
        quiz: a database constraint)."""
        return self.filter(submitted_at__isnull=True, abandoned_at__isnull=True)


class QuizAttempt(models.Model):
    """One attempt at a quiz: exactly what it showed (the questions drawn, their
    order, each question's choices in their order), the answers, the score.

    Audited, and kept: a quiz page or a person with attempts cannot be deleted
    (unpublish the page, terminate the person). An attempt that can no longer be
    taken (the author changed the questions) is closed as abandoned, not deleted."""

    staff = models.ForeignKey(
        "portal.StaffProfile", on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(
        QuizPage, on_delete=models.PROTECT, related_name="attempts"
    )
    question_ids = models.JSONField(default=list)
    shown = models.JSONField(
        default=list,
        blank=True,
        help_text="The questions as shown: id, kind, prompt, objective and the "
        "choices (original index and text) in the order shown.",
    )
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    missed_objectives = models.JSONField(default=list, blank=True)
    reset = models.ForeignKey(
        QuizReset,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attempts",
    )
    abandoned_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an unsubmitted attempt was closed because it could no "
        "longer be taken (kept for the record, never scored).",
    )

    objects = QuizAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # Eight presses of "Start the quiz" at once make one attempt.
            models.UniqueConstraint(
                fields=["staff", "quiz"],
                condition=Q(submitted_at__isnull=True, abandoned_at__isnull=True),
                name="quiz_attempt_one_open_per_quiz",
            )
        ]

    def __str__(self) -> str:
        return f"Attempt at {self.quiz} by {self.staff}"


class Attestation(ImmutableRecord):
    """A signed policy: who, when, from where, and the exact version and text."""

    staff = models.ForeignKey(
        "portal.StaffProfile", on_delete=models.PROTECT, related_name="attestations"
    )
    page = models.ForeignKey(
        AttestationPage,
        on_delete=models.PROTECT,  # kept, like completions (see Completion.course)
        null=True,
        related_name="signatures",
    )
    policy_title = models.CharField(max_length=255)
    policy_version = models.CharField(max_length=40)
    policy_text = models.TextField()
    statement = models.CharField(max_length=300)
    full_name_signed = models.CharField(max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # How many completions of the course the person had when signing: a policy is
    # signed once per version and training cycle (re-training signs it again).
    # Empty on signatures from before it was recorded.
    cycle = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # Set by attestation_sign when the person had already signed (not stored).
    already_signed: bool = False

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            # Ten presses of "Sign" at once record one signature.
            models.UniqueConstraint(
                fields=["staff", "page", "policy_version", "cycle"],
                condition=Q(cycle__isnull=False),
                name="attestation_one_per_version_and_cycle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy_title} v{self.policy_version} signed by {self.staff}"
