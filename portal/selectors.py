"""Reads shared by views: above all, whom a user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Q, QuerySet

from .models import StaffProfile, StaffProfileQuerySet, Team, User
from .roles import is_hr, is_supervisor

if TYPE_CHECKING:
    from .types import AnyUser

_NOT_READ = object()


def own_staff_profile(user: AnyUser) -> StaffProfile | None:
    """The user's own staff record (with team, site, program and job role), or
    None; read once and kept on the user object for the rest of the request."""
    staff = getattr(user, "_milieu_staff", _NOT_READ)
    if staff is _NOT_READ:
        staff = (
            StaffProfile.objects.select_related(
                "team", "team__site", "team__program", "job_role"
            )
            .filter(user_id=user.pk)
            .order_by()
            .first()
        )
        user._milieu_staff = staff  # type: ignore[union-attr]
    return staff  # type: ignore[return-value]


def staff_visible_to(*, user: AnyUser) -> StaffProfileQuerySet:
    """The staff ``user`` may see: HR and admins everyone, supervisors the teams
    they supervise (and themselves), everyone else only themselves.

    Every list and detail view about people starts from this queryset.
    """
    base = StaffProfile.objects.select_related(
        "user", "job_role", "team", "team__site", "team__program"
    )
    if not user.is_authenticated:
        return base.none()
    if is_hr(user):
        return base
    if is_supervisor(user):
        # The team ids rather than a join: no person twice, so no DISTINCT (which
        # would make every count and page sort the whole set), and two index
        # scans.
        return base.filter(Q(team_id__in=supervised_team_ids(user)) | Q(user=user))
    return base.filter(user=user)


def supervised_team_ids(user: AnyUser) -> list[int]:
    """The teams ``user`` supervises (read once per request: kept on the user)."""
    try:
        return user._milieu_team_ids  # type: ignore[union-attr]
    except AttributeError:
        ids = list(
            Team.supervisors.through.objects.filter(user_id=cast(int, user.pk))
            .order_by("team_id")
            .values_list("team_id", flat=True)
        )
        user._milieu_team_ids = ids  # type: ignore[union-attr]
        return ids


def staff_is_visible_to(*, user: AnyUser, staff: StaffProfile) -> bool:
    """Whether ``user`` may see ``staff``'s records."""
    return staff_visible_to(user=user).filter(pk=staff.pk).exists()


def teams_supervised_by(*, user: AnyUser) -> QuerySet[Team]:
    """The teams the user supervises themselves (HR who also lead a team included)."""
    if not is_supervisor(user):
        return Team.objects.none()
    return Team.objects.select_related("site", "program").filter(supervisors=user)


def teams_visible_to(*, user: AnyUser) -> QuerySet[Team]:
    teams = Team.objects.select_related("site", "program")
    if is_hr(user):
        return teams
    if is_supervisor(user):
        return teams.filter(supervisors=user)
    return teams.none()


def teams_without_supervisor() -> list[Team]:
    """Teams with active members and no supervisor who can sign in."""
    return list(
        Team.objects.filter(members__status=StaffProfile.Status.ACTIVE)
        .exclude(supervisors__is_active=True)
        .select_related("site")
        .distinct()
        .order_by("name")
    )


def user_email_pending(*, user: User) -> str | None:
    """The new login email waiting for the person's confirmation, if any."""
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.get_new(user)
    if address is None or address.email.lower() == user.email.lower():
        return None
    return address.email


def sign_in_methods(*, user: User) -> dict[str, Any]:
    """How a person signs in (password, single sign-on, both or not yet) and the
    single sign-on identities, for their page."""
    from allauth.socialaccount.models import SocialAccount

    accounts = list(SocialAccount.objects.filter(user=user).order_by("provider"))
    password = user.has_usable_password()
    if password and accounts:
        label = "Password and single sign-on"
    elif accounts:
        label = "Single sign-on"
    elif password:
        label = "Password"
    else:
        label = "Not set up yet"
    return {"label": label, "accounts": accounts, "last_login": user.last_login}
