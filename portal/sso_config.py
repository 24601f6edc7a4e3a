"""The single sign-on providers named in the environment, read by the settings
(no Django imports here: the settings load it before the apps)."""

from __future__ import annotations

from typing import Any


def sso_providers(env: Any) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Read ``SSO_PROVIDERS`` (ids, comma-separated) and each id's
    ``SSO_<ID>_ISSUER``, ``_CLIENT_ID``, ``_SECRET``, ``_LABEL`` and ``_MFA_ACR``;
    returns {id: {label, mfa_acr}} and allauth's list of apps."""
    providers: dict[str, dict[str, Any]] = {}
    apps: list[dict[str, Any]] = []
    for provider_id in env.list("SSO_PROVIDERS", default=[]):
        key = provider_id.upper().replace("-", "_")
        label = env.str(f"SSO_{key}_LABEL", default=provider_id)
        providers[provider_id] = {
            "label": label,
            "mfa_acr": env.list(f"SSO_{key}_MFA_ACR", default=[]),
        }
        apps.append(
            {
                "provider_id": provider_id,
                "name": label,
                "client_id": env.str(f"SSO_{key}_CLIENT_ID"),
                "secret": env.str(f"SSO_{key}_SECRET", default=""),
                "settings": {
                    "server_url": env.str(f"SSO_{key}_ISSUER"),
                    "fetch_userinfo": True,
                    "oauth_pkce_enabled": True,
                },
            }
        )
    return providers, apps


def sso_form_action(policy: str, socialaccount_providers: dict[str, Any]) -> str:
    """The policy with the providers' origins added to ``form-action``: the
    "Sign in with ..." form's answer redirects to the provider, and Chromium
    holds that redirect to the page's ``form-action``."""
    from urllib.parse import urlsplit

    origins = []
    for app in socialaccount_providers.get("openid_connect", {}).get("APPS", []):
        url = urlsplit(app.get("settings", {}).get("server_url", ""))
        if url.scheme in ("http", "https") and url.netloc:
            origins.append(f"{url.scheme}://{url.netloc}")
    if not origins or "form-action 'self'" not in policy:
        return policy
    extra = " ".join(dict.fromkeys(origins))
    return policy.replace("form-action 'self'", f"form-action 'self' {extra}", 1)
