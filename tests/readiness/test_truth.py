"""The readiness store never disagrees with the records: a mistaken hire can be
deleted, drift from writes that skip signals is found and repaired, and a course
that is no longer published stops being required."""

import datetime as dt
import io
import logging

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command

from courses.models import CoursePage
from courses.services import assignment_create
from courses.tasks import publish_scheduled_pages
from credentials.models import Credential
from portal.models import StaffProfile
from portal.roles import Role
from readiness.models import PersonReadiness, RequirementState
from readiness.services import (
    readiness_check,
    readiness_check_sample_ids,
    readiness_flush,
    readiness_refresh_or_defer,
)
from readiness.tasks import check_readiness_sample
from tests.courses.factories import make_course, require
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def assign(staff) -> None:
    course = make_course(title="Fire safety")
    require(course, staff.job_role, days=30)
    assignment_create(
        staff=staff, course=course.page, due_on=dt.date(2026, 12, 31), source="manual"
    )


@pytest.fixture
def admin(db):
    return UserFactory(roles=[Role.ADMIN], is_superuser=True, is_staff=True)


def test_a_mistaken_hire_with_assignments_is_deleted_in_the_cms(client, staff, admin):
    assign(staff)
    assert staff.assignments.count() == 1
    client.force_login(admin)
    response = client.post(f"/cms/staffprofile/delete/{staff.pk}/", follow=True)
    assert response.status_code == 200
    assert not StaffProfile.objects.filter(pk=staff.pk).exists()
    assert not PersonReadiness.objects.filter(staff_id=staff.pk).exists()
    assert not RequirementState.objects.filter(staff_id=staff.pk).exists()


def test_a_mistaken_hire_with_assignments_is_deleted_in_the_django_admin(
    client, staff, admin
):
    assign(staff)
    assert staff.assignments.count() == 1
    client.force_login(admin)
    response = client.post(
        f"/django-admin/portal/staffprofile/{staff.pk}/delete/",
        {"post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert not StaffProfile.objects.filter(pk=staff.pk).exists()


TODAY = dt.date(2026, 11, 25)
NOON = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cpr_holder(staff, clock):
    """A person whose role requires CPR, with a verified card good for a year."""
    cpr = CredentialTypeFactory(name="CPR/First Aid", code="cpr")
    CredentialRequirementFactory(job_role=staff.job_role, credential_type=cpr)
    card = CredentialFactory(
        staff=staff,
        credential_type=cpr,
        issued_on=dt.date(2026, 1, 10),
        expires_on=dt.date(2027, 10, 1),
    )
    return card


def cpr_cell(staff) -> str:
    readiness_flush()  # what the change's commit does
    return RequirementState.objects.get(
        staff=staff, key__startswith="credential:"
    ).status


def test_readiness_check_finds_an_update_that_skipped_signals_and_repairs_it(
    cpr_holder,
):
    staff = cpr_holder.staff
    assert cpr_cell(staff) == "current"
    call_command("readiness_check", stdout=io.StringIO())  # agrees: no exit 1

    # A data fix that skips signals: the card ran out last month.
    Credential.objects.filter(pk=cpr_holder.pk).update(expires_on=dt.date(2026, 10, 1))
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("readiness_check", stdout=out)
    assert failed.value.returncode == 1
    printed = out.getvalue()
    assert f"person {staff.pk}, credential:" in printed
    assert "stored status=current" in printed and "computed status=expired" in printed
    assert "verdicts" in printed
    assert "1 differences" not in str(failed.value)  # several: a cell and a verdict
    assert cpr_cell(staff) == "current"  # checking alone changes nothing

    out = io.StringIO()
    call_command("readiness_check", "--repair", stdout=out)
    assert "Repaired" in out.getvalue()
    assert cpr_cell(staff) == "expired"
    call_command("readiness_check", stdout=io.StringIO())  # agrees again


def test_the_documented_call_after_an_update_shows_the_verdict_at_once(
    client, cpr_holder, supervisor
):
    """docs/architecture.md: after a write that skips signals, call
    ``readiness_refresh_or_defer(staff_ids=...)`` for the people it touched."""
    staff = cpr_holder.staff
    client.force_login(supervisor)
    assert "Not ready" not in client.get(f"/staff/{staff.pk}/").content.decode()

    Credential.objects.filter(pk=cpr_holder.pk).update(expires_on=dt.date(2026, 10, 1))
    readiness_refresh_or_defer(staff_ids=[staff.pk])

    page = client.get(f"/staff/{staff.pk}/").content.decode()
    assert "Expired" in page
    matrix = client.get("/matrix/").content.decode()
    assert "Expired" in matrix
    assert readiness_check() == []


def test_the_daily_check_covers_everyone_within_a_week_and_logs_repairs(
    cpr_holder, caplog
):
    staff = cpr_holder.staff
    others = [StaffProfileFactory(job_role=staff.job_role) for _ in range(8)]
    everyone = {staff.pk, *(p.pk for p in others)}
    readiness_flush()  # what the hires' commit does
    Credential.objects.filter(pk=cpr_holder.pk).update(expires_on=dt.date(2026, 10, 1))
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert any(
        e["task"] == "readiness.tasks.check_readiness_sample" for e in schedule.values()
    )

    checked: set[int] = set()
    repaired = 0
    for day in range(7):
        when = NOON + dt.timedelta(days=day)
        with time_machine.travel(when, tick=False):
            with caplog.at_level(logging.WARNING, logger="readiness.tasks"):
                repaired += check_readiness_sample.delay().get()
            sample = readiness_check_sample_ids(today=when.date())
            checked |= set(sample)
    assert checked >= everyone
    assert repaired >= 1
    assert f"readiness store repaired: person {staff.pk}" in caplog.text
    assert RequirementState.objects.get(
        staff=staff, key__startswith="credential:"
    ).status in {"expired", "missing"}


def test_migrating_marks_everyone_stale(cpr_holder):
    readiness_flush()  # what the change's commit does
    assert not PersonReadiness.objects.get(staff=cpr_holder.staff).stale
    call_command("migrate", verbosity=0)
    assert PersonReadiness.objects.get(staff=cpr_holder.staff).stale


@pytest.fixture
def required_course(staff, clock):
    course = make_course(title="Trauma-informed care")
    require(course, staff.job_role, days=30)
    assignment_create(
        staff=staff, course=course.page, due_on=dt.date(2026, 12, 20), source="manual"
    )
    return course


def requires_course(client, staff, course) -> bool:
    """What the person and the store say: the course is on My training and a
    cell of their readiness."""
    client.force_login(staff.user)
    page = client.get("/training/").content.decode()
    listed = f"Progress in {course.page.title}" in page
    readiness_flush()  # what the change's commit does
    stored = RequirementState.objects.filter(
        staff=staff, key=f"course:{course.page.pk}"
    ).exists()
    assert listed == stored, page
    return stored


def test_an_unpublished_course_stops_being_required_until_republished(
    client, staff, admin, required_course
):
    course = required_course
    assert requires_course(client, staff, course)
    client.force_login(admin)
    response = client.post(f"/cms/pages/{course.page.pk}/unpublish/")
    assert response.status_code == 302
    assert not requires_course(client, staff, course)
    assert readiness_check() == []

    client.force_login(admin)
    course.page.refresh_from_db()
    course.page.save_revision().publish()
    assert requires_course(client, staff, course)
    assert readiness_check() == []


def test_a_deleted_course_page_stops_being_required(
    client, staff, admin, required_course
):
    course = required_course
    client.force_login(admin)
    client.post(f"/cms/pages/{course.page.pk}/delete/")
    assert not CoursePage.objects.filter(pk=course.page.pk).exists()
    assert not requires_course(client, staff, course)
    assert readiness_check() == []


def test_go_live_and_expiry_dates_act_when_beat_runs_publish_scheduled(
    client, staff, required_course, clock
):
    course = required_course
    page = CoursePage.objects.get(pk=course.page.pk)
    page.unpublish()
    assert not requires_course(client, staff, course)
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert any(
        e["task"] == "courses.tasks.publish_scheduled_pages" for e in schedule.values()
    )

    # Scheduled to go live tomorrow morning, and to expire a week later.
    page = CoursePage.objects.get(pk=page.pk)
    page.go_live_at = NOON + dt.timedelta(hours=16)
    page.expire_at = NOON + dt.timedelta(days=8)
    page.save_revision().publish()
    publish_scheduled_pages.delay()
    assert not requires_course(client, staff, course)  # not yet

    clock.move_to(NOON + dt.timedelta(days=1))
    publish_scheduled_pages.delay()
    assert requires_course(client, staff, course)

    clock.move_to(NOON + dt.timedelta(days=9))
    publish_scheduled_pages.delay()
    assert not requires_course(client, staff, course)
    assert readiness_check() == []
