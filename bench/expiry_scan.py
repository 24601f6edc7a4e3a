"""Benchmark the daily credential reminder scan on PostgreSQL.

Seeds N staff (default 100,000) with 10 credential records each (5 types: a
current record and the superseded one it renewed), then times the scan's
select-claim-and-queue phase for one day with the tasks' publish replaced by an
in-memory counter, and runs it a second time the same day (it must queue
nothing). Prints wall time, peak memory and the number of queries.

    python bench/expiry_scan.py --staff 10000
    DATABASE_URL=postgres://root@127.0.0.1:5432/milieu_bench python bench/expiry_scan.py

Targets (issue 4): <= 30 s and <= 300 MB for 1,000,000 credentials; a query
count that does not grow with the rows; 0 queued on the second run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://root@127.0.0.1:5432/milieu_bench"
TYPES = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--team-size", type=int, default=20)
    parser.add_argument(
        "--reuse", action="store_true", help="Keep the seeded rows of a previous run."
    )
    return parser.parse_args()


def recreate_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = (
        parts._replace(path="/postgres")
        .geturl()
        .replace("postgres://", "postgresql://", 1)
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed(staff_count: int, team_size: int, today: dt.date) -> None:
    from django.contrib.auth.models import Group
    from django.db import connection

    from credentials.models import CredentialRequirement, CredentialType
    from portal.models import Agency, JobRole, Program, Site, Team, User

    agency = Agency.objects.create(name="Bench Agency", time_zone="America/New_York")
    site = Site.objects.create(agency=agency, name="Bench site")
    program = Program.objects.create(agency=agency, name="Bench program")
    role = JobRole.objects.create(name="Bench technician", code="bench-tech")
    types = [
        CredentialType.objects.create(
            name=f"Bench credential {i}", code=f"bench-{i}", validity_months=24
        )
        for i in range(TYPES)
    ]
    for ctype in types:
        CredentialRequirement.objects.create(
            job_role=role, credential_type=ctype, due_within_days=30
        )
    hr_group, _ = Group.objects.get_or_create(name="HR")
    for i in range(3):
        User.objects.create(email=f"hr{i}@bench.example.org").groups.add(hr_group)
    teams = staff_count // team_size + 1
    Team.objects.bulk_create(
        [Team(name=f"Team {i}", site=site, program=program) for i in range(teams)],
        batch_size=5000,
    )
    first_team = Team.objects.order_by("pk").first().pk
    with connection.cursor() as cur:
        cur.execute("SELECT setseed(0.42)")
        # Users: staff, then one supervisor per team.
        cur.execute(
            """
            INSERT INTO portal_user (password, is_superuser, first_name, last_name,
                is_staff, is_active, date_joined, email)
            SELECT '!', false, 'Staff', 'Member ' || g, false, true, now(),
                   'staff' || g || '@bench.example.org'
              FROM generate_series(1, %s) g
            """,
            [staff_count],
        )
        cur.execute(
            """
            INSERT INTO portal_staffprofile (user_id, employee_id, job_role_id, team_id,
                hire_date, status, created_at)
            SELECT u.id, 'B' || u.id, %s, %s + ((u.id) %% %s), %s, 'active', now()
              FROM portal_user u WHERE u.email LIKE 'staff%%@bench.example.org'
            """,
            [role.pk, first_team, teams, today - dt.timedelta(days=900)],
        )
        cur.execute(
            """
            INSERT INTO portal_user (password, is_superuser, first_name, last_name,
                is_staff, is_active, date_joined, email)
            SELECT '!', false, 'Super', 'Visor ' || t.id, false, true, now(),
                   'sup' || t.id || '@bench.example.org'
              FROM portal_team t
            """
        )
        cur.execute(
            """
            INSERT INTO portal_team_supervisors (team_id, user_id)
            SELECT t.id, u.id FROM portal_team t
              JOIN portal_user u ON u.email = 'sup' || t.id || '@bench.example.org'
            """
        )
        # Old records (expired, each superseded by a renewal) ...
        cur.execute(
            """
            INSERT INTO credentials_credential (staff_id, credential_type_id, number,
                issuing_body, state, issued_on, expires_on, verification_status,
                rejection_reason, primary_source_note, created_at)
            SELECT sid, tid, 'N' || sid || '-' || tid, 'Issuer', '',
                   d - 730, d, 'verified', '', '', now() - interval '800 days'
              FROM (SELECT s.id AS sid, t.id AS tid,
                           CAST(%s AS date) - (30 + floor(random() * 700))::int AS d
                      FROM portal_staffprofile s
                     CROSS JOIN credentials_credentialtype t) x
            """,
            [today],
        )
        # ... and the current records: ~4%% expired, ~12%% within 90 days.
        cur.execute(
            """
            INSERT INTO credentials_credential (staff_id, credential_type_id, number,
                issuing_body, state, issued_on, expires_on, verification_status,
                rejection_reason, primary_source_note, created_at, supersedes_id)
            SELECT staff_id, credential_type_id, number || 'R', 'Issuer', '',
                   d - 730, d,
                   CASE WHEN random() < 0.02 THEN 'pending' ELSE 'verified' END,
                   '', '', now() - interval '10 days', id
              FROM (SELECT o.*, CAST(%s AS date) - 30 + floor(random() * 760)::int AS d
                      FROM credentials_credential o) x
            """,
            [today],
        )
        cur.execute(
            """
            UPDATE credentials_credential o SET superseded_by_id = n.id
              FROM credentials_credential n WHERE n.supersedes_id = o.id
            """
        )
        cur.execute("ANALYZE")


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def run_scan(today: dt.date, label: str) -> dict:
    import gc

    from django.db import connection

    from credentials import tasks
    from credentials.reminders import reminder_scan

    published = {"tasks": 0, "ids": 0}

    def fake_apply_async(args=None, kwargs=None, **options):
        published["tasks"] += 1
        published["ids"] += len(args[0])

    tasks.send_reminders.apply_async = fake_apply_async
    counter = QueryCounter()
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = reminder_scan(today=today)
    wall = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures = {
        "run": label,
        "claimed": result.claimed,
        "queued ids": published["ids"],
        "tasks published": published["tasks"],
        "wall s": round(wall, 2),
        "peak python MB (tracemalloc)": round(peak / 1e6, 1),
        "max RSS MB (process)": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        ),
        "queries": counter.count,
    }
    return figures


def main() -> None:
    args = parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ.setdefault("MILIEU_VAR_DIR", tempfile.mkdtemp(prefix="milieu-bench-"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not args.reuse:
        recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    from credentials.models import Credential, ReminderLog

    today = dt.date(2026, 11, 25)
    if not args.reuse:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        seed(args.staff, args.team_size, today)
        print(
            f"seeded in {time.perf_counter() - started:.1f} s (not part of the target)"
        )
    else:
        ReminderLog.objects.all().delete()
    print(
        f"{args.staff:,} staff, {Credential.objects.count():,} credentials "
        f"({Credential.objects.filter(superseded_by__isnull=True).count():,} current)"
    )
    for label in ("first run", "second run, same day"):
        figures = run_scan(today, label)
        print(" | ".join(f"{k}: {v}" for k, v in figures.items()))
    print(f"ReminderLog rows: {ReminderLog.objects.count():,}")


if __name__ == "__main__":
    main()
