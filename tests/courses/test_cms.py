"""Authors write courses in the Wagtail admin; HR manages course requirements."""

import datetime as dt

import pytest

from courses.models import CourseRequirement
from courses.starter_loader import library_grant_authors, library_page
from portal.roles import Role
from portal.services import roles_ensure
from tests.courses.factories import make_course
from tests.factories import JobRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    roles_ensure()
    user = UserFactory(roles=[Role.STAFF, Role.AUTHOR])
    library_grant_authors(library=library_page())
    return user


def test_author_opens_the_editors(client, author):
    course = make_course(attestation=True)
    client.force_login(author)
    for page in (course.page, course.lessons[0], course.quiz, course.attestation):
        response = client.get(f"/cms/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
    add_lesson = client.get(f"/cms/pages/add/courses/lessonpage/{course.page.pk}/")
    assert add_lesson.status_code == 200
    # A second quiz in the same course is not offered.
    add_quiz = client.get(f"/cms/pages/add/courses/quizpage/{course.page.pk}/")
    assert add_quiz.status_code in (302, 403)


def test_staff_cannot_open_the_cms(client, staff):
    client.force_login(staff.user)
    response = client.get("/cms/")
    assert response.status_code in (302, 403)


def test_hr_manages_course_requirements_in_the_cms(client, hr):
    from django.apps import apps

    from courses.apps import _grant_permissions

    _grant_permissions(apps.get_app_config("courses"))  # what post_migrate runs
    course = make_course()
    role = JobRoleFactory()
    client.force_login(hr)
    assert client.get("/cms/courserequirement/").status_code == 200
    response = client.post(
        "/cms/courserequirement/new/",
        {
            "job_role": role.pk,
            "course": course.page.pk,
            "due_rule": "within_days",
            "due_within_days": "7",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    req = CourseRequirement.objects.get()
    assert req.due_on(hire_date=dt.date(2026, 3, 1), orientation_days=30) == dt.date(
        2026, 3, 8
    )
    assert not req.before_first_shift


def test_cms_lists_a_starter_course_in_course_order(client):
    from wagtail.models import Page

    from courses.models import CoursePage
    from courses.starter_loader import load_starter_courses

    load_starter_courses()
    course = CoursePage.objects.get(slug="hipaa-part2")
    children = list(course.get_children().specific())
    kinds = [type(p).__name__ for p in children]
    n = kinds.count("LessonPage")
    assert kinds == ["LessonPage"] * n + ["QuizPage", "AttestationPage"]
    assert [p.slug for p in children[:n]] == [f"lesson-{i}" for i in range(1, n + 1)]
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    body = client.get(f"/cms/pages/{course.pk}/").content.decode()
    titles = [Page.objects.get(pk=p.pk).title for p in children]
    positions = [body.find(t) for t in titles]
    assert -1 not in positions and positions == sorted(positions)
