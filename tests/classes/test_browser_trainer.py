"""In a real browser: a trainer opens "My upcoming sessions" from their home, sees
who is booked in their class before it starts, and on the day takes attendance
on a roster that starts blank, with "Mark all present" as a deliberate step."""

import datetime as dt
import os

import pytest
import time_machine
from playwright.sync_api import expect

from classes.models import Roster
from credentials.models import Credential
from tests.browser import assert_accessible, login
from tests.classes.factories import NOON, make_taught_class

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BEFORE_CLASS = NOON - dt.timedelta(days=3)
DURING_CLASS = NOON + dt.timedelta(hours=1)
PEOPLE = ("Alma Avila", "Bert Baker", "Cleo Cruz", "Dana Diaz")


@time_machine.travel(BEFORE_CLASS, tick=True)
def test_trainer_sees_who_is_booked_and_marks_all_present(
    live_server, page, screenshot
):
    world = make_taught_class()
    session, trainer = world["session"], world["trainer"]
    booked = [world[p] for p in ("Alma", "Bert", "Cleo", "Dana")]

    # Before the class: home -> my session -> who is booked.
    login(page, trainer.email)
    page.goto("/")
    panel = page.locator("section", has_text="My upcoming sessions")
    expect(panel).to_contain_text("4 of 8 taken")
    panel.get_by_role("link", name="Who is booked").click()
    people = page.locator("section", has_text="Who is booked")
    for name in PEOPLE:
        expect(people).to_contain_text(name)
    expect(people).to_contain_text("Cedar House")
    expect(people).to_contain_text("Birch House")
    expect(page.locator("body")).not_to_contain_text("Nobody has booked yet")
    screenshot(page, "trainer-who-is-booked")

    # On the day: the roster starts blank; "Mark all present" fills it.
    with time_machine.travel(DURING_CLASS, tick=True):
        page.goto(f"/classes/{session.pk}/roster/")
        present = page.get_by_role("radio", name="Present")
        expect(present).to_have_count(4)
        for i in range(4):
            expect(present.nth(i)).not_to_be_checked()
        assert_accessible(page)
        page.get_by_role("button", name="Mark all present").click()
        expect(page.locator("body")).to_contain_text("now marked present")
        for i in range(4):
            expect(present.nth(i)).to_be_checked()
        assert not Roster.objects.exists()
        # Dana left early: absent. Everyone present passed.
        page.get_by_role("radio", name="Absent").nth(3).check()
        page.get_by_role("button", name="Mark everyone present as passed").click()
        passed = page.get_by_role("radio", name="Passed")
        for i in range(3):
            expect(passed.nth(i)).to_be_checked()
        expect(passed.nth(3)).not_to_be_checked()
        expect(page.get_by_role("radio", name="Absent").nth(3)).to_be_checked()
        page.get_by_label("Sign with your full name").fill("Trina Trainer")
        screenshot(page, "trainer-roster-marked")
        page.get_by_role("button", name="Sign and submit").click()
        expect(page.locator("body")).to_contain_text("Signed by Trina Trainer")
        renewed = set(Credential.objects.values_list("staff_id", flat=True))
        assert renewed == {p.pk for p in booked[:3]}
        page.goto(f"/classes/{session.pk}/")
        expect(page.locator("dl.facts")).to_contain_text("3 attended, 1 absent")
