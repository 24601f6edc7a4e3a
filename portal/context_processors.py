"""Template context shared by every page: navigation and the user's roles."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .attention import header_facts
from .registry import nav_for
from .roles import is_hr, is_supervisor, primary_role, user_roles


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_items": [],
            "site_name": "Milieu",
            "settings_sso_only": settings.SSO_ONLY,
        }
    return {
        "nav_items": nav_for(request),
        "header_facts": header_facts(request),
        "site_name": "Milieu",
        "user_roles": user_roles(user),
        "user_is_hr": is_hr(user),
        "user_is_supervisor": is_supervisor(user),
        "user_may_use_cms": SimpleLazyObject(lambda: may_use_cms(request, user)),
        "user_primary_role": primary_role(user),
        "idle_timeout_seconds": settings.IDLE_TIMEOUT_MINUTES * 60,
        "mfa_setup_roles": _mfa_setup_roles(request, user),
        "show_sent_mail": settings.DEBUG
        and is_hr(user)
        and settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"),
    }


SESSION_CMS = "milieu_cms"


def may_use_cms(request, user) -> bool:
    """Whether the menu offers the CMS: Wagtail's ``access_admin`` permission,
    worked out once per session and again when the user's roles change (a
    permission granted to a person directly shows from their next login). The CMS
    itself checks the permission on every request."""
    roles = sorted(user_roles(user))
    session = getattr(request, "session", None)
    remembered = session.get(SESSION_CMS) if session is not None else None
    if remembered and remembered[0] == roles:
        return remembered[1]
    value = user.has_perm("wagtailadmin.access_admin")
    if session is not None:
        session[SESSION_CMS] = [roles, value]
    return value


def _mfa_setup_roles(request, user) -> list[str]:
    """The roles that oblige this user to set up two-factor authentication, on the
    account pages the gate (portal.middleware) lets them see; else nothing."""
    from .security import mfa_required_roles, mfa_setup_required

    if not settings.MFA_REQUIRED_ROLES or not request.path.startswith("/accounts/"):
        return []
    return mfa_required_roles(user) if mfa_setup_required(user) else []
