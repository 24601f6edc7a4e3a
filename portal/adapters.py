"""allauth adapter: no open sign-up; people are invited by HR."""

from allauth.account.adapter import DefaultAccountAdapter

from .validators import validate_no_control_characters


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def clean_email(self, email: str) -> str:
        """No line breaks or other control characters (they reach mail headers)."""
        validate_no_control_characters(email)
        return super().clean_email(email)
