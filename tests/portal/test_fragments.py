"""The learner's home panels are kept between visits and drawn afresh as soon as
anything they show changes (portal.fragments)."""

import datetime as dt
import re
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
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
    assert not any("courses_assignment" in q["sql"] for q in kept.captured_queries)
    assert not any("credentials_credential" in q["sql"] for q in kept.captured_queries)


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
    assert not any("courses_assignment" in q["sql"] for q in kept.captured_queries)


def test_a_page_drawn_before_a_change_commits_is_not_kept_after_it(
    learner, django_capture_on_commit_callbacks
):
    """Another process may draw the panel from the records as they were while the
    change is still open: the renewal on commit leaves that drawing behind."""
    staff = learner["staff"]
    built = []

    def build() -> str:
        built.append(1)
        return "<p>drawn</p>"

    fragments.person_fragments(staff.pk, {"x": build})
    with django_capture_on_commit_callbacks(execute=True):
        fragments.person_changed(staff.pk)
        # Drawn now (before the commit) under the version the change set.
        fragments.person_fragments(staff.pk, {"x": build})
    fragments.person_fragments(staff.pk, {"x": build})
    assert len(built) == 3


def test_a_cache_that_fails_costs_nothing_but_speed(learner):
    client = learner["client"]
    with mock.patch.object(
        fragments.cache, "get_many", side_effect=ConnectionError("cache down")
    ):
        body = home(client)
    assert "Privacy basics" in body and "Your credentials" in body


def test_with_the_database_cache_the_renewal_is_part_of_the_change(
    learner, settings, django_capture_on_commit_callbacks
):
    """The default cache is a table: the new version commits (or rolls back)
    with the change that set it, so nothing is left for after the commit."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "milieu_cache",
        }
    }
    call_command("createcachetable", verbosity=0)  # tests run on locmem
    staff = learner["staff"]
    key = fragments._person_key(staff.pk)
    assert fragments.person_fragments(staff.pk, {"x": lambda: "a"}) == {"x": "a"}
    before = fragments.cache.get(key)
    assert before
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            fragments.person_changed(staff.pk)
            assert fragments.cache.get(key) != before
            transaction.set_rollback(True)
    assert callbacks == []
    assert fragments.cache.get(key) == before
