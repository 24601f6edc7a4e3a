"""The training library's Wagtail pages: library → course → lessons, quiz and
attestation. Authors manage them in the CMS under Pages → Training library."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.validators import validate_display_name

from ..blocks import LessonStreamBlock, ObjectiveBlock, QuestionStreamBlock

if TYPE_CHECKING:
    from django.template.response import TemplateResponse
    from django_stubs_ext import StrOrPromise

    from portal.models import StaffProfile


def substantive_change_field() -> models.BooleanField:
    """The box an author checks when a publish changes what learners must know."""
    return models.BooleanField(
        "this is a substantive change",
        default=False,
        help_text="Check when publishing changes what learners must know; the "
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
        from ..selectors import library_cards

        context = super().get_context(request, *args, **kwargs)
        context["cards"] = library_cards(library=self)
        return context


class CourseTag(TaggedItemBase):
    content_object = ParentalKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


def clean_shown_title(page: Page) -> None:
    """A course's or policy's title reaches pages and emails: refuse line breaks,
    other invisible characters and text-direction overrides (with the CMS's
    message on the title field)."""
    try:
        validate_display_name(page.title)
    except ValidationError as exc:
        raise ValidationError({"title": exc.messages}) from exc


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

    # Learners search these from "My training"; the CMS page search matches the
    # autocomplete fields (it searches as the author types).
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.AutocompleteField("summary"),
        index.AutocompleteField("objectives"),
    ]

    class Meta:
        verbose_name = "course"

    def clean(self):
        super().clean()
        clean_shown_title(self)

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
        from ..duration import course_duration

        return course_duration(
            course=self,
            lessons=self.lessons(),
            quiz=self.quiz(),
            attestation=self.attestation_page(),
        )

    def get_context(self, request, *args, **kwargs):
        from portal.roles import is_author, is_hr

        from ..selectors import (
            course_older_version_count,
            course_progress,
            quiz_state,
        )

        context = super().get_context(request, *args, **kwargs)
        staff = getattr(request.user, "staff", None)
        context["staff"] = staff
        progress = course_progress(staff=staff, course=self)
        context["progress"] = progress
        context["quiz_locked"] = bool(
            staff is not None
            and progress.quiz is not None
            and not progress.is_complete
            and quiz_state(staff=staff, quiz=progress.quiz).exhausted
        )
        # How the time was worked out is for the people who write and assign
        # courses, not the learner.
        context["show_duration_basis"] = request.user.is_authenticated and (
            is_hr(request.user) or is_author(request.user)
        )
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

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.AutocompleteField("intro"),
        index.AutocompleteField("body"),
    ]

    class Meta:
        verbose_name = "lesson"

    def clean(self):
        super().clean()
        clean_shown_title(self)

    def get_context(self, request, *args, **kwargs):
        # Reads only: the learner's progress is written when they post "Mark this
        # lesson complete" (``courses.views.lesson_complete``), never on a GET.
        from ..selectors import course_progress

        context = super().get_context(request, *args, **kwargs)
        course = self.get_parent().specific
        staff = getattr(request.user, "staff", None)
        if getattr(request, "is_preview", False):
            staff = None  # an author previewing in the CMS
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
        clean_shown_title(self)
        count = len(self.questions)
        if self.questions_per_attempt and self.questions_per_attempt > count:
            raise ValidationError(
                {
                    "questions_per_attempt": f"The quiz has {count} question"
                    f"{'' if count == 1 else 's'}; draw at most that many."
                }
            )

    # --- hooks ------------------------------------------------------------------
    # A GET only reads: it shows the learner's open attempt, or a "Start the quiz"
    # button. Every write is a POST: starting an attempt (then a redirect back to
    # the page, which shows it) and submitting one.

    START = "start"  # the POST field of the "Start the quiz" button

    def serve(self, request, *args, **kwargs):
        staff = getattr(request.user, "staff", None)
        if request.method == "POST":
            if self.START in request.POST:
                return self.start_attempt(request, staff=staff)
            return self.process_submission(request, staff=staff)
        return self.render_quiz(request, staff=staff)

    def serve_preview(self, request, mode_name):
        return self.render_quiz(request, staff=None)

    def start_attempt(self, request, *, staff):
        """Start an attempt (or keep the open one), then redirect to the page, which
        shows it: a reload never starts another."""
        from django.shortcuts import redirect

        from ..selectors import quiz_state
        from ..services import quiz_attempt_start

        if staff is None:
            return self.render_quiz(
                request, staff=None, error="Only staff members can take quizzes."
            )
        if quiz_state(staff=staff, quiz=self).can_attempt:
            quiz_attempt_start(staff=staff, quiz=self)
        return redirect(self.get_url(request))

    def render_quiz(
        self,
        request,
        *,
        staff: StaffProfile | None,
        error: StrOrPromise = "",
        answers: dict | None = None,
        unanswered: list[str] | None = None,
    ) -> TemplateResponse:
        """Show the learner's open attempt with its questions, or where they stand
        (passed, no attempts left, or a button to start). Records nothing."""
        from django.template.response import TemplateResponse

        from ..selectors import quiz_attempt_open, quiz_question_rows, quiz_state

        preview = getattr(request, "is_preview", False)
        state = quiz_state(staff=staff, quiz=self)
        if preview:  # an author previewing in the CMS: show, record nothing
            staff = None
        attempt = None
        if staff is not None and state.can_attempt:
            attempt = quiz_attempt_open(staff=staff, quiz=self)
        context = self.get_context(request)
        context.update(
            staff=staff,
            state=state,
            attempt=attempt,
            questions=list(self.questions) if preview else [],
            question_count=min(
                self.questions_per_attempt or len(self.questions), len(self.questions)
            ),
            preview=preview,
            error=error,
            course=self.get_parent().specific,
            start_field=self.START,
            question_rows=quiz_question_rows(
                quiz=self, attempt=attempt, answers=answers, unanswered=unanswered
            ),
            unanswered_count=len(unanswered or []),
        )
        return TemplateResponse(
            request, self.get_template(request), context, status=400 if error else 200
        )

    def answers_from_post(self, request) -> dict[str, list[str]]:
        """``{question_id: [choice index, ...]}`` from the submitted form."""
        return {
            key.removeprefix("q-"): request.POST.getlist(key)
            for key in request.POST
            if key.startswith("q-")
        }

    def process_submission(self, request, *, staff):
        from ..services import (
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

        from ..selectors import course_progress, quiz_result, quiz_state

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


def policy_words(html: str) -> str:
    """A policy's words without markup or spacing: what a signer read. A change of
    formatting alone (the editor rewriting tags) is not a change of text."""
    from html import unescape

    from django.utils.html import strip_tags

    return " ".join(unescape(strip_tags(html or "")).split())


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

    def clean(self) -> None:
        """The text people signed for a version is that version: changing the
        words needs a new version, so everyone is asked to sign again (a
        signature counts only for the version in force)."""
        super().clean()
        clean_shown_title(self)
        if self.pk is None:
            return
        from .records import Attestation

        signed = (
            Attestation.objects.filter(
                page_id=self.pk, policy_version=self.policy_version
            )
            .values_list("policy_text", flat=True)
            .distinct()
        )
        words = policy_words(self.body)
        if any(policy_words(text) != words for text in signed):
            raise ValidationError(
                {
                    "policy_version": (
                        f"People have signed version {self.policy_version} of this "
                        "policy, and its text has changed. Give the changed text a "
                        "new policy version, so everyone signs it again (their "
                        f"signatures of {self.policy_version} stay on record)."
                    )
                }
            )

    def serve(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect

        from portal.security import client_ip

        from ..services import attestation_sign

        staff = getattr(request.user, "staff", None)
        error = ""
        if request.method == "POST" and staff is not None:
            try:
                attestation = attestation_sign(
                    staff=staff,
                    page=self,
                    full_name=request.POST.get("full_name", ""),
                    agreed=request.POST.get("agree") == "on",
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if attestation.already_signed:
                    messages.info(
                        request, "You have already signed this version of the policy."
                    )
                else:
                    messages.success(request, "Thank you. Your signature is recorded.")
                return redirect(self.get_parent().url)
        return self.render_form(request, staff=staff, error=error)

    def serve_preview(self, request, mode_name):
        return self.render_form(request, staff=None)

    def render_form(self, request, *, staff, error: str = ""):
        from django.template.response import TemplateResponse

        from ..selectors import attestation_current

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
