"""Reads about training shared by views, panels, the roll-up and other apps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from wagtail.models import Page

from portal.requirements import RequirementStatus, Status
from portal.selectors import staff_is_visible_to

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

EXPIRING_WITHIN_DAYS = 30
DUE_SOON_DAYS = 14


# --- Pure status logic ---------------------------------------------------------------


def _day(day) -> str:
    """A date as people read it here: 6 Dec 2026."""
    return f"{day.day} {day:%b %Y}"


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


def course_progress(*, staff, course: CoursePage) -> CourseProgress:
    """Everything a learner has done in ``course`` in the current cycle."""
    return course_progress_many(staff=staff, courses=[course])[course.pk]


def course_progress_many(
    *, staff, courses: list[CoursePage]
) -> dict[int, CourseProgress]:
    """``course_progress`` for several courses in a constant number of queries."""
    from django.db.models import Q

    out = {c.pk: CourseProgress(course=c) for c in courses}
    if not courses:
        return out
    by_path = {c.path: out[c.pk] for c in courses}
    under = Q()
    for c in courses:
        under |= Q(path__startswith=c.path, depth=c.depth + 1)
    for model in (LessonPage, QuizPage, AttestationPage):
        for child in model.objects.live().filter(under).order_by("path"):
            progress = by_path[child.path[: -Page.steplen]]
            if model is LessonPage:
                progress.lessons.append(child)
            elif model is QuizPage and progress.quiz is None:
                progress.quiz = child
            elif model is AttestationPage and progress.attestation_page is None:
                progress.attestation_page = child
    if staff is None:
        return out
    ids = list(out)
    for completion in Completion.objects.filter(
        staff=staff, course_id__in=ids
    ).order_by("completed_at"):
        out[completion.course_id].completion = completion
        out[completion.course_id].since = completion.completed_at
    for assignment in Assignment.objects.filter(
        staff=staff, course_id__in=ids, completion__isnull=True
    ):
        out[assignment.course_id].open_assignment = assignment
    for row in LessonProgress.objects.filter(
        staff=staff, course_id__in=ids, completed_at__isnull=False
    ).values("course_id", "lesson_id", "completed_at"):
        progress = out[row["course_id"]]
        if progress.since is None or row["completed_at"] > progress.since:
            progress.completed_lesson_ids.add(row["lesson_id"])
    quizzes = {p.quiz.pk: p for p in out.values() if p.quiz}
    for row in QuizAttempt.objects.filter(
        staff=staff, passed=True, quiz_id__in=list(quizzes)
    ).values("quiz_id", "submitted_at"):
        progress = quizzes[row["quiz_id"]]
        if progress.since is None or row["submitted_at"] > progress.since:
            progress.quiz_passed = True
    pages = {p.attestation_page.pk: p for p in out.values() if p.attestation_page}
    for row in Attestation.objects.filter(staff=staff, page_id__in=list(pages)).values(
        "page_id", "policy_version", "signed_at"
    ):
        progress = pages[row["page_id"]]
        if row["policy_version"] == progress.attestation_page.policy_version and (
            progress.since is None or row["signed_at"] > progress.since
        ):
            progress.attestation_signed = True
    return out


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


def quiz_state(*, staff, quiz: QuizPage) -> QuizState:
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


def quiz_result(*, quiz: QuizPage, attempt: QuizAttempt) -> list[dict]:
    """Each question of a submitted attempt with the choices, what the learner
    picked, whether they were right, and the feedback."""
    out = []
    for block in quiz.questions_for(attempt):
        picked = {int(i) for i in attempt.answers.get(block.id, [])}
        choices = []
        for index, choice in enumerate(block.value["choices"]):
            choices.append(
                {
                    "text": choice["text"],
                    "correct": bool(choice["correct"]),
                    "picked": index in picked,
                    "feedback": choice["feedback"],
                }
            )
        right = {i for i, c in enumerate(choices) if c["correct"]} == picked
        out.append(
            {
                "prompt": block.value["prompt"],
                "objective": block.value["objective"],
                "kind": block.block_type,
                "right": right,
                "choices": choices,
            }
        )
    return out


def attestation_current(*, staff, page: AttestationPage) -> Attestation | None:
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


# --- Lists about a person ------------------------------------------------------------


def completions_for(*, staff) -> QuerySet[Completion]:
    """A person's completions, newest first (the training file reads these)."""
    return Completion.objects.filter(staff=staff).order_by("-completed_at", "-pk")


def attestations_for(*, staff) -> QuerySet[Attestation]:
    """A person's signed attestations, newest first."""
    return Attestation.objects.filter(staff=staff).order_by("-signed_at", "-pk")


def assignments_for(*, staff, open_only: bool = False) -> QuerySet[Assignment]:
    qs = Assignment.objects.filter(staff=staff).select_related(
        "course", "completion", "assigned_by"
    )
    if open_only:
        qs = qs.filter(completion__isnull=True)
    return qs.order_by("due_on", "pk")


def certificate_visible_to(*, user, completion: Completion) -> bool:
    """The learner, their supervisor and HR may see a certificate; nobody else."""
    if not user.is_authenticated:
        return False
    if completion.staff.user_id == user.pk:
        return True
    return staff_is_visible_to(user=user, staff=completion.staff)


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


def my_training(*, staff, today: dt.date) -> dict[str, list[TrainingRow]]:
    """A learner's training in four groups: overdue, due soon, in progress (or
    assigned), completed."""
    sections: dict[str, list[TrainingRow]] = {
        "overdue": [],
        "due_soon": [],
        "in_progress": [],
        "completed": [],
    }
    if staff is None:
        return sections
    open_assignments = {
        a.course_id: a for a in assignments_for(staff=staff, open_only=True)
    }
    course_ids = set(open_assignments) | set(
        Completion.objects.filter(staff=staff, course__isnull=False).values_list(
            "course_id", flat=True
        )
    )
    first_shift = set(
        CourseRequirement.objects.filter(
            job_role_id=staff.job_role_id, before_first_shift=True
        ).values_list("course_id", flat=True)
    )
    courses = list(CoursePage.objects.filter(pk__in=course_ids))
    all_progress = course_progress_many(staff=staff, courses=courses)
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


def next_due_for(*, staff, today: dt.date) -> TrainingRow | None:
    rows = home_training_for(staff=staff, today=today, limit=1)
    return rows[0] if rows else None


def home_training_for(*, staff, today: dt.date, limit: int = 3) -> list[TrainingRow]:
    """The open training a learner should do next: overdue first, then what is
    needed before the first shift, then by due date (then title)."""
    sections = my_training(staff=staff, today=today)
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


# --- The readiness roll-up provider ---------------------------------------------------


def course_requirement_statuses(
    *, staff_ids: list[int], as_of: dt.date
) -> list[RequirementStatus]:
    """A RequirementStatus for each course requirement of each person's job role, in
    four queries whatever the number of people."""
    from portal.models import StaffProfile

    if not staff_ids:
        return []
    people = list(
        StaffProfile.objects.filter(pk__in=staff_ids).values_list("pk", "job_role_id")
    )
    requirements: dict[int, list[CourseRequirement]] = {}
    for req in CourseRequirement.objects.filter(
        job_role_id__in={role for _, role in people}
    ).select_related("course"):
        requirements.setdefault(req.job_role_id, []).append(req)
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
    assigned: dict[tuple[int, int], Assignment] = {
        (a.staff_id, a.course_id): a
        for a in Assignment.objects.filter(
            staff_id__in=staff_ids, completion__isnull=True
        ).only("staff_id", "course_id", "due_on")
    }
    from portal.dates import agency_time_zone

    zone = agency_time_zone()
    out = []
    for staff_id, role_id in people:
        for req in requirements.get(role_id, []):
            key = (staff_id, req.course_id)
            completion = latest.get(key)
            assignment = assigned.get(key)
            completed_on = (
                completion.completed_at.astimezone(zone).date() if completion else None
            )
            if completed_on is not None and completed_on > as_of:
                completion, completed_on = None, None
            status = course_status(
                as_of=as_of,
                completed_on=completed_on,
                retrain_due_on=completion.retrain_due_on if completion else None,
                due_on=assignment.due_on if assignment else None,
            )
            if completion is not None:
                detail = f"completed {_day(completed_on)}"
                if completion.retrain_due_on:
                    detail += f"; renew by {_day(completion.retrain_due_on)}"
            elif assignment is not None:
                detail = f"due {_day(assignment.due_on)}"
            else:
                detail = "not assigned"
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
                    url=req.course.url or "",
                )
            )
    return out
