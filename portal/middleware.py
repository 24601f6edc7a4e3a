"""Per-request checks: the agency's time zone, who may still be signed in (leavers,
idle sessions, roles that need two-factor authentication) and security headers."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from .dates import agency_clock_for_request
from .sso_config import sso_form_action

SESSION_LAST_SEEN = "milieu_last_seen"
# The idle clock is moved on at most this often by page reads (seconds); the
# timeout allows for it, so nobody is signed out early.
LAST_SEEN_STEP = 30
KEEPALIVE_HEADER = "X-Milieu-Keepalive"


class AgencyTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with agency_clock_for_request() as zone:
            timezone.activate(zone)
            try:
                return self.get_response(request)
            finally:
                timezone.deactivate()


class AccessEndedMiddleware:
    """A session whose person is terminated as of today (agency time) is ended at
    once, even before the nightly task has closed the account; the request goes on
    as an anonymous visitor's.

    The person's staff record is read once here (``own_staff_profile``) and kept
    for the rest of the request: the home page and the menu use the same row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .permissions import user_has_access
        from .selectors import own_staff_profile

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            staff = own_staff_profile(user)
            if not user_has_access(user, staff=staff):
                logout(request)
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Ends a session after ``IDLE_TIMEOUT_MINUTES`` without a request (0: never).

    Pages carry the timeout for static/js/idle.js, which warns a minute before and
    can ask to stay signed in (a POST to ``session_keepalive``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        minutes = settings.IDLE_TIMEOUT_MINUTES
        user = getattr(request, "user", None)
        if minutes and user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(SESSION_LAST_SEEN)
            if last is not None and now - last > minutes * 60 + LAST_SEEN_STEP:
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {minutes} minutes without activity. "
                    "Log in again to go on.",
                )
            elif (
                last is None or now - last >= LAST_SEEN_STEP or request.method != "GET"
            ):
                # Written at most every LAST_SEEN_STEP seconds of reading (a
                # session write is three queries), on every other request.
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class MfaRequiredMiddleware:
    """People in a role named by ``MFA_REQUIRED_ROLES`` who have not set up an
    authenticator app see allauth's set-up page before any other page (the shell
    explains why: ``mfa_setup_roles`` from portal.context_processors)."""

    ALLOWED_PREFIXES = ("/static/", "/media/", "/healthz")
    ALLOWED_NAMES = (
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "account_logout",
        "session_keepalive",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths: set[str] | None = None

    def _allowed(self, path: str) -> bool:
        if path.startswith(self.ALLOWED_PREFIXES):
            return True
        if self._allowed_paths is None:
            self._allowed_paths = {reverse(name) for name in self.ALLOWED_NAMES}
        return path in self._allowed_paths

    def __call__(self, request):
        from .security import mfa_setup_required

        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED_ROLES
            and user is not None
            and user.is_authenticated
            and not self._allowed(request.path)
        ):
            from .sso import SESSION_SSO_MFA

            if mfa_setup_required(user) and not request.session.get(SESSION_SSO_MFA):
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy on pages, Permissions-Policy on every response, and
    ``Cache-Control: no-store`` on every response to a signed-in person.

    Framing follows X-Frame-Options: ``frame-ancestors 'none'`` unless the view
    allowed same-origin framing (the CMS preview, a document's preview).

    What a signed-in person sees (their pages, documents, certificates, exports)
    is theirs: no browser or proxy may keep a copy for the next person at a shared
    computer. Anonymous public pages (login, /verify/, static files) keep their
    caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        policy = (
            settings.CMS_CONTENT_SECURITY_POLICY
            if request.path.startswith(settings.CMS_PATH_PREFIX)
            else settings.CONTENT_SECURITY_POLICY
        )
        if policy and response.get("Content-Type", "").startswith("text/html"):
            policy = sso_form_action(policy, settings.SOCIALACCOUNT_PROVIDERS)
            same_origin = response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
            ancestors = "'self'" if same_origin else "'none'"
            # Set, not setdefault: Wagtail's preview renders the page through
            # this middleware first, then marks the outer response SAMEORIGIN.
            response.headers["Content-Security-Policy"] = (
                f"{policy}; frame-ancestors {ancestors}"
            )
        return response


class NulByteMiddleware:
    """A NUL byte in the address is never a real request, and PostgreSQL cannot
    even compare text with one: answer 400 before any view looks it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest

        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return HttpResponseBadRequest("The address contains a NUL byte.")
        return self.get_response(request)


class CmsIdMiddleware:
    """The CMS's choosers and its API read ``?id=`` as database ids and answer a
    server error to anything else (``?id=abc``): answer 400 before they look."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest

        from .validators import parse_id

        if request.path.startswith(settings.CMS_PATH_PREFIX) and any(
            parse_id(value) is None for value in request.GET.getlist("id")
        ):
            return HttpResponseBadRequest("An id in the address is not a number.")
        return self.get_response(request)
