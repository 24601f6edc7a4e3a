"""HR adds, edits and re-invites staff from the portal."""

import pytest
from django.core import mail

from portal.models import StaffProfile
from tests.factories import JobRoleFactory, StaffProfileFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "first_name": "Dana",
        "last_name": "Okafor",
        "email": "dana.okafor@example.org",
        "employee_id": "E-7001",
        "job_role": JobRoleFactory().pk,
        "team": TeamFactory().pk,
        "hire_date": "2026-11-20",
        "roles": ["Staff"],
    }
    data.update(overrides)
    return data


def test_hr_adds_a_person_who_is_invited(
    client, hr, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/add/", _form())
    staff = StaffProfile.objects.get(employee_id="E-7001")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/{staff.pk}/"
    assert mail.outbox[-1].to == ["dana.okafor@example.org"]
    page = client.get(response["Location"]).content.decode()
    assert "Dana Okafor" in page
    assert "invitation is on its way" in page


def test_add_staff_form_rerenders_with_messages_and_saves_nothing(client, hr):
    existing = StaffProfileFactory()
    client.force_login(hr)
    response = client.post(
        "/staff/add/",
        _form(
            email=existing.user.email, employee_id=existing.employee_id, hire_date=""
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone already has this email address." in page
    assert "This Employee ID is already in use." in page
    assert "This field is required." in page
    assert StaffProfile.objects.count() == 1


def test_only_hr_may_add_staff(client, supervisor, staff):
    for user in (supervisor, staff.user):
        client.force_login(user)
        assert client.get("/staff/add/").status_code == 403
        assert client.post("/staff/add/", _form()).status_code == 403
    assert not StaffProfile.objects.filter(employee_id="E-7001").exists()


def test_terminating_needs_a_date(client, hr, staff):
    client.force_login(hr)
    response = client.post(
        f"/staff/{staff.pk}/edit/",
        {
            "job_role": staff.job_role_id,
            "team": staff.team_id,
            "hire_date": "2026-01-05",
            "status": "terminated",
            "termination_date": "",
        },
    )
    assert response.status_code == 200
    assert "needs a termination date" in response.content.decode()
    staff.refresh_from_db()
    assert staff.status == "active"


def test_staff_changes_are_in_the_audit_log(client, hr, staff):
    from auditlog.models import LogEntry

    client.force_login(hr)
    new_team = TeamFactory()
    client.post(
        f"/staff/{staff.pk}/edit/",
        {
            "job_role": staff.job_role_id,
            "team": new_team.pk,
            "hire_date": "2026-01-05",
            "status": "active",
            "termination_date": "",
        },
    )
    entry = LogEntry.objects.get_for_object(staff).filter(action=1).latest("timestamp")
    assert entry.actor == hr
    assert "team" in entry.changes_dict
