"""Demo training: the starter courses, what each demo job role requires, and a
realistic mix of finished, in-progress, due and overdue training.

Idempotent and additive: only the demo's own people (``demo_staff()``) get
records, a demo person who already has any training record is left alone, and no
record is dated after today.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from portal.dates import start_of_day
from portal.demo import demo_staff
from portal.models import JobRole, Program
from portal.requirements import people_for

from .models import (
    Assignment,
    Attestation,
    Completion,
    CoursePage,
    CourseRequirement,
    LessonProgress,
)
from .selectors import course_requirements_of
from .services import (
    assignment_create,
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
ORIENTATION = ("crisis-prevention", "trauma-informed-care", "hipaa-part2")


DIRECT_CARE_ONLY = [
    "treatment-technician",
    "therapeutic-support-specialist",
    "specialized-tss",
]
TECHNICIANS = ["treatment-technician"]  # urine drug screens, first aid
SUD_PROGRAMS = ["Adult Outpatient SUD"]
# Courses other content may add: (slug, job role codes, program names); all empty
# means everyone. Skipped silently while the course is not loaded.
NEW_COURSES = [
    ("suicide-risk", DIRECT_CARE_ROLES, []),
    ("mandated-reporting", [], []),
    ("overdose-naloxone", DIRECT_CARE_ONLY, SUD_PROGRAMS),
    ("bloodborne-pathogens", TECHNICIANS, []),
]
ROLLOUT_DAYS = 30  # staff already working get a month for a newly required course


def _require_new_courses(*, today: dt.date) -> list[CoursePage]:
    """Require the newer courses that are loaded, and give the people already on
    staff a month from today rather than a date long past."""
    roles = {r.code: r for r in JobRole.objects.all()}
    programs = {p.name: p for p in Program.objects.all()}
    added = []
    for slug, role_codes, program_names in NEW_COURSES:
        course = CoursePage.objects.filter(slug=slug).first()
        if course is None:
            continue
        added.append(course)
        targets: list[tuple[JobRole | None, Program | None]] = [
            (roles.get(c), None) for c in role_codes if c in roles
        ]
        targets += [(None, programs.get(n)) for n in program_names if n in programs]
        if not role_codes and not program_names:
            targets = [(None, None)]
        for role, program in targets:
            CourseRequirement.objects.get_or_create(
                job_role=role,
                program=program,
                site=None,
                course=course,
                defaults={"due_rule": CourseRequirement.DueRule.WITHIN_DAYS},
            )
    if not added:
        return added
    staff_list = list(demo_staff().current())
    people = {p.staff_id: p for p in people_for(staff_ids=[s.pk for s in staff_list])}
    reqs = course_requirements_of(people=list(people.values()))
    new_ids = {c.pk for c in added}
    for staff in staff_list:
        person = people[staff.pk]
        for req in reqs.get(staff.pk, []):
            if req.course_id not in new_ids:
                continue
            due = req.due_on(
                hire_date=staff.hire_date, orientation_days=person.orientation_days
            )
            if due is None:
                continue
            assignment_create(
                staff=staff,
                course=req.course,
                due_on=max(due, today + dt.timedelta(days=ROLLOUT_DAYS)),
                source=Assignment.Source.ORIENTATION,
            )
    return added


@transaction.atomic
def seed(*, today: dt.date, stdout=None) -> None:
    # Every shipped course is loaded; the first three are the orientation of the
    # direct-care roles, the newer ones are required role by role below.
    courses = [c for c in load_starter_courses() if c.slug in ORIENTATION]
    for role in JobRole.objects.filter(code__in=DIRECT_CARE_ROLES):
        for course in courses:
            CourseRequirement.objects.get_or_create(
                job_role=role,
                program=None,
                site=None,
                course=course,
                defaults={
                    "due_within_days": None,
                    "due_rule": CourseRequirement.DueRule.BEFORE_FIRST_SHIFT
                    if course.slug == "hipaa-part2"
                    else CourseRequirement.DueRule.WITHIN_DAYS,
                },
            )
    # Before the orientation assignments below, so nobody gets a date long past.
    new_courses = _require_new_courses(today=today)
    staff_list = list(
        demo_staff()
        .filter(job_role__code__in=DIRECT_CARE_ROLES)
        .select_related("user", "job_role")
        .order_by("employee_id")
    )
    touched = set(
        Completion.objects.values_list("staff_id", flat=True).distinct()
    ) | set(LessonProgress.objects.values_list("staff_id", flat=True).distinct())
    details: dict[int, dict[str, Any]] = {
        c.pk: {
            "lessons": list(c.lessons()),
            "attestation": c.attestation_page(),
        }
        for c in courses
    }
    for staff in staff_list:
        assignments_create_for_job_role(staff=staff)
        if staff.pk in touched or staff.user.email == NEW_HIRE_EMAIL:
            continue
        # One generator per person: a person the first seed left without any
        # training gets the same rolls again, so a second seed adds nothing.
        rng = random.Random(f"20261125:{staff.user.email}")
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
            f"{len(new_courses)} newer courses required, "
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
