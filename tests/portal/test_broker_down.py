"""A queue that is down never costs a page or an email: with the broker unreachable,
the real after-commit path logs the failed publish, the user's action stands and
the page says the email or export will follow; the re-queue tasks (beat, worker
start-up) then send each one exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from compliance.models import ExportJob
from compliance.tasks import requeue_export_jobs
from credentials.models import Credential, ReminderLog
from credentials.services import credential_verify
from credentials.tasks import requeue_unsent
from portal.models import Invitation, StaffProfile
from portal.tasks import requeue_unsent_invitations
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory
from tests.factories import JobRoleFactory, StaffProfileFactory, TeamFactory, make_hr

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UNREACHABLE = "redis://127.0.0.1:9/0"  # the discard port: nothing listens


@pytest.fixture
def broker_down():
    """Eager mode off and a broker nobody answers at, for the app's publishes."""
    from portal.celery import app

    saved = (
        app.conf.task_always_eager,
        app.conf.broker_url,
        app.conf.broker_write_url,
        app.conf.broker_transport_options,
    )
    app.conf.task_always_eager = False
    app.conf.broker_url = app.conf.broker_write_url = UNREACHABLE
    # One connection attempt per publish: kombu's retry loop measures its timeout
    # on the clock, which the tests freeze.
    app.conf.broker_transport_options = {"max_retries": 1}
    app._pool = None
    app.amqp._producer_pool = None
    yield
    (
        app.conf.task_always_eager,
        app.conf.broker_url,
        app.conf.broker_write_url,
        app.conf.broker_transport_options,
    ) = saved
    app._pool = None
    app.amqp._producer_pool = None


def later(minutes: int = 11):
    return time_machine.travel(dt.timedelta(minutes=minutes))


def test_adding_a_person_with_the_broker_down_succeeds_and_the_invitation_follows(
    client, broker_down
):
    hr = make_hr()
    team, role = TeamFactory(), JobRoleFactory()
    client.force_login(hr)
    response = client.post(
        "/staff/add/",
        {
            "first_name": "Dana",
            "last_name": "Okafor",
            "email": "dana@example.org",
            "employee_id": "E-1",
            "job_role": role.pk,
            "team": team.pk,
            "hire_date": "2026-11-20",
            "roles": ["Staff"],
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "will follow automatically" in page
    invitation = Invitation.objects.get(user__email="dana@example.org")
    assert invitation.sent_at is None and mail.outbox == []
    # Still down at the next beat tick: nothing lost, nothing raised.
    with later():
        assert requeue_unsent_invitations() == 1
    assert mail.outbox == []


def test_the_beat_tick_sends_each_unsent_invitation_once(client, broker_down):
    from portal.celery import app

    staff = StaffProfileFactory()
    client.force_login(make_hr())
    assert client.post(f"/staff/{staff.pk}/reinvite/").status_code == 302
    app.conf.task_always_eager = True  # the broker is back
    with later():
        requeue_unsent_invitations()
        requeue_unsent_invitations()  # delivered twice: sent once
    assert [m.to for m in mail.outbox] == [[staff.user.email]]
    assert Invitation.objects.get(user=staff.user).sent_at is not None


def test_requesting_the_site_zip_with_the_broker_down_succeeds(client, broker_down):
    from portal.celery import app

    hr = make_hr()
    team = TeamFactory()
    StaffProfileFactory(team=team)
    client.force_login(hr)
    response = client.post(
        "/compliance/exports/", {"site": team.site.pk, "as_of": "2026-03-03"}
    )
    assert response.status_code == 302
    job = ExportJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "will start automatically" in page
    assert job.status == ExportJob.Status.QUEUED
    app.conf.task_always_eager = True
    with later():
        assert requeue_export_jobs() == 1
        assert requeue_export_jobs() == 0
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE


def test_a_decision_email_lost_to_the_broker_goes_out_once(broker_down):
    from portal.celery import app

    credential = CredentialFactory(verification_status="pending")
    credential_verify(credential=credential, by=make_hr())
    assert mail.outbox == []
    app.conf.task_always_eager = True
    with later():
        requeue_unsent()
        requeue_unsent()
    assert [m.to for m in mail.outbox] == [[credential.staff.user.email]]
    assert "was verified" in mail.outbox[0].subject
    assert Credential.objects.get(pk=credential.pk).decision_emailed_at


def test_the_scan_reports_failed_publishes_and_the_tick_requeues_them(broker_down):
    from portal.celery import app

    cpr = CredentialTypeFactory()
    today = dt.date(2026, 6, 8)
    for _ in range(3):
        CredentialFactory(
            credential_type=cpr,
            expires_on=today + dt.timedelta(days=7),
            staff=StaffProfileFactory(),
        )
    noon = dt.datetime.combine(today, dt.time(16), tzinfo=dt.UTC)
    with time_machine.travel(noon, tick=False):
        with pytest.raises(CommandError, match="could not be queued") as failure:
            call_command("send_credential_reminders", "--date", today.isoformat())
        assert failure.value.returncode == 2
        assert ReminderLog.objects.filter(sent_at__isnull=True).count() == 3
        app.conf.task_always_eager = True
        with later():
            assert requeue_unsent() == 3
    assert len(mail.outbox) == 3
    assert not ReminderLog.objects.filter(sent_at__isnull=True).exists()
    assert StaffProfile.objects.count() == 3
