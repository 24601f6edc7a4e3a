"""Writes for training: assignments, progress, quiz attempts, completions,
attestations and quiz resets. One function per use case."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from portal.bulk import JobKind, Row, RowRefused, bulk_job_create
from portal.dates import add_months, agency_time_zone, agency_today
from portal.models import BulkJob, StaffProfile, Team, staff_active_q
from portal.permissions import may_reset_quiz

from .models import (
    Assignment,
    Attestation,
    AttestationPage,
    Completion,
    CoursePage,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    QuizPage,
    QuizReset,
)
from .selectors import quiz_attempt_is_current, quiz_attempt_orders, quiz_shown

if TYPE_CHECKING:
    from portal.models import User


# --- Dates ----------------------------------------------------------------------------


def orientation_due_on(*, hire_date: dt.date, days: int) -> dt.date:
    """Orientation is due ``days`` calendar days after the hire date."""
    return hire_date + dt.timedelta(days=days)


def retrain_due_on(*, completed_on: dt.date, months: int | None) -> dt.date | None:
    """The date a completion must be renewed by: same day ``months`` later, or the
    month's last day when that day does not exist (29 Feb → 28 Feb)."""
    if not months:
        return None
    return add_months(completed_on, months)


# --- Assignments ----------------------------------------------------------------------


def _has_current_completion(*, staff: StaffProfile, course: CoursePage, today) -> bool:
    latest = (
        Completion.objects.filter(staff=staff, course=course)
        .order_by("-completed_at")
        .first()
    )
    if latest is None:
        return False
    return latest.retrain_due_on is None or latest.retrain_due_on > today


def assignment_create(
    *,
    staff: StaffProfile,
    course: CoursePage,
    due_on: dt.date,
    source: str,
    assigned_by=None,
    assigned_by_id: int | None = None,
    previous_completion: Completion | None = None,
) -> Assignment | None:
    """Assign a course unless the person already has it open; None if nothing new."""
    with transaction.atomic():
        if Assignment.objects.filter(
            staff=staff, course=course, completion__isnull=True
        ).exists():
            return None
        try:
            with transaction.atomic():
                return Assignment.objects.create(
                    staff=staff,
                    course=course,
                    due_on=due_on,
                    source=source,
                    # (An id alone, from a background job, spares loading the user.)
                    **(
                        {"assigned_by_id": assigned_by_id}
                        if assigned_by_id
                        else {"assigned_by": assigned_by}
                    ),
                    previous_completion=previous_completion,
                )
        except IntegrityError:  # a concurrent request assigned it first
            return None


@transaction.atomic
def assignments_create_for_job_role(
    *, staff: StaffProfile, start: dt.date | None = None
) -> list[Assignment]:
    """Assign what the person's job role, program and site require (once), due by
    each requirement's rule counted from ``start`` (the hire date by default). A
    goal has no due date, so it is not assigned."""
    from portal.requirements import people_for

    from .selectors import course_requirements_of

    start = start or staff.hire_date
    today = agency_today()
    created = []
    people = people_for(staff_ids=[staff.pk])
    person = people[0]
    for req in course_requirements_of(people=people).get(staff.pk, []):
        due_on = req.due_on(hire_date=start, orientation_days=person.orientation_days)
        if due_on is None:
            continue
        if _has_current_completion(staff=staff, course=req.course, today=today):
            continue
        assignment = assignment_create(
            staff=staff,
            course=req.course,
            due_on=due_on,
            source=Assignment.Source.ORIENTATION,
        )
        if assignment:
            created.append(assignment)
    return created


ASSIGN_KIND = "course_assign"
RETRAIN_KIND = "course_retrain"


def _plural(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def assignments_start_manual(
    *,
    course: CoursePage,
    due_on: dt.date,
    by: User | None,
    staff: Iterable[StaffProfile] = (),
    team: Team | None = None,
) -> BulkJob:
    """HR assigns a course by hand to people and/or a team's active members: queued
    as a background job (``portal.bulk``) that assigns it in batches; anyone who
    already has it open is left as they are."""
    ids = {s.pk for s in staff}
    if team is not None:
        ids.update(team.members.active().values_list("pk", flat=True))
    return bulk_job_create(
        kind=ASSIGN_KIND,
        title=f"Assign “{course.title}” to {_plural(len(ids))}",
        params={
            "course": course.pk,
            "due_on": due_on.isoformat(),
            "staff": sorted(ids),
            "assigned_by": by.pk if by else None,
        },
        by=by,
        total=len(ids),
    )


def _named_rows(items: list[tuple[int, object]]) -> list[Row]:
    """Rows of people (``(staff_id, item)`` in order), named in one query."""
    names = {
        pk: f"{first} {last}".strip() or employee_id
        for pk, first, last, employee_id in StaffProfile.objects.filter(
            pk__in=[pk for pk, _ in items]
        ).values_list("pk", "user__first_name", "user__last_name", "employee_id")
    }
    return [
        Row(number=n, name=names.get(pk, f"Person {pk}"), item=item)
        for n, (pk, item) in enumerate(items, start=1)
    ]


@dataclass
class _PeopleBatch:
    course: CoursePage
    people: dict[int, StaffProfile]
    already_open: set[int]
    completions: dict[int, Completion]
    followed: set[int]


def _load_people_batch(
    job: BulkJob, staff_ids: list[int], completion_ids: Iterable[int] = ()
) -> _PeopleBatch:
    course = CoursePage.objects.get(pk=job.params["course"])
    completion_ids = list(completion_ids)
    return _PeopleBatch(
        course=course,
        people=StaffProfile.objects.select_related("user").in_bulk(staff_ids),
        already_open=set(
            Assignment.objects.filter(
                course=course, staff_id__in=staff_ids, completion__isnull=True
            ).values_list("staff_id", flat=True)
        ),
        completions=Completion.objects.in_bulk(completion_ids),
        followed=set(
            Assignment.objects.filter(
                previous_completion_id__in=completion_ids
            ).values_list("previous_completion_id", flat=True)
        ),
    )


def _assign_one(
    job: BulkJob,
    batch: _PeopleBatch,
    staff_id: int,
    counts: Counter,
    *,
    source: str,
    previous_completion: Completion | None = None,
) -> None:
    person = batch.people.get(staff_id)
    if person is None:
        raise RowRefused("This person is no longer on staff.")
    if person.status == StaffProfile.Status.TERMINATED:
        raise RowRefused("This person has left; nothing was assigned.")
    if not person.user.is_active:
        raise RowRefused("This person's account is deactivated; nothing was assigned.")
    if staff_id in batch.already_open:
        counts["skipped"] += 1
        return
    created = assignment_create(
        staff=person,
        course=batch.course,
        due_on=dt.date.fromisoformat(job.params["due_on"]),
        source=source,
        assigned_by_id=job.params.get("assigned_by"),
        previous_completion=previous_completion,
    )
    counts["assigned" if created else "skipped"] += 1


def _assign_rows(job: BulkJob) -> list[Row]:
    return _named_rows([(pk, pk) for pk in job.params.get("staff", [])])


def _assign_apply(job: BulkJob, row: Row, batch: _PeopleBatch, counts: Counter) -> None:
    _assign_one(job, batch, row.item, counts, source=Assignment.Source.MANUAL)


def _assigned_summary(job: BulkJob) -> str:
    c = job.counts
    text = f"Assigned the course to {_plural(c.get('assigned', 0))}."
    if c.get("skipped"):
        text += f" {c['skipped']} already had it open and were left as they were."
    return text


def retraining_start_new_version(
    *, course: CoursePage, due_on: dt.date, by: User | None, assigned_by: bool = True
) -> BulkJob:
    """Queue, as a background job, the assignment of ``course`` again to every
    active person whose latest completion is of an earlier version."""
    return bulk_job_create(
        kind=RETRAIN_KIND,
        title=f"Retraining on version {course.version} of “{course.title}”",
        params={
            "course": course.pk,
            "version": course.version,
            "due_on": due_on.isoformat(),
            "assigned_by": by.pk if by and assigned_by else None,
        },
        by=by,
    )


def _retrain_rows(job: BulkJob) -> list[Row]:
    """Everyone active whose latest completion of the course is of an earlier
    version, by person: ``(staff_id, completion_id)``. Found on the first run and
    kept on the job, so a retry meets the same rows in the same order."""
    frozen = job.params.get("rows")
    if frozen is None:
        latest: dict[int, tuple[int, int]] = {}
        for pk, staff_id, version in (
            Completion.objects.filter(
                staff_active_q("staff__"), course_id=job.params["course"]
            )
            .order_by("staff_id", "-completed_at", "-pk")
            .values_list("pk", "staff_id", "course_version")
        ):
            latest.setdefault(staff_id, (pk, version))
        frozen = [
            [staff_id, pk]
            for staff_id, (pk, version) in latest.items()
            if version < job.params["version"]
        ]
        job.params = {**job.params, "rows": frozen}
        BulkJob.objects.filter(pk=job.pk).update(params=job.params)
    return _named_rows([(staff_id, (staff_id, pk)) for staff_id, pk in frozen])


def _retrain_load(job: BulkJob, rows: Sequence[Row]) -> _PeopleBatch:
    return _load_people_batch(
        job, [r.item[0] for r in rows], completion_ids=[r.item[1] for r in rows]
    )


def _retrain_apply(
    job: BulkJob, row: Row, batch: _PeopleBatch, counts: Counter
) -> None:
    staff_id, completion_id = row.item
    # Each completion leads to one retraining: one already followed is not linked.
    previous = (
        None
        if completion_id in batch.followed
        else batch.completions.get(completion_id)
    )
    _assign_one(
        job,
        batch,
        staff_id,
        counts,
        source=Assignment.Source.NEW_VERSION,
        previous_completion=previous,
    )


def _job_back_url(job: BulkJob) -> str:
    course = CoursePage.objects.filter(pk=job.params.get("course")).first()
    return (
        course.url if course is not None and course.live else reverse("courses:assign")
    )


def bulk_job_kinds() -> dict[str, JobKind]:
    """The kinds of background job of this app, for ``portal.bulk``."""
    return {
        ASSIGN_KIND: JobKind(
            rows=_assign_rows,
            load=lambda job, rows: _load_people_batch(job, [r.item for r in rows]),
            apply=_assign_apply,
            summary=_assigned_summary,
            back_url=lambda job: reverse("courses:assign"),
        ),
        RETRAIN_KIND: JobKind(
            rows=_retrain_rows,
            load=_retrain_load,
            apply=_retrain_apply,
            summary=_assigned_summary,
            back_url=_job_back_url,
        ),
    }


def retraining_assign_due(
    *,
    as_of: dt.date,
    lead_days: int | None = None,
    staff: Iterable[StaffProfile] | None = None,
) -> int:
    """Create the next assignment for each latest completion whose re-training date
    is within ``lead_days`` (default: the RETRAINING_LEAD_DAYS setting) of everyone,
    or of the ``staff`` queryset; safe to run any number of times."""
    if lead_days is None:
        lead_days = settings.RETRAINING_LEAD_DAYS
    newer = Completion.objects.filter(
        staff=OuterRef("staff"),
        course=OuterRef("course"),
        completed_at__gt=OuterRef("completed_at"),
    )
    due = (
        Completion.objects.filter(
            staff_active_q("staff__"),
            retrain_due_on__isnull=False,
            retrain_due_on__lte=as_of + dt.timedelta(days=lead_days),
            course__isnull=False,
            course__live=True,  # an unpublished course is not retrained
            retraining__isnull=True,
        )
        .exclude(Exists(newer))
        .select_related("staff", "course")
    )
    if staff is not None:
        due = due.filter(staff__in=staff)
    count = 0
    for completion in due:
        if assignment_create(
            staff=completion.staff,
            course=completion.course,
            due_on=completion.retrain_due_on,
            source=Assignment.Source.RETRAINING,
            previous_completion=completion,
        ):
            count += 1
    return count


@transaction.atomic
def course_version_bump(*, course: CoursePage, by: User | None = None) -> CoursePage:
    """Increase the course version by one (a substantive change was published);
    if the course says so, assign it again to everyone on an older version."""
    from django.db.models import F

    CoursePage.objects.filter(pk=course.pk).update(version=F("version") + 1)
    course.refresh_from_db(fields=["version"])
    if course.retrain_on_new_version:
        # Automatic: assigned by no one, followed by the editor who published.
        retraining_start_new_version(
            course=course,
            due_on=agency_today() + dt.timedelta(days=course.new_version_due_days),
            by=by,
            assigned_by=False,
        )
    return course


# --- Lessons --------------------------------------------------------------------------


@transaction.atomic
def lesson_mark_complete(
    *, staff: StaffProfile, lesson: LessonPage
) -> Completion | None:
    """Mark a lesson complete; completes the course if it was the last step."""
    course = lesson.get_parent().specific
    LessonProgress.objects.update_or_create(
        staff=staff,
        lesson=lesson,
        defaults={
            "completed_at": timezone.now(),
            "last_viewed_at": timezone.now(),
            "course": course,
        },
    )
    return course_complete_if_done(staff=staff, course=course)


# --- Quizzes --------------------------------------------------------------------------


class QuizSubmissionError(ValidationError):
    """A submission that cannot be scored; nothing was saved."""


class QuizIncompleteError(QuizSubmissionError):
    """A person left questions unanswered: a normal form error, not tampering.
    ``unanswered`` holds the question ids, in the order the attempt gave them."""

    def __init__(self, message: str, *, unanswered: list[str]):
        super().__init__(message)
        self.unanswered = unanswered


@transaction.atomic
def quiz_attempt_start(*, staff: StaffProfile, quiz: QuizPage) -> QuizAttempt:
    """The learner's open attempt at ``quiz``, or a new one: the questions drawn
    from the pool, their order and each question's choice order, all stored."""
    blocks = list(quiz.questions)
    ids = [block.id for block in blocks]
    attempt = QuizAttempt.objects.open().filter(staff=staff, quiz=quiz).first()
    if attempt is not None:
        if quiz_attempt_is_current(quiz=quiz, attempt=attempt):
            return attempt
        # The author changed the questions since: that unsubmitted attempt can
        # never be scored; it is closed (kept for the record) and a new one starts.
        QuizAttempt.objects.filter(pk=attempt.pk, abandoned_at__isnull=True).update(
            abandoned_at=timezone.now()
        )
    try:
        # One open attempt per person and quiz is a database constraint: of
        # several presses at once, one creates and the others get that attempt.
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                staff=staff, quiz=quiz, question_ids=[]
            )
    except IntegrityError:
        return QuizAttempt.objects.open().get(staff=staff, quiz=quiz)
    # Seeded by the attempt, so the draw and the order are reproducible for an
    # auditor and differ from one attempt to the next.
    rng = random.Random(f"quiz-attempt:{attempt.pk}")
    drawn = ids
    if quiz.questions_per_attempt and quiz.questions_per_attempt < len(ids):
        picked = set(rng.sample(ids, quiz.questions_per_attempt))
        drawn = [qid for qid in ids if qid in picked]
    if quiz.shuffle:
        rng.shuffle(drawn)
    orders = {}
    for block in blocks:
        order = list(range(len(block.value["choices"])))
        if quiz.shuffle_choices and block.block_type != "true_false":
            rng.shuffle(order)
        orders[block.id] = order
    attempt.question_ids = list(drawn)
    attempt.shown = quiz_shown(
        quiz=quiz, question_ids=attempt.question_ids, orders=orders
    )
    attempt.save(update_fields=["question_ids", "shown"])
    return attempt


def quiz_score(*, quiz: QuizPage, question_ids: list[str], answers: dict) -> dict:
    """Score ``answers`` ({question id: [choice index, ...]}) against the stored key.

    Each question is right only if exactly the correct choices were picked. Raises
    QuizSubmissionError for anything a real form cannot send.
    """
    blocks = {b.id: b for b in quiz.questions}
    unknown = set(answers) - set(question_ids)
    if unknown:
        raise QuizSubmissionError(
            "The answers name a question that is not in this quiz. Nothing was "
            "saved; reload the quiz and try again."
        )
    right, missed, unanswered = 0, [], []
    for number, qid in enumerate(question_ids, start=1):
        block = blocks.get(qid)
        if block is None:
            raise QuizSubmissionError(
                "This quiz changed while you were taking it. Nothing was saved; "
                "reload the quiz to start again."
            )
        picked_raw = answers.get(qid) or []
        if not picked_raw:
            unanswered.append(qid)
            continue
        choices = block.value["choices"]
        try:
            picked = {int(x) for x in picked_raw}
        except (TypeError, ValueError):
            picked = {-1}
        if any(i < 0 or i >= len(choices) for i in picked):
            raise QuizSubmissionError(
                f"Question {number} has an answer that is not one of its choices. "
                "Nothing was saved."
            )
        if block.block_type != "multiple" and len(picked) != 1:
            raise QuizSubmissionError(
                f"Question {number} takes exactly one answer. Nothing was saved."
            )
        correct = {i for i, c in enumerate(choices) if c["correct"]}
        if picked == correct:
            right += 1
        elif block.value["objective"] and block.value["objective"] not in missed:
            missed.append(block.value["objective"])
    if unanswered:
        raise QuizIncompleteError(
            "Answer every question; nothing was saved yet.", unanswered=unanswered
        )
    total = len(question_ids)
    score = (100 * right) // total if total else 0  # floor, so never rounds up a fail
    return {
        "right": right,
        "total": total,
        "score": score,
        "passed": score >= quiz.pass_mark,
        "missed_objectives": missed,
    }


@transaction.atomic
def quiz_attempt_submit(
    *, staff: StaffProfile, quiz: QuizPage, attempt_id, answers: dict
) -> QuizAttempt:
    """Score and save a submitted attempt; completes the course if it was the last
    step. Any tampering raises QuizSubmissionError and saves nothing."""
    from .selectors import quiz_state

    try:
        attempt_pk = int(attempt_id)
    except (TypeError, ValueError):
        attempt_pk = None
    attempt = (
        QuizAttempt.objects.select_for_update()
        .open()
        .filter(pk=attempt_pk, staff=staff, quiz=quiz)
        .first()
        if attempt_pk
        else None
    )
    if attempt is None:
        raise QuizSubmissionError(
            "This is not an open attempt of yours at this quiz. Nothing was saved; "
            "reload the quiz to start again."
        )
    state = quiz_state(staff=staff, quiz=quiz)
    if state.passed:
        raise QuizSubmissionError("You have already passed this quiz.")
    if state.exhausted:
        raise QuizSubmissionError(
            "You have used all your attempts at this quiz. Ask your supervisor to "
            "reset it."
        )
    if attempt.shown and (
        quiz_shown(
            quiz=quiz,
            question_ids=attempt.question_ids,
            orders=quiz_attempt_orders(attempt.shown),
        )
        != attempt.shown
    ):
        raise QuizSubmissionError(
            "This quiz changed while you were taking it. Nothing was saved; "
            "reload the quiz to start again."
        )
    result = quiz_score(quiz=quiz, question_ids=attempt.question_ids, answers=answers)
    attempt.answers = {
        qid: [str(x) for x in answers[qid]] for qid in attempt.question_ids
    }
    attempt.score = result["score"]
    attempt.passed = result["passed"]
    attempt.missed_objectives = result["missed_objectives"]
    attempt.submitted_at = timezone.now()
    attempt.save()
    if attempt.passed:
        course_complete_if_done(staff=staff, course=quiz.get_parent().specific)
    elif quiz_state(staff=staff, quiz=quiz).exhausted:
        quiz_lock_notify(staff=staff, quiz=quiz, attempt=attempt)
    return attempt


def quiz_lock_supervisors(*, staff: StaffProfile) -> list[User]:
    """Who is told that ``staff`` is locked out of a quiz: the supervisors of their
    team who can sign in (HR when the team has none), never the learner."""
    from portal.models import User
    from portal.roles import Role

    people: list[User] = []
    if staff.team_id is not None:
        people = list(
            User.objects.filter(supervised_teams=staff.team_id, is_active=True).exclude(
                pk=staff.user_id
            )
        )
    if not people:
        people = list(
            User.objects.filter(groups__name=Role.HR.value, is_active=True)
            .exclude(pk=staff.user_id)
            .distinct()
        )
    return [p for p in people if p.email]


def quiz_lock_notify(
    *, staff: StaffProfile, quiz: QuizPage, attempt: QuizAttempt
) -> int:
    """Email the learner's supervisors that ``attempt`` used the last attempt at
    ``quiz`` (through the outbox, after commit; once per lock: the key is the
    attempt that locked it). Returns how many emails were queued."""
    from django.urls import reverse

    from portal.mail import email_message
    from portal.outbox import outbox_add

    url = settings.SITE_URL + reverse("staff_detail", args=[staff.pk])
    course_title = quiz.get_parent().title
    queued = 0
    for user in quiz_lock_supervisors(staff=staff):
        message = email_message(
            template="courses/email/quiz_locked",
            subject=(
                f"[Milieu] {staff.full_name} is locked out of the quiz of "
                f"“{course_title}”"
            ),
            context={
                "user": user,
                "staff": staff,
                "quiz": quiz,
                "course_title": course_title,
                "attempts": quiz.attempts_allowed,
                "missed": attempt.missed_objectives or [],
                "url": url,
            },
            to=[user.email],
        )
        outbox_add(
            kind="quiz_locked",
            key=f"quiz_locked.{attempt.pk}.{user.pk}",
            message=message,
            recipient=user,
        )
        queued += 1
    return queued


@transaction.atomic
def quiz_reset(
    *, staff: StaffProfile, quiz: QuizPage, by: User, reason: str
) -> QuizReset:
    """Give a learner a fresh set of attempts (supervisor or HR); logged."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the quiz is being reset."})
    if not may_reset_quiz(user=by, staff=staff):
        raise PermissionDenied("You may not reset this person's quiz.")
    reset = QuizReset.objects.create(staff=staff, quiz=quiz, by=by, reason=reason)
    QuizAttempt.objects.filter(
        staff=staff, quiz=quiz, reset__isnull=True, submitted_at__isnull=False
    ).update(reset=reset)
    return reset


# --- Attestations ---------------------------------------------------------------------


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


@transaction.atomic
def attestation_sign(
    *,
    staff: StaffProfile,
    page: AttestationPage,
    full_name: str,
    agreed: bool,
    ip: str | None,
) -> Attestation:
    """Record a signature of the page's current policy version and text."""
    errors = {}
    if not agreed:
        errors["agree"] = "Check “I have read and understand” to sign."
    if not full_name.strip():
        errors["full_name"] = "Type your full name as your signature."
    elif _normal(full_name) != _normal(staff.full_name):
        errors["full_name"] = (
            f"Type your full name as HR has it on file ({staff.full_name})."
        )
    if errors:
        raise ValidationError(errors)
    course = page.get_parent().specific
    completed = list(
        Completion.objects.filter(staff=staff, course_id=course.pk)
        .order_by("-completed_at")
        .values_list("completed_at", flat=True)
    )
    cycle = len(completed)
    signed = Attestation.objects.filter(
        staff=staff, page=page, policy_version=page.policy_version
    ).order_by("signed_at", "pk")
    if completed:
        signed = signed.filter(signed_at__gt=completed[0])
    attestation = signed.first()
    if attestation is None:
        try:
            # One signature per version and cycle is a database constraint: of
            # several presses at once, one signs and the others are no-ops.
            with transaction.atomic():
                attestation = Attestation.objects.create(
                    staff=staff,
                    page=page,
                    policy_title=page.title,
                    policy_version=page.policy_version,
                    policy_text=page.body,
                    statement=page.statement,
                    full_name_signed=" ".join(full_name.split()),
                    ip=ip or None,
                    cycle=cycle,
                )
        except IntegrityError:
            attestation = Attestation.objects.get(
                staff=staff, page=page, policy_version=page.policy_version, cycle=cycle
            )
        else:
            course_complete_if_done(staff=staff, course=course)
            return attestation
    attestation.already_signed = True
    return attestation


# --- Completions ----------------------------------------------------------------------


def completion_record(
    *,
    staff: StaffProfile,
    course: CoursePage,
    score: int | None,
    completed_at: dt.datetime | None = None,
) -> Completion:
    """Write the immutable completion snapshot and close the open assignment."""
    completed_at = completed_at or timezone.now()
    completed_on = completed_at.astimezone(agency_time_zone()).date()
    for _ in range(5):
        code = Completion.new_code()
        if not Completion.objects.filter(certificate_code=code).exists():
            break
    completion = Completion.objects.create(
        staff=staff,
        course=course,
        course_title=course.title,
        course_version=course.version,
        score=score,
        ce_hours=course.ce_hours,
        completed_at=completed_at,
        retrain_due_on=retrain_due_on(
            completed_on=completed_on, months=course.retrain_months
        ),
        certificate_code=code,
    )
    for assignment in Assignment.objects.filter(
        staff=staff, course=course, completion__isnull=True
    ):
        assignment.completion = completion
        assignment.save(update_fields=["completion"])
    return completion


@transaction.atomic
def course_complete_if_done(
    *, staff: StaffProfile, course: CoursePage
) -> Completion | None:
    """Complete the course when every step of the current cycle is done."""
    from .selectors import course_progress, quiz_state

    # Serialise completions of one person (a double click must not complete twice).
    StaffProfile.objects.select_for_update().filter(pk=staff.pk).first()
    progress = course_progress(staff=staff, course=course)
    if progress.is_complete or not progress.all_done:
        return None
    score = None
    if progress.quiz is not None:
        score = quiz_state(staff=staff, quiz=progress.quiz).best_score
    return completion_record(staff=staff, course=course, score=score)
