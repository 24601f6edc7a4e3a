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

from portal.badges import badge_word


class Status:
    CURRENT = "current"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"
    PENDING = "pending_verification"
    DUE = "due"  # a course assigned and not yet due
    OVERDUE = "overdue"  # a course past its due date

    # The words, icons and colors live in portal.badges, once for the portal.
    LABELS = {
        s: badge_word(s)
        for s in (CURRENT, EXPIRING, EXPIRED, MISSING, PENDING, DUE, OVERDUE)
    }
    # Statuses that count as "met" for the verdicts.
    MET = frozenset({CURRENT, EXPIRING})


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

    @property
    def is_met(self) -> bool:
        return self.status in Status.MET

    @property
    def status_label(self) -> str:
        return Status.LABELS.get(self.status, self.status)


# provider(staff_ids=[...], as_of=date) -> iterable of RequirementStatus
Provider = Callable[..., Iterable[RequirementStatus]]
_providers: dict[str, Provider] = {}


def register_provider(kind: str, provider: Provider) -> None:
    _providers[kind] = provider


def providers() -> dict[str, Provider]:
    return dict(_providers)


def requirement_statuses(
    *, staff_ids: list[int], as_of: dt.date
) -> dict[int, list[RequirementStatus]]:
    """Every requirement of every person in ``staff_ids`` as of ``as_of``.

    Each provider must answer with a constant number of queries, whatever the
    number of people.
    """
    out: dict[int, list[RequirementStatus]] = {pk: [] for pk in staff_ids}
    for kind in sorted(_providers):
        for row in _providers[kind](staff_ids=staff_ids, as_of=as_of):
            out.setdefault(row.staff_id, []).append(row)
    return out
