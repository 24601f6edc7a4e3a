"""The learner's home panels are kept between visits and drawn afresh as soon as
anything they show changes (portal.fragments)."""

import datetime as dt
import re
from unittest import mock

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from courses.models import Assignment
from courses.services import completion_record
from credentials.services import notification_create
from portal import fragments
from portal.dates import agency_today
from tests.courses.factories import make_course, require
from tests.factories import JobRoleFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 25, 17, tzinfo=dt.UTC)


@pytest.fixture
def learner(client):
    with time_machine.travel(NOON, tick=False) as clock:
        role = JobRoleFactory()
        staff = StaffProfileFactory(job_role=role)
        course = make_course(title="Privacy basics", lessons=3)
        require(course, role, days=14)
        Assignment.objects.create(
            staff=staff,
            course=course.page,
            due_on=agency_today() + dt.timedelta(10),
            source="manual",
        )
        client.force_login(staff.user)
        yield {"staff": staff, "course": course, "client": client, "clock": clock}


def without_csrf(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def home(client) -> str:
    return client.get("/").content.decode()


def test_a_second_visit_reads_the_kept_panels(learner):
    client = learner["client"]
    with CaptureQueriesContext(connection) as drawn:
        first = home(client)
    assert "Privacy basics" in first and "0% done" in first
    with CaptureQueriesContext(connection) as kept:
        again = home(client)
    assert without_csrf(again) == without_csrf(first)
    assert len(kept) < len(drawn)
    assert not any('"courses_assignment"' in q["sql"] for q in kept.captured_queries)
    assert not any(
        '"credentials_credential"' in q["sql"] for q in kept.captured_queries
    )


def test_the_learners_own_progress_shows_at_once(learner):
    client, course = learner["client"], learner["course"]
    assert "0% done" in home(client)
    client.post(f"/training/lessons/{course.lessons[0].pk}/complete/")
    body = home(client)
    assert "25% done" in body and "Continue" in body


def test_a_completion_takes_the_course_off_the_list(learner):
    client = learner["client"]
    assert "Privacy basics" in home(client)
    completion_record(staff=learner["staff"], course=learner["course"].page, score=95)
    body = home(client)
    assert "Privacy basics" not in body and "Nothing is due" in body


def test_a_renamed_course_shows_its_new_title_to_everyone(learner):
    client, page = learner["client"], learner["course"].page
    assert "Privacy basics" in home(client)
    page.title = "Privacy and HIPAA basics"
    page.save_revision().publish()
    assert "Privacy and HIPAA basics" in home(client)


def test_the_turn_of_the_day_redraws_the_panels(learner):
    client, clock = learner["client"], learner["clock"]
    due = learner["staff"].assignments.get().due_on
    assert "overdue" not in home(client).lower()
    clock.move_to(dt.datetime.combine(due + dt.timedelta(2), dt.time(17), dt.UTC))
    assert "Overdue" in home(client)


def test_unread_notifications_come_and_go(learner):
    client, staff = learner["client"], learner["staff"]
    assert "unread notification" not in home(client)
    notification_create(user=staff.user, text="HR verified your CPR card.")
    assert "1 unread notification" in home(client)
    client.post("/notifications/")
    assert "unread notification" not in home(client)


def test_one_persons_change_leaves_the_others_kept(learner, client):
    other = StaffProfileFactory(job_role=learner["staff"].job_role)
    home(learner["client"])
    notification_create(user=other.user, text="Hello")
    with CaptureQueriesContext(connection) as kept:
        home(learner["client"])
    assert not any('"courses_assignment"' in q["sql"] for q in kept.captured_queries)


def test_a_renewal_rolls_back_with_its_change(learner):
    """The versions are rows of the database: a change that rolls back leaves
    what was kept as it was, and one that commits renews it with it."""
    staff = learner["staff"]
    built = []

    def build() -> str:
        built.append(1)
        return "<p>drawn</p>"

    fragments.person_fragments(staff.pk, {"x": build})
    with transaction.atomic():
        fragments.person_changed(staff.pk)
        transaction.set_rollback(True)
    fragments.person_fragments(staff.pk, {"x": build})
    assert len(built) == 1
    fragments.person_changed(staff.pk)
    fragments.person_fragments(staff.pk, {"x": build})
    assert len(built) == 2


def test_a_new_release_draws_the_panels_afresh(learner, settings):
    staff = learner["staff"]
    built = []
    fragments.person_fragments(staff.pk, {"x": lambda: built.append(1) or "a"})
    settings.RELEASE = "next"
    fragments.person_fragments(staff.pk, {"x": lambda: built.append(1) or "a"})
    assert len(built) == 2


def test_a_draft_save_keeps_the_panels_and_a_publish_renews_them(learner):
    """Editors save drafts and revisions of pages all day: the kept panels stay
    until a page is published, unpublished or deleted."""
    client, page = learner["client"], learner["course"].page
    home(client)
    page.title = "Privacy basics, draft title"
    page.save_revision()  # a draft: saves the page, publishes nothing
    with CaptureQueriesContext(connection) as kept:
        body = home(client)
    assert "Privacy basics" in body and "draft title" not in body
    assert not any('"courses_assignment"' in q["sql"] for q in kept.captured_queries)
    page.save_revision().publish()
    assert "Privacy basics, draft title" in home(client)


def test_a_write_that_skips_signals_and_the_documented_call_show_at_once(learner):
    """docs/architecture.md: after an ``update()``, call
    ``readiness_refresh_or_defer`` for the people touched; the kept panel is
    drawn afresh from the records."""
    from readiness.services import readiness_refresh_or_defer

    client, staff = learner["client"], learner["staff"]
    assert "Privacy basics" in home(client)
    Assignment.objects.filter(staff=staff).update(
        due_on=agency_today() - dt.timedelta(days=3)
    )
    readiness_refresh_or_defer(staff_ids=[staff.pk])
    assert "Overdue" in home(client)


def test_a_cache_that_fails_costs_nothing_but_speed(learner):
    client = learner["client"]
    down = mock.Mock(
        get=mock.Mock(side_effect=ConnectionError("cache down")),
        set=mock.Mock(side_effect=ConnectionError("cache down")),
    )
    with mock.patch.object(fragments, "cache", down):
        body = home(client)
    assert "Privacy basics" in body and "Your credentials" in body
