"""The learner's journey through HTTP: my training, lessons, attestations, panels."""

import datetime as dt

import pytest
import time_machine

from courses.models import Assignment, Attestation, Completion, LessonProgress
from courses.services import (
    assignments_create_for_job_role,
    completion_record,
    quiz_attempt_start,
    quiz_attempt_submit,
)
from portal.dates import agency_today
from tests.courses.factories import RIGHT, answers_for, at, make_course, require
from tests.factories import JobRoleFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db


def test_my_training_empty_state(client, staff):
    client.force_login(staff.user)
    body = client.get("/training/").content.decode()
    assert "Nothing is assigned to you yet" in body


def test_my_training_without_staff_record(client, hr):
    client.force_login(hr)
    body = client.get("/training/").content.decode()
    assert "You have no staff record" in body


def test_my_training_groups_and_links(client, django_assert_max_num_queries):
    role = JobRoleFactory()
    late, soon, later, done = (make_course(title=t) for t in "ABCD")
    staff = StaffProfileFactory(job_role=role)
    today = agency_today()
    Assignment.objects.create(
        staff=staff, course=late.page, due_on=today - dt.timedelta(3), source="manual"
    )
    Assignment.objects.create(
        staff=staff, course=soon.page, due_on=today + dt.timedelta(5), source="manual"
    )
    Assignment.objects.create(
        staff=staff, course=later.page, due_on=today + dt.timedelta(60), source="manual"
    )
    completion = completion_record(staff=staff, course=done.page, score=90)
    require(soon, role, before_first_shift=True)
    client.force_login(staff.user)
    client.get("/training/")  # the session learns what the menu offers
    # 13: every request checks that the person is still on staff (1 query; issue
    # 9; the page reuses that record); completions and open assignments are read
    # once, and a course's steps in one query (issue 13).
    with django_assert_max_num_queries(13):
        response = client.get("/training/")
    body = response.content.decode()
    sections = response.context["sections"]
    assert [r.course.title for r in sections["overdue"]] == ["A"]
    assert [r.course.title for r in sections["due_soon"]] == ["B"]
    assert [r.course.title for r in sections["in_progress"]] == ["C"]
    assert [r.course.title for r in sections["completed"]] == ["D"]
    assert f"/training/certificates/{completion.pk}.pdf" in body
    assert "Overdue" in body and "Due soon" in body
    assert body.count("Before your first shift") == 1


def test_working_through_a_course_with_an_attestation(client, staff):
    course = make_course(lessons=2, attestation=True)
    role = staff.job_role
    require(course, role)
    assignments_create_for_job_role(staff=staff)
    staff.user.first_name, staff.user.last_name = "Jordan", "Blake"
    staff.user.save()
    client.force_login(staff.user)

    page = client.get(course.page.url).content.decode()
    assert "Start the course" in page
    client.get(course.lessons[0].url)  # read, not complete: a GET records nothing
    assert not LessonProgress.objects.exists()
    response = client.post(f"/training/lessons/{course.lessons[0].pk}/complete/")
    assert response["Location"] == course.lessons[1].url
    page = client.get(course.page.url)
    assert page.context["progress"].percent == 25
    assert "Resume where you left off" in page.content.decode()
    assert page.context["progress"].resume_url() == course.lessons[1].url
    client.post(f"/training/lessons/{course.lessons[1].pk}/complete/")

    attempt = quiz_attempt_start(staff=staff, quiz=course.quiz)
    quiz_attempt_submit(
        staff=staff,
        quiz=course.quiz,
        attempt_id=attempt.pk,
        answers=answers_for(course, RIGHT),
    )
    assert not Completion.objects.exists()  # the attestation is still to sign

    bad = client.post(course.attestation.url, {"full_name": "Someone Else"})
    assert bad.status_code == 400
    said = bad.content.decode()
    assert "Check “I have read" in said and "full name" in said
    assert not Attestation.objects.exists()

    good = client.post(
        course.attestation.url,
        {"full_name": "Jordan Blake", "agree": "on"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert good.status_code == 302
    signed = Attestation.objects.get()
    assert signed.policy_version == "2026.1" and signed.ip == "10.1.2.3"
    assert "protect client information" in signed.policy_text
    completion = Completion.objects.get()
    assert completion.score == 100
    assignment = Assignment.objects.get(staff=staff, course=course.page)
    assert assignment.completion == completion
    page = client.get(course.page.url).content.decode()
    assert "Download your certificate" in page


def test_lesson_completion_is_per_learner(client, staff):
    course = make_course()
    other = StaffProfileFactory()
    client.force_login(other.user)
    client.post(f"/training/lessons/{course.lessons[0].pk}/complete/")
    assert LessonProgress.objects.get().staff == other
    assert not LessonProgress.objects.filter(staff=staff).exists()


def test_retraining_cycle_starts_fresh(staff):
    from courses.selectors import course_progress
    from courses.services import retraining_assign_due

    course = make_course(lessons=1, retrain_months=12)
    completion_record(
        staff=staff, course=course.page, score=90, completed_at=at(dt.date(2024, 1, 1))
    )
    assert course_progress(staff=staff, course=course.page).is_complete
    retraining_assign_due(as_of=dt.date(2025, 1, 1))
    progress = course_progress(staff=staff, course=course.page)
    assert not progress.is_complete and progress.percent == 0


def test_home_panel_shows_what_is_due_next(client, staff):
    course = make_course(title="Crisis prevention")
    Assignment.objects.create(
        staff=staff, course=course.page, due_on=dt.date(2099, 1, 1), source="manual"
    )
    client.force_login(staff.user)
    body = client.get("/").content.decode()
    assert "Crisis prevention" in body and "Start" in body
    assert "My training" in body  # the nav item


def test_person_panel_lists_training_for_supervisor(client, staff, supervisor):
    course = make_course(title="HIPAA", attestation=True)
    completion = completion_record(staff=staff, course=course.page, score=88)
    client.force_login(supervisor)
    body = client.get(f"/staff/{staff.pk}/").content.decode()
    assert "HIPAA" in body and completion.certificate_code in body
    assert f"/training/certificates/{completion.pk}.pdf" in body
    assert "No attestations signed yet" in body


def test_home_panel_orders_overdue_then_first_shift_then_due_date(client):
    role = JobRoleFactory()
    staff = StaffProfileFactory(job_role=role)
    today = agency_today()
    courses = {
        t: make_course(title=t)
        for t in ("Crisis prevention", "HIPAA", "Trauma", "Zoning", "Late one")
    }
    due = {
        "Crisis prevention": today + dt.timedelta(7),
        "HIPAA": today + dt.timedelta(7),
        "Trauma": today + dt.timedelta(3),
        "Zoning": today + dt.timedelta(30),
        "Late one": today - dt.timedelta(2),
    }
    for title, course in courses.items():
        Assignment.objects.create(
            staff=staff, course=course.page, due_on=due[title], source="manual"
        )
    require(courses["HIPAA"], role, before_first_shift=True)
    client.force_login(staff.user)
    body = client.get("/").content.decode()
    panel = body[body.index('id="next-training-h"') :]
    panel = panel[: panel.index("</section>")]
    order = [panel.find(t) for t in ("Late one", "HIPAA", "Trauma")]
    assert -1 not in order and order == sorted(order)
    assert "Crisis prevention" not in panel and "Zoning" not in panel  # three at most
    assert panel.count("Before your first shift") == 1
    assert panel.index("Before your first shift") > panel.index("HIPAA")
    assert f"{due['Trauma']:%b} {due['Trauma'].day}, {due['Trauma']:%Y}" in panel
    assert panel.count("Start<span") == 3


def test_progress_rounds_to_the_nearest_percent():
    from courses.selectors import course_progress

    course = make_course(lessons=5)  # and a quiz: 6 steps
    progress = course_progress(staff=None, course=course.page)
    assert progress.steps == 6
    progress.completed_lesson_ids = {course.lessons[0].pk}
    assert progress.percent == 17
    progress.completed_lesson_ids = {x.pk for x in course.lessons[:4]}
    assert progress.percent == 67


def test_reading_a_lesson_counts_once_the_learner_marks_it_complete(client, staff):
    course = make_course(lessons=2)
    client.force_login(staff.user)
    lesson = course.lessons[0]
    body = client.get(lesson.url).content.decode()
    assert f'<form method="post" action="/training/lessons/{lesson.pk}/complete/">' in (
        body
    )
    assert not LessonProgress.objects.exists()
    assert client.get(course.page.url).context["progress"].steps_done == 0
    response = client.post(f"/training/lessons/{lesson.pk}/complete/")
    assert response["Location"] == course.lessons[1].url
    progress = LessonProgress.objects.get(staff=staff, lesson=lesson)
    assert progress.completed_at and progress.last_viewed_at
    page = client.get(course.page.url)
    assert page.context["progress"].steps_done == 1
    # Back on the finished lesson: no form, the way on to the next step.
    body = client.get(lesson.url).content.decode()
    assert "Mark this lesson complete" not in body
    assert f'<a class="btn" href="{course.lessons[1].url}">Next: Lesson 2</a>' in body


@time_machine.travel(dt.datetime(2026, 11, 25, 17, tzinfo=dt.UTC), tick=False)
def test_learner_home_reads_in_constant_queries(client, django_assert_max_num_queries):
    """The learner's home costs the same however much training they have: each
    record is read once, whatever the number of courses and credentials."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.credentials.factories import (
        CredentialFactory,
        CredentialRequirementFactory,
        CredentialTypeFactory,
    )

    role = JobRoleFactory()
    staff = StaffProfileFactory(job_role=role)
    today = agency_today()
    client.force_login(staff.user)

    def add_training(n: int) -> None:
        for _ in range(n):
            course = make_course(attestation=True)
            require(course, role, before_first_shift=True)
            Assignment.objects.create(
                staff=staff, course=course.page, due_on=today, source="manual"
            )
            LessonProgress.objects.create(
                staff=staff,
                lesson=course.lessons[0],
                course=course.page,
                completed_at=at(today),
            )
            completion_record(staff=staff, course=make_course().page, score=90)
            ctype = CredentialTypeFactory()
            CredentialRequirementFactory(job_role=role, credential_type=ctype)
            CredentialFactory(staff=staff, credential_type=ctype)

    add_training(1)
    client.get("/")
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        body = client.get("/").content.decode()
    assert "Continue" in body and "25% done" in body
    add_training(4)
    # The shell's session, user and roles, the leaver check (one read of the staff
    # record the page reuses), the versions of what is kept (held in the database),
    # the classes the person teaches, then the training and credential panels,
    # drawn afresh: the records behind them changed (portal.fragments keeps them
    # only until then).
    with django_assert_max_num_queries(17):
        body = client.get("/").content.decode()
    assert body.count("Continue<span") == 3
    cache.clear()  # drawn again, not read from what the last visit kept
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)


# 03:00 UTC on 1 March: still 28 February in New York, already 1 March in Berlin.
@time_machine.travel(dt.datetime(2027, 3, 1, 3, 0, tzinfo=dt.UTC), tick=False)
def test_a_new_agency_time_zone_shows_on_the_next_page(client, staff):
    from portal.models import Agency
    from tests.factories import AgencyFactory

    agency = Agency.objects.order_by("pk").first() or AgencyFactory()
    agency.time_zone = "America/New_York"
    agency.save()
    course = make_course()
    Assignment.objects.create(
        staff=staff, course=course.page, due_on=dt.date(2027, 2, 28), source="manual"
    )
    client.force_login(staff.user)
    body = client.get("/training/").content.decode()
    assert 'id="soon-h"' in body and 'id="overdue-h"' not in body  # due today
    agency.time_zone = "Europe/Berlin"
    agency.save()
    body = client.get("/training/").content.decode()
    assert 'id="overdue-h"' in body  # a day late in Berlin
