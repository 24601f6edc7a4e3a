"""A demo new hire's orientation in a real browser: lessons, quiz, attestation,
certificate."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from courses.demo import seed
from courses.models import Completion, CoursePage
from portal.dates import agency_today
from portal.demo import DEMO_PASSWORD, seed_organisation
from tests.browser import assert_accessible, login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_new_hire_completes_hipaa_orientation(django_db_setup, page, screenshot):
    # django_db_setup first: the test database must exist before Playwright starts
    # its event loop in this thread (else Django refuses to create it).

    today = agency_today()
    seed_organisation(today=today)
    seed(today=today)
    course = CoursePage.objects.get(slug="hipaa-part2")
    quiz = course.quiz()
    answer_key = {
        block.id: [i for i, c in enumerate(block.value["choices"]) if c["correct"]]
        for block in quiz.questions
    }

    login(page, "newhire@demo.milieu.local", DEMO_PASSWORD)
    # Home: the course needed before the first shift leads "Your training".
    page.goto("/")
    first = page.locator("section[aria-labelledby='next-training-h'] li").first
    expect(first).to_contain_text(course.title)
    expect(first).to_contain_text("Before your first shift")
    assert_accessible(page)
    page.get_by_role("link", name="My training").first.click()
    expect(page.get_by_role("heading", name="My training")).to_be_visible()
    screenshot(page, "1-my-training")

    with page.expect_navigation():
        page.get_by_role("link", name=course.title).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Start the course").click()
    for number in range(len(course.lessons())):
        if number == 1:
            screenshot(page, "2-lesson")
        with page.expect_navigation():
            page.get_by_role("button", name="Mark this lesson complete").click()

    # The last lesson leads straight to the quiz; starting an attempt is a POST.
    expect(page.get_by_role("heading", name=quiz.title)).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    for qid, right in answer_key.items():
        for index in right:
            page.check(f"input[name='q-{qid}'][value='{index}']")
    screenshot(page, "3-quiz")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Score: 100%")).to_be_visible()
    screenshot(page, "4-quiz-result")

    with page.expect_navigation():
        page.get_by_role(
            "link", name=f"Next: sign the {course.attestation_page().title}"
        ).click()
    page.get_by_label(course.attestation_page().statement).check()
    page.get_by_label("Type your full name as your signature").fill("Jordan Blake")
    screenshot(page, "5-attestation")
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_text("Your signature is recorded")).to_be_visible()
    screenshot(page, "6-course-complete")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your certificate (PDF)").click()
    pdf = download_info.value.path().read_bytes()
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    completion = Completion.objects.get(staff__user__email="newhire@demo.milieu.local")
    assert "Jordan Blake" in text and completion.certificate_code in text
    assert completion.course_title == course.title

    page.goto(f"/verify/{completion.certificate_code}/")
    expect(page.locator("#verify-status")).to_contain_text("Current: renew by")
    expect(page.get_by_text("Course version")).to_be_visible()
    screenshot(page, "7-verify")
