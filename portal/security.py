"""Who is asking, and from where: the client address behind the trusted proxy,
and whether a user's role obliges them to use two-factor authentication."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .roles import user_roles

if TYPE_CHECKING:
    from .types import AnyUser


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address as allauth's login limits see it: from the trusted
    proxy's header (``ALLAUTH_TRUSTED_PROXY_COUNT`` / ``_CLIENT_IP_HEADER``), else
    the connection's own address. Attestations record this same address."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def mfa_required_roles(user: AnyUser) -> list[str]:
    """The user's roles that oblige them to use two-factor authentication."""
    required = set(settings.MFA_REQUIRED_ROLES)
    return sorted(r for r in user_roles(user) if r in required)


def mfa_enrolled(user: AnyUser) -> bool:
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def mfa_setup_required(user: AnyUser) -> bool:
    """Whether ``user`` must set up two-factor authentication before going on."""
    return bool(mfa_required_roles(user)) and not mfa_enrolled(user)
