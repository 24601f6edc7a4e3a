"""In a real browser, with axe-core: the main pages of each role have no serious
or critical WCAG 2.1 A/AA violation, on a desktop and on a phone; an incomplete
quiz says what is missing at the top and puts the focus on the first gap; allauth's
two-factor pages are drawn in the portal's cards and buttons."""

import os
import re

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD
from tests.browser import login

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def visit(page, screenshot, path_or_link: str, name: str) -> None:
    if path_or_link.startswith("/"):
        page.goto(path_or_link)
    else:
        before = page.url
        page.get_by_role("link", name=path_or_link).first.click()
        page.wait_for_url(lambda url: url != before)
    page.wait_for_load_state()
    screenshot(page, name)  # runs axe-core first


@pytest.mark.parametrize("size", SIZES)
def test_main_pages_of_each_role_pass_axe(seeded_demo, page, screenshot, size):
    from courses.models import CoursePage

    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    course = CoursePage.objects.get(slug="hipaa-part2")
    lesson = course.lessons()[0]

    # A staff member (the demo new hire).
    login(page, "newhire@demo.milieu.local", DEMO_PASSWORD)
    visit(page, screenshot, "/", f"{size}-staff-home")
    visit(page, screenshot, "/training/", f"{size}-my-training")
    visit(page, screenshot, course.url, f"{size}-course")
    visit(page, screenshot, lesson.url, f"{size}-lesson")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark this lesson complete").click()
    expect(page.locator("[role=status] li.message").first).to_be_visible()
    screenshot(page, f"{size}-after-a-message")
    visit(page, screenshot, course.quiz().url, f"{size}-quiz-start")
    start = page.get_by_role("button", name="Start the quiz")
    if start.count():
        start.click()
        expect(page.locator("fieldset.question").first).to_be_visible()
    screenshot(page, f"{size}-quiz")
    visit(page, screenshot, "/credentials/", f"{size}-my-credentials")
    # allauth's two-factor pages in the portal's cards and buttons; the secret's
    # help text is read out with its field.
    visit(page, screenshot, "/accounts/2fa/", f"{size}-two-factor")
    expect(page.locator("main section.card h2").first).to_have_text("Authenticator App")
    page.get_by_role("link", name="Activate").click()
    page.wait_for_url(re.compile(r"/(reauthenticate|2fa/totp/activate)/"))
    if "/reauthenticate/" in page.url:  # allauth asks for the password again
        screenshot(page, f"{size}-two-factor-reauthenticate")
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/2fa/totp/activate/"))
    screenshot(page, f"{size}-two-factor-activate")
    described = page.locator("main input[aria-describedby]").first
    help_id = described.get_attribute("aria-describedby")
    expect(page.locator(f"#{help_id}")).to_contain_text("store this secret")
    page.context.clear_cookies()

    # A supervisor.
    login(page, "supervisor1@demo.milieu.local", DEMO_PASSWORD)
    visit(page, screenshot, "/", f"{size}-supervisor-home")
    visit(page, screenshot, "/matrix/", f"{size}-matrix")
    page.locator(".matrix tbody th[scope=row] a").first.click()
    expect(page).not_to_have_url(re.compile(r"/matrix/$"))
    page.wait_for_load_state()
    screenshot(page, f"{size}-person")
    visit(page, screenshot, "/staff/", f"{size}-staff-directory")
    page.context.clear_cookies()

    # HR.
    login(page, "hr@demo.milieu.local", DEMO_PASSWORD)
    visit(page, screenshot, "/compliance/", f"{size}-dashboard")
    visit(page, screenshot, "/verification/", f"{size}-verification-queue")
    visit(page, screenshot, "/staff/import/", f"{size}-import")
    visit(page, screenshot, "/staff/", f"{size}-hr-staff-directory")


def test_an_incomplete_quiz_lists_the_gaps_and_focuses_the_first(
    seeded_demo, page, screenshot
):
    from courses.models import CoursePage

    quiz = CoursePage.objects.get(slug="hipaa-part2").quiz()
    login(page, "newhire@demo.milieu.local", DEMO_PASSWORD)
    page.goto(quiz.url)
    start = page.get_by_role("button", name="Start the quiz")
    if start.count():
        start.click()
        expect(page.locator("fieldset.question").first).to_be_visible()
    # Answer only the first question shown, then submit.
    shown = page.locator("fieldset.question").evaluate_all("fs => fs.map(f => f.id)")
    assert len(shown) >= 3
    page.locator(f"#{shown[0]} input").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit answers").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    box = summary.bounding_box()
    assert box["y"] < page.locator("fieldset.question").first.bounding_box()["y"]
    expect(summary).to_contain_text(f"{len(shown) - 1} questions still to answer")
    expect(summary.get_by_role("link", name="Question 2")).to_be_visible()
    # The focus waits in the first unanswered question.
    focused = page.evaluate(
        "() => document.activeElement.closest('fieldset')?.id || ''"
    )
    assert focused == shown[1]
    # The first answer was kept.
    expect(page.locator(f"#{shown[0]} input").first).to_be_checked()
    screenshot(page, "quiz-gaps")
    # The summary's links lead to the question.
    summary.get_by_role("link", name="Question 3").click()
    expect(page).to_have_url(re.compile(f"#{shown[2]}$"))


def test_a_form_with_errors_passes_axe_and_keeps_its_error_lists(
    seeded_demo, page, screenshot
):
    """HR sends the "Add staff" form half filled: each field's errors are read out
    (an alert) and are still a list, so axe finds no orphaned list item."""
    login(page, "hr@demo.milieu.local", DEMO_PASSWORD)
    page.goto("/staff/add/")
    page.fill("input[name=email]", "not an email")
    # The form is novalidate: the server's messages are the ones people see.
    with page.expect_navigation():
        page.get_by_role("button", name="Add and send invitation").click()
    alert = page.locator("main .field [role=alert]").first
    expect(alert).to_be_visible()
    expect(alert.locator("ul.errorlist > li").first).to_be_visible()
    # The list keeps its role: the alert is its wrapper, not the list.
    assert page.locator("ul[role=alert], ol[role=alert]").count() == 0
    screenshot(page, "form-errors")  # runs axe-core: no serious "listitem"
