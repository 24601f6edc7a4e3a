"""In a real browser: a demo supervisor logs in and sees their team's names."""

import re

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD
from portal.models import StaffProfile, User
from tests.browser import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_demo_supervisor_logs_in_and_sees_their_team(seeded_demo, page, screenshot):
    supervisor = User.objects.get(email="supervisor1@demo.milieu.local")
    mine = StaffProfile.objects.filter(team__supervisors=supervisor).exclude(
        user=supervisor
    )
    others = StaffProfile.objects.exclude(team__supervisors=supervisor)

    login(page, supervisor.email, DEMO_PASSWORD)
    expect(page.locator("h1").first).to_have_text(re.compile(r"^\s*Welcome, Sofia"))
    screenshot(page, "home")

    with page.expect_navigation():
        page.get_by_role("link", name="Staff", exact=True).click()
    main = page.locator("main")
    on_first_page = [s.full_name for s in mine.order_by("user__last_name")[:25]]
    assert on_first_page
    for name in on_first_page:
        expect(main).to_contain_text(name)
    body = main.inner_text()  # the list is drawn: no one else's name is on it
    assert not any(s.full_name in body for s in others)
    screenshot(page, "staff")
