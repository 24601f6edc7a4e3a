"""In a real browser: a staff member uploads their CPR card, HR verifies it beside
the document, the staff member sees it verified."""

import datetime as dt
import os
import re

import pytest
import time_machine
from playwright.sync_api import expect

from credentials.models import Credential
from tests.browser import assert_accessible, login
from tests.credentials.factories import PDF_BYTES, CredentialTypeFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


# The card's dates are fixed, so the clock is too (the live server shares it).
@time_machine.travel(dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC), tick=True)
def test_upload_then_hr_verifies(staff, hr, tmp_path, page, screenshot):
    cpr = CredentialTypeFactory(
        name="CPR / First Aid", code="cpr", requires_document=True
    )
    card = tmp_path / "cpr-card.pdf"
    card.write_bytes(PDF_BYTES)
    login(page, staff.user.email)
    with page.expect_navigation():
        page.get_by_role("link", name="My credentials").first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Add a credential").click()
    assert_accessible(page)
    page.select_option("select[name=credential_type]", str(cpr.pk))
    page.fill("input[name=issuing_body]", "American Heart Association")
    page.fill("input[name=issued_on]", "2026-01-10")
    page.fill("input[name=expires_on]", "2028-01-31")
    page.set_input_files("input[name=documents]", str(card))
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("HR will verify it")
    screenshot(page, "staff-uploaded")
    credential = Credential.objects.get()

    page.context.clear_cookies()
    login(page, hr.email)
    with page.expect_navigation():
        page.get_by_role("link", name="Verification queue").click()
    expect(page.locator("body")).to_contain_text("1 pending")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Review").click()
    page.fill("input[name=primary_source_note]", "AHA eCard lookup")
    screenshot(page, "hr-review")
    # Return must not look like Verify (the generic button rules used to win).
    verify = page.get_by_role("button", name="Verify", exact=True)
    reject = page.get_by_role("button", name=re.compile("with this reason"))
    color = "e => getComputedStyle(e).backgroundColor"
    assert verify.evaluate(color) != reject.evaluate(color)
    with page.expect_navigation():
        page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.locator("body")).to_contain_text("is verified")
    credential.refresh_from_db()
    assert credential.verification_status == "verified" and credential.verified_by == hr

    page.context.clear_cookies()
    login(page, staff.user.email)
    page.goto("/credentials/")
    new_link = page.get_by_role("button", name=re.compile("Make a new link"))
    assert (
        new_link.evaluate("e => getComputedStyle(e).backgroundColor")
        == "rgb(255, 255, 255)"
    )
    expect(page.locator('.badge[data-status="current"]').first).to_be_visible()
    screenshot(page, "staff-verified")
