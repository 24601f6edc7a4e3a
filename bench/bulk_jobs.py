"""Bulk work at agency scale, as the background jobs do it (run by hand; prints
its figures).

    DATABASE_URL=postgres://root@127.0.0.1:5432/milieu_bench_bulk \\
        .venv/bin/python bench/bulk_jobs.py

Seeds a base agency with bench/seed.py (BENCH_PEOPLE, default 1,000: job roles
requiring 3 courses, 5 credentials and 15 skill checklists, so each new hire gets
their orientation), then runs, each as its job (``portal.bulk``) the way a worker
does:

- the staff import of a CSV of 5,000 new people (BENCH_IMPORT_ROWS),
- a course assigned to 1,000 of them (BENCH_ASSIGN_PEOPLE),
- a retraining of 3,000 past completers of a course after a substantive change
  (BENCH_RETRAIN_PEOPLE),

and prints each one's wall time, queries in all and queries per person (what the
job queues, invitations and emails, is a worker's and not run). Each run imports
new people; BENCH_IMPORT_ROWS=0 skips the import and assigns and retrains the
people earlier runs imported.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault(
    "DATABASE_URL", "postgres://root@127.0.0.1:5432/milieu_bench_bulk"
)

import team_matrix  # noqa: E402

BASE = int(os.environ.get("BENCH_PEOPLE", "1000"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "5000"))
ASSIGN_PEOPLE = int(os.environ.get("BENCH_ASSIGN_PEOPLE", "1000"))
RETRAIN_PEOPLE = int(os.environ.get("BENCH_RETRAIN_PEOPLE", "3000"))


def run_job(label: str, start, people: int) -> dict:
    """Create the job with ``start()`` and run it as the worker does; its figures."""
    from django.db import connection, transaction

    from portal.bulk import bulk_job_run
    from portal.models import BulkJob

    # Not queued: run below, in this process, where its queries are counted.
    with transaction.atomic(), mock.patch("portal.bulk.enqueue"):
        job = start()
    # What the job queues (invitations, emails) is a worker's, later: not run here.
    counted = [0]

    def count(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    with (
        connection.execute_wrapper(count),
        mock.patch("portal.queue.publish", return_value=True),
    ):
        began = time.perf_counter()
        status = bulk_job_run(job_id=job.pk)
        wall = time.perf_counter() - began
    job = BulkJob.objects.get(pk=job.pk)
    assert status == "done", (status, job.error)
    queries = counted[0]
    people = job.total
    row = {
        "label": label,
        "people": people,
        "wall": wall,
        "queries": queries,
        "per_person": queries / max(1, people),
        "counts": job.counts,
    }
    print(
        f"{label:<34} {people:>6} people  {wall:8.1f} s  "
        f"{people / wall if wall else 0:7.1f}/s  {queries:>8} queries  "
        f"{row['per_person']:6.1f} per person  {job.counts}",
        flush=True,
    )
    return row


def main() -> None:
    team_matrix.setup_django()
    from django.db import transaction

    from bench import seed as seeder
    from courses.models import Assignment, Completion, CoursePage
    from courses.services import (
        assignments_start_manual,
        retraining_start_new_version,
    )
    from portal import importer
    from portal.models import JobRole, StaffProfile, Team, User

    started = time.perf_counter()
    seeder.seed(people=BASE)
    print(f"Seeded {BASE} people in {time.perf_counter() - started:.0f} s", flush=True)
    hr = User.objects.get(email=seeder.HR_EMAIL)
    role = JobRole.objects.filter(code__startswith="bench-role-").order_by("pk")[0]
    team = Team.objects.filter(name__startswith="Team ").order_by("pk")[0]
    stamp = int(time.time())
    header = "employee_id,first_name,last_name,email,job_role,team,hire_date\n"
    hired = team_matrix.AS_OF.isoformat()
    rows = [
        f"I{stamp}-{n:05d},Imported,Person{n:05d},i{stamp}.{n}@bench.local,"
        f"{role.code},{team.site.name} / {team.name},{hired}"
        for n in range(IMPORT_ROWS)
    ]
    text = header + "\n".join(rows) + "\n"
    figures = []
    if IMPORT_ROWS:
        figures.append(
            run_job(
                f"Import of {IMPORT_ROWS} rows",
                lambda: importer.import_start(text=text, by=hr),
                IMPORT_ROWS,
            )
        )
    # The people imported now (or, with BENCH_IMPORT_ROWS=0, by earlier runs).
    imported = list(
        StaffProfile.objects.filter(employee_id__startswith="I")
        .order_by("-pk")
        .select_related("user")[: max(IMPORT_ROWS, ASSIGN_PEOPLE, RETRAIN_PEOPLE)]
    )
    # A course none of them has open yet (not one of their orientation courses).
    chosen = imported[:ASSIGN_PEOPLE]
    course = (
        CoursePage.objects.live()
        .exclude(
            pk__in=Assignment.objects.filter(
                staff__in=chosen, completion__isnull=True
            ).values("course")
        )
        .order_by("pk")
        .first()
    )
    assert course is not None, "the seed has courses"
    figures.append(
        run_job(
            f"Course assigned to {ASSIGN_PEOPLE}",
            lambda: assignments_start_manual(
                course=course,
                due_on=team_matrix.AS_OF + dt.timedelta(days=30),
                by=hr,
                staff=chosen,
            ),
            ASSIGN_PEOPLE,
        )
    )
    # Past completers of another course, on its current version, in bulk.
    other = CoursePage.objects.live().order_by("pk")[1]
    # (The imported people first, then the seeded ones, up to the number asked.)
    completers = [
        *imported,
        *StaffProfile.objects.filter(status=StaffProfile.Status.ACTIVE)
        .exclude(pk__in=[p.pk for p in imported])
        .order_by("pk"),
    ][:RETRAIN_PEOPLE]
    with transaction.atomic():
        Completion.objects.bulk_create(
            Completion(
                staff=person,
                course=other,
                course_title=other.title,
                course_version=other.version,
                score=90,
                certificate_code=f"BB{stamp % 10**8:08d}{n:06d}",
            )
            for n, person in enumerate(completers)
        )
        # Past completers have nothing open of it (not an earlier run's retraining).
        Assignment.objects.filter(course=other, completion__isnull=True).delete()
        CoursePage.objects.filter(pk=other.pk).update(version=other.version + 1)
    other.refresh_from_db()
    figures.append(
        run_job(
            f"Retraining of {len(completers)} completers",
            lambda: retraining_start_new_version(
                course=other,
                due_on=team_matrix.AS_OF + dt.timedelta(days=30),
                by=hr,
            ),
            len(completers),
        )
    )
    print()
    print("| Job | People | Wall (s) | People/s | Queries per person |")
    print("|---|---:|---:|---:|---:|")
    for f in figures:
        print(
            f"| {f['label']} | {f['people']} | {f['wall']:.1f} | "
            f"{f['people'] / f['wall']:.0f} | {f['per_person']:.1f} |"
        )


if __name__ == "__main__":
    main()
