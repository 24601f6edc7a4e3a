"""Versions that mean something: "substantive change" on every page of a course,
one bump per publish, learners told they did an earlier version, re-training for
everyone on an older version (by HR or automatically)."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine

from courses.models import (
    Assignment,
    AttestationPage,
    CoursePage,
    LessonPage,
    QuizPage,
)
from courses.services import completion_record
from courses.starter_loader import library_grant_authors, library_page
from portal.roles import Role
from portal.services import roles_ensure
from tests.courses.factories import make_course
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 25, 12, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
TODAY = NOON.date()


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _publish(page, *, substantive: bool):
    page = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
    page.substantive_change = substantive
    page.save_revision().publish()


def _version(course) -> int:
    return CoursePage.objects.get(pk=course.page.pk).version


def test_every_editor_offers_substantive_change(client):
    roles_ensure()
    author = UserFactory(roles=[Role.STAFF, Role.AUTHOR])
    library_grant_authors(library=library_page())
    course = make_course(attestation=True)
    client.force_login(author)
    for page in (course.page, course.lessons[0], course.quiz, course.attestation):
        body = client.get(f"/cms/pages/{page.pk}/edit/").content.decode()
        assert "this is a substantive change" in body.lower(), page


@pytest.mark.parametrize("which", ["lesson", "quiz", "attestation"])
def test_a_substantive_publish_of_any_page_bumps_the_course_once(which):
    course = make_course(attestation=True)
    page = {
        "lesson": course.lessons[0],
        "quiz": course.quiz,
        "attestation": course.attestation,
    }[which]
    _publish(page, substantive=False)
    assert _version(course) == 1
    _publish(page, substantive=True)
    assert _version(course) == 2
    # The box is unticked again, on the page and in the draft an author opens.
    model = type(page)
    assert model.objects.get(pk=page.pk).substantive_change is False
    latest = model.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.substantive_change is False
    _publish(page, substantive=False)
    assert _version(course) == 2
    # Publishing the course afterwards keeps the version its pages gave it.
    _publish(course.page, substantive=False)
    assert _version(course) == 2
    assert {LessonPage, QuizPage, AttestationPage} >= {model}


def test_learner_on_an_older_version_is_told(client, clock, staff):
    course = make_course()
    completion_record(staff=staff, course=course.page, score=90)
    client.force_login(staff.user)
    page = CoursePage.objects.get(pk=course.page.pk)
    assert "is current" not in text(client.get(page.url))
    _publish(course.lessons[0], substantive=True)
    page = CoursePage.objects.get(pk=course.page.pk)
    notice = "You completed version 1; version 2 is current."
    assert notice in text(client.get(page.url))
    assert notice in text(client.get("/training/"))


def test_hr_assigns_retraining_to_everyone_on_an_older_version(
    client, clock, team, hr, django_capture_on_commit_callbacks
):
    course = make_course()
    old = [StaffProfileFactory(team=team) for _ in range(2)]
    gone = StaffProfileFactory(team=team)
    for person in [*old, gone]:
        completion_record(staff=person, course=course.page, score=90)
    # A leaver on version 1 is not asked back.
    gone.status, gone.termination_date = "terminated", TODAY
    gone.save()
    _publish(course.quiz, substantive=True)
    current = StaffProfileFactory(team=team)
    completion_record(
        staff=current, course=CoursePage.objects.get(pk=course.page.pk), score=95
    )
    page = CoursePage.objects.get(pk=course.page.pk)
    client.force_login(hr)
    body = text(client.get(page.url))
    assert "2 people completed an earlier version" in body
    # It runs in the background (here, at commit) and its page shows the result.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/training/courses/{page.pk}/retrain-older-versions/", {"days": "14"}
        )
    assert response.status_code == 302
    assert "Assigned the course to 2 people." in text(client.get(response["Location"]))
    assigned = Assignment.objects.filter(course=page, completion__isnull=True)
    assert {a.staff_id for a in assigned} == {p.pk for p in old}
    assert {a.source for a in assigned} == {"new_version"}
    assert {a.due_on for a in assigned} == {TODAY + dt.timedelta(days=14)}
    assert {a.assigned_by for a in assigned} == {hr}
    # Twice assigns nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/training/courses/{page.pk}/retrain-older-versions/", {"days": "14"}
        )
    assert assigned.count() == 2
    assert "has it assigned again" in text(client.get(page.url))
    # The learner sees it due again.
    client.force_login(old[0].user)
    page_text = text(client.get(page.url))
    assert "version 2 is current" in page_text and "assigned to you again" in page_text


def test_bad_days_and_non_hr_are_refused(client, clock, team, supervisor, hr):
    course = make_course()
    url = f"/training/courses/{course.page.pk}/retrain-older-versions/"
    client.force_login(supervisor)
    assert client.post(url, {"days": "14"}).status_code in (302, 403)
    assert not Assignment.objects.exists()
    client.force_login(hr)
    response = client.post(url, {"days": "nonsense"}, follow=True)
    assert response.status_code == 200
    assert "1 to 365" in text(response)


def test_a_course_can_assign_retraining_automatically_on_a_bump(
    clock, team, django_capture_on_commit_callbacks
):
    course = make_course()
    CoursePage.objects.filter(pk=course.page.pk).update(
        retrain_on_new_version=True, new_version_due_days=21
    )
    person = StaffProfileFactory(team=team)
    completion_record(staff=person, course=course.page, score=90)
    _publish(course.lessons[1], substantive=False)
    assert not Assignment.objects.filter(completion__isnull=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        _publish(course.lessons[1], substantive=True)
    assignment = Assignment.objects.get(staff=person, completion__isnull=True)
    assert assignment.source == "new_version"
    assert assignment.due_on == TODAY + dt.timedelta(days=21)
