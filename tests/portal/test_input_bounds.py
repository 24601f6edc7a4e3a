"""Implausible dates and control characters are refused at every entry point with
a clear message: the credential form, the add-staff form, the CMS, the import."""

import datetime as dt

import pytest
import time_machine

from credentials.models import Credential
from portal.models import StaffProfile, User
from tests.credentials.factories import CredentialTypeFactory
from tests.factories import JobRoleFactory, TeamFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.mark.parametrize(
    ("issued", "expires", "message"),
    [
        ("2024-01-01", "1900-01-01", "is before 1950"),
        ("2024-01-01", "2205-01-01", "more than 50 years ahead"),
        ("2027-01-01", "2028-01-01", "is in the future"),
    ],
)
def test_the_credential_form_refuses_implausible_dates(
    client, staff, issued, expires, message
):
    ctype = CredentialTypeFactory(requires_document=False, has_number=False)
    client.force_login(staff.user)
    response = client.post(
        "/credentials/add/",
        {"credential_type": ctype.pk, "issued_on": issued, "expires_on": expires},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Credential.objects.exists()


def test_add_staff_refuses_a_line_break_in_a_name(client, hr):
    client.force_login(hr)
    response = client.post(
        "/staff/add/",
        {
            "first_name": "Ann\r\nBcc: all@example.org",
            "last_name": "Lee",
            "email": "ann@example.org",
            "employee_id": "E-9",
            "job_role": JobRoleFactory().pk,
            "team": TeamFactory().pk,
            "hire_date": "1900-01-01",
            "roles": ["Staff"],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Remove the line break" in html and "is before 1950" in html
    assert not User.objects.filter(email="ann@example.org").exists()


def test_the_cms_refuses_a_hire_date_of_1900(client):
    from portal.roles import Role
    from tests.factories import StaffProfileFactory, UserFactory

    admin = UserFactory(roles=[Role.ADMIN], is_superuser=True, is_staff=True)
    staff = StaffProfileFactory()
    client.force_login(admin)
    response = client.post(
        f"/cms/staffprofile/edit/{staff.pk}/",
        {
            "job_role": staff.job_role_id,
            "team": staff.team_id or "",
            "hire_date": "1900-01-01",
            "status": "active",
            "termination_date": "",
        },
    )
    assert response.status_code == 200
    assert "is before 1950" in response.content.decode()
    staff.refresh_from_db()
    assert staff.hire_date.year > 1950


def test_the_import_rejects_control_characters_and_implausible_dates():
    from portal.importer import import_plan

    team = TeamFactory(name="Cedar House")
    role = JobRoleFactory(code="tt")
    text = (
        "employee_id,name,email,job_role,team,hire_date\n"
        f'H1,"Ann\nBcc: all@example.org",ann@example.org,{role.code},{team.name},'
        "2026-11-02\n"
        f"H2,Ben Brooks,ben@example.org,{role.code},{team.name},1900-01-01\n"
        f"H3,Cy Dunn,cy@example.org,{role.code},{team.name},2026-11-02\n"
    )
    plans = import_plan(text=text)
    assert [p.action for p in plans] == ["reject", "reject", "create"]
    assert "line break" in plans[0].errors[0]
    assert "before 1950" in " ".join(plans[1].errors)
    assert not StaffProfile.objects.filter(employee_id__startswith="H").exists()
