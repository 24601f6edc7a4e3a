"""Benchmarks of the exports (run by hand; each prints its figures).

    DATABASE_URL=postgres://root@127.0.0.1:5432/milieu_bench_export \
        .venv/bin/python bench/export.py [csv|heavy|zip|all]

``heavy`` times the training file of a person with 40 completions, 20 credentials
and 30 sign-offs whose job role requires 3 courses, 5 credentials and 15 skills.
``zip`` seeds a site of 2,000 such people (BENCH_ZIP_PEOPLE) with a realistic mix
of all three kinds of requirement, then builds its ZIP as the export job does, in
chunks shared by BENCH_WORKERS (2) worker processes: wall time, CPU per person,
each worker's peak memory after its first and its last chunk (bounded: it must not
grow with the number of people), then a second run that takes every file from the
cache.

``csv`` seeds 6,667 staff x 15 required skill checklists (100,005 requirement rows) with
the same bulk seeder as bench/team_matrix.py, then streams /matrix/export.csv as
HR through Django's test client: time to the first byte, total time, rows, and
peak memory (Python allocations by tracemalloc during a second pass, and the
process's peak RSS).
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault(
    "DATABASE_URL", "postgres://root@127.0.0.1:5432/milieu_bench_export"
)
import team_matrix as bench  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_EXPORT_PEOPLE", "6667"))


def stream(client, url: str) -> tuple[float, float, int, int]:
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    first = None
    lines = size = 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - start
        lines += chunk.count(b"\n")
        size += len(chunk)
    return first or 0.0, time.perf_counter() - start, lines, size


def main_csv() -> None:
    bench.setup_django()
    if not os.environ.get("BENCH_SEEDED"):
        # Seed here, measure in a fresh process so seeding does not inflate RSS.
        bench.seed(people=PEOPLE)
        env = {**os.environ, "BENCH_SEEDED": "1"}
        raise SystemExit(subprocess.call([sys.executable, __file__, "csv"], env=env))
    from django.test import Client

    from portal.models import User

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    info = {
        "people": PEOPLE,
        "checklists": bench.REQUIREMENTS,
        "hr": User.objects.get(email="hr@bench.local"),
    }
    client = Client()
    client.force_login(info["hr"])
    url = f"/matrix/export.csv?as_of={bench.AS_OF}"
    first, total, lines, size = stream(client, url)
    print(
        f"{info['people']} staff x {info['checklists']} requirements: "
        f"{lines - 1} data rows, {size / 1e6:.1f} MB of CSV"
    )
    print(f"First byte {first * 1000:.0f} ms, total {total:.1f} s")
    rss_stream = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    stream(client, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"Peak RSS of the process: {rss_before:.0f} MB before the export, "
        f"{rss_stream:.0f} MB after streaming it (growth "
        f"{rss_stream - rss_before:.0f} MB); peak Python allocations while "
        f"streaming (tracemalloc, second pass): {peak / 1e6:.1f} MB"
    )


# --- Training files: one heavy person, and a site ZIP ---------------------------------

ZIP_PEOPLE = int(os.environ.get("BENCH_ZIP_PEOPLE", "2000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# Another tag seeds another site (e.g. a smaller one next to the 2,000 people).
ZIP_TAG = os.environ.get("BENCH_ZIP_TAG", "X")
ZIP_SITE = "Export bench site" + ("" if ZIP_TAG == "X" else f" {ZIP_TAG}")
COURSES, CREDENTIALS, SKILLS = 3, 5, 15


def _library():
    from wagtail.models import Page

    from courses.models import TrainingLibraryPage

    library = TrainingLibraryPage.objects.first()
    if library is None:
        library = TrainingLibraryPage(title="Bench library", slug="bench-library")
        Page.get_first_root_node().add_child(instance=library)
    return library


def seed_training(*, people: int) -> dict:
    """A site of ``people`` staff whose job role requires 3 courses, 5 credentials
    and 15 skills, each with a realistic mix of records, plus one heavy person."""
    import random

    from django.db import transaction

    from courses.models import Completion, CoursePage, CourseRequirement
    from credentials.models import Credential, CredentialRequirement, CredentialType
    from portal.models import Agency, JobRole, Program, Site, StaffProfile, Team, User
    from skills.models import (
        SkillChecklist,
        SkillChecklistItem,
        SkillRequirement,
        SkillSignOff,
        SkillSignOffItem,
    )

    rng = random.Random(13)
    as_of = bench.AS_OF
    with transaction.atomic():
        agency, _ = Agency.objects.get_or_create(pk=1, defaults={"name": "Bench"})
        site, _ = Site.objects.get_or_create(agency=agency, name=ZIP_SITE)
        program, _ = Program.objects.get_or_create(agency=agency, name="Residential")
        role, created = JobRole.objects.get_or_create(
            code="bench-export-tech", defaults={"name": "Behavioral health tech"}
        )
        hr, _ = User.objects.get_or_create(
            email="hr-export@bench.local",
            defaults={"first_name": "Harriet", "last_name": "Rowe"},
        )
        library = _library()
        courses = []
        for n in range(4):
            course = CoursePage.objects.filter(slug=f"bench-export-{n}").first()
            if course is None:
                course = CoursePage(
                    title=f"Bench course {n}: de-escalation and safety",
                    slug=f"bench-export-{n}",
                    summary="Bench.",
                    estimated_minutes=30,
                    retrain_months=12,
                )
                library.add_child(instance=course)
            courses.append(course)
        types = [
            CredentialType.objects.get_or_create(
                code=f"bench-export-{n}",
                defaults={"name": f"Bench credential {n:02d}"},
            )[0]
            for n in range(20)
        ]
        checklists = []
        for n in range(SKILLS):
            checklist, made = SkillChecklist.objects.get_or_create(
                name=f"Bench export skill {n:02d}"
            )
            if made:
                for i in range(3):
                    SkillChecklistItem.objects.create(
                        checklist=checklist, text=f"Step {i + 1}", sort_order=i
                    )
            checklists.append(checklist)
        if created:
            for course in courses[:COURSES]:
                CourseRequirement.objects.create(job_role=role, course=course)
            for ctype in types[:CREDENTIALS]:
                CredentialRequirement.objects.create(
                    job_role=role, credential_type=ctype
                )
            for checklist in checklists:
                SkillRequirement.objects.create(job_role=role, checklist=checklist)
        have = StaffProfile.objects.filter(team__site=site).count()
        teams = list(Team.objects.filter(site=site).order_by("pk"))

        def team_for(n):
            while n // 50 >= len(teams):
                teams.append(
                    Team.objects.create(
                        name=f"Export team {ZIP_TAG}{len(teams)}",
                        site=site,
                        program=program,
                    )
                )
            return teams[n // 50]

        wanted = people + 1  # and the heavy person
        users = User.objects.bulk_create(
            [
                User(
                    email=f"export{ZIP_TAG}{n}@bench.local",
                    first_name=rng.choice(["Ana", "Łukasz", "Nguyễn Thị", "Sam"]),
                    last_name=f"Export{n:05d}",
                )
                for n in range(have, wanted)
            ]
        )
        staff = StaffProfile.objects.bulk_create(
            [
                StaffProfile(
                    user=user,
                    employee_id=f"{ZIP_TAG}{have + i:06d}",
                    job_role=role,
                    team=team_for(have + i),
                    hire_date=as_of - dt.timedelta(days=rng.randint(60, 2000)),
                )
                for i, user in enumerate(users)
            ]
        )
        completions, credentials, signoffs = [], [], []
        when = dt.datetime(2026, 1, 5, 15, tzinfo=dt.UTC)
        for i, person in enumerate(staff):
            heavy = have + i == 0
            n_completions = 40 if heavy else rng.randint(2, 6)
            n_credentials = 20 if heavy else rng.randint(3, 6)
            n_signoffs = 30 if heavy else rng.randint(10, 18)
            for k in range(n_completions):
                course = courses[k % 4]
                completions.append(
                    Completion(
                        staff=person,
                        course=course,
                        course_title=course.title,
                        course_version=1,
                        score=rng.randint(80, 100),
                        completed_at=when - dt.timedelta(days=rng.randint(1, 700)),
                        certificate_code=Completion.new_code(),
                    )
                )
            for k in range(n_credentials):
                issued = as_of - dt.timedelta(days=rng.randint(30, 700))
                credentials.append(
                    Credential(
                        staff=person,
                        credential_type=types[k % 20],
                        number=f"BX-{rng.randint(10**6, 10**7)}",
                        issuing_body="State board",
                        issued_on=issued,
                        expires_on=issued + dt.timedelta(days=730),
                        verification_status=rng.choice(
                            ["verified", "verified", "pending"]
                        ),
                    )
                )
            for k in range(n_signoffs):
                signoffs.append(
                    SkillSignOff(
                        staff=person,
                        checklist=checklists[k % SKILLS],
                        observed_on=as_of - dt.timedelta(days=rng.randint(1, 700)),
                        signed_by=hr,
                        signature_name="Harriet Rowe",
                        met=rng.random() > 0.08,
                    )
                )
        Completion.objects.bulk_create(completions, batch_size=5000)
        Credential.objects.bulk_create(credentials, batch_size=5000)
        SkillSignOff.objects.bulk_create(signoffs, batch_size=5000)
        SkillSignOffItem.objects.bulk_create(
            [
                SkillSignOffItem(
                    sign_off=s, position=i, text=f"Step {i + 1}", result="met"
                )
                for s in signoffs
                for i in range(3)
            ],
            batch_size=5000,
        )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    heavy = StaffProfile.objects.get(employee_id=f"{ZIP_TAG}000000")
    return {"site": site, "hr": hr, "heavy": heavy}


def _private_root() -> None:
    from django.conf import settings

    root = Path(os.environ.get("BENCH_PRIVATE", "/tmp/milieu-bench-export-private"))
    settings.PRIVATE_MEDIA_ROOT = str(root)
    settings.STORAGES["private"]["OPTIONS"]["location"] = str(root)
    from django.core.files.storage import storages

    storages._storages.pop("private", None)


def main_heavy(info: dict) -> None:
    from compliance import exports

    person, hr = info["heavy"], info["hr"]
    times = []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = exports.training_file_pdf(
            staff=person, as_of=bench.AS_OF, generated_by=hr
        )
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    best_wall = min(t[0] for t in times)
    best_cpu = min(t[1] for t in times)
    print(
        f"Heavy training file (40 completions, 20 credentials, 30 sign-offs, "
        f"{COURSES}+{CREDENTIALS}+{SKILLS} requirements): {pages} pages, "
        f"{len(pdf) / 1e3:.0f} kB; best of 5: {best_wall:.2f} s wall, "
        f"{best_cpu:.2f} s CPU; median wall "
        f"{sorted(t[0] for t in times)[2]:.2f} s"
    )


def _worker(chunk_ids, out) -> None:
    """A worker process: render the chunks it takes from the shared queue."""
    from django.db import connections

    connections.close_all()
    from compliance.site_export import export_chunk_render

    rss = []
    drawn = 0
    while True:
        chunk_id = chunk_ids.get()
        if chunk_id is None:
            break
        drawn += export_chunk_render(chunk_id=chunk_id)
        rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out.put(
        {
            "cpu": usage.ru_utime + usage.ru_stime,
            "drawn": drawn,
            "chunks": len(rss),
            "rss_first": rss[0] if rss else 0,
            "rss_last": rss[-1] if rss else 0,
        }
    )


def run_zip(info: dict, label: str) -> None:
    import multiprocessing

    from django.db import connections

    from compliance import site_export
    from compliance.models import ExportChunk, ExportJob

    queued: list = []
    site_export.enqueue = lambda task, *args: queued.append((task.name, args))
    job = ExportJob.objects.create(
        site=info["site"], as_of=bench.AS_OF, requested_by=info["hr"]
    )
    started = time.perf_counter()
    site_export.export_job_start(job_id=job.pk)
    chunk_ids = list(
        ExportChunk.objects.filter(job=job)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    todo, out = ctx.Queue(), ctx.Queue()
    for pk in chunk_ids:
        todo.put(pk)
    for _ in range(WORKERS):
        todo.put(None)
    procs = [ctx.Process(target=_worker, args=(todo, out)) for _ in range(WORKERS)]
    for proc in procs:
        proc.start()
    reports = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
    rendered = time.perf_counter() - started
    tracemalloc.start()
    cpu = time.process_time()
    result = site_export.export_job_assemble(job_id=job.pk)
    assemble_cpu = time.process_time() - cpu
    _, assemble_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    total = time.perf_counter() - started
    job.refresh_from_db()
    from django.core.files.storage import storages

    size = storages["private"].size(job.file) if job.file else 0
    worker_cpu = sum(r["cpu"] for r in reports)
    print(
        f"{label}: {job.total_people} people in {len(chunk_ids)} chunks, "
        f"{WORKERS} workers: {result}, {total:.0f} s wall ({rendered:.0f} s "
        f"rendering, {total - rendered:.1f} s writing the ZIP of "
        f"{size / 1e6:.0f} MB); drawn {sum(r['drawn'] for r in reports)}, "
        f"problems {len(job.problems)}"
    )
    print(
        f"  CPU per person {worker_cpu / max(job.total_people, 1) * 1000:.0f} ms "
        f"(workers' total {worker_cpu:.0f} s); assembling: {assemble_cpu:.1f} s "
        f"CPU, peak Python allocations {assemble_peak / 1e6:.1f} MB"
    )
    for n, r in enumerate(reports, start=1):
        print(
            f"  worker {n}: {r['chunks']} chunks, peak RSS {r['rss_first']:.0f} MB "
            f"after its first chunk, {r['rss_last']:.0f} MB after its last"
        )


def main_training(what: str) -> None:
    bench.setup_django()
    _private_root()
    info = seed_training(people=ZIP_PEOPLE)
    if what in ("heavy", "all"):
        main_heavy(info)
    if what in ("zip", "all"):
        run_zip(info, "Site ZIP, cold cache")
        run_zip(info, "Site ZIP, warm cache")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what == "csv":
        main_csv()
    else:
        main_training(what)
