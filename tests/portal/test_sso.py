"""Single sign-on over OpenID Connect through allauth's ``openid_connect``
provider, against a fake provider whose discovery, token, userinfo and JWKS
answers are served in-process: known people come in, nobody else does."""

from __future__ import annotations

import datetime as dt
import json
import time
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from auditlog.models import LogEntry
from django.test import Client

from portal import sso
from portal.models import StaffProfile, User
from portal.roles import Role
from tests.factories import StaffProfileFactory, UserFactory

jwt = pytest.importorskip("jwt")  # django-allauth[socialaccount]

pytestmark = pytest.mark.django_db

ISSUER = "https://login.agency.example/tenant"
CLIENT_ID = "milieu-client"


class FakeResponse:
    def __init__(self, body: dict, status: int = 200) -> None:
        self.status_code = status
        self._body = body
        self.text = json.dumps(body)
        self.content = self.text.encode()
        self.headers = {"content-type": "application/json"}

    def json(self) -> dict:
        return self._body

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(self.status_code)


class FakeProvider:
    """Discovery, token and userinfo endpoints of an identity provider."""

    def __init__(self) -> None:
        self.claims: dict = {}
        self.id_token_claims: dict = {}
        self.issuer = ISSUER
        self.nonce = ""

    def id_token(self) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            **self.claims,
            **self.id_token_claims,
        }
        return jwt.encode(
            claims, "provider-signing-secret-of-32-bytes!!", algorithm="HS256"
        )

    def request(self, method: str, url: str, **kwargs) -> FakeResponse:
        if url.endswith("/.well-known/openid-configuration"):
            return FakeResponse(
                {
                    "issuer": ISSUER,
                    "authorization_endpoint": f"{ISSUER}/authorize",
                    "token_endpoint": f"{ISSUER}/token",
                    "userinfo_endpoint": f"{ISSUER}/userinfo",
                    "jwks_uri": f"{ISSUER}/jwks",
                    "token_endpoint_auth_methods_supported": ["client_secret_post"],
                }
            )
        if url == f"{ISSUER}/token":
            return FakeResponse(
                {
                    "access_token": "access-1",
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": self.id_token(),
                }
            )
        if url == f"{ISSUER}/userinfo":
            return FakeResponse(self.claims)
        return FakeResponse({"error": "not found"}, status=404)

    def get(self, url: str, **kwargs) -> FakeResponse:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> FakeResponse:
        return self.request("POST", url, **kwargs)

    def __enter__(self) -> FakeProvider:
        return self

    def __exit__(self, *exc) -> None:
        return None


@pytest.fixture
def provider(settings, monkeypatch) -> FakeProvider:
    settings.SSO_PROVIDERS = {"agency": {"label": "Agency ID", "mfa_acr": ["phr"]}}
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "agency",
                    "name": "Agency ID",
                    "client_id": CLIENT_ID,
                    "secret": "client-secret",
                    "settings": {"server_url": ISSUER},
                }
            ],
        }
    }
    fake = FakeProvider()
    monkeypatch.setattr(
        sso.SocialAccountAdapter, "get_requests_session", lambda self: fake
    )
    return fake


def sign_in(client: Client, provider: FakeProvider, **claims):
    """The authorization-code flow: the login button, the provider's redirect
    back with the state it was given, then Milieu's answer."""
    provider.claims = {"sub": "sub-123", "email_verified": True, **claims}
    start = client.post("/accounts/oidc/agency/login/")
    assert start.status_code == 302, start.content
    authorize = urlparse(start["Location"])
    assert authorize.netloc == "login.agency.example"
    query = parse_qs(authorize.query)
    assert query["code_challenge_method"] == ["S256"]  # PKCE
    state = query["state"][0]
    response = client.get(
        "/accounts/oidc/agency/login/callback/", {"code": "code-1", "state": state}
    )
    return response, state


def signed_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_the_login_page_offers_the_provider(client, provider):
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in with Agency ID" in html
    assert 'name="password"' in html


def test_the_login_page_is_as_before_without_sso(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in with" not in html


def test_a_known_person_comes_in_by_verified_email_then_by_subject(client, provider):
    staff = StaffProfileFactory(user=UserFactory(email="ana@agency.example"))
    response, _ = sign_in(client, provider, email="Ana@agency.example")
    assert response.status_code == 302
    assert signed_in_as(client) == str(staff.user.pk)
    account = SocialAccount.objects.get(user=staff.user)
    assert account.uid == "sub-123"
    # Next time the subject decides, even if the provider's email changed.
    client.logout()
    response, _ = sign_in(client, provider, email="ana.new@agency.example")
    assert signed_in_as(client) == str(staff.user.pk)


def test_an_unknown_person_is_refused_with_no_account_and_an_audit_entry(
    client, provider
):
    users = User.objects.count()
    response, _ = sign_in(client, provider, email="stranger@agency.example")
    assert response.status_code == 403
    assert "no active staff account" in response.content.decode()
    assert signed_in_as(client) is None
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    assert (
        LogEntry.objects.filter(changes_text__contains="unknown person")
        .filter(changes_text__contains="stranger@agency.example")
        .exists()
    )


def test_an_unverified_email_is_refused(client, provider):
    StaffProfileFactory(user=UserFactory(email="ana@agency.example"))
    response, _ = sign_in(
        client, provider, email="ana@agency.example", email_verified=False
    )
    assert response.status_code == 403
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists()


def test_a_terminated_person_is_refused_even_with_a_linked_identity(client, provider):
    staff = StaffProfileFactory(user=UserFactory(email="leaver@agency.example"))
    sign_in(client, provider, email="leaver@agency.example")
    client.logout()
    StaffProfile.objects.filter(pk=staff.pk).update(
        status=StaffProfile.Status.TERMINATED, termination_date=dt.date(2020, 1, 1)
    )
    response, _ = sign_in(client, provider, email="leaver@agency.example")
    assert response.status_code == 403
    assert "access to Milieu has ended" in response.content.decode()
    assert signed_in_as(client) is None
    assert LogEntry.objects.filter(changes_text__contains="access ended").exists()


def test_a_deactivated_account_is_refused(client, provider):
    StaffProfileFactory(
        user=UserFactory(email="closed@agency.example", is_active=False)
    )
    response, _ = sign_in(client, provider, email="closed@agency.example")
    assert response.status_code == 403
    assert signed_in_as(client) is None


def test_a_replayed_state_is_refused(client, provider):
    StaffProfileFactory(user=UserFactory(email="ana@agency.example"))
    _, state = sign_in(client, provider, email="ana@agency.example")
    client.logout()
    replay = client.get(
        "/accounts/oidc/agency/login/callback/", {"code": "code-1", "state": state}
    )
    assert signed_in_as(client) is None
    assert replay.status_code == 401  # allauth's sign-in error page


@pytest.mark.parametrize(
    "bad",
    [{"iss": "https://evil.example"}, {"exp": 1_000_000}, {"aud": "someone-else"}],
)
def test_a_token_from_another_issuer_or_expired_is_refused(client, provider, bad):
    StaffProfileFactory(user=UserFactory(email="ana@agency.example"))
    provider.id_token_claims = bad
    response, _ = sign_in(client, provider, email="ana@agency.example")
    assert signed_in_as(client) is None
    assert response.status_code != 302 or "/accounts/login" in response["Location"]


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
    response, _ = sign_in(client, provider, email="hr@agency.example")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert signed_in_as(client) is None


@pytest.mark.parametrize("claims", [{"amr": ["pwd", "mfa"]}, {"acr": "phr"}])
def test_an_mfa_role_whose_provider_vouches_for_mfa_comes_straight_in(
    client, provider, hr_with_totp, claims
):
    provider.id_token_claims = claims
    response, _ = sign_in(client, provider, email="hr@agency.example")
    assert response.status_code == 302
    assert not response["Location"].startswith("/accounts/2fa/")
    assert signed_in_as(client) == str(hr_with_totp.pk)


def test_an_mfa_role_not_enrolled_is_not_sent_to_setup_when_sso_vouched(
    client, provider, settings
):
    settings.MFA_REQUIRED_ROLES = ["HR"]
    hr = UserFactory(email="hr2@agency.example", roles=[Role.STAFF, Role.HR])
    StaffProfileFactory(user=hr)
    provider.id_token_claims = {"amr": ["mfa"]}
    sign_in(client, provider, email="hr2@agency.example")
    assert client.get("/").status_code == 200
    client.logout()
    provider.id_token_claims = {}
    sign_in(client, provider, email="hr2@agency.example")
    assert client.get("/")["Location"].startswith("/accounts/2fa/totp/activate")


def test_sso_only_keeps_passwords_for_break_glass_admins_only(
    client, provider, settings
):
    from tests.factories import PASSWORD

    settings.SSO_ONLY = True
    settings.SSO_BREAK_GLASS_EMAILS = ["admin@agency.example"]
    StaffProfileFactory(user=UserFactory(email="ana@agency.example"))
    UserFactory(email="admin@agency.example", roles=[Role.ADMIN])
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in with Agency ID" in html and 'name="password"' not in html
    refused = client.post(
        "/accounts/login/", {"login": "ana@agency.example", "password": PASSWORD}
    )
    assert signed_in_as(client) is None
    assert "passwords are off here" in refused.content.decode()
    client.post(
        "/accounts/login/", {"login": "admin@agency.example", "password": PASSWORD}
    )
    assert signed_in_as(client) is not None
