"""Searching training: learners from "My training" and the library, authors from
the CMS; only published courses and lessons are found."""

import pytest

from courses.models import CoursePage, LessonPage
from tests.courses.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    course = make_course(title="De-escalation basics", lessons=2)
    page = CoursePage.objects.get(pk=course.page.pk)
    page.summary = "Calm a crisis before it becomes a restraint."
    page.save_revision().publish()
    lesson = LessonPage.objects.get(pk=course.lessons[0].pk)
    lesson.body = [("paragraph", "<p>Offer naloxone and call for help.</p>")]
    lesson.save_revision().publish()
    return course


def _search(client, q):
    return client.get("/training/search/", {"q": q})


def test_my_training_and_the_library_offer_a_search_box(client, staff, course):
    client.force_login(staff.user)
    for url in ("/training/", course.page.get_parent().url):
        body = client.get(url).content.decode()
        assert 'role="search" aria-label="Search training"' in body
        assert 'action="/training/search/"' in body and 'name="q"' in body


def test_a_learner_finds_a_lesson_by_its_text_and_a_course_by_its_summary(
    client, staff, course
):
    client.force_login(staff.user)
    response = _search(client, "naloxone")
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 result for “naloxone”." in body
    assert f'<a href="{course.lessons[0].url}">Lesson 1</a>' in body
    assert "Lesson in De-escalation basics" in body
    body = _search(client, "restraint").content.decode()
    assert f'<a href="{course.page.url}">De-escalation basics</a>' in body
    assert "Calm a crisis" in body
    body = _search(client, "De-escalation").content.decode()  # by title
    assert f'<a href="{course.page.url}">De-escalation basics</a>' in body


def test_unpublished_training_is_not_found(client, staff, course):
    LessonPage.objects.get(pk=course.lessons[0].pk).unpublish()
    client.force_login(staff.user)
    assert "No published course or lesson matches" in (
        _search(client, "naloxone").content.decode()
    )
    other = make_course(title="Hidden course", lessons=1)
    lesson = LessonPage.objects.get(pk=other.lessons[0].pk)
    lesson.body = [("paragraph", "<p>Secret wording here.</p>")]
    lesson.save_revision().publish()
    CoursePage.objects.get(pk=other.page.pk).unpublish()
    body = _search(client, "secret wording").content.decode()
    assert "Hidden course" not in body and "0 results" in body


@pytest.mark.parametrize("q", ["", "   ", "x" * 5000, "\u0000", "' OR 1=1 --", "*"])
def test_odd_queries_are_answered_calmly(client, staff, course, q):
    client.force_login(staff.user)
    response = _search(client, q)
    assert response.status_code in (200, 400)  # never a 500


def test_search_needs_a_login(client, course):
    response = _search(client, "naloxone")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_author_finds_a_lesson_by_its_text_in_the_cms(client, course):
    from tests.factories import UserFactory

    author = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(author)
    from django.urls import reverse

    results = reverse("wagtailadmin_pages:search_results")
    response = client.get(results, {"q": "naloxone"})  # a word of the body only
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lesson 1" in body and "Lesson 2" not in body
