"""Benchmark of the team matrix on PostgreSQL (run by hand; prints its figures).

    DATABASE_URL=postgres://root@127.0.0.1:5432/milieu_bench_matrix \
        /work/main/.venv/bin/python bench/team_matrix.py

Seeds 5,000 staff whose job roles each require 15 skill checklists (the real
"skill" provider, not synthetic ones: every cell is computed by shipped code from
~100,000 sign-offs), then measures pages of 50 people through Django's test
client: queries per page, median and p95 over 100 requests, and the same page
rendered the naive way (one ORM query per person and cell) for the ratio.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault(
    "DATABASE_URL", "postgres://root@127.0.0.1:5432/milieu_bench_matrix"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
os.environ.setdefault("MILIEU_VAR_DIR", "/tmp/milieu-bench-var")

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "5000"))
REQUIREMENTS = 15
TEAM_SIZE = 50
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
AS_OF = dt.date(2026, 11, 25)


def ensure_database() -> None:
    """Create the benchmark database if it does not exist yet."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        return
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    ensure_database()
    from django.conf import settings

    settings.DEBUG = False  # no query log: measure what production does
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(people: int = PEOPLE) -> dict:
    """Top the database up to ``people`` staff in teams of 50, in bulk."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction

    from portal.models import Agency, JobRole, Program, Site, StaffProfile, Team, User
    from portal.roles import Role
    from skills.models import (
        SkillChecklist,
        SkillChecklistItem,
        SkillRequirement,
        SkillSignOff,
    )

    rng = random.Random(42)
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
        checklists = []
        for n in range(REQUIREMENTS):
            checklist, created = SkillChecklist.objects.get_or_create(
                name=f"Bench skill {n:02d}",
                defaults={"recheck_months": [None, 12, 24][n % 3]},
            )
            if created:
                SkillChecklistItem.objects.create(checklist=checklist, text="Step")
                for role in roles:
                    SkillRequirement.objects.create(
                        checklist=checklist,
                        job_role=role,
                        due_rule="before_first_shift" if n < 4 else "within_days",
                    )
            checklists.append(checklist)
        staff_group = Group.objects.get(name=Role.STAFF.value)
        sup_group = Group.objects.get(name=Role.SUPERVISOR.value)
        hr_group = Group.objects.get(name=Role.HR.value)
        password = make_password("bench-password-1")
        hr, created = User.objects.get_or_create(
            email="hr@bench.local", defaults={"password": password}
        )
        if created:
            hr.groups.add(staff_group, hr_group)
        signer = hr
        have = StaffProfile.objects.count()
        teams = list(Team.objects.order_by("pk"))
        batch_users, batch_staff = [], []
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
        for offset, user in enumerate(users):
            n = have + offset
            batch_staff.append(
                StaffProfile(
                    user=user,
                    employee_id=f"B{n:06d}",
                    job_role=roles[n % 5],
                    team=teams[n // TEAM_SIZE],
                    hire_date=AS_OF - dt.timedelta(days=rng.randint(10, 2000)),
                )
            )
        created_staff = StaffProfile.objects.bulk_create(batch_staff, batch_size=2000)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=staff_group.pk) for u in users],
            batch_size=5000,
        )
        signoffs = []
        for staff in created_staff:
            for checklist in checklists:
                for _ in range(rng.choice([0, 1, 1, 2])):
                    signoffs.append(
                        SkillSignOff(
                            staff=staff,
                            checklist=checklist,
                            observed_on=AS_OF - dt.timedelta(days=rng.randint(1, 900)),
                            signed_by=signer,
                            signature_name="Bench",
                            met=rng.random() > 0.08,
                        )
                    )
        SkillSignOff.objects.bulk_create(signoffs, batch_size=5000)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "people": StaffProfile.objects.count(),
        "signoffs": SkillSignOff.objects.count(),
        "checklists": len(checklists),
        "hr": hr,
        "supervisor": teams[3].supervisors.first(),
    }


def naive_view(request):
    """The same page, computed the obvious way: one query per person and cell."""
    from django.core.paginator import Paginator
    from django.shortcuts import render

    from compliance.forms import MatrixFilterForm
    from compliance.rollup import Readiness, column_totals, columns_of
    from compliance.selectors import MatrixFilters, MatrixRow, matrix_queryset
    from portal.requirements import RequirementStatus
    from portal.selectors import teams_visible_to
    from skills.models import SkillRequirement
    from skills.provider import effective_signoffs, skill_status

    form = MatrixFilterForm(request.GET, teams=teams_visible_to(user=request.user))
    form.is_valid()
    people = matrix_queryset(user=request.user, filters=MatrixFilters(), as_of=AS_OF)
    page = Paginator(people, 50)
    page = page.get_page(request.GET.get("page"))
    rows = []
    for person in page.object_list:
        readiness = Readiness(staff_id=person.pk)
        for req in SkillRequirement.objects.filter(
            job_role_id=person.job_role_id
        ).select_related("checklist"):
            latest = (
                effective_signoffs()
                .filter(staff=person, checklist=req.checklist, observed_on__lte=AS_OF)
                .order_by("-observed_on", "-created_at", "-pk")
                .first()
            )
            status, due = skill_status(
                observed_on=latest.observed_on if latest else None,
                met=bool(latest and latest.met),
                recheck_months=req.checklist.recheck_months,
                as_of=AS_OF,
            )
            readiness.cells[f"skill:{req.checklist_id}"] = RequirementStatus(
                staff_id=person.pk,
                key=f"skill:{req.checklist_id}",
                label=req.checklist.name,
                kind="skill",
                status=status,
                before_first_shift=req.before_first_shift,
                expires_on=due,
            )
        rows.append(MatrixRow(staff=person, readiness=readiness))
    columns = columns_of([r.readiness for r in rows])
    totals = column_totals([r.readiness for r in rows], columns)
    for row in rows:
        row.ordered = [row.readiness.cells.get(c.key) for c in columns]
    return render(
        request,
        "compliance/matrix.html",
        {
            "page": page,
            "rows": rows,
            "columns": columns,
            "form": form,
            "column_info": [{"column": c, "totals": totals[c.key]} for c in columns],
            "as_of": AS_OF,
            "is_today": True,
            "querystring": "",
            "ready_count": 0,
            "compliant_count": 0,
        },
    )


def measure(label: str, call, requests: int = REQUESTS) -> dict:
    from django.db import connection

    for _ in range(3):
        call()
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        response = call()
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    result = {
        "label": label,
        "queries": count[0],
        "median_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "bytes": len(response.content),
    }
    print(
        f"{label:<52} queries {result['queries']:>4}  "
        f"median {result['median_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms"
    )
    return result


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client, RequestFactory

    from compliance import views

    started = time.perf_counter()
    info = seed()
    print(
        f"Database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"{info['people']} staff, {info['checklists']} required skill checklists "
        f"each, {info['signoffs']} sign-offs (seeded/checked in "
        f"{time.perf_counter() - started:.1f} s); as of {AS_OF}."
    )
    hr, supervisor = info["hr"], info["supervisor"]
    client = Client()
    client.force_login(hr)
    url = f"/matrix/?per_page=50&as_of={AS_OF}"
    measure(
        "HR, page 3 of 50 (of all people), test client",
        lambda: client.get(url + "&page=3"),
    )
    sup_client = Client()
    sup_client.force_login(supervisor)
    measure("Supervisor, own team of 50, test client", lambda: sup_client.get(url))
    measure(
        "Supervisor, 'not ready' filter (verdicts first)",
        lambda: sup_client.get(url + "&verdict=not_ready"),
    )
    measure(
        "HR, 'not ready' over all people, first page",
        lambda: client.get(url + "&verdict=not_ready"),
        requests=10,
    )

    # Set-based view against the naive per-cell one, both called directly.
    factory = RequestFactory()

    def request_for(user, query):
        request = factory.get("/matrix/", query)
        request.user = user
        return request

    query = {"per_page": "50", "as_of": str(AS_OF), "page": "3"}
    fast = measure(
        "View only, set-based (ours)", lambda: views.matrix(request_for(hr, query))
    )
    slow = measure(
        "View only, naive per-cell ORM",
        lambda: naive_view(request_for(hr, {"page": "3"})),
        requests=max(10, REQUESTS // 5),
    )
    print(
        f"Naive / set-based: {slow['median_ms'] / fast['median_ms']:.1f}x slower, "
        f"{slow['queries']} vs {fast['queries']} queries."
    )


if __name__ == "__main__":
    main()
