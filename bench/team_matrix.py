"""Benchmark of the team matrix on PostgreSQL (run by hand; prints its figures).

    DATABASE_URL=postgres://root@127.0.0.1:5432/milieu_bench_matrix_all \\
        .venv/bin/python bench/team_matrix.py

Seeds 5,000 staff (``BENCH_PEOPLE``) with bench/seed.py: each person's job role
requires 3 courses, 5 credential types and 15 skill checklists, with a realistic
mix of completions, credentials (current, expiring, expired, pending) and
sign-offs. Then measures pages of 50 people through Django's test client: queries
per page, median and p95 over 100 requests (``BENCH_REQUESTS``).

The comparison: the page for today (the readiness store, once it exists) against
the same page as of yesterday, which the roll-up computes from the dated records
(the code path every page took before the store). Their ratio is what the store
buys; without a store both take the records path and the ratio is about 1.
For the pages over real HTTP (gunicorn), see bench/http_pages.py.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault(
    "DATABASE_URL", "postgres://root@127.0.0.1:5432/milieu_bench_matrix_all"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
os.environ.setdefault("MILIEU_VAR_DIR", "/tmp/milieu-bench-var")

from bench import seed as seeder  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "5000"))
REQUIREMENTS = seeder.COURSES + seeder.CREDENTIALS + seeder.SKILLS
TEAM_SIZE = seeder.TEAM_SIZE
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
# The agency's today (the bench agency keeps the default time zone).
AS_OF = dt.datetime.now(
    zoneinfo.ZoneInfo(os.environ.get("AGENCY_TIME_ZONE", "America/New_York"))
).date()


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
    """Top the database up to ``people`` staff (bench/seed.py), in bulk, then
    rebuild the readiness store when there is one."""
    from django.core.management import call_command, get_commands

    info = seeder.seed(people=people, today=AS_OF)
    if "rebuild_readiness" in get_commands():
        call_command("rebuild_readiness")
    info["checklists"] = REQUIREMENTS
    return info


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
        "p95_ms": times[max(int(len(times) * 0.95) - 1, 0)],
        "bytes": len(response.content),
    }
    print(
        f"{label:<58} queries {result['queries']:>4}  "
        f"median {result['median_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms  "
        f"{result['bytes'] / 1024:6.0f} KB"
    )
    return result


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client

    started = time.perf_counter()
    info = seed()
    print(
        f"Database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"{info['people']} staff, {REQUIREMENTS} requirements each (3 courses, "
        f"5 credentials, 15 skills), {info['signoffs']} sign-offs (seeded/checked "
        f"in {time.perf_counter() - started:.1f} s); today is {AS_OF}."
    )
    hr, supervisor = info["hr"], info["supervisor"]
    client = Client()
    client.force_login(hr)
    sup_client = Client()
    sup_client.force_login(supervisor)
    url = "/matrix/?per_page=50"
    yesterday = f"&as_of={AS_OF - dt.timedelta(days=1)}"
    measure("HR, page 3 of 50 (of all people)", lambda: client.get(url + "&page=3"))
    measure("Supervisor, own team of 50", lambda: sup_client.get(url))
    measure(
        "Supervisor, 'not ready' filter",
        lambda: sup_client.get(url + "&verdict=not_ready"),
    )
    few = max(5, REQUESTS // 10)
    measure(
        "HR, 'not ready' over all people, first page",
        lambda: client.get(url + "&verdict=not_ready"),
        requests=few,
    )

    # Today (the store, when there is one) against the dated records.
    pairs = [
        ("HR, page 3 of 50", client, url + "&page=3", REQUESTS),
        ("HR, 'not ready' over all people", client, url + "&verdict=not_ready", few),
    ]
    for label, who, address, n in pairs:
        today = measure(
            f"{label}: today", lambda c=who, a=address: c.get(a), requests=n
        )
        past = measure(
            f"{label}: as of yesterday (records)",
            lambda c=who, a=address + yesterday: c.get(a),
            requests=n,
        )
        print(
            f"  records / today: {past['median_ms'] / today['median_ms']:.1f}x "
            f"slower, {past['queries']} vs {today['queries']} queries."
        )


if __name__ == "__main__":
    main()
