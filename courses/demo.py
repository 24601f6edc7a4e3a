"""Demo training: the starter courses, what each demo job role requires, and a
realistic mix of finished, in-progress, due and overdue training.

Idempotent and additive: only the demo's own people (``demo_staff()``) get
records, a demo person who already has any training record is left alone, and no
record is dated after today.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from portal.dates import start_of_day
from portal.demo import demo_staff
from portal.models import JobRole

from .models import Attestation, Completion, CourseRequirement, LessonProgress
from .services import (
    assignments_create_for_job_role,
    completion_record,
    retraining_assign_due,
)
from .starter_loader import load_starter_courses

DIRECT_CARE_ROLES = [
    "treatment-technician",
    "therapeutic-support-specialist",
    "specialized-tss",
    "treatment-specialist",
    "behavioral-health-professional",
]
NEW_HIRE_EMAIL = "newhire@demo.milieu.local"


@transaction.atomic
def seed(*, today: dt.date, stdout=None) -> None:
    courses = load_starter_courses()
    for role in JobRole.objects.filter(code__in=DIRECT_CARE_ROLES):
        for course in courses:
            CourseRequirement.objects.get_or_create(
                job_role=role,
                course=course,
                defaults={
                    "due_within_days": None,
                    "before_first_shift": course.slug == "hipaa-part2",
                },
            )
    staff_list = list(
        demo_staff()
        .filter(job_role__code__in=DIRECT_CARE_ROLES)
        .select_related("user", "job_role")
        .order_by("employee_id")
    )
    touched = set(
        Completion.objects.values_list("staff_id", flat=True).distinct()
    ) | set(LessonProgress.objects.values_list("staff_id", flat=True).distinct())
    details = {
        c.pk: {
            "lessons": list(c.lessons()),
            "attestation": c.attestation_page(),
        }
        for c in courses
    }
    rng = random.Random(20261125)
    for staff in staff_list:
        assignments_create_for_job_role(staff=staff)
        if staff.pk in touched or staff.user.email == NEW_HIRE_EMAIL:
            continue
        tenure = (today - staff.hire_date).days
        for course in courses:
            info = details[course.pk]
            roll = rng.random()
            if tenure < 30:
                # Recently hired: working through orientation.
                if roll < 0.6:
                    _lessons_done(staff, course, info["lessons"], rng, today)
                continue
            if roll < 0.08:
                continue  # never finished: overdue orientation
            if roll < 0.14:
                _lessons_done(staff, course, info["lessons"], rng, today)
                continue
            days_ago = rng.randint(20, max(20, min(tenure, 400)))
            completed_at = start_of_day(today - dt.timedelta(days=days_ago)) + (
                dt.timedelta(hours=rng.randint(9, 16))
            )
            completion_record(
                staff=staff,
                course=course,
                score=rng.choice([80, 83, 90, 91, 100]),
                completed_at=completed_at,
            )
            page = info["attestation"]
            if page is not None:
                Attestation.objects.create(
                    staff=staff,
                    page=page,
                    policy_title=page.title,
                    policy_version=page.policy_version,
                    policy_text=page.body,
                    statement=page.statement,
                    full_name_signed=staff.full_name,
                    signed_at=completed_at,
                    ip="10.0.0.12",
                )
    created = retraining_assign_due(as_of=today, staff=demo_staff())
    if stdout is not None:
        stdout.write(
            f"Training: {len(courses)} starter courses, "
            f"{Completion.objects.count()} completions, "
            f"{created} new re-training assignments."
        )


def _lessons_done(staff, course, lessons, rng, today) -> None:
    done = rng.randint(1, max(len(lessons) - 1, 1))
    for i, lesson in enumerate(lessons[:done]):
        at = start_of_day(today - dt.timedelta(days=done - i)) + dt.timedelta(hours=10)
        LessonProgress.objects.get_or_create(
            staff=staff,
            lesson=lesson,
            defaults={"course": course, "last_viewed_at": at, "completed_at": at},
        )
