"""Assignments: orientation from the hire date, once; re-training from completions,
once; HR's manual assignments; the requirement statuses for the roll-up."""

import datetime as dt

import pytest
import time_machine

from courses.models import Assignment, Completion
from courses.selectors import course_requirement_statuses, course_status
from courses.services import (
    assignments_create_for_job_role,
    completion_record,
    orientation_due_on,
    retrain_due_on,
)
from courses.tasks import assign_due_retraining
from portal.requirements import Status
from portal.services import staff_create, staff_update
from tests.courses.factories import at, make_course, require
from tests.factories import JobRoleFactory, StaffProfileFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hired", "days", "due"),
    [
        (dt.date(2026, 1, 31), 30, dt.date(2026, 3, 2)),  # across a short February
        (dt.date(2028, 1, 31), 30, dt.date(2028, 3, 1)),  # leap year
        (dt.date(2028, 2, 29), 14, dt.date(2028, 3, 14)),  # hired on a leap day
        (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 1)),  # year end
        (dt.date(2026, 4, 30), 0, dt.date(2026, 4, 30)),  # before the first shift
    ],
)
def test_orientation_due_dates(hired, days, due):
    assert orientation_due_on(hire_date=hired, days=days) == due


@pytest.mark.parametrize(
    ("completed", "months", "due"),
    [
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),  # leap day → 28 Feb
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),  # month end clamps
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2026, 3, 15), 12, dt.date(2027, 3, 15)),
        (dt.date(2026, 3, 15), None, None),  # one-off course
    ],
)
def test_retrain_dates(completed, months, due):
    assert retrain_due_on(completed_on=completed, months=months) == due


@time_machine.travel(dt.datetime(2028, 2, 20, 15, tzinfo=dt.UTC), tick=False)
def test_hiring_assigns_the_roles_courses_from_the_hire_date():
    role = JobRoleFactory(orientation_days=14)
    hipaa = make_course(title="HIPAA")
    cpi = make_course(title="CPI")
    require(hipaa, role, days=0, before_first_shift=True)
    require(cpi, role)  # the role's 14 days
    staff = staff_create(
        email="new@example.org",
        first_name="New",
        last_name="Hire",
        employee_id="N1",
        job_role=role,
        team=TeamFactory(),
        hire_date=dt.date(2028, 2, 15),
        invite=False,
    )
    due = dict(
        Assignment.objects.filter(staff=staff).values_list("course__title", "due_on")
    )
    assert due == {"HIPAA": dt.date(2028, 2, 15), "CPI": dt.date(2028, 2, 29)}
    assert set(Assignment.objects.values_list("source", flat=True)) == {"orientation"}


def test_assigning_twice_creates_nothing_new():
    role = JobRoleFactory()
    require(make_course(), role)
    staff = StaffProfileFactory(job_role=role)
    first = assignments_create_for_job_role(staff=staff)
    second = assignments_create_for_job_role(staff=staff)
    assert len(first) == 1 and second == []
    assert Assignment.objects.count() == 1


def test_role_change_assigns_new_courses_from_today_and_keeps_open_ones():
    old_role, new_role = JobRoleFactory(), JobRoleFactory(orientation_days=30)
    shared, extra = make_course(), make_course()
    require(shared, old_role)
    require(shared, new_role)
    require(extra, new_role)
    staff = StaffProfileFactory(job_role=old_role, hire_date=dt.date(2020, 1, 1))
    assignments_create_for_job_role(staff=staff)
    with time_machine.travel(dt.datetime(2026, 6, 1, 16, tzinfo=dt.UTC), tick=False):
        staff_update(staff=staff, job_role=new_role)
    assert Assignment.objects.filter(staff=staff, course=shared.page).count() == 1
    assert Assignment.objects.get(staff=staff, course=extra.page).due_on == dt.date(
        2026, 7, 1
    )


def test_current_completion_is_not_assigned_again():
    role = JobRoleFactory()
    course = make_course(retrain_months=12)
    require(course, role)
    staff = StaffProfileFactory(job_role=role)
    completion_record(staff=staff, course=course.page, score=90)
    assert assignments_create_for_job_role(staff=staff) == []


def test_retraining_assignment_created_once_when_task_runs_twice():
    course = make_course(retrain_months=12)
    staff = StaffProfileFactory()
    completion = completion_record(
        staff=staff, course=course.page, score=90, completed_at=at(dt.date(2025, 7, 1))
    )
    assert completion.retrain_due_on == dt.date(2026, 7, 1)
    # 40 days before: too early.
    with time_machine.travel(dt.datetime(2026, 5, 22, 16, tzinfo=dt.UTC), tick=False):
        assert assign_due_retraining.delay().get() == 0
    # 30 days before: assigned, once.
    with time_machine.travel(dt.datetime(2026, 6, 1, 16, tzinfo=dt.UTC), tick=False):
        assert assign_due_retraining.delay().get() == 1
        assert assign_due_retraining.delay().get() == 0
    retraining = Assignment.objects.get()
    assert retraining.source == "retraining"
    assert retraining.due_on == dt.date(2026, 7, 1)
    assert retraining.previous_completion == completion


def test_no_retraining_for_one_off_courses_or_terminated_staff():
    one_off = make_course(retrain_months=None)
    yearly = make_course(retrain_months=12)
    staff = StaffProfileFactory()
    gone = StaffProfileFactory(
        status="terminated", termination_date=dt.date(2026, 1, 1)
    )
    completion_record(
        staff=staff, course=one_off.page, score=90, completed_at=at(dt.date(2020, 1, 1))
    )
    completion_record(
        staff=gone, course=yearly.page, score=90, completed_at=at(dt.date(2020, 1, 1))
    )
    assert assign_due_retraining.delay().get() == 0


def test_hr_assigns_by_hand_to_a_team_and_a_person(
    client, hr, django_capture_on_commit_callbacks
):
    course = make_course()
    team = TeamFactory()
    members = [StaffProfileFactory(team=team) for _ in range(3)]
    StaffProfileFactory(team=team, status="on_leave")
    loner = StaffProfileFactory()
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/training/assign/",
            {
                "course": course.page.pk,
                "team": team.pk,
                "staff": [loner.pk, members[0].pk],
                "due_on": "2070-01-31",
            },
        )
    assert response.status_code == 302
    assigned = set(Assignment.objects.values_list("staff_id", flat=True))
    assert assigned == {m.pk for m in members} | {loner.pk}
    assert set(Assignment.objects.values_list("source", "assigned_by")) == {
        ("manual", hr.pk)
    }
    # Again: nothing new, and the job's page says why.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/training/assign/",
            {"course": course.page.pk, "team": team.pk, "due_on": "2070-01-31"},
        )
    response = client.get(response["Location"])
    assert Assignment.objects.count() == 4
    assert "3 already had it open" in response.content.decode()


def test_assign_form_refuses_past_dates_and_no_one(client, hr):
    course = make_course()
    client.force_login(hr)
    response = client.post(
        "/training/assign/", {"course": course.page.pk, "due_on": "2001-01-01"}
    )
    body = response.content.decode()
    assert "The due date is in the past." in body
    assert body.count("Choose at least one person or a team.") == 1
    assert body.count("The due date is in the past.") == 1
    assert not Assignment.objects.exists()


def test_assign_form_is_a_checkbox_list_grouped_by_team(
    client, hr, django_capture_on_commit_callbacks
):
    course = make_course()
    cedar, maple = TeamFactory(name="Cedar House"), TeamFactory(name="Maple House")
    ann = StaffProfileFactory(team=cedar, user__first_name="Ann", user__last_name="A")
    bob = StaffProfileFactory(team=maple, user__first_name="Bob", user__last_name="B")
    cid = StaffProfileFactory(team=maple, user__first_name="Cid", user__last_name="C")
    StaffProfileFactory(
        team=cedar, status="terminated", user__first_name="Gone", user__last_name="G"
    )
    client.force_login(hr)
    body = client.get("/training/assign/").content.decode()
    assert 'type="checkbox" name="staff"' in body and "Ctrl" not in body
    assert "<legend>Cedar House</legend>" in body
    assert body.index("<legend>Cedar House</legend>") < body.index("Ann A")
    assert body.index("<legend>Maple House</legend>") < body.index("Bob B")
    assert "Gone G" not in body
    assert 'id="people-filter"' in body  # the optional filter box
    # Two people ticked, and a form error keeps the ticks.
    response = client.post(
        "/training/assign/",
        {"course": course.page.pk, "staff": [bob.pk, cid.pk], "due_on": "2001-01-01"},
    )
    body = response.content.decode()
    assert f'value="{bob.pk}" checked' in body and f'value="{cid.pk}" checked' in body
    assert f'value="{ann.pk}" checked' not in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/training/assign/",
            {
                "course": course.page.pk,
                "staff": [bob.pk, cid.pk],
                "due_on": "2070-01-31",
            },
        )
    assert response.status_code == 302
    assert set(Assignment.objects.values_list("staff_id", flat=True)) == {
        bob.pk,
        cid.pk,
    }


def test_only_hr_may_assign(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/training/assign/").status_code == 403


# --- statuses ------------------------------------------------------------------------

D = dt.date


@pytest.mark.parametrize(
    ("completed", "retrain", "due", "expected"),
    [
        (D(2026, 1, 1), None, None, Status.CURRENT),
        (D(2026, 1, 1), D(2027, 1, 1), None, Status.CURRENT),
        (D(2025, 7, 1), D(2026, 7, 1), None, Status.EXPIRING),  # 30 days left
        (D(2025, 7, 2), D(2026, 7, 2), None, Status.CURRENT),  # 31 days left
        (D(2025, 6, 1), D(2026, 6, 1), None, Status.EXPIRING),  # last day
        (D(2025, 5, 31), D(2026, 5, 31), D(2026, 6, 20), Status.EXPIRED),
        (None, None, D(2026, 6, 1), Status.DUE),  # due today
        (None, None, D(2026, 5, 31), Status.OVERDUE),
        (None, None, None, Status.MISSING),
        (D(2026, 6, 2), None, D(2026, 6, 9), Status.DUE),  # completed after as_of
    ],
)
def test_course_status(completed, retrain, due, expected):
    assert (
        course_status(
            as_of=D(2026, 6, 1),
            completed_on=completed,
            retrain_due_on=retrain,
            due_on=due,
        )
        == expected
    )


def test_provider_statuses_in_constant_queries(django_assert_max_num_queries):
    role = JobRoleFactory()
    hipaa, cpi = make_course(title="HIPAA"), make_course(title="CPI")
    require(hipaa, role, before_first_shift=True)
    require(cpi, role)
    people = [
        StaffProfileFactory(job_role=role, hire_date=D(2026, 5, 1)) for _ in range(6)
    ]
    # Assigned on the hire date: statuses as of a date only see what existed then.
    with time_machine.travel(at(D(2026, 5, 1)), tick=False):
        for person in people:
            assignments_create_for_job_role(staff=person)
    completion_record(
        staff=people[0], course=hipaa.page, score=100, completed_at=at(D(2026, 5, 3))
    )
    # Warm the URL cache, then count.
    course_requirement_statuses(staff_ids=[people[0].pk], as_of=D(2026, 5, 10))
    with django_assert_max_num_queries(5):
        rows = course_requirement_statuses(
            staff_ids=[p.pk for p in people], as_of=D(2026, 5, 10)
        )
    assert len(rows) == 12
    mine = {r.label: r for r in rows if r.staff_id == people[0].pk}
    assert mine["HIPAA"].status == Status.CURRENT and mine["HIPAA"].before_first_shift
    assert mine["CPI"].status == Status.DUE
    assert mine["CPI"].due_on == D(2026, 5, 31)
    late = course_requirement_statuses(staff_ids=[people[1].pk], as_of=D(2026, 6, 1))
    assert {r.status for r in late} == {Status.OVERDUE}
    assert Completion.objects.count() == 1
