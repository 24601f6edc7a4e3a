"""On a phone (390 x 844) the team matrix is a list of people: each with the
verdict and what is missing, no sideways scrolling, and the person's page (every
requirement) a tap away."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser import login
from tests.factories import (
    JobRoleFactory,
    StaffProfileFactory,
    TeamFactory,
    UserFactory,
    make_supervisor,
)
from tests.skills.factories import SkillChecklistFactory, SkillRequirementFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def crowd():
    """22 requirements for each of 12 people, as on the issue's phone."""
    team = TeamFactory(name="Cedar House")
    role = JobRoleFactory(name="Treatment Technician", code="treatment-technician")
    for n in range(22):
        SkillRequirementFactory(
            job_role=role,
            checklist=SkillChecklistFactory(name=f"Observed skill number {n:02d}"),
        )
    supervisor = make_supervisor(team, first_name="Sofia", last_name="Marsh")
    people = [
        StaffProfileFactory(
            team=team,
            job_role=role,
            user=UserFactory(first_name=f"Person{n:02d}", last_name="Crowd"),
        )
        for n in range(12)
    ]
    return {"supervisor": supervisor, "people": people}


def test_phone_matrix_lists_people_with_verdict_and_what_is_missing(
    crowd, page, screenshot
):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, crowd["supervisor"].email)
    page.goto("/matrix/")
    first = page.locator(".matrix tbody tr").filter(has_text="Person00 Crowd")
    expect(first).to_have_count(1)
    # The verdict and what is missing, in words, on the person's line.
    expect(first.locator("td.verdicts")).to_be_visible()
    expect(first.locator("td.verdicts")).to_contain_text("Not ready")
    missing = first.locator("td.phone-summary")
    expect(missing).to_be_visible()
    expect(missing).to_contain_text("Past due:")
    expect(missing).to_contain_text("Observed skill number 00")
    # Not 22 lines a person: the cells wait on the person's page.
    expect(first.locator("td.cell").first).to_be_hidden()
    # No sideways scrolling.
    fits = page.evaluate(
        "() => document.scrollingElement.scrollWidth <= window.innerWidth"
    )
    assert fits
    screenshot(page, "phone-matrix")
    # A tap opens the person's card with every requirement.
    first.get_by_role("link", name=re.compile("Person00 Crowd.s card")).click()
    expect(page.get_by_role("heading", name="Person00 Crowd")).to_be_visible()
    expect(page.get_by_text("Observed skill number 21").first).to_be_visible()
