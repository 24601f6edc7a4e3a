"""One bad record never stops a scan or a batch: an expiry typed as 1900-01-01, a
line break in a name, an address whose header cannot be built. The other
reminders all go out, on SQLite and on PostgreSQL (where 1900 overflowed the
weekly step's smallint)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from credentials.models import ReminderLog
from credentials.reminders import reminder_message_id, reminder_scan, reminder_send
from credentials.tasks import send_reminders
from tests.credentials.conftest import EXP
from tests.credentials.factories import CredentialFactory
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = EXP - dt.timedelta(days=7)


@pytest.fixture
def at_day():
    with time_machine.travel(dt.datetime.combine(DAY, dt.time(16), tzinfo=dt.UTC)):
        yield


def test_a_scan_with_bad_records_among_many_sends_every_other_reminder(
    team, cpr, at_day, django_capture_on_commit_callbacks
):
    good = [
        StaffProfileFactory(team=team, user__email=f"good{n}@example.org")
        for n in range(12)
    ]
    for person in good:
        CredentialFactory(staff=person, credential_type=cpr, expires_on=EXP)
    # Typed before the date bounds existed (the factory skips validation).
    ancient = StaffProfileFactory(team=team, user__email="ancient@example.org")
    CredentialFactory(
        staff=ancient, credential_type=cpr, expires_on=dt.date(1900, 1, 1)
    )
    broken_name = StaffProfileFactory(
        team=team,
        user=UserFactory(
            first_name="Ann\nBcc: everyone@example.org", email="ann@example.org"
        ),
    )
    CredentialFactory(staff=broken_name, credential_type=cpr, expires_on=EXP)
    broken_address = StaffProfileFactory(
        team=team, user=UserFactory(email="bad\nBcc: x@example.org")
    )
    CredentialFactory(staff=broken_address, credential_type=cpr, expires_on=EXP)

    with django_capture_on_commit_callbacks(execute=True):
        result = reminder_scan(today=DAY)

    sent = {m.to[0] for m in mail.outbox}
    assert {p.user.email for p in good} <= sent
    assert "ann@example.org" in sent  # the subject is made one line
    (ann,) = [m for m in mail.outbox if m.to == ["ann@example.org"]]
    assert "\n" not in ann.subject
    assert ann.message()["Bcc"] is None
    assert "ancient@example.org" not in sent
    assert len(result.skipped) == 1
    failed = ReminderLog.objects.get(recipient=broken_address.user)
    assert failed.sent_at is None and "BadHeaderError" in failed.last_error
    assert failed.attempts == 1
    assert ReminderLog.objects.filter(sent_at__isnull=False).count() == 13


def test_a_resend_carries_the_same_message_id_and_a_sending_row_is_skipped(
    expiring, at_day, django_capture_on_commit_callbacks
):
    reminder_scan(today=DAY)  # claimed; the sends are not run
    row = ReminderLog.objects.get(recipient=expiring.staff.user)
    # Another worker marked it "sending" a moment ago: this delivery skips it.
    ReminderLog.objects.filter(pk=row.pk).update(sending_at=dt.datetime.now(dt.UTC))
    assert send_reminders(reminder_ids=[row.pk]) == 0
    assert mail.outbox == []
    # That worker died after the mail server accepted: an hour later it goes out
    # again, recognizably the same message.
    with time_machine.travel(dt.timedelta(minutes=61)):
        assert reminder_send(reminder_id=row.pk) is True
        assert reminder_send(reminder_id=row.pk) is False
    (message,) = mail.outbox
    row.refresh_from_db()
    assert message.extra_headers["Message-ID"] == reminder_message_id(row)
    assert (
        message.message()["Message-ID"] == f"<reminder.{row.pk}.expiry.7@milieu.local>"
    )
    assert row.sent_at and row.attempts == 1
