"""In a real browser: HR schedules a CPR class, a staff member with an expiring
card books it from the reminder's link, the instructor takes attendance on a
phone-sized screen, and the matrix then shows the card as current."""

import datetime as dt
import os
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from classes.models import Booking, ClassSession
from credentials.models import Credential
from credentials.reminders import reminder_scan
from portal.roles import Role
from tests.browser import login
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import StaffProfileFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TODAY_NOON = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)
CLASS_MORNING = dt.datetime(2026, 12, 15, 16, 0, tzinfo=dt.UTC)  # 11:00 New York


@time_machine.travel(TODAY_NOON, tick=True)
def test_from_reminder_to_seat_to_renewed_card(
    staff,
    supervisor,
    hr,
    live_server,
    page,
    screenshot,
    django_capture_on_commit_callbacks,
):
    cpr = CredentialTypeFactory(
        name="CPR / First Aid", code="cpr", reminder_days="90, 30, 7, 0"
    )
    CredentialRequirementFactory(job_role=staff.job_role, credential_type=cpr)
    CredentialFactory(
        staff=staff,
        credential_type=cpr,
        verification_status="verified",
        issued_on=dt.date(2024, 12, 31),
        expires_on=dt.date(2026, 12, 31),
    )
    trainer = UserFactory(
        first_name="Tina", last_name="Trainer", roles=[Role.STAFF, Role.AUTHOR]
    )
    # A certified CPR instructor: the passes she signs are verified at once.
    cpr_instructor = CredentialTypeFactory(name="CPR Instructor", code="cpr-instr")
    cpr.instructor_credentials.add(cpr_instructor)
    CredentialFactory(
        staff=StaffProfileFactory(user=trainer),
        credential_type=cpr_instructor,
        issued_on=dt.date(2026, 1, 5),
        expires_on=dt.date(2028, 1, 4),
    )

    # HR schedules the class.
    login(page, hr.email)
    page.goto("/classes/")
    page.get_by_role("link", name="Schedule a class").click()
    page.fill("input[name=title]", "CPR / First Aid renewal")
    page.select_option("select[name=credential_type]", str(cpr.pk))
    page.fill("input[name=starts_at]", "2026-12-15T09:00")
    page.fill("input[name=ends_at]", "2026-12-15T13:00")
    page.fill("input[name=location]", "Cedar House, training room")
    page.select_option("select[name=instructor]", str(trainer.pk))
    page.fill("input[name=capacity]", "6")
    page.fill("input[name=booking_deadline]", "2026-12-14T17:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Schedule").click()
    expect(page.locator("body")).to_contain_text("is scheduled")
    session = ClassSession.objects.get()

    # The 30-day reminder links to the class.
    with django_capture_on_commit_callbacks(execute=True):
        reminder_scan(today=dt.date(2026, 12, 1))
    reminder = next(m for m in mail.outbox if m.to == [staff.user.email])
    link = next(
        line for line in reminder.body.splitlines() if f"/classes/{session.pk}/" in line
    )
    path = urlsplit(link.split(": ", 1)[-1].strip()).path

    page.context.clear_cookies()
    login(page, staff.user.email)
    page.goto(path)
    with page.expect_navigation():
        page.get_by_role("button", name="Book a seat").click()
    expect(page.locator("body")).to_contain_text("You are booked")
    screenshot(page, "staff-booked")
    assert Booking.objects.get(staff=staff).status == "booked"

    # On the day, the instructor takes attendance on a phone.
    with time_machine.travel(CLASS_MORNING, tick=True):
        phone = page.context.browser.new_context(
            base_url=live_server.url,
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
        )
        mobile = phone.new_page()
        login(mobile, trainer.email)
        mobile.goto(f"/classes/{session.pk}/")
        with mobile.expect_navigation():
            mobile.get_by_role("link", name="Take attendance").click()
        mobile.get_by_label("Present").first.check()
        mobile.get_by_label("Passed").first.check()
        mobile.fill("input[name=signature]", "Tina Trainer")
        width = mobile.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"the roster scrolls sideways on a phone ({width}px)"
        screenshot(mobile, "roster-phone")
        with mobile.expect_navigation():
            mobile.get_by_role("button", name="Sign and submit").click()
        expect(mobile.locator("body")).to_contain_text("Signed by Tina Trainer")
        phone.close()

        renewed = Credential.objects.get(staff=staff, superseded_by__isnull=True)
        assert renewed.expires_on == dt.date(2028, 12, 14)
        assert "Tina Trainer" in renewed.primary_source_note
        assert renewed.verification_status == "verified"

        page.context.clear_cookies()
        login(page, supervisor.email)
        page.goto("/matrix/")
        row = page.locator("tr", has_text=staff.full_name).first
        expect(row).to_contain_text("Current")
        screenshot(page, "matrix-current")
