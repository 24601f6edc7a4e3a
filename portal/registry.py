"""Where apps plug into the shell: navigation links and panels on shared pages.

Each app registers in its ``AppConfig.ready()``, so the portal's templates never
need to know which apps exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from .roles import Role, user_roles

if TYPE_CHECKING:
    from .models import User
    from .types import AnyUser


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role]
    order: int = 50
    icon: str = ""
    needs_staff_profile: bool = False
    # A per-person fact (portal.attention.register_user_flag) the link needs.
    needs_flag: str = ""


@dataclass(frozen=True)
class Panel:
    """A block of HTML on a shared page: ``render(request, **ctx) -> str | None``."""

    key: str
    render: Callable[..., str | None]
    roles: frozenset[Role] = field(default_factory=frozenset)
    order: int = 50
    # Drawn from the viewer's own records alone: kept per person until they
    # change (portal.fragments).
    per_person: bool = False


_nav: dict[str, NavItem] = {}
_home_panels: dict[str, Panel] = {}
_person_panels: dict[str, Panel] = {}
# key -> (order, collect(staff_qs=..., today=...) -> DigestSection | None)
_digest_sections: dict[str, tuple[int, Callable[..., DigestSection | None]]] = {}
# key -> events(user=...) -> list of icalendar events for the person's calendar feed
_calendar_sources: dict[str, Callable[..., list]] = {}

EVERYONE = frozenset(Role)


def register_nav(
    label: str,
    url_name: str,
    *,
    roles: set[Role] | frozenset[Role] = EVERYONE,
    order: int = 50,
    icon: str = "",
    needs_staff_profile: bool = False,
    needs_flag: str = "",
) -> None:
    """Add a menu link for users holding any of ``roles``.

    ``needs_staff_profile`` hides it from users who are not on staff (an HR
    officer or administrator without a profile has no training of their own);
    ``needs_flag`` from people without that fact (portal.attention, kept per
    person for a short while: no query on most pages).
    """
    _nav[url_name] = NavItem(
        label, url_name, frozenset(roles), order, icon, needs_staff_profile, needs_flag
    )


def register_home_panel(
    key: str,
    render: Callable[..., str | None],
    *,
    roles: set[Role] | frozenset[Role] = EVERYONE,
    order: int = 50,
    per_person: bool = False,
) -> None:
    """Add a panel to the home page of users holding any of ``roles``.

    ``per_person``: the panel draws only the viewer's own records (and the
    agency's shared setup), so its HTML is kept until one of them changes; its
    app calls ``portal.fragments.person_changed`` / ``shared_changed`` on the
    saves that change it."""
    _home_panels[key] = Panel(key, render, frozenset(roles), order, per_person)


def register_person_panel(
    key: str, render: Callable[..., str | None], *, order: int = 50
) -> None:
    """Add a section to a person's page; ``render(request, staff=...)``."""
    _person_panels[key] = Panel(key, render, frozenset(), order)


def nav_for(request: HttpRequest) -> list[dict]:
    roles = user_roles(request.user)
    items = []
    on_staff = None
    for item in sorted(_nav.values(), key=lambda i: (i.order, i.label)):
        if not (roles & item.roles):
            continue
        if item.needs_staff_profile:
            if on_staff is None:
                on_staff = _on_staff(request)
            if not on_staff:
                continue
        if item.needs_flag:
            from .attention import header_facts

            if not header_facts(request).flags.get(item.needs_flag):
                continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "active": request.path == url
                or (url != "/" and request.path.startswith(url)),
            }
        )
    return items


SESSION_ON_STAFF = "milieu_on_staff"


def has_staff_profile(user: AnyUser) -> bool:
    from .models import StaffProfile

    return user.is_authenticated and StaffProfile.objects.filter(user=user).exists()


def _on_staff(request: HttpRequest) -> bool:
    """Whether the user has a staff record; remembered in the session at login
    (see portal.apps) so the menu costs no query per page, else taken from the
    record the request has read already (portal.middleware.AccessEndedMiddleware)."""
    from .selectors import own_staff_profile

    session = getattr(request, "session", None)
    if session is not None and SESSION_ON_STAFF in session:
        return session[SESSION_ON_STAFF]
    value = own_staff_profile(request.user) is not None
    if session is not None:
        session[SESSION_ON_STAFF] = value
    return value


def home_panels_for(request: HttpRequest, **context: Any) -> list[str]:
    """The home page's panels for the viewer's roles, in order; the per-person
    ones from ``portal.fragments`` (one cache read for them all)."""
    from .fragments import person_fragments

    roles = user_roles(request.user)
    panels = [
        p
        for p in sorted(_home_panels.values(), key=lambda p: (p.order, p.key))
        if roles & p.roles
    ]
    staff = context.get("staff")
    kept: dict[str, str | None] = {}
    if staff is not None:
        kept = person_fragments(
            staff.pk,
            {
                p.key: partial(p.render, request, **context)
                for p in panels
                if p.per_person
            },
        )
    out = []
    for panel in panels:
        html = (
            kept[panel.key] if panel.key in kept else panel.render(request, **context)
        )
        if html:
            out.append(html)
    return out


def person_panels_for(request: HttpRequest, **context: Any) -> list[str]:
    out = []
    for panel in sorted(_person_panels.values(), key=lambda p: (p.order, p.key)):
        html = panel.render(request, **context)
        if html:
            out.append(html)
    return out


def register_calendar_source(key: str, events: Callable[..., list]) -> None:
    """Add events to a person's calendar feed; ``events(user=...)`` returns
    icalendar ``Event`` objects."""
    _calendar_sources[key] = events


def calendar_events_for(*, user: User) -> list:
    out: list = []
    for key in sorted(_calendar_sources):
        out.extend(_calendar_sources[key](user=user))
    return out


@dataclass(frozen=True)
class DigestLine:
    """One person's line in a digest section: their name, what is wrong, and the
    id of their page."""

    staff_id: int
    name: str
    text: str


@dataclass(frozen=True)
class DigestSection:
    """A titled list in the weekly digest (overdue training, locked quizzes...)."""

    key: str
    title: str
    lines: list[DigestLine]


def register_digest_section(
    key: str, collect: Callable[..., DigestSection | None], *, order: int = 50
) -> None:
    """Add a section to the weekly digest beside the credentials;
    ``collect(staff_qs=..., today=...)`` lists what concerns those people."""
    _digest_sections[key] = (order, collect)


def digest_sections_for(*, staff_qs: Any, today: Any) -> list[DigestSection]:
    """The non-empty digest sections about ``staff_qs`` (the recipient's people)
    as of ``today``, in order."""
    out = []
    for key in sorted(_digest_sections, key=lambda k: (_digest_sections[k][0], k)):
        section = _digest_sections[key][1](staff_qs=staff_qs, today=today)
        if section is not None and section.lines:
            out.append(section)
    return out
