"""Bulk work off the request: a staff import, a course assigned to many people and a
retraining run as background jobs in batches, with progress and refused rows on
their page, a bounded cost per person, and a retry after a failure halfway that
saves nothing twice."""

import datetime as dt
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from courses.models import Assignment, CoursePage
from courses.services import (
    assignments_start_manual,
    completion_record,
    retraining_start_new_version,
)
from portal import importer
from portal.bulk import bulk_job_run
from portal.models import BulkJob, Invitation, StaffProfile, User
from readiness.models import PersonReadiness
from tests.courses.factories import make_course
from tests.factories import JobRoleFactory, StaffProfileFactory, TeamFactory

pytestmark = pytest.mark.django_db

HEADER = "employee_id,name,email,job_role,team,hire_date\n"


@pytest.fixture
def org():
    return {
        "role": JobRoleFactory(name="Treatment Technician", code="tt"),
        "team": TeamFactory(name="Cedar House"),
    }


def csv_of(n: int, *, start: int = 0, bad: set[int] = frozenset()) -> str:
    rows = [
        f"B{i:04d},Person {i},p{i}@example.org,"
        f"{'nope' if i in bad else 'tt'},Cedar House,2026-11-02"
        for i in range(start, start + n)
    ]
    return HEADER + "\n".join(rows) + "\n"


def confirm(client, text, capture):
    """Preview the file, confirm it, run its job at commit; the job's page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = client.post(
        "/staff/import/",
        {"file": SimpleUploadedFile("hr.csv", text.encode(), "text/csv")},
    )
    with capture(execute=True):
        response = client.post(
            "/staff/import/", {"confirm": "1", "payload": preview.context["payload"]}
        )
    assert response.status_code == 302
    return response["Location"]


def test_import_runs_as_a_job_and_its_page_shows_the_result_and_refused_rows(
    client, hr, org, settings, django_capture_on_commit_callbacks
):
    settings.BULK_JOB_BATCH = 2
    client.force_login(hr)
    url = confirm(client, csv_of(5, bad={2}), django_capture_on_commit_callbacks)
    job = BulkJob.objects.get()
    assert url == f"/jobs/{job.pk}/"
    assert (job.status, job.done, job.total) == ("done", 5, 5)
    status = client.get(f"/jobs/{job.pk}/status.json").json()
    assert status["done"] and status["percent"] == 100
    page = client.get(url).content.decode()
    assert "Import done: 4 created and invited, 0 changed, 0 unchanged, 1 rejected" in (
        page
    )
    # The bad row is listed with its line and why; the rows after it went on.
    assert "Rows not applied (1)" in page
    assert "Person 2 (B0002)" in page and "Unknown job role" in page
    assert set(
        StaffProfile.objects.filter(employee_id__startswith="B").values_list(
            "employee_id", flat=True
        )
    ) == {"B0000", "B0001", "B0003", "B0004"}
    # Everyone imported has their readiness worked out.
    assert (
        PersonReadiness.objects.filter(
            staff__employee_id__startswith="B", stale=False
        ).count()
        == 4
    )
    # The import page and the list of every background job link to it.
    assert f'href="/jobs/{job.pk}/"' in client.get("/staff/import/").content.decode()
    assert f'href="/jobs/{job.pk}/"' in client.get("/jobs/").content.decode()


def test_a_running_job_shows_its_progress(client, hr, org):
    job = importer.import_start(text=csv_of(3), by=hr)  # not run: no commit here
    BulkJob.objects.filter(pk=job.pk).update(status="running", done=1)
    client.force_login(hr)
    status = client.get(f"/jobs/{job.pk}/status.json").json()
    assert status == {
        "percent": 33,
        "label": "1 of 3 rows",
        "done": False,
        "redirect": "",
    }
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-progress-url="/jobs/' in page and "1 of 3 rows" in page


def test_a_job_that_fails_halfway_says_where_and_a_retry_saves_nothing_twice(
    client, hr, org, settings, django_capture_on_commit_callbacks
):
    settings.BULK_JOB_BATCH = 2
    real = importer._apply_row
    broken = {"B0003"}

    def flaky(*, plan, **kwargs):
        if plan.employee_id in broken:
            raise OperationalError("the database went away")
        return real(plan=plan, **kwargs)

    client.force_login(hr)
    with mock.patch.object(importer, "_apply_row", flaky):
        url = confirm(client, csv_of(6), django_capture_on_commit_callbacks)
    job = BulkJob.objects.get()
    # Rows 1-2 (one batch) are saved; the batch with the failure is not at all.
    assert (job.status, job.done) == ("failed", 2)
    assert "Stopped at row 3 of 6" in job.error
    assert StaffProfile.objects.filter(employee_id__startswith="B").count() == 2
    page = client.get(url).content.decode()
    assert "Stopped at row 3 of 6" in page and "Retry from row 3" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/jobs/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.done, job.error) == ("done", 6, "")
    assert job.counts["create"] == 6
    ids = list(
        StaffProfile.objects.filter(employee_id__startswith="B").values_list(
            "employee_id", flat=True
        )
    )
    assert sorted(ids) == [f"B{i:04d}" for i in range(6)]
    for i in range(6):
        email = f"p{i}@example.org"
        assert User.objects.filter(email=email).count() == 1
        assert EmailAddress.objects.filter(email=email).count() <= 1
        assert Invitation.objects.filter(user__email=email).count() == 1
    # Running the finished job again changes nothing.
    assert bulk_job_run(job_id=job.pk) == "done-or-missing"
    assert StaffProfile.objects.filter(employee_id__startswith="B").count() == 6


@pytest.mark.parametrize("who", ["supervisor", "staff"])
def test_others_cannot_see_or_retry_hrs_import_job(client, hr, org, request, who):
    job = importer.import_start(text=csv_of(2), by=hr)
    BulkJob.objects.filter(pk=job.pk).update(status="failed")
    someone = request.getfixturevalue(who)
    client.force_login(getattr(someone, "user", someone))
    for url in [f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status.json"]:
        assert client.get(url).status_code == 404
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404
    assert BulkJob.objects.get(pk=job.pk).status == "failed"
    assert client.get("/jobs/").status_code == 403
    assert client.get("/jobs/99999999999999/").status_code == 404


def test_a_job_page_asks_a_visitor_to_log_in(client, hr, org):
    job = importer.import_start(text=csv_of(1), by=hr)
    response = client.get(f"/jobs/{job.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_hr_assigns_a_course_to_a_team_in_the_background(
    client, hr, django_capture_on_commit_callbacks
):
    course = make_course()
    team = TeamFactory()
    members = [StaffProfileFactory(team=team) for _ in range(5)]
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/training/assign/",
            {"course": course.page.pk, "team": team.pk, "due_on": "2070-01-31"},
        )
    job = BulkJob.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert set(Assignment.objects.values_list("staff_id", flat=True)) == {
        m.pk for m in members
    }
    page = client.get(response["Location"]).content.decode()
    assert "Assigned the course to 5 people." in page
    assert f'href="/jobs/{job.pk}/"' in client.get("/training/assign/").content.decode()


def _run_counting(job: BulkJob) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert bulk_job_run(job_id=job.pk) == "done"
    return len(queries)


def _per_person(make_job, small: int = 10, large: int = 40) -> tuple[float, float]:
    a = _run_counting(make_job(small, 0))
    b = _run_counting(make_job(large, small))
    return a / small, b / large


# What one person costs at most, whatever the batch: an import creates a user, a
# login address, a profile, its orientation assignments, an invitation and audit
# rows; assigning a course is a check and an insert. The batch's readiness is
# worked out once for all its people, so a larger batch costs less per person.
IMPORT_PER_PERSON = 60
ASSIGN_PER_PERSON = 15


def test_an_import_costs_a_bounded_number_of_queries_per_person(
    hr, org, settings, django_capture_on_commit_callbacks
):
    settings.BULK_JOB_BATCH = 100
    make_course()  # (nothing required: the person's own records only)

    def job(n, start):
        with django_capture_on_commit_callbacks(execute=False):
            return importer.import_start(text=csv_of(n, start=start), by=hr)

    small, large = _per_person(job)
    assert large <= small
    assert large <= IMPORT_PER_PERSON, (small, large)
    assert StaffProfile.objects.filter(employee_id__startswith="B").count() == 50


def test_assigning_and_retraining_cost_a_bounded_number_of_queries_per_person(
    hr, settings, django_capture_on_commit_callbacks
):
    settings.BULK_JOB_BATCH = 100
    course = make_course()
    people = [StaffProfileFactory() for _ in range(50)]

    def assign(n, start):
        with django_capture_on_commit_callbacks(execute=False):
            return assignments_start_manual(
                course=course.page,
                due_on=dt.date(2070, 1, 31),
                by=hr,
                staff=people[start : start + n],
            )

    small, large = _per_person(assign)
    assert large <= small and large <= ASSIGN_PER_PERSON, (small, large)
    assert Assignment.objects.filter(course=course.page).count() == 50

    for person in people:
        completion_record(staff=person, course=course.page, score=90)
    CoursePage.objects.filter(pk=course.page.pk).update(version=2)
    page = CoursePage.objects.get(pk=course.page.pk)
    with django_capture_on_commit_callbacks(execute=False):
        job = retraining_start_new_version(
            course=page, due_on=dt.date(2070, 1, 31), by=hr
        )
    queries = _run_counting(job)
    assert queries / 50 <= ASSIGN_PER_PERSON, queries
    assert (
        Assignment.objects.filter(
            course=page, source="new_version", completion__isnull=True
        ).count()
        == 50
    )
    # Again: everyone has it open, nothing new.
    with django_capture_on_commit_callbacks(execute=False):
        again = retraining_start_new_version(
            course=page, due_on=dt.date(2070, 1, 31), by=hr
        )
    bulk_job_run(job_id=again.pk)
    again.refresh_from_db()
    assert again.counts == {"skipped": 50}


def test_a_retraining_that_fails_halfway_resumes_without_assigning_twice(
    hr, settings, django_capture_on_commit_callbacks
):
    import courses.services as course_services

    settings.BULK_JOB_BATCH = 3
    course = make_course()
    people = [StaffProfileFactory() for _ in range(7)]
    for person in people:
        completion_record(staff=person, course=course.page, score=90)
    CoursePage.objects.filter(pk=course.page.pk).update(version=2)
    page = CoursePage.objects.get(pk=course.page.pk)
    real = course_services.assignment_create
    broken = {people[4].pk}

    def flaky(*, staff, **kwargs):
        if staff.pk in broken:
            raise OperationalError("the database went away")
        return real(staff=staff, **kwargs)

    with django_capture_on_commit_callbacks(execute=False):
        job = retraining_start_new_version(
            course=page, due_on=dt.date(2070, 1, 31), by=hr
        )
    with mock.patch.object(course_services, "assignment_create", flaky):
        assert bulk_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert (job.done, job.total) == (3, 7)
    assert "Stopped at row 4 of 7" in job.error
    open_new = Assignment.objects.filter(
        course=page, source="new_version", completion__isnull=True
    )
    assert open_new.count() == 3
    # Meanwhile someone done already completes the new version: the retry keeps
    # the rows it found first, and so misses no one.
    completion_record(staff=people[0], course=page, score=95)
    with django_capture_on_commit_callbacks(execute=True):
        from portal.bulk import bulk_job_retry

        assert bulk_job_retry(job=job)
    job.refresh_from_db()
    assert (job.status, job.done) == ("done", 7)
    assert sorted(
        Assignment.objects.filter(course=page, source="new_version").values_list(
            "staff_id", flat=True
        )
    ) == sorted(p.pk for p in people)


def test_a_job_whose_worker_stopped_is_queued_again(
    hr, org, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from portal.bulk import bulk_jobs_requeue

    job = importer.import_start(text=csv_of(2), by=hr)
    fresh = importer.import_start(text=csv_of(2, start=5), by=hr)
    BulkJob.objects.filter(pk=job.pk).update(
        status="running", updated_at=timezone.now() - dt.timedelta(minutes=30)
    )
    BulkJob.objects.filter(pk=fresh.pk).update(status="running")
    with (
        mock.patch("portal.tasks.run_bulk_job.apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert bulk_jobs_requeue() == 1
    assert [c.kwargs["args"] for c in queued.call_args_list] == [(job.pk,)]
