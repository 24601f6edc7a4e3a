"""The readiness store never disagrees with the records: a mistaken hire can be
deleted, drift from writes that skip signals is found and repaired, and a course
that is no longer published stops being required."""

import datetime as dt

import pytest

from courses.services import assignment_create
from portal.models import StaffProfile
from portal.roles import Role
from readiness.models import PersonReadiness, RequirementState
from tests.courses.factories import make_course, require
from tests.factories import UserFactory

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
