"""The reminder scan: once per step and recipient, only the most urgent step after
a gap, renewals stop reminders, the weekly digest, missing credentials of new hires."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from credentials import services
from credentials.models import DigestLog, Notification, ReminderLog
from credentials.reminders import digest_scan, reminder_scan
from tests.credentials.conftest import EXP
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    pdf_upload,
)
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scan(django_capture_on_commit_callbacks):
    def run(day, **kw):
        # The scan and its sends happen on ``day`` (noon UTC, the same date in
        # the agency's New York time).
        noon = dt.datetime.combine(day, dt.time(16), tzinfo=dt.UTC)
        with (
            time_machine.travel(noon, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return reminder_scan(today=day, **kw)

    return run


def sent_to(email):
    return [m for m in mail.outbox if m.to == [email]]


def test_scan_twice_on_the_same_day_sends_each_recipient_one_email(
    scan, expiring, supervisor, hr_person
):
    day = EXP - dt.timedelta(days=30)
    first = scan(day)
    second = scan(day)
    assert first.claimed == 2 and second.claimed == 0 and second.queued == 0
    assert len(sent_to("worker@example.org")) == 1
    assert len(sent_to(supervisor.email)) == 1
    assert sent_to(hr_person.email) == []  # HR hears on the day, not at 30 days
    message = sent_to("worker@example.org")[0]
    assert "CPR / First Aid" in message.subject and "June 15, 2026" in message.subject
    html = message.alternatives[0][0]
    assert f"/credentials/{expiring.pk}/renew/" in html
    assert f"/credentials/{expiring.pk}/renew/" in message.body
    assert Notification.objects.filter(user=expiring.staff.user).count() == 1


def test_each_step_is_sent_once_as_the_date_nears(
    scan, expiring, supervisor, hr_person
):
    for days_left in range(100, -16, -1):
        scan(EXP - dt.timedelta(days=days_left))
    staff_steps = sorted(
        ReminderLog.objects.filter(recipient=expiring.staff.user).values_list(
            "step", flat=True
        )
    )
    assert staff_steps == [-14, -7, 0, 7, 30, 60, 90]
    assert len(sent_to("worker@example.org")) == 7
    assert len(sent_to(supervisor.email)) == 5  # 30, 7, 0, -7, -14
    assert len(sent_to(hr_person.email)) == 3  # 0, -7, -14
    assert ReminderLog.objects.filter(sent_at__isnull=True).count() == 0


def test_scan_skipped_for_40_days_sends_only_the_most_urgent_step(
    scan, expiring, supervisor, hr_person
):
    scan(EXP - dt.timedelta(days=25))  # the 30-day step
    mail.outbox.clear()
    scan(EXP + dt.timedelta(days=15))  # 40 days later: 7, 0, -7 were missed
    assert [m.subject for m in sent_to("worker@example.org")] == [
        "[Milieu] Your CPR / First Aid expired on June 15, 2026"
    ]
    assert len(sent_to(supervisor.email)) == 1
    assert len(sent_to(hr_person.email)) == 1
    assert set(ReminderLog.objects.values_list("step", flat=True)) == {30, -14}


def test_scan_skipped_from_before_the_first_step(scan, expiring):
    scan(EXP - dt.timedelta(days=95))
    assert mail.outbox == []
    scan(EXP - dt.timedelta(days=55))
    assert len(sent_to("worker@example.org")) == 1
    assert list(ReminderLog.objects.values_list("step", flat=True)) == [60]


def test_a_renewal_stops_reminders(scan, expiring, worker_staff, cpr):
    scan(EXP - dt.timedelta(days=30))
    assert len(sent_to("worker@example.org")) == 1
    renewal = services.credential_create(
        staff=worker_staff,
        credential_type=cpr,
        by=worker_staff.user,
        expires_on=EXP + dt.timedelta(days=730),
        documents=[pdf_upload()],
    )
    expiring.refresh_from_db()
    assert expiring.superseded_by == renewal
    mail.outbox.clear()
    for days_left in (7, 0, -7, -30):
        scan(EXP - dt.timedelta(days=days_left))
    assert mail.outbox == []


def test_a_claimed_but_unsent_reminder_of_a_renewed_credential_is_not_sent(
    expiring, worker_staff, cpr
):
    # Claimed, but the worker never ran it (the task is not executed here).
    reminder_scan(today=EXP - dt.timedelta(days=7))
    assert ReminderLog.objects.filter(sent_at__isnull=True).count() == 2
    services.credential_create(
        staff=worker_staff,
        credential_type=cpr,
        by=worker_staff.user,
        expires_on=EXP + dt.timedelta(days=730),
        documents=[pdf_upload()],
    )
    from credentials.reminders import reminder_send

    for row in ReminderLog.objects.all():
        assert reminder_send(reminder_id=row.pk) is False
    assert mail.outbox == []


def test_a_rejected_renewal_brings_the_old_reminders_back(
    scan, expiring, worker_staff, cpr, hr
):
    renewal = services.credential_create(
        staff=worker_staff,
        credential_type=cpr,
        by=worker_staff.user,
        expires_on=EXP + dt.timedelta(days=730),
        documents=[pdf_upload()],
    )
    scan(EXP - dt.timedelta(days=30))
    assert sent_to("worker@example.org") == []
    services.credential_reject(credential=renewal, by=hr, reason="Blurry scan")
    mail.outbox.clear()
    scan(EXP - dt.timedelta(days=29))
    assert len(sent_to("worker@example.org")) == 1


def test_a_stale_claimed_row_is_requeued_and_sent_once(scan, expiring, settings):
    day = EXP - dt.timedelta(days=30)
    with time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)):
        reminder_scan(today=day)  # claimed at 09:00, never sent (worker lost)
    result = scan(day)  # the same day at 16:00: older than an hour, re-queued
    assert result.claimed == 0 and result.queued == 2
    assert len(mail.outbox) == 2
    assert scan(EXP - dt.timedelta(days=29)).queued == 0
    assert len(mail.outbox) == 2


def test_terminated_staff_and_rejected_credentials_are_not_reminded(
    scan, expiring, cpr
):
    rejected = CredentialFactory(
        credential_type=cpr, expires_on=EXP, verification_status="rejected"
    )
    gone = CredentialFactory(credential_type=cpr, expires_on=EXP)
    gone.staff.status = "terminated"
    gone.staff.termination_date = EXP - dt.timedelta(days=100)
    gone.staff.save()
    scan(EXP - dt.timedelta(days=30))
    emails = {m.to[0] for m in mail.outbox}
    assert rejected.staff.user.email not in emails
    assert gone.staff.user.email not in emails


def test_missing_required_credential_of_a_new_hire_is_reminded_against_its_due_date(
    scan, team, supervisor, cpr
):
    hired = EXP - dt.timedelta(days=2)
    newbie = StaffProfileFactory(team=team, hire_date=hired)
    CredentialRequirementFactory(
        job_role=newbie.job_role, credential_type=cpr, due_within_days=30
    )
    scan(hired)  # due in 30 days: the 30-day step
    scan(hired)
    assert len(sent_to(newbie.user.email)) == 1
    assert "is due by" in sent_to(newbie.user.email)[0].subject
    assert len(sent_to(supervisor.email)) == 1
    assert f"/credentials/add/?type={cpr.pk}" in sent_to(newbie.user.email)[0].body
    services.credential_create(
        staff=newbie,
        credential_type=cpr,
        by=newbie.user,
        expires_on=EXP.replace(year=2028),
    )
    mail.outbox.clear()
    scan(hired + dt.timedelta(days=25))
    assert mail.outbox == []


def test_dry_run_lists_and_changes_nothing(expiring, capsys):
    call_command(
        "send_credential_reminders",
        "--date",
        (EXP - dt.timedelta(days=7)).isoformat(),
        "--dry-run",
    )
    out = capsys.readouterr().out
    assert "worker@example.org" in out and "2 reminders would be sent" in out
    assert ReminderLog.objects.count() == 0
    assert mail.outbox == []


def test_command_sends(expiring, django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "send_credential_reminders",
            "--date",
            (EXP - dt.timedelta(days=7)).isoformat(),
        )
    assert "2 newly due, 2 queued" in capsys.readouterr().out
    assert len(mail.outbox) == 2


def test_weekly_digest_is_one_email_per_supervisor(
    team,
    supervisor,
    other_team,
    other_supervisor,
    hr_person,
    cpr,
    django_capture_on_commit_callbacks,
    settings,
):
    today = EXP
    for days in (-3, 5, 12, 29):
        CredentialFactory(
            staff=StaffProfileFactory(team=team),
            credential_type=cpr,
            expires_on=today + dt.timedelta(days=days),
        )
    CredentialFactory(  # not in the digest: 60 days away
        staff=StaffProfileFactory(team=team),
        credential_type=cpr,
        expires_on=today + dt.timedelta(days=60),
    )
    import time_machine

    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                digest_scan(today=today)
    mine = sent_to(supervisor.email)
    assert len(mine) == 1
    assert "1 expired, 3 expiring" in mine[0].subject
    assert len(sent_to(hr_person.email)) == 1
    # The other team's supervisor has nobody expiring: no email, but claimed once.
    assert sent_to(other_supervisor.email) == []
    assert DigestLog.objects.filter(recipient=other_supervisor).count() == 1


def test_an_smtp_error_leaves_the_reminder_unsent_for_the_retry(expiring, monkeypatch):
    from smtplib import SMTPServerDisconnected

    from django.core.mail import EmailMultiAlternatives

    from credentials.reminders import reminder_send
    from credentials.tasks import send_reminders

    reminder_scan(today=EXP - dt.timedelta(days=7))  # claimed; not yet sent
    row = ReminderLog.objects.get(recipient=expiring.staff.user)
    real_send = EmailMultiAlternatives.send
    monkeypatch.setattr(
        EmailMultiAlternatives,
        "send",
        lambda self, fail_silently=False: (_ for _ in ()).throw(
            SMTPServerDisconnected("gone")
        ),
    )
    with pytest.raises(SMTPServerDisconnected):
        reminder_send(reminder_id=row.pk)
    row.refresh_from_db()
    assert row.sent_at is None and mail.outbox == []
    assert SMTPServerDisconnected in send_reminders.autoretry_for or any(
        issubclass(SMTPServerDisconnected, exc) for exc in send_reminders.autoretry_for
    )
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    assert reminder_send(reminder_id=row.pk) is True
    assert reminder_send(reminder_id=row.pk) is False
    assert len(mail.outbox) == 1


def test_a_task_holding_part_of_a_supervisors_reminders_sends_them_all_in_one_email(
    expiring, team, supervisor, cpr
):
    """A duplicated delivery, or a batch cut inside a recipient's rows: whichever
    task reaches the supervisor first lists all their claimed reminders, and the
    other finds nothing left to send for them."""
    from credentials.tasks import send_reminders

    for i in range(2):
        CredentialFactory(
            staff=StaffProfileFactory(team=team, user__email=f"w{i}@example.org"),
            credential_type=cpr,
            expires_on=EXP,
        )
    day = EXP - dt.timedelta(days=30)
    noon = dt.datetime.combine(day, dt.time(16), tzinfo=dt.UTC)
    with time_machine.travel(noon, tick=False):
        assert reminder_scan(today=day).claimed == 6  # claimed; not yet sent
        theirs = list(
            ReminderLog.objects.filter(recipient=supervisor)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        assert len(theirs) == 3
        assert send_reminders(theirs[:1]) == 3
        assert (
            send_reminders(list(ReminderLog.objects.values_list("pk", flat=True))) == 3
        )
    assert len(sent_to(supervisor.email)) == 1
    assert "3 credentials" in sent_to(supervisor.email)[0].subject
    assert len(mail.outbox) == 4
    assert not ReminderLog.objects.filter(sent_at__isnull=True).exists()
