"""A learner locked out of a quiz: the supervisor is told (once), sees the lock at
the top of the person's page with its reset, and the course page stops offering
"Resume where you left off"."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail

from courses.models import QuizReset
from courses.services import quiz_attempt_start, quiz_attempt_submit
from portal.models import OutboundEmail
from tests.courses.factories import RIGHT, WRONG, answers_for, make_course

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=NY), tick=False):
        yield


def _fail(staff, course, capture):
    with capture(execute=True):
        attempt = quiz_attempt_start(staff=staff, quiz=course.quiz)
        quiz_attempt_submit(
            staff=staff,
            quiz=course.quiz,
            attempt_id=attempt.pk,
            answers=answers_for(course, WRONG),
        )


def test_supervisor_is_emailed_once_when_the_last_attempt_fails(
    staff, supervisor, django_capture_on_commit_callbacks
):
    course = make_course(attempts_allowed=2)
    _fail(staff, course, django_capture_on_commit_callbacks)
    assert not OutboundEmail.objects.filter(kind="quiz_locked").exists()
    _fail(staff, course, django_capture_on_commit_callbacks)
    rows = OutboundEmail.objects.filter(kind="quiz_locked")
    assert [r.to for r in rows] == [[supervisor.email]]
    sent = [m for m in mail.outbox if m.to == [supervisor.email]]
    assert len(sent) == 1
    assert staff.full_name in sent[0].subject and course.page.title in sent[0].subject
    assert f"/staff/{staff.pk}/" in sent[0].body
    assert "used all 2 attempts" in sent[0].body
    # The learner is not emailed about it.
    assert not [m for m in mail.outbox if m.to == [staff.user.email]]


def test_a_new_lock_after_a_reset_is_told_again(
    staff, supervisor, django_capture_on_commit_callbacks
):
    from courses.services import quiz_reset

    course = make_course(attempts_allowed=1)
    _fail(staff, course, django_capture_on_commit_callbacks)
    quiz_reset(staff=staff, quiz=course.quiz, by=supervisor, reason="Try again")
    _fail(staff, course, django_capture_on_commit_callbacks)
    assert OutboundEmail.objects.filter(kind="quiz_locked").count() == 2


def test_person_page_puts_the_lock_and_its_reset_first(
    client, staff, supervisor, django_capture_on_commit_callbacks
):
    course = make_course(attempts_allowed=1)
    _fail(staff, course, django_capture_on_commit_callbacks)
    client.force_login(supervisor)
    page = client.get(f"/staff/{staff.pk}/").content.decode()
    assert "Locked out of 1 quiz" in page
    assert page.index("Locked out of 1 quiz") < page.index('id="training-h"')
    assert page.index("Reset attempts") < page.index('id="training-h"')
    response = client.post(
        f"/staff/{staff.pk}/quiz-reset/",
        {"quiz": course.quiz.pk, "reason": "Went over it together"},
        follow=True,
    )
    assert response.status_code == 200
    assert QuizReset.objects.get().by == supervisor
    assert "Locked out of" not in response.content.decode()


def test_course_page_says_locked_instead_of_resume(
    client, staff, supervisor, django_capture_on_commit_callbacks
):
    course = make_course(attempts_allowed=1)
    client.force_login(staff.user)
    assert "Start the course" in client.get(course.page.url).content.decode()
    _fail(staff, course, django_capture_on_commit_callbacks)
    page = client.get(course.page.url).content.decode()
    assert "Resume where you left off" not in page
    assert "Your supervisor has been told" in page


def test_other_teams_supervisor_sees_no_lock_and_cannot_reset(
    client, staff, other_supervisor, django_capture_on_commit_callbacks
):
    course = make_course(attempts_allowed=1)
    _fail(staff, course, django_capture_on_commit_callbacks)
    client.force_login(other_supervisor)
    assert client.get(f"/staff/{staff.pk}/").status_code == 404
    response = client.post(
        f"/staff/{staff.pk}/quiz-reset/", {"quiz": course.quiz.pk, "reason": "x"}
    )
    assert response.status_code == 404
    assert not QuizReset.objects.exists()
    assert not [m for m in mail.outbox if m.to == [other_supervisor.email]]


def test_passing_after_a_failure_sends_nothing(
    staff, supervisor, django_capture_on_commit_callbacks
):
    course = make_course(attempts_allowed=2)
    _fail(staff, course, django_capture_on_commit_callbacks)
    attempt = quiz_attempt_start(staff=staff, quiz=course.quiz)
    quiz_attempt_submit(
        staff=staff,
        quiz=course.quiz,
        attempt_id=attempt.pk,
        answers=answers_for(course, RIGHT),
    )
    assert not OutboundEmail.objects.filter(kind="quiz_locked").exists()
