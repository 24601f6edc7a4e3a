"""Reminder emails people read: one per recipient per scan listing everything due,
still exactly once per reminder row; missing credentials asked to be added; people
who never accepted their invitation invited again instead of reminded."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail

from credentials.models import ReminderLog
from credentials.reminders import (
    reminder_scan,
    reminders_requeue,
    reminders_send_batch,
)
from credentials.tasks import send_reminders
from portal.models import Invitation
from tests.credentials.conftest import EXP
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
)
from tests.factories import StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = EXP - dt.timedelta(days=7)  # the 7-day step of every default type


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(16), tzinfo=dt.UTC)


@pytest.fixture
def scan(django_capture_on_commit_callbacks):
    def run(day=DAY, *, execute=True):
        with (
            time_machine.travel(_noon(day), tick=False),
            django_capture_on_commit_callbacks(execute=execute),
        ):
            return reminder_scan(today=day)

    return run


def sent_to(email):
    return [m for m in mail.outbox if m.to == [email]]


@pytest.fixture
def team_of_13(team, supervisor):
    """13 people with two credentials each due within the week: 26 reminders
    for their supervisor."""
    first = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    second = CredentialTypeFactory(name="TB test", code="tb")
    people = []
    for i in range(13):
        person = StaffProfileFactory(
            team=team, user__email=f"w{i:02d}@example.org", user__last_name=f"Z{i:02d}"
        )
        CredentialFactory(staff=person, credential_type=first, expires_on=EXP)
        CredentialFactory(
            staff=person,
            credential_type=second,
            expires_on=EXP - dt.timedelta(days=1),
        )
        people.append(person)
    return people


def test_many_due_items_for_one_supervisor_go_in_one_email(
    scan, team_of_13, supervisor
):
    result = scan()
    assert result.claimed == 52  # 26 for the people themselves, 26 for supervisor
    emails = sent_to(supervisor.email)
    assert len(emails) == 1
    message = emails[0]
    assert message.subject == "[Milieu] 26 credentials need attention"
    html = message.alternatives[0][0]
    for person in team_of_13:
        assert person.full_name in message.body and person.full_name in html
        assert f"/staff/{person.pk}/" in message.body
    assert message.body.count("CPR / First Aid expires on June 15, 2026") == 13
    assert message.body.count("TB test expires on June 14, 2026") == 13
    assert "People you supervise" in message.body
    # Each person hears once about both of their own credentials.
    own = sent_to("w00@example.org")
    assert len(own) == 1
    assert own[0].subject == "[Milieu] 2 of your credentials need attention"
    assert own[0].body.count("Upload the renewal") == 2
    # Every row is sent, each covered by one email.
    assert ReminderLog.objects.filter(sent_at__isnull=True).count() == 0
    assert len(mail.outbox) == 14


def test_running_the_scan_twice_sends_nothing_more(scan, team_of_13, supervisor):
    scan()
    count = len(mail.outbox)
    again = scan()
    assert again.claimed == 0 and again.queued == 0
    assert len(mail.outbox) == count
    # The beat's re-queue finds nothing either.
    with time_machine.travel(_noon(DAY) + dt.timedelta(hours=3), tick=False):
        assert reminders_requeue(older_than_minutes=10) == 0
    assert len(mail.outbox) == count


def test_a_crash_after_one_recipients_email_leaves_the_others_to_go_out(
    scan, team_of_13, supervisor, django_capture_on_commit_callbacks, settings
):
    # The scan claims and queues; the worker sends the supervisor's email, then
    # dies before anyone else's.
    result = scan(execute=False)
    assert result.queued == 52
    supervisor_rows = list(
        ReminderLog.objects.filter(recipient=supervisor).values_list("pk", flat=True)
    )
    send_reminders.apply(args=[supervisor_rows])
    assert [m.to for m in mail.outbox] == [[supervisor.email]]
    # A later beat tick queues the rest; the supervisor's rows are not in it.
    settings.REMINDER_REQUEUE_AFTER_MINUTES = 60
    with (
        time_machine.travel(_noon(DAY) + dt.timedelta(minutes=15), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders_requeue(older_than_minutes=10) == 26
    assert len(sent_to(supervisor.email)) == 1
    assert len(mail.outbox) == 14
    assert {m.to[0] for m in mail.outbox} == {supervisor.email} | {
        p.user.email for p in team_of_13
    }
    assert ReminderLog.objects.filter(sent_at__isnull=True).count() == 0


def test_a_failed_send_keeps_its_rows_and_the_retry_sends_the_same_message(
    scan, team_of_13, supervisor, settings
):
    scan(execute=False)
    rows = list(
        ReminderLog.objects.filter(recipient=supervisor).values_list("pk", flat=True)
    )
    settings.EMAIL_BACKEND = "tests.credentials.test_reminder_emails.RefusingBackend"
    result = reminders_send_batch(reminder_ids=rows)
    assert result.sent == 0 and sorted(result.transient) == sorted(rows)
    assert not ReminderLog.objects.filter(pk__in=rows, sent_at__isnull=False).exists()
    waiting = ReminderLog.objects.filter(pk__in=rows, sending_at__isnull=True)
    assert waiting.count() == 26
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_reminders.apply(args=[rows])
    send_reminders.apply(args=[rows])  # delivered twice: nothing more
    emails = sent_to(supervisor.email)
    assert len(emails) == 1
    assert (
        RefusingBackend.refused[0]["Message-ID"]
        == emails[0].extra_headers["Message-ID"]
    )


class RefusingBackend:
    """A mail server that is down: it refuses every message (and keeps them)."""

    refused: list = []

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        from smtplib import SMTPServerDisconnected

        for message in messages:
            RefusingBackend.refused.append(message.message())
        raise SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_row_already_sent_is_never_in_a_second_email(
    scan, worker_staff, cpr, supervisor
):
    CredentialFactory(staff=worker_staff, credential_type=cpr, expires_on=EXP)
    scan(EXP - dt.timedelta(days=30))
    first = sent_to(supervisor.email)
    assert len(first) == 1
    # A second credential comes due for the same person; the next scan's email
    # lists only the new reminder.
    tb = CredentialTypeFactory(name="TB test", code="tb")
    CredentialFactory(
        staff=worker_staff, credential_type=tb, expires_on=EXP - dt.timedelta(days=1)
    )
    scan(EXP - dt.timedelta(days=29))
    second = sent_to(supervisor.email)[1]
    assert "TB test" in second.subject and "CPR" not in second.body


def test_never_filed_credential_is_asked_to_be_added_not_renewed(
    scan, team, supervisor, cpr
):
    hired = EXP - dt.timedelta(days=2)
    newbie = StaffProfileFactory(team=team, hire_date=hired)
    CredentialRequirementFactory(
        job_role=newbie.job_role, credential_type=cpr, due_within_days=30
    )
    expiring_type = CredentialTypeFactory(name="Driver's license", code="dl")
    CredentialFactory(
        staff=newbie,
        credential_type=expiring_type,
        expires_on=hired + dt.timedelta(days=30),
    )
    scan(hired)
    message = sent_to(newbie.user.email)[0]
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "none is on file" in part
        assert f"Add your {cpr.name}" in part
        assert f"/credentials/add/?type={cpr.pk}" in part
        # The license on file is the one asked to be renewed, once.
        assert part.count("Upload the renewal") == 1
    lines = message.body.splitlines()
    cpr_line = next(i for i, line in enumerate(lines) if "CPR" in line)
    assert "renewal" not in lines[cpr_line + 1]
    assert "is due by" in message.body and "expires on" in message.body
    sup = sent_to(supervisor.email)[0].body
    assert "none on file" in sup and "Upload the renewal" not in sup


def test_someone_who_never_accepted_the_invitation_is_invited_again(
    scan, team, supervisor, cpr, settings
):
    user = UserFactory(email="new@example.org", password=None)
    user.set_unusable_password()
    user.save()
    old = Invitation.objects.create(
        user=user,
        nonce="abc",
        expires_at=_noon(DAY) - dt.timedelta(days=10),
        created_at=_noon(DAY) - dt.timedelta(days=24),
        sent_at=_noon(DAY) - dt.timedelta(days=24),
    )
    person = StaffProfileFactory(user=user, team=team)
    CredentialFactory(staff=person, credential_type=cpr, expires_on=EXP)
    scan()
    emails = sent_to("new@example.org")
    assert len(emails) == 1
    invitation = emails[0]
    assert "invites you" in invitation.subject
    assert "here is a new link" in invitation.body
    link = re.search(r"/invitation/[^\s]+/", invitation.body).group(0)
    assert link in invitation.alternatives[0][0]
    fresh = Invitation.objects.filter(user=user).exclude(pk=old.pk).get()
    assert fresh.sent_at == _noon(DAY) and fresh.expires_at > _noon(DAY)
    # The supervisor still hears about the credential.
    assert "CPR" in sent_to(supervisor.email)[0].subject
    row = ReminderLog.objects.get(recipient=user)
    assert row.sent_at is None and row.cancelled_at is not None
    # The next step a week later: the fresh link is recent, no other email.
    settings.REMINDER_REINVITE_AFTER_DAYS = 10
    scan(EXP)
    assert len(sent_to("new@example.org")) == 1
    # Two weeks on, still not accepted: one more fresh link, the first stops.
    scan(EXP + dt.timedelta(days=7))
    assert len(sent_to("new@example.org")) == 2
    assert Invitation.objects.filter(user=user).count() == 3
    fresh.refresh_from_db()
    assert fresh.expires_at == _noon(EXP + dt.timedelta(days=7))
