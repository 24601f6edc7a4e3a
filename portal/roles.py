"""Roles are Django groups; these helpers answer "what may this user do"."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, TypeGuard

from django.contrib.auth.models import AnonymousUser

if TYPE_CHECKING:
    from .models import User
    from .types import AnyUser


class Role(StrEnum):
    STAFF = "Staff"
    SUPERVISOR = "Supervisor"
    HR = "HR"
    ADMIN = "Admin"
    AUTHOR = "Author"


def user_roles(user: AnyUser | None) -> frozenset[str]:
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


def is_admin(user: AnyUser | None) -> TypeGuard[User]:
    return Role.ADMIN in user_roles(user)


def is_hr(user: AnyUser | None) -> TypeGuard[User]:
    """HR and admins see and manage everyone."""
    roles = user_roles(user)
    return Role.HR in roles or Role.ADMIN in roles


def is_supervisor(user: AnyUser | None) -> TypeGuard[User]:
    return Role.SUPERVISOR in user_roles(user)


def is_author(user: AnyUser | None) -> TypeGuard[User]:
    roles = user_roles(user)
    return bool(roles & {Role.AUTHOR, Role.HR, Role.ADMIN})


def primary_role(user: AnyUser | None) -> Role | None:
    """The role whose home page the user lands on."""
    roles = user_roles(user)
    for role in (Role.ADMIN, Role.HR, Role.SUPERVISOR, Role.AUTHOR, Role.STAFF):
        if role in roles:
            return role
    return None
