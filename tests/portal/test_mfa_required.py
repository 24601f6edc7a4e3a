"""Two-factor authentication where it matters: roles named by MFA_REQUIRED_ROLES
must set up an authenticator app before any other page."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from portal.roles import Role
from tests.factories import PASSWORD, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

PRODUCTION_ROLES = ["Admin", "HR", "Supervisor", "Author"]
ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_ROLES = PRODUCTION_ROLES


def _login(client, user) -> None:
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]


def _open_setup(client, user):
    """allauth asks for the password again before adding an authenticator."""
    response = client.get(ACTIVATE)
    if response.status_code == 302 and "reauthenticate" in response["Location"]:
        confirm = client.get(response["Location"])
        assert "requires two-factor authentication" in confirm.content.decode()
        client.post(response["Location"], {"password": PASSWORD})
        response = client.get(ACTIVATE)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.HR, Role.SUPERVISOR, Role.AUTHOR], ids=str
)
def test_an_unenrolled_user_in_a_required_role_is_sent_to_set_it_up(
    client, mfa_required, role
):
    user = UserFactory(roles=[Role.STAFF, role])
    _login(client, user)
    for page in ("/", "/staff/", "/my-training/", "/cms/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == ACTIVATE, page
    setup = _open_setup(client, user)
    text = setup.content.decode()
    assert f"Your role ({role}" in text
    assert "requires two-factor authentication" in text
    assert "recovery codes" in text
    assert 'name="code"' in text


def test_staff_are_not_gated(client, mfa_required):
    staff = StaffProfileFactory()
    _login(client, staff.user)
    assert client.get("/").status_code == 200


def test_nothing_is_gated_when_no_role_requires_it(client, settings):
    settings.MFA_REQUIRED_ROLES = []
    hr = UserFactory(roles=[Role.STAFF, Role.HR])
    _login(client, hr)
    assert client.get("/").status_code == 200


def test_enrolling_shows_recovery_codes_then_opens_the_portal(client, mfa_required):
    hr = UserFactory(roles=[Role.STAFF, Role.HR])
    _login(client, hr)
    assert client.get("/")["Location"] == ACTIVATE
    setup = _open_setup(client, hr)
    secret = setup.context["form"].secret
    counter = next(iter(yield_hotp_counters_from_time()))
    done = client.post(
        ACTIVATE, {"code": format_hotp_value(hotp_value(secret, counter))}
    )
    assert done.status_code == 302
    assert done["Location"] == "/accounts/2fa/recovery-codes/"
    codes = client.get(done["Location"])
    assert codes.status_code == 200
    assert len(re.findall(r"\b\d{8}\b", codes.content.decode())) >= 10
    assert Authenticator.objects.filter(
        user=hr, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    assert client.get("/").status_code == 200


def test_an_enrolled_user_is_not_gated(client, mfa_required):
    supervisor = UserFactory(roles=[Role.STAFF, Role.SUPERVISOR])
    TOTP.activate(supervisor, generate_totp_secret())
    client.force_login(supervisor)
    assert client.get("/").status_code == 200


def test_logging_out_stays_possible_before_enrolling(client, mfa_required):
    hr = UserFactory(roles=[Role.STAFF, Role.HR])
    _login(client, hr)
    client.post("/accounts/logout/")
    assert client.get("/")["Location"].startswith("/accounts/login/")
