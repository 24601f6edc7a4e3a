"""In a real browser: the CMS editor and the portal work under the
Content-Security-Policy, and the idle warning offers to stay signed in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from courses.starter_loader import library_grant_authors, library_page
from portal.roles import Role
from portal.services import roles_ensure
from tests.browser import login
from tests.courses.factories import make_course
from tests.credentials.factories import CredentialFactory
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _collect_csp_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    return violations


def test_the_cms_editor_and_its_preview_work_under_the_policy(page, screenshot):
    roles_ensure()
    author = UserFactory(roles=[Role.STAFF, Role.AUTHOR], email="author@example.org")
    library_grant_authors(library=library_page())
    course = make_course(title="Safe lifting", attestation=True)
    violations = _collect_csp_violations(page)

    login(page, author.email)
    page.goto(f"/cms/pages/{course.lessons[0].pk}/edit/")
    # The editor's scripts ran: its React/Stimulus-driven controls are live.
    page.get_by_role("button", name="Save draft").wait_for()
    page.locator("[data-side-panel-toggle='preview']").first.click()
    frame = page.frame_locator("iframe[title='Preview']").first
    expect(frame.locator("h1").first).to_contain_text(course.lessons[0].title)
    screenshot(page, "cms-preview")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    expect(page.locator("body")).to_contain_text(re.compile("saved", re.I))
    screenshot(page, "cms-editor")
    assert not violations, "\n".join(violations)


def test_portal_pages_run_their_scripts_under_the_policy(page, screenshot):
    staff = StaffProfileFactory(user__email="worker@example.org")
    CredentialFactory(staff=staff)
    violations = _collect_csp_violations(page)
    login(page, staff.user.email)
    page.set_viewport_size({"width": 500, "height": 900})
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#primary-nav.open")).to_be_visible()
    page.goto("/credentials/")
    screenshot(page, "credentials")
    assert not violations, "\n".join(violations)


def test_the_idle_warning_offers_to_stay_signed_in(page, settings, screenshot):
    settings.IDLE_TIMEOUT_MINUTES = 30
    staff = StaffProfileFactory(user__email="idle@example.org")
    page.clock.install()
    login(page, staff.user.email)
    page.goto("/")
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_hidden()
    page.clock.fast_forward("29:05")
    expect(warning).to_contain_text("signed out in one minute")
    screenshot(page, "idle-warning")
    with page.expect_response("**/session/keepalive/") as keepalive:
        page.get_by_role("button", name="Stay signed in").click()
    assert keepalive.value.status == 200
    warning.wait_for(state="hidden")
