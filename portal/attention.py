"""The header's notification badge and the per-person menu facts, worked out once
per person for a short while: a count of what needs the signed-in person's
attention, where to see it, and the flags that show or hide menu links.

Apps register their parts in ``AppConfig.ready()`` (each reusing the selector of
the panel or queue the badge links to: one name, one rule). The result is kept in
the cache for ``TTL_SECONDS`` per person and role set, and worked out at login, so
a page costs one cache read (and, once the kept facts expire, the few queries of
the sources once); a change shows in the badge within that time."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.humanize.templatetags.humanize import apnumber
from django.core.cache import cache
from django.urls import reverse

from .dates import agency_today
from .roles import Role, user_roles

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import StaffProfile, User

logger = logging.getLogger(__name__)

TTL_SECONDS = 120
CACHE_VERSION = 1


@dataclass(frozen=True)
class AttentionSource:
    """``count(user=..., staff=..., today=...) -> int`` for holders of ``roles``;
    ``url_name``: the page where those items are."""

    key: str
    count: Callable[..., int]
    url_name: str
    roles: frozenset[str]
    needs_staff_profile: bool = False
    order: int = 50


_sources: dict[str, AttentionSource] = {}
# key -> holds(user=..., staff=...) -> bool: a fact a menu link depends on.
_flags: dict[str, Callable[..., bool]] = {}


def register_attention(
    key: str,
    count: Callable[..., int],
    *,
    url_name: str,
    roles: set[Role] | frozenset[Role] = frozenset(Role),
    needs_staff_profile: bool = False,
    order: int = 50,
) -> None:
    """Count items of ``key`` in the header badge of users holding any of ``roles``."""
    _sources[key] = AttentionSource(
        key, count, url_name, frozenset(roles), needs_staff_profile, order
    )


def register_user_flag(key: str, holds: Callable[..., bool]) -> None:
    """A per-person fact (e.g. "holds a license") a menu link may depend on."""
    _flags[key] = holds


@dataclass(frozen=True)
class HeaderFacts:
    count: int
    url: str
    parts: dict[str, int]
    flags: dict[str, bool]

    @property
    def label(self) -> str:
        """The badge in words, for screen readers."""
        if not self.count:
            return "Nothing needs your attention"
        noun = "item needs" if self.count == 1 else "items need"
        return f"{str(apnumber(self.count)).capitalize()} {noun} your attention"


NOTHING = HeaderFacts(0, "", {}, {})


def _cache_key(user: User) -> str:
    roles = ",".join(sorted(user_roles(user)))
    return f"milieu:header:{CACHE_VERSION}:{user.pk}:{roles}"


def header_facts_compute(
    *, user: User, staff: StaffProfile | None, today: dt.date
) -> HeaderFacts:
    """The badge count, its link and the menu flags for ``user`` (uncached)."""
    roles = user_roles(user)
    parts: dict[str, int] = {}
    url = ""
    for source in sorted(_sources.values(), key=lambda s: (s.order, s.key)):
        if not roles & source.roles:
            continue
        if source.needs_staff_profile and staff is None:
            continue
        n = source.count(user=user, staff=staff, today=today)
        if n:
            parts[source.key] = n
            url = url or reverse(source.url_name)
    if len(parts) > 1:
        # Items of several kinds: the home page has a panel for each.
        url = reverse("home")
    flags = {key: bool(holds(user=user, staff=staff)) for key, holds in _flags.items()}
    return HeaderFacts(sum(parts.values()), url, parts, flags)


def header_facts(request: HttpRequest) -> HeaderFacts:
    """The signed-in person's header facts: read once per request, from the cache
    when another page worked them out less than ``TTL_SECONDS`` ago. Anonymous,
    deactivated and terminated people get none."""
    memo = getattr(request, "_milieu_header", None)
    if memo is not None:
        return memo
    from .permissions import user_has_access
    from .selectors import own_staff_profile

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return NOTHING
    staff = own_staff_profile(user)
    if not user.is_active or not user_has_access(user, staff=staff):
        facts = NOTHING
    else:
        key = _cache_key(user)
        cached: Any = cache.get(key)
        if isinstance(cached, HeaderFacts):
            facts = cached
        else:
            facts = header_facts_compute(user=user, staff=staff, today=agency_today())
            cache.set(key, facts, TTL_SECONDS)
    request._milieu_header = facts  # type: ignore[attr-defined]
    return facts


def warm_at_login(
    sender: Any, request: HttpRequest | None, user: User, **_: Any
) -> None:
    """Work the facts out as the person signs in (``user_logged_in``), so their
    pages read them from the cache."""
    if request is None:
        return
    request.user = user
    try:
        header_facts(request)
    except Exception:  # noqa: BLE001 - a badge never stands between a person and login
        logger.exception("header facts: not worked out at login for user %s", user.pk)
