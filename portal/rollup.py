"""The readiness roll-up: every requirement of every person, from the providers
each app registers (``portal.requirements``), and the two verdicts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils.formats import date_format

from portal.requirements import (
    RequirementStatus,
    Status,
    requirement_statuses,
    staff_on_staff,
)

KIND_ORDER = {"course": 0, "credential": 1, "skill": 2}


@dataclass
class Readiness:
    """One person's requirements as of a date, and the verdicts.

    Someone not on staff that day (not yet hired, or gone) has no requirements
    and is neither ready nor compliant: the views leave them out."""

    staff_id: int
    cells: dict[str, RequirementStatus] = field(default_factory=dict)
    on_staff: bool = True
    # The day the verdicts are read for (what is past due depends on it).
    as_of: dt.date | None = None

    @property
    def requirements(self) -> list[RequirementStatus]:
        return sorted(self.cells.values(), key=column_sort_key)

    @property
    def ready_for_floor(self) -> bool:
        """Every "before first shift" requirement is met."""
        return self.on_staff and all(
            c.is_met for c in self.cells.values() if c.before_first_shift
        )

    @property
    def fully_compliant(self) -> bool:
        """Compliant, as HR counts it: nothing is past due (expired, overdue, or
        missing after its due date). What is not yet due or in progress is a
        state of its own, never a failure; a goal is held against no one. The
        one rule behind every "compliant" figure (the readiness store keeps it)."""
        return self.on_staff and not self.past_due

    @property
    def past_due(self) -> list[RequirementStatus]:
        """What is late on the day read: ``RequirementStatus.is_past_due``."""
        day = self.as_of or dt.date.max
        return [c for c in self.requirements if c.is_past_due(day)]

    @property
    def not_yet_due(self) -> list[RequirementStatus]:
        """Unmet, but not late: due later, in progress, or waiting to be checked."""
        day = self.as_of or dt.date.max
        return [
            c
            for c in self.requirements
            if not (c.is_met or c.is_goal or c.is_past_due(day))
        ]

    @property
    def unmet(self) -> list[RequirementStatus]:
        """What is held against the person: not met, and not a mere goal."""
        return [c for c in self.requirements if not (c.is_met or c.is_goal)]

    @property
    def expiring(self) -> list[RequirementStatus]:
        return [c for c in self.requirements if c.status == Status.EXPIRING]


def off_staff_phrase(
    *, hire_date: dt.date, termination_date: dt.date | None, as_of: dt.date
) -> str:
    """Why someone has no requirements on ``as_of``: not hired yet, or gone."""
    day = date_format
    if hire_date > as_of:
        return f"Not yet on staff on {day(as_of)}: hired {day(hire_date)}."
    if termination_date is not None:
        return f"No longer on staff on {day(as_of)}: left {day(termination_date)}."
    return f"No longer on staff on {day(as_of)}."


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str


def column_sort_key(item: Column | RequirementStatus) -> tuple:
    return (KIND_ORDER.get(item.kind, 9), item.label.lower(), item.key)


def readiness_for(*, staff_ids: list[int], as_of: dt.date) -> dict[int, Readiness]:
    """{staff_id: Readiness} for the people given; constant queries per provider."""
    staff_ids = list(staff_ids)
    employed = staff_on_staff(staff_ids=staff_ids, as_of=as_of)
    statuses = requirement_statuses(staff_ids=staff_ids, as_of=as_of, on_staff=employed)
    out: dict[int, Readiness] = {}
    for staff_id in staff_ids:
        readiness = Readiness(
            staff_id=staff_id, on_staff=staff_id in employed, as_of=as_of
        )
        for row in statuses.get(staff_id, ()):
            readiness.cells[row.key] = row
        out[staff_id] = readiness
    return out


def columns_of(readiness: list[Readiness]) -> list[Column]:
    """The requirement columns met in these rows, courses then credentials, skills."""
    seen: dict[str, Column] = {}
    for r in readiness:
        for key, cell in r.cells.items():
            if key not in seen:
                seen[key] = Column(key, cell.label, cell.kind)
    return sorted(seen.values(), key=column_sort_key)


def column_totals(
    readiness: list[Readiness], columns: list[Column]
) -> dict[str, dict[str, int]]:
    """Per column: how many people are required, met, and per status."""
    totals: dict[str, dict[str, int]] = {}
    for column in columns:
        counts: Counter = Counter()
        for r in readiness:
            cell = r.cells.get(column.key)
            if cell is None:
                continue
            counts["required"] += 1
            counts[cell.status] += 1
            if cell.is_met:
                counts["met"] += 1
            if cell.status in (Status.EXPIRED, Status.OVERDUE):
                counts["lapsed"] += 1
        totals[column.key] = dict(counts)
    return totals


VERDICT_FILTERS = {
    "not_ready": ("Not ready for the floor", lambda r: not r.ready_for_floor),
    "ready": ("Ready for the floor", lambda r: r.ready_for_floor),
    "not_compliant": ("Not fully compliant", lambda r: not r.fully_compliant),
    "compliant": ("Fully compliant", lambda r: r.fully_compliant),
    "has_expired": (
        "Something expired or overdue",
        lambda r: any(
            c.status in (Status.EXPIRED, Status.OVERDUE) for c in r.cells.values()
        ),
    ),
    "has_expiring": (
        "Something expiring",
        lambda r: any(c.status == Status.EXPIRING for c in r.cells.values()),
    ),
    "has_pending": (
        "Pending verification",
        lambda r: any(c.status == Status.PENDING for c in r.cells.values()),
    ),
}
