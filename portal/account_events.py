"""What follows allauth's account events: a login email that changed ends the
person's other sessions, and the use of a recovery code is told to the person
(allauth itself emails the other changes: ACCOUNT_EMAIL_NOTIFICATIONS)."""

from __future__ import annotations

from typing import Any


def on_email_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from .services import user_sessions_end_others

    session = getattr(request, "session", None)
    user_sessions_end_others(user=user, keep=getattr(session, "session_key", None))


def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from .services import login_address_ensure

    login_address_ensure(user=user)


def on_authenticator_used(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    if authenticator.type != Authenticator.Type.RECOVERY_CODES:
        return
    unused = len(authenticator.wrap().get_unused_codes())
    get_adapter().send_notification_mail(
        "mfa/email/recovery_code_used", user, {"unused_codes": unused}
    )


def connect() -> None:
    from allauth.account.signals import email_changed, user_logged_in
    from allauth.mfa.signals import authenticator_used

    email_changed.connect(on_email_changed, dispatch_uid="milieu_email_changed")
    user_logged_in.connect(on_logged_in, dispatch_uid="milieu_login_address")
    authenticator_used.connect(
        on_authenticator_used, dispatch_uid="milieu_recovery_code_used"
    )
