"""Leavers lose access on their termination date: one service, used by the staff
form, the CMS, the CSV import and the nightly task, with the session check as a
second line of defence."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from credentials.models import CalendarFeed, Credential
from credentials.reminders import reminder_scan
from portal import services
from portal.importer import import_apply
from portal.models import AccessChange, StaffProfile
from portal.tasks import apply_terminations
from tests.credentials.factories import CredentialFactory, CredentialTypeFactory
from tests.factories import (
    PASSWORD,
    StaffProfileFactory,
    TeamFactory,
    make_hr,
    make_supervisor,
)

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 3, 10)
NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=NY)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def leaver(clock):
    """A supervisor of one team (with a member) who is also on staff."""
    team = TeamFactory(name="Cedar House")
    StaffProfileFactory(team=team)
    user = make_supervisor(team, email="leaver@example.org")
    return StaffProfileFactory(user=user, team=team)


def _sign_in(client, user) -> None:
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def _edit_form(staff: StaffProfile, **changes) -> dict:
    data = {
        "job_role": staff.job_role_id,
        "team": staff.team_id or "",
        "hire_date": staff.hire_date.isoformat(),
        "status": staff.status,
        "termination_date": "",
    }
    data.update(changes)
    return data


def _assert_closed(leaver: StaffProfile) -> None:
    leaver.refresh_from_db()
    leaver.user.refresh_from_db()
    assert leaver.status == StaffProfile.Status.TERMINATED
    assert not leaver.user.is_active
    assert not leaver.user.supervised_teams.exists()
    assert not CalendarFeed.objects.filter(user=leaver.user).exists()
    assert AccessChange.objects.filter(
        user=leaver.user, action=AccessChange.Action.TERMINATED
    ).exists()


def test_terminating_through_the_staff_form_closes_everything_and_keeps_records(
    client, leaver, django_capture_on_commit_callbacks
):
    credential = CredentialFactory(staff=leaver)
    CalendarFeed.objects.create(user=leaver.user)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(user=leaver.user)
    leavers_browser = client.__class__()
    _sign_in(leavers_browser, leaver.user)

    hr = make_hr()
    client.force_login(hr)
    response = client.post(
        f"/staff/{leaver.pk}/edit/",
        _edit_form(leaver, status="terminated", termination_date=TODAY.isoformat()),
    )
    assert response.status_code == 302

    _assert_closed(leaver)
    invitation.refresh_from_db()
    assert invitation.is_expired
    # Every session of theirs ended: their open browser is sent to the login.
    assert leavers_browser.get("/")["Location"].startswith("/accounts/login/")
    assert not [
        s
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(leaver.user.pk)
    ]
    # Retention: their records stay as they were.
    assert Credential.objects.filter(pk=credential.pk).exists()
    # HR's home flags the team left without a supervisor.
    home = client.get("/").content.decode()
    assert "Teams without a supervisor" in home and "Cedar House" in home
    # They cannot log in again.
    again = leavers_browser.post(
        "/accounts/login/", {"login": leaver.user.email, "password": PASSWORD}
    )
    assert again.status_code == 302
    assert again["Location"] == "/accounts/inactive/"
    assert leavers_browser.get("/").status_code == 302


def test_a_future_date_waits_for_the_agencys_midnight(client, leaver, clock):
    hr = make_hr()
    client.force_login(hr)
    tomorrow = TODAY + dt.timedelta(days=1)
    client.post(
        f"/staff/{leaver.pk}/edit/",
        _edit_form(leaver, termination_date=tomorrow.isoformat()),
    )
    leaver.refresh_from_db()
    assert leaver.termination_date == tomorrow
    assert leaver.status == StaffProfile.Status.ACTIVE
    assert leaver.user.is_active

    clock.move_to(dt.datetime(2026, 3, 10, 23, 59, tzinfo=NY))
    assert apply_terminations.delay().get() == 0
    leaver.user.refresh_from_db()
    assert leaver.user.is_active

    # 00:01 in New York is 05:01 UTC: the server's clock zone does not matter.
    clock.move_to(dt.datetime(2026, 3, 11, 5, 1, tzinfo=dt.UTC))
    assert apply_terminations.delay().get() == 1
    _assert_closed(leaver)
    assert apply_terminations.delay().get() == 0  # safe to run twice


def test_marking_terminated_with_a_future_date_is_refused_with_a_message(
    client, leaver
):
    client.force_login(make_hr())
    response = client.post(
        f"/staff/{leaver.pk}/edit/",
        _edit_form(
            leaver,
            status="terminated",
            termination_date=(TODAY + dt.timedelta(days=5)).isoformat(),
        ),
    )
    assert response.status_code == 200
    assert "the account closes at the start of that day" in response.content.decode()
    leaver.user.refresh_from_db()
    assert leaver.user.is_active


def test_a_session_is_refused_on_the_termination_date_before_the_task_runs(
    client, leaver, clock
):
    StaffProfile.objects.filter(pk=leaver.pk).update(
        termination_date=TODAY + dt.timedelta(days=1)
    )
    _sign_in(client, leaver.user)
    clock.move_to(dt.datetime(2026, 3, 11, 0, 5, tzinfo=NY))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    # The task has not run: the account itself is still marked active.
    leaver.user.refresh_from_db()
    assert leaver.user.is_active


def test_the_cms_edit_terminates_through_the_same_service(client, leaver):
    admin = make_hr()
    client.force_login(admin)
    response = client.post(
        f"/cms/staffprofile/edit/{leaver.pk}/",
        _edit_form(leaver, status="terminated", termination_date=TODAY.isoformat()),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    _assert_closed(leaver)


def test_the_csv_import_terminates_through_the_same_service(leaver):
    hr = make_hr()
    user = leaver.user
    text = (
        "employee_id,first_name,last_name,email,job_role,team,hire_date,"
        "termination_date\n"
        f"{leaver.employee_id},{user.first_name},{user.last_name},{user.email},"
        f"{leaver.job_role.code},{leaver.team.name},{leaver.hire_date:%Y-%m-%d},"
        f"{TODAY:%Y-%m-%d}\n"
    )
    counts = import_apply(text=text, by=hr)
    assert counts["change"] == 1
    _assert_closed(leaver)


def test_nobody_is_reminded_to_or_about_a_leaver(leaver, clock):
    cpr = CredentialTypeFactory(name="CPR / First Aid", code="cpr")
    CredentialFactory(
        staff=leaver, credential_type=cpr, expires_on=TODAY + dt.timedelta(days=30)
    )
    services.staff_terminate(staff=leaver, on=TODAY)
    reminder_scan(today=TODAY)
    assert not [m for m in mail.outbox if leaver.user.email in m.to]
    assert not [m for m in mail.outbox if leaver.user.get_full_name() in m.body]
    # HR's "Send reminder" button is gone from their page, and a forged POST is
    # refused.
    client = Client()
    client.force_login(make_hr())
    assert "Send reminder" not in client.get(f"/staff/{leaver.pk}/").content.decode()
    client.post(f"/staff/{leaver.pk}/remind/")
    assert not [m for m in mail.outbox if leaver.user.email in m.to]


def test_hr_deactivates_and_reactivates_from_the_persons_page(client, clock):
    person = StaffProfileFactory()
    browser = client.__class__()
    _sign_in(browser, person.user)
    client.force_login(make_hr())
    page = client.get(f"/staff/{person.pk}/").content.decode()
    assert "Deactivate account" in page

    no_reason = client.post(
        f"/staff/{person.pk}/access/",
        {"action": "deactivate", "reason": " "},
        follow=True,
    )
    assert "Give a reason" in no_reason.content.decode()
    person.user.refresh_from_db()
    assert person.user.is_active

    done = client.post(
        f"/staff/{person.pk}/access/",
        {"action": "deactivate", "reason": "Suspended pending investigation"},
        follow=True,
    )
    text = done.content.decode()
    assert "account was deactivated" in text
    assert "Suspended pending investigation" in text  # the log on the page
    person.user.refresh_from_db()
    assert not person.user.is_active
    assert browser.get("/").status_code == 302

    client.post(
        f"/staff/{person.pk}/access/",
        {"action": "reactivate", "reason": "Cleared"},
    )
    person.user.refresh_from_db()
    assert person.user.is_active
    assert list(
        AccessChange.objects.filter(user=person.user).values_list("action", flat=True)
    ) == ["reactivated", "deactivated"]


def test_a_terminated_person_cannot_be_reactivated_without_rehiring(client, leaver):
    services.staff_terminate(staff=leaver, on=TODAY)
    client.force_login(make_hr())
    response = client.post(
        f"/staff/{leaver.pk}/access/",
        {"action": "reactivate", "reason": "Oops"},
        follow=True,
    )
    assert "This person is terminated" in response.content.decode()
    leaver.user.refresh_from_db()
    assert not leaver.user.is_active


def test_only_hr_may_deactivate_an_account(client):
    person = StaffProfileFactory()
    supervisor = make_supervisor(person.team)
    client.force_login(supervisor)
    response = client.post(
        f"/staff/{person.pk}/access/", {"action": "deactivate", "reason": "x"}
    )
    assert response.status_code == 403
    person.user.refresh_from_db()
    assert person.user.is_active
