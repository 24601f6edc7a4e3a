"""The portal over real HTTP: gunicorn with 2 workers in production settings, a
small asyncio client at a fixed concurrency (run by hand; prints its figures).

    .venv/bin/python bench/http_pages.py --staff 5000   # 500, 5000 or 20000

(Not ``bench/http.py``: a script's directory comes first on ``sys.path``, so that
name would hide the standard library's ``http`` from every script in bench/.)

With no ``DATABASE_URL`` it uses (and creates) ``milieu_bench_http_<staff>`` on
PostgreSQL at 127.0.0.1 and seeds it with bench/seed.py (3 courses, 5 credential
types and 15 skills required of each person); a database already seeded at that
size is reused (``--reseed`` drops it first). After migrating it runs
``manage.py rebuild_readiness`` when that command exists, then ``VACUUM ANALYZE``
(what autovacuum does on a live database after a bulk load).

Then it starts ``gunicorn portal.wsgi --workers 2`` with DJANGO_DEBUG=off (a
random SECRET_KEY, the default database cache, the manifest static files it
collected) and, for each page, sends requests from ``--concurrency`` connections
(default 4) until ``--requests`` (default 200) are answered or ``--seconds``
(default 20) have passed. Each request carries the session cookie of a session
made with Django's ``SessionStore`` and ``X-Forwarded-Proto: https`` as the TLS
proxy in front of production would. Gunicorn's sync workers close the connection
after each response, so every request opens its own connection, as a browser's
first request behind a proxy does.

The pages:

- **bare**: the lightest page Wagtail serves: a plain ``wagtailcore.Page`` (no
  fields of ours, Wagtail's own ``wagtailcore/page.html`` template, no panels)
  published under the site root at ``/learn/bench-bare-page/``, requested by the
  learner, so it pays the same middleware (session, login, time zone, leaver
  check, idle timeout, two-factor gate) as every page.
- **home**: the learner's home page ``/`` (their next training and credentials).
- **training**: the learner's ``/training/``.
- **matrix**: a supervisor's matrix page of 50 (their team): ``/matrix/?per_page=50``.
- **dashboard**: HR's ``/compliance/``.
- **not-ready**: HR's matrix filtered to "not ready" over the whole agency,
  first page of 50: ``/matrix/?verdict=not_ready&per_page=50``.

Per page it prints requests per second, p50 and p95 latency, the response size,
and the number of SQL queries (one extra request through Django's test client in
this process, after a warm-up request, counted with ``CaptureQueriesContext``),
then the issue's targets and whether they are met. The home page's panels and
the matrix pages' tables are kept in the shared cache until something they draw
changes (``portal.fragments``), so repeated requests read them: for those pages
the last column gives, in process, the CPU and queries of the page drawn afresh
(its version renewed before each request), what the first request after a change
(or of the day) costs. ``--json FILE`` also writes
the figures. The machine's other load shows in the figures: compare pages of one
run (the learner home against the bare page is measured twice, alternating).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE_SLUG = "bench-bare-page"


@dataclass
class Figures:
    page: str
    url: str
    who: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    bytes: int = 0
    queries: int | None = None
    cpu_ms: float = 0.0
    # In process: a page's CPU per request (bare, home), and, for the pages with
    # kept parts (home, matrix, not-ready), the page drawn afresh.
    drawn_queries: int = 0
    drawn_cpu_ms: float = 0.0
    statuses: dict = field(default_factory=dict)
    latencies: list = field(default_factory=list, repr=False)
    ok: int = 0


# --- Setting up --------------------------------------------------------------------


def production_env(*, database_url: str) -> dict[str, str]:
    """What production needs (portal/settings.py), for this process and gunicorn."""
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": database_url,
        "MILIEU_VAR_DIR": "/tmp/milieu-bench-http-var",
        "LOG_LEVEL": "WARNING",
        "DEMO_DATA_ALLOWED": "off",
    }


def ensure_database(url: str, *, drop: bool) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if drop:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(*, staff: int) -> dict:
    """Migrate, collect static files, seed, rebuild the readiness store if there
    is one, publish the bare page and open a session for each person."""
    import django

    django.setup()
    from django.core.management import call_command, get_commands

    from bench import seed as seeder

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    info = seeder.seed(people=staff)
    print(
        f"{info['people']} staff, {info['signoffs']} sign-offs "
        f"(seeded or checked in {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    from portal.models import StaffProfile

    try:
        from readiness.models import PersonReadiness

        kept = PersonReadiness.objects.count()
    except ImportError:
        kept = 0
    if kept and kept >= StaffProfile.objects.count():
        # A store built by an earlier run: its reads heal whatever went stale.
        print(f"readiness store already holds {kept} people: no rebuild", flush=True)
    elif "rebuild_readiness" in get_commands():
        started = time.perf_counter()
        call_command("rebuild_readiness")
        print(f"rebuild_readiness: {time.perf_counter() - started:.0f} s", flush=True)
    else:
        print("(no rebuild_readiness command: no readiness store)", flush=True)
    # What autovacuum does on a live database after a bulk load: statistics for
    # the planner and the visibility map that lets counts read an index alone.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    bare = bare_page()
    sessions = {
        role: session_for(info[role]) for role in ("learner", "supervisor", "hr")
    }
    return {"info": info, "bare_url": bare.url, "sessions": sessions}


def bare_page():
    """A plain published Wagtail page under the site root (created once)."""
    from wagtail.models import Page, Site

    root = Site.objects.get(is_default_site=True).root_page
    page = Page.objects.child_of(root).filter(slug=BARE_SLUG).first()
    if page is None:
        page = root.add_child(instance=Page(title="Bench bare page", slug=BARE_SLUG))
        page.save_revision().publish()
    return page.specific


def session_for(user) -> str:
    """A logged-in session, as allauth's login would leave it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from portal.registry import SESSION_ON_STAFF, has_staff_profile

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SESSION_ON_STAFF] = has_staff_profile(user)
    session.create()
    return session.session_key


def count_queries(url: str, session_key: str, *, cpu_requests: int) -> tuple:
    """(queries, status, CPU ms per request) through the test client in this
    process, after a warm-up. The CPU time (this process's, not PostgreSQL's)
    hardly changes with other load on the machine, unlike the times over HTTP."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies["sessionid"] = session_key
    client.get(url, secure=True)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, secure=True)
    queries = len(ctx.captured_queries)
    started = time.process_time()
    for _ in range(cpu_requests):
        client.get(url, secure=True)
    cpu_ms = (time.process_time() - started) * 1000 / max(cpu_requests, 1)
    return queries, response.status_code, cpu_ms


def drawn(url: str, session_key: str, *, staff_id: int | None, requests: int) -> tuple:
    """(queries, CPU ms per request) of a page whose kept parts are out of date
    (``portal.fragments``), as on the first request after a change or on the
    day's first visit: the learner's version (``staff_id``) or else the shared
    one is renewed before each request, outside the timing."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.fragments import person_changed, shared_changed

    def renew() -> None:
        person_changed(staff_id) if staff_id else shared_changed()

    client = Client()
    client.cookies["sessionid"] = session_key
    client.get(url, secure=True)
    renew()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, secure=True)
    queries = len(ctx.captured_queries)  # each request clears the log
    spent = 0.0
    for _ in range(requests):
        renew()
        started = time.process_time()
        client.get(url, secure=True)
        spent += time.process_time() - started
    return queries, spent * 1000 / max(requests, 1)


# --- gunicorn ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(*, env: dict, port: int, workers: int, timeout: int):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "portal.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            str(timeout),
            "--log-level",
            "warning",
            # Load the app before forking, so both workers answer from the first
            # request (otherwise the slower one to boot stalls the first page).
            "--preload",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start within 60 s")


def stop(process) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


# --- The client ----------------------------------------------------------------------


async def fetch(port: int, path: str, cookie: str) -> tuple[int, int]:
    """(status, body size) of one GET on its own connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Cookie: sessionid={cookie}\r\nX-Forwarded-Proto: https\r\n"
                "Accept: text/html\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        data = await reader.read()
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    return status, len(body)


async def load(
    *,
    port: int,
    path: str,
    cookie: str,
    concurrency: int,
    requests: int,
    seconds: float,
    timeout: float,
) -> tuple[list[float], dict[int, int], int, float]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    size = 0
    left = requests
    deadline = time.perf_counter() + seconds

    async def one_connection():
        nonlocal left, size
        while left > 0 and time.perf_counter() < deadline:
            left -= 1
            start = time.perf_counter()
            try:
                status, size_ = await asyncio.wait_for(
                    fetch(port, path, cookie), timeout
                )
            except (TimeoutError, OSError):
                status, size_ = 0, 0
            latencies.append((time.perf_counter() - start) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                size = size_

    started = time.perf_counter()
    await asyncio.gather(*(one_connection() for _ in range(concurrency)))
    return latencies, statuses, size, time.perf_counter() - started


def measure(figures: Figures, *, port: int, cookie: str, args) -> Figures:
    # Warm up both workers (imports, template caches, connections).
    asyncio.run(
        load(
            port=port,
            path=figures.url,
            cookie=cookie,
            concurrency=2,
            requests=4,
            seconds=args.timeout,
            timeout=args.timeout,
        )
    )
    latencies, statuses, size, elapsed = asyncio.run(
        load(
            port=port,
            path=figures.url,
            cookie=cookie,
            concurrency=args.concurrency,
            requests=args.requests,
            seconds=args.seconds,
            timeout=args.timeout,
        )
    )
    ok = statuses.get(200, 0)
    figures.ok += ok
    figures.requests += len(latencies)
    figures.errors += len(latencies) - ok
    figures.seconds += elapsed
    for status, n in statuses.items():
        figures.statuses[str(status)] = figures.statuses.get(str(status), 0) + n
    figures.latencies = sorted(figures.latencies + latencies)
    latencies = figures.latencies
    figures.rps = figures.ok / figures.seconds if figures.seconds else 0.0
    figures.p50_ms = statistics.median(latencies) if latencies else 0.0
    figures.p95_ms = latencies[max(int(len(latencies) * 0.95) - 1, 0)]
    figures.max_ms = latencies[-1]
    figures.bytes = size
    return figures


# --- The report ----------------------------------------------------------------------


def table(rows: list[Figures]) -> str:
    lines = [
        "| page | who | url | req/s | p50 ms | p95 ms | KB | queries | requests "
        "| drawn afresh: CPU ms, queries |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in rows:
        errors = f" ({f.errors} not 200: {f.statuses})" if f.errors else ""
        fresh = f"{f.drawn_cpu_ms:.0f}, {f.drawn_queries}" if f.drawn_cpu_ms else "-"
        lines.append(
            f"| {f.page} | {f.who} | `{f.url}` | {f.rps:.1f} | {f.p50_ms:.0f} | "
            f"{f.p95_ms:.0f} | {f.bytes / 1024:.1f} | {f.queries} | "
            f"{f.requests}{errors} | {fresh} |"
        )
    return "\n".join(lines)


def targets(by_page: dict[str, Figures], *, staff: int) -> list[str]:
    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    out = []
    bare, home = by_page.get("bare"), by_page.get("home")
    if bare and home and bare.rps:
        ratio = home.rps / bare.rps
        out.append(
            f"- learner home >= 0.8x the bare page's req/s: {ratio:.2f}x "
            f"({home.rps:.1f} vs {bare.rps:.1f}) - {verdict(ratio >= 0.8)}"
        )
    if bare and home and home.cpu_ms:
        ratio = bare.cpu_ms / home.cpu_ms
        out.append(
            f"  by CPU per request in-process (steadier under load): {ratio:.2f}x "
            f"({home.cpu_ms:.0f} ms vs {bare.cpu_ms:.0f} ms)"
        )
    if bare and home and home.drawn_cpu_ms:
        ratio = bare.cpu_ms / home.drawn_cpu_ms
        out.append(
            f"  drawn afresh (after a change to the learner's records, or the "
            f"day's first visit): {ratio:.2f}x by CPU ({home.drawn_cpu_ms:.0f} ms, "
            f"{home.drawn_queries} queries; the figures above are of the kept panels)"
        )
    if "matrix" in by_page:
        p95 = by_page["matrix"].p95_ms
        out.append(
            f"- supervisor matrix page p95 <= 150 ms: {p95:.0f} ms - "
            f"{verdict(p95 <= 150)}"
        )
    for key, label in (("dashboard", "HR dashboard"), ("not-ready", "'not ready'")):
        if key in by_page:
            f = by_page[key]
            note = "" if staff >= 20000 else f" (the target is at 20,000; {staff:,})"
            out.append(
                f"- {label} p95 <= 300 ms{note}: {f.p95_ms:.0f} ms, {f.queries} "
                f"queries (compare the count across sizes) - {verdict(f.p95_ms <= 300)}"
            )
    return out


PAGES = ("bare", "home", "training", "matrix", "dashboard", "not-ready")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=500, help="500, 5000 or 20000")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--requests", type=int, default=200, help="per page, at most (default 200)"
    )
    parser.add_argument(
        "--seconds", type=float, default=20, help="per page, at most (default 20)"
    )
    parser.add_argument(
        "--timeout", type=int, default=30, help="gunicorn's and the client's (30)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--cpu-requests",
        type=int,
        default=20,
        help="in-process requests timing the CPU of the bare page and home (20)",
    )
    parser.add_argument("--pages", default=",".join(PAGES), help="a subset, by name")
    parser.add_argument("--reseed", action="store_true", help="drop the db first")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    database_url = os.environ.get(
        "DATABASE_URL",
        f"postgres://root@127.0.0.1:5432/milieu_bench_http_{args.staff}",
    )
    if database_url.startswith("postgres"):
        ensure_database(database_url, drop=args.reseed)
    env = production_env(database_url=database_url)
    os.environ.update(env)
    ready = prepare(staff=args.staff)
    info, sessions = ready["info"], ready["sessions"]
    urls = {
        "bare": (ready["bare_url"], "learner"),
        "home": ("/", "learner"),
        "training": ("/training/", "learner"),
        "matrix": ("/matrix/?per_page=50", "supervisor"),
        "dashboard": ("/compliance/", "hr"),
        "not-ready": ("/matrix/?verdict=not_ready&per_page=50", "hr"),
    }
    wanted = [p for p in args.pages.split(",") if p in urls]
    by_page = {
        page: Figures(page=page, url=urls[page][0], who=urls[page][1])
        for page in wanted
    }
    for page, figures in by_page.items():
        started = time.perf_counter()
        figures.queries, status, figures.cpu_ms = count_queries(
            figures.url,
            sessions[figures.who],
            cpu_requests=args.cpu_requests if page in ("bare", "home") else 0,
        )
        if status != 200:
            raise SystemExit(f"{page}: {figures.url} answered {status}, not 200")
        if page in ("home", "matrix", "not-ready"):
            figures.drawn_queries, figures.drawn_cpu_ms = drawn(
                figures.url,
                sessions[figures.who],
                staff_id=info["learner"].staff.pk if page == "home" else None,
                requests=args.cpu_requests,
            )
        print(
            f"{page}: {figures.queries} queries "
            f"({(time.perf_counter() - started) * 1000:.0f} ms for two requests)",
            flush=True,
        )
    from django.db import connections

    connections.close_all()

    load_before = os.getloadavg()[0]
    port = free_port()
    server = start_gunicorn(
        env=env, port=port, workers=args.workers, timeout=args.timeout
    )
    try:
        # The two pages whose ratio is a target are measured twice, alternating,
        # so a burst of other load on the machine falls on both.
        order = [p for p in wanted if p not in ("bare", "home")]
        pair = [p for p in ("bare", "home") if p in wanted]
        for page in pair + pair + order:
            figures = by_page[page]
            measure(figures, port=port, cookie=sessions[figures.who], args=args)
            print(
                f"{page}: {figures.rps:.1f} req/s, p50 {figures.p50_ms:.0f} ms, "
                f"p95 {figures.p95_ms:.0f} ms",
                flush=True,
            )
    finally:
        stop(server)

    rows = list(by_page.values())
    print()
    print(
        f"{info['people']:,} staff, gunicorn --workers {args.workers}, "
        f"DEBUG off, concurrency {args.concurrency}, up to {args.requests} "
        f"requests or {args.seconds:.0f} s per page; the machine's load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} "
        "cores: other work on the machine slows every page alike)"
    )
    print(table(rows))
    print()
    print("Targets:")
    for line in targets(by_page, staff=args.staff):
        print(line)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "staff": info["people"],
                    "pages": [
                        {k: v for k, v in asdict(r).items() if k != "latencies"}
                        for r in rows
                    ],
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
