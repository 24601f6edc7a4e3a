"""Every email the portal sends, read from the outbox: a text and an HTML part, the
agency's name (never allauth's "Hello from <host>!"), and Auto-Submitted."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from credentials import services as credential_services
from credentials.reminders import digest_scan, reminder_scan
from credentials.services import reminder_send as manual_reminder_send
from portal import services
from portal.models import Agency
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import JobRoleFactory, StaffProfileFactory

pytestmark = pytest.mark.django_db

AGENCY = "Riverbend Community Services"
EXP = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def agency(team):
    # The team's site belongs to the factories' agency: give it a real name.
    Agency.objects.update(name=AGENCY)


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(16), tzinfo=dt.UTC)


def assert_reads_well(message) -> str:
    """The checks every email passes; returns its HTML part."""
    assert message.alternatives, f"{message.subject!r} has no HTML part"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert html.lstrip().startswith("<!doctype html>")
    for part in (message.subject + message.body, html):
        assert "Hello from" not in part
    assert AGENCY in message.body and AGENCY in html
    assert "This is an automatic message" in message.body
    built = message.message()
    assert built["Auto-Submitted"] == "auto-generated"
    assert built.is_multipart()
    assert [p.get_content_type() for p in built.get_payload()] == [
        "text/plain",
        "text/html",
    ]
    return html


def only(email):
    found = [m for m in mail.outbox if m.to == [email]]
    assert len(found) == 1, [m.subject for m in mail.outbox]
    return found[0]


def test_invitation(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_create(
            email="robin@example.org",
            first_name="Robin",
            last_name="Ortiz",
            employee_id="N-1",
            job_role=JobRoleFactory(),
            team=None,
            hire_date=dt.date(2026, 11, 2),
        )
    message = only("robin@example.org")
    html = assert_reads_well(message)
    assert message.subject == f"{AGENCY} invites you to its training portal"
    assert "/invitation/" in message.body and "/invitation/" in html
    assert "Choose your password" in html


def test_password_reset(client, staff):
    response = client.post("/accounts/password/reset/", {"email": staff.user.email})
    assert response.status_code == 302
    message = only(staff.user.email)
    html = assert_reads_well(message)
    assert message.subject == "[Milieu] Choose a new password"
    assert "/accounts/password/reset/key/" in message.body
    assert "/accounts/password/reset/key/" in html
    assert f"{AGENCY}'s training portal" in message.body


def test_credential_reminder(team, supervisor, django_capture_on_commit_callbacks):
    person = StaffProfileFactory(team=team, user__email="worker@example.org")
    cpr = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    CredentialFactory(staff=person, credential_type=cpr, expires_on=EXP)
    day = EXP - dt.timedelta(days=30)
    with (
        time_machine.travel(_noon(day), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminder_scan(today=day)
    message = only("worker@example.org")
    html = assert_reads_well(message)
    assert "Upload the renewal" in html
    assert message.extra_headers["Message-ID"].startswith("<reminder.")
    assert_reads_well(only(supervisor.email))


def test_weekly_digest(team, supervisor, django_capture_on_commit_callbacks):
    person = StaffProfileFactory(team=team)
    cpr = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    CredentialFactory(staff=person, credential_type=cpr, expires_on=EXP)
    monday = dt.date(2026, 6, 8)
    with (
        time_machine.travel(_noon(monday), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        digest_scan(today=monday)
    html = assert_reads_well(only(supervisor.email))
    assert person.full_name in html


@pytest.mark.parametrize("verdict", ["verified", "returned"])
def test_verification_decision(staff, hr, verdict, django_capture_on_commit_callbacks):
    cpr = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    credential = CredentialFactory(
        staff=staff,
        credential_type=cpr,
        expires_on=EXP,
        verification_status="pending",
    )
    with django_capture_on_commit_callbacks(execute=True):
        if verdict == "verified":
            credential_services.credential_verify(credential=credential, by=hr)
        else:
            credential_services.credential_reject(
                credential=credential, by=hr, reason="The card is cut off."
            )
    message = only(staff.user.email)
    html = assert_reads_well(message)
    assert message.subject == f"[Milieu] Your CPR / First Aid was {verdict}"
    if verdict == "returned":
        assert "The card is cut off." in message.body and "cut off" in html


def test_supervisors_manual_reminder(
    staff, supervisor, django_capture_on_commit_callbacks
):
    cpr = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    CredentialRequirementFactory(job_role=staff.job_role, credential_type=cpr)
    with django_capture_on_commit_callbacks(execute=True):
        assert manual_reminder_send(staff=staff, by=supervisor) >= 1
    message = only(staff.user.email)
    html = assert_reads_well(message)
    assert "CPR / First Aid" in message.body and "CPR / First Aid" in html
    assert "asked us to remind you" in html


def test_export_ready(client, hr, team, django_capture_on_commit_callbacks):
    StaffProfileFactory(team=team)
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/compliance/exports/", {"site": team.site.pk, "as_of": "2026-03-03"}
        )
    message = only(hr.email)
    html = assert_reads_well(message)
    assert "are ready" in message.subject
    assert "/compliance/exports/" in message.body and "Open the export" in html
