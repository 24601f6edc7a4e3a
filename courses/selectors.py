"""Reads about training shared by views, panels, the roll-up and other apps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from wagtail.models import Page

from portal.formats.en.formats import LONG_DATE_FORMAT
from portal.requirements import RequirementStatus, Status, rule

from .duration import DurationEstimate, course_duration
from .models import (
    Assignment,
    Attestation,
    AttestationPage,
    Completion,
    CoursePage,
    CourseRequirement,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    QuizPage,
)

if TYPE_CHECKING:
    from portal.models import StaffProfile

EXPIRING_WITHIN_DAYS = 30
DUE_SOON_DAYS = 14


# --- Pure status logic ---------------------------------------------------------------


_day = date_format  # Dec 6, 2026, as everywhere (portal/formats)


def course_status(
    *,
    as_of: dt.date,
    completed_on: dt.date | None,
    retrain_due_on: dt.date | None,
    due_on: dt.date | None,
    expiring_within_days: int = EXPIRING_WITHIN_DAYS,
) -> str:
    """The status of one course requirement of one person as of a date."""
    if completed_on is not None and completed_on <= as_of:
        if retrain_due_on is None:
            return Status.CURRENT
        if as_of > retrain_due_on:
            return Status.EXPIRED
        if (retrain_due_on - as_of).days <= expiring_within_days:
            return Status.EXPIRING
        return Status.CURRENT
    if due_on is not None:
        return Status.DUE if due_on >= as_of else Status.OVERDUE
    return Status.MISSING


# --- The public certificate check ----------------------------------------------------


class CertificateState:
    CURRENT = "current"
    OVERDUE = "overdue"  # the renew-by date has passed, no later completion
    SUPERSEDED = "superseded"  # the same person completed the course again later


def certificate_state(
    *, renew_by: dt.date | None, later_completed_on: dt.date | None, today: dt.date
) -> str:
    """What a certificate still proves today: a later completion replaces it; past
    its renew-by date it is overdue; otherwise it is current."""
    if later_completed_on is not None and later_completed_on <= today:
        return CertificateState.SUPERSEDED
    if renew_by is not None and today > renew_by:
        return CertificateState.OVERDUE
    return CertificateState.CURRENT


@dataclass(frozen=True)
class CertificateCheck:
    """What ``/verify/<code>/`` and the certificate say about one completion."""

    completion: Completion
    agency_name: str
    completed_on: dt.date
    renew_by: dt.date | None
    state: str
    later_completed_on: dt.date | None = None

    @property
    def headline(self) -> str:
        """One line for the badge, dates written in full as on the certificate."""

        def day(d: dt.date | None) -> str:
            return date_format(d, LONG_DATE_FORMAT) if d else ""

        if self.state == CertificateState.SUPERSEDED:
            later = day(self.later_completed_on)
            return f"Superseded by a later completion on {later}"
        if self.state == CertificateState.OVERDUE:
            return f"Renewal overdue since {day(self.renew_by)}"
        if self.renew_by is not None:
            return f"Current: renew by {day(self.renew_by)}"
        return "Current: no renewal needed"


def certificate_check(*, completion: Completion, today: dt.date) -> CertificateCheck:
    """The whole truth about a certificate as of ``today`` (two queries)."""
    from portal.dates import agency_time_zone
    from portal.models import Agency

    zone = agency_time_zone()
    later = Completion.objects.filter(
        staff_id=completion.staff_id, completed_at__gt=completion.completed_at
    ).exclude(pk=completion.pk)
    if completion.course_id is not None:
        later = later.filter(course_id=completion.course_id)
    else:
        later = later.filter(course_title=completion.course_title)
    first_later = later.order_by("completed_at").only("completed_at").first()
    later_on = first_later.completed_at.astimezone(zone).date() if first_later else None
    agency = Agency.objects.order_by("pk").only("name").first()
    return CertificateCheck(
        completion=completion,
        agency_name=agency.name if agency else "",
        completed_on=completion.completed_at.astimezone(zone).date(),
        renew_by=completion.retrain_due_on,
        state=certificate_state(
            renew_by=completion.retrain_due_on,
            later_completed_on=later_on,
            today=today,
        ),
        later_completed_on=later_on if later_on and later_on <= today else None,
    )


# --- One learner in one course ------------------------------------------------------


@dataclass
class CourseProgress:
    course: CoursePage
    lessons: list = field(default_factory=list)
    completed_lesson_ids: set[int] = field(default_factory=set)
    quiz: QuizPage | None = None
    quiz_passed: bool = False
    attestation_page: AttestationPage | None = None
    attestation_signed: bool = False
    completion: Completion | None = None  # the latest one
    open_assignment: Assignment | None = None
    since: dt.datetime | None = None  # events before this belong to an earlier cycle

    @property
    def duration(self) -> DurationEstimate:
        """How long the course takes, from its live lessons, quiz and attestation."""
        return course_duration(
            course=self.course,
            lessons=self.lessons,
            quiz=self.quiz,
            attestation=self.attestation_page,
        )

    @property
    def older_version(self) -> int | None:
        """The version the learner completed, when the course has moved on."""
        if self.completion and self.completion.course_version < self.course.version:
            return self.completion.course_version
        return None

    @property
    def is_complete(self) -> bool:
        """Completed and nothing new asked of the learner."""
        return self.completion is not None and self.open_assignment is None

    @property
    def steps(self) -> int:
        return (
            len(self.lessons)
            + (1 if self.quiz else 0)
            + (1 if self.attestation_page else 0)
        )

    @property
    def steps_done(self) -> int:
        if self.is_complete:
            return self.steps
        return (
            len([x for x in self.lessons if x.pk in self.completed_lesson_ids])
            + (1 if self.quiz and self.quiz_passed else 0)
            + (1 if self.attestation_page and self.attestation_signed else 0)
        )

    @property
    def percent(self) -> int:
        """Rounded to the nearest percent (1 of 6 steps is 17%, not 16%)."""
        if not self.steps:
            return 0
        return (200 * self.steps_done + self.steps) // (2 * self.steps)

    @property
    def all_done(self) -> bool:
        return self.steps > 0 and self.steps_done == self.steps

    @property
    def started(self) -> bool:
        return self.steps_done > 0

    def resume_url(self) -> str:
        """Where the learner left off: the first unfinished step."""
        for lesson in self.lessons:
            if lesson.pk not in self.completed_lesson_ids:
                return lesson.url
        if self.quiz and not self.quiz_passed:
            return self.quiz.url
        if self.attestation_page and not self.attestation_signed:
            return self.attestation_page.url
        return self.course.url

    def next_step(self) -> dict | None:
        """The first unfinished step as ``{"title", "url", "kind"}`` (kind is
        lesson, quiz or attestation), or None when every step is done."""
        if self.is_complete:
            return None
        for lesson in self.lessons:
            if lesson.pk not in self.completed_lesson_ids:
                return {"title": lesson.title, "url": lesson.url, "kind": "lesson"}
        if self.quiz and not self.quiz_passed:
            return {"title": self.quiz.title, "url": self.quiz.url, "kind": "quiz"}
        if self.attestation_page and not self.attestation_signed:
            page = self.attestation_page
            return {"title": page.title, "url": page.url, "kind": "attestation"}
        return None

    def next_after(self, lesson) -> dict | None:
        """The step after ``lesson``: the next lesson, else the quiz, else the
        attestation."""
        ids = [x.pk for x in self.lessons]
        if lesson.pk in ids and ids.index(lesson.pk) + 1 < len(ids):
            nxt = self.lessons[ids.index(lesson.pk) + 1]
            return {"title": nxt.title, "url": nxt.url}
        if self.quiz:
            return {"title": self.quiz.title, "url": self.quiz.url}
        if self.attestation_page:
            return {
                "title": self.attestation_page.title,
                "url": self.attestation_page.url,
            }
        return None


def course_older_version_count(*, course: CoursePage) -> int:
    """Active people whose latest completion of ``course`` is of an earlier
    version and who have not been assigned it again."""
    from django.db.models import Exists, OuterRef

    from portal.models import StaffProfile

    newer = Completion.objects.filter(
        staff=OuterRef("staff"),
        course=course,
        completed_at__gt=OuterRef("completed_at"),
    )
    open_assignment = Assignment.objects.filter(
        staff=OuterRef("staff"), course=course, completion__isnull=True
    )
    return (
        Completion.objects.filter(
            course=course,
            course_version__lt=course.version,
            staff__status=StaffProfile.Status.ACTIVE,
        )
        .exclude(Exists(newer))
        .exclude(Exists(open_assignment))
        .values("staff")
        .distinct()
        .count()
    )


def course_progress(
    *, staff: StaffProfile | None, course: CoursePage
) -> CourseProgress:
    """Everything a learner has done in ``course`` in the current cycle."""
    return course_progress_many(staff=staff, courses=[course])[course.pk]


# The page fields progress reads (steps, their titles and addresses); the
# content itself is read only for the duration estimate.
_STEP_FIELDS = ("id", "title", "path", "depth", "url_path", "locale_id")


def _course_steps(*, under: Q, with_content: bool) -> Iterator[Page]:
    """The live lessons, quizzes and attestation pages matched by ``under``, in
    tree order. Without content: one query over Wagtail's page table, each row
    made into its own page class with only the fields progress reads (as
    ``.only()`` would); with content: one query per page class."""
    models: tuple[type[Page], ...] = (LessonPage, QuizPage, AttestationPage)
    if with_content:
        for model in models:
            yield from model.objects.live().filter(under).order_by("path")
        return
    by_type = {ContentType.objects.get_for_model(model).pk: model for model in models}
    rows = (
        Page.objects.live()
        .filter(under, content_type_id__in=list(by_type))
        .order_by("path")
        .values(*_STEP_FIELDS, "content_type_id", "attestationpage__policy_version")
    )
    for row in rows:
        model = by_type[row["content_type_id"]]
        row["page_ptr_id"] = row["id"]
        row["policy_version"] = row["attestationpage__policy_version"]
        # Model.from_db takes the values in the order of the class's fields.
        names = [f.attname for f in model._meta.concrete_fields if f.attname in row]
        yield model.from_db(rows.db, names, [row[name] for name in names])


def course_progress_many(
    *,
    staff: StaffProfile | None,
    courses: list[CoursePage],
    with_content: bool = True,
    completions: list[Completion] | None = None,
    open_assignments: list[Assignment] | None = None,
) -> dict[int, CourseProgress]:
    """``course_progress`` for several courses in a constant number of queries.

    ``with_content=False`` reads only what progress needs (no lesson bodies or
    questions: ``duration`` is then unavailable). ``completions`` (oldest first)
    and ``open_assignments``: the learner's, when the caller has read them.
    """
    from django.db.models import Q

    out = {c.pk: CourseProgress(course=c) for c in courses}
    if not courses:
        return out
    by_path = {c.path: out[c.pk] for c in courses}
    under = Q()
    for c in courses:
        under |= Q(path__startswith=c.path, depth=c.depth + 1)
    for child in _course_steps(under=under, with_content=with_content):
        progress = by_path[child.path[: -Page.steplen]]
        if isinstance(child, LessonPage):
            progress.lessons.append(child)
        elif isinstance(child, QuizPage) and progress.quiz is None:
            progress.quiz = child
        elif isinstance(child, AttestationPage) and progress.attestation_page is None:
            progress.attestation_page = child
    if staff is None:
        return out
    ids = list(out)
    if completions is None:
        completions = Completion.objects.filter(  # type: ignore[assignment]
            staff=staff, course_id__in=ids
        ).order_by("completed_at")
    for completion in completions:  # type: ignore[union-attr]
        if completion.course_id in out:
            out[completion.course_id].completion = completion
            out[completion.course_id].since = completion.completed_at
    if open_assignments is None:
        open_assignments = Assignment.objects.filter(  # type: ignore[assignment]
            staff=staff, course_id__in=ids, completion__isnull=True
        )
    for assignment in open_assignments:  # type: ignore[union-attr]
        if assignment.course_id in out:
            out[assignment.course_id].open_assignment = assignment
    for row in LessonProgress.objects.filter(
        staff=staff, course_id__in=ids, completed_at__isnull=False
    ).values("course_id", "lesson_id", "completed_at"):
        progress = out[row["course_id"]]
        done_at = row["completed_at"]
        if progress.since is None or (done_at and done_at > progress.since):
            progress.completed_lesson_ids.add(row["lesson_id"])
    quizzes = {p.quiz.pk: p for p in out.values() if p.quiz}
    for passed in QuizAttempt.objects.filter(
        staff=staff, passed=True, quiz_id__in=list(quizzes)
    ).values("quiz_id", "submitted_at"):
        progress = quizzes[passed["quiz_id"]]
        submitted_at = passed["submitted_at"]
        if progress.since is None or (submitted_at and submitted_at > progress.since):
            progress.quiz_passed = True
    pages = {p.attestation_page.pk: p for p in out.values() if p.attestation_page}
    for signed in Attestation.objects.filter(
        staff=staff, page_id__in=list(pages)
    ).values("page_id", "policy_version", "signed_at"):
        progress = pages[signed["page_id"]]
        page = progress.attestation_page
        if (
            page is not None
            and signed["policy_version"] == page.policy_version
            and (progress.since is None or signed["signed_at"] > progress.since)
        ):
            progress.attestation_signed = True
    return out


def course_durations(*, courses: list[CoursePage]) -> dict[int, DurationEstimate]:
    """How long each course takes, by course id, in a constant number of queries."""
    return {
        pk: progress.duration
        for pk, progress in course_progress_many(staff=None, courses=courses).items()
    }


@dataclass
class QuizState:
    attempts_used: int = 0
    attempts_allowed: int = 0
    passed: bool = False
    best_score: int | None = None

    @property
    def unlimited(self) -> bool:
        return self.attempts_allowed == 0

    @property
    def attempts_left(self) -> int | None:
        if self.unlimited:
            return None
        return max(self.attempts_allowed - self.attempts_used, 0)

    @property
    def exhausted(self) -> bool:
        return not self.passed and not self.unlimited and self.attempts_left == 0

    @property
    def can_attempt(self) -> bool:
        return not self.passed and not self.exhausted


def quiz_state(*, staff: StaffProfile | None, quiz: QuizPage) -> QuizState:
    """Attempts used (since the last reset), and whether the learner passed in the
    current cycle."""
    state = QuizState(attempts_allowed=quiz.attempts_allowed)
    if staff is None:
        return state
    since = (
        Completion.objects.filter(staff=staff, course_id=quiz.get_parent().pk)
        .order_by("-completed_at")
        .values_list("completed_at", flat=True)
        .first()
    )
    attempts = QuizAttempt.objects.filter(
        staff=staff, quiz=quiz, submitted_at__isnull=False
    )
    if since:
        attempts = attempts.filter(submitted_at__gt=since)
    rows = list(attempts.values("score", "passed", "reset_id"))
    state.attempts_used = sum(1 for r in rows if r["reset_id"] is None)
    state.passed = any(r["passed"] for r in rows)
    scores = [r["score"] for r in rows if r["score"] is not None]
    state.best_score = max(scores) if scores else None
    return state


def quizzes_exhausted(*, staff) -> list[dict]:
    """The live quizzes ``staff`` has no attempts left at, as
    ``{"quiz", "state"}`` rows (what a supervisor may reset)."""
    rows = []
    for quiz in QuizPage.objects.live().filter(attempts__staff=staff).distinct():
        state = quiz_state(staff=staff, quiz=quiz)
        if state.exhausted:
            rows.append({"quiz": quiz, "state": state})
    return rows


def quiz_shown(
    *, quiz: QuizPage, question_ids: list[str], orders: dict[str, list[int]]
) -> list[dict] | None:
    """The snapshot of what an attempt shows: each question (in the attempt's
    order) with its choices in ``orders``; None if a question no longer exists."""
    blocks = {b.id: b for b in quiz.questions}
    if any(qid not in blocks for qid in question_ids):
        return None
    shown = []
    for qid in question_ids:
        block = blocks[qid]
        choices = block.value["choices"]
        order = orders.get(qid, list(range(len(choices))))
        if sorted(order) != list(range(len(choices))):
            return None
        shown.append(
            {
                "id": qid,
                "kind": block.block_type,
                "prompt": block.value["prompt"],
                "objective": block.value["objective"],
                "choices": [{"index": i, "text": choices[i]["text"]} for i in order],
            }
        )
    return shown


def quiz_attempt_orders(shown: list[dict]) -> dict[str, list[int]]:
    """``{question id: [choice index, ...]}`` in the order a snapshot shows them."""
    return {q["id"]: [c["index"] for c in q["choices"]] for q in shown}


def quiz_attempt_is_current(*, quiz: QuizPage, attempt: QuizAttempt) -> bool:
    """An open attempt can go on only while the quiz shows what it showed."""
    ids = [block.id for block in quiz.questions]
    wanted = min(quiz.questions_per_attempt or len(ids), len(ids))
    if not set(attempt.question_ids) <= set(ids):
        return False
    if len(attempt.question_ids) != wanted:
        return False
    if not attempt.shown:
        return True  # an attempt from before snapshots were kept
    current = quiz_shown(
        quiz=quiz,
        question_ids=attempt.question_ids,
        orders=quiz_attempt_orders(attempt.shown),
    )
    return current == attempt.shown


def quiz_attempt_open(*, staff, quiz: QuizPage) -> QuizAttempt | None:
    """The learner's unsubmitted attempt at ``quiz`` while it can still be taken
    (the author has not changed what it showed since), else None."""
    if staff is None:
        return None
    attempt = QuizAttempt.objects.open().filter(staff=staff, quiz=quiz).first()
    if attempt is None or not quiz_attempt_is_current(quiz=quiz, attempt=attempt):
        return None
    return attempt


def quiz_attempt_shown(*, quiz: QuizPage, attempt: QuizAttempt) -> list[dict]:
    """What ``attempt`` showed: its stored snapshot (an attempt from before
    snapshots were kept shows its questions with their choices in order)."""
    if attempt.shown:
        return attempt.shown
    by_id = {block.id: block for block in quiz.questions}
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
        for block in (by_id[q] for q in attempt.question_ids if q in by_id)
    ]


def quiz_question_rows(
    *,
    quiz: QuizPage,
    attempt: QuizAttempt | None,
    answers: dict[str, list[str]] | None = None,
    unanswered: list[str] | None = None,
) -> list[dict]:
    """The questions of an open attempt as the form shows them: exactly what the
    attempt stored as shown, in its order, each choice marked ``picked`` from
    ``answers`` and each question ``missing`` if it is in ``unanswered``."""
    if attempt is None:
        return []
    answers, missing = answers or {}, set(unanswered or [])
    return [
        {
            **question,
            "missing": question["id"] in missing,
            "choices": [
                {**c, "picked": str(c["index"]) in answers.get(question["id"], [])}
                for c in question["choices"]
            ],
        }
        for question in quiz_attempt_shown(quiz=quiz, attempt=attempt)
    ]


def quiz_result(
    *, quiz: QuizPage, attempt: QuizAttempt, reveal: bool = True
) -> list[dict]:
    """Each question of a submitted attempt, as it was shown: right or wrong and
    the objective to review. With ``reveal``, also the choices in the order shown,
    which the learner picked, which are correct, and the feedback; without it, no
    choice at all (a wrong answer's alternatives give the right one away)."""
    objectives = {
        b.value["key"]: b.value["text"] for b in quiz.get_parent().specific.objectives
    }
    blocks = {b.id: b for b in quiz.questions}
    out = []
    for question in quiz_attempt_shown(quiz=quiz, attempt=attempt):
        block = blocks.get(question["id"])
        picked = {int(i) for i in attempt.answers.get(question["id"], [])}
        key = block.value["choices"] if block is not None else []
        correct = {i for i, c in enumerate(key) if c["correct"]}
        row = {
            "prompt": question["prompt"],
            "objective": question["objective"],
            "objective_text": objectives.get(question["objective"], ""),
            "kind": question["kind"],
            "right": bool(correct) and correct == picked,
            "choices": [],
        }
        if reveal:
            row["choices"] = [
                {
                    "text": c["text"],
                    "correct": c["index"] in correct,
                    "picked": c["index"] in picked,
                    "feedback": key[c["index"]]["feedback"]
                    if c["index"] < len(key)
                    else "",
                }
                for c in question["choices"]
            ]
        out.append(row)
    return out


def attestation_current(
    *, staff: StaffProfile | None, page: AttestationPage
) -> Attestation | None:
    """The learner's signature of the page's current policy version, if any."""
    if staff is None:
        return None
    return (
        Attestation.objects.filter(
            staff=staff, page=page, policy_version=page.policy_version
        )
        .order_by("-signed_at")
        .first()
    )


# --- The library and searching it ----------------------------------------------------


@dataclass(frozen=True)
class CourseCard:
    """A course as the library lists it."""

    course: CoursePage
    duration: DurationEstimate


def library_cards(*, library: Page) -> list[CourseCard]:
    """The live courses of the training library, in tree order, with how long each
    takes (a constant number of queries)."""
    courses = list(CoursePage.objects.live().child_of(library).specific())
    durations = course_durations(courses=courses)
    return [CourseCard(course=c, duration=durations[c.pk]) for c in courses]


SEARCH_QUERY_MAX = 200
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class TrainingHit:
    """One search result: a course, or a lesson with the course it belongs to."""

    title: str
    url: str
    kind: str  # "course" or "lesson"
    summary: str
    course_title: str = ""


def training_search(*, query: str, limit: int = SEARCH_LIMIT) -> list[TrainingHit]:
    """Live courses, then live lessons of live courses, whose title, summary,
    objectives or text match ``query`` (Wagtail's search index), best first.
    Every signed-in person may read all published training."""
    query = " ".join(query.split())[:SEARCH_QUERY_MAX]
    if not query:
        return []
    hits = [
        TrainingHit(
            title=course.title, url=course.url, kind="course", summary=course.summary
        )
        for course in CoursePage.objects.live().search(query)[:limit]
    ]
    lessons = list(LessonPage.objects.live().search(query)[:limit])
    parents = {
        c.path: c
        for c in CoursePage.objects.live().filter(
            path__in={lesson.path[: -Page.steplen] for lesson in lessons}
        )
    }
    for lesson in lessons:
        course = parents.get(lesson.path[: -Page.steplen])
        if course is None:  # its course is unpublished
            continue
        hits.append(
            TrainingHit(
                title=lesson.title,
                url=lesson.url,
                kind="lesson",
                summary=lesson.intro,
                course_title=course.title,
            )
        )
    return hits[:limit]


# --- Lists about a person ------------------------------------------------------------


def completions_for(*, staff: StaffProfile) -> QuerySet[Completion]:
    """A person's completions, newest first (the training file reads these)."""
    return Completion.objects.filter(staff=staff).order_by("-completed_at", "-pk")


def attestations_for(*, staff: StaffProfile) -> QuerySet[Attestation]:
    """A person's signed attestations, newest first."""
    return Attestation.objects.filter(staff=staff).order_by("-signed_at", "-pk")


def assignments_for(
    *, staff: StaffProfile, open_only: bool = False
) -> QuerySet[Assignment]:
    qs = Assignment.objects.filter(staff=staff).select_related(
        "course", "completion", "assigned_by"
    )
    if open_only:  # open: to do, so only of a course that is published
        qs = qs.filter(completion__isnull=True, course__live=True)
    return qs.order_by("due_on", "pk")


@dataclass
class TrainingRow:
    course: CoursePage
    assignment: Assignment | None
    progress: CourseProgress
    status: str
    before_first_shift: bool = False

    @property
    def due_on(self):
        return self.assignment.due_on if self.assignment else None


def my_training(
    *, staff: StaffProfile | None, today: dt.date, with_content: bool = True
) -> dict[str, list[TrainingRow]]:
    """A learner's training in four groups: overdue, due soon, in progress (or
    assigned), completed. ``with_content=False``: without the course duration
    (the home page), reading only the page fields progress needs."""
    sections: dict[str, list[TrainingRow]] = {
        "overdue": [],
        "due_soon": [],
        "in_progress": [],
        "completed": [],
    }
    if staff is None:
        return sections
    # The learner's completions and open assignments, read once for the
    # sections and for progress.
    completions = list(
        Completion.objects.filter(staff=staff, course__isnull=False).order_by(
            "completed_at"
        )
    )
    # An assignment of an unpublished course waits until it is published again.
    assigned = list(
        Assignment.objects.filter(
            staff=staff, completion__isnull=True, course__live=True
        ).order_by("due_on", "pk")
    )
    open_assignments = {a.course_id: a for a in assigned}
    course_ids = set(open_assignments) | {c.course_id for c in completions}
    from portal.requirements import person_of

    first_shift = {
        req.course_id
        for req in course_requirements_of(
            people=[person_of(staff)], with_course=False
        ).get(staff.pk, [])
        if req.before_first_shift
    }
    courses = CoursePage.objects.filter(pk__in=course_ids)
    if not with_content:
        courses = courses.only(*_STEP_FIELDS, "version")
    courses = list(courses)
    all_progress = course_progress_many(
        staff=staff,
        courses=courses,
        with_content=with_content,
        completions=completions,
        open_assignments=assigned,
    )
    for course in sorted(courses, key=lambda c: c.title):
        progress = all_progress[course.pk]
        assignment = open_assignments.get(course.pk)
        if assignment is None:
            sections["completed"].append(
                TrainingRow(course, None, progress, Status.CURRENT)
            )
            continue
        if assignment.due_on < today:
            key, status = "overdue", Status.OVERDUE
        elif (assignment.due_on - today).days <= DUE_SOON_DAYS:
            key, status = "due_soon", Status.DUE
        else:
            key, status = "in_progress", Status.DUE
        sections[key].append(
            TrainingRow(course, assignment, progress, status, course.pk in first_shift)
        )
    for key in ("overdue", "due_soon", "in_progress"):
        sections[key].sort(key=lambda r: (r.due_on, r.course.title))
    return sections


def home_training_for(
    *, staff: StaffProfile | None, today: dt.date, limit: int = 3
) -> list[TrainingRow]:
    """The open training a learner should do next: overdue first, then what is
    needed before the first shift, then by due date (then title)."""
    sections = my_training(staff=staff, today=today, with_content=False)
    rows = sections["overdue"] + sections["due_soon"] + sections["in_progress"]
    rows.sort(
        key=lambda r: (
            r.status != Status.OVERDUE,
            not r.before_first_shift,
            r.due_on,
            r.course.title,
        )
    )
    return rows[:limit]


def attention_training(
    *, staff: StaffProfile | None, today: dt.date, **_: object
) -> int:
    """The header badge's count of one's own training: overdue or due within
    ``DUE_SOON_DAYS`` (the first two groups of "My training")."""
    sections = my_training(staff=staff, today=today, with_content=False)
    return len(sections["overdue"]) + len(sections["due_soon"])


# --- The readiness roll-up provider ---------------------------------------------------


def course_requirements_of(
    *, people, with_course: bool = True
) -> dict[int, list[CourseRequirement]]:
    """{staff_id: the course requirements that apply to them} (one query);
    ``with_course=False`` leaves the course page unread (only ``course_id``).
    Only a published course is required: an unpublished or expired one is not
    (until it is published again)."""
    from portal.requirements import requirements_by_person, requirements_query

    reqs = CourseRequirement.objects.filter(
        requirements_query(people), course__live=True
    )
    reqs = reqs.select_related("course") if with_course else reqs
    return requirements_by_person(
        people=people, requirements=reqs, item=lambda r: r.course_id
    )


def course_requirement_statuses(
    *, staff_ids: list[int], as_of: dt.date
) -> list[RequirementStatus]:
    """A RequirementStatus for each course requirement of each person (by job role,
    program and site), in four queries whatever the number of people."""
    from portal.requirements import people_for

    if not staff_ids:
        return []
    people = people_for(staff_ids=staff_ids)
    requirements = course_requirements_of(people=people)
    latest: dict[tuple[int, int], Completion] = {}
    for c in (
        Completion.objects.filter(
            staff_id__in=staff_ids, completed_at__date__lte=as_of + dt.timedelta(1)
        )
        .exclude(course=None)
        .order_by("completed_at")
        .only("staff_id", "course_id", "completed_at", "retrain_due_on")
    ):
        latest[(c.staff_id, c.course_id)] = c
    from portal.dates import agency_time_zone, start_of_day

    # The assignment open on as_of: made by the end of that day, and not yet
    # completed then (one completed later was still open on that date).
    end = start_of_day(as_of + dt.timedelta(days=1))
    assigned: dict[tuple[int, int], Assignment] = {
        (a.staff_id, a.course_id): a
        for a in Assignment.objects.filter(staff_id__in=staff_ids, created_at__lt=end)
        .filter(Q(completion__isnull=True) | Q(completion__completed_at__gte=end))
        .order_by("created_at", "pk")
        .only("staff_id", "course_id", "due_on")
    }

    zone = agency_time_zone()
    # A course's address is worked out once, not once per person.
    course_urls: dict[int, str] = {}
    out = []
    for person in people:
        staff_id = person.staff_id
        for req in requirements.get(staff_id, []):
            key = (staff_id, req.course_id)
            completion = latest.get(key)
            assignment = assigned.get(key)
            completed_on = (
                completion.completed_at.astimezone(zone).date() if completion else None
            )
            if completed_on is not None and completed_on > as_of:
                completion, completed_on = None, None
            retrain_due_on = completion.retrain_due_on if completion else None
            due_on = assignment.due_on if assignment else None
            status = course_status(
                as_of=as_of,
                completed_on=completed_on,
                retrain_due_on=retrain_due_on,
                due_on=due_on,
            )
            if completion is not None:
                detail = f"completed {_day(completed_on)}"  # type: ignore[arg-type]
                if completion.retrain_due_on:
                    detail += f"; renew by {_day(completion.retrain_due_on)}"
            elif assignment is not None:
                detail = f"due {_day(assignment.due_on)}"
            elif req.is_goal:
                status, detail = Status.GOAL, "a goal, no due date"
            else:
                detail = "not assigned"
            if req.course_id not in course_urls:
                course_urls[req.course_id] = req.course.url or ""
            out.append(
                RequirementStatus(
                    staff_id=staff_id,
                    key=f"course:{req.course_id}",
                    label=req.course.title,
                    kind="course",
                    status=status,
                    before_first_shift=req.before_first_shift,
                    due_on=assignment.due_on if assignment else None,
                    expires_on=completion.retrain_due_on if completion else None,
                    detail=detail,
                    url=course_urls[req.course_id],
                    status_on=rule(
                        course_status,
                        "as_of",
                        completed_on=completed_on,
                        retrain_due_on=retrain_due_on,
                        due_on=due_on,
                    ),
                )
            )
    return out
