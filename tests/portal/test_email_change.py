"""A login email changes as an event, not an edit: the person confirms the new
address while logged in as themselves, the old address is told, their other
sessions end; self-service changes ask for the password; each security change
is emailed to the person (issue 20, M2 and M3)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal.models import User
from portal.roles import Role
from tests.factories import (
    PASSWORD,
    JobRoleFactory,
    StaffProfileFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OLD = "sam.rivera@example.org"
NEW = "sam.new@example.org"
NOW = dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def sam(db):
    return StaffProfileFactory(
        user__email=OLD,
        employee_id="H200",
        job_role=JobRoleFactory(name="Treatment Technician", code="tt"),
        team=TeamFactory(name="Cedar House"),
        hire_date=dt.date(2026, 11, 2),
    )


def _csv(email: str, team: str = "Cedar House") -> str:
    return (
        "employee_id,first_name,last_name,email,job_role,team,hire_date\n"
        f"H200,Sam,Rivera,{email},tt,{team},2026-11-02\n"
    )


def _login(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def _logged_in(email: str) -> Client:
    client = Client()
    assert _login(client, email).status_code == 302
    return client


def _reauthenticated(client: Client, url: str):
    """Open ``url``, giving the password again when allauth asks for it."""
    response = client.get(url)
    if response.status_code == 302 and "reauthenticate" in response["Location"]:
        client.post(response["Location"], {"password": PASSWORD})
        response = client.get(url)
    return response


def _mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def _confirm_link(address: str) -> str:
    for message in reversed(_mails_to(address)):
        match = re.search(
            r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body
        )
        if match:
            return match.group(1)
    raise AssertionError(f"no confirmation link to {address}")


def _import(client, hr, text, django_capture_on_commit_callbacks, *, tick: bool):
    client.force_login(hr)
    preview = client.post(
        "/staff/import/",
        {"file": SimpleUploadedFile("hr.csv", text.encode(), "text/csv")},
    )
    assert preview.status_code == 200
    data = {"confirm": "1", "payload": preview.context["payload"]}
    if tick:
        data["email_change"] = "H200"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/staff/import/", data)
    assert done.status_code == 302
    return preview.content.decode()


def test_import_shows_an_email_change_apart_and_skips_it_unless_ticked(
    client, hr, sam, django_capture_on_commit_callbacks
):
    maple = TeamFactory(name="Maple House")
    html = _import(
        client,
        hr,
        _csv(NEW, team="Maple House"),
        django_capture_on_commit_callbacks,
        tick=False,
    )
    assert f"Email change: {OLD} → {NEW}" in html
    assert 'name="email_change" value="H200"' in html
    sam.refresh_from_db()
    sam.user.refresh_from_db()
    assert sam.team == maple, "the rest of the row is imported"
    assert sam.user.email == OLD
    assert not _mails_to(NEW) and not _mails_to(OLD)


def test_hr_cannot_take_over_an_account_through_the_import(
    client, hr, sam, django_capture_on_commit_callbacks
):
    """M2: the import changed the login email, HR reset the password through the
    new mailbox and logged in as the person. Now the change waits for the person."""
    sams_computer = _logged_in(OLD)
    sams_phone = _logged_in(OLD)
    mail.outbox.clear()
    _import(client, hr, _csv(NEW), django_capture_on_commit_callbacks, tick=True)

    user = User.objects.get(pk=sam.user_id)
    assert user.email == OLD
    assert user.check_password(PASSWORD), "no password set or reset"
    (notice,) = _mails_to(OLD)
    assert "change of your login email" in notice.subject
    assert NEW in notice.body and "tell HR" in notice.body
    link = _confirm_link(NEW)
    # HR's page for the person shows the change waiting.
    page = client.get(f"/staff/{sam.pk}/").content.decode()
    assert f"Change to {NEW} waits for" in page

    # Whoever reads the new mailbox gets no password reset link...
    outsider = Client()
    with django_capture_on_commit_callbacks(execute=True):
        outsider.post("/accounts/password/reset/", {"email": NEW})
    assert not any("/password/reset/key/" in m.body for m in _mails_to(NEW))
    # ...cannot log in with the new address...
    assert _login(outsider, NEW).status_code == 200
    # ...and cannot confirm it: the link wants the person logged in.
    assert outsider.get(link)["Location"].startswith("/accounts/login/")
    assert outsider.post(link)["Location"].startswith("/accounts/login/")
    client.get(link)
    client.post(link)
    assert User.objects.get(pk=sam.user_id).email == OLD

    # The person, logged in as themselves, confirms: the new address is the login.
    assert sams_computer.get(link).status_code == 200
    assert sams_computer.post(link).status_code == 302
    user.refresh_from_db()
    assert user.email == NEW
    changed = [m for m in _mails_to(OLD) if "was changed" in m.subject]
    assert changed and NEW in changed[0].body
    # Their other sessions ended; this one goes on.
    assert sams_phone.get("/")["Location"].startswith("/accounts/login/")
    assert sams_computer.get("/").status_code == 200
    assert _login(Client(), OLD).status_code == 200
    assert _login(Client(), NEW).status_code == 302


def test_an_administrator_changing_the_email_in_the_cms_only_asks_for_it(
    client, sam, django_capture_on_commit_callbacks
):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cms/users/edit/{sam.user_id}/",
            {
                "email": NEW,
                "first_name": sam.user.first_name,
                "last_name": sam.user.last_name,
                "is_active": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=sam.user_id).email == OLD
    assert _mails_to(OLD) and _confirm_link(NEW)


def test_the_django_admin_email_field_only_asks_for_a_change(
    client, sam, django_capture_on_commit_callbacks
):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/django-admin/portal/user/{sam.user_id}/change/",
            {
                "email": NEW,
                "first_name": sam.user.first_name,
                "last_name": sam.user.last_name,
                "is_active": "on",
                "last_login_0": "",
                "last_login_1": "",
                "date_joined_0": "2026-01-05",
                "date_joined_1": "09:00:00",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=sam.user_id).email == OLD
    assert _mails_to(OLD) and _confirm_link(NEW)


def test_self_service_email_change_asks_for_the_password_then_the_link(sam):
    """M3: at an unlocked computer, a few clicks at /accounts/email/ made another
    address the login. Now it takes the password, then the link."""
    with time_machine.travel(NOW, tick=False) as clock:
        client = _logged_in(OLD)
        clock.shift(dt.timedelta(minutes=20))  # the person walked away
        mail.outbox.clear()
        asked = client.post("/accounts/email/", {"email": NEW, "action_add": ""})
        assert asked.status_code == 302
        assert asked["Location"].startswith("/accounts/reauthenticate/")
        assert not _mails_to(NEW)
        assert (
            client.post(asked["Location"], {"password": "wrong-password-1"}).status_code
            == 200
        )
        assert client.post(asked["Location"], {"password": PASSWORD}).status_code == 302
        client.post("/accounts/email/", {"email": NEW, "action_add": ""})
        assert User.objects.get(pk=sam.user_id).email == OLD, "not before the link"
        page = client.get("/accounts/email/")
        assert page.status_code == 200
        assert NEW in page.content.decode() and OLD in page.content.decode()
        link = _confirm_link(NEW)
        client.post(link)
    assert User.objects.get(pk=sam.user_id).email == NEW
    assert any("was changed" in m.subject for m in _mails_to(OLD))


def test_a_password_change_is_emailed_with_what_to_do(sam):
    client = _logged_in(OLD)
    mail.outbox.clear()
    new_password = "Another-Good-Password-7"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    (message,) = _mails_to(OLD)
    assert "Your password was changed" in message.subject
    assert "/accounts/password/reset/" in message.body and "Tell HR" in message.body


def test_two_factor_on_off_and_recovery_code_use_are_emailed(
    sam, django_capture_on_commit_callbacks
):
    client = _logged_in(OLD)
    setup = _reauthenticated(client, "/accounts/2fa/totp/activate/")
    secret = setup.context["form"].secret
    counter = next(yield_hotp_counters_from_time())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/accounts/2fa/totp/activate/",
            {"code": format_hotp_value(hotp_value(secret, counter))},
        )
    assert done.status_code == 302
    assert any("turned on" in m.subject for m in _mails_to(OLD))

    codes = RecoveryCodes(
        Authenticator.objects.get(user=sam.user, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    other = Client()
    step = _login(other, OLD)
    assert "/2fa/authenticate/" in step["Location"]
    mail.outbox.clear()
    assert other.post(step["Location"], {"code": codes[0]}).status_code == 302
    (used,) = _mails_to(OLD)
    assert "recovery code was used" in used.subject

    mail.outbox.clear()
    _reauthenticated(client, "/accounts/2fa/totp/deactivate/")
    off = client.post("/accounts/2fa/totp/deactivate/")
    assert off.status_code == 302
    assert any("turned off" in m.subject for m in _mails_to(OLD))


def test_the_cms_account_page_does_not_change_ones_own_email(client, sam):
    author = UserFactory(roles=[Role.STAFF, Role.AUTHOR])
    client.force_login(author)
    page = client.get("/cms/account/")
    assert page.status_code == 200
    assert 'name="name_email-first_name"' in page.content.decode()
    assert 'name="name_email-email"' not in page.content.decode()


def test_a_junk_or_used_confirmation_link_answers_without_error(client, sam):
    assert client.get("/accounts/confirm-email/junk/")["Location"].startswith(
        "/accounts/login/"
    )
    client.force_login(sam.user)
    for key in ("junk", "junk'%00", "x" * 500):
        for method in (client.get, client.post):
            response = method(f"/accounts/confirm-email/{key}/")
            assert response.status_code in (200, 400, 404)
    assert User.objects.get(pk=sam.user_id).email == OLD


def test_a_password_reset_is_emailed_with_what_to_do(client, sam):
    client.post("/accounts/password/reset/", {"email": OLD})
    match = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)",
        _mails_to(OLD)[-1].body,
    )
    assert match
    form_url = client.get(match.group(1))["Location"]
    mail.outbox.clear()
    new_password = "Another-Good-Password-7"
    done = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    (message,) = _mails_to(OLD)
    assert "Your password was reset" in message.subject
    assert "Tell HR" in message.body
