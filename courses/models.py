"""Training: the Wagtail page tree (library → course → lessons, quiz, attestation)
and the records a learner leaves behind (assignments, progress, attempts,
completions, attestations)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from portal.models import Requirement
from portal.records import ImmutableRecord

if TYPE_CHECKING:
    from collections.abc import Collection

    from django.template.response import TemplateResponse
    from django_stubs_ext import StrOrPromise

    from portal.models import StaffProfile

# --- Stream blocks -------------------------------------------------------------------


class ObjectiveBlock(blocks.StructBlock):
    key = blocks.CharBlock(
        max_length=10, help_text="A short key quiz questions refer to, e.g. O1."
    )
    text = blocks.CharBlock(max_length=300, label="Learning objective")

    class Meta:
        icon = "tick"
        label = "Objective"


class VignetteBlock(blocks.StructBlock):
    scenario = blocks.TextBlock(help_text="A short, realistic scenario.")
    question = blocks.TextBlock(help_text="A reflection question for the learner.")
    model_answer = blocks.TextBlock(
        required=False,
        help_text="What an experienced colleague would do and why. Learners reveal "
        "it after thinking through their own answer.",
    )

    class Meta:
        icon = "user"
        label = "Case vignette"
        template = "courses/blocks/vignette.html"


class KnowledgeCheckBlock(blocks.StructBlock):
    """An inline question the learner answers for themselves; never scored."""

    question = blocks.TextBlock()
    choices = blocks.ListBlock(blocks.CharBlock(max_length=400))
    answer = blocks.IntegerBlock(
        min_value=0, help_text="Position of the right choice, counting from 0."
    )
    explanation = blocks.TextBlock(required=False)

    class Meta:
        icon = "help"
        label = "Knowledge check (not scored)"
        template = "courses/blocks/check.html"


class LessonStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=200, template="courses/blocks/heading.html", icon="title"
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4"]
    )
    image = ImageBlock()
    video = EmbedBlock(help_text="A link to a video (YouTube, Vimeo ...).")
    document = DocumentChooserBlock(template="courses/blocks/document.html")
    key_point = blocks.TextBlock(
        template="courses/blocks/key_point.html", icon="pick", label="Key point"
    )
    vignette = VignetteBlock()
    check = KnowledgeCheckBlock()


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=400)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(
        required=False,
        help_text="Shown with the answers, when the quiz reveals them (see the "
        "quiz's rules).",
    )


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock()
    objective = blocks.CharBlock(
        max_length=10,
        required=False,
        help_text="The key of the course objective this question tests (e.g. O2).",
    )
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2)

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for c in value["choices"] if c["correct"])
        if correct < 1:
            raise blocks.StructBlockValidationError(
                {"choices": ValidationError("Mark at least one choice as correct.")}
            )
        return value


class SingleChoiceQuestion(QuestionBlock):
    def clean(self, value):
        value = super().clean(value)
        if sum(1 for c in value["choices"] if c["correct"]) != 1:
            raise blocks.StructBlockValidationError(
                {"choices": ValidationError("Mark exactly one choice as correct.")}
            )
        return value

    class Meta:
        icon = "radio-full"
        label = "Single choice"


class MultipleAnswerQuestion(QuestionBlock):
    class Meta:
        icon = "list-ul"
        label = "Multiple answers (select all that apply)"


class TrueFalseQuestion(SingleChoiceQuestion):
    class Meta:
        icon = "radio-empty"
        label = "True / false"
        # A new true/false question starts with its two choices; the author
        # writes the prompt and marks the right one.
        default = {
            "choices": [
                {"text": "True", "correct": False, "feedback": ""},
                {"text": "False", "correct": False, "feedback": ""},
            ]
        }


class QuestionStreamBlock(blocks.StreamBlock):
    single = SingleChoiceQuestion()
    multiple = MultipleAnswerQuestion()
    true_false = TrueFalseQuestion()


# --- Pages ---------------------------------------------------------------------------


def substantive_change_field() -> models.BooleanField:
    """The box an author ticks when a publish changes what learners must know."""
    return models.BooleanField(
        "this is a substantive change",
        default=False,
        help_text="Tick when publishing changes what learners must know; the "
        "course version then increases by one (once per publish). Completions "
        "keep the version they were earned on.",
    )


class TrainingLibraryPage(Page):
    """The top of the training library; authors add courses under it in the CMS
    (Pages → Training library)."""

    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = "training library"

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_durations

        context = super().get_context(request, *args, **kwargs)
        courses = list(CoursePage.objects.live().child_of(self).specific())
        durations = course_durations(courses=courses)
        for course in courses:
            course.duration_estimate = durations[course.pk]
        context["courses"] = courses
        return context


class CourseTag(TaggedItemBase):
    content_object = ParentalKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CoursePage(Page):
    """A course: its summary and objectives, then lessons, a quiz and optionally an
    attestation as child pages. Managed in the CMS under the training library."""

    summary = models.TextField()
    objectives = StreamField([("objective", ObjectiveBlock())], blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        "minutes (override)",
        null=True,
        blank=True,
        help_text="Leave empty to estimate from the content: words at 200 a minute "
        "plus time for each vignette, knowledge check and quiz question. Fill in "
        "only for time the text does not show, such as a video.",
    )
    ce_hours = models.DecimalField(
        "CE hours", max_digits=4, decimal_places=1, null=True, blank=True
    )
    tags = ClusterTaggableManager(through=CourseTag, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    retrain_months = models.PositiveSmallIntegerField(
        "re-training interval (months)",
        null=True,
        blank=True,
        help_text="Months after completion before it must be taken again; empty "
        "for a one-off course.",
    )
    sources = StreamField(
        [("source", blocks.CharBlock(max_length=400, label="Source"))],
        blank=True,
        help_text="The public documents this course is based on.",
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Increases when an author publishes a substantive change.",
    )
    substantive_change = substantive_change_field()
    retrain_on_new_version = models.BooleanField(
        "assign re-training when the version increases",
        default=False,
        help_text="Everyone who completed an earlier version is assigned the "
        "course again, due the number of days below after the new version.",
    )
    new_version_due_days = models.PositiveSmallIntegerField(
        "days to complete a new version",
        default=30,
        validators=[MinValueValidator(1)],
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("objectives"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldPanel("ce_hours"),
                FieldPanel("retrain_months"),
                FieldPanel("tags"),
                FieldPanel("cover_image"),
            ],
            heading="Details",
        ),
        MultiFieldPanel(
            [
                FieldPanel("retrain_on_new_version"),
                FieldPanel("new_version_due_days"),
            ],
            heading="New versions",
        ),
        FieldPanel("sources"),
        FieldPanel("substantive_change"),
    ]
    parent_page_types = ["courses.TrainingLibraryPage"]
    # The CMS lists a course's pages in course order (lessons, quiz, attestation),
    # not newest revision first; authors drag to reorder.
    admin_default_ordering = "ord"
    subpage_types = [
        "courses.LessonPage",
        "courses.QuizPage",
        "courses.AttestationPage",
    ]

    class Meta:
        verbose_name = "course"

    def with_content_json(self, content):
        # The version belongs to the course, not to a revision: publishing an old
        # revision must never move it backwards.
        obj = super().with_content_json(content)
        obj.version = self.version
        return obj

    def lessons(self):
        return LessonPage.objects.live().child_of(self).order_by("path")

    def quiz(self) -> QuizPage | None:
        return QuizPage.objects.live().child_of(self).first()

    def attestation_page(self) -> AttestationPage | None:
        return AttestationPage.objects.live().child_of(self).first()

    def duration(self):
        """How long the course takes, estimated from its live lessons and quiz
        (``courses.duration``), or the author's override."""
        from .duration import course_duration

        return course_duration(
            course=self,
            lessons=self.lessons(),
            quiz=self.quiz(),
            attestation=self.attestation_page(),
        )

    def get_context(self, request, *args, **kwargs):
        from portal.roles import is_hr

        from .selectors import course_older_version_count, course_progress

        context = super().get_context(request, *args, **kwargs)
        staff = getattr(request.user, "staff", None)
        context["staff"] = staff
        context["progress"] = course_progress(staff=staff, course=self)
        if request.user.is_authenticated and is_hr(request.user):
            context["older_version_count"] = course_older_version_count(course=self)
        return context


class LessonPage(Page):
    """One lesson of a course: a stream of headings, text, media, key points,
    vignettes and unscored knowledge checks."""

    intro = models.TextField(blank=True)
    body = StreamField(LessonStreamBlock())
    substantive_change = substantive_change_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("substantive_change"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "lesson"

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_progress
        from .services import lesson_mark_viewed

        context = super().get_context(request, *args, **kwargs)
        course = self.get_parent().specific
        staff = getattr(request.user, "staff", None)
        if getattr(request, "is_preview", False):
            staff = None  # an author previewing in the CMS
        if staff is not None:
            lesson_mark_viewed(staff=staff, lesson=self)
        progress = course_progress(staff=staff, course=course)
        context.update(
            course=course,
            staff=staff,
            progress=progress,
            completed=self.pk in progress.completed_lesson_ids,
            next_step=progress.next_after(self),
        )
        return context


class QuizPage(Page):
    """The course's scored quiz. ``serve()`` only splits GET and POST; the hook
    methods below (each may be overridden) do the rest, as in Wagtail's form pages.
    Scoring happens on the server from the stored answer key."""

    intro = models.TextField(blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        "pass mark (%)",
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        default=3,
        help_text="After this many failed attempts the learner's supervisor must "
        "reset the quiz. 0 means unlimited.",
    )
    shuffle = models.BooleanField(
        "shuffle questions", default=False, help_text="Each attempt gets its own order."
    )
    shuffle_choices = models.BooleanField(
        "shuffle choices",
        default=True,
        help_text="Each attempt shows every question's choices in its own order "
        "(true/false questions keep theirs).",
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        "questions per attempt",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Draw this many of the questions at random for each attempt (a "
        "question pool). Empty asks every question.",
    )

    class Reveal(models.TextChoices):
        PASSED = "passed", "After a pass only"
        FINAL = "final", "After a pass, or once no attempts are left"

    reveal_answers = models.CharField(
        "show the answers",
        max_length=10,
        choices=Reveal.choices,
        default=Reveal.PASSED,
        help_text="When a learner sees the right answers and the feedback on each "
        "choice. After a failed attempt they see only which questions were wrong "
        "and which objectives to review.",
    )
    questions = StreamField(QuestionStreamBlock())
    substantive_change = substantive_change_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("shuffle"),
                FieldPanel("shuffle_choices"),
                FieldPanel("questions_per_attempt"),
                FieldPanel("reveal_answers"),
            ],
            heading="Rules",
        ),
        FieldPanel("questions"),
        FieldPanel("substantive_change"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "courses/quiz_page.html"
    result_template = "courses/quiz_page_result.html"

    class Meta:
        verbose_name = "quiz"

    def clean(self):
        super().clean()
        count = len(self.questions)
        if self.questions_per_attempt and self.questions_per_attempt > count:
            raise ValidationError(
                {
                    "questions_per_attempt": f"The quiz has {count} question"
                    f"{'' if count == 1 else 's'}; draw at most that many."
                }
            )

    # --- hooks ------------------------------------------------------------------

    def serve(self, request, *args, **kwargs):
        staff = getattr(request.user, "staff", None)
        if request.method == "POST":
            return self.process_submission(request, staff=staff)
        return self.render_quiz(request, staff=staff)

    def serve_preview(self, request, mode_name):
        return self.render_quiz(request, staff=None)

    def render_quiz(
        self,
        request,
        *,
        staff: StaffProfile | None,
        error: StrOrPromise = "",
        attempt: QuizAttempt | None = None,
        answers: dict | None = None,
        unanswered: Collection[str] | None = None,
    ) -> TemplateResponse:
        """Start (or continue) an attempt and show its questions."""
        from django.template.response import TemplateResponse

        from .selectors import quiz_state
        from .services import quiz_attempt_start

        preview = getattr(request, "is_preview", False)
        state = quiz_state(staff=staff, quiz=self)
        if preview:  # an author previewing in the CMS: show, record nothing
            staff = None
        if staff is not None and attempt is None and state.can_attempt:
            if error or unanswered:  # after a refused POST, reuse the open attempt
                attempt = self.attempts.filter(
                    staff=staff, submitted_at__isnull=True
                ).first()
            else:
                attempt = quiz_attempt_start(staff=staff, quiz=self)
        context = self.get_context(request)
        context.update(
            staff=staff,
            state=state,
            attempt=attempt,
            questions=list(self.questions) if preview else [],
            preview=preview,
            error=error,
            course=self.get_parent().specific,
        )
        answers, unanswered = answers or {}, set(unanswered or [])
        # Exactly what the attempt stored as shown: its questions, in its order,
        # each with its choices in the attempt's order.
        context["question_rows"] = [
            {
                **question,
                "missing": question["id"] in unanswered,
                "choices": [
                    {**c, "picked": str(c["index"]) in answers.get(question["id"], [])}
                    for c in question["choices"]
                ],
            }
            for question in (self.shown_for(attempt) if attempt and not preview else [])
        ]
        context["unanswered_count"] = len(unanswered)
        return TemplateResponse(
            request, self.get_template(request), context, status=400 if error else 200
        )

    def questions_for(self, attempt) -> list:
        """The questions of ``attempt`` in the order it was given."""
        by_id = {block.id: block for block in self.questions}
        return [by_id[qid] for qid in attempt.question_ids if qid in by_id]

    def shown_for(self, attempt) -> list[dict]:
        """What ``attempt`` showed: its stored snapshot (an attempt from before
        snapshots were kept shows the questions with their choices in order)."""
        if attempt.shown:
            return attempt.shown
        return [
            {
                "id": block.id,
                "kind": block.block_type,
                "prompt": block.value["prompt"],
                "objective": block.value["objective"],
                "choices": [
                    {"index": i, "text": c["text"]}
                    for i, c in enumerate(block.value["choices"])
                ],
            }
            for block in self.questions_for(attempt)
        ]

    def answers_from_post(self, request) -> dict[str, list[str]]:
        """``{question_id: [choice index, ...]}`` from the submitted form."""
        return {
            key.removeprefix("q-"): request.POST.getlist(key)
            for key in request.POST
            if key.startswith("q-")
        }

    def process_submission(self, request, *, staff):
        from .services import (
            QuizIncompleteError,
            QuizSubmissionError,
            quiz_attempt_submit,
        )

        if staff is None:
            return self.render_quiz(
                request, staff=None, error="Only staff members can take quizzes."
            )
        answers = self.answers_from_post(request)
        try:
            attempt = quiz_attempt_submit(
                staff=staff,
                quiz=self,
                attempt_id=request.POST.get("attempt", ""),
                answers=answers,
            )
        except QuizIncompleteError as exc:
            # A person skipped questions: a normal form error (200), shown once,
            # next to each unanswered question, with the answers kept.
            return self.render_quiz(
                request, staff=staff, answers=answers, unanswered=exc.unanswered
            )
        except QuizSubmissionError as exc:
            # A post a real form cannot send: 400, the message once at the top.
            return self.render_quiz(request, staff=staff, error=exc.message)
        return self.render_result(request, staff=staff, attempt=attempt)

    def answers_revealed(self, *, attempt, state) -> bool:
        """Whether the learner may see the right answers after ``attempt``: after
        a pass, or (when the quiz says so) once no attempts are left."""
        if attempt.passed:
            return True
        return self.reveal_answers == self.Reveal.FINAL and state.exhausted

    def render_result(self, request, *, staff, attempt):
        """Show the score and the questions missed with the objectives to review;
        the answers and per-choice feedback only when ``answers_revealed``."""
        from django.template.response import TemplateResponse

        from .selectors import course_progress, quiz_result, quiz_state

        course = self.get_parent().specific
        progress = (
            course_progress(staff=staff, course=course) if attempt.passed else None
        )
        state = quiz_state(staff=staff, quiz=self)
        reveal = self.answers_revealed(attempt=attempt, state=state)
        context = self.get_context(request)
        context.update(
            staff=staff,
            attempt=attempt,
            reveal=reveal,
            result=quiz_result(quiz=self, attempt=attempt, reveal=reveal),
            state=state,
            course=course,
            progress=progress,
            next_step=progress.next_step() if progress else None,
        )
        return TemplateResponse(request, self.result_template, context)


class AttestationPage(Page):
    """A policy the learner reads and signs by typing their full name. Each signature
    stores the exact policy version and text signed."""

    policy_version = models.CharField(
        max_length=40, help_text="Change it whenever the policy text changes."
    )
    body = RichTextField()
    statement = models.CharField(
        max_length=300, default="I have read and understand this policy."
    )
    substantive_change = substantive_change_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("policy_version"),
        FieldPanel("body"),
        FieldPanel("statement"),
        FieldPanel("substantive_change"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "attestation"

    def serve(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect

        from portal.security import client_ip

        from .services import attestation_sign

        staff = getattr(request.user, "staff", None)
        error = ""
        if request.method == "POST" and staff is not None:
            try:
                attestation_sign(
                    staff=staff,
                    page=self,
                    full_name=request.POST.get("full_name", ""),
                    agreed=request.POST.get("agree") == "on",
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, "Thank you. Your signature is recorded.")
                return redirect(self.get_parent().url)
        return self.render_form(request, staff=staff, error=error)

    def serve_preview(self, request, mode_name):
        return self.render_form(request, staff=None)

    def render_form(self, request, *, staff, error: str = ""):
        from django.template.response import TemplateResponse

        from .selectors import attestation_current

        context = self.get_context(request)
        context.update(
            staff=staff,
            error=error,
            signed=attestation_current(staff=staff, page=self),
            course=self.get_parent().specific,
        )
        return TemplateResponse(
            request, self.get_template(request), context, status=400 if error else 200
        )


# --- Records -------------------------------------------------------------------------


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
        return f"{self.course} for {self.staff}, due {self.due_on:%Y-%m-%d}"

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


class QuizAttempt(models.Model):
    """One attempt at a quiz: exactly what it showed (the questions drawn, their
    order, each question's choices in their order), the answers, the score.

    Audited, and kept: a quiz page or a person with attempts cannot be deleted
    (unpublish the page, terminate the person)."""

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

    class Meta:
        ordering = ["-started_at"]

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

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.policy_title} v{self.policy_version} signed by {self.staff}"
