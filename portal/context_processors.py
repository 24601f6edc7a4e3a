"""Template context shared by every page: navigation and the user's roles."""

from django.conf import settings

from .registry import nav_for
from .roles import is_hr, is_supervisor, primary_role, user_roles


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "site_name": "Milieu"}
    return {
        "nav_items": nav_for(request),
        "site_name": "Milieu",
        "user_roles": user_roles(user),
        "user_is_hr": is_hr(user),
        "user_is_supervisor": is_supervisor(user),
        "user_primary_role": primary_role(user),
        "idle_timeout_seconds": settings.IDLE_TIMEOUT_MINUTES * 60,
        "show_sent_mail": settings.DEBUG
        and is_hr(user)
        and settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"),
    }
