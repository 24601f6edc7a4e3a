"""What training adds to the weekly digest: overdue courses and locked quizzes."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format

from portal.models import StaffProfile, StaffProfileQuerySet
from portal.registry import DigestLine, DigestSection

from .models import Assignment, QuizAttempt, QuizPage
from .selectors import quiz_state


def digest_overdue_training(
    *, staff_qs: StaffProfileQuerySet, today: dt.date
) -> DigestSection:
    """Open assignments past their due date."""
    rows = (
        Assignment.objects.filter(
            staff__in=staff_qs, completion__isnull=True, due_on__lt=today
        )
        .select_related("staff__user", "course")
        .order_by("due_on", "staff__user__last_name", "pk")
    )
    return DigestSection(
        key="overdue_training",
        title="Training overdue",
        lines=[
            DigestLine(
                staff_id=a.staff_id,
                name=a.staff.full_name,
                text=f"{a.course.title}, due {date_format(a.due_on, 'DATE_FORMAT')}",
            )
            for a in rows
        ],
    )


def digest_locked_quizzes(
    *, staff_qs: StaffProfileQuerySet, today: dt.date
) -> DigestSection:
    """Quizzes a person has no attempts left at, waiting for a reset."""
    candidates = (
        QuizAttempt.objects.filter(
            staff__in=staff_qs,
            reset__isnull=True,
            submitted_at__isnull=False,
            passed=False,
            quiz__live=True,
            quiz__attempts_allowed__gt=0,
        )
        .values_list("staff_id", "quiz_id")
        .distinct()
    )
    pairs = sorted(set(candidates))
    people = StaffProfile.objects.select_related("user").in_bulk([s for s, _ in pairs])
    quizzes = QuizPage.objects.in_bulk([q for _, q in pairs])
    lines = []
    for staff_id, quiz_id in pairs:
        staff, quiz = people[staff_id], quizzes[quiz_id]
        state = quiz_state(staff=staff, quiz=quiz)
        if state.exhausted:
            lines.append(
                DigestLine(
                    staff_id=staff_id,
                    name=staff.full_name,
                    text=f"{quiz.get_parent().title} ({quiz.title}): all "
                    f"{state.attempts_allowed} attempts used; reset it from their "
                    "page",
                )
            )
    lines.sort(key=lambda line: (line.name, line.text))
    return DigestSection(
        key="locked_quizzes", title="Locked out of a quiz", lines=lines
    )
