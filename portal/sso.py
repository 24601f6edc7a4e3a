"""Single sign-on over OpenID Connect, on allauth's ``openid_connect`` provider.

Only people the agency already has come in: a sign-in is matched to an existing,
active staff account by the provider's verified email (``email_verified``), and
afterwards by the subject (``sub``) it recorded. Anyone else gets a refusal page,
no account, and an audit entry. An ID token that says MFA was used (``amr``
contains ``mfa``, or an ``acr`` the agency names) counts as the second factor;
otherwise the person is asked for their Milieu code as with a password."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.signals import user_logged_in
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render

from .audit import audit_access
from .models import User
from .permissions import user_has_access

logger = logging.getLogger(__name__)

SESSION_SSO_MFA = "milieu_sso_mfa"


def _claims(sociallogin: SocialLogin) -> dict[str, Any]:
    data = sociallogin.account.extra_data or {}
    id_token = data.get("id_token")
    return id_token if isinstance(id_token, dict) else {}


def sso_asserted_mfa(sociallogin: SocialLogin | None) -> bool:
    """Whether the provider's ID token says the person used a second factor."""
    if sociallogin is None:
        return False
    claims = _claims(sociallogin)
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if "mfa" in amr:
        return True
    provider = settings.SSO_PROVIDERS.get(sociallogin.account.provider, {})
    acr = claims.get("acr")
    return bool(acr) and acr in provider.get("mfa_acr", [])


def _refuse(request: HttpRequest, *, user: User | None, why: str, email: str) -> None:
    audit_access(
        actor=None,
        obj_or_model=user if user is not None else User,
        what=f"Single sign-on refused ({why}) for {email or 'an unnamed person'}",
    )
    logger.info("sso refused: %s", why)
    raise ImmediateHttpResponse(
        render(request, "account/sso_refused.html", {"why": why}, status=403)
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """No sign-up through a provider, ever; matching as the module says."""

    def is_open_for_signup(
        self, request: HttpRequest, sociallogin: SocialLogin
    ) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.state.get("process") == "connect":
            # Identities are linked by a sign-in or unlinked by HR, never by hand.
            _refuse(request, user=None, why="linking by hand", email="")
        verified = [a.email for a in sociallogin.email_addresses if a.verified]
        email = (verified or [""])[0].strip().lower()
        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            if not email:
                _refuse(request, user=None, why="email not verified", email="")
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                _refuse(request, user=None, why="unknown person", email=email)
        assert user is not None  # nosec: _refuse raised otherwise
        if not user_has_access(user):
            _refuse(request, user=user, why="access ended", email=user.email)
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)


class MfaAuthenticateStage(AuthenticateStage):
    """allauth's two-factor step, skipped when the provider vouches for MFA."""

    def handle(self) -> tuple:
        sociallogin = (
            self.login.signal_kwargs.get("sociallogin")
            if (self.login.signal_kwargs)
            else None
        )
        if sso_asserted_mfa(sociallogin):
            return None, True
        return super().handle()


def _on_logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Remember for this session whether the provider vouched for MFA: then the
    role's two-factor rule is met (portal.middleware.MfaRequiredMiddleware)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_SSO_MFA] = sso_asserted_mfa(kwargs.get("sociallogin"))


def connect() -> None:
    user_logged_in.connect(_on_logged_in, dispatch_uid="milieu-sso-mfa")
