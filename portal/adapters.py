"""allauth adapter: no open sign-up; people are invited by HR."""

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
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
        super().pre_authenticate(request, **credentials)

    def clean_email(self, email: str) -> str:
        """No line breaks or other control characters (they reach mail headers)."""
        validate_no_control_characters(email)
        return super().clean_email(email)

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
