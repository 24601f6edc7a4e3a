"""The "skill" requirement provider: the status of every required skill checklist
of many people as of a date, in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.formats import date_format

from portal.dates import add_months
from portal.requirements import (
    Person,
    RequirementStatus,
    Status,
    people_for,
    requirements_by_person,
    requirements_query,
    rule,
)

from .models import SkillRequirement, SkillSignOff

EXPIRING_DAYS = 30


@lru_cache(maxsize=20_000)
def recheck_due_on(
    *, observed_on: dt.date, recheck_months: int | None
) -> dt.date | None:
    """The date by which a met sign-off must be observed again (None: never)."""
    if not recheck_months:
        return None
    return add_months(observed_on, recheck_months)


def skill_status(
    *,
    observed_on: dt.date | None,
    met: bool,
    recheck_months: int | None,
    as_of: dt.date,
) -> tuple[str, dt.date | None]:
    """(status, recheck date) of one checklist given the latest sign-off as of a date.

    Current while the latest sign-off was met and its recheck date has not passed;
    expiring within 30 days of that date; expired after it; missing when the
    latest sign-off needs practice or there is none.
    """
    if observed_on is None or not met:
        return Status.MISSING, None
    due = recheck_due_on(observed_on=observed_on, recheck_months=recheck_months)
    if due is None:
        return Status.CURRENT, None
    if as_of > due:
        return Status.EXPIRED, due
    if (due - as_of).days <= EXPIRING_DAYS:
        return Status.EXPIRING, due
    return Status.CURRENT, due


def effective_signoffs():
    """Sign-offs that no later correction replaced."""
    return SkillSignOff.objects.filter(
        ~Exists(SkillSignOff.objects.filter(corrects=OuterRef("pk")))
    )


def latest_signoffs(
    *, staff_ids: list[int], as_of: dt.date, checklist_ids=None
) -> dict[tuple[int, int], dict]:
    """{(staff_id, checklist_id): latest effective sign-off observed by as_of}.

    A correction always has the same person and checklist as the record it
    replaces, so one index scan over these people's sign-offs finds both; this
    avoids an anti-join over the whole table.
    """
    qs = SkillSignOff.objects.filter(staff_id__in=staff_ids)
    if checklist_ids is not None:
        qs = qs.filter(checklist_id__in=checklist_ids)
    rows = list(
        qs.order_by("observed_on", "created_at", "pk").values_list(
            "pk", "staff_id", "checklist_id", "observed_on", "met", "corrects_id"
        )
    )
    corrected = {row[5] for row in rows if row[5] is not None}
    latest: dict[tuple[int, int], dict] = {}
    for pk, staff_id, checklist_id, observed_on, met, _corrects in rows:
        if observed_on > as_of or pk in corrected:
            continue
        latest[(staff_id, checklist_id)] = {
            "pk": pk,
            "observed_on": observed_on,
            "met": met,
        }
    return latest


_NONE = (Status.MISSING, None, "Not signed off yet")


@lru_cache(maxsize=50_000)
def _cell(observed_on: dt.date, met: bool, months: int | None, as_of: dt.date):
    """(status, recheck date, detail) of a sign-off; many cells share the answer."""
    status, due = skill_status(
        observed_on=observed_on, met=met, recheck_months=months, as_of=as_of
    )
    if not met:
        return status, due, f"Needs practice (observed {date_format(observed_on)})"
    detail = f"Signed off {date_format(observed_on)}"
    if due:
        detail += f"; renew by {date_format(due)}"
    return status, due, detail


def skill_requirements_of(*, people: list[Person]) -> dict[int, list[SkillRequirement]]:
    """{staff_id: the skill requirements that apply to them} (one query)."""
    reqs = SkillRequirement.objects.filter(requirements_query(people)).select_related(
        "checklist"
    )
    return requirements_by_person(
        people=people, requirements=reqs, item=lambda r: r.checklist_id
    )


def skill_provider(
    *, staff_ids: list[int], as_of: dt.date
) -> Iterator[RequirementStatus]:
    """Registered as the "skill" provider; three queries whatever the people count."""
    if not staff_ids:
        return
    people = people_for(staff_ids=staff_ids)
    by_person = skill_requirements_of(people=people)
    checklist_ids = {r.checklist_id for reqs in by_person.values() for r in reqs}
    if not checklist_ids:
        return
    latest = latest_signoffs(
        staff_ids=[p.staff_id for p in people],
        as_of=as_of,
        checklist_ids=checklist_ids,
    )
    # One reverse() for the page, not one per cell.
    url_template = reverse("skills:signoff_create", args=[987654321])
    for person in people:
        staff_id = person.staff_id
        base_url = url_template.replace("987654321", str(staff_id))
        for req in by_person.get(staff_id, ()):
            checklist = req.checklist
            signoff = latest.get((staff_id, checklist.pk))
            status_on = None
            if signoff is None:
                status, due, detail = _NONE
                if req.is_goal:
                    status, detail = Status.GOAL, "A goal, no due date"
            else:
                status, due, detail = _cell(
                    signoff["observed_on"],
                    signoff["met"],
                    checklist.recheck_months,
                    as_of,
                )
                if req.is_goal and status == Status.MISSING:
                    status = Status.GOAL
                status_on = rule(
                    skill_status,
                    "as_of",
                    observed_on=signoff["observed_on"],
                    met=signoff["met"],
                    recheck_months=checklist.recheck_months,
                )
            yield RequirementStatus(
                staff_id=staff_id,
                key=f"skill:{checklist.pk}",
                label=checklist.name,
                kind="skill",
                status=status,
                before_first_shift=req.before_first_shift,
                expires_on=due,
                detail=detail,
                url=f"{base_url}?checklist={checklist.pk}",
                extra={"checklist_id": checklist.pk},
                status_on=status_on,
            )
