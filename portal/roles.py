"""Roles are Django groups; these helpers answer "what may this user do"."""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser


class Role(StrEnum):
    STAFF = "Staff"
    SUPERVISOR = "Supervisor"
    HR = "HR"
    ADMIN = "Admin"
    AUTHOR = "Author"


def user_roles(user) -> frozenset[str]:
    """The role names of ``user``, cached on the user object for the request."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_milieu_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {Role.ADMIN}
        user._milieu_roles = cached
    return cached


def is_admin(user) -> bool:
    return Role.ADMIN in user_roles(user)


def is_hr(user) -> bool:
    """HR and admins see and manage everyone."""
    roles = user_roles(user)
    return Role.HR in roles or Role.ADMIN in roles


def is_supervisor(user) -> bool:
    return Role.SUPERVISOR in user_roles(user)


def is_author(user) -> bool:
    roles = user_roles(user)
    return bool(roles & {Role.AUTHOR, Role.HR, Role.ADMIN})


def primary_role(user) -> Role | None:
    """The role whose home page the user lands on."""
    roles = user_roles(user)
    for role in (Role.ADMIN, Role.HR, Role.SUPERVISOR, Role.AUTHOR, Role.STAFF):
        if role in roles:
            return role
    return None
