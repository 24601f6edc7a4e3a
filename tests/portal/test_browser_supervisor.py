"""In a real browser: a demo supervisor logs in and sees their team's names."""

import io

import pytest
from django.core.management import call_command

from portal.demo import DEMO_PASSWORD
from portal.models import StaffProfile, User
from tests.browser import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_demo_supervisor_logs_in_and_sees_their_team(page, screenshot):
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    supervisor = User.objects.get(email="supervisor1@demo.milieu.local")
    mine = StaffProfile.objects.filter(team__supervisors=supervisor).exclude(
        user=supervisor
    )
    others = StaffProfile.objects.exclude(team__supervisors=supervisor)

    login(page, supervisor.email, DEMO_PASSWORD)
    assert page.locator("h1").first.inner_text().startswith("Welcome, Sofia")
    screenshot(page, "home")

    page.get_by_role("link", name="Staff", exact=True).click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    on_first_page = [s.full_name for s in mine.order_by("user__last_name")[:25]]
    assert all(name in body for name in on_first_page)
    assert not any(s.full_name in body for s in others)
    screenshot(page, "staff")
