"""Shared fixtures: private storage in a temporary folder, people in each role,
and a real Chromium for browser tests."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

import pytest
import time_machine

from tests.factories import (
    PASSWORD,
    StaffProfileFactory,
    TeamFactory,
    make_hr,
    make_supervisor,
)

# The shared real-worker fixtures of the worker tests (``running_worker``).
pytest_plugins = ["tests.workers"]

CHROMIUM = "/usr/bin/chromium"
CLOCK_SHIFT_ENV = "MILIEU_TEST_SHIFT_DAYS"


# --- The suite passes on any date ----------------------------------------------------


def pytest_addoption(parser):
    parser.addoption(
        "--shift-days",
        type=int,
        default=int(os.environ.get(CLOCK_SHIFT_ENV) or 0),
        help=(
            "Run the whole suite with the clock moved this many days (negative: back) "
            f"(time-machine; also read from ${CLOCK_SHIFT_ENV}). Tests that freeze "
            "time still see their own frozen date."
        ),
    )


def pytest_configure(config):
    days = config.getoption("--shift-days")
    # The factories' fixed dates move with the clock (tests/factories.py).
    os.environ[CLOCK_SHIFT_ENV] = str(days)
    if days:
        shifted = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
        config._milieu_clock = time_machine.travel(shifted, tick=True)
        config._milieu_clock.start()


def pytest_collection_modifyitems(config, items):
    """The worker tests that share a running worker (``running_worker``) run one
    after the other, so that it starts once. The worker tests skip before any
    fixture runs where they cannot run: no test database is created for them on
    SQLite (tests/workers.py says why)."""
    from django.conf import settings

    items.sort(key=lambda item: "running_worker" not in item.fixturenames)
    engine = settings.DATABASES["default"]["ENGINE"]
    broker = settings.CELERY_BROKER_URL
    if "postgresql" in engine and broker.startswith("redis://"):
        return
    skip = pytest.mark.skip(
        reason="needs DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://…"
    )
    for item in items:
        if item.get_closest_marker("worker"):
            item.add_marker(skip)


def pytest_unconfigure(config):
    traveller = getattr(config, "_milieu_clock", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    days = config.getoption("--shift-days")
    if days:
        now = dt.datetime.now(dt.UTC)
        return (
            f"clock moved {days} days: now reads {now:%Y-%m-%d} "
            f"(replay with --shift-days={days})"
        )
    return None


# --- Test databases: migrated once, copied per process -----------------------------


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's test databases, except that on PostgreSQL the migrations run
    once into a template database named after them, and each test process (the
    xdist workers, the worker-test run) gets a copy of it (``CREATE DATABASE ...
    TEMPLATE``) in a second instead of migrating again: on two busy cores the
    migrations take minutes. The template stays for the next run while no migration
    changes (CI drops it with the run's databases)."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    assert django_db_use_migrations, "the suite always runs the migrations"
    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        from tests.databases import copy_postgresql_template

        if copy_postgresql_template(
            verbosity=request.config.option.verbose, keepdb=keepdb
        ):
            keepdb = True  # the copy is there: only the (empty) migrate runs
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )
        _content_types_first()
        from tests.databases import flush_with_delete, restore_initial_data_with_sql

        if (
            os.environ.get("MILIEU_TEST_DJANGO_FLUSH") != "1"
        ):  # 1: Django's own, to compare
            flush_with_delete()
            restore_initial_data_with_sql()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(db_cfg, verbosity=request.config.option.verbose)
            except Exception as exc:  # noqa: BLE001
                request.node.warn(
                    pytest.PytestWarning(f"Error tearing down test databases: {exc!r}")
                )


def _content_types_first() -> None:
    """The migrated data that tests which commit restore (serialized_rollback) holds
    the content types first: restoring a row can look its own type up (Wagtail's
    tasks do), which must find the restored row, not create a second one."""
    import json

    from django.db import connections

    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            rows = json.loads(contents)
            rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
            connection._test_serialized_contents = json.dumps(rows)


SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Each test writes uploads and generated files into its own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from portal.dates import forget_agency_time_zone

    cache.clear()
    forget_agency_time_zone()
    yield
    cache.clear()
    forget_agency_time_zone()


@pytest.fixture(autouse=True)
def _content_types_as_restored(request):
    """A test that commits starts from the restored migrated data, whose content
    types keep their first ids; the process's cache may still hold ids an earlier
    test gave them (a migration test recreates some), which the table no longer
    has. The cache is emptied once the data is back, and again before it goes."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        yield
        return
    if not marker.kwargs.get("serialized_rollback"):
        # A test that does not restore the data starts on whatever the last flush
        # left, and its own flush gives the content types new ids that caches never
        # learn (a ForeignKeyViolation on wagtailcore_referenceindex, once, in CI).
        pytest.fail(
            "django_db(transaction=True) needs serialized_rollback=True "
            "(tests/conftest.py, _content_types_as_restored)"
        )
    request.getfixturevalue("_django_db_helper")
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def team(db):
    return TeamFactory()


@pytest.fixture
def other_team(db):
    return TeamFactory()


@pytest.fixture
def staff(team):
    return StaffProfileFactory(team=team)


@pytest.fixture
def supervisor(team):
    return make_supervisor(team)


@pytest.fixture
def other_supervisor(other_team):
    return make_supervisor(other_team)


@pytest.fixture
def hr(db):
    return make_hr()


# --- Browser tests -------------------------------------------------------------------


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


@pytest.fixture(scope="session")
def _playwright_browser(django_db_setup, django_db_blocker):
    # The test database exists before Playwright's event loop starts in this
    # thread; after that, Django's ORM calls from the test are still synchronous.
    if not chromium_available():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Once Playwright's event loop runs in this thread, Django hands this thread new
    # connection objects, which lack the migrated data that tests which commit
    # restore: without it, each such test after the first browser test would start
    # on empty tables, and its flush would give the content types new ids.
    restored = {
        alias: (
            connections[alias]._test_serialized_contents,
            # tests/databases.py may restore it faster on PostgreSQL
            connections[alias].creation.__dict__.get("deserialize_db_from_string"),
        )
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }

    with sync_playwright() as pw:
        for alias, (contents, restore) in restored.items():
            connections[alias]._test_serialized_contents = contents
            if restore is not None:
                connections[alias].creation.deserialize_db_from_string = restore
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(_playwright_browser, live_server, settings):
    """A fresh browser page (a new context in the process's one Chromium); Django's
    ORM may be used from the test around it."""
    # The server's clock may be moved (--shift-days, time-machine), the browser's is
    # not: a cookie dated by the server could already be expired by the browser's
    # clock. Cookies that last as long as the browser keep the two apart.
    settings.CSRF_COOKIE_AGE = None
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    context = _playwright_browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()
    _wait_for_live_server_requests()


def _wait_for_live_server_requests(timeout: float = 10.0) -> None:
    """Let the live server finish the requests the closed page left in flight (the
    CMS preview refreshes itself every half second): the test database is emptied
    next, and SQLite cannot empty a table a request still reads."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(
            "process_request_thread" in thread.name and thread.is_alive()
            for thread in threading.enumerate()
        ):
            return
        time.sleep(0.05)


# The demo agency, seeded once per test process and copied into each test that asks
# for it: the database (SQLite's backup API; on PostgreSQL, tables kept in a schema
# of their own), and the files the seed stored.
_demo_template: dict = {}


@pytest.fixture
def seeded_demo(settings, tmp_path_factory):
    """The database holds the demo agency (``manage.py seed_demo``), as of today.

    The first test of the process to ask seeds it and keeps a copy (the tables, and
    the uploaded files); later tests get the copy back in a moment. On another
    day (a test that moved the clock), it seeds again."""
    import io
    import shutil
    import sqlite3

    from django.core.management import call_command
    from django.db import connection

    from portal.dates import agency_today
    from tests.databases import (
        DEMO_SCHEMA,
        postgresql_superuser,
        restore_postgresql_snapshot,
        snapshot_postgresql,
    )

    today = agency_today()
    # Putting the copy back passes the audit records' triggers: a superuser's right.
    postgresql = connection.vendor == "postgresql" and postgresql_superuser()
    copyable = postgresql or (
        connection.vendor == "sqlite" and connection.is_in_memory_db()
    )
    connection.ensure_connection()
    folders = {"media": settings.MEDIA_ROOT, "private": settings.PRIVATE_MEDIA_ROOT}
    if copyable and _demo_template.get("today") == today:
        if postgresql:
            restore_postgresql_snapshot(DEMO_SCHEMA)
        else:
            _demo_template["db"].backup(connection.connection)
        for name, target in folders.items():
            source = _demo_template["files"] / name
            if source.exists():
                shutil.copytree(source, target, dirs_exist_ok=True)
        return
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    if not copyable:
        return
    if postgresql:
        snapshot_postgresql(DEMO_SCHEMA)
        template = None
    else:
        template = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(template)
    files = tmp_path_factory.mktemp("demo-template")
    for name, source in folders.items():
        if Path(source).exists():
            shutil.copytree(source, files / name)
    _demo_template.update(today=today, db=template, files=files)


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "name")`` saves var/screenshots/<test>-<name>.png, after
    checking the page with axe-core: every page a journey shows must have no
    serious or critical WCAG 2.1 A/AA violation (``axe=False`` skips it)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(pg, name: str, *, axe: bool = True) -> Path:
        if axe:
            from tests.browser import assert_accessible

            assert_accessible(pg)
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take
