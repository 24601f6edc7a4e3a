"""In a real browser: the header keeps the account menu on the brand's row, to the
right of every menu link, for the longest menu a role can have (HR who also
supervises a team and has training of their own), on a desktop and a tablet; the
account menu opens inside the window and closes on Escape or a click outside."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.roles import Role
from tests.browser import login
from tests.factories import StaffProfileFactory, TeamFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _boxes(page) -> tuple[dict, dict, list[dict]]:
    brand = page.locator(".site-header .brand").bounding_box()
    account = page.locator(".account-menu summary").bounding_box()
    links = [link.bounding_box() for link in page.locator("#primary-nav a").all()]
    return brand, account, links


def _middle(box: dict) -> float:
    return box["y"] + box["height"] / 2


@pytest.mark.parametrize("width", [1280, 1024])
def test_the_account_menu_stays_on_the_brands_row_beside_a_long_menu(
    page, screenshot, settings, width
):
    settings.MFA_REQUIRED_ROLES = []
    team = TeamFactory()
    person = UserFactory(
        roles=[Role.STAFF, Role.HR, Role.SUPERVISOR],
        email="hr-lead@example.org",
        first_name="Christopher",
        last_name="Montgomery-Whitfield",
    )
    team.supervisors.add(person)
    StaffProfileFactory(user=person, team=team)
    page.set_viewport_size({"width": width, "height": 800})
    login(page, person.email)
    page.goto("/")
    brand, account, links = _boxes(page)
    assert len(links) >= 10  # the long menu this test is about
    assert abs(_middle(account) - _middle(brand)) < 24
    assert account["x"] + account["width"] <= width
    for link in links:
        if width >= 1280:
            # One row with the brand: every link between the brand and the account.
            assert brand["x"] + brand["width"] <= link["x"]
            assert link["x"] + link["width"] <= account["x"]
        else:
            # Tablet: the menu on its own row(s) below the brand and the account.
            assert link["y"] >= brand["y"] + brand["height"]
            assert link["x"] + link["width"] <= width
    screenshot(page, f"header-{width}")
    page.locator(".account-menu summary").click()
    two_factor = page.get_by_role("link", name="Two-factor authentication")
    expect(two_factor).to_be_visible()
    box = page.locator(".account-menu ul").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert two_factor.bounding_box()["height"] < 30  # one line, not wrapped
    page.keyboard.press("Escape")
    expect(two_factor).to_be_hidden()
    page.locator(".account-menu summary").click()
    page.locator("main h1").click()  # a click outside closes it too
    expect(two_factor).to_be_hidden()
