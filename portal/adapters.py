"""allauth adapter: no open sign-up; people are invited by HR."""

from allauth.account.adapter import DefaultAccountAdapter
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
