"""Who may do what: view decorators (every view states who may see it) and the
object permissions, named predicates that views, services and panels share.

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
from django.shortcuts import get_object_or_404

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


_READ: Any = object()


def user_has_access(user: AnyUser, *, staff: Any = _READ) -> bool:
    """May ``user`` still use the portal: an active account, and not terminated as
    of the agency's today (even before the nightly task has closed the account).

    ``staff``: their StaffProfile (or None) when the caller has it already."""
    from .dates import agency_today
    from .models import StaffProfile

    if not user.is_active:
        return False
    if staff is _READ:
        staff = (
            StaffProfile.objects.filter(user_id=user.pk)
            .order_by()
            .only("status", "termination_date")
            .first()
        )
    if staff is None:
        return True
    ended = staff.termination_date
    return staff.status != StaffProfile.Status.TERMINATED and not (
        ended and ended <= agency_today()
    )


# --- Object permissions: who may do what to whom -----------------------------------
#
# Views, services and panels ask these, never the roles directly, so that a rule
# ("a supervisor may reset the quizzes of their team, not their own") is written
# once. Each takes the acting user first and answers True or False.


def _is_self(user: AnyUser, staff: StaffProfile) -> bool:
    return staff.user_id == user.pk


def may_see_person(*, user: AnyUser, staff: StaffProfile) -> bool:
    """HR everyone, a supervisor the people of their teams, everyone themselves."""
    from .selectors import staff_is_visible_to

    return staff_is_visible_to(user=user, staff=staff)


def visible_staff_or_404(user: AnyUser, pk: int) -> StaffProfile:
    """The staff profile ``pk`` if ``user`` may see it, else 404 (not 403: who is on
    the staff is itself not shown to those who may not see them)."""
    from .selectors import staff_visible_to

    return get_object_or_404(staff_visible_to(user=user), pk=pk)


def may_edit_credentials(*, user: AnyUser, staff: StaffProfile) -> bool:
    """A person adds, renews and corrects their own credentials; HR anyone's."""
    return _is_self(user, staff) or is_hr(user)


def may_verify_credential(*, user: AnyUser, staff: StaffProfile) -> bool:
    """HR verifies or rejects credentials, never their own (separation of duties)."""
    return is_hr(user) and not _is_self(user, staff)


def supervises(*, user: AnyUser, staff: StaffProfile) -> bool:
    """Whether ``user`` is a supervisor of ``staff``'s team."""
    team = staff.team
    return bool(team is not None and team.supervisors.filter(pk=user.pk or 0).exists())


def sign_off_refusal(*, user: AnyUser, staff: StaffProfile) -> str | None:
    """Why ``user`` may not sign off ``staff``'s skills (None when they may): never
    one's own; HR anyone's; a supervisor the people of their teams."""
    if _is_self(user, staff):
        return "Nobody can sign off their own skills; ask your supervisor."
    if is_hr(user) or supervises(user=user, staff=staff):
        return None
    return "You can sign off only the people on the teams you supervise."


def may_sign_off(*, user: AnyUser, staff: StaffProfile) -> bool:
    """See ``sign_off_refusal``. (A checklist that asks for a certified instructor
    is checked by the skills service on the day observed, not here.)"""
    return sign_off_refusal(user=user, staff=staff) is None


def may_remind(*, user: AnyUser, staff: StaffProfile) -> bool:
    """HR, or whoever may sign them off, may email a person what needs attention;
    nobody reminds themselves. (A closed account is refused by the service.)"""
    return not _is_self(user, staff) and (
        is_hr(user) or may_sign_off(user=user, staff=staff)
    )


def may_reset_quiz(*, user: AnyUser, staff: StaffProfile) -> bool:
    """HR and supervisors give a person they may see a fresh set of quiz attempts;
    never their own."""
    return (
        (is_hr(user) or is_supervisor(user))
        and not _is_self(user, staff)
        and may_see_person(user=user, staff=staff)
    )


def may_see_certificate(*, user: AnyUser, completion: Any) -> bool:
    """The learner, their supervisor and HR may see a certificate; nobody else."""
    if not user.is_authenticated:
        return False
    return _is_self(user, completion.staff) or may_see_person(
        user=user, staff=completion.staff
    )


def supervisors_take_attendance() -> bool:
    """The agency's setting: may supervisors mark their own people on a roster."""
    from .models import Agency

    allowed = (
        Agency.objects.order_by("pk")
        .values_list("supervisors_take_attendance", flat=True)
        .first()
    )
    return True if allowed is None else allowed


def attendance_refusal(
    *, user: AnyUser, staff: StaffProfile, instructor_id: int | None
) -> str | None:
    """Why ``user`` may not mark ``staff`` (booked in a class taught by
    ``instructor_id``) present, absent or passed, or None when they may. Never
    oneself; the instructor of record and HR anyone booked; a supervisor the people
    of their own teams, when the agency lets supervisors take attendance."""
    if not user.is_authenticated:
        return "Log in to take attendance."
    if _is_self(user, staff):
        return "Nobody marks their own attendance or pass; ask the instructor or HR."
    if may_see_everyone_booked(user=user, instructor_id=instructor_id):
        return None
    if is_supervisor(user) and supervises(user=user, staff=staff):
        if supervisors_take_attendance():
            return None
        return "Only the instructor and HR take attendance at this agency."
    return "You can mark only the people on the teams you supervise."


def may_see_everyone_booked(*, user: AnyUser, instructor_id: int | None) -> bool:
    """The instructor of record and HR see everyone booked in a class (names and
    teams, before it starts: they mark them all); anyone else only the people they
    may see (``may_see_person``)."""
    if not user.is_authenticated:
        return False
    return is_hr(user) or (instructor_id is not None and instructor_id == user.pk)


def may_mark_attendance(
    *, user: AnyUser, staff: StaffProfile, instructor_id: int | None
) -> bool:
    """See ``attendance_refusal``: the one rule for the roster page, its POST and
    the service that records the marks."""
    return (
        attendance_refusal(user=user, staff=staff, instructor_id=instructor_id) is None
    )


def may_book_for_others(user: AnyUser) -> bool:
    """HR and supervisors book seats in classes for other people."""
    return is_hr(user) or is_supervisor(user)


def _is_trainer_or_hr(user: AnyUser) -> bool:
    from .roles import is_author

    return is_author(user)


trainer_or_hr_required = _require(_is_trainer_or_hr, "HR and trainers")
