"""Invitation → password → login → the role's home page, and every way it can fail."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from portal import services
from portal.models import Invitation, User
from portal.roles import Role
from tests.factories import JobRoleFactory, TeamFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Correct-Horse-Battery-9"


def _invite(role_set, *, email="new.person@example.org"):
    # The email is queued on commit, as in a real request.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.staff_create(
            email=email,
            first_name="Robin",
            last_name="Ortiz",
            employee_id=f"N-{email}",
            job_role=JobRoleFactory(),
            team=TeamFactory(),
            hire_date=dt.date(2026, 11, 2),
            roles=role_set,
        )


def _link_from_outbox() -> str:
    body = mail.outbox[-1].body
    match = re.search(r"https?://[^/\s]+(/invitation/[^\s]+/)", body)
    assert match, body
    return match.group(1)


@pytest.mark.parametrize(
    ("roles", "home_text"),
    [
        ({Role.STAFF}, "Staff"),
        ({Role.STAFF, Role.SUPERVISOR}, "Teams you supervise"),
        ({Role.STAFF, Role.HR}, "Add a staff member and invite them"),
        ({Role.ADMIN}, "Admin"),
    ],
)
def test_invitation_then_password_then_login_lands_on_the_role_home(
    client, roles, home_text
):
    staff = _invite(roles)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff.user.email]
    assert message.alternatives, "the invitation has an HTML part too"
    link = _link_from_outbox()

    page = client.get(link)
    assert page.status_code == 200
    assert b"Choose a password" in page.content

    done = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    # One front door: the first sign-in goes through the login page too.
    assert done["Location"] == "/accounts/login/"
    assert "Your password is set" in client.get(done["Location"]).content.decode()
    assert client.get("/").status_code == 302
    login = client.post(
        "/accounts/login/", {"login": staff.user.email, "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert home_text in home.content.decode()


def test_invitation_email_goes_out_once_even_if_the_task_runs_twice():
    staff = _invite({Role.STAFF})
    invitation = Invitation.objects.get(user=staff.user)
    assert invitation.sent_at is not None
    assert services.invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_a_used_invitation_link_gets_a_clear_page(client):
    _invite({Role.STAFF})
    link = _link_from_outbox()
    client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_an_expired_invitation_link_gets_a_clear_page(client):
    _invite({Role.STAFF})
    link = _link_from_outbox()
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=8)):
        response = client.get(link)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert "Ask HR to send you a new invitation" in response.content.decode()


def test_a_tampered_invitation_link_gets_a_clear_page(client):
    _invite({Role.STAFF})
    link = _link_from_outbox()
    response = client.get(link.replace(":", ":x", 1))
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_a_resent_invitation_kills_the_old_link(client):
    staff = _invite({Role.STAFF})
    old_link = _link_from_outbox()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.invitation_create(user=staff.user)
    new_link = _link_from_outbox()
    assert new_link != old_link
    assert client.get(old_link).status_code == 410
    assert client.get(new_link).status_code == 200


def test_password_mismatch_and_weak_password_rerender_with_messages(client):
    _invite({Role.STAFF})
    link = _link_from_outbox()
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": "other"})
    assert response.status_code == 200
    assert "not the same" in response.content.decode()
    response = client.post(link, {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not User.objects.get(email="new.person@example.org").has_usable_password()


def test_wrong_password_gets_a_clear_message(client, staff):
    response = client.post(
        "/accounts/login/", {"login": staff.user.email, "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_repeated_failures_lock_the_login_with_a_clear_message(client, staff, password):
    for _ in range(5):
        client.post(
            "/accounts/login/", {"login": staff.user.email, "password": "wrong"}
        )
    response = client.post(
        "/accounts/login/", {"login": staff.user.email, "password": password}
    )
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/").status_code == 302  # still not logged in


def test_there_is_no_open_sign_up(client):
    response = client.get("/accounts/signup/")
    assert b"Sign Up Closed" in response.content or response.status_code == 404
    client.post(
        "/accounts/signup/",
        {
            "email": "x@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert not User.objects.filter(email="x@example.org").exists()


def test_password_reset_sends_an_email(client, staff):
    response = client.post("/accounts/password/reset/", {"email": staff.user.email})
    assert response.status_code == 302
    assert mail.outbox and staff.user.email in mail.outbox[-1].to


def _missing_described_by_ids(page: str) -> list[str]:
    """Ids an input's aria-describedby names (help text, errors) missing on the page."""
    named = {
        i
        for ids in re.findall(r'aria-describedby="([^"]+)"', page)
        for i in ids.split()
    }
    assert named, "no field is described"
    return [i for i in sorted(named) if f'id="{i}"' not in page]


def test_password_change_errors_are_shown_at_their_fields_and_read_out_with_them(
    client, staff
):
    """allauth's password form is laid out as the portal's forms: each error under
    its field, the password rules as help text, both tied to the input."""
    client.force_login(staff.user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": "short", "password2": "short"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert _missing_described_by_ids(page) == []
    error = re.search(
        r'role="alert" id="id_password1_error"><ul class="errorlist">(.*?)</ul>',
        page,
        re.S,
    )
    assert error and "at least 12 characters" in error.group(1)
    rules = re.search(
        r'<div class="helptext" id="id_password1_helptext">(.*?)</div>', page, re.S
    )
    assert rules and "can’t be entirely numeric" in rules.group(1)
    staff.user.refresh_from_db()
    assert not staff.user.check_password("short")
