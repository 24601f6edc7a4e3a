"""Every email the portal sends has an outbox row: with the broker down, or the mail
server down, the action that owes the email succeeds, and once the service is back
beat's tick sends each email exactly once, with the same Message-ID at every try."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string

from classes.models import CECategory, CERequirement, ClassSession
from classes.services import (
    booking_cancel,
    booking_create,
    ce_reminders_queue,
    reminders_queue,
    session_cancel,
)
from compliance.models import ExportChunk
from compliance.services import export_job_create
from compliance.tasks import (
    assemble_site_training_files,
    build_site_training_files,
    render_export_chunk,
)
from credentials.reminders import digest_scan
from credentials.services import credential_reject, credential_resubmit
from credentials.services import reminder_send as manual_reminder_send
from portal.models import OutboundEmail
from portal.roles import Role
from portal.schedule import REQUEUE_TASKS
from tests.classes.factories import make_session
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import (
    StaffProfileFactory,
    TeamFactory,
    UserFactory,
    make_hr,
    make_supervisor,
)
from tests.portal.test_broker_down import broker_down  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

# Tue, Dec 1, 2026 at noon in New York (the test agency's zone).
NOON = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 1)


class MailServerDown(BaseEmailBackend):
    """A mail server that refuses every message; remembers the Message-IDs tried."""

    tried: list[str] = []

    def send_messages(self, email_messages):
        for message in email_messages:
            MailServerDown.tried.append(message.extra_headers.get("Message-ID", ""))
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run the block, then what it queued after commit (the real publish path)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- What owes an email of each kind --------------------------------------------------


def _booked():
    session = make_session(capacity=2)
    person = StaffProfileFactory()
    booking_create(session=session, staff=person, by=person.user)
    return person.user.email


def _waitlisted():
    session = make_session(capacity=1)
    first, second = StaffProfileFactory(), StaffProfileFactory()
    booking_create(session=session, staff=first, by=first.user)
    booking_create(session=session, staff=second, by=second.user)
    return second.user.email


def _promoted():
    session = make_session(capacity=1)
    first, second = StaffProfileFactory(), StaffProfileFactory()
    seat = booking_create(session=session, staff=first, by=first.user)
    booking_create(session=session, staff=second, by=second.user)
    booking_cancel(booking=seat, by=first.user)
    return second.user.email


def _class_cancelled():
    session = make_session(capacity=2)
    person = StaffProfileFactory()
    booking_create(session=session, staff=person, by=person.user)
    session_cancel(session=session, by=session.created_by, reason="Room flooded")
    return person.user.email


def _day_before():
    session = make_session(
        starts_at=NOON + dt.timedelta(days=1, hours=-3),
        deadline_before=dt.timedelta(hours=2),
    )
    person = StaffProfileFactory()
    booking_create(session=session, staff=person, by=person.user)
    assert reminders_queue() == 1
    return person.user.email


def _ce_reminder():
    lcsw = CredentialTypeFactory(
        name="LCSW", code="lcsw", reminder_days="180, 90, 30", validity_months=24
    )
    CECategory.objects.create(name="Ethics", code="ethics")
    CERequirement.objects.create(
        credential_type=lcsw, total_hours=Decimal("30"), cycle_months=24
    )
    person = StaffProfileFactory()
    CredentialFactory(
        staff=person,
        credential_type=lcsw,
        verification_status="verified",
        issued_on=TODAY - dt.timedelta(days=600),
        expires_on=TODAY + dt.timedelta(days=90),
    )
    assert ce_reminders_queue(today=TODAY) == 1
    return person.user.email


def _export_ready():
    team = TeamFactory()
    StaffProfileFactory(team=team)
    hr = make_hr()
    job = export_job_create(site=team.site, as_of=TODAY, requested_by=hr)
    # A worker runs the export's tasks (the broker may go down meanwhile).
    build_site_training_files(job.pk)
    for chunk in ExportChunk.objects.filter(job=job):
        render_export_chunk(chunk.pk)
    assemble_site_training_files(job.pk)
    return hr.email


def _resubmitted():
    person = StaffProfileFactory()
    hr = make_hr()
    ctype = CredentialTypeFactory(name="CPR / First Aid", code="cpr", has_number=True)
    credential = CredentialFactory(
        staff=person, credential_type=ctype, verification_status="pending"
    )
    credential_reject(credential=credential, by=hr, reason="The card is cut off.")
    credential_resubmit(
        credential=credential,
        by=person.user,
        number="A-12345",
        issued_on=TODAY - dt.timedelta(days=10),
        expires_on=TODAY + dt.timedelta(days=700),
    )
    return hr.email


def _manual_reminder():
    team = TeamFactory()
    person = StaffProfileFactory(team=team)
    ctype = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    CredentialRequirementFactory(job_role=person.job_role, credential_type=ctype)
    assert manual_reminder_send(staff=person, by=make_supervisor(team)) >= 1
    return person.user.email


def _digest():
    team = TeamFactory()
    supervisor = make_supervisor(team)
    CredentialFactory(
        staff=StaffProfileFactory(team=team),
        credential_type=CredentialTypeFactory(name="CPR / First Aid", code="cpr"),
        expires_on=TODAY + dt.timedelta(days=5),
    )
    digest_scan(today=TODAY)
    return supervisor.email


KINDS: dict[str, Callable[[], str]] = {
    "class_booked": _booked,
    "class_waitlisted": _waitlisted,
    "class_promoted": _promoted,
    "class_cancelled": _class_cancelled,
    "class_reminder": _day_before,
    "ce_reminder": _ce_reminder,
    "export_ready": _export_ready,
    "resubmitted": _resubmitted,
    "manual_reminder": _manual_reminder,
    "digest": _digest,
}


def beat_tick(after_commit, *, minutes: int = 90) -> None:
    """Beat's re-queue tasks, a while later, as the schedule runs them."""
    with time_machine.travel(dt.timedelta(minutes=minutes)), after_commit():
        for name in REQUEUE_TASKS:
            import_string(name)()


def sent_ids() -> list[str]:
    return [m.extra_headers.get("Message-ID", "") for m in mail.outbox]


def assert_each_row_sent_once(kind: str, email: str) -> OutboundEmail:
    rows = list(OutboundEmail.objects.all())
    ids = sent_ids()
    for row in rows:
        assert row.sent_at is not None, (row.kind, row.last_error)
        assert ids.count(row.message_id) == 1, (row.kind, ids)
    target = OutboundEmail.objects.get(kind=kind, to=[email])
    (message,) = [
        m for m in mail.outbox if m.to == [email] and m.subject == target.subject
    ]
    assert message.extra_headers["Message-ID"] == target.message_id
    return target


@pytest.mark.usefixtures("broker_down")
@pytest.mark.parametrize("kind", KINDS)
def test_with_the_broker_down_the_email_waits_in_the_outbox_then_goes_once(
    kind, clock, after_commit
):
    from portal.celery import app

    with after_commit():
        email = KINDS[kind]()
    assert not OutboundEmail.objects.filter(sent_at__isnull=False).exists()
    assert mail.outbox == []
    # Still down at the next tick: nothing lost, nothing raised.
    beat_tick(after_commit)
    assert mail.outbox == []
    app.conf.task_always_eager = True  # the broker is back
    beat_tick(after_commit, minutes=100)
    beat_tick(after_commit, minutes=110)  # a second tick sends nothing again
    assert_each_row_sent_once(kind, email)


@pytest.mark.parametrize("kind", KINDS)
def test_with_the_mail_server_down_the_email_is_retried_with_the_same_message_id(
    kind, clock, settings, after_commit
):
    settings.EMAIL_BACKEND = "tests.portal.test_outbox.MailServerDown"
    MailServerDown.tried = []
    with after_commit():
        email = KINDS[kind]()
    row = OutboundEmail.objects.get(kind=kind, to=[email])
    assert row.sent_at is None and row.attempts >= 1
    assert "SMTPServerDisconnected" in row.last_error
    assert row.message_id in MailServerDown.tried
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    beat_tick(after_commit)
    beat_tick(after_commit, minutes=200)
    sent = assert_each_row_sent_once(kind, email)
    assert sent.message_id == row.message_id and sent.last_error == ""


@pytest.mark.usefixtures("broker_down")
def test_a_booking_page_answers_with_the_broker_down_and_the_email_follows(
    client, clock, after_commit
):
    from portal.celery import app

    session = make_session(capacity=2)
    person = StaffProfileFactory()
    client.force_login(person.user)
    with after_commit():
        response = client.post(f"/classes/{session.pk}/book/")
    assert response.status_code == 302
    assert ClassSession.objects.get(pk=session.pk).bookings.count() == 1
    assert mail.outbox == []
    app.conf.task_always_eager = True
    beat_tick(after_commit)
    assert [m.to for m in mail.outbox] == [[person.user.email]]
    assert mail.outbox[0].attachments[0][0] == "class.ics"


def test_the_same_email_asked_for_twice_has_one_row_and_goes_once(clock, after_commit):
    from classes.tasks import send_booking_email

    with after_commit():
        email = _booked()
    booking = ClassSession.objects.get().bookings.get()
    with after_commit():
        send_booking_email(booking.pk, "booked")  # a task queued before the outbox
    assert OutboundEmail.objects.filter(kind="class_booked").count() == 1
    beat_tick(after_commit)
    assert [m.to for m in mail.outbox] == [[email]]


def test_an_email_the_server_keeps_refusing_is_given_up_visibly(
    client, clock, settings, after_commit
):
    settings.EMAIL_BACKEND = "tests.portal.test_outbox.MailServerDown"
    settings.EMAIL_MAX_SEND_ATTEMPTS = 3
    with after_commit():
        _booked()
    for hours in range(1, 6):
        beat_tick(after_commit, minutes=hours * 60)
    row = OutboundEmail.objects.get()
    assert row.attempts == 3 and row.failed_at is not None
    assert row.state == "gave up" and "SMTPServerDisconnected" in row.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    beat_tick(after_commit, minutes=600)
    assert mail.outbox == []
    # The admin lists it, with its state and why.
    admin = UserFactory(roles=[Role.ADMIN], is_superuser=True, is_staff=True)
    client.force_login(admin)
    listing = client.get("/django-admin/portal/outboundemail/")
    assert listing.status_code == 200 and "gave up" in listing.content.decode()
    detail = client.get(f"/django-admin/portal/outboundemail/{row.pk}/change/")
    assert "Connection unexpectedly closed" in detail.content.decode()


def test_a_password_reset_with_the_mail_server_down_answers_and_follows(
    client, clock, settings, after_commit
):
    person = StaffProfileFactory()
    settings.EMAIL_BACKEND = "tests.portal.test_outbox.MailServerDown"
    response = client.post("/accounts/password/reset/", {"email": person.user.email})
    assert response.status_code == 302
    row = OutboundEmail.objects.get(to=[person.user.email])
    assert row.kind == "account_password_reset_key" and row.sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    beat_tick(after_commit, minutes=5)
    beat_tick(after_commit, minutes=10)
    assert sent_ids() == [row.message_id]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
