"""View decorators: every view states who may see it.

All views need a login (``LoginRequiredMiddleware``); the few public ones are
marked with ``public`` (Django's ``login_not_required``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .roles import is_admin, is_hr, is_supervisor

if TYPE_CHECKING:
    from .models import StaffProfile
    from .types import AnyUser

public = login_not_required


View = TypeVar("View", bound=Callable[..., Any])


def _require(test: Callable[[AnyUser], bool], label: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not test(request.user):
                raise PermissionDenied(f"This page is for {label}.")
            return view(request, *args, **kwargs)

        wrapped.milieu_rule = label  # type: ignore[attr-defined]
        return cast(View, wrapped)

    return decorator


hr_required = _require(is_hr, "HR")
admin_required = _require(is_admin, "administrators")
supervisor_or_hr_required = _require(
    lambda u: is_hr(u) or is_supervisor(u), "supervisors and HR"
)


def any_user(view: View) -> View:
    """Any logged-in user; the view itself limits what it shows to what they may see."""
    view.milieu_rule = "any logged-in user"  # type: ignore[attr-defined]
    return view


def user_has_access(user: AnyUser) -> bool:
    """May ``user`` still use the portal: an active account, and not terminated as
    of the agency's today (even before the nightly task has closed the account)."""
    from .dates import agency_today
    from .models import StaffProfile

    if not user.is_active:
        return False
    row = (
        StaffProfile.objects.filter(user_id=user.pk)
        .values_list("status", "termination_date")
        .first()
    )
    if row is None:
        return True
    status, ended = row
    return status != StaffProfile.Status.TERMINATED and not (
        ended and ended <= agency_today()
    )


def may_verify_credential(*, user: AnyUser, staff: StaffProfile) -> bool:
    """HR verifies or rejects credentials, never their own (separation of duties)."""
    return is_hr(user) and staff.user_id != user.pk


def _is_trainer_or_hr(user: AnyUser) -> bool:
    from .roles import is_author

    return is_author(user)


trainer_or_hr_required = _require(_is_trainer_or_hr, "HR and trainers")
