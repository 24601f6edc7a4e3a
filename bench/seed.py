"""The benchmarks' agency: a bulk seeder of realistic data (used by bench/http.py and
bench/team_matrix.py; run by them, not on its own).

Each person's job role requires 3 courses, 5 credential types and 15 skill
checklists (23 requirements). The records are a realistic mix: most courses
completed (some due for re-training), the rest assigned and partly done; most
credentials verified and current, some expiring, expired, pending verification
or missing; one or two sign-offs per skill, a few not met. About 3% of the
people have left (terminated) and about 5% were hired in the last month. Teams
of 50 with a supervisor each, on 5 sites and 4 programs. HR and supervisors have
an authenticator app set up (production makes them).

Everything is written with ``bulk_create`` (20,000 people in a few minutes).
``seed()`` tops the database up to the number of people asked for; it never
changes what is there.
"""

from __future__ import annotations

import datetime as dt
import random

TEAM_SIZE = 50
COURSES = 3
CREDENTIALS = 5
SKILLS = 15
PASSWORD = "bench-password-1"
HR_EMAIL = "hr@bench.local"


def skill_models():
    from skills import models

    return models


def _today() -> dt.date:
    from portal.dates import agency_today

    return agency_today()


def _requirements(*, roles, today):
    """The 3 + 5 + 15 requirements of every job role (created once)."""
    from courses.models import CourseRequirement
    from courses.starter_loader import load_starter_courses
    from credentials.models import CredentialRequirement, CredentialType

    sk = skill_models()
    courses = sorted(load_starter_courses(), key=lambda c: c.slug)[:COURSES]
    for n, course in enumerate(courses):
        for role in roles:
            CourseRequirement.objects.get_or_create(
                course=course,
                job_role=role,
                program=None,
                site=None,
                defaults={
                    "due_rule": "before_first_shift" if n == 0 else "within_days",
                    "due_within_days": None if n == 0 else 30,
                },
            )
    types = []
    for n in range(CREDENTIALS):
        ctype, _ = CredentialType.objects.get_or_create(
            code=f"bench-cred-{n}",
            defaults={
                "name": f"Bench credential {n}",
                "validity_months": [12, 24, 24, 36, 12][n],
                "category": "licence" if n == 3 else "certification",
            },
        )
        types.append(ctype)
        for role in roles:
            CredentialRequirement.objects.get_or_create(
                credential_type=ctype,
                job_role=role,
                program=None,
                site=None,
                defaults={"due_rule": "before_first_shift" if n < 2 else "within_days"},
            )
    checklists = []
    for n in range(SKILLS):
        checklist, created = sk.SkillChecklist.objects.get_or_create(
            name=f"Bench skill {n:02d}",
            defaults={"recheck_months": [None, 12, 24][n % 3]},
        )
        if created:
            sk.SkillChecklistItem.objects.create(checklist=checklist, text="Step")
        for role in roles:
            sk.SkillRequirement.objects.get_or_create(
                checklist=checklist,
                job_role=role,
                program=None,
                site=None,
                defaults={"due_rule": "before_first_shift" if n < 4 else "within_days"},
            )
        checklists.append(checklist)
    return courses, types, checklists


def _authenticator(user) -> None:
    """An authenticator app, as production requires of HR and supervisors."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
    )


def seed(*, people: int, today: dt.date | None = None, seed: int = 42) -> dict:
    """Top the database up to ``people`` staff; returns who to log in as."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from courses.models import Assignment, Completion, LessonPage, LessonProgress
    from credentials.models import Credential
    from portal.models import Agency, JobRole, Program, Site, StaffProfile, Team, User
    from portal.roles import Role

    sk = skill_models()
    today = today or _today()
    zone = timezone.get_default_timezone()
    rng = random.Random(seed)
    with transaction.atomic():
        agency, _ = Agency.objects.get_or_create(pk=1, defaults={"name": "Bench"})
        sites = [
            Site.objects.get_or_create(agency=agency, name=f"Site {n}")[0]
            for n in range(5)
        ]
        programs = [
            Program.objects.get_or_create(agency=agency, name=f"Program {n}")[0]
            for n in range(4)
        ]
        roles = [
            JobRole.objects.get_or_create(
                code=f"bench-role-{n}", defaults={"name": f"Bench role {n}"}
            )[0]
            for n in range(5)
        ]
        courses, types, checklists = _requirements(roles=roles, today=today)
        lessons = {
            c.pk: list(
                LessonPage.objects.child_of(c).live().values_list("pk", flat=True)
            )
            for c in courses
        }
        staff_group = Group.objects.get(name=Role.STAFF.value)
        sup_group = Group.objects.get(name=Role.SUPERVISOR.value)
        hr_group = Group.objects.get(name=Role.HR.value)
        password = make_password(PASSWORD)
        hr, created = User.objects.get_or_create(
            email=HR_EMAIL,
            defaults={"password": password, "first_name": "Hank", "last_name": "R"},
        )
        if created:
            hr.groups.add(staff_group, hr_group)
            _authenticator(hr)
        have = StaffProfile.objects.filter(employee_id__startswith="B").count()
        teams = list(Team.objects.filter(name__startswith="Team ").order_by("pk"))
        batch_users = []
        for n in range(have, people):
            if n // TEAM_SIZE >= len(teams):
                t = len(teams)
                team = Team.objects.create(
                    name=f"Team {t}", site=sites[t % 5], program=programs[t % 4]
                )
                supervisor = User.objects.create(
                    email=f"supervisor{t}@bench.local",
                    password=password,
                    first_name="Super",
                    last_name=f"Visor {t}",
                )
                supervisor.groups.add(staff_group, sup_group)
                _authenticator(supervisor)
                team.supervisors.add(supervisor)
                teams.append(team)
            batch_users.append(
                User(
                    email=f"person{n}@bench.local",
                    password=password,
                    first_name=f"First{n}",
                    last_name=f"Last{n:05d}",
                )
            )
        users = User.objects.bulk_create(batch_users, batch_size=2000)
        batch_staff = []
        for offset, user in enumerate(users):
            n = have + offset
            roll = rng.random()
            if roll < 0.05:  # a new hire, still in orientation
                hired = today - dt.timedelta(days=rng.randint(0, 30))
            else:
                hired = today - dt.timedelta(days=rng.randint(31, 2500))
            status, ended = StaffProfile.Status.ACTIVE, None
            if 0.05 <= roll < 0.08:
                status = StaffProfile.Status.TERMINATED
                ended = today - dt.timedelta(days=rng.randint(1, 400))
                hired = min(hired, ended - dt.timedelta(days=30))
            elif 0.08 <= roll < 0.09:
                status = StaffProfile.Status.ON_LEAVE
            batch_staff.append(
                StaffProfile(
                    user=user,
                    employee_id=f"B{n:06d}",
                    job_role=roles[n % 5],
                    team=teams[n // TEAM_SIZE],
                    hire_date=hired,
                    status=status,
                    termination_date=ended,
                )
            )
        created_staff = StaffProfile.objects.bulk_create(batch_staff, batch_size=2000)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=staff_group.pk) for u in users],
            batch_size=5000,
        )

        def at(day: dt.date) -> dt.datetime:
            return dt.datetime.combine(day, dt.time(10, rng.randint(0, 59)), zone)

        # Courses: completed (some since due for re-training) or assigned.
        completions, assignments, progress = [], [], []
        code = Completion.objects.count()
        for staff in created_staff:
            for course in courses:
                due = staff.hire_date + dt.timedelta(days=30)
                if rng.random() < 0.72 and staff.hire_date < today:
                    span = max((today - staff.hire_date).days, 1)
                    done_on = today - dt.timedelta(days=rng.randint(0, min(span, 900)))
                    retrain = (
                        done_on + dt.timedelta(days=30 * course.retrain_months)
                        if course.retrain_months
                        else None
                    )
                    code += 1
                    completion = Completion(
                        staff=staff,
                        course=course,
                        course_title=course.title,
                        course_version=course.version,
                        score=rng.randint(80, 100),
                        completed_at=at(done_on),
                        retrain_due_on=retrain,
                        certificate_code=f"BENCH-{code:012d}",
                    )
                    completions.append(completion)
                    assignments.append(
                        Assignment(
                            staff=staff,
                            course=course,
                            due_on=due,
                            source=Assignment.Source.ORIENTATION,
                            created_at=at(staff.hire_date),
                            completion=completion,
                        )
                    )
                    if retrain and retrain < today + dt.timedelta(days=30):
                        assignments.append(
                            Assignment(
                                staff=staff,
                                course=course,
                                due_on=retrain,
                                source=Assignment.Source.RETRAINING,
                                created_at=at(retrain - dt.timedelta(days=30)),
                                previous_completion=completion,
                            )
                        )
                    continue
                assignments.append(
                    Assignment(
                        staff=staff,
                        course=course,
                        due_on=due,
                        source=Assignment.Source.ORIENTATION,
                        created_at=at(staff.hire_date),
                    )
                )
                for lesson_id in lessons[course.pk][: rng.randint(0, 3)]:
                    progress.append(
                        LessonProgress(
                            staff=staff,
                            lesson_id=lesson_id,
                            course=course,
                            last_viewed_at=at(today),
                            completed_at=at(today),
                        )
                    )
        Completion.objects.bulk_create(completions, batch_size=5000)
        for a in assignments:  # the completion's primary key is known now
            a.completion_id = a.completion.pk if a.completion else None
            a.previous_completion_id = (
                a.previous_completion.pk if a.previous_completion else None
            )
        Assignment.objects.bulk_create(assignments, batch_size=5000)
        LessonProgress.objects.bulk_create(progress, batch_size=5000)

        # Credentials: current, expiring, expired, pending, returned or missing.
        credentials = []
        verified = Credential.Verification.VERIFIED
        for staff in created_staff:
            for ctype in types:
                roll = rng.random()
                if roll < 0.05:
                    continue  # missing
                if roll < 0.72:
                    expires = today + dt.timedelta(days=rng.randint(91, 700))
                elif roll < 0.82:
                    expires = today + dt.timedelta(days=rng.randint(0, 90))
                else:
                    expires = today - dt.timedelta(days=rng.randint(1, 400))
                state = verified
                if 0.92 <= roll < 0.97:
                    state = Credential.Verification.PENDING
                    expires = today + dt.timedelta(days=rng.randint(200, 700))
                elif roll >= 0.97:
                    state = Credential.Verification.REJECTED
                issued = min(
                    expires - dt.timedelta(days=30 * ctype.validity_months), today
                )
                decided = at(issued) if state != "pending" else None
                credentials.append(
                    Credential(
                        staff=staff,
                        credential_type=ctype,
                        number=f"N{staff.pk}-{ctype.pk}",
                        issuing_body="Bench Board",
                        issued_on=issued,
                        expires_on=expires,
                        verification_status=state,
                        verified_by=hr if state != "pending" else None,
                        verified_at=decided,
                        rejection_reason="Unreadable" if state == "rejected" else "",
                        created_at=at(issued),
                    )
                )
        Credential.objects.bulk_create(credentials, batch_size=5000)

        # Skills: one or two sign-offs per checklist, a few not met.
        signoffs = []
        for staff in created_staff:
            for checklist in checklists:
                for _ in range(rng.choice([0, 1, 1, 2])):
                    signoffs.append(
                        sk.SkillSignOff(
                            staff=staff,
                            checklist=checklist,
                            observed_on=today - dt.timedelta(days=rng.randint(1, 900)),
                            signed_by=hr,
                            signature_name="Bench",
                            met=rng.random() > 0.08,
                        )
                    )
        sk.SkillSignOff.objects.bulk_create(signoffs, batch_size=5000)
    if connection.vendor == "postgresql" and created_staff:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return who(today=today)


def who(*, today: dt.date | None = None) -> dict:
    """The people the benchmarks log in as, and the size of the agency."""
    from courses.models import Assignment
    from portal.models import StaffProfile, Team, User

    sk = skill_models()
    today = today or _today()
    teams = Team.objects.filter(name__startswith="Team ").order_by("pk")
    team = teams[3] if teams.count() > 3 else teams.first()
    # A typical learner: on staff, with open training and some progress.
    learner = (
        StaffProfile.objects.current(as_of=today)
        .filter(
            employee_id__startswith="B",
            pk__in=Assignment.objects.filter(completion__isnull=True).values("staff"),
        )
        .select_related("user")
        .order_by("pk")[7]
    )
    return {
        "people": StaffProfile.objects.count(),
        "signoffs": sk.SkillSignOff.objects.count(),
        "hr": User.objects.get(email=HR_EMAIL),
        "supervisor": team.supervisors.first(),
        "team": team,
        "learner": learner.user,
    }
