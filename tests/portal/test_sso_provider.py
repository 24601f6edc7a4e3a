"""Single sign-on against a real OpenID Connect provider (``oidc-provider-mock`` on
a local port, RS256 ID tokens): the whole authorization-code flow, with Milieu's
requests to the provider's discovery, token and userinfo endpoints going over
HTTP. Known people come in; unknown and terminated ones are refused; a role that
needs two-factor skips Milieu's code only when the provider says MFA was used."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from portal.models import StaffProfile, User
from portal.roles import Role
from tests.factories import StaffProfileFactory, UserFactory
from tests.portal import oidc_mock

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with oidc_mock.provider_running() as url:
        yield url


@pytest.fixture
def provider(settings, issuer) -> str:
    oidc_mock.configure(settings, issuer)
    return issuer


def sign_in(client: Client, issuer: str, sub: str, **claims):
    """The login button, the provider's sign-in as ``sub`` with ``claims``, and
    Milieu's answer to the provider's redirect back."""
    oidc_mock.set_person(issuer, sub, **claims)
    start = client.post(f"/accounts/oidc/{oidc_mock.PROVIDER_ID}/login/")
    assert start.status_code == 302, start.content
    authorize_url = start["Location"]
    assert authorize_url.startswith(f"{issuer}/oauth2/authorize?")
    query = parse_qs(urlparse(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"]  # PKCE
    assert query["state"]  # allauth sends no nonce: PKCE and state instead
    back = urlparse(oidc_mock.authorize(authorize_url, sub))
    assert back.path == f"/accounts/oidc/{oidc_mock.PROVIDER_ID}/login/callback/"
    return client.get(back.path, parse_qs(back.query))


def signed_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def new_sub() -> str:
    return f"sub-{uuid.uuid4().hex}"


def test_a_known_person_signs_in_and_lands_on_home(client, provider):
    staff = StaffProfileFactory(user=UserFactory(email="ana@agency.example"))
    sub = new_sub()
    response = sign_in(
        client, provider, sub, email="Ana@agency.example", email_verified=True
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) == str(staff.user.pk)
    assert SocialAccount.objects.get(user=staff.user).uid == sub
    assert client.get("/").status_code == 200


def test_an_unknown_person_is_refused_and_gets_no_account(client, provider):
    users = User.objects.count()
    response = sign_in(
        client,
        provider,
        new_sub(),
        email="stranger@agency.example",
        email_verified=True,
    )
    assert response.status_code == 403
    assert "no active staff account" in response.content.decode()
    assert signed_in_as(client) is None
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()


def test_an_unverified_email_is_refused(client, provider):
    StaffProfileFactory(user=UserFactory(email="ana@agency.example"))
    response = sign_in(
        client, provider, new_sub(), email="ana@agency.example", email_verified=False
    )
    assert response.status_code == 403
    assert signed_in_as(client) is None


def test_a_terminated_person_is_refused(client, provider):
    staff = StaffProfileFactory(user=UserFactory(email="leaver@agency.example"))
    sub = new_sub()
    sign_in(client, provider, sub, email="leaver@agency.example", email_verified=True)
    assert signed_in_as(client) == str(staff.user.pk)
    client.logout()
    StaffProfile.objects.filter(pk=staff.pk).update(
        status=StaffProfile.Status.TERMINATED, termination_date=dt.date(2020, 1, 1)
    )
    response = sign_in(
        client, provider, sub, email="leaver@agency.example", email_verified=True
    )
    assert response.status_code == 403
    assert "access to Milieu has ended" in response.content.decode()
    assert signed_in_as(client) is None


@pytest.fixture
def hr_with_totp(settings):
    settings.MFA_REQUIRED_ROLES = ["HR"]
    hr = UserFactory(email="hr@agency.example", roles=[Role.STAFF, Role.HR])
    StaffProfileFactory(user=hr)
    Authenticator.objects.create(
        user=hr, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    return hr


def test_an_mfa_role_without_amr_is_asked_for_the_milieu_code(
    client, provider, hr_with_totp
):
    response = sign_in(
        client, provider, new_sub(), email="hr@agency.example", email_verified=True
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert signed_in_as(client) is None


def test_an_mfa_role_with_mfa_in_amr_comes_straight_in(client, provider, hr_with_totp):
    response = sign_in(
        client,
        provider,
        new_sub(),
        email="hr@agency.example",
        email_verified=True,
        amr=["pwd", "mfa"],
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) == str(hr_with_totp.pk)


def test_expired_tokens_are_refused(client, settings):
    """A provider whose ID and access tokens expired ten minutes before they were
    issued: no sign-in comes of them."""
    with oidc_mock.provider_running(
        access_token_max_age=dt.timedelta(minutes=-10)
    ) as stale:
        oidc_mock.configure(settings, stale)
        StaffProfileFactory(user=UserFactory(email="ana@agency.example"))
        response = sign_in(
            client, stale, new_sub(), email="ana@agency.example", email_verified=True
        )
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
    assert response.status_code != 302 or "/accounts/login" in response["Location"]


def test_the_login_page_lets_the_browser_go_to_the_provider(client, provider):
    """The button's form is answered by a redirect to the provider: the page's
    form-action policy must name the provider, or Chromium stops there."""
    response = client.get("/accounts/login/")
    assert f"Sign in with {oidc_mock.LABEL}" in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert f"form-action 'self' {provider};" in policy


def test_a_token_from_another_issuer_is_refused(client, settings, issuer):
    """The provider names its issuer from the address it is asked on: tokens
    fetched from 127.0.0.1 say so, while Milieu trusts localhost."""
    port = urlparse(issuer).port
    oidc_mock.configure(
        settings,
        issuer,
        openid_configuration_overrides={
            "token_endpoint": f"http://127.0.0.1:{port}/oauth2/token",
            "userinfo_endpoint": f"http://127.0.0.1:{port}/userinfo",
        },
    )
    StaffProfileFactory(user=UserFactory(email="ana@agency.example"))
    response = sign_in(
        client, issuer, new_sub(), email="ana@agency.example", email_verified=True
    )
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
    assert response.status_code != 302 or "/accounts/login" in response["Location"]
