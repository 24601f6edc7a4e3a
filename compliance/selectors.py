"""Reads shared by the compliance pages: the team matrix and HR's dashboard.

Everything starts from ``portal.selectors.staff_visible_to``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet

from portal.models import StaffProfile
from portal.requirements import RequirementStatus, Status
from portal.roles import is_hr
from portal.selectors import staff_visible_to, teams_visible_to

from .rollup import (
    VERDICT_FILTERS,
    Readiness,
    column_totals,
    columns_of,
    readiness_for,
)

if TYPE_CHECKING:
    from portal.types import AnyUser

SORTS = {
    "name": ("user__last_name", "user__first_name", "pk"),
    "-name": ("-user__last_name", "-user__first_name", "-pk"),
    "team": ("team__name", "user__last_name", "user__first_name", "pk"),
    "job_role": ("job_role__name", "user__last_name", "user__first_name", "pk"),
    "hire_date": ("hire_date", "user__last_name", "pk"),
    "-hire_date": ("-hire_date", "user__last_name", "pk"),
}
PER_PAGE = 25


@dataclass
class MatrixFilters:
    q: str = ""
    team_id: int | None = None
    site_id: int | None = None
    program_id: int | None = None
    job_role_id: int | None = None
    verdict: str = ""
    sort: str = "name"
    as_of: dt.date | None = None


def matrix_people(*, user: AnyUser, as_of: dt.date) -> QuerySet[StaffProfile]:
    """Everyone the matrix and the home panel count: the people ``user`` may see
    who were on staff on ``as_of`` (hired by then, not yet gone). A supervisor
    counts the people on the teams they supervise, and themselves only when they
    are on one of those teams."""
    qs = staff_visible_to(user=user).on_staff(as_of)
    if not is_hr(user):
        team_ids = teams_visible_to(user=user).values_list("pk", flat=True)
        qs = qs.exclude(Q(user=user) & ~Q(team_id__in=team_ids))
    return qs


def matrix_queryset(
    *, user: AnyUser, filters: MatrixFilters, as_of: dt.date
) -> QuerySet[StaffProfile]:
    """The people of the matrix on ``as_of`` (``matrix_people``), filtered and
    sorted."""
    qs = matrix_people(user=user, as_of=as_of)
    for word in filters.q.split():
        qs = qs.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(employee_id__icontains=word)
        )
    if filters.team_id:
        qs = qs.filter(team_id=filters.team_id)
    if filters.site_id:
        qs = qs.filter(team__site_id=filters.site_id)
    if filters.program_id:
        qs = qs.filter(team__program_id=filters.program_id)
    if filters.job_role_id:
        qs = qs.filter(job_role_id=filters.job_role_id)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["name"]))


@dataclass
class MatrixRow:
    staff: StaffProfile
    readiness: Readiness
    ordered: list | None = None

    @property
    def cells(self) -> dict[str, RequirementStatus]:
        return self.readiness.cells


# Above this many people without a verdict filter, the matrix counts the page only.
OVERALL_COUNT_LIMIT = 500


def matrix_page(
    *,
    user: AnyUser,
    filters: MatrixFilters,
    as_of: dt.date,
    page_number=1,
    per_page: int = PER_PAGE,
) -> dict:
    """One page of the matrix, its columns and per-column totals.

    With a verdict filter ("not ready"), or a filtered set small enough to count
    (a supervisor's teams), verdicts are computed for every candidate in bulk
    (2,000 at a time) so the page shows overall counts; the matching people are
    then paged. A large unfiltered set (HR over the whole agency) computes only
    the page, and the overall counts are left to the compliance dashboard.
    """
    qs = matrix_queryset(user=user, filters=filters, as_of=as_of)
    verdict = VERDICT_FILTERS.get(filters.verdict)
    ids = list(qs.values_list("pk", flat=True))
    all_readiness: dict = {}
    count_all = verdict is not None or len(ids) <= OVERALL_COUNT_LIMIT
    if count_all:
        for start in range(0, len(ids), 2000):
            all_readiness.update(
                readiness_for(staff_ids=ids[start : start + 2000], as_of=as_of)
            )
    matching = (
        ids if verdict is None else [pk for pk in ids if verdict[1](all_readiness[pk])]
    )
    page = Paginator(matching, per_page).get_page(page_number)
    page_ids = list(page.object_list)
    if not count_all:
        all_readiness = readiness_for(staff_ids=page_ids, as_of=as_of)
    by_pk = StaffProfile.objects.select_related(
        "user", "job_role", "team", "team__site", "team__program"
    ).in_bulk(page_ids)
    people = [by_pk[pk] for pk in page_ids if pk in by_pk]
    readiness = {pk: all_readiness[pk] for pk in page_ids}
    totals_scope = "page"
    rows = [MatrixRow(staff=p, readiness=readiness[p.pk]) for p in people]
    columns = columns_of([r.readiness for r in rows])
    totals = column_totals([r.readiness for r in rows], columns)
    for row in rows:
        row.ordered = [row.readiness.cells.get(c.key) for c in columns]
    column_info = [{"column": c, "totals": totals.get(c.key, {})} for c in columns]
    return {
        "page": page,
        "rows": rows,
        "columns": columns,
        "totals": totals,
        "column_info": column_info,
        "totals_scope": totals_scope,
        "ready_count": sum(1 for r in rows if r.readiness.ready_for_floor),
        "compliant_count": sum(1 for r in rows if r.readiness.fully_compliant),
        "overall": {
            "people": len(matching),
            "ready": sum(1 for pk in matching if all_readiness[pk].ready_for_floor),
            "compliant": sum(1 for pk in matching if all_readiness[pk].fully_compliant),
        }
        if count_all
        else None,
        "people_count": len(matching),
    }


def matrix_summary(*, user: AnyUser, as_of: dt.date) -> dict:
    """Counts for the supervisor's home panel: people, not ready, not compliant."""
    ids = list(matrix_people(user=user, as_of=as_of).values_list("pk", flat=True))
    readiness = readiness_for(staff_ids=ids, as_of=as_of)
    return {
        "people": len(ids),
        "not_ready": sum(1 for r in readiness.values() if not r.ready_for_floor),
        "not_compliant": sum(1 for r in readiness.values() if not r.fully_compliant),
        "expired": sum(
            1
            for r in readiness.values()
            for c in r.cells.values()
            if c.status in (Status.EXPIRED, Status.OVERDUE)
        ),
    }


def _rate(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 100


def dashboard_data(
    *, as_of: dt.date, new_hire_days: int = 90, renew_within: int = 90
) -> dict:
    """HR's figures across the agency as of a date (everyone on staff that day).

    ``renewal_rows`` lists only what must be renewed within ``renew_within`` days
    of ``as_of``, each with its days left, whatever the provider's own
    "expiring" threshold; the view groups and pages them."""
    people = list(
        StaffProfile.objects.on_staff(as_of).values(
            "pk",
            "user__first_name",
            "user__last_name",
            "hire_date",
            "job_role__name",
            "job_role__orientation_days",
            "team__name",
            "team__site__name",
            "team__program__name",
        )
    )
    readiness: dict[int, Readiness] = {}
    ids = [p["pk"] for p in people]
    for start in range(0, len(ids), 2000):
        readiness.update(
            readiness_for(staff_ids=ids[start : start + 2000], as_of=as_of)
        )
    groups: dict[str, defaultdict[str, list[int]]] = {
        "site": defaultdict(lambda: [0, 0, 0]),
        "program": defaultdict(lambda: [0, 0, 0]),
    }
    renewals = {30: 0, 60: 0, 90: 0}
    renewal_rows, overdue_rows, new_hires = [], [], []
    pending = 0
    ready_total = compliant_total = 0
    for p in people:
        r = readiness[p["pk"]]
        name = f"{p['user__first_name']} {p['user__last_name']}".strip()
        ready_total += r.ready_for_floor
        compliant_total += r.fully_compliant
        for kind, key in (
            ("site", "team__site__name"),
            ("program", "team__program__name"),
        ):
            bucket = groups[kind][p[key] or "No team"]
            bucket[0] += 1
            bucket[1] += r.ready_for_floor
            bucket[2] += r.fully_compliant
        for c in r.cells.values():
            if c.status == Status.PENDING:
                pending += 1
            if c.status in (Status.EXPIRED, Status.OVERDUE):
                overdue_rows.append((name, p["pk"], c))
            if c.is_met and c.expires_on and as_of <= c.expires_on:
                days = (c.expires_on - as_of).days
                for window in (30, 60, 90):
                    if days <= window:
                        renewals[window] += 1
                if days <= renew_within:
                    renewal_rows.append((c.expires_on, name, p["pk"], c, days))
        hired = p["hire_date"]
        if (
            hired
            and hired <= as_of
            and (as_of - hired).days <= new_hire_days
            and not r.ready_for_floor
        ):
            due = hired + dt.timedelta(days=p["job_role__orientation_days"] or 0)
            new_hires.append(
                {
                    "pk": p["pk"],
                    "name": name,
                    "job_role": p["job_role__name"],
                    "team": p["team__name"],
                    "hire_date": hired,
                    "due_on": due,
                    "late": due < as_of,
                    "missing": [c.label for c in r.unmet if c.before_first_shift],
                }
            )
    total = len(people)

    def table(kind):
        return [
            {
                "name": name,
                "people": v[0],
                "ready": v[1],
                "compliant": v[2],
                "ready_rate": _rate(v[1], v[0]),
                "compliant_rate": _rate(v[2], v[0]),
            }
            for name, v in sorted(groups[kind].items())
        ]

    renewal_rows.sort(key=lambda t: (t[0], t[1]))
    overdue_rows.sort(key=lambda t: (t[0], t[2].label))
    new_hires.sort(key=lambda h: (h["due_on"], h["name"]))
    return {
        "as_of": as_of,
        "people": total,
        "ready": ready_total,
        "compliant": compliant_total,
        "ready_rate": _rate(ready_total, total),
        "compliant_rate": _rate(compliant_total, total),
        "sites": table("site"),
        "programs": table("program"),
        "renewals": renewals,
        "renew_within": renew_within,
        "renewal_rows": renewal_rows,
        "overdue_count": len(overdue_rows),
        "overdue_rows": overdue_rows,
        "pending": pending,
        "new_hires": new_hires,
    }
