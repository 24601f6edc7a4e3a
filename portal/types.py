"""Type names the apps' signatures share, so that mypy can check who is acting.

``AnyUser`` is whoever sent a request, signed in or not; the role and permission
helpers accept it. Views behind a login (every view not marked ``public``) take
an ``AuthenticatedHttpRequest``, whose ``user`` is a real account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

if TYPE_CHECKING:
    from .models import User

AnyUser: TypeAlias = "User | AnonymousUser"


class AuthenticatedHttpRequest(HttpRequest):
    """A request past ``LoginRequiredMiddleware``: ``user`` is signed in."""

    user: User
