"""A real OpenID Connect provider for the tests: ``oidc-provider-mock`` serves
discovery, JWKS, authorize and token endpoints (RS256-signed ID tokens) from a
thread on a local port. The helpers here register its people and walk the
authorization-code flow the way a browser would."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlparse

import pytest
import requests

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")

CLIENT_ID = "milieu-tests"
PROVIDER_ID = "agency"
LABEL = "Agency ID"


@contextmanager
def provider_running(**options: Any) -> Iterator[str]:
    """The provider's issuer URL (``http://localhost:PORT``) while it runs;
    ``options`` go to ``run_server_in_thread`` (e.g. ``access_token_max_age``)."""
    # authlib refuses plain http unless told this is a test.
    previous = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    try:
        with oidc_provider_mock.run_server_in_thread(**options) as server:
            yield f"http://localhost:{server.server_port}"
    finally:
        if previous is None:
            os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["AUTHLIB_INSECURE_TRANSPORT"] = previous


def configure(settings: Any, issuer: str, **overrides: Any) -> None:
    """Point Milieu at the provider, as SSO_PROVIDERS=agency and SSO_AGENCY_* do."""
    settings.SSO_PROVIDERS = {PROVIDER_ID: {"label": LABEL, "mfa_acr": ["phr"]}}
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": LABEL,
                    "client_id": CLIENT_ID,
                    "secret": "client-secret",
                    "settings": {
                        "server_url": issuer,
                        "fetch_userinfo": True,
                        "oauth_pkce_enabled": True,
                        **overrides,
                    },
                }
            ],
        }
    }


def set_person(issuer: str, sub: str, **claims: Any) -> None:
    """What the provider says about ``sub`` (claims go into the ID token)."""
    response = requests.put(f"{issuer}/users/{sub}", json=claims, timeout=10)
    response.raise_for_status()


def authorize(authorize_url: str, sub: str) -> str:
    """The person signs in at the provider as ``sub``; returns where the provider
    sends the browser back (Milieu's callback with code and state)."""
    assert urlparse(authorize_url).path == "/oauth2/authorize", authorize_url
    response = requests.post(
        authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10
    )
    assert response.status_code == 302, response.text
    return response.headers["Location"]
