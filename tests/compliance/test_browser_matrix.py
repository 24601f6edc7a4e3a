"""In a real browser: the supervisor filters the matrix to "not ready", opens a
person, signs off a skill, and the cell turns current; on desktop and on a phone."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser import assert_accessible, login
from tests.factories import (
    JobRoleFactory,
    StaffProfileFactory,
    TeamFactory,
    UserFactory,
    make_supervisor,
)
from tests.skills.factories import SkillChecklistFactory, SkillRequirementFactory

# Playwright's sync API runs an event loop in this thread; the test database may be
# created after it starts, and Django refuses that unless told it is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def unit():
    team = TeamFactory(name="Cedar House")
    role = JobRoleFactory(name="Treatment Technician", code="treatment-technician")
    checklist = SkillChecklistFactory(
        name="Vital signs", items=["Cuff size", "Pulse for a full minute", "Record"]
    )
    SkillRequirementFactory(job_role=role, checklist=checklist, before_first_shift=True)
    supervisor = make_supervisor(team, first_name="Sofia", last_name="Marsh")
    StaffProfileFactory(
        team=team,
        job_role=JobRoleFactory(name="Behavioral Health Professional", code="bhp"),
        user=supervisor,
    )
    newbie = StaffProfileFactory(
        team=team,
        job_role=role,
        user=UserFactory(first_name="Jordan", last_name="Blake"),
    )
    done = StaffProfileFactory(
        team=team,
        job_role=role,
        user=UserFactory(first_name="Priya", last_name="Patel"),
    )
    from portal.dates import agency_today
    from skills.services import signoff_create

    signoff_create(
        staff=done,
        checklist=checklist,
        observed_on=agency_today(),
        signed_by=supervisor,
        signature_name="Sofia Marsh",
        results=[(i.text, "met") for i in checklist.items.all()],
    )
    return {"supervisor": supervisor, "newbie": newbie, "checklist": checklist}


def run_journey(
    page, screenshot, unit, scope: str, done: str = "Current", done_in: str = ""
):
    login(page, unit["supervisor"].email)
    page.goto("/matrix/")
    filters = page.locator("#matrix-filters")
    # Folded so the people come first, on any screen.
    assert filters.evaluate("d => d.open") is False
    page.click("#matrix-filters summary")
    page.select_option("select[name=verdict]", "not_ready")
    page.click("form[role=search] button[type=submit]")
    expect(page).to_have_url(re.compile(r"verdict=not_ready"))
    people = page.locator(f"{scope} a", has_text="Jordan Blake")
    expect(people).to_have_count(1)
    expect(page.locator(f"{scope} a", has_text="Priya Patel")).to_have_count(0)
    screenshot(page, "1-not-ready")
    people.first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Jordan Blake")).to_be_visible()
    screenshot(page, "2-person")
    with page.expect_navigation():
        page.get_by_role("link", name="Sign off a skill").click()
    assert_accessible(page)
    page.get_by_role("link", name="Vital signs").click()
    for n in range(3):
        page.check(f"input[name=item_{n}][value=met]")
    page.fill("input[name=signature_name]", "Sofia Marsh")
    screenshot(page, "3-sign-off")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign and save").click()
    expect(
        page.get_by_text("Vital signs is signed off for Jordan Blake")
    ).to_be_visible()
    page.goto("/matrix/?q=Jordan")
    cell = page.locator(done_in or scope).get_by_text(done).first
    expect(cell).to_be_visible()
    screenshot(page, "4-current")
    page.goto("/matrix/?verdict=not_ready")
    expect(page.locator(f"{scope} a", has_text="Jordan Blake")).to_have_count(0)


def test_supervisor_signs_off_a_skill_on_desktop(unit, page, screenshot):
    page.set_viewport_size({"width": 1280, "height": 900})
    run_journey(page, screenshot, unit, ".matrix-wide tbody th", done_in=".matrix-wide")


def test_supervisor_signs_off_a_skill_on_a_phone(unit, page, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    # A phone shows what is missing, not every cell: signed off, nothing is.
    # (the names are the row headings: each card also links "Open ...'s card").
    run_journey(
        page,
        screenshot,
        unit,
        ".matrix tbody th",
        done="Nothing missing.",
        done_in=".matrix tbody",
    )
    # One table, drawn as one card per person: no heading row, no side scrolling.
    expect(page.locator(".matrix thead")).to_be_hidden()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390


@pytest.fixture
def crowd(unit):
    """Enough people and requirements to overflow the screen both ways."""
    from tests.skills.factories import SkillChecklistFactory as Checklist

    role = unit["newbie"].job_role
    for n in range(12):
        SkillRequirementFactory(
            job_role=role, checklist=Checklist(name=f"Skill number {n:02d}")
        )
    team = unit["newbie"].team
    for n in range(30):
        StaffProfileFactory(
            team=team,
            job_role=role,
            user=UserFactory(first_name=f"Person{n:02d}", last_name="Crowd"),
        )
    return unit


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_the_matrix_fills_the_window_and_only_the_table_scrolls(
    crowd, page, screenshot, size
):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    login(page, crowd["supervisor"].email)
    page.goto("/matrix/?per_page=50")
    page_size = page.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " document.documentElement.scrollHeight]"
    )
    assert page_size == [width, height]  # the page itself does not scroll
    box = page.locator(".matrix-wide").bounding_box()
    pager = page.locator("nav.pagination")
    bottom = pager.bounding_box()["y"] if pager.count() else height
    assert box["y"] + box["height"] >= bottom - 40  # the table takes what is left
    assert box["height"] >= height * 0.5
    wrap = page.locator(".matrix-wide")
    assert wrap.evaluate("e => e.scrollHeight > e.clientHeight")
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")
    head = page.locator(".matrix thead th").first
    name = page.get_by_role("rowheader").filter(has_text="Person00").first
    head_y, name_x = head.bounding_box()["y"], name.bounding_box()["x"]
    wrap.evaluate("e => { e.scrollTop = 400; e.scrollLeft = 600; }")
    # The heading row and the name column stay where they were.
    assert abs(head.bounding_box()["y"] - head_y) < 1
    first_visible = page.get_by_role("rowheader").filter(has_text="Person10").first
    assert abs(first_visible.bounding_box()["x"] - name_x) < 1
    screenshot(page, f"{width}x{height}")


def test_each_cell_is_drawn_once(unit, client):
    client.force_login(unit["supervisor"])
    html = client.get("/matrix/", {"q": "Jordan"}).content.decode()
    assert html.count('data-status="missing"') == 1  # the one skill not signed off
    assert html.count('data-status="current"') == 0
