"""Demo organization: one agency, its sites, programs, teams and ~40 staff.

Idempotent: every row is found by a natural key before it is created, so running
it twice changes nothing. The demo people are the users whose email is at
``DEMO_DOMAIN``: every app's demo loader touches only them (``demo_staff()``), so
people the agency adds by hand or by import are never given invented records.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import Agency, JobRole, Program, Site, StaffProfile, Team, User
from .roles import Role
from .services import user_set_roles

DEMO_PASSWORD = "milieu-demo-2026"
DEMO_DOMAIN = "demo.milieu.local"

JOB_ROLES = [
    (
        "treatment-technician",
        "Treatment Technician",
        "Direct care on a residential unit: supervision, vital signs, medication "
        "observation, urine drug screens, transports.",
        14,
    ),
    (
        "therapeutic-support-specialist",
        "Therapeutic Support Specialist",
        "Implements behavior support plans one-to-one in home, school and community.",
        30,
    ),
    (
        "specialized-tss",
        "Specialized Therapeutic Support Specialist",
        "A senior TSS who writes and adjusts behavior plans and coaches other TSS.",
        30,
    ),
    (
        "treatment-specialist",
        "Treatment Specialist",
        "Assessment, individual and group counseling, treatment planning and case "
        "management.",
        30,
    ),
    (
        "behavioral-health-professional",
        "Behavioral Health Professional",
        "Licensed or associate-licensed clinician: risk assessment, diagnosis, "
        "therapy and clinical supervision.",
        30,
    ),
]

FIRST = (
    "Ava Ben Carla Dev Elena Farah Gabe Hana Ian Jada Kofi Lena Marco Nia Omar "
    "Priya Quinn Rosa Sam Tara Uma Victor Wren Xavier Yara Zane Amir Bianca Caleb "
    "Dana Eli Fiona Grant Hector Isla Jonah Keisha Liam Maya Noah"
).split()
LAST = (
    "Alvarez Brooks Chen Diaz Evans Foster Garcia Hughes Ibrahim Johnson Kim Lopez "
    "Mensah Nguyen Okafor Patel Quintero Rivera Singh Thompson Underwood Vasquez "
    "Walker Xu Young Zimmerman Abbott Bell Castillo Duarte Ellis Fischer Gupta "
    "Holt Irving Jensen Kowalski Larsen Moreno Novak"
).split()


def demo_staff():
    """The staff profiles the demo created (their email is at the demo domain)."""
    return StaffProfile.objects.filter(user__email__iendswith=f"@{DEMO_DOMAIN}")


def is_demo_user(user: User) -> bool:
    """Whether ``user`` is one of the demo's own people."""
    return (user.email or "").lower().endswith(f"@{DEMO_DOMAIN}")


@dataclass
class DemoLogin:
    role: str
    name: str
    email: str


_hashed: dict[str, str] = {}


def _user(email: str, first: str, last: str, roles: set[Role], **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        if "pw" not in _hashed:  # hash once: forty slow hashes add nothing
            _hashed["pw"] = make_password(DEMO_PASSWORD)
        user = User.objects.create(
            email=email,
            password=_hashed["pw"],
            first_name=first,
            last_name=last,
            **extra,
        )
        user_set_roles(user=user, roles=roles)
    return user


@transaction.atomic
def seed_organisation(*, today: dt.date) -> list[DemoLogin]:
    """Create the demo agency and people; return the logins to print."""
    rng = random.Random(20261125)
    agency, _ = Agency.objects.get_or_create(
        pk=1, defaults={"name": "Riverbend Behavioral Health"}
    )
    north, _ = Site.objects.get_or_create(
        agency=agency,
        name="Northside Residential",
        defaults={"address": "120 Birch Lane"},
    )
    clinic, _ = Site.objects.get_or_create(
        agency=agency, name="Downtown Clinic", defaults={"address": "45 Main Street"}
    )
    adolescent, _ = Program.objects.get_or_create(
        agency=agency, name="Adolescent Residential"
    )
    outpatient, _ = Program.objects.get_or_create(
        agency=agency, name="Adult Outpatient SUD"
    )
    school, _ = Program.objects.get_or_create(
        agency=agency, name="School-Based Services"
    )
    roles = {}
    for code, name, description, days in JOB_ROLES:
        roles[code], _ = JobRole.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "orientation_days": days,
            },
        )

    teams = {}
    for name, site, program in [
        ("Cedar House", north, adolescent),
        ("Maple House", north, adolescent),
        ("Outpatient Team", clinic, outpatient),
        ("School Partners", clinic, school),
    ]:
        teams[name], _ = Team.objects.get_or_create(
            name=name, site=site, defaults={"program": program}
        )

    logins: list[DemoLogin] = []
    sup1 = _user(
        f"supervisor1@{DEMO_DOMAIN}", "Sofia", "Marsh", {Role.STAFF, Role.SUPERVISOR}
    )
    sup2 = _user(
        f"supervisor2@{DEMO_DOMAIN}", "Marcus", "Reed", {Role.STAFF, Role.SUPERVISOR}
    )
    hr = _user(f"hr@{DEMO_DOMAIN}", "Helen", "Park", {Role.STAFF, Role.HR})
    admin = _user(
        f"admin@{DEMO_DOMAIN}",
        "Alex",
        "Admin",
        {Role.ADMIN},
        is_staff=True,
        is_superuser=True,
    )
    author = _user(
        f"author@{DEMO_DOMAIN}", "Tomas", "Writer", {Role.STAFF, Role.AUTHOR}
    )
    teams["Cedar House"].supervisors.add(sup1)
    teams["Maple House"].supervisors.add(sup1)
    teams["Outpatient Team"].supervisors.add(sup2)
    teams["School Partners"].supervisors.add(sup2)
    for user, employee_id, role, team, days_ago in [
        (sup1, "E0001", "behavioral-health-professional", "Cedar House", 1400),
        (sup2, "E0002", "behavioral-health-professional", "Outpatient Team", 2100),
    ]:
        StaffProfile.objects.get_or_create(
            user=user,
            defaults={
                "employee_id": employee_id,
                "job_role": roles[role],
                "team": teams[team],
                "hire_date": today - dt.timedelta(days=days_ago),
            },
        )

    # Direct-care staff, spread over the teams and job roles.
    plan = [
        ("Cedar House", "treatment-technician", 7),
        ("Cedar House", "treatment-specialist", 2),
        ("Cedar House", "behavioral-health-professional", 1),
        ("Maple House", "treatment-technician", 6),
        ("Maple House", "treatment-specialist", 2),
        ("Maple House", "behavioral-health-professional", 1),
        ("Outpatient Team", "treatment-specialist", 4),
        ("Outpatient Team", "behavioral-health-professional", 3),
        ("Outpatient Team", "treatment-technician", 2),
        ("School Partners", "therapeutic-support-specialist", 6),
        ("School Partners", "specialized-tss", 3),
    ]
    n = 0

    for team_name, role_code, count in plan:
        for _ in range(count):
            first, last = FIRST[n % len(FIRST)], LAST[n % len(LAST)]
            email = f"{first.lower()}.{last.lower()}@{DEMO_DOMAIN}"
            employee_id = f"E{1000 + n}"
            n += 1
            # About one in six hired this month, the rest over the last six years.
            if n % 6 == 1:
                hired = today - dt.timedelta(
                    days=rng.randint(0, min(today.day - 1, 20))
                )
            else:
                hired = today - dt.timedelta(days=rng.randint(45, 6 * 365))
            user = _user(email, first, last, {Role.STAFF})
            StaffProfile.objects.get_or_create(
                user=user,
                defaults={
                    "employee_id": employee_id,
                    "job_role": roles[role_code],
                    "team": teams[team_name],
                    "hire_date": hired,
                },
            )
    # The new hire the demo is written around: hired three days ago.
    newbie = _user(f"newhire@{DEMO_DOMAIN}", "Jordan", "Blake", {Role.STAFF})
    StaffProfile.objects.get_or_create(
        user=newbie,
        defaults={
            "employee_id": "E0999",
            "job_role": roles["treatment-technician"],
            "team": teams["Cedar House"],
            "hire_date": today - dt.timedelta(days=3),
        },
    )
    logins += [
        DemoLogin(
            "New hire (Treatment Technician, Cedar House)", str(newbie), newbie.email
        ),
        DemoLogin("Supervisor (Cedar House, Maple House)", str(sup1), sup1.email),
        DemoLogin(
            "Supervisor (Outpatient Team, School Partners)", str(sup2), sup2.email
        ),
        DemoLogin("HR", str(hr), hr.email),
        DemoLogin("Content author", str(author), author.email),
        DemoLogin("Admin (also Django admin)", str(admin), admin.email),
    ]
    return logins
