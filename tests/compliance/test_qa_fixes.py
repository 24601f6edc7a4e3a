"""Fixes from the QA pass: each test would have caught its problem."""

import datetime as dt

import pytest
import time_machine

from portal.requirements import Status
from tests.compliance.factories import SkillChecklistFactory, SkillRequirementFactory
from tests.factories import JobRoleFactory, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jordan(team, fake_requirements):
    role = JobRoleFactory(name="Treatment Technician", code="tt")
    hold = SkillChecklistFactory(name="Safe hold")
    SkillRequirementFactory(job_role=role, checklist=hold)
    person = StaffProfileFactory(
        team=team,
        job_role=role,
        user=UserFactory(first_name="Jordan", last_name="Blake"),
    )
    fake_requirements.add(
        person, "cpr", Status.MISSING, kind="credential", label="CPR / First Aid"
    )
    fake_requirements.add(
        person, "tb", Status.PENDING, kind="credential", label="TB test"
    )
    fake_requirements.add(
        person,
        "hipaa",
        Status.EXPIRING,
        kind="course",
        label="HIPAA",
        expires_on=dt.date(2026, 12, 6),
    )
    fake_requirements.add(person, "ok", Status.CURRENT, kind="course", label="Intro")
    return person


def test_second_reminder_within_12_hours_is_refused(
    client, supervisor, jordan, mailoutbox
):
    supervisor.first_name, supervisor.last_name = "Sofia", "Marsh"
    supervisor.save()
    client.force_login(supervisor)
    with time_machine.travel(
        dt.datetime(2026, 11, 25, 15, 42, tzinfo=dt.UTC), tick=False
    ):
        client.post(f"/staff/{jordan.pk}/remind/")
        response = client.post(f"/staff/{jordan.pk}/remind/", follow=True)
    assert len(mailoutbox) == 1
    html = response.content.decode()
    assert "Jordan Blake was already reminded at" in html
    assert "by Sofia Marsh; try again after" in html
    with time_machine.travel(
        dt.datetime(2026, 11, 26, 4, 0, tzinfo=dt.UTC), tick=False
    ):
        client.post(f"/staff/{jordan.pk}/remind/")
    assert len(mailoutbox) == 2


def test_reminder_email_is_readable(client, supervisor, jordan, mailoutbox):
    client.force_login(supervisor)
    client.post(f"/staff/{jordan.pk}/remind/")
    body = mailoutbox[0].body
    act, waiting = body.split("Waiting on others")
    assert "What you can do (2 items):" in act
    assert "- CPR / First Aid — missing" in act
    assert "- HIPAA — expires 6 Dec 2026" in act
    assert "TB test" not in act and "Safe hold" not in act
    assert "- TB test — uploaded, waiting for verification" in waiting
    assert "- Safe hold — missing, needs a sign-off" in waiting
    assert "Intro" not in body
    assert "(s)" not in body and "&" not in body
