"""Shared fixtures: private storage in a temporary folder, people in each role,
and a real Chromium for browser tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import (
    PASSWORD,
    StaffProfileFactory,
    TeamFactory,
    make_hr,
    make_supervisor,
)

CHROMIUM = "/usr/bin/chromium"
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

    cache.clear()
    yield
    cache.clear()


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
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as pw:
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
def page(_playwright_browser, live_server):
    """A fresh browser page; Django's ORM may be used from the test around it."""
    context = _playwright_browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "name")`` saves var/screenshots/<test>-<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(pg, name: str) -> Path:
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take
