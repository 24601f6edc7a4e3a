"""The shared vocabulary of the readiness roll-up.

Each app that knows about a kind of requirement (courses, credentials, skills)
registers a *provider*: a function that, for many people at once and as of a
date, returns the status of every requirement of their job role. The roll-up in
``compliance`` reads only these, never the apps' models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models

from portal.badges import badge_word
from portal.dates import add_days

if TYPE_CHECKING:
    from .models import StaffProfile


class Status:
    CURRENT = "current"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"
    PENDING = "pending_verification"
    DUE = "due"  # a course assigned and not yet due
    OVERDUE = "overdue"  # a course past its due date
    GOAL = "goal"  # a goal with no due date, not met yet: never late

    # The words, icons and colors live in portal.badges, once for the portal.
    LABELS = {
        s: badge_word(s)
        for s in (CURRENT, EXPIRING, EXPIRED, MISSING, PENDING, DUE, OVERDUE, GOAL)
    }
    # Statuses that count as "met" for the verdicts.
    MET = frozenset({CURRENT, EXPIRING})
    # Unmet but not held against anyone: a goal has no due date.
    NOT_HELD_AGAINST = frozenset({GOAL})


@dataclass(frozen=True)
class RequirementStatus:
    """One requirement of one person, as of a date."""

    staff_id: int
    key: str  # stable across people, e.g. "course:12", "credential:3", "skill:5"
    label: str  # column heading, e.g. "CPR / First Aid"
    kind: str  # "course" | "credential" | "skill"
    status: str  # one of Status
    before_first_shift: bool = False
    due_on: dt.date | None = None
    expires_on: dt.date | None = None
    detail: str = ""  # one line for a tooltip or a cell's text
    url: str = ""  # where to act on it (may be empty)
    extra: dict = field(default_factory=dict, compare=False)
    # The provider's own status rule for this cell as a function of the day (see
    # ``rule``): the readiness store asks it when the status next changes.
    status_on: Callable[[dt.date], Any] | None = field(
        default=None, compare=False, repr=False
    )
    # The first day after the date asked on which ``detail`` reads differently
    # ("was due 22 Nov (3 days ago)" changes daily), or None: the store keeps the
    # text and refreshes it then.
    detail_changes_on: dt.date | None = field(default=None, compare=False)

    def changes_on(self, as_of: dt.date) -> dt.date | None:
        """The first day after ``as_of`` on which this status changes by the date
        alone, or None. Asks ``status_on`` (the provider's rule), never a copy of it:
        a rule reads at most ``due_on`` and ``expires_on``, and a status only moves
        forward in time (current, expiring, expired; due, overdue), so a binary
        search up to the day after the later of the two finds the change."""
        dates = [d for d in (self.due_on, self.expires_on) if d is not None]
        if self.status_on is None or not dates:
            return None
        horizon = add_days(max(dates), 1)
        if horizon <= as_of:
            return None
        now = self.status_on(as_of)
        if self.status_on(horizon) == now:
            return None
        low, high = as_of, horizon  # same status on low, a different one on high
        while (high - low).days > 1:
            middle = add_days(low, (high - low).days // 2)
            if self.status_on(middle) == now:
                low = middle
            else:
                high = middle
        return high

    @property
    def is_met(self) -> bool:
        return self.status in Status.MET

    def is_past_due(self, as_of: dt.date) -> bool:
        """Held against the person as late on ``as_of``: expired, overdue, or not
        on file (missing, or waiting for verification) after its due date. What
        is not yet due, in progress or a goal is never late."""
        if self.status in (Status.EXPIRED, Status.OVERDUE):
            return True
        if self.status not in (Status.MISSING, Status.PENDING):
            return False
        return self.due_on is None or self.due_on < as_of

    def past_due_on(self, as_of: dt.date) -> dt.date | None:
        """The first day after ``as_of`` on which this unmet item becomes past due
        by the date alone (the day after its due date), or None."""
        if self.status not in (Status.MISSING, Status.PENDING, Status.DUE):
            return None
        if self.due_on is None or self.due_on < as_of:
            return None
        return add_days(self.due_on, 1)

    @property
    def is_goal(self) -> bool:
        """A goal with no due date, not met yet: shown, never counted as late."""
        return self.status in Status.NOT_HELD_AGAINST

    @property
    def status_label(self) -> str:
        return Status.LABELS.get(self.status, self.status)


def rule(function: Callable[..., Any], day: str, **known: Any) -> Callable:
    """``function`` (a pure status rule) with everything but the day filled in:
    ``rule(course_status, "as_of", completed_on=...)(day)``. Providers hand it to
    ``RequirementStatus.status_on``."""

    def status_on(value: dt.date) -> Any:
        return function(**{day: value}, **known)

    return status_on


class Provider(Protocol):
    """What an app registers for its kind of requirement (``courses``,
    ``credentials``, ``skills``): every requirement of every person in
    ``staff_ids`` as of ``as_of``, in a constant number of queries."""

    def __call__(
        self, *, staff_ids: list[int], as_of: dt.date
    ) -> Iterable[RequirementStatus]: ...


class Annotator(Protocol):
    """Adds notes to ``row.extra`` (e.g. "booked for 12 Jan") of the rows the
    providers gave, without changing any status."""

    def __call__(
        self, *, rows: dict[int, list[RequirementStatus]], as_of: dt.date
    ) -> None: ...


_providers: dict[str, Provider] = {}


def register_provider(kind: str, provider: Provider) -> None:
    _providers[kind] = provider


def providers() -> dict[str, Provider]:
    return dict(_providers)


_annotators: dict[str, Annotator] = {}


def register_annotator(key: str, annotator: Annotator) -> None:
    _annotators[key] = annotator


def requirement_statuses(
    *, staff_ids: list[int], as_of: dt.date, on_staff: set[int] | None = None
) -> dict[int, list[RequirementStatus]]:
    """Every requirement of every person in ``staff_ids`` as of ``as_of``.

    Only people on staff on ``as_of`` (``StaffProfile.objects.on_staff``) have
    requirements that day: the providers are asked about them alone, and anyone
    not yet hired or already gone gets an empty list. A caller that already
    knows who was on staff passes that set as ``on_staff``.

    Each provider must answer with a constant number of queries, whatever the
    number of people.
    """
    out: dict[int, list[RequirementStatus]] = {pk: [] for pk in staff_ids}
    employed = (
        on_staff
        if on_staff is not None
        else staff_on_staff(staff_ids=staff_ids, as_of=as_of)
    )
    asked = [pk for pk in staff_ids if pk in employed]
    if not asked:
        return out
    for kind in sorted(_providers):
        for row in _providers[kind](staff_ids=asked, as_of=as_of):
            out.setdefault(row.staff_id, []).append(row)
    annotate(rows=out, as_of=as_of)
    return out


def annotate(*, rows: dict[int, list[RequirementStatus]], as_of: dt.date) -> None:
    """Run every registered annotator over ``rows`` (notes, never statuses)."""
    for key in sorted(_annotators):
        _annotators[key](rows=rows, as_of=as_of)


# --- Who a requirement applies to, and when it is due ------------------------------


class DueRule(models.TextChoices):
    """When a requirement is due (``portal.models.Requirement.due_rule``)."""

    BEFORE_FIRST_SHIFT = "before_first_shift", "Before the first shift"
    WITHIN_DAYS = "within_days", "Within N days of hire"
    GOAL = "goal", "A goal (no due date)"


def requirement_due_on(
    *,
    due_rule: str,
    due_within_days: int | None,
    hire_date: dt.date,
    orientation_days: int,
) -> dt.date | None:
    """The one due-date rule of every requirement: the hire date itself before the
    first shift, N days after it (the job role's orientation days when N is empty),
    or None for a goal. ``credentials.reminders`` has its SQL twin."""
    if due_rule == DueRule.BEFORE_FIRST_SHIFT:
        return hire_date
    if due_rule == DueRule.GOAL:
        return None
    days = due_within_days if due_within_days is not None else orientation_days
    return add_days(hire_date, days)


@dataclass(frozen=True)
class Person:
    """What decides which requirements apply to someone, and when they are due."""

    staff_id: int
    job_role_id: int
    program_id: int | None
    site_id: int | None
    hire_date: dt.date
    orientation_days: int


def people_for(*, staff_ids: Iterable[int]) -> list[Person]:
    """The people of ``staff_ids`` (one query)."""
    from .models import StaffProfile

    return [
        Person(*row)
        for row in StaffProfile.objects.filter(pk__in=list(staff_ids)).values_list(
            "pk",
            "job_role_id",
            "team__program_id",
            "team__site_id",
            "hire_date",
            "job_role__orientation_days",
        )
    ]


def person_of(staff: StaffProfile) -> Person:
    """``staff`` (a StaffProfile) as a Person; no query when its team and job role
    were read with it (``select_related``), else ``people_for``'s one."""
    from .models import StaffProfile

    loaded = StaffProfile.job_role.is_cached(staff) and (
        staff.team_id is None or StaffProfile.team.is_cached(staff)
    )
    if not loaded:
        return people_for(staff_ids=[staff.pk])[0]
    team = staff.team
    return Person(
        staff.pk,
        staff.job_role_id,
        team.program_id if team else None,
        team.site_id if team else None,
        staff.hire_date,
        staff.job_role.orientation_days,
    )


def requirements_query(people: list[Person]) -> models.Q:
    """A Q for the active requirements that may apply to any of ``people``."""
    from django.db.models import Q

    roles = {p.job_role_id for p in people}
    programs = {p.program_id for p in people if p.program_id}
    sites = {p.site_id for p in people if p.site_id}
    return (
        Q(active=True)
        & (Q(job_role__isnull=True) | Q(job_role_id__in=roles))
        & (Q(program__isnull=True) | Q(program_id__in=programs))
        & (Q(site__isnull=True) | Q(site_id__in=sites))
    )


def _strictness(req: Any, person: Person) -> tuple:
    """Sort key: before the first shift, then the earliest due date, then goals."""
    due = req.due_on(
        hire_date=person.hire_date, orientation_days=person.orientation_days
    )
    if req.before_first_shift:
        return (0, due, req.pk)
    if due is None:
        return (2, dt.date.max, req.pk)
    return (1, due, req.pk)


def requirements_by_person(
    *, people: list[Person], requirements: Iterable[Any], item: Callable[[Any], Any]
) -> dict[int, list[Any]]:
    """{staff_id: [requirement, ...]}: the requirements that apply to each person,
    one per required thing (``item(req)``, e.g. the course id): where a job role
    and a program both require the same thing, the stricter due date wins."""
    by_role: dict[int | None, list[Any]] = {}
    for req in requirements:
        by_role.setdefault(req.job_role_id, []).append(req)
    everyone = by_role.get(None, [])
    out: dict[int, list[Any]] = {}
    for person in people:
        chosen: dict[Any, Any] = {}
        for req in by_role.get(person.job_role_id, []) + everyone:
            if not req.applies_to(
                job_role_id=person.job_role_id,
                program_id=person.program_id,
                site_id=person.site_id,
            ):
                continue
            key = item(req)
            if key not in chosen or _strictness(req, person) < _strictness(
                chosen[key], person
            ):
                chosen[key] = req
        out[person.staff_id] = list(chosen.values())
    return out


def staff_on_staff(*, staff_ids: list[int], as_of: dt.date) -> set[int]:
    """Which of ``staff_ids`` were employed on ``as_of`` (one query): the ids of
    ``StaffProfile.objects.current(as_of=as_of)``."""
    from .models import StaffProfile

    if not staff_ids:
        return set()
    return set(
        StaffProfile.objects.filter(pk__in=staff_ids)
        .current(as_of=as_of)
        .values_list("pk", flat=True)
    )
