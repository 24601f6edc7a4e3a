"""allauth adapter: no open sign-up; people are invited by HR."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.template.loader import render_to_string

from .mail import agency_name, email_context, email_message
from .validators import validate_no_control_characters


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (password reset, …) through the outbox: tried at once,
        since someone waits for it, and retried by beat if the mail server fails;
        the page never fails because of the mail server."""
        from .outbox import outbox_add

        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        kind = "account_" + template_prefix.rpartition("/")[2]
        outbox_add(
            kind=kind[:40],
            key=f"account.{uuid.uuid4().hex}",
            message=message,
            send_now=True,
        )
