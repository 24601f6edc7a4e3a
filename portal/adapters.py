"""allauth adapter: no open sign-up; people are invited by HR. A login email is
the account's own address only: an address waiting for confirmation neither logs
in nor receives a password reset, and only its owner, logged in, confirms it."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.template.loader import render_to_string

from .cache import cache_reachable
from .mail import agency_name, email_context, email_message
from .validators import validate_no_control_characters

logger = logging.getLogger(__name__)

LOGIN_PAUSED = (
    "Signing in is paused for a few minutes: the service that limits password "
    "guesses is unavailable. Please try again shortly; if you are already signed "
    "in, nothing changes."
)


SSO_ONLY_MESSAGE = (
    "Sign in with your agency's account (the button above): passwords are off here."
)


def password_login_allowed(email: str) -> bool:
    """With ``SSO_ONLY`` on, only the named break-glass administrators may use a
    password (sign in or reset it)."""
    if not settings.SSO_ONLY:
        return True
    return (email or "").strip().lower() in settings.SSO_BREAK_GLASS_EMAILS


def _is_login_email(user, email: str) -> bool:
    return (user.email or "").lower() == (email or "").lower()


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """The login's rate limits fail closed: without the shared cache that
        counts failed passwords, no password is checked at all (every other
        limit fails open, see portal/cache.py)."""
        if not cache_reachable():
            logger.warning("login refused: the cache that counts failures is down")
            raise forms.ValidationError(LOGIN_PAUSED, code="login_paused")
        if not password_login_allowed(credentials.get("email", "")):
            raise forms.ValidationError(SSO_ONLY_MESSAGE, code="sso_only")
        super().pre_authenticate(request, **credentials)

    def get_login_stages(self) -> list[str]:
        """allauth's, with a two-factor step that accepts a provider's MFA."""
        return [
            "portal.sso.MfaAuthenticateStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]

    def clean_email(self, email: str) -> str:
        """No line breaks or other control characters (they reach mail headers)."""
        validate_no_control_characters(email)
        return super().clean_email(email)

    def confirm_email(self, request: HttpRequest, email_address) -> bool:
        """A new login email counts only when its owner, logged in with the current
        login (and two-factor), opens the link: whoever reads the new mailbox (the
        person who typed it in, perhaps) cannot take the account with it."""
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.pk == email_address.user_id):
            messages.error(
                request,
                "Log in with your current email address and password, then open "
                "the link again to confirm your new email address.",
            )
            return False
        return super().confirm_email(request, email_address)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (password reset, security notices, also those sent on
        commit after the request) through the outbox: tried at once, since someone
        waits for it, and retried by beat if the mail server fails; the page never
        fails because of the mail server."""
        from .outbox import outbox_add

        request = allauth_context.request or getattr(self, "request", None)
        ctx = {"request": request, "email": email}
        if request is not None:
            ctx["current_site"] = get_current_site(request)
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        kind = "account_" + template_prefix.rpartition("/")[2]
        outbox_add(
            kind=kind[:40],
            key=f"account.{uuid.uuid4().hex}",
            message=message,
            send_now=True,
        )

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's emails through the portal's one email builder: the agency's
        name, text and HTML parts, the automatic-message headers."""
        to = [email] if isinstance(email, str) else list(email)
        ctx = {**context, "site_name": agency_name()}
        subject = render_to_string(f"{template_prefix}_subject.txt", email_context(ctx))
        return email_message(
            template=f"{template_prefix}_message",
            subject=self.format_email_subject(" ".join(subject.split())),
            context=ctx,
            to=to,
            headers=headers,
            from_email=self.get_from_email(),
        )


class AuthenticationBackend(AllauthBackend):
    """allauth's login by email, by the account's login email only (allauth's own
    also accepts any address on file, such as one still awaiting confirmation)."""

    def _authenticate_by_email(self, email: str, password: str):
        user = super()._authenticate_by_email(email, password)
        if user is not None and not _is_login_email(user, email):
            return None
        return user


class ResetPasswordForm(AllauthResetPasswordForm):
    """A reset link goes only to an account's login email, never to an address
    whose change has not been confirmed by the person."""

    def clean_email(self) -> str:
        email = super().clean_email()
        users: list = getattr(self, "users", [])
        self.users = [
            u
            for u in users
            if _is_login_email(u, email) and password_login_allowed(u.email)
        ]
        return email
