"""The pages through real HTTP: my credentials, add and renew, the verification
queue, a person's panel, notifications, the calendar feed, the roll-up provider."""

import datetime as dt
import logging
import time

import pytest
import time_machine
from django.urls import reverse

from credentials import services
from credentials.models import CalendarFeed, Credential, CredentialRequirement
from credentials.selectors import (
    credential_status_counts,
    credentials_expiring,
    pending_verification_count,
    requirement_statuses,
)
from portal.requirements import Status, providers
from tests.credentials.factories import (
    CredentialFactory,
    CredentialRequirementFactory,
    CredentialTypeFactory,
    pdf_upload,
)
from tests.factories import StaffProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cpr(db):
    return CredentialTypeFactory(
        name="CPR / First Aid", code="cpr", requires_document=True
    )


# The card typed in runs from Jan 2026 to Jan 2028: today is inside it.
@time_machine.travel(dt.datetime(2026, 12, 7, 17, tzinfo=dt.UTC), tick=False)
def test_staff_adds_their_own_credential_and_hr_verifies_it(
    client, staff, cpr, hr, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(staff.user)
    response = client.post(
        reverse("credential_add"),
        {
            "credential_type": cpr.pk,
            "issuing_body": "American Heart Association",
            "issued_on": "2026-01-10",
            "expires_on": "2028-01-31",
            "documents": pdf_upload(),
        },
    )
    credential = Credential.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("credential_detail", args=[credential.pk])
    assert credential.verification_status == "pending"
    page = client.get(reverse("my_credentials")).content.decode()
    assert "CPR / First Aid" in page and "Pending verification" in page

    client.force_login(hr)
    queue = client.get(reverse("verification_queue")).content.decode()
    assert "1 pending" in queue and staff.full_name in queue
    review = client.get(reverse("credential_review", args=[credential.pk])).content
    assert b"?inline=1" in review  # the document is shown beside the fields
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("credential_review", args=[credential.pk]),
            {"verify": "1", "primary_source_note": "AHA eCard lookup on 2026-11-25"},
        )
    credential.refresh_from_db()
    assert credential.verification_status == "verified"
    assert credential.primary_source_note == "AHA eCard lookup on 2026-11-25"
    assert "was verified" in mail.outbox[0].subject
    assert pending_verification_count() == 0


# The dates typed are as of Dec 1, 2026 (whatever the suite's clock says).
@time_machine.travel(dt.datetime(2026, 12, 1, 17, tzinfo=dt.UTC), tick=False)
def test_renewal_supersedes_and_keeps_history(client, staff, cpr):
    old = CredentialFactory(
        staff=staff, credential_type=cpr, expires_on=dt.date(2026, 7, 1)
    )
    client.force_login(staff.user)
    response = client.post(
        reverse("credential_renew", args=[old.pk]),
        {
            "expires_on": "2028-07-01",
            "issued_on": "2026-06-20",
            "documents": pdf_upload(),
        },
    )
    assert response.status_code == 302
    new = Credential.objects.exclude(pk=old.pk).get()
    old.refresh_from_db()
    assert old.superseded_by == new and new.supersedes == old
    page = client.get(reverse("my_credentials")).content.decode()
    assert "History" in page and page.count("CPR / First Aid") >= 2


@time_machine.travel(dt.datetime(2026, 12, 1, 17, tzinfo=dt.UTC), tick=False)
def test_invalid_form_rerenders_with_the_reason(client, staff, cpr):
    client.force_login(staff.user)
    response = client.post(
        reverse("credential_add"),
        {
            "credential_type": cpr.pk,
            "issued_on": "2026-05-01",
            "expires_on": "2026-04-01",
        },
    )
    assert response.status_code == 200
    assert "The expiry date is before the issue date." in response.content.decode()
    assert Credential.objects.count() == 0


def test_staff_cannot_add_for_someone_else(client, staff, team, cpr):
    other = StaffProfileFactory(team=team)
    client.force_login(staff.user)
    response = client.get(reverse("credential_add") + f"?staff={other.pk}")
    assert response.status_code == 404


def test_supervisor_cannot_add_for_their_staff_but_hr_can(
    client, staff, supervisor, hr, cpr
):
    client.force_login(supervisor)
    assert (
        client.get(reverse("credential_add") + f"?staff={staff.pk}").status_code == 404
    )
    client.force_login(hr)
    response = client.post(
        reverse("credential_add") + f"?staff={staff.pk}",
        {
            "credential_type": cpr.pk,
            "expires_on": "2028-01-01",
            "documents": pdf_upload(),
            "staff": staff.pk,
        },
    )
    assert response.status_code == 302
    assert Credential.objects.get().staff == staff


def test_other_people_credentials_are_404(client, staff, other_supervisor, cpr):
    cred = CredentialFactory(staff=staff, credential_type=cpr)
    client.force_login(other_supervisor)
    assert client.get(reverse("credential_detail", args=[cred.pk])).status_code == 404
    assert client.get(reverse("credential_renew", args=[cred.pk])).status_code == 404


def test_verification_queue_is_for_hr_only(client, staff, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("verification_queue")).status_code == 403


def test_verification_queue_oldest_first_with_pinned_queries(
    client, hr, cpr, django_assert_max_num_queries
):
    creds = [
        CredentialFactory(
            credential_type=cpr,
            verification_status="pending",
            created_at=dt.datetime(2026, 1, day, tzinfo=dt.UTC),
        )
        for day in (5, 3, 9, 1)
    ] + [CredentialFactory(credential_type=cpr) for _ in range(5)]
    client.force_login(hr)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("verification_queue")).content.decode()
    names = [c.staff.full_name for c in sorted(creds[:4], key=lambda c: c.created_at)]
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions)
    assert "4 pending" in page


def test_my_credentials_page_queries_are_pinned(
    client, staff, cpr, django_assert_max_num_queries
):
    for i in range(6):
        ctype = CredentialTypeFactory()
        CredentialRequirementFactory(job_role=staff.job_role, credential_type=ctype)
        CredentialFactory(
            staff=staff,
            credential_type=ctype,
            expires_on=dt.date(2027, 1, 1) + dt.timedelta(days=i),
        )
    client.force_login(staff.user)
    # Constant in the number of credentials; 18 since every request also checks
    # that the person is still on staff (issue 9), besides the shell's navigation.
    with django_assert_max_num_queries(18):
        assert client.get(reverse("my_credentials")).status_code == 200


def test_person_page_shows_the_panel_to_their_supervisor(
    client, staff, supervisor, cpr
):
    CredentialRequirementFactory(job_role=staff.job_role, credential_type=cpr)
    client.force_login(supervisor)
    page = client.get(reverse("staff_detail", args=[staff.pk])).content.decode()
    assert "Credentials" in page and "Missing" in page


def test_home_panels(client, staff, hr, cpr):
    CredentialRequirementFactory(job_role=staff.job_role, credential_type=cpr)
    client.force_login(staff.user)
    assert "Your credentials" in client.get("/").content.decode()
    client.force_login(hr)
    page = client.get("/").content.decode()
    assert "Pending verification" in page and "Expiring in 30 days" in page


def test_notifications_list_and_mark_read(client, staff):
    services.notification_create(
        user=staff.user, text="Your CPR expires soon", url="/x"
    )
    client.force_login(staff.user)
    page = client.get(reverse("notifications")).content.decode()
    assert "Your CPR expires soon" in page and "1 unread" in page
    client.post(reverse("notifications"))
    assert staff.user.notifications.filter(read_at__isnull=True).count() == 0


def test_calendar_feed_needs_the_token_and_a_reset_kills_the_old_url(
    client, staff, cpr
):
    CredentialFactory(staff=staff, credential_type=cpr, expires_on=dt.date(2027, 3, 4))
    client.force_login(staff.user)
    client.get(reverse("my_credentials"))
    token = CalendarFeed.objects.get(user=staff.user).token
    client.logout()
    url = reverse("credential_calendar", args=[token])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "CPR / First Aid expires" in body and "20270304" in body
    assert client.get(reverse("credential_calendar", args=["guess"])).status_code == 404
    client.force_login(staff.user)
    client.post(reverse("calendar_reset"))
    client.logout()
    assert client.get(url).status_code == 404


def test_provider_is_registered_and_uses_the_record_valid_on_the_date(
    staff, cpr, django_assert_max_num_queries
):
    assert "credential" in providers()
    CredentialRequirementFactory(job_role=staff.job_role, credential_type=cpr)
    old = CredentialFactory(
        staff=staff,
        credential_type=cpr,
        issued_on=dt.date(2024, 1, 1),
        expires_on=dt.date(2026, 1, 31),
        created_at=dt.datetime(2024, 1, 2, tzinfo=dt.UTC),
    )
    new = CredentialFactory(
        staff=staff,
        credential_type=cpr,
        issued_on=dt.date(2026, 2, 10),
        expires_on=dt.date(2028, 2, 10),
        supersedes=old,
        created_at=dt.datetime(2026, 2, 11, 15, tzinfo=dt.UTC),
    )
    Credential.objects.filter(pk=old.pk).update(superseded_by=new)
    others = [StaffProfileFactory(job_role=staff.job_role) for _ in range(5)]
    ids = [staff.pk] + [o.pk for o in others]
    # staff, requirements, credentials (+ the agency's time zone, cached)
    with django_assert_max_num_queries(4):
        rows = requirement_statuses(staff_ids=ids, as_of=dt.date(2026, 1, 15))
    mine = {r.staff_id: r for r in rows}
    assert mine[staff.pk].status == Status.EXPIRING
    assert mine[staff.pk].expires_on == dt.date(2026, 1, 31)
    assert all(mine[o.pk].status == Status.MISSING for o in others)
    assert (
        requirement_statuses(staff_ids=[staff.pk], as_of=dt.date(2026, 2, 5))[0].status
        == Status.EXPIRED
    )
    later = requirement_statuses(staff_ids=[staff.pk], as_of=dt.date(2026, 3, 1))[0]
    assert later.status == Status.CURRENT and later.expires_on == dt.date(2028, 2, 10)
    assert later.before_first_shift is False


@time_machine.travel(dt.datetime(2026, 6, 1, 16, tzinfo=dt.UTC), tick=False)
def test_status_counts_and_expiring_selector(staff, team, cpr):
    CredentialRequirementFactory(job_role=staff.job_role, credential_type=cpr)
    today = dt.date(2026, 6, 1)
    CredentialFactory(
        staff=staff, credential_type=cpr, expires_on=today + dt.timedelta(days=10)
    )
    StaffProfileFactory(job_role=staff.job_role, team=team)  # missing
    counts = credential_status_counts(today=today)
    assert counts[Status.EXPIRING] == 1 and counts[Status.MISSING] == 1
    assert list(credentials_expiring(within_days=30, today=today))[0].staff == staff
    assert CredentialRequirement.objects.count() == 1


def test_broker_down_fails_fast_and_logs(
    client, staff, hr, cpr, settings, caplog, monkeypatch
):
    """With a broker that refuses connections, verifying (which queues an email)
    still answers quickly; the failure is logged, the verification is kept."""
    from portal.celery import app

    cred = CredentialFactory(
        staff=staff, credential_type=cpr, verification_status="pending"
    )
    old = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    monkeypatch.setenv(
        "CELERY_BROKER_URL", "redis://127.0.0.1:1/0"
    )  # Celery prefers it
    app._after_fork()  # drop pooled connections so the new URL is used
    try:
        client.force_login(hr)
        with (
            caplog.at_level(logging.ERROR, logger="credentials.services"),
            pytest.MonkeyPatch.context() as mp,
        ):
            # Run after-commit work at once (the test transaction never commits).
            mp.setattr(
                "django.db.transaction.on_commit",
                lambda func, using=None, robust=False: func(),
            )
            started = time.monotonic()
            response = client.post(
                reverse("credential_review", args=[cred.pk]), {"verify": "1"}
            )
            elapsed = time.monotonic() - started
    finally:
        app.conf.task_always_eager, app.conf.broker_url = old
        app._after_fork()
    assert response.status_code == 302
    assert elapsed < 10
    cred.refresh_from_db()
    assert cred.verification_status == "verified"
    assert "Could not queue" in caplog.text


def test_hr_sees_verify_and_add_actions_on_a_person_page(client, staff, hr, cpr):
    pending = CredentialFactory(
        staff=staff, credential_type=cpr, verification_status="pending"
    )
    client.force_login(hr)
    page = client.get(reverse("staff_detail", args=[staff.pk])).content.decode()
    assert reverse("credential_review", args=[pending.pk]) in page
    assert f"{reverse('credential_add')}?staff={staff.pk}" in page
    client.force_login(staff.user)
    page = client.get(reverse("staff_detail", args=[staff.pk])).content.decode()
    assert reverse("credential_review", args=[pending.pk]) not in page


@time_machine.travel(dt.datetime(2026, 6, 1, 16, tzinfo=dt.UTC), tick=False)
def test_missing_counts_only_the_requirements_with_nothing_on_file(staff, cpr):
    other = CredentialTypeFactory(name="CPI", code="cpi")
    third = CredentialTypeFactory(name="TB test", code="tb")
    for ctype in (cpr, other, third):
        CredentialRequirementFactory(job_role=staff.job_role, credential_type=ctype)
    CredentialFactory(staff=staff, credential_type=cpr)
    CredentialFactory(
        staff=staff, credential_type=other, verification_status="rejected"
    )
    counts = credential_status_counts(today=dt.date(2026, 6, 1))
    assert counts[Status.MISSING] == 2  # CPI (only a rejected one) and TB test
    assert counts[Status.CURRENT] == 1
